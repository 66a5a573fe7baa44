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
tree_cg=/sys/fs/cgroup/ckpt/pipeline
tree_out=/tmp/pipeline.out
tree_img=/tmp/pipeline.img
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
# cgroup ($1, or the counter's) is empty, and remove the cgroup.
stop_container() {
	c=${1:-$cg}
	[ -d "$c" ] || return 0
	echo 1 >"$c/cgroup.kill"
	tries=0
	while grep -q '^populated 1' "$c/cgroup.events"; do
		tries=$((tries + 1))
		[ "$tries" -le 100 ] || return 1
		sleep 0.1
	done
	rmdir "$c"
}

# The pid of process $1 in its own pid namespace, or nothing if that is not
# one inside a container (the host's).
inner_pid() {
	nspid "$1" 2>/dev/null | awk '{ print $2 }'
}

# The shells of the container in cgroup $1 (not the short-lived sleeps), one
# line each: its pid in the container, its parent's and its process
# group's there ("-": outside the container), and its command line.
tree_of() {
	for p in $(cat "$1/cgroup.procs"); do
		cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
		case $cmd in /bin/sh*) ;; *) continue ;; esac
		pp=$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$p/status" 2>/dev/null)
		pg=$(cut -d' ' -f5 "/proc/$p/stat" 2>/dev/null)
		ns=$(inner_pid "$p")
		pp=$(inner_pid "$pp")
		pg=$(inner_pid "$pg")
		printf 'pid %s  parent %s  group %s  %s\n' "${ns:--}" "${pp:--}" \
			"${pg:--}" "$(echo "$cmd" | cut -c1-40)"
	done | sort -n -k2
}

# The last line the pipeline wrote, as a number (0 while there is none).
last_tick() {
	t=$(tail -n 1 "$tree_out" 2>/dev/null | sed -n 's/^tick //p')
	case $t in
	'' | *[!0-9]*) echo 0 ;;
	*) echo "$t" ;;
	esac
}

wait_tick() {
	tries=0
	while [ "$(last_tick)" -lt "$1" ]; do
		tries=$((tries + 1))
		[ "$tries" -le $(($2 * 10)) ] || return 1
		sleep 0.1
	done
}

# Whatever happens, no container is left running.
trap 'stop_container >/dev/null 2>&1 || true; stop_container "$tree_cg" >/dev/null 2>&1 || true' EXIT

step "check what the demo needs"
[ "$(id -u)" = 0 ] || fail "run me as root"
command -v ckpt >/dev/null || fail "ckpt is not on PATH"
[ -f /sys/fs/cgroup/cgroup.procs ] ||
	fail "cgroup v2 is not mounted at /sys/fs/cgroup"
for c in "$cg" "$tree_cg"; do
	if [ -d "$c" ]; then
		say "a demo container from an earlier run is there: stopping it"
		stop_container "$c" || fail "cannot stop the earlier demo container"
	fi
done
rm -f "$count_file" "$pid_file" "$img" "$tree_out" "$tree_img"
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

step "a whole container: a shell pipeline, whose output goes to a reader outside"
script='i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 1; done | while read l; do echo "$l"; done'
say "\$ ckpt run --name pipeline -- sh -c '$script' | (reader) >> $tree_out"
say "(three processes: the shell, its loop and its reader; the container's"
say "stdout is a pipe to a reader that is not in the container)"
( ckpt run --name pipeline -- /bin/sh -c "$script" </dev/null 2>/dev/null |
	while read -r l; do echo "$l" >>"$tree_out"; done ) &
wait_tick 3 60 || fail "the pipeline wrote nothing within 60 s"
tree_of "$tree_cg" | sed 's/^/   /'
[ "$(tree_of "$tree_cg" | wc -l)" -ge 3 ] || fail "the container is not a tree"
tree_of "$tree_cg" >/tmp/pipeline.before

step "a pipe to the outside is refused, unless it is declared external"
say "\$ ckpt checkpoint --name pipeline -o $tree_img"
if ckpt checkpoint --name pipeline -o "$tree_img" 2>/tmp/pipeline.err; then
	fail "a pipe to a reader outside the container was not refused"
fi
sed 's/^/   /' /tmp/pipeline.err
say "the container was thawed and runs on: $(tail -n 1 "$tree_out")"
say "\$ ckpt checkpoint --external --kill --name pipeline -o $tree_img"
ckpt checkpoint --external --kill --name pipeline -o "$tree_img" ||
	fail "ckpt checkpoint --external failed"
at_kill=$(last_tick)
say "saved and killed at tick $at_kill; ckpt info:"
ckpt info "$tree_img" | sed -n '/^tasks:/,/^address spaces:/p' | sed '$d' |
	sed 's/^/   /' ||
	fail "ckpt info found the image invalid"

step "restart it: the same tree, its stdout now the restarter's"
say "\$ ckpt restart --name pipeline -i $tree_img | (reader) >> $tree_out"
( ckpt restart --name pipeline -i "$tree_img" 2>/tmp/pipeline.err | {
	read -r p && echo "$p" >/tmp/pipeline.pid
	while read -r l; do echo "$l" >>"$tree_out"; done; } ) &
wait_tick $((at_kill + 2)) 30 ||
	fail "the pipeline stayed at tick $(last_tick): $(cat /tmp/pipeline.err)"
tree_of "$tree_cg" | sed 's/^/   /'
tree_of "$tree_cg" | awk '{ print $1, $2, $3, $4, $5, $6 }' >/tmp/pipeline.after
awk '{ print $1, $2, $3, $4, $5, $6 }' /tmp/pipeline.before |
	cmp -s - /tmp/pipeline.after ||
	fail "the restored tree has other pids, parents or groups"
say "the same pids, parents and process groups in the new pid namespace;"
say "it went on from tick $at_kill to $(last_tick), into the new reader"

step "stop it"
stop_container "$tree_cg" || fail "the pipeline did not stop"
say "the container is gone"

echo
echo "demo: every step passed"
