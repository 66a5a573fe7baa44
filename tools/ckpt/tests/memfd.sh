# SPDX-License-Identifier: GPL-2.0
#
# Native tests of memfds and shared memory: memfd.img (tests/mkimage.c)
# holds two memfds with their names, seals and pages, shared anonymous
# memory, a memfd mapped shared and privately, a file mapped shared and
# the vDSO; `ckpt info` shows them in text and JSON, and the reader checks
# them as restart(2) does (its damaged copies break each rule once).
# Sourced by tests/run.sh after state.sh, whose helpers it uses.

mi=$img/memfd.img
check "memfd: image OK"                    0 '^image OK$' "$ckpt" info "$mi"
check "memfd: valid for restart"           0 '^valid$' "$libtest" read --restart "$mi"
check "memfd: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$mi"
check "memfd: the files line counts memfds and their pages" 0 '^files: +4, 2 memfds with 3 pages in the image \(12288 bytes\)$' \
	"$ckpt" info "$mi"
check "memfd: a memfd, its size, name, seals and pages" 0 '^ +2 +memfd +0100002 +100 +12388  memfd:buffer \(seals seal,shrink,grow; 3 pages in the image\)$' \
	"$ckpt" info "$mi"
check "memfd: an empty one, no seals" 0 '^ +3 +memfd +0100002 +0 +0  memfd: \(no seals; 0 pages in the image\)$' \
	"$ckpt" info "$mi"
check "memfd: in the fd table"             0 '^ +3  -        memfd +0100002 +100  memfd:buffer$' "$ckpt" info "$mi"
check "memfd: shared anonymous memory, its pages" 0 '^    7f0000000000-7f0000004000 rw-s 00000000 anon +2  shared +$' \
	"$ckpt" info "$mi"
check "memfd: the memfd mapped shared, no page of it" 0 '^    7f0000010000-7f0000014000 rw-s 00000000 file +0  shared +memfd:buffer$' \
	"$ckpt" info "$mi"
check "memfd: mapped privately, the page the task changed" 0 '^    7f0000020000-7f0000022000 r--p 00001000 file +1  - +memfd:buffer$' \
	"$ckpt" info "$mi"
check "memfd: a file mapped shared, locked" 0 '^    7f0000030000-7f0000032000 rw-s 00000000 file +0  locked,shared /srv/shared\.db$' \
	"$ckpt" info "$mi"
check "memfd: the vDSO"                    0 '^    7ffff7fc1000-7ffff7fc3000 r-xp 00000000 vdso +0  - +\[vdso\]$' \
	"$ckpt" info "$mi"
check "memfd: record types counted"        0 '^record types: +37 \(header 1, namespaces 1, file 4, string 6, file_pages 3, mm 1, vma 8, pages 1, task 1, registers 1, xstate 1, tls 1, ' \
	"$ckpt" info "$mi"
check "memfd --records: a memfd's file record" 0 '^      file 2: memfd, flags 0100002, offset 100, size 12388, rdev 0x0, seals 0x7$' \
	"$ckpt" info --records "$mi"
check "memfd --records: its first page record" 0 '^      memfd 2: 2 pages, offsets 0x0 to 0x2000, more follow$' \
	"$ckpt" info --records "$mi"
check "memfd --records: its last"          0 '^      memfd 2: 1 page, offsets 0x3000 to 0x3000, the last$' \
	"$ckpt" info --records "$mi"
check "memfd --records: an empty memfd's"  0 '^      memfd 3: 0 pages, the last$' "$ckpt" info --records "$mi"
check "memfd: a memfd's page data is not kept" 0 '^record 6 type 305 len 8232 kept 40$' \
	"$libtest" read --restart "$mi"
check "memfd: from a pipe"                 0 '^ +2 +memfd .*memfd:buffer \(seals' ckpt_stdin "$mi"
compress "$mi"
check "memfd: an lz4 stream of it"         0 '^image OK$' ckpt_stdin "$mi.lz4"
head -c 5000 "$mi" >"$img/memfd-truncated.img"
check "memfd: truncated in a memfd's pages" 4 'truncated at offset 5000, in record 6 \(type 305, file_pages\) at offset 432$' \
	"$ckpt" info "$img/memfd-truncated.img"

# ---- Each rule broken once: IMAGE|the message ----
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "memfd rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/memfd-$name"
done <<'EOF'
rdonly.img|: memfd 2 is open with access mode 0, not O_RDWR \(2\)
seals.img|: memfd 2 has unknown seals 0x40
reg-seals.img|: file 4 is no memfd, but has seals 0x1
name.img|: the name of memfd 2 does not start with "memfd:"
no-name.img|: the name of memfd 2 \(a string record\) must come here
no-pages.img|: the contents of memfd 2 \(a file_pages record\) must come here
more-missing.img|: more contents of memfd 2 \(a file_pages record\) must come here: the one before said more follow
pages-alone.img|: a file_pages record that belongs to no memfd
pages-other.img|: the contents of file 1, where those of memfd 2 must come
past-end.img|: memfd 2: page 0 at offset 0x4000 is past its end \(12388 bytes\)
unsorted.img|: memfd 2: page 1 at offset 0x0 is not after the page before it
across.img|: memfd 2: page 0 at offset 0x2000 is not after the page before it
unaligned.img|: memfd 2: page 1 at offset 0x100 is not page-aligned
nr-pages.img|: memfd 2: 257 pages in a record \(at most 256\)
more-2.img|: memfd 2: more is 2 \(1 if another record of its pages follows, else 0\)
reserved.img|: the reserved field is 0x1, not zero
len.img| has a bad length \(4136, expected 8232 for 2 pages\)
huge.img|: file 2 has an offset \(100\) or size \(9223372036854775808\) above 2\^63 - 1
shared-vdso.img|: memory area 0x7ffff7fc1000-0x7ffff7fc3000: a shared vDSO
shared-stack.img|: memory area 0x7ffffffdd000-0x7ffffffff000: a shared area that grows down
shared-ro.img|: memory area 0x7f0000000000-0x7f0000004000: shared anonymous memory that is not writable
page-shared-file.img|: page 3 at 0x7f0000011000 is in a shared file mapping of mm 5, whose pages are the file's
page-vdso.img|: page 4 at 0x7ffff7fc1000 is in the vDSO of mm 5, whose pages come with the kernel
EOF
check "memfd rules: the restart check says the same" 5 'memfd 2: page 0 at offset 0x4000 is past its end' \
	"$libtest" read --restart "$img/memfd-past-end.img"
check "memfd rules: restart --dry-run (fake kernel) says the same" 5 '^ckpt: .*restart: the image is corrupt: .*a shared area that grows down$' \
	"$fake" restart --dry-run -i "$img/memfd-shared-stack.img"
check "memfd rules: info shows what came before the damage" 5 '^ +2 +memfd .*memfd:buffer \(seals seal,shrink,grow; 3 pages in the image\)$' \
	"$ckpt" info "$img/memfd-reg-seals.img"

# ---- The same as JSON ----
memfd_json_tests=(
	"memfd --json: valid JSON, with --records"
	"memfd --json: the memfds, their seals and pages"
	"memfd --json: other files have no seals and no pages"
	"memfd --json: shared areas"
	"memfd --json: the pages of memfds, counted"
	"memfd --json: --records, a memfd's page records"
)
if [ -z "$have_python" ]; then
	for t in "${memfd_json_tests[@]}"; do
		skip "$t" "no python3"
	done
else
	t=("${memfd_json_tests[@]}")
	json_valid() { "$ckpt" info --json --records "$1" | python3 -m json.tool >/dev/null; }
	check "${t[0]}" 0 '' json_valid "$mi"
	check "${t[1]}" 0 '^status 0$' json_check \
		'd["files"][1] == {"objref": 2, "type": "memfd", "flags": 0o100002, "pos": 100, "size": 12388, "rdev": 0, "path": "memfd:buffer", "pipe": None, "seals": 7, "seal_names": ["seal", "shrink", "grow"], "pages": 3, "page_bytes": 12288, "epoll_items": None, "external_fd": None} and d["files"][2]["path"] == "memfd:" and d["files"][2]["pages"] == 0 and d["files"][2]["seal_names"] == []' \
		"$ckpt" info --json "$mi"
	check "${t[2]}" 0 '^status 0$' json_check \
		'd["files"][3]["type"] == "reg" and d["files"][3]["seals"] == 0 and d["files"][3]["pages"] is None and d["files"][3]["page_bytes"] is None' \
		"$ckpt" info --json "$mi"
	check "${t[3]}" 0 '^status 0$' json_check \
		'[(a["perms"], a["kind"], a["flags"], a["name"], a["pages"]) for a in d["mms"][0]["vmas"]][2:6] == [("rw-s", "anon", ["shared"], None, 2), ("rw-s", "file", ["shared"], "memfd:buffer", 0), ("r--p", "file", [], "memfd:buffer", 1), ("rw-s", "file", ["locked", "shared"], "/srv/shared.db", 0)] and d["mms"][0]["vmas"][4]["offset"] == 4096' \
		"$ckpt" info --json "$mi"
	check "${t[4]}" 0 '^status 0$' json_check \
		'd["memfd_pages"] == 3 and d["memfd_page_bytes"] == 12288 and d["pages"] == 5 and d["record_counts"]["file_pages"] == 3' \
		"$ckpt" info --json "$mi"
	check "${t[5]}" 0 '^status 0$' json_check \
		'd["records"][6]["file_pages"] == {"objref": 2, "nr_pages": 2, "more": True, "offsets": [0, 8192]} and d["records"][7]["file_pages"] == {"objref": 2, "nr_pages": 1, "more": False, "offsets": [12288]} and d["records"][4]["file"]["seals"] == 7' \
		"$ckpt" info --json --records "$mi"
fi

# ---- Shared anonymous memory as an object of its own (shmem.img) ----
si=$img/shmem.img
check "shmem: image OK"                    0 '^image OK$' "$ckpt" info "$si"
check "shmem: valid for restart"           0 '^valid$' "$libtest" read --restart "$si"
check "shmem: its first-task order too"    0 '^valid$' "$libtest" read --restart "$img/shmem-mm-first.img"
check "shmem: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$si"
check "shmem: the files line counts it and its pages" 0 '^files: +2, 1 shared anonymous mapping with 2 pages in the image \(8192 bytes\)$' \
	"$ckpt" info "$si"
check "shmem: the object, its size and pages" 0 '^ +2 +shmem +02 +0 +12288  dev/zero \(shared anonymous memory; 2 pages in the image\)$' \
	"$ckpt" info "$si"
check "shmem: mapped whole, no page of it in the mm" 0 '^    7f0000000000-7f0000003000 rw-s 00000000 file +0  shared +dev/zero$' \
	"$ckpt" info "$si"
check "shmem: mapped read-only from its second page" 0 '^    7f0000010000-7f0000012000 r--s 00001000 file +0  shared +dev/zero$' \
	"$ckpt" info "$si"
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "shmem rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/shmem-$name"
done <<'EOF2'
name.img|: the name of shared anonymous memory 2 is not "dev/zero"
flags.img|: shared anonymous memory 2 has open flags 0100002, offset 0 or device 0x0 \(O_RDWR, 0, none\)
pos.img|: shared anonymous memory 2 has open flags 02, offset 4096 or device 0x0 \(O_RDWR, 0, none\)
past-end.img|: shared anonymous memory 2: page 1 at offset 0x3000 is past its end \(12288 bytes\)
no-pages.img|: the contents of shared anonymous memory 2 \(a file_pages record\) must come here
page-shared.img|: page 1 at 0x7f0000001000 is in a shared file mapping of mm 3, whose pages are the file's
EOF2
check "shmem rules: restart --dry-run (fake kernel) says the same" 5 '^ckpt: .*restart: the image is corrupt: .*shared anonymous memory 2: page 1 at offset 0x3000 is past its end' \
	"$fake" restart --dry-run -i "$img/shmem-past-end.img"
if [ -n "$have_python" ]; then
	check "shmem --json: the object and its pages" 0 '^status 0$' json_check \
		'd["files"][1]["type"] == "shmem" and d["files"][1]["path"] == "dev/zero" and d["files"][1]["pages"] == 2 and d["files"][1]["size"] == 12288' \
		"$ckpt" info --json "$si"
else
	skip "shmem --json: the object and its pages" "no python3"
fi

# ---- FIFOs (fifo.img): the pipe of a FIFO, and its files by path ----
fi=$img/fifo.img
check "fifo: image OK"                     0 '^image OK$' "$ckpt" info "$fi"
check "fifo: valid for restart"            0 '^valid$' "$libtest" read --restart "$fi"
check "fifo: restart --dry-run (fake kernel)" 0 '^image OK$' "$fake" restart --dry-run -i "$fi"
check "fifo: its pipe, a FIFO's"           0 '^ +2 +65536 +11  \(a FIFO.s\)$' "$ckpt" info "$fi"
check "fifo: read end, by path"            0 '^ +3 +fifo +04000 +0 +-  /run/q \(FIFO of pipe 2\)$' "$ckpt" info "$fi"
check "fifo: write end, by path"           0 '^ +4 +fifo +01 +0 +-  /run/q \(FIFO of pipe 2\)$' "$ckpt" info "$fi"
check "fifo --records: the pipe record says so" 0 "^      pipe 2: capacity 65536, 11 bytes held, a FIFO's\$" \
	"$ckpt" info --records "$fi"
while IFS='|' read -r name pattern; do
	[ -n "$name" ] || continue
	check "fifo rules: ${name%.img}" 5 "^ckpt: .*: the image is corrupt: record [0-9]+ at offset [0-9]+ \\(type [0-9]+, [a-z_]+\\)$pattern\$" \
		"$ckpt" info "$img/fifo-$name"
done <<'EOF2'
pipe-flags.img|: pipe 2 has unknown flags 0x3
plain-pipe.img|: FIFO 3 refers to FIFO's pipe 2, which is a pipe
pipe-end.img|: file 4 refers to pipe 2, which is a FIFO's pipe
pos.img|: FIFO 3 has an offset \(5\): none
relative.img|: the path of file 3 is not absolute
EOF2
if [ -n "$have_python" ]; then
	check "fifo --json: the pipe and the files" 0 '^status 0$' json_check \
		'd["pipes"] == [{"objref": 2, "size": 65536, "len": 11, "fifo": True}] and [(f["type"], f["path"], f["pipe"]) for f in d["files"][1:]] == [("fifo", "/run/q", 2), ("fifo", "/run/q", 2)]' \
		"$ckpt" info --json "$fi"
else
	skip "fifo --json: the pipe and the files" "no python3"
fi
