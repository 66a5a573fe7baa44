#!/bin/bash
# Install what building and testing ckpt needs, from Debian's packages, if it
# is missing.  Safe to run every time: it asks apt only when a package is absent.
set -euo pipefail

packages=(
	# the kernel source and what building it needs
	linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
	xz-utils dwarves kmod cpio
	# the test VM
	qemu-system-x86 busybox-static
	# the ckpt tool: static libraries
	liblz4-dev libcap-dev lz4
	# tests and tooling
	python3 perl
)
if [ "${CKPT_WITH_CRIU:-0}" = 1 ]; then
	packages+=(criu gnuplot-nox)
fi
# perf (Debian 12's, built for its 6.1 kernel; the perf_event ABI is stable)
# for `make bench` with BENCH_PROFILE
if [ "${CKPT_WITH_PERF:-0}" = 1 ]; then
	packages+=(linux-perf)
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
