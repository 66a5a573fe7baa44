#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: the ckpt benchmark, run in the test VM by tools/ckpt/bench/run.sh
# (`make bench`), as root, with busybox sh, `ckpt` on PATH and in /host:
# the static `workload` program, Debian's criu with its libraries (lib/),
# and bench.conf (settings from the host).
#
# For each workload it starts the workload as a container (`ckpt run`) and,
# when criu cannot dump that container, a second copy as a plain process in
# a cgroup for criu; then, R times each, it times
#   ckpt checkpoint -v --leave-running -o IMG --name NAME   (wall time; the
#        -v lines, timestamped, give the time from "froze" to "thawed")
#   criu dump -t PID -D DIR --shell-job --leave-running --display-stats
#        (wall time; its "Frozen time" is its downtime)
#   memcpy() of the same amount of memory (workload --memcpy)
# and, once per workload, ckpt checkpoint -z, ckpt restart --dry-run,
# ckpt restart (where the kernel can restore it), and dd of the image to /dev/null and
# to a copy in tmpfs (what the kernel's own copies cost in this VM).
# criu restore is tried last, once per workload, on a fresh plain copy.
# With BENCH_PROFILE (a list of workloads), before that, one checkpoint and
# one restart of each run under perf (software cpu-clock sampling, whole
# system, with call chains), and perf's reports are printed as PROFILE lines.
#
# Every measurement is one line on stdout:
#   RESULT workload=W tool=T metric=M value=V unit=U rep=N [note=...]
# (value=NA when there is none; the note says why).  INFO lines say what
# was done; BENCH-DONE ends the run.  Timing is CLOCK_MONOTONIC, from the
# workload program (busybox date has no %N).
set -u

W=/host/workload
CRIU=/host/criu
IMG=/tmp/bench.img
CRIU_DIR=/tmp/criu-img
CRIU_WORK=/tmp/criu-work
PLAIN_CG=/sys/fs/cgroup/bench-plain
PERF=/host/perf
BENCH_R=3 BENCH_R_BIG=3 BENCH_R_Z=1 BENCH_ONLY= BENCH_RESTART=1 BENCH_PROFILE=
[ ! -f /host/bench.conf ] || . /host/bench.conf

result() {	# workload tool metric value unit rep [note]
	echo "RESULT workload=$1 tool=$2 metric=$3 value=$4 unit=$5 rep=$6${7:+ note=$7}"
}
info() { echo "INFO $*"; }
now() { $W --now; }
secs() { awk -v n="$1" 'BEGIN { printf "%.6f", n / 1e9 }'; }
elapsed_of() { sed -n 's/^elapsed_ns //p' "$1" | tail -n 1; }

# --- setup ---------------------------------------------------------------
[ -x "$W" ] || { echo "bench: no $W" >&2; exit 1; }
command -v ckpt >/dev/null || { echo "bench: ckpt is not on PATH" >&2; exit 1; }
have_criu=0
if [ -d /host/lib ]; then
	# criu and perf are dynamically linked; the guest has only static
	# binaries.
	mkdir -p /lib64 /lib/x86_64-linux-gnu
	cp /host/lib/ld-linux-x86-64.so.2 /lib64/
	cp /host/lib/* /lib/x86_64-linux-gnu/
fi
if [ -x "$CRIU" ]; then
	if $CRIU --version >/tmp/criu.version 2>&1; then
		have_criu=1
		info "criu $(sed -n 's/^Version: *//p' /tmp/criu.version)"
	else
		info "criu does not run: $(head -n 1 /tmp/criu.version)"
	fi
fi
info "kernel $(uname -r), $(grep -c '^processor' /proc/cpuinfo) cpus online ($(cat /sys/devices/system/cpu/possible 2>/dev/null) possible), $(sed -n 's/^MemTotal: *//p' /proc/meminfo) RAM"
info "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); $(dmesg | grep -i -E 'smp|brought up|processors' | head -n 3 | tr '\n' ' ')"
# Without ACPI the guest has no HPET; if TSC is found unstable under TCG the
# clock falls back to jiffies (4 ms steps at HZ=250): say which it was.
clocksource() {
	echo "clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)" \
		"(of: $(cat /sys/devices/system/clocksource/clocksource0/available_clocksource 2>/dev/null))"
}
info "$(clocksource)"
info "R=$BENCH_R R_BIG=$BENCH_R_BIG R_Z=$BENCH_R_Z RESTART=$BENCH_RESTART ONLY='$BENCH_ONLY' PROFILE='$BENCH_PROFILE'"
ulimit -n 65536 2>/dev/null || true

# --- containers and plain processes --------------------------------------
wait_ready() {	# file seconds
	t=0
	while ! grep -q '^ready' "$1" 2>/dev/null; do
		t=$((t + 1))
		[ "$t" -le $(($2 * 10)) ] || return 1
		sleep 0.1
	done
}

wait_empty() {	# cgroup
	t=0
	while grep -q '^populated 1' "$1/cgroup.events" 2>/dev/null; do
		t=$((t + 1))
		[ "$t" -le 600 ] || return 1
		sleep 0.1
	done
}

# start_container NAME ARGS...: the workload as a container's init; sets cpid
start_container() {
	name=$1; shift
	rm -f "/tmp/$name.out"
	ckpt run --name "$name" -- sh -c "exec $W $* >/tmp/$name.out 2>&1" \
		</dev/null >"/tmp/$name.pid" || return 1
	cpid=$(cat "/tmp/$name.pid")
	wait_ready "/tmp/$name.out" 900
}

stop_container() {
	cg=/sys/fs/cgroup/ckpt/$1
	[ -d "$cg" ] || return 0
	echo 1 >"$cg/cgroup.kill"
	wait_empty "$cg"
	rmdir "$cg"
}

# start_plain ARGS...: the workload as a plain child of this shell, alone
# in its own cgroup and its own session (criu refuses a task whose session
# leader it cannot see: here, /init's session 0), stdin /dev/null; sets ppid
start_plain() {
	mkdir -p "$PLAIN_CG"
	rm -f /tmp/plain.out
	sh -c "echo \$\$ >$PLAIN_CG/cgroup.procs && exec setsid $W $*" \
		</dev/null >/tmp/plain.out 2>&1 &
	ppid=$!
	wait_ready /tmp/plain.out 900
}

stop_plain() {
	[ -d "$PLAIN_CG" ] || return 0
	echo 1 >"$PLAIN_CG/cgroup.kill"
	wait_empty "$PLAIN_CG"
	wait 2>/dev/null
	rmdir "$PLAIN_CG"
}

# criu_dump PID EXTRA...: dump PID into CRIU_DIR; 0 on success; the wall
# time in /tmp/criu.time, its output in /tmp/criu.out, log in CRIU_WORK
criu_dump() {
	pid=$1; shift
	rm -rf "$CRIU_DIR" "$CRIU_WORK"
	mkdir -p "$CRIU_DIR" "$CRIU_WORK"
	$W --time $CRIU dump -t "$pid" -D "$CRIU_DIR" -W "$CRIU_WORK" \
		-o dump.log --shell-job --display-stats "$@" \
		>/tmp/criu.out 2>/tmp/criu.time
}

criu_failure() {	# what the log says went wrong
	{ grep -h -i 'error' "$CRIU_WORK/dump.log" /tmp/criu.out /tmp/criu.time 2>/dev/null |
		tail -n 3; } | tr '\n' ' ' | cut -c 1-300
}

# Can criu dump a ckpt container (a pid, UTS, IPC and mount namespace)?
# Try once with a small one; otherwise criu gets a plain process.
criu_target=none
if [ "$have_criu" = 1 ]; then
	if start_container bench-probe 4; then
		if criu_dump "$cpid" --leave-running; then
			criu_target=container
		else
			info "criu cannot dump a ckpt container: $(criu_failure)"
			echo "---- criu dump.log (container), last lines ----"
			tail -n 20 "$CRIU_WORK/dump.log" 2>/dev/null
			echo "----"
			criu_target=plain
		fi
	else
		info "cannot start the probe container"
		criu_target=plain
	fi
	stop_container bench-probe
fi
info "criu_target=$criu_target"

# --- one workload ---------------------------------------------------------
# bench_workload NAME REPS MIB PROCS ARGS...: MIB of memory in PROCS
# processes (memcpy copies as much)
bench_workload() {
	wl=$1 reps=$2 mib=$3 procs=$4; shift 4
	case " $BENCH_ONLY " in
	"  ") ;;
	*" $wl "*) ;;
	*) return 0 ;;
	esac
	info "workload $wl: workload $*, $reps repetitions"
	result "$wl" workload memory "$mib" MiB 0
	result "$wl" workload processes "$procs" count 0

	# memcpy of the same amount, before anything else holds memory
	if [ "$mib" != 0 ]; then
		r=1
		while [ "$r" -le "$reps" ]; do
			out=$($W --memcpy "$mib" 3) || { info "memcpy $mib failed"; break; }
			best=$(echo "$out" | sed -n 's/.* best_ns=\([0-9]*\).*/\1/p')
			mbps=$(echo "$out" | sed -n 's/.* best_mbps=\([0-9.]*\).*/\1/p')
			result "$wl" memcpy time "$(secs "$best")" s "$r"
			result "$wl" memcpy throughput "$mbps" MB/s "$r"
			r=$((r + 1))
		done
	fi

	t0=$(now)
	if ! start_container "bench-$wl" "$@"; then
		info "$wl: the container did not get ready: $(tail -n 3 "/tmp/bench-$wl.out" 2>/dev/null)"
		stop_container "bench-$wl"
		return 0
	fi
	info "$wl: container init $cpid ready in $(secs $(($(now) - t0))) s"
	target=
	case $criu_target in
	container) target=$cpid ;;
	plain)	t0=$(now)
		if start_plain "$@"; then
			target=$ppid
			info "$wl: plain process $ppid ready in $(secs $(($(now) - t0))) s"
		else
			info "$wl: the plain process did not get ready"
		fi ;;
	esac

	r=1
	while [ "$r" -le "$reps" ]; do
		# ckpt: wall time, and the -v steps timestamped
		rm -f "$IMG"
		t0=$(now)
		$W --time ckpt checkpoint -v --leave-running -o "$IMG" \
			--name "bench-$wl" 2>/tmp/ckpt.err | $W --stamp >/tmp/ckpt.steps
		ns=$(elapsed_of /tmp/ckpt.err)
		froze=$(awk '$2 == "froze" { print $1 }' /tmp/ckpt.steps)
		thawed=$(awk '$2 == "thawed" { print $1 }' /tmp/ckpt.steps)
		if [ -s "$IMG" ] && [ -n "$ns" ] && [ -n "$froze" ] && [ -n "$thawed" ]; then
			result "$wl" ckpt time "$(secs "$ns")" s "$r"
			result "$wl" ckpt downtime "$(secs $((thawed - froze)))" s "$r"
			result "$wl" ckpt freeze "$(secs $((froze - t0)))" s "$r"
			result "$wl" ckpt size "$(stat -c %s "$IMG")" B "$r"
		else
			result "$wl" ckpt time NA s "$r" failed
			info "$wl: ckpt checkpoint failed: $(grep -v elapsed_ns /tmp/ckpt.err | tr '\n' ' ')"
		fi
		if [ "$r" = 1 ] && [ "$mib" != 0 ] && [ -s "$IMG" ]; then
			# the floor under TCG: the kernel copying the image out
			# of tmpfs (read(2)), and into tmpfs (read + write(2))
			$W --time dd if="$IMG" of=/dev/null bs=1M 2>/tmp/dd.err &&
				result "$wl" kernel read "$(secs "$(elapsed_of /tmp/dd.err)")" s 1
			$W --time dd if="$IMG" of=/tmp/copy.img bs=1M 2>/tmp/dd.err &&
				result "$wl" kernel copy "$(secs "$(elapsed_of /tmp/dd.err)")" s 1
			rm -f /tmp/copy.img
		fi
		if [ "$r" = 1 ] && [ -s "$IMG" ]; then
			$W --time ckpt restart --dry-run -i "$IMG" >/tmp/ckpt.out 2>/tmp/ckpt.err &&
				result "$wl" ckpt restart_dryrun "$(secs "$(elapsed_of /tmp/ckpt.err)")" s 1 ||
				info "$wl: ckpt restart --dry-run failed: $(cat /tmp/ckpt.out /tmp/ckpt.err | tr '\n' ' ')"
			# restart (once): timed when the kernel restores the
			# container and it runs, in the cgroup of --name; what
			# it refuses as not supported is reported as such
			[ "$BENCH_RESTART" = 1 ] &&
			$W --time ckpt restart -i "$IMG" --name "bench-$wl-r" \
				</dev/null >/tmp/ckpt.out 2>/tmp/ckpt.err
			st=$?
			if [ "$BENCH_RESTART" != 1 ]; then
				info "$wl: ckpt restart skipped (BENCH_RESTART=$BENCH_RESTART)"
			elif [ "$st" = 11 ] && grep -q 'not supported' /tmp/ckpt.out /tmp/ckpt.err; then
				result "$wl" ckpt restart NA s 1 not-supported-yet
			elif [ "$st" = 0 ] && grep -q '^populated 1' \
				"/sys/fs/cgroup/ckpt/bench-$wl-r/cgroup.events" 2>/dev/null; then
				result "$wl" ckpt restart "$(secs "$(elapsed_of /tmp/ckpt.err)")" s 1
				info "$wl: ckpt restart: pid $(head -n 1 /tmp/ckpt.out) running in bench-$wl-r"
			elif [ "$st" = 0 ]; then
				result "$wl" ckpt restart NA s 1 restored-process-gone
				info "$wl: ckpt restart succeeded, but nothing runs in bench-$wl-r"
			else
				result "$wl" ckpt restart NA s 1 failed
				info "$wl: ckpt restart exited $st: $(grep -v elapsed_ns /tmp/ckpt.out /tmp/ckpt.err | tr '\n' ' ' | cut -c 1-300)"
			fi
			stop_container "bench-$wl-r"
		fi
		rm -f "$IMG"

		# ckpt -z (lz4 through the pump)
		if [ "$r" -le "$BENCH_R_Z" ]; then
			$W --time ckpt checkpoint -z --leave-running -o "$IMG.lz4" \
				--name "bench-$wl" >/dev/null 2>/tmp/ckpt.err
			ns=$(elapsed_of /tmp/ckpt.err)
			if [ -s "$IMG.lz4" ] && [ -n "$ns" ]; then
				result "$wl" ckpt-z time "$(secs "$ns")" s "$r"
				result "$wl" ckpt-z size "$(stat -c %s "$IMG.lz4")" B "$r"
			else
				info "$wl: ckpt checkpoint -z failed: $(grep -v elapsed_ns /tmp/ckpt.err | tr '\n' ' ')"
			fi
			rm -f "$IMG.lz4"
		fi

		# criu dump
		if [ -n "$target" ]; then
			if criu_dump "$target" --leave-running; then
				ns=$(elapsed_of /tmp/criu.time)
				result "$wl" criu time "$(secs "$ns")" s "$r"
				# --display-stats: "Frozen time: N us" is its
				# downtime; "Memory write time" its copy of the
				# pages into the image files
				for stat in "Frozen time:downtime" "Memory write time:memwrite"; do
					us=$(cat /tmp/criu.out /tmp/criu.time 2>/dev/null |
						sed -n "s/.*${stat%%:*}: *\([0-9]*\) *us.*/\1/p" | tail -n 1)
					[ -z "$us" ] ||
						result "$wl" criu "${stat##*:}" "$(awk -v u="$us" 'BEGIN { printf "%.6f", u / 1e6 }')" s "$r"
				done
				result "$wl" criu size "$(cat "$CRIU_DIR"/* | wc -c)" B "$r"
				if [ "$r" = 1 ]; then
					info "$wl: criu stats: $(grep -h -E 'time:|pages' /tmp/criu.out /tmp/criu.time | tr -s ' \n' ' ')"
				fi
			else
				result "$wl" criu time NA s "$r" failed
				info "$wl: criu dump failed: $(criu_failure)"
			fi
			rm -rf "$CRIU_DIR"
		fi
		r=$((r + 1))
	done

	stop_container "bench-$wl"
	[ "$criu_target" != plain ] || stop_plain
}

# --- the workloads ----------------------------------------------------------
start=$(now)
#              name     repetitions    MiB  procs  workload arguments
bench_workload mem16    "$BENCH_R"     16   1     16
bench_workload mem256   "$BENCH_R"     256  1     256
bench_workload mem1024  "$BENCH_R_BIG" 1024 1     1024
bench_workload tree100  "$BENCH_R"     400  101   --tree 100 4M
bench_workload tree100s "$BENCH_R"     25   101   --tree 100 256K
bench_workload tree1000 "$BENCH_R_BIG" 250  1001  --tree 1000 256K
bench_workload files10k "$BENCH_R"     0    1     --files 10000
info "measurements took $(secs $(($(now) - start))) s"

# --- profile (BENCH_PROFILE) ------------------------------------------------
# perf record -e cpu-clock: QEMU's TCG has no PMU to emulate, so software
# sampling from the hrtimer, at PROFILE_HZ, of the whole system (-a; one
# CPU is online), with call chains (-g: ORC in the kernel, frame pointers,
# where there are any, in user space).  Kernel symbols come from
# /proc/kallsyms.  The profiled runs are timed too, to show what sampling
# costs; they are not part of the results.
PROFILE_HZ=1000

# profile_report NAME DATA: perf's reports of DATA, as PROFILE NAME lines
profile_report() {
	{
		echo "== self time by symbol (perf report --no-children --sort sym)"
		$PERF report -i "$2" --stdio --no-children --sort sym -g none \
			--percent-limit 0.1 2>&1
		echo "== self time by command (--sort comm)"
		$PERF report -i "$2" --stdio --no-children --sort comm -g none 2>&1
		echo "== time including callees (--children --sort sym)"
		$PERF report -i "$2" --stdio --children --sort sym -g none \
			--percent-limit 1 2>&1
		echo "== who calls the top symbols (--no-children -g callee)"
		$PERF report -i "$2" --stdio --no-children --sort sym \
			-g graph,1,callee --percent-limit 3 2>&1
	} | grep -v -e '^# (Tip:' -e '^# (Cannot load tips' \
		-e '^# To display the perf.data header' |
		sed "s/^/PROFILE $1 /"
}

# profile_run NAME CMD...: CMD under perf record, timed; 0 if CMD succeeded
profile_run() {
	pname=$1; shift
	rm -f /tmp/perf.data
	$PERF record -N -e cpu-clock -F "$PROFILE_HZ" -a -g -o /tmp/perf.data -- \
		$W --time "$@" </dev/null >/tmp/prof.out 2>/tmp/prof.err
	st=$?
	ns=$(elapsed_of /tmp/prof.err)
	info "profile $pname: exit $st, $(secs "${ns:-0}") s under perf;" \
		"$(grep -h '^\[ perf record' /tmp/prof.err | tr '\n' ' ')"
	if [ -s /tmp/perf.data ]; then
		profile_report "$pname" /tmp/perf.data
	else
		info "profile $pname: no perf.data: $(grep -v elapsed_ns /tmp/prof.err | tail -n 3 | tr '\n' ' ')"
	fi
	rm -f /tmp/perf.data
	return "$st"
}

# profile_workload NAME ARGS...: one checkpoint and one restart of NAME
profile_workload() {
	wl=$1; shift
	info "profile $wl: workload $*"
	if ! start_container "prof-$wl" "$@"; then
		info "profile $wl: the container did not get ready"
		stop_container "prof-$wl"
		return 0
	fi
	rm -f "$IMG"
	if profile_run "checkpoint-$wl" ckpt checkpoint --leave-running \
		-o "$IMG" --name "prof-$wl" && [ -s "$IMG" ]; then
		profile_run "restart-$wl" ckpt restart -i "$IMG" --name "prof-$wl-r" ||
			info "profile $wl: ckpt restart failed: $(grep -v elapsed_ns /tmp/prof.out /tmp/prof.err | grep -v '^\[ perf' | tr '\n' ' ' | cut -c 1-300)"
		stop_container "prof-$wl-r"
	else
		info "profile $wl: ckpt checkpoint failed: $(grep -v elapsed_ns /tmp/prof.err | tr '\n' ' ' | cut -c 1-300)"
	fi
	rm -f "$IMG"
	stop_container "prof-$wl"
}

if [ -n "$BENCH_PROFILE" ]; then
	if [ -x "$PERF" ] && $PERF --version >/tmp/perf.version 2>&1; then
		info "$(cat /tmp/perf.version); profiling: $BENCH_PROFILE"
		for wl in $BENCH_PROFILE; do
			case $wl in
			mem16)    profile_workload "$wl" 16 ;;
			mem256)   profile_workload "$wl" 256 ;;
			mem1024)  profile_workload "$wl" 1024 ;;
			tree100)  profile_workload "$wl" --tree 100 4M ;;
			tree100s) profile_workload "$wl" --tree 100 256K ;;
			tree1000) profile_workload "$wl" --tree 1000 256K ;;
			files10k) profile_workload "$wl" --files 10000 ;;
			*)        info "profile: unknown workload $wl" ;;
			esac
		done
	else
		info "perf does not run: $(head -n 1 /tmp/perf.version 2>/dev/null)"
	fi
fi

# --- criu restore, last (it may take the guest down) -----------------------
# ckpt cannot restore yet; CRIU's restore time is the baseline for when it
# does.  Once per workload: dump a fresh plain copy without --leave-running
# (criu kills it), wait until its pids are free, restore it detached, check
# that all its processes are back, and kill them.

pgrp_count() {	# processes in process group $1
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v g="$1" '$5 == g' | wc -l
}

wait_pgrp_gone() {
	t=0
	while [ "$(pgrp_count "$1")" != 0 ]; do
		t=$((t + 1))
		[ "$t" -le 600 ] || return 1
		sleep 0.1
	done
}

# criu_restore_workload NAME PROCS ARGS...
criu_restore_workload() {
	wl=$1 procs=$2; shift 2
	case " $BENCH_ONLY " in
	"  " | *" $wl "*) ;;
	*) return 0 ;;
	esac
	if ! start_plain "$@" || ! criu_dump "$ppid"; then
		info "$wl: criu restore: the dump before it failed: $(criu_failure)"
		result "$wl" criu restore NA s 1 dump-failed
		stop_plain
		return 0
	fi
	wait "$ppid" 2>/dev/null
	wait_pgrp_gone "$ppid" || info "$wl: the dumped processes did not go away"
	rm -f /tmp/criu.restored
	$W --time $CRIU restore -D "$CRIU_DIR" -W "$CRIU_WORK" -o restore.log \
		--shell-job -d --pidfile /tmp/criu.restored \
		>/tmp/criu.out 2>/tmp/criu.time
	st=$?
	ns=$(elapsed_of /tmp/criu.time)
	root=$(cat /tmp/criu.restored 2>/dev/null)
	back=0
	[ -z "$root" ] || back=$(pgrp_count "$root")
	if [ "$st" = 0 ] && [ -n "$ns" ] && [ "$back" = "$procs" ]; then
		result "$wl" criu restore "$(secs "$ns")" s 1
		info "$wl: criu restored $back processes (root $root, $(sed -n 's/^State:[[:space:]]*//p' "/proc/$root/status"))"
	else
		result "$wl" criu restore NA s 1 fails-on-6.12
		info "$wl: criu restore exited $st, $back of $procs processes back: $(grep -h -i -E 'error|killed|segfault' \
			"$CRIU_WORK/restore.log" /tmp/criu.out /tmp/criu.time 2>/dev/null |
			tail -n 4 | tr '\n' ' ' | cut -c 1-400)"
		echo "---- criu restore.log, last lines ----"
		tail -n 15 "$CRIU_WORK/restore.log" 2>/dev/null
		echo "----"
	fi
	[ -z "$root" ] || { kill -9 "-$root" 2>/dev/null; wait_pgrp_gone "$root"; }
	stop_plain
	rm -rf "$CRIU_DIR"
}

if [ "$criu_target" = plain ]; then
	info "criu restore, once per workload"
	criu_restore_workload mem16    1    16
	criu_restore_workload mem256   1    256
	criu_restore_workload mem1024  1    1024
	criu_restore_workload tree100  101  --tree 100 4M
	criu_restore_workload tree100s 101  --tree 100 256K
	criu_restore_workload tree1000 1001 --tree 1000 256K
	criu_restore_workload files10k 1    --files 10000
fi
info "at the end: $(clocksource); $(dmesg | grep -i -E 'clocksource|tsc.*unstable' | tail -n 2 | tr '\n' ' ')"
echo "BENCH-DONE"
exit 0
