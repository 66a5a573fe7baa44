# SPDX-License-Identifier: GPL-2.0
#
# Native tests of format version 2 on: the state of each task (attributes,
# restart block, credentials, fd table, fs, signal handlers, signal and
# task signal records, pending signals) and pipes, as `ckpt info` shows
# them in text and JSON, and as the reader checks their order and fields
# (tests/mkimage.c writes state.img, and copies of it damaged in one way
# each); and the refusal of format version 1, which `ckpt convert`
# (tests/convert.sh) rewrites.  Sourced by tests/run.sh after streams.sh,
# whose helpers it uses.

# ---- Format versions 1 and 2 are refused, with a hint ----
g1=$tests/golden/v1.img
check "version 1: info refuses it" 7 "^ckpt: .*/v1\\.img: unsupported format version 1 \\(this tool reads version 4\\): convert it with 'ckpt convert'\$" \
	"$ckpt" info "$g1"
check "version 1: info refuses a synthetic one too" 7 "unsupported format version 1 .*convert it with 'ckpt convert'\$" \
	"$ckpt" info "$img/v1-tasks.img"
check "version 1: the restart check refuses it" 7 "convert it with 'ckpt convert'\$" \
	"$libtest" read --restart "$g1"
check "version 1: restart --dry-run (fake kernel) refuses it, with the hint" 7 "^ckpt: .*restart: unsupported format version 1 .*convert it with 'ckpt convert'\$" \
	"$fake" restart --dry-run -i "$g1"
check "version 1: read by a reader that reads any version" 0 '^valid$' \
	"$libtest" read --any-version "$img/v1-tasks.img"
check "version 1: but never for restart" 7 'unsupported format version 1' \
	"$libtest" read --any-version --restart "$img/v1-tasks.img"
check "version 0: refused, with no hint" 7 'unsupported format version 0 \(this tool reads version 4\)$' \
	"$ckpt" info "$img/version-0.img"

# ---- A valid image with all of it: state.img ----
si=$img/state.img
check "state: image OK"                   0 '^image OK$' "$ckpt" info "$si"
check "state: valid for restart"           0 '^valid$' "$libtest" read --restart "$si"
check "state: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$si"
check "state: the tree"                    0 '^ +3 +1 +3 +- +- +7 +- +\\_ helper$' "$ckpt" info "$si"
check "state: files, ends of a pipe"       0 '^ +3 +pipe +01 +0 +- +pipe:\[1\]$' "$ckpt" info "$si"
check "state: files, a character device"   0 '^ +5 +chr +0100002 +0 +dev 1:3 +/dev/null$' "$ckpt" info "$si"
check "state: pipes, capacity and bytes held" 0 '^ +1 +65536 +11$' "$ckpt" info "$si"
check "state: pipes, counted"              0 '^pipes: +1$' "$ckpt" info "$si"
check "state: a section per task"          0 '^  pid 1 \(server\):$' "$ckpt" info "$si"
check "state: attributes"                  0 '^    attributes: +nice 5, policy 3 \(batch\), rt priority 0, dumpable 1, pdeath signal SIGKILL, flags 0x2 child_subreaper$' "$ckpt" info "$si"
check "state: rseq, robust list, clear_child_tid" 0 '^ +clear_child_tid 0x7ffff7d8ea10, robust list 0x7ffff7d8ea20 \(24 bytes\), rseq 0x7ffff7d8f0e0 \(32 bytes, signature 0x53053053\)$' "$ckpt" info "$si"
check "state: the restart block, time left" 0 '^    restart block: +poll, 2\.500000000 s left, 2 fds at 0x7fffffffe000$' "$ckpt" info "$si"
check "state: credentials and groups"      0 '^    credentials: +uid 1000/1000/1000/1000, gid 1000/1000/1000/1000, groups 4,24,27$' "$ckpt" info "$si"
check "state: capabilities in hex"         0 '^    capabilities: +inheritable 0x0, permitted 0x0, effective 0x0, bounding 0x1ffffffffff, ambient 0x0, securebits 0x0$' "$ckpt" info "$si"
check "state: fd table, counted"           0 '^    fd table 8: +5 fds$' "$ckpt" info "$si"
check "state: fd table, a file"            0 '^ +1  -  +reg +0102001 +1234  /var/log/server\.log$' "$ckpt" info "$si"
check "state: fd table, a pipe, close-on-exec" 0 '^ +3  cloexec  pipe +00 +0  pipe:\[1\]$' "$ckpt" info "$si"
check "state: fs: umask, root, cwd"        0 '^    fs 9: +umask 0022, root /, cwd /srv$' "$ckpt" info "$si"
check "state: handlers, those not default" 0 '^    sighand 10: +3 not the default$' "$ckpt" info "$si"
check "state: a handler, its flags and mask" 0 '^      SIGCHLD +0x401600 +0x14000000 +0x2$' "$ckpt" info "$si"
check "state: an ignored signal"           0 '^      SIGPIPE +ignored +0x0 +0x0$' "$ckpt" info "$si"
check "state: itimers"                     0 '^    signal 11: +itimers: real 1\.500000000 s every 1\.000000000 s$' "$ckpt" info "$si"
check "state: rlimits that are not unlimited" 0 '^ +rlimits: stack 8388608/unlimited, core 0/unlimited, nofile 1024/4096$' "$ckpt" info "$si"
check "state: blocked signals"             0 '^    blocked: +0xa00 \(SIGUSR1 SIGUSR2\)$' "$ckpt" info "$si"
check "state: the alternate stack"         0 '^    altstack: +0x7ffff7ff0000-0x7ffff7ff2000 \(8192 bytes\), flags 0x80000000$' "$ckpt" info "$si"
check "state: pending, counted"            0 '^    pending: +2$' "$ckpt" info "$si"
check "state: a pending signal of the task" 0 '^      SIGUSR1 \(10\), private, si_code 0 \(SI_USER\)$' "$ckpt" info "$si"
check "state: a pending signal of the process" 0 '^      SIGRTMIN\+1 \(33\), shared, si_code -1 \(SI_QUEUE\)$' "$ckpt" info "$si"
check "state: a thread shares the fd table" 0 '^    fd table 8: +shared with pid 1$' "$ckpt" info "$si"
check "state: a thread shares the handlers" 0 '^    sighand 10: +shared with pid 1$' "$ckpt" info "$si"
check "state: a child's own fd table"      0 '^    fd table 12: +1 fd$' "$ckpt" info "$si"
check "state: all handlers default"        0 '^    sighand 14: +all default$' "$ckpt" info "$si"
check "state: no limits"                   0 '^ +rlimits: all unlimited$' "$ckpt" info "$si"
check "state: no timers"                   0 '^    signal 15: +itimers: none$' "$ckpt" info "$si"
check "state: nothing for a zombie"        0 '' no_line '^  pid 4 ' "$ckpt" info "$si"
check "state: record types counted"        0 '^record types: +60 \(header 1, namespaces 1, file 5, pipe 1, string 9, mm 1, vma 3, pages 1, task 4, registers 3, xstate 3, tls 3, restart_block 1, task_attrs 3, cred 3, fd_table 3, fs 3, sighand 3, signal 3, task_signal 3, siginfo 2, tail 1\)$' "$ckpt" info "$si"
check "state --records: a pipe"            0 '^      pipe 1: capacity 65536, 11 bytes held$' "$ckpt" info --records "$si"
check "state --records: an end of a pipe"  0 '^      file 2: pipe, flags 00, offset 0, size 0, rdev 0x0, pipe 1$' "$ckpt" info --records "$si"
check "state --records: an fd"             0 '^        fd 3: file 2, flags 0x1$' "$ckpt" info --records "$si"
check "state --records: a task's number of files" 0 '^      pid 1, tgid 1, ppid 0, pgid 0, sid 0, mm 7, flags 0x0, stop signal 0, exit code 0, files 5, comm "server"$' "$ckpt" info --records "$si"
check "state --records: a restart block, after the TLS record" 0 '^ +10864 +103 +restart_block +56$' "$ckpt" info --records "$si"
check "state --records: a pending signal"  0 '^      SIGRTMIN\+1 \(33\), shared, si_code -1$' "$ckpt" info --records "$si"
check "state --records: a shared sighand"  0 '^      sighand 10: 0 actions, 0 not the default$' "$ckpt" info --records "$si"
compress "$si"
check "state: an lz4 stream of it, from a pipe" 0 '^    fs 9: +umask 0022, root /, cwd /srv$' ckpt_stdin "$si.lz4"
head -c 13732 "$si" >"$img/state-truncated.img"
check "state: truncated in the pending signals" 4 'truncated at offset 13732, in record 30 \(type 404, siginfo\) at offset 13688$' \
	"$ckpt" info "$img/state-truncated.img"

# ---- More than a record keeps: a pipe of 100000 bytes, 5000 fds ----
bi=$img/bulk.img
check "bulk: image OK"                     0 '^image OK$' "$ckpt" info "$bi"
check "bulk: all 5000 fds"                 0 '^    fd table 5: +5000 fds$' "$ckpt" info "$bi"
check "bulk: the last fd, past what a record keeps" 0 '^ +4999  -  +pipe +00 +0  pipe:\[1\]$' "$ckpt" info "$bi"
check "bulk: the pipe"                     0 '^ +1 +1048576 +100000$' "$ckpt" info "$bi"
check "bulk --records: the fds kept, and how many more" 0 '^        \.\.\. and 905 more$' "$ckpt" info --records "$bi"
check "bulk: a pipe's data is not kept"    0 '^record 2 type 302 len 100024 kept 24$' "$libtest" read --restart "$bi"
check "bulk: valid for restart"            0 '^valid$' "$libtest" read --restart "$bi"
check "bulk: an fd out of order past what a record keeps" 5 '\(type 303, fd_table\): fd table 5: fd 4500 is not after the fd before it \(4500\)$' \
	"$ckpt" info "$img/bulk-fd-unsorted.img"
check "bulk: the same, checked for restart" 5 'fd 4500 is not after the fd before it' \
	"$libtest" read --restart "$img/bulk-fd-unsorted.img"

# ---- Each rule broken once: IMAGE|the message ----
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "state rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/state-$name"
done <<'EOF'
no-attrs.img|: the attributes of task 1 must come here
fs-before-fd.img|: the fd table of task 1 must come here
file-in-task.img|: the fd table of task 1 must come here
no-restart-block.img|: the restart block of task 1 must come here: its registers say it restarts a system call with one \(orig_ax 7, ax -516\)
stray-restart-block.img|: task 2 has a restart block, but its registers do not say it restarts a system call with one \(orig_ax 202, ax -512\)
rb-kind.img|: task 1: a restart block of unknown kind 5
fds-unsorted.img|: fd table 8: fd 3 is not after the fd before it \(4\)
fd-undefined.img|: fd 4 of fd table 8 refers to file 16, which is not defined before it
fd-not-file.img|: fd 4 of fd table 8 refers to file 1, which is a pipe
fd-flags.img|: fd table 8: fd 3 has unknown flags 0x2
fd-reserved.img|: fd table 8: fd 3: the reserved field is 0x1, not zero
fd-too-big.img|: fd table 8: fd 1048576 is not below 1048576
nr-files.img|: task 1 has 4 open files, its fd table 8 has 5 fds
shared-fds.img|: fd table 8 was written before: here it has no fds \(not 5\)
fd-table-len.img| has a bad length \(112, expected 96 for 5 fds\)
pipe-file-undefined.img|: file 2 refers to pipe 0, which is not defined before it
pipe-file-path.img|: a string record that belongs to no file or fs
reg-pipe-ref.img|: file 4 is no pipe, but names pipe 1
pipe-overfull.img|: pipe 1 holds 5000 bytes, more than its capacity \(4096\)
pipe-small.img|: pipe 1 has a capacity of 1024 bytes \(4096 to 1048576\)
pipe-big.img|: pipe 1 has a capacity of 2097152 bytes \(4096 to 1048576\)
pipe-len.img| has a bad length \(34, expected 35 for 11 bytes of data\)
fs-one-string.img|: the working directory of fs 9 \(a string record\) must come here
fs-relative.img|: the working directory of fs 9 is not absolute
sighand-new-empty.img|: sighand 10 is new: it has 0 actions, not 64
sighand-shared-full.img|: sighand 10 was written before: here it has no actions \(not 64\)
sighand-len.img| has a bad length \(2032, expected 2064 for 64 actions\)
siginfo-missing.img|: pending signal 2 of the 2 of task 1 must come here
siginfo-extra.img|: a pending signal that no task signal record announced
signo.img|: task 1: pending signal 1 has bad signal number 65 \(1 to 64\)
signo-mismatch.img|: task 1: pending signal 1 is signal 10, but its siginfo says 12
siginfo-flags.img|: task 1: pending signal 1 has unknown flags 0x4
pending-max.img|: task 1 has 4097 pending signals \(at most 4096\)
rlimit.img|: signal 11: the soft limit of rlimit 7 \(nofile\), 8192, is above its hard limit, 4096
nice.img|: task 1: nice value 20, not -20 to 19
attr-flags.img|: task 1 has unknown attribute flags 0x4
groups-max.img|: 65537 supplementary groups \(at most 65536\)
cred-len.img| has a bad length \(96, expected 104 for 3 groups, padded to 8 bytes\)
share-wrong-kind.img|: sighand 9 was defined before as another kind of object \(fs 9\)
objref-skip.img|: fd table 9 is defined out of order \(expected objref 8, or that of one written before\)
zombie-state.img|: a task_attrs record that belongs to no task
no-task-signal.img|: the task signal record of task 3 must come here
pipe-end-rdwr.img|: file 3, an end of pipe 1, is open with access mode 2: an end is read or written, not both
cred-unpadded.img| has a bad length \(100, expected 104 for 3 groups, padded to 8 bytes\)
caps.img|: task 1: capabilities 0x20000000000 beyond the last one the kernel knows \(40\)
securebits.img|: task 1: securebits 0x100 \(only 0xff: noroot, no_setuid_fixup, keep_caps, no_cap_ambient_raise, and their locks\)
umask.img|: fs 9: umask 01022 \(at most 0777\)
nr-files-max.img|: task 3 has 1048577 open files \(at most 1048576\)
xstate-features.img|: task 1: XSAVE components 0x8 that the image's CPU did not have \(xfeatures 0x2e7\)
xstate-compacted.img|: task 2: an XSAVE area in the compacted format \(XCOMP_BV 0x8000000000000000\)
rb-negative.img|: task 1: a poll restart block with a negative time \(-1 ns\)
rb-addr.img|: task 1: a poll restart block with address 0xffff888000000000 outside user space
rb-bitset.img|: task 1: a poll restart block with futex flags 0x0 or bitset 0x1 \(0 for a kind other than futex\)
rb-poll-flags.img|: task 1: a poll restart block with flags 0x3 \(has_timeout 0x2 only\)
rb-poll-clock.img|: task 1: a poll restart block with clockid 1 or type 0 \(0\)
rb-poll-nfds.img|: task 1: a poll restart block of 2147483648 fds \(at most 2\^31 - 1\)
rb-poll-time.img|: task 1: a poll restart block without a timeout, but a time \(2500000000 ns\)
rb-none-fields.img|: task 1: a restart block of kind none with fields set \(flags 0x0, time 0, addr 0x0, clockid 0, type 0, val 1\)
rb-ns-flags.img|: task 1: a nanosleep restart block with flags 0x1 \(none\)
rb-ns-clock.img|: task 1: a nanosleep restart block on clock 2 \(CLOCK_REALTIME, MONOTONIC, BOOTTIME or TAI\)
rb-ns-type.img|: task 1: a nanosleep restart block of type 2 \(0, or 1 with a 64-bit rmtp\)
rb-ns-val.img|: task 1: a nanosleep restart block with val 1 \(0\)
policy.img|: task 1: scheduling policy 6 \(SCHED_OTHER, BATCH, IDLE, FIFO or RR\)
rt-prio.img|: task 1: real-time priority 0 with policy 1 \(1 to 99\)
rt-prio-other.img|: task 1: real-time priority 5 with policy 3 \(0 without a real-time policy\)
dumpable.img|: task 1: dumpable 3 \(0 to 2\)
pdeath.img|: task 1: parent-death signal 65 \(0 to 64\)
pdeath-neg.img|: task 1: parent-death signal -1 \(0 to 64\)
tid-addr.img|: task 1: clear_child_tid 0xffffffffff600000, robust list 0x7ffff7d8ea20 or rseq 0x7ffff7d8f0e0 outside user space
robust-len.img|: task 1: a robust list of 16 bytes at 0x7ffff7d8ea20 \(24 bytes with one, 0 without\)
robust-none.img|: task 1: a robust list of 24 bytes at 0x0 \(24 bytes with one, 0 without\)
rseq-align.img|: task 1: an rseq area of 32 bytes at 0x7ffff7d8f0e4 \(at least 32, aligned to 32\)
rseq-len.img|: task 1: an rseq area of 16 bytes at 0x7ffff7d8f0e0 \(at least 32, aligned to 32\)
rseq-none.img|: task 1: no rseq area, but an rseq length 32 or signature 0x53053053
sigkill-handler.img|: sighand 10: SIGKILL has a handler \(0x1\): it can have none
sigstop-handler.img|: sighand 10: SIGSTOP has a handler \(0x401500\): it can have none
handler-addr.img|: sighand 10: SIGINT: handler 0xffffffff81000000 or restorer 0x401000 outside user space
sa-flags.img|: sighand 10: SIGCHLD: flags 0x114000000 beyond 32 bits
itimer.img|: signal 11: interval timer 0 \(real\): time left 9223372036854775808 ns or interval 1000000000 ns above 2\^63 - 1
altstack-flags.img|: task 1: alternate stack flags 0x80000001 \(SS_AUTODISARM 0x80000000 only\)
altstack-small.img|: task 1: an alternate stack of 1024 bytes \(at least MINSIGSTKSZ, 2048\)
altstack-none.img|: task 1: no alternate stack, but its address 0x7ffff7ff0000 or flags 0x0
altstack-addr.img|: task 1: an alternate stack at 0xffff800000000000 of 8192 bytes, outside user space
sigkill-pending.img|: task 1: pending signal 1 is SIGKILL, which restart\(2\) does not queue
rb-futex-unaligned.img|: task 1: a futex restart block with an unaligned address 0x7ffff7d8e002
rb-futex-bitset.img|: task 1: a futex restart block with an empty bitset
rb-futex-clock.img|: task 1: a futex restart block with clockid 1 or type 0 \(0\)
rb-futex-flags.img|: task 1: a futex restart block with unknown futex flags 0x4
rb-futex-abs-flag.img|: task 1: a futex restart block with flags 0x1 and futex flags 0x0 \(absolute 0x1 with clockrt 0x2, and only then\)
rb-futex-no-abs.img|: task 1: a futex restart block with flags 0x0 and futex flags 0x2 \(absolute 0x1 with clockrt 0x2, and only then\)
rb-futex-negative.img|: task 1: a futex restart block with a negative time \(-5 ns\)
EOF
check "state rules: the restart check says the same" 5 'task 1 has 4 open files, its fd table 8 has 5 fds$' \
	"$libtest" read --restart "$img/state-nr-files.img"
check "state rules: restart --dry-run (fake kernel) says the same" 5 '^ckpt: .*restart: the image is corrupt: .*the restart block of task 1 must come here' \
	"$fake" restart --dry-run -i "$img/state-no-restart-block.img"
check "state rules: info shows what came before the damage" 5 '^ +1 +65536 +11$' \
	"$ckpt" info "$img/state-nr-files.img"
check "state rules: the restart check refuses an end of a pipe open O_RDWR" 5 'file 3, an end of pipe 1, is open with access mode 2' \
	"$libtest" read --restart "$img/state-pipe-end-rdwr.img"
check "state rules: and so does restart --dry-run (fake kernel)" 5 '^ckpt: .*restart: the image is corrupt: .*a poll restart block with a negative time' \
	"$fake" restart --dry-run -i "$img/state-rb-negative.img"
check "state rules: the restart check, an attribute" 5 'task 1: an rseq area of 16 bytes at 0x7ffff7d8f0e0' \
	"$libtest" read --restart "$img/state-rseq-len.img"
check "state rules: the restart check, an address in user space, as this machine has it" 5 'task 1: an alternate stack at 0xffff800000000000 of 8192 bytes, outside user space$' \
	"$libtest" read --restart "$img/state-altstack-addr.img"
check "state: a futex wait in a restart block" 0 '^    restart block: +futex, 1\.000000000 s left, futex 0x7ffff7d8e000, value 0, bitset 0xffffffff, flags 0x0$' \
	"$ckpt" info "$img/state-rb-futex.img"
check "state: a futex wait in a restart block, for restart" 0 '^valid$' "$libtest" read --restart "$img/state-rb-futex.img"
check "state: a futex wait with a CLOCK_REALTIME deadline" 0 '^valid$' "$libtest" read --restart "$img/state-rb-futex-abs.img"
# user space goes up to 2^56 with 5-level paging: info, for any machine,
# takes an address above 2^47 (the restart check, this machine's bound)
check "state: an rseq area at 2^55, in the user space of some machines" 0 '^image OK$' \
	"$ckpt" info "$img/state-rseq-high.img"

# ---- The same as JSON ----
state_json_tests=(
	"state --json: valid JSON, with --records"
	"state --json: the pipes, and the ends of a pipe among the files"
	"state --json: attributes"
	"state --json: restart block"
	"state --json: credentials"
	"state --json: fd table"
	"state --json: fs"
	"state --json: handlers that are not the default"
	"state --json: itimers and all 16 rlimits"
	"state --json: blocked, altstack, pending"
	"state --json: a thread shares its process's objects"
	"state --json: a zombie has none of it"
	"state --json: the records of each type"
	"state --json: --records, what the new records say"
	"state --json: 5000 fds"
	"state --json: a damaged image: what came before it"
)
if [ -z "$have_python" ]; then
	for t in "${state_json_tests[@]}"; do
		skip "$t" "no python3"
	done
else
	t=("${state_json_tests[@]}")
	json_valid() { "$ckpt" info --json --records "$1" | python3 -m json.tool >/dev/null; }
	check "${t[0]}" 0 '' json_valid "$si"
	check "${t[1]}" 0 '^status 0$' json_check \
		'd["pipes"] == [{"objref": 1, "size": 65536, "len": 11, "fifo": False}] and d["files"][0] == {"objref": 2, "type": "pipe", "flags": 0, "pos": 0, "size": 0, "rdev": 0, "path": None, "pipe": 1, "seals": 0, "seal_names": [], "pages": None, "page_bytes": None, "epoll_items": None, "external_fd": None} and d["files"][2]["pipe"] is None' \
		"$ckpt" info --json "$si"
	check "${t[2]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["attrs"] == {"flags": 2, "no_new_privs": False, "child_subreaper": True, "nice": 5, "policy": 3, "policy_name": "batch", "rt_priority": 0, "dumpable": 1, "pdeath_signal": 9, "clear_child_tid": 0x7ffff7d8ea10, "robust_list": 0x7ffff7d8ea20, "robust_list_len": 24, "rseq": 0x7ffff7d8f0e0, "rseq_len": 32, "rseq_sig": 0x53053053} and d["tasks"][0]["nr_files"] == 5' \
		"$ckpt" info --json "$si"
	check "${t[3]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["restart_block"] == {"kind": "poll", "kind_id": 3, "flags": 2, "absolute": False, "time": 2500000000, "addr": 0x7fffffffe000, "clockid": 0, "type": 0, "val": 2, "futex_flags": 0, "bitset": 0} and d["tasks"][1]["restart_block"] is None' \
		"$ckpt" info --json "$si"
	check "${t[4]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["cred"] == {"uid": 1000, "euid": 1000, "suid": 1000, "fsuid": 1000, "gid": 1000, "egid": 1000, "sgid": 1000, "fsgid": 1000, "nr_groups": 3, "groups": [4, 24, 27], "cap_inheritable": 0, "cap_permitted": 0, "cap_effective": 0, "cap_bset": 0x1ffffffffff, "cap_ambient": 0, "securebits": 0}' \
		"$ckpt" info --json "$si"
	check "${t[5]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["fd_table"]["objref"] == 8 and [(f["fd"], f["cloexec"], f["file"], f["type"], f["path"], f["pipe"], f["flags"], f["pos"]) for f in d["tasks"][0]["fd_table"]["fds"]] == [(0, False, 5, "chr", "/dev/null", None, 0o100002, 0), (1, False, 6, "reg", "/var/log/server.log", None, 0o102001, 1234), (2, False, 6, "reg", "/var/log/server.log", None, 0o102001, 1234), (3, True, 2, "pipe", None, 1, 0, 0), (4, True, 3, "pipe", None, 1, 1, 0)]' \
		"$ckpt" info --json "$si"
	check "${t[6]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["fs"] == {"objref": 9, "umask": 0o22, "root": "/", "cwd": "/srv"} and d["tasks"][2]["fs"] == {"objref": 13, "umask": 0o77, "root": "/", "cwd": "/"}' \
		"$ckpt" info --json "$si"
	check "${t[7]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["sighand"] == {"objref": 10, "actions": [{"signo": 2, "name": "SIGINT", "handler": 0x401500, "flags": 0x4000000, "restorer": 0x401000, "mask": 0}, {"signo": 13, "name": "SIGPIPE", "handler": 1, "flags": 0, "restorer": 0, "mask": 0}, {"signo": 17, "name": "SIGCHLD", "handler": 0x401600, "flags": 0x14000000, "restorer": 0x401000, "mask": 2}]} and d["tasks"][2]["sighand"] == {"objref": 14, "actions": []}' \
		"$ckpt" info --json "$si"
	check "${t[8]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["signal"]["itimers"] == {"real": {"value": 1500000000, "interval": 1000000000}, "virtual": {"value": 0, "interval": 0}, "prof": {"value": 0, "interval": 0}} and list(d["tasks"][0]["signal"]["rlimits"]) == ["cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"] and d["tasks"][0]["signal"]["rlimits"]["nofile"] == {"cur": 1024, "max": 4096} and d["tasks"][0]["signal"]["rlimits"]["cpu"] == {"cur": 2**64 - 1, "max": 2**64 - 1}' \
		"$ckpt" info --json "$si"
	check "${t[9]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["blocked"] == 0xa00 and d["tasks"][0]["altstack"] == {"sp": 0x7ffff7ff0000, "size": 8192, "flags": 2**31} and d["tasks"][0]["pending"] == [{"signo": 10, "name": "SIGUSR1", "shared": False, "code": 0, "timer": None}, {"signo": 33, "name": "SIGRTMIN+1", "shared": True, "code": -1, "timer": None}] and d["tasks"][1]["altstack"] is None and d["tasks"][1]["pending"] == []' \
		"$ckpt" info --json "$si"
	check "${t[10]}" 0 '^status 0$' json_check \
		'all(d["tasks"][1][k] == d["tasks"][0][k] for k in ("fd_table", "fs", "sighand", "signal", "cred", "attrs"))' \
		"$ckpt" info --json "$si"
	check "${t[11]}" 0 '^status 0$' json_check \
		'd["tasks"][3]["zombie"] and all(d["tasks"][3][k] is None for k in ("attrs", "restart_block", "cred", "fs", "fd_table", "sighand", "signal", "blocked", "altstack", "pending"))' \
		"$ckpt" info --json "$si"
	check "${t[12]}" 0 '^status 0$' json_check \
		'd["record_counts"] == {"header": 1, "namespaces": 1, "file": 5, "pipe": 1, "string": 9, "mm": 1, "vma": 3, "pages": 1, "task": 4, "registers": 3, "xstate": 3, "tls": 3, "restart_block": 1, "task_attrs": 3, "cred": 3, "fd_table": 3, "fs": 3, "sighand": 3, "signal": 3, "task_signal": 3, "siginfo": 2, "tail": 1}' \
		"$ckpt" info --json "$si"
	check "${t[13]}" 0 '^status 0$' json_check \
		'd["records"][2]["pipe"] == {"objref": 1, "size": 65536, "len": 11, "fifo": False} and d["records"][23]["fd_table"]["fds"][3] == {"fd": 3, "file": 2, "flags": 1} and d["records"][30]["siginfo"] == {"signo": 10, "flags": 0, "shared": False, "code": 0, "timer": None} and d["records"][22]["cred"]["groups"] == [4, 24, 27] and d["records"][20]["restart_block"]["kind"] == "poll" and d["records"][27]["sighand"]["nr"] == 64 and len(d["records"][27]["sighand"]["actions"]) == 3 and d["records"][19]["tls"]["entries"][0]["entry_number"] == 12' \
		"$ckpt" info --json --records "$si"
	check "${t[14]}" 0 '^status 0$' json_check \
		'len(d["tasks"][0]["fd_table"]["fds"]) == 5000 and d["tasks"][0]["fd_table"]["fds"][4999]["pipe"] == 1 and d["pipes"][0]["len"] == 100000' \
		"$ckpt" info --json "$bi"
	check "${t[15]}" 0 '^status 5$' json_check \
		'd["ok"] is False and "fd 4 of fd table 8 refers to file 16" in d["error"] and d["pipes"][0]["objref"] == 1 and d["tasks"][0]["fd_table"] is None and d["tasks"][0]["cred"]["uid"] == 1000' \
		"$ckpt" info --json "$img/state-fd-undefined.img"
fi
