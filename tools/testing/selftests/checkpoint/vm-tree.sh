#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-tree.sh: containers of several processes through `ckpt checkpoint
# --kill` and `ckpt restart`, in the test VM with the real kernel (format
# version 4: whole trees).
#
# It runs in the VM as root (POSIX sh: busybox is all there is), with
# `ckpt` on PATH and cgroup v2 at /sys/fs/cgroup:
#
#   make vm RUN=tools/testing/selftests/checkpoint/vm-tree.sh
#
# (and in the VM's test run, from vmtests/, as the tool's vm-*.sh tests).
#
# 1. A pipeline: a shell (the container's init) runs a loop that counts,
#    into a pipe, and a loop that reads the pipe and writes each count
#    to a file.  Checkpointed to a file and killed, it is restarted: the
#    three shells come back with their pids (in the container's pid
#    namespace), and the count goes on from where it was, through the
#    pipe.  Then again through a pipe (`ckpt checkpoint --kill -o - |
#    ckpt restart -i -`), under another name.
# 2. A shell with two background jobs that count, each into its file,
#    waiting for each with `wait PID`: restarted, both count on, and when
#    they are told to stop (a file), they exit with status 3 and the
#    shell's waits return it: the restored shell reaps its restored
#    children.
#
# Prints a line for each step; exits 0 if all did what they should, else
# 1 at the first that did not, with its reason.  Leaves no container.
set -u

cgroot=/sys/fs/cgroup/ckpt
tmp=/tmp/vm-tree
names="pipeline pipeline2 jobs"

fail() {
	echo "vm-tree: FAILED: $*" >&2
	for f in "$tmp"/*.err; do
		[ -s "$f" ] && sed "s|^|vm-tree:   $(basename "$f"): |" "$f" >&2
	done
	exit 1
}

say() {
	echo "vm-tree: $*"
}

# count FILE: the number it holds, or 0 while there is none (or it is
# being rewritten just now).
count() {
	c=$(cat "$1" 2>/dev/null || true)
	case $c in
	'' | *[!0-9]*) echo 0 ;;
	*) echo "$c" ;;
	esac
}

# wait_above FILE N SECONDS: until FILE counts above N (the count seen is
# left in $seen); 1 if not within SECONDS (QEMU without KVM is slow).
wait_above() {
	tries=0
	while :; do
		seen=$(count "$1")
		[ "$seen" -le "$2" ] || return 0
		tries=$((tries + 1))
		[ "$tries" -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}

# counts_on FILE N SECONDS: the count goes on from N, not again from 1:
# every count read (0 is none) is N or more, until it is N + 5.
counts_on() {
	tries=0
	while c=$(count "$1") && [ "$c" -lt $(($2 + 5)) ]; do
		if [ "$c" != 0 ] && [ "$c" -lt "$2" ]; then
			echo "it counted again from $c, not from $2"
			return 1
		fi
		tries=$((tries + 1))
		if [ "$tries" -gt $(($3 * 20)) ]; then
			echo "the count stayed at $c (from $2)"
			return 1
		fi
		sleep 0.05
	done
	return 0
}

# shells NAME: the pids (in the container's pid namespace) of the shells
# of container NAME, sorted, on one line.
shells() {
	for p in $(cat "$cgroot/$1/cgroup.procs" 2>/dev/null); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = sh ] || continue
		awk '/^NSpid:/ { print $NF }' "/proc/$p/status"
	done | sort -n | tr '\n' ' '
}

# stop_container NAME: kill it all (cgroup.kill), wait until its cgroup
# is empty, and remove it.
stop_container() {
	cg=$cgroot/$1
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

cleanup() {
	for n in $names; do
		stop_container "$n" >/dev/null 2>&1 || true
	done
	rm -rf "$tmp"
}

trap cleanup EXIT

[ "$(id -u)" = 0 ] || fail "run me as root"
command -v ckpt >/dev/null || fail "ckpt is not on PATH"
for n in $names; do
	stop_container "$n" || fail "cannot stop a container $n of an earlier run"
done
rm -rf "$tmp"
mkdir -p "$tmp" || fail "cannot make $tmp"
cd / || fail "cannot go to /"

# ---------------------------------------------------------------------
# 1. A pipeline

pcount=$tmp/pipeline.count
say "ckpt run --name pipeline -- /bin/sh -c 'counting | writing'"
ckpt run --name pipeline -- /bin/sh -c \
	'exec </dev/null >/dev/null 2>&1
	 i=0
	 while :; do i=$((i + 1)); echo $i; sleep 0.1; done |
	 while read x; do echo $x >'"$pcount"'; done' \
	>"$tmp/pipeline.pid" 2>"$tmp/run.err" </dev/null || fail "ckpt run failed"
wait_above "$pcount" 5 60 || fail "the pipeline never counted to 5"
before=$(shells pipeline)
[ "$(echo "$before" | wc -w)" -ge 3 ] ||
	fail "the pipeline has the shells '$before', not three"
say "it counts ($seen), its shells are, in its pid namespace: $before"

say "ckpt checkpoint --kill --name pipeline -o $tmp/pipeline.img"
ckpt checkpoint --kill --name pipeline -o "$tmp/pipeline.img" \
	2>"$tmp/checkpoint.err" || fail "ckpt checkpoint --kill failed"
[ ! -d "$cgroot/pipeline" ] || fail "the pipeline's cgroup is still there"
last=$(count "$pcount")
sleep 1
[ "$(count "$pcount")" = "$last" ] || fail "killed, it still counts"
ckpt info "$tmp/pipeline.img" >"$tmp/info.out" 2>"$tmp/info.err" ||
	fail "ckpt info finds the image invalid"

say "ckpt restart -i $tmp/pipeline.img --name pipeline"
ckpt restart -i "$tmp/pipeline.img" --name pipeline >"$tmp/restart.pid" \
	2>"$tmp/restart.err" || fail "ckpt restart failed"
why=$(counts_on "$pcount" "$last" 60) || fail "restarted: $why"
after=$(shells pipeline)
[ "$after" = "$before" ] ||
	fail "restarted, its shells are '$after', not '$before'"
say "restarted, the same shells count on from $last to $(count "$pcount")"

last=$(count "$pcount")
say "ckpt checkpoint --kill --name pipeline -o - | ckpt restart -i - --name pipeline2"
ckpt checkpoint --kill --name pipeline -o - 2>"$tmp/checkpoint2.err" |
	ckpt restart -i - --name pipeline2 >"$tmp/restart2.pid" \
	2>"$tmp/restart2.err" || fail "through a pipe: ckpt restart failed"
[ ! -d "$cgroot/pipeline" ] || fail "the first pipeline's cgroup is still there"
why=$(counts_on "$pcount" "$last" 60) || fail "through a pipe: $why"
after=$(shells pipeline2)
[ "$after" = "$before" ] ||
	fail "through a pipe, its shells are '$after', not '$before'"
say "through a pipe, the same shells count on from $last to $(count "$pcount")"
stop_container pipeline2 || fail "the pipeline did not stop"

# ---------------------------------------------------------------------
# 2. A shell with background jobs

say "ckpt run --name jobs -- /bin/sh -c 'job a & job b & wait a; wait b'"
ckpt run --name jobs -- /bin/sh -c \
	'exec </dev/null >/dev/null 2>&1
	 cd '"$tmp"'
	 job() {
		i=0
		while [ ! -e jobs.stop ]; do
			i=$((i + 1)); echo $i >jobs.$1; sleep 0.2
		done
		exit 3
	 }
	 job a & a=$!
	 job b & b=$!
	 wait $a; sa=$?
	 wait $b; sb=$?
	 echo "$sa $sb" >jobs.done
	 while :; do sleep 1; done' \
	>"$tmp/jobs.pid" 2>"$tmp/run.err" </dev/null || fail "ckpt run failed"
wait_above "$tmp/jobs.a" 3 60 || fail "job a never counted to 3"
wait_above "$tmp/jobs.b" 3 60 || fail "job b never counted to 3"
before=$(shells jobs)
[ "$(echo "$before" | wc -w)" -ge 3 ] ||
	fail "the shell and its jobs are '$before', not three shells"

say "ckpt checkpoint --kill --name jobs -o $tmp/jobs.img"
ckpt checkpoint --kill --name jobs -o "$tmp/jobs.img" \
	2>"$tmp/checkpoint.err" || fail "ckpt checkpoint --kill failed"
la=$(count "$tmp/jobs.a")
lb=$(count "$tmp/jobs.b")
say "ckpt restart -i $tmp/jobs.img --name jobs"
ckpt restart -i "$tmp/jobs.img" --name jobs >"$tmp/restart.pid" \
	2>"$tmp/restart.err" || fail "ckpt restart failed"
why=$(counts_on "$tmp/jobs.a" "$la" 60) || fail "job a: $why"
why=$(counts_on "$tmp/jobs.b" "$lb" 60) || fail "job b: $why"
after=$(shells jobs)
[ "$after" = "$before" ] ||
	fail "restarted, the shells are '$after', not '$before'"
say "restarted, both jobs count on ($la and $lb, then more)"

: >"$tmp/jobs.stop"
tries=0
while [ ! -s "$tmp/jobs.done" ]; do
	tries=$((tries + 1))
	[ "$tries" -le 300 ] || fail "the shell's waits never returned"
	sleep 0.1
done
[ "$(cat "$tmp/jobs.done")" = "3 3" ] ||
	fail "the shell's waits returned '$(cat "$tmp/jobs.done")', not '3 3'"
say "told to stop, the jobs exited with 3, which the restored shell's waits returned"
stop_container jobs || fail "the jobs container did not stop"

say "ok"
exit 0
