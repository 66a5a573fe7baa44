#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: checkpoint a running container with ckpt, one step at a time.
#
# It runs in the test VM, as root, with `ckpt` on PATH, cgroup v2 at
# /sys/fs/cgroup and the static counter program at /host/counter (POSIX sh:
# busybox is all the VM has).  `make demo` builds the counter and runs it.
# Each step says what it does and shows what came of it.  The demo exits 0
# if every step did what it should, and otherwise stops at the first step
# that did not, says which, and exits 1.  It leaves no container behind.
set -eu
set -o pipefail

cg=/sys/fs/cgroup/ckpt/demo
count_file=/tmp/demo.count
pid_file=/tmp/demo.pid
img=/tmp/demo.img.lz4
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

# The pids of process $1, in the host's and in its own pid namespace.
nspid() {
	sed -n 's/^NSpid:[[:space:]]*//p' "/proc/$1/status" | tr -s '\t ' ' '
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
say "\$ ckpt run --name demo -- counter $count_file"
say "(counter, tools/ckpt/demo/counter.c, writes its count there each second)"
# The container keeps ckpt's stdout, so the pid goes to a file: $(ckpt run)
# would wait for the container to close its stdout, which is never.
ckpt run --name demo -- /host/counter "$count_file" >"$pid_file" ||
	fail "ckpt run failed"
pid=$(cat "$pid_file")
say "ckpt run printed the pid of the container's init: $pid"
say "its pids, here and in its own pid namespace: $(nspid "$pid")"
say "its cgroup, which holds the container and nothing else: $cg"

step "let it count"
wait_count 3 60 || fail "the counter did not reach 3 within 60 s"
say "the counter in $count_file: $(count)"

step "checkpoint it through a compressed pipe, and kill it"
say "ckpt freezes the container's cgroup, has checkpoint(2) write the image,"
say "compresses it with lz4 (-z) into the pipe, and kills the container"
say "once the image is complete (--kill); -v tells each step."
say "\$ ckpt checkpoint -v -z --kill --name demo -o - | cat > $img"
ckpt checkpoint -v -z --kill --name demo -o - | cat >"$img" ||
	fail "ckpt checkpoint failed"
[ -s "$img" ] || fail "the image is empty"
sleep 1
[ ! -d "/proc/$pid" ] || grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" ||
	fail "its init, pid $pid, is still running"
at_kill=$(count)
say "the image: $img, $(wc -c <"$img") bytes of lz4"
say "the container is gone; its counter stopped at $at_kill"

step "see what the image holds"
say "\$ ckpt info $img"
ckpt info "$img" | sed -n '1,/^files:/p' | sed 's/^/   /' ||
	fail "ckpt info found the image invalid"

step "restart it from the compressed image"
say "\$ ckpt restart --name demo -i - < $img"
new=$(ckpt restart --name demo -i - <"$img") || fail "ckpt restart failed"
say "ckpt restart printed the pid of the restored init: $new"
say "its pids, here and in its own pid namespace: $(nspid "$new")"
[ "$(nspid "$new" | cut -d' ' -f2)" = 1 ] ||
	fail "the restored init is not pid 1 of its pid namespace"

step "it counts on from where it was"
wait_count $((at_kill + 2)) 30 ||
	fail "the counter stayed at $(count): the restored container does not run"
now=$(count)
say "the counter went on from $at_kill to $now, not from 1: the same"
say "process, with the same memory, in the same pid"

step "stop the container"
say "\$ echo 1 > $cg/cgroup.kill; rmdir $cg"
stop_container || fail "the container did not stop"
say "the container is gone; the image stays in $img"

echo
echo "demo: every step passed"
