# SPDX-License-Identifier: GPL-2.0
#
# Native tests of SysV IPC objects (format version 4): ipc.img
# (tests/mkimage.c) holds, right after its namespaces record (which has
# CKPT_NS_IPC), two shared memory segments with their pages (the second
# removed while attached), a semaphore set and a message queue, and an
# address space that attaches both segments (the second read-only);
# ipc-big.img has a message of 100000 bytes, which streams past the
# reader.  ipc-mq.img holds two semaphore sets, the SEM_UNDO adjustments
# of its process on both, two POSIX message queues (one with messages of
# priorities 5 and 0, one empty) and a task with a file open on the first
# at fd 3; ipc-mq-big.img has a POSIX message of 100000 bytes.  `ckpt
# info` shows them in text and JSON, and the reader checks them as
# restart(2) does (kernel/checkpoint/ipc.c, files.c): the damaged copies
# break each rule once.  Sourced by tests/run.sh after memfd.sh, whose
# helpers it uses.

ii=$img/ipc.img
check "ipc: image OK"                      0 '^image OK$' "$ckpt" info "$ii"
check "ipc: valid for restart"             0 '^valid$' "$libtest" read --restart "$ii"
check "ipc: its first-task order too"      0 '^valid$' "$libtest" read --restart "$img/ipc-mm-first.img"
check "ipc: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$ii"
check "ipc: messages walked in pieces of any size" 0 '' "$libtest" msg-walk
check "ipc: the namespaces line"           0 '^namespaces: +ipc$' "$ckpt" info "$ii"
check "ipc: the objects, counted"          0 '^ipc: +2 shm segments \(2 pages in the image\), 1 semaphore set, 1 message queue \(2 messages, 29 bytes\)$' \
	"$ckpt" info "$ii"
check "ipc: a segment, its key, owner, mode, size and pages" 0 '^ +1 +0  0x0000162e  1000/1000 +0600 +12388 +2  -$' \
	"$ckpt" info "$ii"
check "ipc: a segment removed while attached" 0 '^ +2 +32769  0x00000000  0/0 +0640 +5000 +0  dest$' \
	"$ckpt" info "$ii"
check "ipc: the semaphore set and its values" 0 '^ +0  0x00001234  0/0 +0666 +3  1,0,32767$' \
	"$ckpt" info "$ii"
check "ipc: the message queue, its messages and bytes" 0 '^ +0  0x00004321  0/0 +0600 +16384 +2 +29$' \
	"$ckpt" info "$ii"
check "ipc: a segment attached, no page of it in the mm" 0 '^    7f0000000000-7f0000004000 rw-s 00000000 sysv_shm +0  shared +SYSV0000162e$' \
	"$ckpt" info "$ii"
check "ipc: the other attached read-only"  0 '^    7f0000010000-7f0000012000 r--s 00000000 sysv_shm +0  shared,shm_rdonly SYSV00000000$' \
	"$ckpt" info "$ii"
check "ipc: the files line is the executable's alone" 0 '^files: +1$' "$ckpt" info "$ii"
check "ipc: record types counted"          0 '^record types: +32 \(header 1, namespaces 1, ipc_shm 2, ipc_sem 1, ipc_msg 1, file 1, string 3, file_pages 2, mm 1, ' \
	"$ckpt" info "$ii"
check "ipc --records: a segment's record"  0 '^      shm segment 1: id 0, key 0x0000162e, owner 1000/1000, creator 1000/1000, mode 0600, 12388 bytes, flags 0x0$' \
	"$ckpt" info --records "$ii"
check "ipc --records: its pages, as a memfd's" 0 '^      shm segment 1: 2 pages, offsets 0x0 to 0x2000, the last$' \
	"$ckpt" info --records "$ii"
check "ipc --records: a removed segment"   0 '^      shm segment 2: id 32769, key 0x00000000, owner 0/0, creator 0/0, mode 0640, 5000 bytes, flags 0x1 \(removed\)$' \
	"$ckpt" info --records "$ii"
check "ipc --records: its pages, none"     0 '^      shm segment 2: 0 pages, the last$' "$ckpt" info --records "$ii"
check "ipc --records: the semaphore set"   0 '^      semaphore set 0: key 0x00001234, owner 0/0, creator 0/0, mode 0666, 3 semaphores: 1,0,32767$' \
	"$ckpt" info --records "$ii"
check "ipc --records: the message queue"   0 '^      message queue 0: key 0x00004321, owner 0/0, creator 0/0, mode 0600, capacity 16384, 2 messages$' \
	"$ckpt" info --records "$ii"
check "ipc --records: the area of a segment" 0 '^      0x7f0000010000-0x7f0000012000, prot 0x1, flags 0xc0, pgoff 0x0, sysv_shm, file 2$' \
	"$ckpt" info --records "$ii"
check "ipc: from a pipe"                   0 '^ipc: +2 shm segments ' ckpt_stdin "$ii"
compress "$ii"
check "ipc: an lz4 stream of it"           0 '^image OK$' ckpt_stdin "$ii.lz4"

# ---- A message queue longer than the reader keeps (ipc-big.img) ----
ib=$img/ipc-big.img
check "ipc big: image OK"                  0 '^image OK$' "$ckpt" info "$ib"
check "ipc big: valid for restart"         0 '^valid$' "$libtest" read --restart "$ib"
check "ipc big: its messages stream past the reader" 0 '^record 7 type 503 len 100136 kept 65536$' \
	"$libtest" read --restart "$ib"
check "ipc big: through a FILE"            0 '^valid$' "$libtest" read --restart --file "$ib"
check "ipc big: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$ib"
check "ipc big: its bytes, counted as they stream past" 0 '^ +0  0x00004321  0/0 +0600 +16384 +2 +100021$' \
	"$ckpt" info "$ib"
compress "$ib"
check "ipc big: an lz4 stream of it, from a pipe" 0 '^ipc: .*1 message queue \(2 messages, 100021 bytes\)$' \
	ckpt_stdin "$ib.lz4"

# ---- Each rule broken once: IMAGE|the message ----
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "ipc rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/ipc-$name"
done <<'EOF'
no-ns.img|: a SysV IPC object, but the namespaces record has no CKPT_NS_IPC: the container has no IPC namespace of its own
after-file.img|: a SysV IPC object out of place: they come right after the namespaces record, before any other record
after-task.img|: a SysV IPC object out of place: they come right after the namespaces record, before any other record
id.img|: shm segment 1: id -1 \(0 or more\)
id-order.img|: shm segment 2 is not after the one before it \(id 0\): each kind comes in the order of its ids
mode.img|: message queue 0: mode 01600 \(permission bits, at most 0777\)
uid.img|: shm segment 1: owner 1000:1000 or creator 1000:4294967295 is -1, which no user namespace maps
perm-reserved.img|: semaphore set 0: the reserved field of its permissions is 0x1, not zero
shm-flags.img|: shm segment 2 has unknown flags 0x2
shm-size.img|: shm segment 2 has a size of 0 bytes \(1 to 2\^63 - 1\)
shm-huge.img|: shm segment 2 has a size of 9223372036854775808 bytes \(1 to 2\^63 - 1\)
shm-dest-key.img|: shm segment 2 was removed \(CKPT_SHM_DEST\), but has key 0x99: a removed segment's is IPC_PRIVATE \(0\)
shm-objref.img|: SysV shm segment 5 is defined out of order \(expected objref 2\)
shm-no-pages.img|: the contents of shm segment 1 \(a file_pages record\) must come here
shm-more.img|: more contents of shm segment 1 \(a file_pages record\) must come here: the one before said more follow
shm-past-end.img|: shm segment 1: page 1 at offset 0x4000 is past its end \(12388 bytes\)
shm-unsorted.img|: shm segment 1: page 1 at offset 0x0 is not after the page before it
sem-nsems.img|: semaphore set 0 has 0 semaphores \(1 to 32000\)
sem-len.img| has a bad length \(80, expected 72 for 3 semaphores, padded to 8 bytes\)
sem-value.img|: semaphore set 0: semaphore 2 has value 32768 \(at most 32767, SEMVMX\)
sem-pad.img|: semaphore set 0: the padding after its values is not zero
sem-reserved.img|: semaphore set 0: the reserved field is 0x1, not zero
msg-type.img|: message queue 0: message 1 has type 0 \(more than 0\)
msg-pad.img|: message queue 0: message 0: the padding after its text is not zero
msg-len.img| has a bad length \(152, expected 144 for 2 messages\)
msg-nr.img|: message queue 0: message 2 of 3 runs past the end of the record \(144 bytes\)
msg-size.img|: message queue 0: message 1 of 2 runs past the end of the record \(144 bytes\)
msg-reserved.img|: message queue 0: the reserved field is 0x1, not zero
msg-qbytes.img|: message queue 0 has a capacity of 2147483648 bytes \(at most 2\^31 - 1\)
big-type.img|: message queue 0: message 1 has type -1 \(more than 0\)
big-pad.img|: message queue 0: message 0: the padding after its text is not zero
vma-private.img|: memory area 0x7f0000000000-0x7f0000004000: a SysV shm area that is not shared
vma-pgoff.img|: memory area 0x7f0000000000-0x7f0000004000: a SysV shm area at page offset 1 \(shmat\(2\) attaches a whole segment\)
vma-len.img|: memory area 0x7f0000000000-0x7f0000003000: 3 pages of SysV shm segment 1, which has 4 \(shmat\(2\) attaches a whole segment\)
vma-prot.img|: memory area 0x7f0000010000-0x7f0000012000: a SysV shm area with protection 0x3 \(shmat\(2\) gives read, and write not with SHM_RDONLY\)
vma-rdonly-anon.img|: memory area 0x600000-0x602000: SHM_RDONLY on an area of kind anon, which attaches no SysV shm segment
vma-objref.img|: memory area 0x7f0000010000-0x7f0000012000 refers to SysV shm segment 3, which is a file
vma-page.img|: page 1 at 0x7f0000001000 is in a SysV shm area of mm 4, whose pages are the segment's
EOF
check "ipc rules: the restart check says the same" 5 'message queue 0: message 1 has type 0 \(more than 0\)$' \
	"$libtest" read --restart "$img/ipc-msg-type.img"
check "ipc rules: past what the reader keeps, through a FILE" 5 'message queue 0: message 0: the padding after its text is not zero$' \
	"$libtest" read --restart --file "$img/ipc-big-pad.img"
check "ipc rules: restart --dry-run (fake kernel) says the same" 5 '^ckpt: .*restart: the image is corrupt: .*a SysV IPC object out of place: ' \
	"$fake" restart --dry-run -i "$img/ipc-after-task.img"
check "ipc rules: info shows what came before the damage" 5 '^ipc: +2 shm segments \(2 pages in the image\), 1 semaphore set, 0 message queues$' \
	"$ckpt" info "$img/ipc-after-task.img"

# ---- The same as JSON ----
ipc_json_tests=(
	"ipc --json: valid JSON, with --records"
	"ipc --json: the segments"
	"ipc --json: the semaphore set and the message queue"
	"ipc --json: the areas that attach the segments"
	"ipc --json: --records, the objects' records"
	"ipc --json: a queue longer than the reader keeps"
	"ipc --json: no IPC objects, empty lists"
)
if [ -z "$have_python" ]; then
	for t in "${ipc_json_tests[@]}"; do
		skip "$t" "no python3"
	done
else
	t=("${ipc_json_tests[@]}")
	check "${t[0]}" 0 '' json_valid "$ii"
	check "${t[1]}" 0 '^status 0$' json_check \
		'd["ipc"]["shm"] == [{"objref": 1, "id": 0, "key": 0x162e, "uid": 1000, "gid": 1000, "cuid": 1000, "cgid": 1000, "mode": 0o600, "size": 12388, "flags": 0, "dest": False, "atime": 1700000000, "dtime": 0, "ctime": 1700000000, "name": "SYSV0000162e", "pages": 2, "page_bytes": 8192}, {"objref": 2, "id": 32769, "key": 0, "uid": 0, "gid": 0, "cuid": 0, "cgid": 0, "mode": 0o640, "size": 5000, "flags": 1, "dest": True, "atime": 0, "dtime": 1700000000, "ctime": 1700000000, "name": "SYSV00000000", "pages": 0, "page_bytes": 0}]' \
		"$ckpt" info --json "$ii"
	check "${t[2]}" 0 '^status 0$' json_check \
		'd["ipc"]["sem"] == [{"id": 0, "key": 0x1234, "uid": 0, "gid": 0, "cuid": 0, "cgid": 0, "mode": 0o666, "nsems": 3, "values": [1, 0, 32767], "otime": 1700000000, "ctime": 1700000000}] and d["ipc"]["msg"] == [{"id": 0, "key": 0x4321, "uid": 0, "gid": 0, "cuid": 0, "cgid": 0, "mode": 0o600, "qbytes": 16384, "nr_msgs": 2, "stime": 1700000000, "rtime": 1700000000, "ctime": 1700000000, "bytes": 29}]' \
		"$ckpt" info --json "$ii"
	check "${t[3]}" 0 '^status 0$' json_check \
		'[(a["perms"], a["kind"], a["flags"], a["file"], a["name"], a["pages"]) for a in d["mms"][0]["vmas"]][2:4] == [("rw-s", "sysv_shm", ["shared"], 1, "SYSV0000162e", 0), ("r--s", "sysv_shm", ["shared", "shm_rdonly"], 2, "SYSV00000000", 0)] and d["memfd_pages"] == 0 and d["record_counts"]["ipc_shm"] == 2' \
		"$ckpt" info --json "$ii"
	check "${t[4]}" 0 '^status 0$' json_check \
		'd["records"][2]["ipc_shm"]["objref"] == 1 and d["records"][3]["file_pages"]["offsets"] == [0, 8192] and d["records"][6]["ipc_sem"]["values"] == [1, 0, 32767] and d["records"][7]["ipc_msg"]["nr_msgs"] == 2 and d["records"][7]["name"] == "ipc_msg"' \
		"$ckpt" info --json --records "$ii"
	check "${t[5]}" 0 '^status 0$' json_check \
		'd["ipc"]["msg"][0]["bytes"] == 100021 and d["ipc"]["msg"][0]["nr_msgs"] == 2' \
		"$ckpt" info --json "$ib"
	check "${t[6]}" 0 '^status 0$' json_check \
		'd["ipc"] == {"shm": [], "sem": [], "msg": [], "mqueue": [], "sem_undo": []}' \
		"$ckpt" info --json "$img/memfd.img"
fi

# ---- SEM_UNDO adjustments and POSIX message queues (ipc-mq.img) ----
iq=$img/ipc-mq.img
check "ipc mq: image OK"                   0 '^image OK$' "$ckpt" info "$iq"
check "ipc mq: valid for restart"          0 '^valid$' "$libtest" read --restart "$iq"
check "ipc mq: its first-task order too"   0 '^valid$' "$libtest" read --restart "$img/ipc-mq-mm-first.img"
check "ipc mq: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$iq"
check "ipc mq: the objects, counted"       0 '^ipc: +0 shm segments, 2 semaphore sets \(2 SEM_UNDO adjustment records\), 0 message queues, 2 message queues \(POSIX\) with 2 messages \(9 bytes\)$' \
	"$ckpt" info "$iq"
check "ipc mq: the table of adjustments"   0 '^  sem_undo +pid +set id +nsems +adjustments$' "$ckpt" info "$iq"
check "ipc mq: a process's adjustments on a set" 0 '^ +1 +0 +3  -1,0,2$' "$ckpt" info "$iq"
check "ipc mq: on the other set"           0 '^ +1 +1 +2  3,-32767$' "$ckpt" info "$iq"
check "ipc mq: the table of queues"        0 '^  mqueue  objref  owner +mode +maxmsg +msgsize +messages +bytes  name$' "$ckpt" info "$iq"
check "ipc mq: a queue, its owner, mode, attributes, messages and bytes" 0 '^ +1  1000/1000 +0640 +8 +64 +2 +9  /q1$' \
	"$ckpt" info "$iq"
check "ipc mq: an empty queue"             0 '^ +2  0/0 +0600 +10 +8192 +0 +0  /q2$' "$ckpt" info "$iq"
check "ipc mq: the file open on a queue"   0 '^ +4  mqueue +04002 +0 +-  /q1 \(message queue 1\)$' "$ckpt" info "$iq"
check "ipc mq: the files line"             0 '^files: +2$' "$ckpt" info "$iq"
check "ipc mq: the fd of the task on it"   0 '^ +3  - +mqueue +04002 +0  /q1$' "$ckpt" info "$iq"
check "ipc mq: record types counted"       0 '^record types: +31 \(header 1, namespaces 1, ipc_sem 2, ipc_sem_undo 2, ipc_mqueue 2, file 2, string 3, mm 1, ' \
	"$ckpt" info "$iq"
check "ipc mq --records: the adjustments"  0 '^      SEM_UNDO of process 1 on semaphore set 0: 3 adjustments: -1,0,2$' \
	"$ckpt" info --records "$iq"
check "ipc mq --records: a queue"          0 '^      POSIX message queue 1: /q1, owner 1000/1000, mode 0640, at most 8 messages of 64 bytes, 2 messages$' \
	"$ckpt" info --records "$iq"
check "ipc mq --records: the file on it"   0 '^      file 4: mqueue, flags 04002, offset 0, size 0, rdev 0x0, message queue 1$' \
	"$ckpt" info --records "$iq"
check "ipc mq --records: the record names" 0 '^ +448 +504  ipc_sem_undo +32$' "$ckpt" info --records "$iq"
check "ipc mq: from a pipe"                0 '^ipc: .*2 message queues \(POSIX\)' ckpt_stdin "$iq"
compress "$iq"
check "ipc mq: an lz4 stream of it"        0 '^image OK$' ckpt_stdin "$iq.lz4"
check "ipc mq: no such file in version 3"  5 '\(type 301, file\): file 1 has unknown type 10$' \
	"$libtest" read --check --any-version "$img/v3-mqueue.img"

# ---- A POSIX message queue longer than the reader keeps ----
iqb=$img/ipc-mq-big.img
check "ipc mq big: image OK"               0 '^image OK$' "$ckpt" info "$iqb"
check "ipc mq big: valid for restart"      0 '^valid$' "$libtest" read --restart "$iqb"
check "ipc mq big: its messages stream past the reader" 0 '^record 7 type 505 len 100320 kept 65536$' \
	"$libtest" read --restart "$iqb"
check "ipc mq big: through a FILE"         0 '^valid$' "$libtest" read --restart --file "$iqb"
check "ipc mq big: its bytes, counted as they stream past" 0 '^ +2  0/0 +0600 +10 +100000 +1 +99997  /q2$' \
	"$ckpt" info "$iqb"
compress "$iqb"
check "ipc mq big: an lz4 stream of it, from a pipe" 0 '2 message queues \(POSIX\) with 3 messages \(100006 bytes\)$' \
	ckpt_stdin "$iqb.lz4"

# ---- Each rule broken once: IMAGE|the message ----
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "ipc mq rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/ipc-mq-$name"
done <<'EOF'
undo-no-ns.img|: SEM_UNDO adjustments, but the namespaces record has no CKPT_NS_IPC: the container has no IPC namespace of its own
undo-after-file.img|: SEM_UNDO adjustments out of place: IPC records come right after the namespaces record, before any other record
undo-pid.img|: SEM_UNDO adjustments of process 0: not a pid \(more than 0\)
undo-set.img|: SEM_UNDO adjustments of process 1 on semaphore set 7, which is no set before them
undo-early.img|: SEM_UNDO adjustments of process 1 on semaphore set 1, which is no set before them
undo-nsems.img|: SEM_UNDO adjustments of process 1 on semaphore set 0: 2 adjustments, but the set has 3 semaphores
undo-reserved.img|: SEM_UNDO adjustments of process 1 on semaphore set 0: the reserved field is 0x1, not zero
undo-len.img| has a bad length \(40, expected 32 for 3 adjustments, padded to 8 bytes\)
undo-order.img|: SEM_UNDO adjustments of process 1 on semaphore set 0 come after those on set 1: a process's come by increasing set id
undo-again.img|: SEM_UNDO adjustments of process 1 come again, after those of process 2: a process's come together
undo-adj.img|: SEM_UNDO adjustments of process 1 on semaphore set 0: semaphore 2 has adjustment -32768 \(-32767 to 32767\)
undo-pad.img|: SEM_UNDO adjustments of process 1 on semaphore set 0: the padding after its adjustments is not zero
undo-no-task.img|: process 5 has SEM_UNDO adjustments, but is no task of the image
undo-thread.img|: task 2 has SEM_UNDO adjustments, but is a thread \(of process 1\): a process's are its leader's
undo-zombie.img|: process 2 has SEM_UNDO adjustments, but is a zombie
after-file.img|: a POSIX message queue out of place: IPC records come right after the namespaces record, before any other record
name-empty.img|: POSIX message queue 1: its name is empty \(one path component, NUL-terminated and zero-padded\)
name-slash.img|: POSIX message queue 1: its name has a '/' \(one path component, NUL-terminated and zero-padded\)
name-dotdot.img|: POSIX message queue 1: its name is "\." or "\.\." \(one path component, NUL-terminated and zero-padded\)
name-nul.img|: POSIX message queue 1: its name is not NUL-terminated \(one path component, NUL-terminated and zero-padded\)
name-pad.img|: POSIX message queue 1: its name is not zero-padded \(one path component, NUL-terminated and zero-padded\)
order.img|: POSIX message queue /a is not after the one before it \(/q1\): the queues come in the order of their names
mode.img|: POSIX message queue /q1: mode 01640 \(permission bits, at most 0777\)
reserved.img|: POSIX message queue /q1: the reserved field is 0x1, not zero
maxmsg.img|: POSIX message queue /q1 holds at most 0 messages of 64 bytes \(both more than 0\)
msgsize.img|: POSIX message queue /q2 holds at most 10 messages of -1 bytes \(both more than 0\)
nr.img|: POSIX message queue /q1 holds 2 messages, more than its maximum \(1\)
uid.img|: POSIX message queue /q2: owner 0:4294967295 is -1, which no user namespace maps
objref.img|: POSIX message queue 5 is defined out of order \(expected objref 1\)
prio-neg.img|: POSIX message queue /q1: message 1 has priority -1 \(0 to 32767\)
prio-max.img|: POSIX message queue /q1: message 0 has priority 32768 \(0 to 32767\)
msg-size.img|: POSIX message queue /q1: message 1 has 100 bytes, more than its message size \(64\)
msg-pad.img|: POSIX message queue /q1: message 0: the padding after its text is not zero
msg-len.img| has a bad length \(360, expected 352 for 2 messages\)
msg-nr.img|: POSIX message queue /q1: message 2 of 3 runs past the end of the record \(352 bytes\)
big-prio.img|: POSIX message queue /q2: message 1 has priority 40000 \(0 to 32767\)
file-flags.img|: file 4, open on a POSIX message queue, has open flags 06002 \(O_RDONLY, O_WRONLY or O_RDWR, and O_NONBLOCK only\)
file-accmode.img|: file 4, open on a POSIX message queue, has open flags 04003 \(O_RDONLY, O_WRONLY or O_RDWR, and O_NONBLOCK only\)
file-pos.img|: file 4, open on a POSIX message queue, has an offset \(5\), size \(0\) or device \(0x0\): none
file-size.img|: file 4, open on a POSIX message queue, has an offset \(0\), size \(4096\) or device \(0x0\): none
file-rdev.img|: file 4, open on a POSIX message queue, has an offset \(0\), size \(0\) or device \(0x103\): none
file-seals.img|: file 4 is no memfd, but has seals 0x1
file-queue.img|: file 4 refers to POSIX message queue 3, which is a file
file-none.img|: file 4 refers to POSIX message queue 0, which is not defined before it
file-string.img|: a string record that belongs to no file or fs
EOF
check "ipc mq rules: the restart check says the same" 5 'POSIX message queue /q1: message 0 has priority 32768 \(0 to 32767\)$' \
	"$libtest" read --restart "$img/ipc-mq-prio-max.img"
check "ipc mq rules: past what the reader keeps, through a FILE" 5 'POSIX message queue /q2: message 1 has priority 40000 \(0 to 32767\)$' \
	"$libtest" read --restart --file "$img/ipc-mq-big-prio.img"
check "ipc mq rules: at the tail, restart --dry-run (fake kernel) says the same" 5 '^ckpt: .*restart: the image is corrupt: .*process 5 has SEM_UNDO adjustments, but is no task of the image$' \
	"$fake" restart --dry-run -i "$img/ipc-mq-undo-no-task.img"
check "ipc mq rules: info shows what came before the damage" 5 '^ipc: +0 shm segments, 2 semaphore sets \(2 SEM_UNDO adjustment records\), 0 message queues, 1 message queue \(POSIX\) with 2 messages \(9 bytes\)$' \
	"$ckpt" info "$img/ipc-mq-order.img"

# ---- The same as JSON ----
ipc_mq_json_tests=(
	"ipc mq --json: valid JSON, with --records"
	"ipc mq --json: the queues"
	"ipc mq --json: the SEM_UNDO adjustments"
	"ipc mq --json: the file open on a queue, and the fd"
	"ipc mq --json: --records, the new records"
	"ipc mq --json: a queue longer than the reader keeps"
)
if [ -z "$have_python" ]; then
	for t in "${ipc_mq_json_tests[@]}"; do
		skip "$t" "no python3"
	done
else
	t=("${ipc_mq_json_tests[@]}")
	check "${t[0]}" 0 '' json_valid "$iq"
	check "${t[1]}" 0 '^status 0$' json_check \
		'd["ipc"]["mqueue"] == [{"objref": 1, "name": "q1", "uid": 1000, "gid": 1000, "mode": 0o640, "maxmsg": 8, "msgsize": 64, "nr_msgs": 2, "bytes": 9}, {"objref": 2, "name": "q2", "uid": 0, "gid": 0, "mode": 0o600, "maxmsg": 10, "msgsize": 8192, "nr_msgs": 0, "bytes": 0}] and d["ipc"]["msg"] == [] and d["ipc"]["shm"] == []' \
		"$ckpt" info --json "$iq"
	check "${t[2]}" 0 '^status 0$' json_check \
		'd["ipc"]["sem_undo"] == [{"pid": 1, "semid": 0, "nsems": 3, "adjustments": [-1, 0, 2]}, {"pid": 1, "semid": 1, "nsems": 2, "adjustments": [3, -32767]}] and [s["nsems"] for s in d["ipc"]["sem"]] == [3, 2]' \
		"$ckpt" info --json "$iq"
	check "${t[3]}" 0 '^status 0$' json_check \
		'd["files"][1] == {"objref": 4, "type": "mqueue", "flags": 0o4002, "pos": 0, "size": 0, "rdev": 0, "path": "/q1", "pipe": None, "seals": 0, "seal_names": [], "pages": None, "page_bytes": None, "epoll_items": None, "external_fd": None} and d["tasks"][0]["fd_table"]["fds"] == [{"fd": 3, "cloexec": False, "file": 4, "type": "mqueue", "path": "/q1", "pipe": None, "flags": 0o4002, "pos": 0}]' \
		"$ckpt" info --json "$iq"
	check "${t[4]}" 0 '^status 0$' json_check \
		'd["records"][4]["ipc_sem_undo"] == {"pid": 1, "semid": 0, "nsems": 3, "adjustments": [-1, 0, 2]} and d["records"][6]["ipc_mqueue"] == {"objref": 1, "name": "q1", "uid": 1000, "gid": 1000, "mode": 0o640, "maxmsg": 8, "msgsize": 64, "nr_msgs": 2} and d["records"][10]["file"]["pipe_objref"] == 1 and d["records"][10]["file"]["type"] == 10 and d["record_counts"]["ipc_sem_undo"] == 2 and d["record_counts"]["ipc_mqueue"] == 2' \
		"$ckpt" info --json --records "$iq"
	check "${t[5]}" 0 '^status 0$' json_check \
		'd["ipc"]["mqueue"][1]["bytes"] == 99997 and d["ipc"]["mqueue"][1]["nr_msgs"] == 1' \
		"$ckpt" info --json "$iqb"
fi
