#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-golden.sh: restart the golden images of format versions 1 to 3,
# converted, in the test VM, and check that the counter in each counts on.
#
# It runs in the VM as root (POSIX sh: busybox is all there is), with
# `ckpt` on PATH, cgroup v2 at /sys/fs/cgroup and the files of this
# directory in /host: golden (the program, which restart reopens by its
# path, /golden, and checks by its size), v1.img, v2.img and v3.img (see
# make-image.sh):
#
#   make vm RUN=tools/ckpt/tests/golden/vm-golden.sh FILES=tools/ckpt/tests/golden
#
# Each image was made once golden had counted to at least 5: restarted, it
# must write a count of 5 or more to /tmp/golden.count, and more after
# that; then it is restarted again, left frozen in its cgroup, and must not
# count before it is thawed.  Convert runs where restart does, as the same
# user: the image converted from version 1 holds its credentials, limits,
# umask and working directory (/); the one from version 2 keeps what
# version 2 saved (its working directory /host) and gets unused TLS
# descriptors and no POSIX timers; the one from version 3 keeps all it
# saved, and is outside any process group or session of the container
# (those the restored init is started in), as version 3 restarted it.
# Exits 0 if all count on, else 1 with a message; leaves no container.
set -u

# Where golden and the images are: /host with `make vm`, or CKPT_FILES
# (the VM's test run, tools/ckpt/vm/guest-selftests.sh).
files=${CKPT_FILES:-/host}

cg=/sys/fs/cgroup/ckpt/golden
count_file=/tmp/golden.count
what=

fail() {
	echo "vm-golden: FAILED${what:+ ($what)}: $*" >&2
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

# wait_count_above N SECONDS: wait until the count is above N, and leave
# that count in $seen (golden rewrites its file ten times a second, and a
# read in between finds it empty: the count to go by is the one that was
# seen above N, not a read after); 1 if it is not within SECONDS.
wait_count_above() {
	tries=0
	while :; do
		seen=$(count)
		[ "$seen" -le "$1" ] || return 0
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

# restart_golden N: convert the golden image of version N and restart
# it, normally, then left frozen in its cgroup (RESTART_INTO_CGROUP): it
# must count on from where it was, and not before it is thawed.
restart_golden() {
	what="v$1.img"
	img=/tmp/golden-v$1-v4.img
	rm -f "$count_file" "$img"

	echo "vm-golden: ckpt convert -o $img $files/v$1.img"
	ckpt convert -o "$img" "$files/v$1.img" || fail "ckpt convert failed"
	ckpt info "$img" >/tmp/golden.info ||
		fail "ckpt info finds the converted image invalid"
	sed -n '/^format version:/p;/^task state:/,/^record types:/p' /tmp/golden.info

	echo "vm-golden: ckpt restart -i $img --name golden"
	ckpt restart -i "$img" --name golden >/tmp/golden.pid ||
		fail "ckpt restart failed"
	echo "vm-golden: restored as pid $(cat /tmp/golden.pid)"

	# QEMU without KVM is slow: give it time
	wait_count_above 0 60 || fail "the restored golden never wrote $count_file"
	first=$seen
	[ "$first" -ge 5 ] ||
		fail "the count started again from $first: it did not go on from 5 or more"
	wait_count_above "$first" 30 || fail "the count stayed at $(count)"
	second=$seen
	wait_count_above "$second" 30 || fail "the count stayed at $(count)"
	echo "vm-golden: the count went on from $first to $seen"
	stop_container || fail "the container did not stop"

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
	[ "$seen" -ge 5 ] || fail "thawed, it started again from $seen"
	echo "vm-golden: left frozen, it did not run; thawed, it counts on from $seen"
	stop_container || fail "the container did not stop"
	what=
}

# restart_slow_pipe IMG: restart IMG into its cgroup from a pipe that
# pauses in the middle of its page data.  The restored task reads its
# memory itself, born into a frozen cgroup, with the freezer's trap
# pending: its read of an empty pipe must wait for the data, not fail
# with EINTR.
restart_slow_pipe() {
	rm -f "$count_file"
	pages=$(ckpt info --records "$1" | awk '$3 == "pages" { print $1; exit }')
	[ -n "$pages" ] || fail "no page record in $1"
	cut=$((pages + 24))
	echo "vm-golden: ckpt restart -i - --name golden, from a pipe that stops for 2 s at offset $cut"
	{ head -c "$cut" "$1"; sleep 2; tail -c +$((cut + 1)) "$1"; } |
		ckpt restart -i - --name golden >/tmp/golden.pid ||
		fail "ckpt restart from a slow pipe failed"
	wait_count_above 0 60 || fail "restarted from a slow pipe, it never wrote $count_file"
	[ "$seen" -ge 5 ] || fail "restarted from a slow pipe, it started again from $seen"
	echo "vm-golden: restarted from a slow pipe, it counts on from $seen"
	stop_container || fail "the container did not stop"
}

trap 'stop_container >/dev/null 2>&1 || true' EXIT

[ "$(id -u)" = 0 ] || fail "run me as root"
command -v ckpt >/dev/null || fail "ckpt is not on PATH"
for f in golden v1.img v2.img v3.img; do
	[ -f "$files/$f" ] ||
		fail "$files/golden, v1.img, v2.img and v3.img are needed (FILES=tools/ckpt/tests/golden)"
done
if [ -d "$cg" ]; then
	stop_container || fail "cannot stop a golden container of an earlier run"
fi

cp "$files/golden" /golden && chmod 755 /golden || fail "cannot copy $files/golden to /golden"
cd / || fail "cannot go to /"

restart_golden 1
restart_golden 2
restart_golden 3
restart_slow_pipe /tmp/golden-v2-v4.img
echo "vm-golden: ok"
exit 0
