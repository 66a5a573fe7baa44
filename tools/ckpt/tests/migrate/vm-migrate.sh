#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-migrate.sh: move a running container between two network namespaces
# joined by a veth pair, with `ckpt migrate` on one side and `ckpt restart
# --listen` on the other, in the test VM with the real kernel.
#
# It runs in the VM as root (POSIX sh: busybox is all there is), with
# `ckpt` on PATH, cgroup v2 at /sys/fs/cgroup and, in CKPT_FILES (the VM's
# test run, tools/ckpt/vm/guest-selftests.sh) or /host, the static
# programs `make -C tools/ckpt vm-progs` builds: counter (the demo's
# counter, the container) and testhelper (to run a receiver without the
# capabilities restart(2) needs).
#
# Namespace "a" holds 10.77.0.1 and fd77::1, "b" 10.77.0.2 and fd77::2.
# The counter starts in a, moves to b over IPv4, and back over IPv6 with
# lz4: each time it must count on from where it was, as pid 1 of its pid
# namespace, and be gone from where it was.  Then migrations that fail
# must leave it running in a, thawed, counting: nothing listening, a
# receiver that only checks (--dry-run), one without the capabilities, one
# whose container name is taken, one that is not ckpt, and one killed
# while the image is on its way.  Last, an image that comes slowly (in two
# parts, two seconds apart) must restart as well.
#
# Prints a line for each step; exits 0 if all did what they should, else
# 1 at the first that did not, with its reason.  Leaves no container or
# namespace behind.
set -u

files=${CKPT_FILES:-/host}
cgroot=/sys/fs/cgroup/ckpt
count_file=/tmp/migrate.count
tmp=/tmp/vm-migrate
nsa= nsb=

fail() {
	echo "vm-migrate: FAILED: $*" >&2
	for f in "$tmp"/*.err; do
		[ -s "$f" ] && sed "s|^|vm-migrate:   $(basename "$f"): |" "$f" >&2
	done
	exit 1
}

say() {
	echo "vm-migrate: $*"
}

# The count the container last wrote, or 0 while there is none.
count() {
	c=$(cat "$count_file" 2>/dev/null || true)
	case $c in
	'' | *[!0-9]*) echo 0 ;;
	*) echo "$c" ;;
	esac
}

# wait_count_above N SECONDS: until the count is above N; 1 if not within
# SECONDS (QEMU without KVM is slow).
wait_count_above() {
	tries=0
	while [ "$(count)" -le "$1" ]; do
		tries=$((tries + 1))
		[ "$tries" -le $(($2 * 10)) ] || return 1
		sleep 0.1
	done
}

# counts_on N SECONDS: the count goes on from N, not again from 1: every
# count read, every 50 ms, is N or more (0 is none: the file is empty
# while it is rewritten), until it is N + 3 (more than the container can
# have counted before it was frozen).  1 if it drops below N, or does not
# get there within SECONDS.
counts_on() {
	tries=0
	while c=$(count) && [ "$c" -lt $(($1 + 3)) ]; do
		if [ "$c" != 0 ] && [ "$c" -lt "$1" ]; then
			echo "it counted again from $c"
			return 1
		fi
		tries=$((tries + 1))
		[ "$tries" -le $(($2 * 20)) ] || {
			echo "the count stays at $c"
			return 1
		}
		sleep 0.05
	done
}

# Kill the container NAME (its whole cgroup) and remove its cgroup.
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
	stop_container mig-a
	stop_container mig-b
	[ -z "$nsa" ] || kill "$nsa"
	[ -z "$nsb" ] || kill "$nsb"
}
trap 'cleanup >/dev/null 2>&1' EXIT

in_a() { nsenter -t "$nsa" -n "$@"; }
in_b() { nsenter -t "$nsb" -n "$@"; }

# The holder of namespace a or b, for a command run in the background with
# `nsenter -F -t "$(holder b)" -n CMD &`: without a fork (-F) and without a
# shell function (which & would run in a subshell), $! is CMD's own pid,
# which the tests signal.
holder() {
	if [ "$1" = a ]; then echo "$nsa"; else echo "$nsb"; fi
}

# listening NS PORT: something listens on PORT in namespace NS (a or b)
listening() {
	hex=$(printf '%04X' "$2")
	"in_$1" cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		grep -qi "^ *[0-9]*: [0-9A-F]*:$hex [0-9A-F]*:[0-9A-F]* 0A "
}

wait_listening() {
	tries=0
	until listening "$1" "$2"; do
		tries=$((tries + 1))
		[ "$tries" -le 300 ] || return 1
		sleep 0.1
	done
}

# receive NS ADDRESS [ARGS...]: `ckpt restart --listen ADDRESS ARGS` in
# namespace NS, in the background (120 s at most), once it listens; its
# pid is $recv, its output in $tmp/recv.out and recv.err
receive() {
	ns=$1 address=$2
	shift 2
	nsenter -F -t "$(holder "$ns")" -n timeout 120 \
		ckpt restart --listen "$address" "$@" \
		>"$tmp/recv.out" 2>"$tmp/recv.err" </dev/null &
	recv=$!
	wait_listening "$ns" "${address##*:}" ||
		fail "ckpt restart --listen $address does not listen"
}

# received: the receiver's exit status
received() {
	wait "$recv"
}

# The pids of process $1: in the VM's pid namespace, and in its own.
nspid() {
	sed -n 's/^NSpid:[[:space:]]*//p' "/proc/$1/status" | tr -s '\t ' ' '
}

# in_container NAME PID: PID is pid 1 of its pid namespace and alone in
# the cgroup of container NAME, which is thawed
in_container() {
	[ "$(cat "$cgroot/$1/cgroup.procs" 2>/dev/null)" = "$2" ] &&
		grep -q '^frozen 0' "$cgroot/$1/cgroup.events" &&
		[ "$(nspid "$2" | cut -d' ' -f2)" = 1 ]
}

# runs_on NAME PID: after a failed migration, the container NAME still
# runs here, as PID, thawed, and counts on
runs_on() {
	in_container "$1" "$2" ||
		fail "after a failed migration, $1 is not running here as pid $2 ($(cat "$cgroot/$1/cgroup.events" 2>/dev/null | tr '\n' ' '))"
	c=$(count)
	wait_count_above "$c" 30 || fail "$1 does not count on after a failed migration"
}

# expect_failure STATUS PATTERN CMD...: CMD exits with STATUS, and its
# stderr, one line, matches PATTERN
expect_failure() {
	want=$1 pattern=$2
	shift 2
	"$@" >"$tmp/cmd.out" 2>"$tmp/cmd.err"
	status=$?
	[ "$status" = "$want" ] ||
		fail "$*: exit status $status, expected $want"
	[ "$(wc -l <"$tmp/cmd.err")" = 1 ] && grep -qE "$pattern" "$tmp/cmd.err" ||
		fail "$*: the error is not one line matching /$pattern/"
	say "  $(cat "$tmp/cmd.err")"
}

# moved FROM TO OLD_PID C0: the receiver restarted FROM's container as TO,
# which counts on from C0 or more, as pid 1; FROM and OLD_PID are gone.
# Sets $pid to the new pid.
moved() {
	received || fail "the receiver failed"
	pid=$(cat "$tmp/recv.out")
	[ -n "$pid" ] || fail "the receiver printed no pid"
	[ ! -s "$tmp/recv.err" ] || fail "the receiver wrote to stderr"
	[ ! -d "$cgroot/$1" ] || fail "the cgroup of $1 is still there"
	[ ! -d "/proc/$3" ] || grep -q '^State:[[:space:]]*Z' "/proc/$3/status" ||
		fail "$1's init, pid $3, still runs"
	in_container "$2" "$pid" ||
		fail "pid $pid is not pid 1 of its own, alone in $2, thawed"
	why=$(counts_on "$4" 60) || fail "$2 does not count on from $4: $why"
	say "  $1 (pid $3) moved to $2 (pid $pid, 1 inside): it counted on from $4 to $(count)"
}

[ "$(id -u)" = 0 ] || fail "run me as root"
command -v ckpt >/dev/null || fail "ckpt is not on PATH"
[ -x "$files/counter" ] && [ -x "$files/testhelper" ] ||
	fail "$files/counter and $files/testhelper are needed (make -C tools/ckpt vm-progs)"
rm -rf "$tmp" "$count_file"
mkdir -p "$tmp"
for n in mig-a mig-b; do
	stop_container "$n" || fail "cannot stop a container of an earlier run"
done

# ---- Two network namespaces joined by a veth pair ----
# (busybox's ip creates a veth pair, but names the peer itself: veth0,
# in a namespace that has no other)
say "two network namespaces, a and b, joined by a veth pair"
unshare -n sleep 100000 &
nsa=$!
unshare -n sleep 100000 &
nsb=$!
tries=0
until [ "$(readlink /proc/$nsa/ns/net)" != "$(readlink /proc/self/ns/net)" ] &&
      [ "$(readlink /proc/$nsb/ns/net)" != "$(readlink /proc/self/ns/net)" ]; do
	tries=$((tries + 1))
	[ "$tries" -le 100 ] || fail "unshare -n did not make network namespaces"
	sleep 0.1
done
in_a ip link add va type veth || fail "cannot create a veth pair"
peer=$(in_a ip link show | sed -n 's/^[0-9]*: \([^@:]*\)@va:.*/\1/p')
[ -n "$peer" ] || fail "cannot find the other end of the veth pair"
in_a ip link set "$peer" name vb &&
	in_a ip link set vb netns "$nsb" || fail "cannot move the veth's end to b"
setup_ns() {
	ns=$1 dev=$2 n=$3
	# no duplicate address detection: fd77::N is there at once
	"in_$ns" sh -c "echo 0 >/proc/sys/net/ipv6/conf/$dev/accept_dad" &&
		"in_$ns" ip link set lo up &&
		"in_$ns" ip addr add "10.77.0.$n/24" dev "$dev" &&
		"in_$ns" ip -6 addr add "fd77::$n/64" dev "$dev" &&
		"in_$ns" ip link set "$dev" up
}
setup_ns a va 1 && setup_ns b vb 2 || fail "cannot set the veth pair up"
tries=0
until in_a ping -c 1 -W 1 10.77.0.2 >/dev/null 2>&1; do
	tries=$((tries + 1))
	[ "$tries" -le 30 ] || fail "a cannot reach b over the veth pair"
done
say "  a: 10.77.0.1, fd77::1 on va; b: 10.77.0.2, fd77::2 on vb"

# ---- The container, in a ----
say "the counter starts in a, as container mig-a"
in_a ckpt run --name mig-a -- "$files/counter" "$count_file" >"$tmp/run.out" ||
	fail "ckpt run failed"
pid=$(cat "$tmp/run.out")
wait_count_above 2 60 || fail "the counter did not reach 3"
[ "$(nspid "$pid" | cut -d' ' -f2)" = 1 ] || fail "it is not pid 1 inside"
say "  pid $pid (1 inside), counting: $(count)"

# ---- Moved over IPv4, then back over IPv6 with lz4 ----
say "ckpt migrate --name mig-a 10.77.0.2:7001, to ckpt restart --listen 10.77.0.2:7001 --name mig-b"
receive b 10.77.0.2:7001 --name mig-b
c0=$(count)
in_a timeout 120 ckpt migrate --name mig-a 10.77.0.2:7001 >"$tmp/mig.out" 2>"$tmp/mig.err" ||
	fail "ckpt migrate failed"
[ ! -s "$tmp/mig.out" ] && [ ! -s "$tmp/mig.err" ] || fail "ckpt migrate printed something"
moved mig-a mig-b "$pid" "$c0"

say "ckpt migrate -z -v --name mig-b [fd77::1]:7002, to ckpt restart --listen [fd77::1]:7002 --name mig-a"
receive a '[fd77::1]:7002' --name mig-a
c0=$(count)
old=$pid
in_b timeout 120 ckpt migrate -z -v --name mig-b '[fd77::1]:7002' >"$tmp/mig.out" 2>"$tmp/mig.err" ||
	fail "ckpt migrate -z failed"
sed 's/^/vm-migrate:   | /' "$tmp/mig.out"
grep -q "^\[fd77::1\]:7002 restarted it as pid [0-9]*$" "$tmp/mig.out" ||
	fail "ckpt migrate -v did not say where it runs"
moved mig-b mig-a "$old" "$c0"

# ---- Migrations that fail: the container runs on in a ----
say "nothing listens on 10.77.0.2:7003"
expect_failure 12 '^ckpt: cannot connect to 10\.77\.0\.2:7003: Connection refused$' \
	in_a ckpt migrate --name mig-a 10.77.0.2:7003
runs_on mig-a "$pid"

say "the receiver only checks the image (restart --listen --dry-run)"
receive b 10.77.0.2:7004 --dry-run
expect_failure 1 '^ckpt: 10\.77\.0\.2:7004 only checked the image .*: it restarted nothing; the container runs on here$' \
	in_a timeout 120 ckpt migrate --name mig-a 10.77.0.2:7004
received || fail "the receiver's check failed"
[ "$(cat "$tmp/recv.out")" = "image OK" ] || fail "the receiver did not say image OK"
runs_on mig-a "$pid"

say "the receiver lacks CAP_CHECKPOINT_RESTORE and CAP_SYS_ADMIN"
nsenter -F -t "$nsb" -n timeout 120 \
	"$files/testhelper" dropcaps sys_admin,checkpoint_restore \
	ckpt restart --listen 10.77.0.2:7005 --name mig-b \
	>"$tmp/recv.out" 2>"$tmp/recv.err" </dev/null &
recv=$!
wait_listening b 7005 || fail "the receiver without capabilities does not listen"
expect_failure 10 '^ckpt: 10\.77\.0\.2:7005 could not restart it: .*needs CAP_CHECKPOINT_RESTORE \(or CAP_SYS_ADMIN\); the container runs on here$' \
	in_a timeout 120 ckpt migrate --name mig-a 10.77.0.2:7005
received
[ $? = 10 ] || fail "the receiver without capabilities did not exit with 10"
[ ! -d "$cgroot/mig-b" ] || fail "the receiver left the cgroup of mig-b"
runs_on mig-a "$pid"

say "the receiver's container name is taken (mig-a runs here)"
receive b 10.77.0.2:7006 --name mig-a
expect_failure 1 "^ckpt: 10\\.77\\.0\\.2:7006 could not restart it: a container named 'mig-a' already runs; the container runs on here\$" \
	in_a timeout 120 ckpt migrate --name mig-a 10.77.0.2:7006
received
[ $? = 1 ] || fail "the receiver did not exit with 1"
runs_on mig-a "$pid"

say "the receiver is not ckpt (nc -l): no answer"
nsenter -F -t "$nsb" -n timeout 120 nc -l -p 7007 >/dev/null 2>&1 </dev/null &
recv=$!
wait_listening b 7007 || fail "nc -l does not listen"
expect_failure 12 "^ckpt: 10\\.77\\.0\\.2:7007: it closed the connection without an answer \\(is it 'ckpt restart --listen'\\?\\); the container runs on here\$" \
	in_a timeout 120 ckpt migrate --name mig-a 10.77.0.2:7007
kill "$recv" 2>/dev/null
wait "$recv"
runs_on mig-a "$pid"

# Stopped before it accepts, the receiver reads nothing: the image waits
# in the connection (or the sender waits for the answer); killed, its
# kernel resets the connection.
say "the receiver is killed while the image is on its way"
receive b 10.77.0.2:7008 --name mig-b
[ "$(cat "/proc/$recv/comm")" = ckpt ] || fail "pid $recv is not the receiver"
kill -STOP "$recv"
nsenter -F -t "$nsa" -n timeout 120 ckpt migrate --name mig-a 10.77.0.2:7008 \
	>"$tmp/cmd.out" 2>"$tmp/cmd.err" &
sender=$!
tries=0
until grep -q '^frozen 1' "$cgroot/mig-a/cgroup.events"; do
	tries=$((tries + 1))
	[ "$tries" -le 300 ] || fail "the container was never frozen for the migration"
	sleep 0.1
done
sleep 1
kill -KILL "$recv"
wait "$sender"
status=$?
[ "$status" = 12 ] || fail "ckpt migrate to a killed receiver: exit status $status, expected 12"
grep -qE '^ckpt: (the connection to 10\.77\.0\.2:7008 was lost while sending the image|10\.77\.0\.2:7008: (it closed the connection without an answer|the connection was lost)).*; the container runs on here$' "$tmp/cmd.err" ||
	fail "ckpt migrate to a killed receiver: $(cat "$tmp/cmd.err")"
say "  $(cat "$tmp/cmd.err")"
wait "$recv" 2>/dev/null
[ ! -d "$cgroot/mig-b" ] || [ "$(cat "$cgroot/mig-b/cgroup.procs")" = "" ] ||
	fail "the killed receiver left a container behind"
runs_on mig-a "$pid"

# A slow network: the image comes in two parts, two seconds apart, so that
# restart(2) waits for the rest in the middle of the image (with --name,
# in the container's cgroup, which is frozen until the restart is done).
say "an image that comes slowly, to ckpt restart --listen --name"
c0=$(count)
old=$pid
ckpt checkpoint --kill --name mig-a -o "$tmp/slow.img" ||
	fail "ckpt checkpoint --kill of mig-a failed"
receive b 10.77.0.2:7009 --name mig-b
{ head -c 20000 "$tmp/slow.img"; sleep 2; tail -c +20001 "$tmp/slow.img"; } |
	in_a timeout 120 nc 10.77.0.2 7009 >"$tmp/answer" 2>&1
grep -q '^ckpt-restart 1 0 [1-9][0-9]* restarted$' "$tmp/answer" ||
	fail "restart --listen --name of an image that comes slowly: $(cat "$tmp/answer")"
moved mig-a mig-b "$old" "$c0"

stop_container mig-a || fail "the container did not stop"
stop_container mig-b
say "ok"
exit 0
