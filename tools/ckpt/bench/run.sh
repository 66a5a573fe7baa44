#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ckpt benchmark, host side (`make bench` runs it with the release
# kernel):
#
#   tools/ckpt/bench/run.sh BZIMAGE CKPT_BIN
#
# Builds the static workload program, collects Debian's criu and its
# libraries (tools/ckpt/vm/criu-files.sh; installs criu and gnuplot-nox if
# they are missing), boots the VM once with bench.sh, and turns the RESULT
# lines it prints into $CKPT_CACHE/bench/<timestamp>/:
#
#   console.txt    everything the guest printed
#   raw.csv        one row per measurement
#   results.csv    one row per workload, tool and metric: median, min, max
#   results.json   the same, with the settings
#   table.txt      the side-by-side table (also printed)
#   chart.png      checkpoint time and downtime per workload (gnuplot)
#
# and points $CKPT_CACHE/bench/latest at it.  Settings, from the
# environment: BENCH_R (repetitions, default 3), BENCH_R_BIG (for the 1 GiB
# and 1,000-process workloads, default BENCH_R), BENCH_R_Z (repetitions of
# checkpoint -z, default 1), BENCH_ONLY (a space-separated subset of the
# workloads: mem16 mem256 mem1024 tree100 tree100s tree1000 files10k),
# BENCH_RESTART=0 (skip `ckpt restart` without --dry-run, e.g. while the
# kernel's restore is under development), BENCH_PROFILE (1, or a list of
# workloads: after the measurements, profile one checkpoint and one restart
# of each, default mem256, with perf in the guest; see below), CKPT_VM_MEM
# (default 6G), CKPT_VM_TIMEOUT (default 3600 s).
#
# With BENCH_PROFILE the guest also gets Debian's perf and its libraries
# (tools/ckpt/vm/perf-files.sh; installs linux-perf if it is missing) and
# prints perf's reports as PROFILE lines, which go to
#
#   profile-checkpoint-WORKLOAD.txt, profile-restart-WORKLOAD.txt
#
# and the top of them to table.txt.
#
# Speed is reported, never asserted: the exit status is 0 if the guest ran
# the benchmark to its end, whatever the numbers.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
cache=${CKPT_CACHE:-/var/cache/ckpt}
[ $# -eq 2 ] || { echo "usage: $0 BZIMAGE CKPT_BIN" >&2; exit 2; }
bzimage=$1 ckpt_bin=$2
[ -f "$bzimage" ] || { echo "bench: no kernel image $bzimage" >&2; exit 2; }
[ -x "$ckpt_bin" ] || { echo "bench: no ckpt tool $ckpt_bin" >&2; exit 2; }

CKPT_WITH_CRIU=1 "$top/tools/ckpt/vm/deps.sh"

stamp=$(date +%Y%m%d-%H%M%S)
res=$cache/bench/$stamp
mkdir -p "$res"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

echo "bench: building the workload, collecting criu" >&2
"$top/tools/ckpt/vm/criu-files.sh" "$stage/files" >/dev/null
profile=${BENCH_PROFILE:-0}
case $profile in
0) profile= ;;
1) profile=mem256 ;;
esac
if [ -n "$profile" ]; then
	echo "bench: collecting perf (BENCH_PROFILE: $profile)" >&2
	"$top/tools/ckpt/vm/perf-files.sh" "$stage/files" >/dev/null
fi
gcc -std=c11 -O2 -Wall -Wextra -Werror -static \
	-o "$stage/files/workload" "$here/workload.c"
cat >"$stage/files/bench.conf" <<EOF
BENCH_R=${BENCH_R:-3}
BENCH_R_BIG=${BENCH_R_BIG:-${BENCH_R:-3}}
BENCH_R_Z=${BENCH_R_Z:-1}
BENCH_ONLY='${BENCH_ONLY:-}'
BENCH_RESTART=${BENCH_RESTART:-1}
BENCH_PROFILE='$profile'
EOF

echo "bench: booting $bzimage (results in $res)" >&2
set +e
CKPT_VM_MEM=${CKPT_VM_MEM:-6G} CKPT_VM_TIMEOUT=${CKPT_VM_TIMEOUT:-3600} \
	"$top/tools/ckpt/vm/run.sh" --kernel "$bzimage" --mode script \
	--run "$here/bench.sh" --ckpt "$ckpt_bin" --files "$stage/files" |
	tee "$res/console.txt" | grep -v -e '^RESULT ' -e '^PROFILE ' >&2
vm_status=${PIPESTATUS[0]}
set -e

{
	echo "date=$(date -Iseconds)"
	echo "kernel=$bzimage"
	echo "kernel_release=$(cat "$(dirname "$bzimage")/../../../include/config/kernel.release" 2>/dev/null || echo unknown)"
	echo "host_cpus=$(nproc)"
	echo "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "accel=tcg"
	echo "vm_mem=${CKPT_VM_MEM:-6G}"
	echo "vm_cpus=${CKPT_VM_CPUS:-2}"
	echo "vm_status=$vm_status"
	cat "$stage/files/bench.conf"
} >"$res/meta.txt"

# PROFILE NAME LINE: LINE of profile-NAME.txt
awk -v dir="$res" '/^PROFILE [^ ]+/ {
	f = dir "/profile-" $2 ".txt"
	sub(/^PROFILE [^ ]+ ?/, "")
	print > f
}' "$res/console.txt"
python3 "$here/report.py" "$res"
if command -v gnuplot >/dev/null && [ -s "$res/chart.dat" ]; then
	gnuplot -e "dir='$res'" "$here/chart.gp" &&
		echo "bench: chart: $res/chart.png" >&2
fi
ln -sfn "$stamp" "$cache/bench/latest"
echo "bench: results in $res ($cache/bench/latest)" >&2

if ! grep -q '^BENCH-DONE' "$res/console.txt"; then
	echo "bench: the guest did not finish the benchmark (VM exit status $vm_status)" >&2
	exit 1
fi
if [ "$vm_status" != 0 ]; then
	echo "bench: the VM exited with status $vm_status after the benchmark (a guest kernel report?)" >&2
fi
exit 0
