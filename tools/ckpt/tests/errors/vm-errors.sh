#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-errors.sh: every subcommand's error messages and exit statuses, in the
# test VM with the real kernel: no such container (8), not frozen (9),
# permission denied naming the missing capability (10), the kernel's own
# reason from the logfd (11, and 9 for a traced task), not a ckpt image
# (3), a truncated (4) or corrupt (5) image, the wrong architecture (6),
# an unsupported format version (7), the network (12), and usage (2).
#
# It runs in the VM as root (POSIX sh: busybox is all there is), with
# `ckpt` on PATH, cgroup v2 at /sys/fs/cgroup and, in CKPT_FILES (the VM's
# test run, tools/ckpt/vm/guest-selftests.sh) or /host, the static
# programs `make -C tools/ckpt vm-progs` builds: counter (the demo's
# counter, the container) and testhelper (to drop capabilities, and to
# trace a task).  The images are a real one, of the counter, and copies of
# it damaged one way each.
#
# Each check prints "ok N - what" (with the error it got) or "not ok N -
# what: why"; the script exits 0 if all passed, else 1.  It leaves no
# container behind.
set -u

files=${CKPT_FILES:-/host}
cgroot=/sys/fs/cgroup/ckpt
tmp=/tmp/vm-errors
n=0
failed=0
tracer= listener= rootpid=

say() {
	echo "vm-errors: $*"
}

fail() {
	echo "vm-errors: FAILED: $*" >&2
	exit 1
}

# judge DESC WANT PATTERN STATUS: a command that exited with STATUS, with
# its stdout in $tmp/out and its stderr in $tmp/err, did as it should:
# exit status WANT; on success, nothing on stderr; on an error, stderr
# starts with "ckpt: ", in one line but for a usage error; and PATTERN (an
# extended regexp), unless empty, matches a line of its output.
judge() {
	desc=$1 want=$2 pattern=$3 status=$4 why=
	n=$((n + 1))
	if [ "$status" != "$want" ]; then
		why="exit status $status, expected $want"
	elif [ "$want" = 0 ] && [ -s "$tmp/err" ]; then
		why="stderr is not empty"
	elif [ "$want" != 0 ] && ! head -n 1 "$tmp/err" | grep -q '^ckpt: '; then
		why="stderr does not start with 'ckpt: '"
	elif [ "$want" != 0 ] && [ "$want" != 2 ] &&
	     [ "$(wc -l <"$tmp/err")" != 1 ]; then
		why="the error is not one line"
	elif [ -n "$pattern" ] &&
	     ! cat "$tmp/out" "$tmp/err" | grep -qE -- "$pattern"; then
		why="no output line matches /$pattern/"
	fi
	if [ -z "$why" ]; then
		echo "ok $n - $desc"
		[ "$want" = 0 ] || echo "#   $(head -n 1 "$tmp/err")"
	else
		echo "not ok $n - $desc: $why"
		sed 's/^/#   stdout: /' "$tmp/out"
		sed 's/^/#   stderr: /' "$tmp/err"
		failed=$((failed + 1))
	fi
}

# expect DESC STATUS PATTERN CMD...: run CMD, and judge it
expect() {
	desc=$1 want=$2 pattern=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	judge "$desc" "$want" "$pattern" $?
}

# holds DESC CMD...: CMD succeeds (a check of the state things are in)
holds() {
	desc=$1
	shift
	: >"$tmp/out"
	: >"$tmp/err"
	if "$@" >"$tmp/out" 2>&1; then
		judge "$desc" 0 '' 0
	else
		judge "$desc" 0 '' 1
	fi
}

# skipped DESC WHY
skipped() {
	n=$((n + 1))
	echo "ok $n - $desc # SKIP $2"
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
	[ -z "$tracer" ] || kill "$tracer"
	[ -z "$listener" ] || kill "$listener"
	[ -z "$rootpid" ] || kill "$rootpid"
	for c in err-c err-t err-s err-d err-x err-p; do
		stop_container "$c"
	done
}
trap 'cleanup >/dev/null 2>&1' EXIT

# runs NAME: container NAME is populated and thawed
runs() {
	grep -q '^populated 1' "$cgroot/$1/cgroup.events" &&
		grep -q '^frozen 0' "$cgroot/$1/cgroup.events"
}

# A u32 of FILE at OFFSET, little-endian, and FILE with one there instead.
get_u32() {
	od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '
}
put_u32() {
	v=$3
	printf "\\$(printf %03o $((v & 255)))\\$(printf %03o $((v >> 8 & 255)))\\$(printf %03o $((v >> 16 & 255)))\\$(printf %03o $((v >> 24 & 255)))" |
		dd of="$1" bs=1 seek="$2" count=4 conv=notrunc 2>/dev/null
}

# flip_byte FILE OFFSET: invert the byte at OFFSET, in place
flip_byte() {
	b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
	printf "\\$(printf %03o $((b ^ 255)))" |
		dd of="$1" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}

# listening PORT: something listens on PORT
listening() {
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		grep -qi "^ *[0-9]*: [0-9A-F]*:$hex [0-9A-F]*:[0-9A-F]* 0A "
}

wait_listening() {
	tries=0
	until listening "$1"; do
		tries=$((tries + 1))
		[ "$tries" -le 300 ] || return 1
		sleep 0.1
	done
}

# over_tcp DESC STATUS PATTERN FILE [WRAPPER...] -- ARGS...: a receiver,
# `[WRAPPER] ckpt restart --listen 127.0.0.1:7300 ARGS`, gets FILE from
# nc, which shows its answer; judge the receiver (its output, and the
# answer, in $tmp/out)
over_tcp() {
	desc=$1 want=$2 pattern=$3 file=$4
	shift 4
	wrapper=
	while [ "$1" != -- ]; do
		wrapper="$wrapper $1"
		shift
	done
	shift
	timeout 120 $wrapper ckpt restart --listen 127.0.0.1:7300 "$@" \
		>"$tmp/recv.out" 2>"$tmp/err" </dev/null &
	listener=$!
	if ! wait_listening 7300; then
		kill "$listener"
		listener=
		: >"$tmp/out"
		judge "$desc" "$want" "$pattern" listen-failed
		return
	fi
	timeout 120 nc 127.0.0.1 7300 <"$file" >"$tmp/answer" 2>&1
	wait "$listener"
	status=$?
	listener=
	cat "$tmp/recv.out" "$tmp/answer" >"$tmp/out"
	judge "$desc" "$want" "$pattern" "$status"
}

[ "$(id -u)" = 0 ] || fail "run me as root"
command -v ckpt >/dev/null || fail "ckpt is not on PATH"
[ -x "$files/counter" ] && [ -x "$files/testhelper" ] ||
	fail "$files/counter and $files/testhelper are needed (make -C tools/ckpt vm-progs)"
rm -rf "$tmp"
mkdir -p "$tmp"
for c in err-c err-t err-s err-d err-x err-p; do
	stop_container "$c" || fail "cannot stop a container of an earlier run"
done
nocaps="$files/testhelper dropcaps sys_admin,checkpoint_restore"

# ---- The containers, and an image ----
say "containers: err-c and err-t count, err-s holds a listening socket"
ckpt run --name err-c -- "$files/counter" /tmp/err-c.count >"$tmp/c.pid" ||
	fail "ckpt run failed"
ckpt run --name err-t -- "$files/counter" /tmp/err-t.count >"$tmp/t.pid" ||
	fail "ckpt run failed"
# its fds 0 to 2 are files, which checkpoint takes: the socket is the problem
ckpt run --name err-s -- nc -l -p 7399 >"$tmp/s.pid" 2>/dev/null </dev/null ||
	fail "ckpt run of nc -l failed"
tries=0
until [ -s /tmp/err-c.count ] && [ -s /tmp/err-t.count ] && listening 7399; do
	tries=$((tries + 1))
	[ "$tries" -le 600 ] || fail "the containers did not start"
	sleep 0.1
done
: >"$tmp/tracer.out"
"$files/testhelper" trace "$(cat "$tmp/t.pid")" >"$tmp/tracer.out" 2>&1 &
tracer=$!
tries=0
until grep -q '^tracing' "$tmp/tracer.out"; do
	tries=$((tries + 1))
	[ "$tries" -le 300 ] || fail "testhelper cannot trace err-t: $(cat "$tmp/tracer.out")"
	sleep 0.1
done

img=$tmp/c.img
ckpt checkpoint --name err-c -o "$img" || fail "ckpt checkpoint of err-c failed"
version=$(get_u32 "$img" 16)
say "the image of err-c: $(wc -c <"$img") bytes, format version $version"
# longer than a header, so that its magic is what is wrong with it
yes "not an image" | head -c 4096 >"$tmp/text.img"
head -c 1000 "$img" >"$tmp/truncated.img"
cp "$img" "$tmp/corrupt.img"
# the tail's CRC-32C, 8 bytes before the end
flip_byte "$tmp/corrupt.img" $(($(wc -c <"$img") - 8))
cp "$img" "$tmp/arch.img"
put_u32 "$tmp/arch.img" 20 2
cp "$img" "$tmp/future.img"
put_u32 "$tmp/future.img" 16 $((version + 1))
cp "$img" "$tmp/older.img"
put_u32 "$tmp/older.img" 16 $((version - 1))
[ "$(get_u32 "$tmp/arch.img" 20)" = 2 ] && [ "$(get_u32 "$img" 20)" = 1 ] ||
	fail "the header's layout is not what this script knows (arch at offset 20)"
# ckpt info and convert read images of their own format version only
tool_reads=1
ckpt info "$img" >/dev/null 2>&1 || tool_reads=

# ---- run ----
expect "run: no program" 2 '^ckpt: run: no program given$' ckpt run
expect "run: a program that does not exist" 1 "^ckpt: cannot run '/nonexistent': No such file or directory\$" \
	ckpt run --name err-x -- /nonexistent
holds "run: a program that does not exist leaves no cgroup" test ! -d "$cgroot/err-x"
expect "run: without CAP_SYS_ADMIN" 10 'this needs CAP_SYS_ADMIN\)$' \
	$nocaps ckpt run --name err-p -- "$files/counter" /tmp/err-p.count
holds "run: without CAP_SYS_ADMIN leaves no cgroup" test ! -d "$cgroot/err-p"
expect "run: a name that runs" 1 "^ckpt: a container named 'err-c' is running already" \
	ckpt run --name err-c -- "$files/counter" /tmp/err-x.count

# ---- checkpoint ----
expect "checkpoint: no container" 2 '^ckpt: checkpoint: no container given' ckpt checkpoint
expect "checkpoint: no such container" 8 "^ckpt: no such container: 'err-none'" \
	ckpt checkpoint --name err-none -o "$tmp/x.img"
expect "checkpoint: no such process" 8 '^ckpt: no such process: 999999999$' \
	ckpt checkpoint -o "$tmp/x.img" 999999999
sleep 1000 &
rootpid=$!
expect "checkpoint: not frozen: a process in the root cgroup" 9 "^ckpt: process $rootpid is in the root cgroup, which cannot be frozen" \
	ckpt checkpoint -o "$tmp/x.img" "$rootpid"
expect "checkpoint: not frozen: the kernel's reason, a traced task" 9 '^ckpt: .*cannot checkpoint a traced task' \
	ckpt checkpoint --name err-t -o "$tmp/x.img"
holds "checkpoint: a traced task: thawed after it" runs err-t
expect "checkpoint: permission denied: names the capability" 10 '; this process needs CAP_CHECKPOINT_RESTORE \(or CAP_SYS_ADMIN\)$' \
	$nocaps ckpt checkpoint --name err-c -o "$tmp/x.img"
holds "checkpoint: permission denied: thawed after it" runs err-c
expect "checkpoint: the kernel's reason, a socket" 11 '^ckpt: .*socket:\[[0-9]+\]: cannot checkpoint' \
	ckpt checkpoint --name err-s -o "$tmp/x.img"
holds "checkpoint: a socket: thawed after it" runs err-s
holds "checkpoint: a failed checkpoint leaves no image" test ! -e "$tmp/x.img"

# ---- restart ----
expect "restart: the image restarts (--dry-run)" 0 '^image OK$' ckpt restart --dry-run -i "$img"
expect "restart: not a ckpt image" 3 'not a checkpoint image \(bad magic\)$' \
	ckpt restart -i "$tmp/text.img"
expect "restart: truncated" 4 'the image is truncated at offset 1000$' \
	ckpt restart -i "$tmp/truncated.img"
expect "restart --name: truncated" 4 'the image is truncated at offset 1000$' \
	ckpt restart --name err-x -i "$tmp/truncated.img"
holds "restart --name: truncated: no cgroup left" test ! -d "$cgroot/err-x"
expect "restart: corrupt" 5 'the image is corrupt: checksum' \
	ckpt restart -i "$tmp/corrupt.img"
expect "restart: wrong architecture" 6 'the image is for architecture 2' \
	ckpt restart -i "$tmp/arch.img"
expect "restart: unsupported format version, a newer one" 7 "image format version $((version + 1)) is not supported" \
	ckpt restart -i "$tmp/future.img"
expect "restart: unsupported format version, an older one" 7 "image format version $((version - 1)) is not supported .*convert the image with 'ckpt convert'" \
	ckpt restart -i "$tmp/older.img"
expect "restart: permission denied: names the capability" 10 '; this process needs CAP_CHECKPOINT_RESTORE \(or CAP_SYS_ADMIN\)$' \
	$nocaps ckpt restart -i "$img"
expect "restart --name: a name that runs" 1 "^ckpt: .*: a container named 'err-c' already runs\$" \
	ckpt restart --name err-c -i "$img"
expect "restart --frozen without --name" 2 '^ckpt: restart: --frozen needs --name$' \
	ckpt restart --frozen -i "$img"
expect "restart --name: the image restarts" 0 '^[0-9]+$' ckpt restart --name err-d -i "$img"
stop_container err-d

# ---- info and convert ----
if [ -n "$tool_reads" ]; then
	expect "info: the image" 0 '^image OK$' ckpt info "$img"
	expect "info: not a ckpt image" 3 'not a ckpt image \(bad magic\)$' ckpt info "$tmp/text.img"
	expect "info: truncated" 4 'the image is truncated at offset 1000' ckpt info "$tmp/truncated.img"
	expect "info: corrupt" 5 'corrupt: checksum mismatch' ckpt info "$tmp/corrupt.img"
	# (the patched byte is under the tail's checksum, which info checks
	# too, where restart(2) refuses the header first)
	expect "info: another architecture is shown" 5 '^arch: +unknown \(2\)$' \
		ckpt info "$tmp/arch.img"
	expect "info: unsupported format version" 7 "unsupported format version $((version + 1))" \
		ckpt info "$tmp/future.img"
	expect "convert: not a ckpt image" 3 'not a ckpt image' ckpt convert -o "$tmp/conv.img" "$tmp/text.img"
	expect "convert: truncated" 4 'truncated' ckpt convert -o "$tmp/conv.img" "$tmp/truncated.img"
	expect "convert: unsupported format version" 7 "unsupported format version $((version + 1))" \
		ckpt convert -o "$tmp/conv.img" "$tmp/future.img"
	holds "convert: refused, no output" test ! -e "$tmp/conv.img"
else
	why="this ckpt reads another format version than the kernel's $version"
	for desc in "info: the image" "info: not a ckpt image" "info: truncated" \
		    "info: corrupt" "info: another architecture is shown" \
		    "info: unsupported format version" "convert: not a ckpt image" \
		    "convert: truncated" "convert: unsupported format version" \
		    "convert: refused, no output"; do
		skipped "$desc" "$why"
	done
fi

# ---- migrate (the receiver, if any, on 127.0.0.1:7300) ----
expect "migrate: no container" 2 '^ckpt: migrate: no container given' ckpt migrate 127.0.0.1:7300
expect "migrate: no such container" 8 "^ckpt: no such container: 'err-none'" \
	ckpt migrate --name err-none 127.0.0.1:7300
expect "migrate: not frozen: a process in the root cgroup" 9 'which cannot be frozen' \
	ckpt migrate "$rootpid" 127.0.0.1:7300
expect "migrate: nothing listens" 12 '^ckpt: cannot connect to 127\.0\.0\.1:7300: Connection refused$' \
	ckpt migrate --name err-c 127.0.0.1:7300
expect "migrate: a name that does not resolve" 12 "^ckpt: cannot resolve 'no-such-host': .*a numeric IPv4 or IPv6 address needs neither\\)\$" \
	ckpt migrate --name err-c no-such-host:7300
holds "migrate: refused: err-c runs on" runs err-c

# the sender fails: the receiver gets less than an image
migrate_to_receiver() {
	timeout 120 ckpt restart --listen 127.0.0.1:7300 --dry-run \
		>/dev/null 2>"$tmp/recv.err" </dev/null &
	listener=$!
	wait_listening 7300 || { kill "$listener"; listener=; return 99; }
	timeout 120 "$@"
	status=$?
	wait "$listener"
	echo "$?" >"$tmp/recv.status"
	echo "receiver: $(cat "$tmp/recv.status") $(cat "$tmp/recv.err")"
	listener=
	return $status
}
expect "migrate: permission denied: names the capability" 10 '; this process needs CAP_CHECKPOINT_RESTORE \(or CAP_SYS_ADMIN\); the container runs on here$' \
	migrate_to_receiver $nocaps ckpt migrate --name err-c 127.0.0.1:7300
holds "migrate: permission denied: the receiver got no image" grep -qE '^[34]$' "$tmp/recv.status"
expect "migrate: the kernel's reason, a traced task" 9 'cannot checkpoint a traced task.*; the container runs on here$' \
	migrate_to_receiver ckpt migrate --name err-t 127.0.0.1:7300
expect "migrate: the kernel's reason, a socket" 11 'socket:\[[0-9]+\]: cannot checkpoint.*; the container runs on here$' \
	migrate_to_receiver ckpt migrate --name err-s 127.0.0.1:7300
holds "migrate: refused: err-t and err-s run on" sh -c "grep -q '^frozen 0' $cgroot/err-t/cgroup.events && grep -q '^frozen 0' $cgroot/err-s/cgroup.events"

# ---- restart --listen, fed by nc ----
expect "restart --listen: a bad port" 2 "^ckpt: restart: --listen: '0' is not a port" \
	ckpt restart --listen 0
over_tcp "restart --listen: the image (--dry-run), and the answer" 0 '^ckpt-restart 1 0 0 image OK$' \
	"$img" -- --dry-run
over_tcp "restart --listen: not a ckpt image" 3 '^ckpt-restart 1 3 0 restart: not a checkpoint image \(bad magic\)$' \
	"$tmp/text.img" --
over_tcp "restart --listen: truncated" 4 '^ckpt: 127\.0\.0\.1:[0-9]+: restart: the image is truncated at offset 1000$' \
	"$tmp/truncated.img" --
over_tcp "restart --listen: corrupt" 5 '^ckpt-restart 1 5 0 .*the image is corrupt: checksum' \
	"$tmp/corrupt.img" --
over_tcp "restart --listen: wrong architecture" 6 '^ckpt-restart 1 6 0 .*the image is for architecture 2' \
	"$tmp/arch.img" --
over_tcp "restart --listen: unsupported format version" 7 "^ckpt-restart 1 7 0 .*image format version $((version + 1)) is not supported" \
	"$tmp/future.img" --
over_tcp "restart --listen: permission denied: names the capability" 10 '^ckpt-restart 1 10 0 .*needs CAP_CHECKPOINT_RESTORE \(or CAP_SYS_ADMIN\)$' \
	"$img" $nocaps --

kill "$tracer"
tracer=
kill "$rootpid"
rootpid=
say "$((n - failed)) of $n passed"
[ "$failed" = 0 ]
