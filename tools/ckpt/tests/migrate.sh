# SPDX-License-Identifier: GPL-2.0
#
# Native tests of migration over TCP on the loopback: `ckpt migrate` and
# `ckpt restart --listen`, their command lines and error messages, the
# receiver fed garbage, a truncated stream, a sender that vanishes or
# resets the connection, and the answer it sends back; the sender against
# receivers that refuse, say nothing, answer nonsense or go away.  Sourced
# by tests/run.sh after streams.sh, whose helpers it uses; checkpoint(2) and
# restart(2) are those of tests/fakesys.c, in tests/ckpt-fake (restart
# "restores" a process that waits for signals, with $CKPT_FAKE_RESTORE).
#
# The part that moves containers (migrate freezes a cgroup) is the function
# migrate_container_run, which run.sh calls where it runs containers, or
# migrate_container_skip where it cannot.  The other side of a connection,
# where it is not ckpt, is a Python script (tests skipped without python3).

mig=$tmp/migrate
mkdir -p "$mig"

# The peers that are not ckpt: a sender of bytes, and receivers that do
# not answer as ckpt does.
cat >"$mig/peer.py" <<'EOF'
import socket, struct, sys, time

def reset(s):
    # close with SO_LINGER 0: a reset, not an end
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()

def read_all(c):
    while c.recv(65536):
        pass

def send(host, port, path, opts):
    data = open(path, "rb").read()
    if "cut" in opts:
        data = data[:int(opts["cut"])]
    s = socket.create_connection((host, port))
    s.sendall(data)
    if "ready" in opts:
        open(opts["ready"], "w").close()
    end = opts.get("end", "shutdown")
    if end == "reset":
        time.sleep(float(opts.get("wait", "0")))
        reset(s)
        return
    if end == "close":
        s.close()
        return
    if end == "stay":
        time.sleep(60)
        return
    s.shutdown(socket.SHUT_WR)
    s.settimeout(30)
    answer = b""
    try:
        while True:
            b = s.recv(4096)
            if not b:
                break
            answer += b
    except ConnectionResetError:
        pass
    print("answer: " + answer.decode("ascii", "replace").rstrip("\n"))

def serve(host, port, how):
    ls = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, port))
    ls.listen(1)
    c, _ = ls.accept()
    if how == "silent":
        read_all(c)
        c.close()
    elif how == "garbage":
        read_all(c)
        c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
        c.close()
    elif how.startswith("answer="):
        read_all(c)
        c.sendall(how[len("answer="):].encode() + b"\n")
        c.close()
    elif how.startswith("reset-after="):
        n = int(how[len("reset-after="):])
        while n > 0:
            b = c.recv(min(n, 65536))
            if not b:
                break
            n -= len(b)
        reset(c)
    elif how.startswith("hold="):
        read_all(c)
        open(how[len("hold="):], "w").close()
        time.sleep(60)

if sys.argv[1] == "send":
    send(sys.argv[2], int(sys.argv[3]), sys.argv[4],
         dict(a.split("=", 1) for a in sys.argv[5:]))
else:
    serve(sys.argv[2], int(sys.argv[3]), sys.argv[4])
EOF

# A port nothing on this machine uses (in any state), from a range of
# this run's own.
next_port=$((20000 + $$ % 20000))
free_port() {
	local hex
	while :; do
		next_port=$((next_port + 1))
		hex=$(printf '%04X' "$next_port")
		cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
			grep -qi "^ *[0-9]*: [0-9A-F]*:$hex " || break
	done
	echo "$next_port"
}

# listening PORT: something listens on PORT (state 0A in /proc/net/tcp*)
listening() {
	local hex
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		grep -qi "^ *[0-9]*: [0-9A-F]*:$hex [0-9A-F]*:[0-9A-F]* 0A "
}

# wait_listening PORT: until something listens on PORT, for 10 s at most
wait_listening() {
	local tries=0
	until listening "$1"; do
		tries=$((tries + 1))
		[ $tries -le 100 ] || return 1
		sleep 0.1
	done
}

# wait_for_file PATH: until PATH exists, for 30 s at most (Python may take
# seconds to start on a busy machine)
wait_for_file() {
	local tries=0
	until [ -e "$1" ]; do
		tries=$((tries + 1))
		[ $tries -le 300 ] || return 1
		sleep 0.1
	done
}

# start_receiver PORT ARGS...: `ckpt-fake restart --listen 127.0.0.1:PORT
# ARGS` in the background (for 60 s at most), until it listens; its
# environment is this shell's (CKPT_FAKE_RESTORE...)
start_receiver() {
	local port=$1
	shift
	rm -f "$mig/recv.status"
	timeout 60 "$fake" restart --listen "127.0.0.1:$port" "$@" \
		>"$mig/recv.out" 2>"$mig/recv.err" </dev/null &
	recv_pid=$!
	wait_listening "$port"
}

# end_receiver: wait for the receiver; its status goes to recv.status
end_receiver() {
	wait "$recv_pid"
	echo $? >"$mig/recv.status"
}

# receiver_said STATUS [PATTERN]: the receiver exited with STATUS, PATTERN
# (an extended regexp) matches a line of its stdout or stderr, and its
# stderr is as ckpt's must be: empty on success, one "ckpt: " line on an
# error.  Prints what it said.
receiver_said() {
	local status
	status=$(cat "$mig/recv.status" 2>/dev/null)
	sed 's/^/receiver: /' "$mig/recv.out" "$mig/recv.err"
	echo "receiver status: $status"
	[ "$status" = "$1" ] || return 1
	if [ "$1" = 0 ]; then
		# (--progress lines go to stderr)
		[ ! -s "$mig/recv.err" ] || [ -n "${recv_progress:-}" ] ||
			return 1
	else
		[ "$(wc -l <"$mig/recv.err")" = 1 ] &&
			grep -q '^ckpt: ' "$mig/recv.err" || return 1
	fi
	[ -z "${2:-}" ] || cat "$mig/recv.out" "$mig/recv.err" | grep -qE -- "$2"
}

# to_receiver PORT PEER-OPTIONS...: send a file to the receiver listening
# on PORT with peer.py, wait for the receiver to end, and print the answer
# the peer got ("answer: ..."), then what the receiver said
to_receiver() {
	local port=$1
	shift
	python3 "$mig/peer.py" send 127.0.0.1 "$port" "$@" >"$mig/answer"
	cat "$mig/answer"
	end_receiver
	receiver_said "$(cat "$mig/recv.status")"
}

# start_server PORT HOW: a receiver that is not ckpt (peer.py serve)
start_server() {
	timeout 60 python3 "$mig/peer.py" serve 127.0.0.1 "$1" "$2" \
		>/dev/null 2>&1 </dev/null &
	server_pid=$!
	wait_listening "$1"
}

end_server() {
	kill "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
}

v=$img/valid.img
ti=$img/tasks.img

# ---- The command lines ----
check "migrate --help"                 0 '^Usage: ckpt migrate '           "$ckpt" migrate --help
check "help migrate"                   0 '^Usage: ckpt migrate '           "$ckpt" help migrate
check "--help lists migrate"           0 '^  migrate +move a running container' "$ckpt" --help
check "--help lists the network exit status" 0 '^ 12  network: cannot resolve, connect or listen' "$ckpt" --help
check "migrate --help: --kill is the default" 0 '\(the default\)$'         "$ckpt" migrate --help
check "migrate without arguments"      2 '^ckpt: migrate: no container given \(--name NAME, or a PID\)$' "$ckpt" migrate
check "migrate with a receiver alone"  2 'no container given'              "$ckpt" migrate 127.0.0.1:7000
check "migrate --name without a receiver" 2 '^ckpt: migrate: no receiver given \(HOST:PORT\)$' "$ckpt" migrate --name web
check "migrate PID without a receiver" 2 'no receiver given'               "$ckpt" migrate 5
check "migrate --name and a PID"       2 'not both'                        "$ckpt" migrate --name web 5 127.0.0.1:7000
check "migrate to two receivers"       2 'one container to one receiver at a time' \
	"$ckpt" migrate --name web 127.0.0.1:7000 127.0.0.1:7001
check "migrate --kill --leave-running" 2 'exclude each other'              "$ckpt" migrate --kill --leave-running --name web 127.0.0.1:7000
check "migrate with an unknown option" 2 "unknown option '--bogus'"        "$ckpt" migrate --bogus --name web 127.0.0.1:7000
check "migrate with a bad name"        2 "'a/b' is not a valid container name" "$ckpt" migrate --name a/b 127.0.0.1:7000
check "migrate with a bad pid"         2 "'12x' is not a process id"       "$ckpt" migrate 12x 127.0.0.1:7000
check "migrate --name without a value" 2 '^ckpt: migrate: --name needs a value$' "$ckpt" migrate --name
# the receiver's address is checked before anything else
check "migrate to a host without a port" 2 "^ckpt: migrate: 'example.org' is not HOST:PORT" \
	"$ckpt" migrate --name none example.org
check "migrate to port 0"              2 "^ckpt: migrate: '0' is not a port: a number, 1 to 65535\$" \
	"$ckpt" migrate --name none 127.0.0.1:0
check "migrate to port 65536"          2 "'65536' is not a port"           "$ckpt" migrate --name none 127.0.0.1:65536
check "migrate to a port by name"      2 "'http' is not a port"            "$ckpt" migrate --name none 127.0.0.1:http
check "migrate to no host"             2 "':7000' is not HOST:PORT"        "$ckpt" migrate --name none :7000
check "migrate to an IPv6 address without its bracket" 2 "is not HOST:PORT" \
	"$ckpt" migrate --name none '[::1:7000'
check "migrate: the address before the container" 2 "'x' is not a port" \
	"$ckpt" migrate 999999999 127.0.0.1:x
check "migrate: no such process, before any connection" 8 '^ckpt: no such process: 999999999$' \
	"$ckpt" migrate 999999999 127.0.0.1:"$(free_port)"

check "restart --help mentions --listen" 0 '^  --listen \[HOST:\]PORT$'    "$ckpt" restart --help
check "restart --listen without a value" 2 '^ckpt: restart: --listen needs a value$' "$ckpt" restart --listen
check "restart --listen 0"             2 "^ckpt: restart: --listen: '0' is not a port: a number, 1 to 65535\$" \
	"$ckpt" restart --listen 0
check "restart --listen 70000"         2 "'70000' is not a port"           "$ckpt" restart --listen 70000
check "restart --listen on a port by name" 2 "'ckpt' is not a port"        "$ckpt" restart --listen ckpt
check "restart --listen HOST without a port" 2 "'127.0.0.1:' is not PORT or HOST:PORT" "$ckpt" restart --listen 127.0.0.1:
check "restart --listen and -i"        2 '^ckpt: restart: --listen and -i exclude each other$' \
	"$ckpt" restart --listen 7000 -i "$v"
check "restart --listen on an address that does not resolve" 12 "^ckpt: restart: cannot resolve '300\\.1\\.1\\.1': .*a numeric IPv4 or IPv6 address needs neither\\)\$" \
	"$ckpt" restart --listen 300.1.1.1:7000
busy=$(free_port)
start_server "$busy" silent
check "restart --listen on a port in use" 12 "^ckpt: restart: cannot listen on 127\\.0\\.0\\.1:$busy: Address already in use\$" \
	"$ckpt" restart --listen "127.0.0.1:$busy"
end_server
if [ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo 0)" -gt 1 ]; then
	check "restart --listen on a port below 1024 without the capability" 10 "^ckpt: restart: cannot listen on 127\\.0\\.0\\.1:1: Permission denied \\(a port below 1024 needs CAP_NET_BIND_SERVICE\\)\$" \
		timeout 10 "$build/tests/testhelper" dropcaps net_bind_service \
		"$ckpt" restart --listen 127.0.0.1:1
else
	skip "restart --listen on a port below 1024 without the capability" \
		"every port is unprivileged here"
fi

# ---- The receiver, fed by peer.py ----
recv_tests=(
	"restart --listen: garbage: not a ckpt image"
	"restart --listen: garbage: the sender gets the answer"
	"restart --listen: nothing at all: an empty image"
	"restart --listen: a truncated stream"
	"restart --listen: a truncated stream: the sender gets the answer"
	"restart --listen: the sender vanishes mid-stream: truncated"
	"restart --listen: the connection reset mid-stream: a network error"
	"restart --listen: a truncated lz4 stream"
	"restart --listen --dry-run: image OK"
	"restart --listen --dry-run: the answer: status 0, pid 0"
	"restart --listen --dry-run: an lz4 stream"
	"restart --listen --dry-run --progress: the image through the pump"
	"restart --listen: a corrupt image: its exit status and the kernel's reason"
	"restart --listen: what the kernel cannot restore: status 11, in the answer too"
	"restart --listen: restarted: prints the pid"
	"restart --listen: restarted: the answer has the pid"
	"restart --listen on every address (PORT): an IPv4 connection"
	"restart --listen [::1]:PORT: IPv6"
	"restart --listen: the answer names the sender in its messages"
)
if [ -z "$have_python" ]; then
	for t in "${recv_tests[@]}"; do
		skip "$t" "no python3"
	done
else
	t=("${recv_tests[@]}")
	p=$(free_port)
	start_receiver "$p"
	check "${t[0]}" 0 '^receiver: ckpt: 127\.0\.0\.1:[0-9]+: restart: not a ckpt image \(bad magic\)$' \
		to_receiver "$p" "$img/text.img"
	check "${t[1]}" 0 '^answer: ckpt-restart 1 3 0 restart: not a ckpt image \(bad magic\)$' \
		cat "$mig/answer"

	p=$(free_port)
	start_receiver "$p"
	check "${t[2]}" 0 '^receiver status: 3$' to_receiver "$p" "$img/empty.img"

	p=$(free_port)
	start_receiver "$p" --dry-run
	check "${t[3]}" 0 'restart: the image is truncated at offset 100' \
		to_receiver "$p" "$ti" cut=100
	check "${t[4]}" 0 '^answer: ckpt-restart 1 4 0 restart: the image is truncated at offset 100' \
		cat "$mig/answer"

	# killed with the connection open: its kernel ends the connection
	vanish() {
		rm -f "$mig/sent"
		python3 "$mig/peer.py" send 127.0.0.1 "$1" "$ti" cut=5000 \
			end=stay ready="$mig/sent" &
		local sender=$!
		wait_for_file "$mig/sent"
		kill -KILL "$sender"
		wait "$sender" 2>/dev/null
		end_receiver
		receiver_said 4 'the image is truncated at offset 5000'
	}
	p=$(free_port)
	start_receiver "$p" --dry-run
	check "${t[5]}" 0 '' vanish "$p"

	p=$(free_port)
	start_receiver "$p" --dry-run
	check "${t[6]}" 0 '^receiver: ckpt: 127\.0\.0\.1:[0-9]+: the connection was lost: restart: reading the image failed \(error -104\)$' \
		to_receiver "$p" "$ti" cut=5000 end=reset wait=0.5

	p=$(free_port)
	start_receiver "$p" --dry-run
	check "${t[7]}" 0 'receiver: ckpt: .*: the lz4 stream is truncated' \
		to_receiver "$p" "$img/big-half.img.lz4"

	p=$(free_port)
	start_receiver "$p" --dry-run
	check "${t[8]}" 0 '^receiver: image OK$' to_receiver "$p" "$ti"
	check "${t[9]}" 0 '^answer: ckpt-restart 1 0 0 image OK$' cat "$mig/answer"

	p=$(free_port)
	start_receiver "$p" --dry-run
	check "${t[10]}" 0 '^receiver: image OK$' to_receiver "$p" "$ti.lz4"

	p=$(free_port)
	start_receiver "$p" --dry-run --progress
	recv_progress=1
	check "${t[11]}" 0 '^receiver: restart: done: [0-9]+ bytes in ' \
		to_receiver "$p" "$ti"
	recv_progress=

	p=$(free_port)
	start_receiver "$p"
	check "${t[12]}" 0 'receiver status: 5' to_receiver "$p" "$img/flipped.img"

	p=$(free_port)
	start_receiver "$p"
	check "${t[13]}" 0 '^answer: ckpt-restart 1 11 0 restart: the image is valid, but restoring tasks is not supported' \
		to_receiver "$p" "$ti"

	p=$(free_port)
	CKPT_FAKE_RESTORE=1 start_receiver "$p"
	check "${t[14]}" 0 '^receiver: [0-9]+$' to_receiver "$p" "$ti"
	rp=$(head -n 1 "$mig/recv.out")
	check "${t[15]}" 0 "^answer: ckpt-restart 1 0 ${rp:-x} restarted\$" cat "$mig/answer"
	[ -z "$rp" ] || kill "$rp" 2>/dev/null

	p=$(free_port)
	rm -f "$mig/recv.status"
	timeout 60 "$fake" restart --listen "$p" --dry-run \
		>"$mig/recv.out" 2>"$mig/recv.err" </dev/null &
	recv_pid=$!
	wait_listening "$p"
	check "${t[16]}" 0 '^receiver: image OK$' to_receiver "$p" "$v"

	if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
		p=$(free_port)
		rm -f "$mig/recv.status"
		timeout 60 "$fake" restart --listen "[::1]:$p" --dry-run \
			>"$mig/recv.out" 2>"$mig/recv.err" </dev/null &
		recv_pid=$!
		wait_listening "$p"
		to_v6() {
			python3 "$mig/peer.py" send ::1 "$1" "$v"
			end_receiver
			receiver_said 0 '^image OK$'
		}
		check "${t[17]}" 0 '^answer: ckpt-restart 1 0 0 image OK$' to_v6 "$p"
	else
		skip "${t[17]}" "no IPv6 on the loopback"
	fi

	p=$(free_port)
	start_receiver "$p"
	check "${t[18]}" 0 '^receiver: ckpt: 127\.0\.0\.1:[0-9]+: restart: the image is truncated' \
		to_receiver "$p" "$v" cut=130
fi

# ---- Moving containers (fake checkpoint(2) and restart(2)) ----
migrate_container_tests=(
	"migrate: connection refused"
	"migrate: connection refused: not frozen, running"
	"migrate: a name that does not resolve"
	"migrate: no such container: before any connection"
	"migrate: moved: nothing printed"
	"migrate: moved: the container is gone here"
	"migrate: moved: the receiver prints the pid"
	"migrate: moved: into its cgroup there, thawed"
	"migrate: moved: the image the receiver got"
	"migrate -z --progress: the last line"
	"migrate -z --progress: 50 MiB through lz4, received whole"
	"migrate -z: the receiver decompressed it"
	"migrate -v: each step"
	"migrate --leave-running: a copy, the container runs on here"
	"migrate by pid"
	"migrate to restart --listen --name --frozen: left frozen there"
	"migrate to restart --listen --dry-run: refused, status 1"
	"migrate to restart --listen --dry-run: thawed, running"
	"migrate to restart --listen --dry-run: the receiver checked it"
	"migrate of a corrupt image: the receiver's status and reason"
	"migrate of a corrupt image: thawed, running"
	"migrate: refused at the header, 50 MiB to come: the receiver's reason"
	"migrate -z: refused at the header, 50 MiB to come: the receiver's reason"
	"migrate: refused at the header: thawed, running"
	"migrate to a receiver that does not answer"
	"migrate to a receiver that does not answer: thawed, running"
	"migrate to a receiver that answers nonsense"
	"migrate to a receiver that answers in a newer protocol"
	"migrate: the connection reset mid-stream"
	"migrate: the connection reset mid-stream: thawed, running"
	"migrate, SIGTERM while waiting for the answer: dies of it"
	"migrate, SIGTERM while waiting for the answer: thawed, running"
	"restart --listen: an answer that cannot be sent: killed it again"
	"restart --listen: an answer that cannot be sent: its cgroup is gone"
)

migrate_container_skip() {
	local t
	for t in "${migrate_container_tests[@]}"; do
		skip "$t" "$1"
	done
}

# migrate_container_run NAME CGROUP-PREFIX: move containers NAME-m (whose
# cgroup is CGROUP-PREFIX-m) to NAME-r and back, on the loopback
migrate_container_run() {
	local src=$1-m dst=$1-r t=("${migrate_container_tests[@]}") p rp
	local scg=$2-m dcg=$2-r

	if [ -z "$have_python" ]; then
		migrate_container_skip "no python3"
		return
	fi
	# a_source: the container NAME-m, running.  (A cgroup that was
	# killed is not used again: some kernels kill what starts in it.)
	a_source() {
		if [ -d "$scg" ] && ! grep -q '^populated 1' "$scg/cgroup.events"; then
			rmdir "$scg"
		fi
		if [ ! -d "$scg" ]; then
			"$ckpt" run --name "$src" -- sleep 1000 >/dev/null 2>&1 </dev/null
		fi
		grep -q '^populated 1' "$scg/cgroup.events"
	}
	running() { events_are "$scg" "populated 1" "frozen 0"; }
	drop_dst() {
		[ ! -d "$dcg" ] || { "$ctest" kill "$dcg"; rmdir "$dcg"; } >/dev/null 2>&1
	}

	a_source
	p=$(free_port)
	check "${t[0]}" 12 "^ckpt: cannot connect to 127\\.0\\.0\\.1:$p: Connection refused\$" \
		"$fake" migrate --name "$src" "127.0.0.1:$p"
	check "${t[1]}" 0 '' running
	check "${t[2]}" 12 "^ckpt: cannot resolve 'nonexistent\\.invalid': .*\\(a static ckpt looks names up in /etc/hosts and DNS only; a numeric IPv4 or IPv6 address needs neither\\)\$" \
		timeout 60 "$fake" migrate --name "$src" nonexistent.invalid:7000
	p=$(free_port)
	check "${t[3]}" 8 "^ckpt: no such container: '$1-none'" \
		"$fake" migrate --name "$1-none" "127.0.0.1:$p"

	# moved, on the smallest image
	p=$(free_port)
	CKPT_FAKE_RESTORE=1 CKPT_FAKE_LOG=$mig/recv.log start_receiver "$p" --name "$dst"
	rm -f "$mig/recv.log"
	check "${t[4]}" 0 '' "$fake" migrate --name "$src" "127.0.0.1:$p"
	end_receiver
	check "${t[5]}" 0 '' test ! -e "$scg"
	check "${t[6]}" 0 '^receiver: [0-9]+$' receiver_said 0 '^[0-9]+$'
	rp=$(head -n 1 "$mig/recv.out")
	check "${t[7]}" 0 '' only_process_in "$dcg" "${rp:-x}"
	check "${t[8]}" 0 '^restart: image of 312 bytes, 2 records, crc32c 0x[0-9a-f]{8}$' \
		cat "$mig/recv.log"
	drop_dst

	# 50 MiB, compressed, with progress
	a_source
	p=$(free_port)
	CKPT_FAKE_RESTORE=1 CKPT_FAKE_LOG=$mig/recv.log start_receiver "$p" --name "$dst"
	rm -f "$mig/recv.log"
	check "${t[9]}" 0 '^migrate: done: 52429112 bytes in [0-9.]+ s, [0-9.]+ MiB/s \(lz4: [0-9]+ bytes, [0-9]+\.[0-9]%\)$' \
		env CKPT_FAKE_IMAGE="$stream" "$fake" migrate -z --progress --name "$src" "127.0.0.1:$p"
	end_receiver
	check "${t[10]}" 0 '^restart: image of 52429112 bytes, ' cat "$mig/recv.log"
	check "${t[11]}" 0 '^restart: fd [0-9]+ is a pipe$' cat "$mig/recv.log"
	drop_dst

	a_source
	p=$(free_port)
	CKPT_FAKE_RESTORE=1 start_receiver "$p" --name "$dst"
	# each step, in order
	verbose_lines() {
		local line
		"$fake" migrate -v --name "$src" "127.0.0.1:$p" >"$mig/verbose" || return
		end_receiver
		cat "$mig/verbose"
		for line in "connected to 127\\.0\\.0\\.1:$p" "froze $scg" \
			    "sent the image to 127\\.0\\.0\\.1:$p, which restarts it" \
			    "127\\.0\\.0\\.1:$p restarted it as pid [0-9]+" \
			    "saved process [0-9]+, its threads and its descendants" \
			    "killed the processes of $scg" "removed $scg"; do
			sed -n 1p "$mig/verbose" | grep -qxE -- "$line" || return
			sed -i 1d "$mig/verbose"
		done
		[ ! -s "$mig/verbose" ]
	}
	check "${t[12]}" 0 '' verbose_lines
	drop_dst

	a_source
	p=$(free_port)
	CKPT_FAKE_RESTORE=1 start_receiver "$p" --name "$dst"
	leave_running() {
		"$fake" migrate --leave-running --name "$src" "127.0.0.1:$p" || return
		end_receiver
		receiver_said 0 && running
	}
	check "${t[13]}" 0 '' leave_running
	drop_dst

	p=$(free_port)
	CKPT_FAKE_RESTORE=1 start_receiver "$p" --name "$dst"
	by_pid() {
		local pid
		pid=$(cat "$scg/cgroup.procs")
		"$fake" migrate "$pid" "127.0.0.1:$p" || return
		end_receiver
		receiver_said 0 && gone "$pid"
	}
	check "${t[14]}" 0 '' by_pid
	drop_dst

	a_source
	p=$(free_port)
	CKPT_FAKE_RESTORE=1 start_receiver "$p" --name "$dst" --frozen
	frozen_there() {
		"$fake" migrate --name "$src" "127.0.0.1:$p" || return
		end_receiver
		receiver_said 0 && events_are "$dcg" "populated 1" "frozen 1"
	}
	check "${t[15]}" 0 '' frozen_there
	drop_dst

	# refused: the container runs on here
	a_source
	p=$(free_port)
	start_receiver "$p" --dry-run
	check "${t[16]}" 1 "^ckpt: 127\\.0\\.0\\.1:$p only checked the image \\(is it 'ckpt restart --listen --dry-run'\\?\\): it restarted nothing; the container runs on here\$" \
		"$fake" migrate --name "$src" "127.0.0.1:$p"
	end_receiver
	check "${t[17]}" 0 '' running
	check "${t[18]}" 0 '^receiver: image OK$' receiver_said 0

	p=$(free_port)
	CKPT_FAKE_RESTORE=1 start_receiver "$p" --name "$dst"
	check "${t[19]}" 5 "^ckpt: 127\\.0\\.0\\.1:$p could not restart it: restart: the image is corrupt: checksum mismatch.*; the container runs on here\$" \
		env CKPT_FAKE_IMAGE="$img/flipped.img" "$fake" migrate --name "$src" "127.0.0.1:$p"
	end_receiver
	check "${t[20]}" 0 '' running

	# the receiver refuses at once, and may reset the connection under
	# the sender, which has the answer all the same
	{ cat "$img/bad-magic.img"; head -c 50000000 /dev/zero; } >"$mig/refused-big.img"
	p=$(free_port)
	CKPT_FAKE_RESTORE=1 start_receiver "$p" --name "$dst"
	check "${t[21]}" 3 "^ckpt: 127\\.0\\.0\\.1:$p could not restart it: restart: not a ckpt image \\(bad magic\\); the container runs on here\$" \
		env CKPT_FAKE_IMAGE="$mig/refused-big.img" "$fake" migrate --name "$src" "127.0.0.1:$p"
	end_receiver
	p=$(free_port)
	CKPT_FAKE_RESTORE=1 start_receiver "$p" --name "$dst"
	check "${t[22]}" 3 "^ckpt: 127\\.0\\.0\\.1:$p could not restart it: restart: not a ckpt image \\(bad magic\\); the container runs on here\$" \
		env CKPT_FAKE_IMAGE="$mig/refused-big.img" "$fake" migrate -z --name "$src" "127.0.0.1:$p"
	end_receiver
	check "${t[23]}" 0 '' running
	rm -f "$mig/refused-big.img"

	p=$(free_port)
	start_server "$p" silent
	check "${t[24]}" 12 "^ckpt: 127\\.0\\.0\\.1:$p: it closed the connection without an answer \\(is it 'ckpt restart --listen'\\?\\); the container runs on here\$" \
		"$fake" migrate --name "$src" "127.0.0.1:$p"
	end_server
	check "${t[25]}" 0 '' running
	p=$(free_port)
	start_server "$p" garbage
	check "${t[26]}" 12 "^ckpt: 127\\.0\\.0\\.1:$p: its answer is not ckpt's: \"HTTP/1\\.0 400 Bad Request\\?\"; the container runs on here\$" \
		"$fake" migrate --name "$src" "127.0.0.1:$p"
	end_server
	p=$(free_port)
	start_server "$p" "answer=ckpt-restart 2 0 42 restarted"
	check "${t[27]}" 12 'it answered in version 2 of the migration protocol; this ckpt speaks version 1; the container runs on here$' \
		"$fake" migrate --name "$src" "127.0.0.1:$p"
	end_server

	p=$(free_port)
	start_server "$p" reset-after=100000
	check "${t[28]}" 12 "^ckpt: the connection to 127\\.0\\.0\\.1:$p was lost while sending the image: Connection reset by peer; the container runs on here\$" \
		env CKPT_FAKE_IMAGE="$stream" "$fake" migrate --name "$src" "127.0.0.1:$p"
	end_server
	check "${t[29]}" 0 '' running

	p=$(free_port)
	rm -f "$mig/held"
	start_server "$p" hold="$mig/held"
	"$fake" migrate --name "$src" "127.0.0.1:$p" >/dev/null 2>"$tmp/err" &
	local mig_pid=$!
	# the whole image is there: the sender waits for the answer
	wait_for_file "$mig/held"
	kill -TERM "$mig_pid"
	wait "$mig_pid"
	echo "status $?" >"$mig/sigterm"
	end_server
	check "${t[30]}" 0 '^status 143$' cat "$mig/sigterm"
	check "${t[31]}" 0 '' running

	# the sender resets the connection while the receiver restores: the
	# answer fails, and what was restored is killed again
	p=$(free_port)
	CKPT_FAKE_RESTORE=1 CKPT_FAKE_RESTART_SLEEP=2 start_receiver "$p" --name "$dst"
	check "${t[32]}" 0 "^receiver: ckpt: 127\\.0\\.0\\.1:[0-9]+: restarted it as pid [0-9]+, but the sender did not get the answer \\((Broken pipe|Connection reset by peer)\\), and runs it on: killed it here\$" \
		to_receiver "$p" "$v" end=reset wait=0.5
	check "${t[33]}" 0 '' test ! -e "$dcg"

	"$ctest" kill "$scg" >/dev/null 2>&1
	rmdir "$scg" 2>/dev/null
	drop_dst
}
