#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make-image.sh: make a golden image, in the test VM, of the kernel being
# run.  Run it before the format version is bumped, from the top:
#
#   make vm RUN=tools/ckpt/tests/golden/make-image.sh FILES=tools/ckpt/tests/golden
#
# or, once the tree has moved on, with a kernel of that version kept from
# before and a ckpt built from the tree as it was (its own worktree):
#
#   git worktree add /tmp/ckpt-vN COMMIT
#   make -C /tmp/ckpt-vN/tools/ckpt O=/tmp/ckpt-vN-out
#   tools/ckpt/vm/run.sh --kernel BZIMAGE --mode script \
#       --run tools/ckpt/tests/golden/make-image.sh \
#       --files tools/ckpt/tests/golden --ckpt /tmp/ckpt-vN-out/ckpt
#   git worktree remove /tmp/ckpt-vN
#
# (the console log, LOG below, is $CKPT_CACHE/logs/vm-script.log).
#
# It checkpoints /host/golden (see golden.c) after it counted to 5, and
# prints the image in base64 between GOLDEN-BEGIN and GOLDEN-END lines on
# the console; save it as vN.img (N: the format version) with
#   sed -n '/^GOLDEN-BEGIN/,/^GOLDEN-END/p' LOG | sed '1d;$d' | base64 -d
# then have vm-golden.sh restart it too (restart_golden N), and copy it
# into the VM with the others (the selftests target of the top Makefile).
set -eu
cp /host/golden /golden
rm -f /tmp/golden.count
ckpt run --name golden -- /golden >/tmp/golden.pid
tries=0
while [ "$(cat /tmp/golden.count 2>/dev/null || echo 0)" -lt 5 ]; do
	tries=$((tries + 1))
	[ "$tries" -le 300 ] || { echo "golden: it does not count" >&2; exit 1; }
	sleep 0.1
done
ckpt checkpoint --kill --name golden -o /tmp/golden.img
echo GOLDEN-BEGIN
base64 /tmp/golden.img
echo GOLDEN-END
