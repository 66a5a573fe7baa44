#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: checkpoint a running container with ckpt, one step at a time.
#
# It runs in the test VM, as root, with `ckpt` on PATH and cgroup v2 at
# /sys/fs/cgroup (POSIX sh: busybox is all the VM has):
#
#   make vm RUN=tools/ckpt/demo/demo.sh
#
# or, in `make shell`, copy it over with FILES= and run `sh demo.sh`.
# Each step says what it does and shows what came of it.  The demo exits 0
# if every step did what it should, and otherwise stops at the first step
# that did not, says which, and exits 1.  It leaves no container behind.
set -eu
set -o pipefail

cg=/sys/fs/cgroup/ckpt/demo
count_file=/tmp/demo.count
pid_file=/tmp/demo.pid
img=/tmp/demo.img
step_no=0

step() {
	step_no=$((step_no + 1))
	echo
	echo "== Step $step_no: $*"
}

say() {
	echo "   $*"
}

fail() {
	echo "demo: step $step_no FAILED: $*" >&2
	exit 1
}

# The counter the container writes, or 0 while there is none (or it is
# being rewritten just now).
count() {
	c=$(cat "$count_file" 2>/dev/null || true)
	case $c in
	'' | *[!0-9]*) echo 0 ;;
	*) echo "$c" ;;
	esac
}

# wait_count N SECONDS: wait until the counter reaches N; 1 if it does not
# within SECONDS.
wait_count() {
	tries=0
	while [ "$(count)" -lt "$1" ]; do
		tries=$((tries + 1))
		[ "$tries" -le $(($2 * 10)) ] || return 1
		sleep 0.1
	done
}

# Kill every process of the container at once (cgroup.kill), wait until its
# cgroup is empty, and remove the cgroup.
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

# Whatever happens, no container is left running.
trap 'stop_container >/dev/null 2>&1 || true' EXIT

step "check what the demo needs"
[ "$(id -u)" = 0 ] || fail "run me as root"
command -v ckpt >/dev/null || fail "ckpt is not on PATH"
[ -f /sys/fs/cgroup/cgroup.procs ] ||
	fail "cgroup v2 is not mounted at /sys/fs/cgroup"
if [ -d "$cg" ]; then
	say "a demo container from an earlier run is there: stopping it"
	stop_container || fail "cannot stop the earlier demo container"
fi
rm -f "$count_file" "$pid_file" "$img"
say "root, ckpt at $(command -v ckpt), cgroup v2 at /sys/fs/cgroup: ready"

step "start a container that counts seconds"
say "\$ ckpt run --name demo -- sh -c 'n=0; while :; do ...; done'"
# The container keeps ckpt's stdout, so the pid goes to a file: $(ckpt run)
# would wait for the container to close its stdout, which is never.
ckpt run --name demo -- sh -c \
	'n=0; while :; do n=$((n+1)); echo $n > /tmp/demo.count; sleep 1; done' \
	>"$pid_file" || fail "ckpt run failed"
pid=$(cat "$pid_file")
nspid=$(sed -n 's/^NSpid:[[:space:]]*//p' "/proc/$pid/status" | tr -s '\t ' ' ')
say "ckpt run printed the pid of the container's init: $pid"
say "its pids, here and in its own pid namespace: $nspid"
say "its cgroup, which holds the container and nothing else: $cg"
say "processes in it: $(tr '\n' ' ' <"$cg/cgroup.procs")"

step "let it count"
wait_count 3 60 || fail "the counter did not reach 3 within 60 s"
say "the counter in $count_file: $(count)"

step "checkpoint it, the image through a pipe"
say "ckpt freezes the container's cgroup, has checkpoint(2) write the image,"
say "and thaws the container (--leave-running); -v tells each step."
say "\$ ckpt checkpoint -v --leave-running --name demo -o - | cat > $img"
ckpt checkpoint -v --leave-running --name demo -o - | cat >"$img" ||
	fail "ckpt checkpoint failed"
[ -s "$img" ] || fail "the image is empty"
say "the image: $img, $(wc -c <"$img") bytes"
say "the container's cgroup now: $(grep frozen "$cg/cgroup.events")"

step "read the image in userspace"
say "\$ ckpt info $img"
ckpt info "$img" | sed 's/^/   /' || fail "ckpt info found the image invalid"

step "have the kernel check the whole image"
say "\$ ckpt restart --dry-run -i $img"
out=$(ckpt restart --dry-run -i "$img") || fail "the kernel refused the image"
say "$out"
say "the kernel checked the whole image, header, every record, the tail's"
say "counts and CRC-32C, the way a restart reads it; it restored nothing"

step "the container carried on after the checkpoint"
before=$(count)
wait_count $((before + 2)) 30 ||
	fail "the counter stayed at $(count): the container did not run on"
say "the counter went from $before to $(count): it is running"

step "restore it: the next step of the project"
say "restart(2) does not restore tasks yet: without --dry-run it checks"
say "the image, then says so.  Its answer:"
say "\$ ckpt restart -i $img"
set +e
out=$(ckpt restart -i "$img" 2>&1)
status=$?
set -e
echo "$out" | sed 's/^/   /'
say "exit status $status"
case $status in
11)	echo "$out" | grep -q 'not supported' ||
		fail "exit status 11, but not for the expected reason"
	say "as expected: the image is valid, and restoring its tasks is what"
	say "the kernel does next" ;;
0)	fail "restart succeeded: this kernel restores tasks, so this demo needs a new step here" ;;
*)	fail "exit status $status, expected 11 (not supported)" ;;
esac

step "stop the container"
say "every process of its cgroup at once, then the cgroup itself"
say "(ckpt checkpoint --kill does the same once the image is complete):"
say "\$ echo 1 > $cg/cgroup.kill; rmdir $cg"
stop_container || fail "the container did not stop"
[ ! -d "/proc/$pid" ] || grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" ||
	fail "its init, pid $pid, is still running"
say "the container is gone; the image stays in $img"

echo
echo "demo: every step passed"
