# SPDX-License-Identifier: GPL-2.0
#
# Native tests of format version 3: the TLS descriptors of each task
# (set_thread_area(2)) and the POSIX timers of each process (timer_create(2))
# with their pending signals, as `ckpt info` shows them in text and JSON,
# and as the reader checks their order and fields (tests/mkimage.c writes
# timers.img, and copies of it damaged in one way each).  Sourced by
# tests/run.sh after streams.sh and state.sh, whose helpers it uses.

# ---- A valid image: a 32-bit TLS segment, four timers, two pending ----
# tests/mkimage.c, put_timers_image(): the ticker (pid 1) in pause(), with
# GDT entry 12 in use; timer 0 (monotonic, SIGRTMIN+2 to the process,
# 250 ms left, every 100 ms, overruns 2 and 1, its signal pending), timer
# 1 (realtime, SIGEV_NONE, disarmed), timer 3 (boottime, SIGUSR1 to thread
# 1, a one-shot with 5 s left, its signal pending), timer 7 (tai,
# SIGEV_THREAD with SIGRTMIN, every second); the next id 8; a zombie
tm=$img/timers.img
check "timers: image OK"                   0 '^image OK$' "$ckpt" info "$tm"
check "timers: valid for restart"          0 '^valid$' "$libtest" read --restart "$tm"
check "timers: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$tm"
check "timers: the TLS descriptors in use, counted" 0 '^    tls: +1 of 3 in use$' "$ckpt" info "$tm"
check "timers: a 32-bit data segment, its flags by name" 0 '^      entry 12: base 0x804c000, limit 0xfffff, flags 0x51 \(seg_32bit,limit_in_pages,useable\)$' \
	"$ckpt" info "$tm"
check "timers: unused TLS descriptors are not listed" 0 '' no_line '^      entry 1[34]:' "$ckpt" info "$tm"
check "timers: none in use says so"        0 '^    tls: +none$' "$ckpt" info "$img/tasks.img"
check "timers: empty or all-zero descriptors with lm are unused, and valid" 0 '^    tls: +1 of 3 in use$' \
	"$ckpt" info "$img/timers-tls-lm.img"
check "timers: ... and valid for restart" 0 '^valid$' "$libtest" read --restart "$img/timers-tls-lm.img"
check "timers: POSIX timers, counted, and the next id" 0 '^ +posix timers: 4, next id 8$' "$ckpt" info "$tm"
check "timers: a periodic timer, its overruns, its signal pending" 0 '^ +0  monotonic  signal +SIGRTMIN\+2 +0\.250000000 +0\.100000000 +2 +1  yes$' \
	"$ckpt" info "$tm"
check "timers: a disarmed timer that sends nothing" 0 '^ +1  realtime +none +- +disarmed +- +-1 +0  -$' \
	"$ckpt" info "$tm"
check "timers: a one-shot timer that signals a thread" 0 '^ +3  boottime +thread_id 1 +SIGUSR1 +5\.000000000 +- +-1 +0  yes$' \
	"$ckpt" info "$tm"
check "timers: a SIGEV_THREAD timer, not pending" 0 '^ +7  tai +thread +SIGRTMIN +1\.000000000 +1\.000000000 +-1 +0  -$' \
	"$ckpt" info "$tm"
check "timers: none says so, with the next id" 0 '^ +posix timers: none, next id 0$' "$ckpt" info "$img/state.img"
check "timers: a timer's signal pending for a thread, marked" 0 '^      SIGUSR1 \(10\), private, si_code -2 \(SI_TIMER\), of POSIX timer 3$' \
	"$ckpt" info "$tm"
check "timers: a timer's signal pending for the process, marked" 0 '^      SIGRTMIN\+2 \(34\), shared, si_code -2 \(SI_TIMER\), of POSIX timer 0$' \
	"$ckpt" info "$tm"
check "timers: another signal is not marked" 0 '^      SIGUSR2 \(12\), private, si_code 0 \(SI_USER\)$' "$ckpt" info "$tm"
check "timers: record types counted"       0 '^record types: +31 \(header 1, namespaces 1, file 1, string 3, mm 1, vma 3, pages 1, task 2, registers 1, xstate 1, tls 1, task_attrs 1, cred 1, fd_table 1, fs 1, sighand 1, signal 1, posix_timer 4, task_signal 1, siginfo 3, tail 1\)$' \
	"$ckpt" info "$tm"
check "timers --records: the TLS record after the xstate" 0 '^ +10504 +112 +tls +56$' "$ckpt" info --records "$tm"
check "timers --records: each descriptor, unused ones too" 0 '^      entry 14: base 0x0, limit 0x0, flags 0x28 \(read_exec_only,seg_not_present\)$' \
	"$ckpt" info --records "$tm"
check "timers --records: the signal record counts the timers" 0 '^      signal 6: itimers .*, 4 POSIX timers, next id 8$' \
	"$ckpt" info --records "$tm"
check "timers --records: a timer record" 0 '^      timer 3: clock 7 \(boottime\), notify 4 \(thread_id\), tid 1, signal 10, value 0x7ffff7d8e000, left 5\.000000000 s, interval 0\.000000000 s, overrun -1, last 0$' \
	"$ckpt" info --records "$tm"
check "timers --records: a timer's pending signal" 0 '^      SIGRTMIN\+2 \(34\), shared, si_code -2, of POSIX timer 0$' \
	"$ckpt" info --records "$tm"
compress "$tm"
check "timers: an lz4 stream of it, from a pipe" 0 '^ +posix timers: 4, next id 8$' ckpt_stdin "$tm.lz4"
head -c 13368 "$tm" >"$img/timers-truncated.img"
check "timers: truncated in a timer" 4 'truncated at offset 13368, in record 23 \(type 405, posix_timer\) at offset 13336$' \
	"$ckpt" info "$img/timers-truncated.img"
check "timers: truncated, the timers before it" 4 '^ +posix timers: 2, next id 8$' \
	"$ckpt" info "$img/timers-truncated.img"

# ---- Each rule broken once: IMAGE|the message ----
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "timers rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/timers-$name"
done <<'EOF'
tls-missing.img|: the TLS descriptors of task 1 must come here
tls-short.img| has a bad length \(48, expected at least 56\)
tls-entry.img|: task 1: TLS descriptor 1 is for GDT entry 12, not 13
tls-flags.img|: task 1: TLS descriptor 0 \(GDT entry 12\) has unknown flags 0x100
tls-16bit.img|: task 1: TLS descriptor 0 \(GDT entry 12, base 0x804c000, limit 0xfffff, flags 0x50\) is a 16-bit segment, which set_thread_area\(2\) does not make
tls-code.img|: task 1: TLS descriptor 0 \(GDT entry 12, base 0x804c000, limit 0xfffff, flags 0x55\) is a code segment, which set_thread_area\(2\) does not make
tls-not-present.img|: task 1: TLS descriptor 0 \(GDT entry 12, base 0x804c000, limit 0xfffff, flags 0x71\) is a segment that is not present, which set_thread_area\(2\) does not make
tls-empty-base.img|: task 1: TLS descriptor 2 \(GDT entry 14, base 0x1000, limit 0x0, flags 0x28\) is a 16-bit segment, which set_thread_area\(2\) does not make
tls-zombie.img|: a tls record that belongs to no task
signal-short.img| has a bad length \(320, expected at least 328\)
max.img|: signal 6 has 65537 POSIX timers \(at most 65536\)
next-id.img|: signal 6: the next POSIX timer id is 2147483648 \(0 to 2\^31 - 1\)
signal-reserved.img|: the reserved field is 0x1, not zero
missing.img|: POSIX timer 4 of the 4 of signal 6 must come here
extra.img|: the task signal record of task 1 must come here
order.img|: signal 6: POSIX timer 1 is not after the one before it \(1\)
id-negative.img|: signal 6: POSIX timer id -1 \(0 to 2\^31 - 1\)
clock-cpu.img|: signal 6: POSIX timer 0 on clock 2 \(CLOCK_REALTIME, MONOTONIC, BOOTTIME or TAI\)
clock-alarm.img|: signal 6: POSIX timer 0 on clock 8 \(CLOCK_REALTIME, MONOTONIC, BOOTTIME or TAI\)
notify.img|: signal 6: POSIX timer 1 notifies by 5 \(SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD, or SIGEV_SIGNAL \| SIGEV_THREAD_ID\)
tid-none.img|: signal 6: POSIX timer 3 signals a thread \(SIGEV_THREAD_ID\), but names none \(0\)
tid-stray.img|: signal 6: POSIX timer 0 notifies by 0, but names thread 1 \(only with SIGEV_THREAD_ID\)
tid-other.img|: task 1: pending signal 1 of POSIX timer 3 is task 1's, but the timer signals thread 2
signo.img|: signal 6: POSIX timer 7 has bad signal number 65 \(1 to 64\)
signo-zero.img|: signal 6: POSIX timer 7 has bad signal number 0 \(1 to 64\)
reserved.img|: signal 6: POSIX timer 7: the reserved field is 0x1, not zero
left.img|: signal 6: POSIX timer 0: time left 9223372036854775808 ns or interval 100000000 ns above 2\^63 - 1
interval.img|: signal 6: POSIX timer 0: time left 250000000 ns or interval 9223372036854775808 ns above 2\^63 - 1
overrun.img|: signal 6: POSIX timer 0: overrun -2 \(-1 or more\) or last overrun 1 \(0 or more\)
overrun-last.img|: signal 6: POSIX timer 0: overrun 2 \(-1 or more\) or last overrun -1 \(0 or more\)
timer-short.img| has a bad length \(64, expected at least 72\)
siginfo-flags.img|: task 1: pending signal 2 has unknown flags 0x4
siginfo-code.img|: task 1: pending signal 3 is a POSIX timer's, but has si_code -1, not SI_TIMER \(-2\)
siginfo-unknown.img|: task 1: pending signal 3 is that of POSIX timer 2, which signal 6 does not have
siginfo-none.img|: task 1: pending signal 3 is that of POSIX timer 1, which sends none \(SIGEV_NONE\)
siginfo-signo.img|: task 1: pending signal 3 is signal 12, but POSIX timer 0 sends signal 34
siginfo-twice.img|: task 1: pending signal 4 is that of POSIX timer 0, which is pending already
siginfo-shared.img|: task 1: pending signal 1 of POSIX timer 3 is shared, but the timer signals a thread \(SIGEV_THREAD_ID\)
siginfo-private.img|: task 1: pending signal 3 of POSIX timer 0 is private, but the timer signals the process
EOF
# Longer records than this version's are a newer writer's: what it
# appended is skipped, as the kernel skips it (the extension rule).
check "timers: a longer TLS record is read (the extension rule)" 0 '^valid$' \
	"$libtest" read --restart "$img/timers-tls-long.img"
check "timers: a longer signal record is read (the extension rule)" 0 '^valid$' \
	"$libtest" read --restart "$img/timers-signal-long.img"
check "timers rules: the restart check says the same" 5 'task 1: TLS descriptor 0 \(GDT entry 12, base 0x804c000, limit 0xfffff, flags 0x55\) is a code segment' \
	"$libtest" read --restart "$img/timers-tls-code.img"
check "timers rules: the restart check, a timer's signal" 5 'pending signal 4 is that of POSIX timer 0, which is pending already$' \
	"$libtest" read --restart "$img/timers-siginfo-twice.img"
check "timers rules: restart --dry-run (fake kernel) says the same" 5 '^ckpt: .*restart: the image is corrupt: .*POSIX timer 0 on clock 2 ' \
	"$fake" restart --dry-run -i "$img/timers-clock-cpu.img"
check "timers rules: info shows what came before the damage" 5 '^ +posix timers: 3, next id 8$' \
	"$ckpt" info "$img/timers-signo.img"

# ---- The same as JSON ----
timers_json_tests=(
	"timers --json: valid JSON, with --records"
	"timers --json: the TLS descriptors in use, none for a zombie"
	"timers --json: no TLS descriptor in use, an empty list"
	"timers --json: the signal record, its timers, which are pending"
	"timers --json: a timer's pending signal names it"
	"timers --json: the records of each type"
	"timers --json: --records, the TLS, signal, timer and siginfo records"
	"timers --json: a damaged image: the timers before the damage"
)
if [ -z "$have_python" ]; then
	for t in "${timers_json_tests[@]}"; do
		skip "$t" "no python3"
	done
else
	t=("${timers_json_tests[@]}")
	check "${t[0]}" 0 '' json_valid "$tm"
	check "${t[1]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["tls"] == [{"entry_number": 12, "base_addr": 0x804c000, "limit": 0xfffff, "flags": 0x51, "seg_32bit": True, "contents": 0, "read_exec_only": False, "limit_in_pages": True, "seg_not_present": False, "useable": True, "lm": False}] and d["tasks"][1]["zombie"] and d["tasks"][1]["tls"] is None' \
		"$ckpt" info --json "$tm"
	check "${t[2]}" 0 '^status 0$' json_check \
		'all(t["tls"] == [] for t in d["tasks"] if not t["zombie"]) and d["tasks"][2]["tls"] is None' \
		"$ckpt" info --json "$img/tasks.img"
	check "${t[3]}" 0 '^status 0$' json_check \
		'(lambda s: s["nr_posix_timers"] == 4 and s["next_posix_timer_id"] == 8 and s["posix_timers"] == [{"id": 0, "clock": 1, "clock_name": "monotonic", "notify": 0, "notify_name": "signal", "notify_tid": 0, "signo": 34, "signal": "SIGRTMIN+2", "value": 0x1234, "left": 250000000, "interval": 100000000, "overrun": 2, "overrun_last": 1, "pending": True}, {"id": 1, "clock": 0, "clock_name": "realtime", "notify": 1, "notify_name": "none", "notify_tid": 0, "signo": 0, "signal": None, "value": 0, "left": 0, "interval": 0, "overrun": -1, "overrun_last": 0, "pending": False}, {"id": 3, "clock": 7, "clock_name": "boottime", "notify": 4, "notify_name": "thread_id", "notify_tid": 1, "signo": 10, "signal": "SIGUSR1", "value": 0x7ffff7d8e000, "left": 5000000000, "interval": 0, "overrun": -1, "overrun_last": 0, "pending": True}, {"id": 7, "clock": 11, "clock_name": "tai", "notify": 2, "notify_name": "thread", "notify_tid": 0, "signo": 32, "signal": "SIGRTMIN", "value": 0x5678, "left": 1000000000, "interval": 1000000000, "overrun": -1, "overrun_last": 0, "pending": False}])(d["tasks"][0]["signal"]) and d["tasks"][1]["signal"] is None' \
		"$ckpt" info --json "$tm"
	check "${t[4]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["pending"] == [{"signo": 10, "name": "SIGUSR1", "shared": False, "code": -2, "timer": 3}, {"signo": 12, "name": "SIGUSR2", "shared": False, "code": 0, "timer": None}, {"signo": 34, "name": "SIGRTMIN+2", "shared": True, "code": -2, "timer": 0}]' \
		"$ckpt" info --json "$tm"
	check "${t[5]}" 0 '^status 0$' json_check \
		'd["record_counts"]["tls"] == 1 and d["record_counts"]["posix_timer"] == 4 and d["record_counts"]["siginfo"] == 3' \
		"$ckpt" info --json "$tm"
	check "${t[6]}" 0 '^status 0$' json_check \
		'[r["name"] for r in d["records"][12:28]] == ["tls", "task_attrs", "cred", "fd_table", "fs", "string", "string", "sighand", "signal", "posix_timer", "posix_timer", "posix_timer", "posix_timer", "task_signal", "siginfo", "siginfo"] and [e["flags"] for e in d["records"][12]["tls"]["entries"]] == [0x51, 0x28, 0x28] and d["records"][20]["signal"]["nr_posix_timers"] == 4 and d["records"][23]["posix_timer"]["notify_tid"] == 1 and d["records"][26]["siginfo"] == {"signo": 10, "flags": 2, "shared": False, "code": -2, "timer": 3}' \
		"$ckpt" info --json --records "$tm"
	check "${t[7]}" 0 '^status 5$' json_check \
		'd["ok"] is False and "POSIX timer 1 is not after the one before it" in d["error"] and [p["id"] for p in d["tasks"][0]["signal"]["posix_timers"]] == [0, 1]' \
		"$ckpt" info --json "$img/timers-order.img"
fi
