#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-golden.sh: restart the golden image of format version 1, converted,
# in the test VM, and check that the counter in it counts on.
#
# It runs in the VM as root (POSIX sh: busybox is all there is), with
# `ckpt` on PATH, cgroup v2 at /sys/fs/cgroup and the files of this
# directory in /host: golden (the program, which restart reopens by its
# path, /golden, and checks by its size) and v1.img (see make-image.sh):
#
#   make vm RUN=tools/ckpt/tests/golden/vm-golden.sh FILES=tools/ckpt/tests/golden
#
# The image was made once golden had counted to at least 5: restarted, it
# must write a count of 5 or more to /tmp/golden.count, and more after
# that.  Convert runs where restart does, as the same user: the converted
# image holds its credentials, limits, umask and working directory (/).
# Exits 0 if it counts on, else 1 with a message; leaves no container.
set -u

# Where golden and v1.img are: /host with `make vm`, or CKPT_FILES (the
# VM's test run, tools/ckpt/vm/guest-selftests.sh).
files=${CKPT_FILES:-/host}

cg=/sys/fs/cgroup/ckpt/golden
count_file=/tmp/golden.count
img=/tmp/golden-v2.img

fail() {
	echo "vm-golden: FAILED: $*" >&2
	exit 1
}

# The count golden last wrote, or 0 while there is none (or it is being
# rewritten just now).
count() {
	c=$(cat "$count_file" 2>/dev/null || true)
	case $c in
	'' | *[!0-9]*) echo 0 ;;
	*) echo "$c" ;;
	esac
}

# wait_count_above N SECONDS: wait until the count is above N; 1 if it is
# not within SECONDS.
wait_count_above() {
	tries=0
	while [ "$(count)" -le "$1" ]; do
		tries=$((tries + 1))
		[ "$tries" -le $(($2 * 10)) ] || return 1
		sleep 0.1
	done
}

# Kill every process of the container at once (cgroup.kill), wait until
# its cgroup is empty, and remove the cgroup.
stop_container() {
	[ -d "$cg" ] || return 0
	echo 1 >"$cg/cgroup.kill"
	tries=0
	while grep -q '^populated 1' "$cg/cgroup.events"; do
		tries=$((tries + 1))
		[ "$tries" -le 100 ] || return 1
		sleep 0.1
	done
	rmdir "$cg"
}

trap 'stop_container >/dev/null 2>&1 || true' EXIT

[ "$(id -u)" = 0 ] || fail "run me as root"
command -v ckpt >/dev/null || fail "ckpt is not on PATH"
[ -f "$files/golden" ] && [ -f "$files/v1.img" ] ||
	fail "$files/golden and $files/v1.img are needed (FILES=tools/ckpt/tests/golden)"
if [ -d "$cg" ]; then
	stop_container || fail "cannot stop a golden container of an earlier run"
fi
rm -f "$count_file" "$img"

cp "$files/golden" /golden && chmod 755 /golden || fail "cannot copy $files/golden to /golden"
cd / || fail "cannot go to /"

echo "vm-golden: ckpt convert -o $img $files/v1.img"
ckpt convert -o "$img" "$files/v1.img" || fail "ckpt convert failed"
ckpt info "$img" >/tmp/golden-v2.info || fail "ckpt info finds the converted image invalid"
sed -n '/^format version:/p;/^task state:/,/^record types:/p' /tmp/golden-v2.info

echo "vm-golden: ckpt restart -i $img --name golden"
ckpt restart -i "$img" --name golden >/tmp/golden.pid ||
	fail "ckpt restart failed"
pid=$(cat /tmp/golden.pid)
echo "vm-golden: restored as pid $pid"

# QEMU without KVM is slow: give it time
wait_count_above 0 60 || fail "the restored golden never wrote $count_file"
first=$(count)
[ "$first" -ge 5 ] ||
	fail "the count started again from $first: it did not go on from 5 or more"
wait_count_above "$first" 30 || fail "the count stayed at $(count)"
second=$(count)
wait_count_above "$second" 30 || fail "the count stayed at $(count)"
echo "vm-golden: the count went on from $first to $(count)"

stop_container || fail "the container did not stop"

# Again, left frozen in its cgroup (RESTART_INTO_CGROUP): it must not
# count before it is thawed, and count on after.
rm -f "$count_file"
echo "vm-golden: ckpt restart -i $img --name golden --frozen"
ckpt restart -i "$img" --name golden --frozen >/tmp/golden.pid ||
	fail "ckpt restart --frozen failed"
grep -q '^frozen 1' "$cg/cgroup.events" || fail "its cgroup is not frozen"
grep -qx "$(cat /tmp/golden.pid)" "$cg/cgroup.procs" ||
	fail "the restored task is not in its cgroup"
sleep 2
[ ! -e "$count_file" ] || fail "it ran while frozen: $count_file holds $(count)"
echo 0 >"$cg/cgroup.freeze"
wait_count_above 0 60 || fail "thawed, it never wrote $count_file"
[ "$(count)" -ge 5 ] || fail "thawed, it started again from $(count)"
echo "vm-golden: left frozen, it did not run; thawed, it counts on from $(count)"

stop_container || fail "the container did not stop"
echo "vm-golden: ok"
exit 0
