#!/bin/bash
# Add Debian's perf and the shared libraries it needs to a directory for the
# test VM (whose initramfs has only static binaries), installing linux-perf
# if it is missing.  Unlike criu-files.sh it does not empty the directory
# first, so both can share one lib/ (bench.sh installs DIR/lib in the guest).
#
#   tools/ckpt/vm/perf-files.sh DIR      DIR/perf, DIR/lib/*; prints DIR
set -euo pipefail
out=${1:?usage: perf-files.sh DIR}
CKPT_WITH_PERF=1 "$(dirname "$0")/deps.sh"
perf=$(command -v perf || echo /usr/bin/perf)
mkdir -p "$out/lib"
cp "$perf" "$out/perf"
for lib in $(ldd "$perf" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
	cp -L "$lib" "$out/lib/"
done
echo "$out"
