#!/bin/bash
# Collect Debian's criu and the shared libraries it needs into a directory
# for the test VM (whose initramfs has only static binaries), installing the
# package if it is missing.  Prints the directory.
#
#   make vm RUN=tools/ckpt/vm/examples/criu-check.sh FILES=$(tools/ckpt/vm/criu-files.sh)
set -euo pipefail
out=${1:-${CKPT_CACHE:-/var/cache/ckpt}/criu-files}
CKPT_WITH_CRIU=1 "$(dirname "$0")/deps.sh"
criu=$(command -v criu || echo /usr/sbin/criu)
rm -rf "$out"
mkdir -p "$out/lib"
cp "$criu" "$out/criu"
for lib in $(ldd "$criu" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
	cp -L "$lib" "$out/lib/"
done
echo "$out"
