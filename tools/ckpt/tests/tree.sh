# SPDX-License-Identifier: GPL-2.0
#
# Native tests of format version 4: a process tree, each process in its
# own address space after its task record, threads, process groups and
# sessions, a stopped process, as `ckpt info` shows them in text and
# JSON, and as the reader checks the tasks' order and fields (tests/
# mkimage.c writes tree.img, and copies of it damaged in one way each).
# Also the namespaces record, epoll files and external files of version
# 4.  Sourced by tests/run.sh after memfd.sh, whose helpers it uses.

# ---- A valid image: tree.img ----
# tests/mkimage.c, put_tree_image(): the init (pid 1) outside any group
# or session of the container; a server (pid 2, leader of group and
# session 2) with POSIX timers, one of which signals its thread (pid 3);
# a worker (pid 4, in group 2) with its thread (pid 5), both stopped by
# SIGTSTP, which the server has not waited for; a zombie (pid 6); a
# thread of the init (pid 7), made last.  Each process in its own address
# space (mm 2, 8, 13), written right after its first task's record.
tr=$img/tree.img
# record_names CMD...: the names of the records CMD lists, on one line
record_names() {
	"$@" | awk 'NF == 4 && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ { printf "%s ", $3 } END { print "" }'
}
check "tree: image OK"                     0 '^image OK$' "$ckpt" info "$tr"
check "tree: valid for restart"            0 '^valid$' "$libtest" read --restart "$tr"
check "tree: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$tr"
check "tree: counted, the stopped process too" 0 '^tasks: +7: 4 processes, 3 other threads, 1 zombie, 1 stopped$' \
	"$ckpt" info "$tr"
check "tree: no stopped process, not counted" 0 '^tasks: +3: 2 processes, 1 other thread, 1 zombie$' \
	"$ckpt" info "$img/tasks.img"
check "tree: the table's columns"          0 '^ +pid +ppid +tgid +pgid +sid +mm +state +comm$' "$ckpt" info "$tr"
check "tree: the init, outside any group or session" 0 '^ +1 +0 +1 +- +- +2 +- +init$' "$ckpt" info "$tr"
check "tree: a thread of the init, made last, under it" 0 '^ +7 +0 +1 +- +- +2 +thread +\\_ \{init\}$' "$ckpt" info "$tr"
check "tree: a session and group leader" 0 '^ +2 +1 +2 +2 +2 +8 +- +\\_ server$' "$ckpt" info "$tr"
check "tree: its thread"                   0 '^ +3 +1 +2 +2 +2 +8 +thread +   \\_ \{server\}$' "$ckpt" info "$tr"
check "tree: a stopped process, not yet reported" 0 '^ +4 +2 +4 +2 +2 +13 +stopped \(SIGTSTP\), unreported +   \\_ worker$' \
	"$ckpt" info "$tr"
check "tree: its thread, stopped with it" 0 '^ +5 +2 +4 +2 +2 +13 +thread, stopped \(SIGTSTP\), unreported +      \\_ \{worker\}$' \
	"$ckpt" info "$tr"
check "tree: a zombie in the group"        0 '^ +6 +2 +6 +2 +2 +- +zombie, exit 1 +   \\_ gone$' "$ckpt" info "$tr"
check "tree: leaders, their threads, then their children" 0 '^1 7 2 3 4 5 6 $' tree_order "$ckpt" info "$tr"
check "tree: each address space and its tasks" 0 '^mm 13: used by 2 tasks \(pids 4, 5\)$' "$ckpt" info "$tr"
check "tree: a thread shares its process's signal record" 0 '^    signal 12: +shared with pid 2$' "$ckpt" info "$tr"
check "tree: a thread made after other processes shares its process's" 0 '^    fd table 3: +shared with pid 1$' \
	"$ckpt" info "$tr"
check "tree: a timer's signal pending on the thread it signals" 0 '^      SIGUSR1 \(10\), private, si_code -2 \(SI_TIMER\), of POSIX timer 0$' \
	"$ckpt" info "$tr"
check "tree: the timer that signals the thread" 0 '^ +0  monotonic  thread_id 3 +SIGUSR1 .*  yes$' "$ckpt" info "$tr"
check "tree --records: each task record"   0 '^      pid 4, tgid 4, ppid 2, pgid 2, sid 2, mm 13, flags 0x6, stop signal 20, exit code 0, files 0, comm "worker"$' \
	"$ckpt" info --records "$tr"
check "tree --records: a process's address space after its task record" 0 ' file string task mm vma vma pages registers xstate tls task_attrs ' \
	record_names "$ckpt" info --records "$tr"
check "tree --records: a thread's CPU state right after its task record" 0 ' task_signal siginfo task registers xstate tls ' \
	record_names "$ckpt" info --records "$tr"
check "tree: a tree whose root is not pid 1 is valid (restart, not a dry run, refuses it: EOPNOTSUPP)" 0 '^valid$' \
	"$libtest" read --restart "$img/tree-root-9.img"
check "tree: ... its root"                 0 '^ +9 +0 +9 +- +- +2 +- +init$' "$ckpt" info "$img/tree-root-9.img"
check "tree: the first task after its address space, as version 3 wrote it, is valid" 0 '^image OK$' \
	"$ckpt" info "$img/tree-init-mm-first.img"
check "tree: ... and in that order"        0 '^header namespaces file string mm vma vma pages task registers ' \
	record_names "$ckpt" info --records "$img/tree-init-mm-first.img"
compress "$tr"
check "tree: an lz4 stream of it, from a pipe" 0 '^ +4 +2 +4 +2 +2 +13 +stopped \(SIGTSTP\), unreported ' ckpt_stdin "$tr.lz4"
head -c 20352 "$tr" >"$img/tree-truncated.img"
check "tree: truncated, the tasks before it" 4 '^ +4 +2 +4 +2 +2 +13 +stopped \(SIGTSTP\), unreported ' \
	"$ckpt" info "$img/tree-truncated.img"

# ---- Each rule broken once: IMAGE|the message ----
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "tree rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/tree-$name"
done <<'EOF'
flags.img|: task 4: bad exit signal \(17\) or flags \(0xe\)
stop-signo.img|: task 4: stopped by signal 9 \(SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU\)
stop-no-flag.img|: task 2: not stopped, but with a stop signal \(19\) or an unreported stop \(flags 0x0\)
unreported-alone.img|: task 2: not stopped, but with a stop signal \(0\) or an unreported stop \(flags 0x4\)
zombie-stopped.img|: task 6: a zombie with job control state \(flags 0x3\)
pgid-neg.img|: task 2: bad process group \(-2\) or session \(2\)
sid-neg.img|: task 2: bad process group \(2\) or session \(-1\)
pgid-outside.img|: task 2: a process group outside the container \(0\) in session 2, inside it
reserved2.img|: task 2: the second reserved field is 0x1, not zero
thread-exit-signal.img|: task 3: exit signal 17: a thread's is -1, and only a thread's
process-exit-signal.img|: task 2: exit signal -1: a thread's is -1, and only a thread's
zombie-thread.img|: task 6: a zombie thread \(of process 2\)
live-exit-code.img|: task 2: a live task with an exit status \(0x100\)
first-thread.img|: task 1 comes first, but is a thread \(of process 9\): the first task is the root of the tree, a live process with parent 0
init-parent.img|: task 1 comes first, but has parent 5: the first task is the root of the tree, a live process with parent 0
init-zombie.img|: task 1 comes first, but is a zombie: the first task is the root of the tree, a live process with parent 0
pid-twice.img|: task 4 comes twice \(pids are unique\)
parent-later.img|: task 2: its parent, 4, is no task before it \(a process comes after its parent\)
parent-thread.img|: task 6: its parent, 3, is a thread, not a process
parent-zombie.img|: task 8: its parent, 6, is a zombie
thread-first.img|: task 3: its thread group leader, 4, is no task before it \(a thread comes after its thread group leader\)
leader-zombie.img|: task 7: its thread group leader, 6, is a zombie
leader-thread.img|: task 7: its thread group leader, 3, is a thread, not a process
thread-ppid.img|: task 3, a thread of process 2, has parent 0, not its process's \(1\)
mm-before-task.img|: mm 13 comes before the task that uses it first: an address space comes right after that task's record \(only the first task of an image may come after its own\)
two-early-mms.img|: the pages of mm 2, or the first task, which uses it, must come here
early-mm-unused.img|: task 1, the first task, is not in the address space before it \(mm 2\), but in mm 3
no-mm.img|: the address space of task 2, mm 8, must come here: no task before it used it
mm-objref.img|: mm 9 where the address space of task 2, mm 8, must come
file-in-mm.img|: the pages of mm 8, or the registers of task 2, must come here
early-file.img|: the pages of mm 2, or the first task, which uses it, must come here
task-v3-len.img| has a bad length \(64, expected at least 80\)
signal-timers.img|: signal 12 was written before: here it has no POSIX timers \(not 2\)
signal-other.img|: signal 12 is that of process 2: task 4, of process 4, cannot share it \(only the threads of a process do\)
thread-signal.img|: signal 13: task 3, a thread of process 2, has a signal record of its own: the threads of a process share its own
thread-shared-pending.img|: task 3: pending signal 2 is its process's \(shared\), which come with the process's first task
timer-wrong-thread.img|: task 3: pending signal 1 of POSIX timer 0 is task 3's, but the timer signals thread 5
timer-tid-earlier.img|: POSIX timer 0 of process 2 signals task 1, not a live thread of the process
timer-tid-none.img|: POSIX timer 0 of process 2 signals task 99, not a live thread of the process
group-other-session.img|: task 6: process group 2 is led by task 2, which is in another session
group-split.img|: task 6: in process group 9 and session 6, where the group's processes before it are in session 2
group-thread.img|: task 6: process group 3 is led by task 3, a thread
EOF
check "tree rules: the restart check says the same" 5 'task 2: its parent, 4, is no task before it' \
	"$libtest" read --restart "$img/tree-parent-later.img"
check "tree rules: restart --dry-run (fake kernel) says the same" 5 '^ckpt: .*restart: the image is corrupt: .*mm 13 comes before the task that uses it first' \
	"$fake" restart --dry-run -i "$img/tree-mm-before-task.img"
check "tree rules: info shows what came before the damage" 5 '^ +2 +1 +2 +2 +2 +8 +- +\\_ server$' \
	"$ckpt" info "$img/tree-pid-twice.img"
check "tree rules: a record of version 3's length, by the restart check" 5 '\(type 101, task\) has a bad length \(64, expected at least 80\)$' \
	"$libtest" read --restart "$img/tree-task-v3-len.img"

# ---- The same as JSON ----
tree_json_tests=(
	"tree --json: the tree, counted"
	"tree --json: each task's pid, parent, group, session"
	"tree --json: a stopped task, its signal, not reported"
	"tree --json: threads, their exit signal -1"
	"tree --json: --records, each task record's new fields"
	"tree --json: a corrupt tree, the tasks before the damage"
)
if [ -z "$have_python" ]; then
	for t in "${tree_json_tests[@]}"; do
		skip "$t" "no python3"
	done
else
	t=("${tree_json_tests[@]}")
	check "${t[0]}" 0 '^status 0$' json_check \
		'd["ok"] and d["tree"] == {"tasks": 7, "processes": 4, "threads": 3, "zombies": 1, "stopped": 1}' \
		"$ckpt" info --json "$tr"
	check "${t[1]}" 0 '^status 0$' json_check \
		'[(x["pid"], x["ppid"], x["tgid"], x["pgid"], x["sid"]) for x in d["tasks"]] == [(1, 0, 1, 0, 0), (2, 1, 2, 2, 2), (3, 1, 2, 2, 2), (4, 2, 4, 2, 2), (5, 2, 4, 2, 2), (6, 2, 6, 2, 2), (7, 0, 1, 0, 0)]' \
		"$ckpt" info --json "$tr"
	check "${t[2]}" 0 '^status 0$' json_check \
		'[x["stopped"] for x in d["tasks"]] == [None, None, None, {"signal": 20, "name": "SIGTSTP", "unreported": True}, {"signal": 20, "name": "SIGTSTP", "unreported": True}, None, None]' \
		"$ckpt" info --json "$tr"
	check "${t[3]}" 0 '^status 0$' json_check \
		'[(x["pid"], x["thread"], x["exit_signal"]) for x in d["tasks"] if x["thread"]] == [(3, True, -1), (5, True, -1), (7, True, -1)] and all(x["exit_signal"] == 17 for x in d["tasks"] if not x["thread"])' \
		"$ckpt" info --json "$tr"
	check "${t[4]}" 0 '^status 0$' json_check \
		'[(r["task"]["pid"], r["task"]["pgid"], r["task"]["sid"], r["task"]["flags"], r["task"]["stop_signo"]) for r in d["records"] if r["type"] == 101][2:5] == [(3, 2, 2, 0, 0), (4, 2, 2, 6, 20), (5, 2, 2, 6, 20)]' \
		"$ckpt" info --json --records "$tr"
	check "${t[5]}" 0 '^status 5$' json_check \
		'd["ok"] is False and [x["pid"] for x in d["tasks"]] == [1, 2, 3, 4, 5] and d["tree"]["stopped"] == 1 and "task 4 comes twice" in d["error"]' \
		"$ckpt" info --json "$img/tree-pid-twice.img"
fi

# ---- The namespaces record, first after the header ----
# tests/mkimage.c, put_ns_image(): a header, a namespaces record (the
# container's own UTS namespace, web.example, and IPC namespace), a tail;
# every other image of this version has one with no flags
ns=$img/ns.img
check "namespaces: image OK"               0 '^image OK$' "$ckpt" info "$ns"
check "namespaces: valid for restart"      0 '^valid$' "$libtest" read --restart "$ns"
check "namespaces: its own UTS namespace, its names, and IPC namespace" 0 '^namespaces: +uts \(hostname "web", domainname "example"\), ipc$' \
	"$ckpt" info "$ns"
check "namespaces: none of its own"        0 '^namespaces: +none of its own \(the UTS and IPC namespaces of restart.s caller\)$' \
	"$ckpt" info "$tr"
check "namespaces --records: the record"   0 '^      flags 0x3 \(uts,ipc\), hostname "web", domainname "example"$' \
	"$ckpt" info --records "$ns"
check "namespaces: a longer record is read (the extension rule)" 0 '^valid$' \
	"$libtest" read --restart "$img/ns-long.img"
if [ -n "$have_python" ]; then
	check "namespaces --json: the summary and the record" 0 '^status 0$' json_check \
		'd["namespaces"] == {"flags": 3, "uts": True, "ipc": True, "hostname": "web", "domainname": "example"} and d["records"][1]["namespaces"] == {"flags": 3, "hostname": "web", "domainname": "example"}' \
		"$ckpt" info --json --records "$ns"
else
	skip "namespaces --json: the summary and the record" "no python3"
fi
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "namespaces rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/ns-$name"
done <<'END'
missing.img|: the namespaces record must come here, the first after the header
missing-file.img|: the namespaces record must come here, the first after the header
flags.img|: unknown namespace flags 0x4
reserved.img|: the reserved field is 0x1, not zero
hostname-no-uts.img|: the hostname is set, without CKPT_NS_UTS
hostname-long.img|: the hostname is not NUL-terminated
domain-padding.img|: the domainname is not zero-padded
pad.img|: the padding is not zero
twice.img|: a second namespaces record \(there is one, the first after the header\)
short.img| has a bad length \(144, expected at least 152\)
END
check "namespaces rules: restart --dry-run (fake kernel) says the same" 5 'the namespaces record must come here' \
	"$fake" restart --dry-run -i "$img/ns-missing.img"

# ---- Epoll files and what they watch ----
# tests/mkimage.c, put_epoll_image(): a process (pid 1) with an epoll file
# (file 4, fd 5) watching both ends of a pipe (files 2 and 3, fds 3 and
# 4), its items record after the files of the fds, before the task
ep=$img/epoll.img
check "epoll: image OK"                    0 '^image OK$' "$ckpt" info "$ep"
check "epoll: valid for restart"           0 '^valid$' "$libtest" read --restart "$ep"
check "epoll: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$ep"
check "epoll: the file, and how many items it watches" 0 '^ +4 +epoll +02000002 +0 +-  anon_inode:\[eventpoll\] \(2 items watched\)$' \
	"$ckpt" info "$ep"
check "epoll: in the fd table"             0 '^ +5  cloexec  epoll +02000002 +0  anon_inode:\[eventpoll\]$' "$ckpt" info "$ep"
check "epoll --records: its items"         0 '^        fd 3: file 2, events 0x80000001, data 0x3$' "$ckpt" info --records "$ep"
check "epoll --records: after the files of the fds, before the task" 0 ' file file file epoll file string task mm ' \
	record_names "$ckpt" info --records "$ep"
check "epoll: a longer items record is read (the extension rule)" 0 '^valid$' \
	"$libtest" read --restart "$img/epoll-long.img"
if [ -n "$have_python" ]; then
	check "epoll --json: the file and its items" 0 '^status 0$' json_check \
		'[f["epoll_items"] for f in d["files"]] == [None, None, 2, None] and d["files"][2]["type"] == "epoll" and [r["epoll"] for r in d["records"] if r["type"] == 306] == [{"file_objref": 4, "nr_items": 2, "items": [{"fd": 3, "file": 2, "events": 0x80000001, "data": 3}, {"fd": 4, "file": 3, "events": 4, "data": 0x7ffff7d8e000}]}]' \
		"$ckpt" info --json --records "$ep"
else
	skip "epoll --json: the file and its items" "no python3"
fi
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "epoll rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/epoll-$name"
done <<'END'
rdonly.img|: epoll file 4 has open flags 02000000 \(O_RDWR, and O_NONBLOCK, O_CLOEXEC, O_LARGEFILE only\)
append.img|: epoll file 4 has open flags 02002002 \(O_RDWR, and O_NONBLOCK, O_CLOEXEC, O_LARGEFILE only\)
size.img|: epoll file 4 has an offset \(0\), size \(1\) or device \(0x0\): none
path.img|: a string record that belongs to no file or fs
not-epoll.img|: the items of file 2, which is no epoll file
undefined.img|: the epoll items record refers to file 9, which is not defined before it
twice.img|: the items of epoll file 4, which came before
many.img|: epoll file 4 has 1048577 items \(at most 1048576\)
short.img| has a bad length \(40, expected at least 64 for 2 items\)
fd.img|: epoll file 4: item 0 watches fd 1048576 \(below 1048576\)
reserved.img|: epoll file 4: item 0 \(fd 3\): the reserved field is 0x1, not zero
events.img|: epoll file 4: item 1 \(fd 4\) has unknown events 0x4000
watches-epoll.img|: epoll file 4: item 1 \(fd 5\) watches epoll file 4 \(not supported: checkpoint refuses it\)
file-undefined.img|: item 0 \(fd 3\) of epoll file 4 refers to file 9, which is not defined before it
unlisted.img|: task 1 comes while 1 epoll file before it has no items record
END
check "epoll rules: the restart check says the same" 5 'epoll file 4: item 1 \(fd 4\) has unknown events 0x4000$' \
	"$libtest" read --restart "$img/epoll-events.img"

# ---- External files (CHECKPOINT_EXTERNAL) ----
# tests/mkimage.c, put_external_image(): a process (pid 1) whose fds 0 and
# 1 are files shared with the outside, saved as the fd of restart's caller
# they take, and a name for people
ex=$img/external.img
check "external: image OK"                 0 '^image OK$' "$ckpt" info "$ex"
check "external: valid for restart"        0 '^valid$' "$libtest" read --restart "$ex"
check "external: the file, its fd and name" 0 '^ +1 +external +00 +0 +fd 0  pipe:\[12345\] \(external: restart.s caller.s fd 0\)$' \
	"$ckpt" info "$ex"
check "external: in the fd table"          0 '^ +1  -        external +01 +0  /dev/pts/0$' "$ckpt" info "$ex"
check "external --records: its fd"         0 '^      file 1: external, flags 00, offset 0, size 0, fd 0$' "$ckpt" info --records "$ex"
if [ -n "$have_python" ]; then
	check "external --json: its fd"        0 '^status 0$' json_check \
		'[(f["type"], f["external_fd"], f["path"]) for f in d["files"]] == [("external", 0, "pipe:[12345]"), ("external", 1, "/dev/pts/0"), ("reg", None, "/usr/bin/filter")]' \
		"$ckpt" info --json "$ex"
else
	skip "external --json: its fd" "no python3"
fi
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "external rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/external-$name"
done <<'END'
append.img|: external file 1 has open flags 02000 \(O_RDONLY, O_WRONLY or O_RDWR only\)
accmode.img|: external file 1 has open flags 03 \(O_RDONLY, O_WRONLY or O_RDWR only\)
fd.img|: external file 1 is at fd 1048576 \(below 1048576\)
pos.img|: external file 1 has an offset \(1\) or size \(0\): none
no-name.img|: the path of file 1 \(a string record\) must come here
END
