# SPDX-License-Identifier: GPL-2.0
#
# Native tests of `ckpt convert`: the golden images of format versions 1
# to 3 (tests/golden/v1.img, v2.img and v3.img, which the kernels of these
# versions wrote of golden.c) and synthetic ones (tests/mkimage.c)
# rewritten as version 4: from version 1 with what version 1's restart
# gave the restored task, taken from the process that converts, then as
# from version 2, with unused TLS descriptors and no POSIX timers, then as
# from version 3, each task outside any process group or session of the
# container and not stopped; what it must refuse (a process tree of
# version 3 or older among it), each version checked by its own rules;
# and its command line.  Sourced by tests/run.sh after streams.sh,
# state.sh and timers.sh, whose helpers it uses.

g1=$tests/golden/v1.img
g13=$tmp/golden-v1-v4.img
conv=$tmp/convert
mkdir -p "$conv"

# in_conv CMD...: CMD in $conv, the working directory convert records
in_conv() {
	(cd "$conv" && "$@")
}

# convert_noop IN OUT: convert a version 4 image, which must be copied as
# it is and say so on stderr (which check() allows of no other success)
convert_noop() {
	"$ckpt" convert -o "$2" "$1" 2>"$tmp/noop.err" || return
	cat "$tmp/noop.err"
	grep -q ': already format version 4: copied as it is$' "$tmp/noop.err" &&
		[ "$(wc -l <"$tmp/noop.err")" = 1 ] && cmp "$1" "$2"
}

# same_records A B FIRST LAST [SHIFT]: records FIRST to LAST of A (any
# version) are byte for byte records FIRST + SHIFT to LAST + SHIFT of B
# (SHIFT 1: after the namespaces record version 4 inserts after the
# header): "type len crc" each
same_records() {
	local shift=${5:-0}
	"$libtest" digest --any-version "$1" | sed -n "$(($3 + 1)),$(($4 + 1))p" |
		cut -d' ' -f2- >"$tmp/digest.a" &&
		"$libtest" digest "$2" | sed -n "$(($3 + shift + 1)),$(($4 + shift + 1))p" |
		cut -d' ' -f2- >"$tmp/digest.b" &&
		[ -s "$tmp/digest.a" ] && diff "$tmp/digest.a" "$tmp/digest.b"
}

# same_of_type A B TYPE...: the records of these types are the same, in
# the same order (their indexes may differ)
same_of_type() {
	local a=$1 b=$2 types
	shift 2
	types=$(printf ' %s' "$@")
	"$libtest" digest --any-version "$a" |
		awk -v t="$types " 'index(t, " " $2 " ") { print $2, $3, $4 }' >"$tmp/digest.a" &&
		"$libtest" digest "$b" |
		awk -v t="$types " 'index(t, " " $2 " ") { print $2, $3, $4 }' >"$tmp/digest.b" &&
		[ -s "$tmp/digest.a" ] && diff "$tmp/digest.a" "$tmp/digest.b"
}

# only_version_differs A B: the headers differ in the version only (byte
# 17, offset 16, from A's to 4; cmp -l prints them in octal)
only_version_differs() {
	local from
	from=$(od -An -tu1 -j16 -N1 "$1" | tr -d ' ')
	[ "$(cmp -l <(head -c 120 "$1") <(head -c 120 "$2") | tr -s ' ')" = " 17 $from 4" ]
}

# task_grown A OFF_A B OFF_B: the task record at OFF_B of B is the one of
# version 3 (or older) at OFF_A of A, 80 bytes long, with the 16 bytes
# version 4 added zero: no process group or session, not stopped
task_grown() {
	cmp <(tail -c +$(($2 + 9)) "$1" | head -c 56) <(tail -c +$(($4 + 9)) "$3" | head -c 56) &&
		[ "$(tail -c +$(($2 + 1)) "$1" | head -c 8 | od -An -tu4 | tr -s ' ')" = " 101 64" ] &&
		[ "$(tail -c +$(($4 + 1)) "$3" | head -c 8 | od -An -tu4 | tr -s ' ')" = " 101 80" ] &&
		[ "$(tail -c +$(($4 + 65)) "$3" | head -c 16 | od -An -tx1 | tr -d ' \n')" = "00000000000000000000000000000000" ]
}

# in_gone CMD...: CMD in a working directory that was removed
in_gone() {
	(mkdir -p "$tmp/gone" && cd "$tmp/gone" && rmdir "$tmp/gone" && "$@")
}

# converts_to IN WANT: IN, converted, is WANT byte for byte
converts_to() {
	in_conv "$ckpt" convert "$1" | cmp - "$2"
}

# nothing_left DIR NAME: no NAME, nor a temporary NAME.XXXXXX, in DIR
nothing_left() {
	! ls -A "$1" | grep -q "^$2"
}

# json_check_arg EXPR ARG CMD...: json_check, with ARG as sys.argv[3]
json_check_arg() {
	local expr=$1 arg=$2 status
	shift 2
	"$@" >"$tmp/json"
	status=$?
	echo "status $status"
	[ "$(wc -l <"$tmp/json")" = 1 ] || { echo "not one line"; return 1; }
	python3 -c '
import json, sys
d = json.load(open(sys.argv[2], encoding="utf-8"))
if not eval(sys.argv[1]):
    sys.exit("not true of the JSON: " + sys.argv[1] + "\n" + json.dumps(d))
' "$expr" "$tmp/json" "$arg"
}

# ---- The golden image of version 1 ----
check "convert: the golden image of version 1" 0 '' in_conv "$ckpt" convert -o "$g13" "$g1"
check "convert: the result is a valid version 4 image" 0 '^image OK$' "$ckpt" info "$g13"
check "convert: format version 4"            0 '^format version: 4$' "$ckpt" info "$g13"
check "convert: valid by the rules of restart (the library's check)" 0 '^valid$' "$libtest" read --check "$g13"
check "convert: restart --dry-run (fake kernel) takes it" 0 '^image OK$' "$fake" restart --dry-run -i "$g13"
check "convert: the records inserted, counted" 0 '^record types: +27 \(header 1, namespaces 1, file 1, string 3, mm 1, vma 6, pages 2, task 1, registers 1, xstate 1, tls 1, task_attrs 1, cred 1, fd_table 1, fs 1, sighand 1, signal 1, task_signal 1, tail 1\)$' \
	"$ckpt" info "$g13"
check "convert: the TLS record of version 3 right after the xstate" 0 '^ +12520 +112 +tls +56$' "$ckpt" info --records "$g13"
check "convert: then the records of version 2, in order" 0 '^ +12576 +102 +task_attrs +72$' "$ckpt" info --records "$g13"
check "convert: the signal record of version 3" 0 '^ +[0-9]+ +402 +signal +328$' "$ckpt" info --records "$g13"
check "convert: the namespaces record after the header, none of its own" 0 '^ +120 +701 +namespaces +152$' "$ckpt" info --records "$g13"
check "convert: the task record stays where it was, after its address space" 0 '^ +9504 +101 +task +80$' "$ckpt" info --records "$g13"
check "convert: the task record of version 4, its new fields zero" 0 '' task_grown "$g1" 9344 "$g13" 9504
check "convert: outside any process group or session, not stopped" 0 '^ +1 +0 +1 +- +- +2 +- +golden$' "$ckpt" info "$g13"
check "convert: no TLS descriptor in use"    0 '^    tls: +none$' "$ckpt" info "$g13"
check "convert: all three unused, as checkpoint writes them" 0 '^      entry 14: base 0x0, limit 0x0, flags 0x28 \(read_exec_only,seg_not_present\)$' \
	"$ckpt" info --records "$g13"
check "convert: no POSIX timers"             0 '^ +posix timers: none, next id 0$' "$ckpt" info "$g13"
check "convert: no restart block"            0 '' no_line '^    restart block:' "$ckpt" info "$g13"
check "convert: an fd table with no fds"     0 '^    fd table 3: +0 fds$' "$ckpt" info "$g13"
check "convert: the caller's umask, root /, the caller's cwd" 0 "^    fs 4: +umask $(umask), root /, cwd $conv\$" "$ckpt" info "$g13"
check "convert: default handlers"            0 '^    sighand 5: +all default$' "$ckpt" info "$g13"
check "convert: no timers"                   0 '^    signal 6: +itimers: none$' "$ckpt" info "$g13"
check "convert: nothing blocked"             0 '^    blocked: +0x0 \(none\)$' "$ckpt" info "$g13"
check "convert: no alternate stack"          0 '^    altstack: +none$' "$ckpt" info "$g13"
check "convert: nothing pending"             0 '^    pending: +0$' "$ckpt" info "$g13"
check "convert: the caller's ids"            0 "^    credentials: +uid $(id -ru)/$(id -u)/[0-9]+/[0-9]+, gid $(id -rg)/$(id -g)/[0-9]+/[0-9]+, groups " \
	"$ckpt" info "$g13"
check "convert: no pdeath signal, no rseq, no robust list, no clear_child_tid" 0 '^ +clear_child_tid 0x0, robust list 0x0 \(0 bytes\), rseq 0x0 \(0 bytes, signature 0x0\)$' \
	"$ckpt" info "$g13"
check "convert: attribute flags 0"           0 '^    attributes: +nice -?[0-9]+, policy [0-9]+ \([a-z]+\), rt priority [0-9]+, dumpable [0-2], pdeath signal 0, flags 0x0$' \
	"$ckpt" info "$g13"
check "convert: the header differs in its version only" 0 '' only_version_differs "$g1" "$g13"
check "convert: mm, areas and pages byte for byte" 0 '' \
	same_records "$g1" "$g13" 2 11 1
check "convert: registers and xstate byte for byte" 0 '' \
	same_records "$g1" "$g13" 13 14 1
check "convert: pages, registers and xstate byte for byte" 0 '' \
	same_of_type "$g1" "$g13" 203 110 111
check "convert: the file record grows to 48 bytes" 0 '^ +272 +301 +file +48$' "$ckpt" info --records "$g13"
check "convert: the tail is recomputed"      0 '^  records: +26$' "$ckpt" info "$g13"
check "convert: again, a no-op copy that says so" 0 ': already format version 4: copied as it is$' \
	convert_noop "$g13" "$tmp/golden-v1-v4-again.img"
g13_stdin() { cat "$g1" | in_conv "$ckpt" convert - | cmp - "$g13"; }
check "convert: from stdin to stdout, the same" 0 '' g13_stdin
g13_dash() { in_conv "$ckpt" convert -o - "$g1" | cmp - "$g13"; }
check "convert: -o -, the same"              0 '' g13_dash
cp "$g1" "$tmp/v1.img"
compress "$tmp/v1.img"
g13_lz4() { in_conv "$ckpt" convert "$tmp/v1.img.lz4" | cmp - "$g13"; }
check "convert: an lz4 input, the same"      0 '' g13_lz4
g13_lz4_pipe() { cat "$tmp/v1.img.lz4" | in_conv "$ckpt" convert - | cmp - "$g13"; }
check "convert: an lz4 input from a pipe, the same" 0 '' g13_lz4_pipe
check "convert -z: an lz4 output"            0 '' in_conv "$ckpt" convert -z -o "$tmp/golden-v1-v4.img.lz4" "$g1"
check "convert -z: read as an lz4 stream"    0 '^compression: +lz4$' "$ckpt" info "$tmp/golden-v1-v4.img.lz4"
g13_z() { "$libtest" lz4-decompress <"$tmp/golden-v1-v4.img.lz4" | cmp - "$g13"; }
check "convert -z: the same image inside"    0 '' g13_z
if [ -n "$have_lz4" ]; then
	g13_z_lz4() { lz4 -d -q -c "$tmp/golden-v1-v4.img.lz4" | cmp - "$g13"; }
	check "convert -z: what lz4 -d decodes"  0 '' g13_z_lz4
else
	skip "convert -z: what lz4 -d decodes" "no lz4(1)"
fi
if [ -n "$have_python" ]; then
	# what the converting process is, as Python sees it in the same place
	check "convert --json: the caller's credentials, limits, umask, cwd, nice" 0 '^status 0$' json_check_arg \
		'(lambda t, os, resource, caps: t["cred"]["uid"] == os.getresuid()[0] and (t["cred"]["euid"], t["cred"]["suid"]) == os.getresuid()[1:] and (t["cred"]["gid"], t["cred"]["egid"], t["cred"]["sgid"]) == os.getresgid() and t["cred"]["groups"] == os.getgroups() and (t["cred"]["cap_inheritable"], t["cred"]["cap_permitted"], t["cred"]["cap_effective"], t["cred"]["cap_bset"], t["cred"]["cap_ambient"]) == caps and [(r["cur"], r["max"]) for r in t["signal"]["rlimits"].values()] == [tuple(v % 2**64 for v in resource.getrlimit(i)) for i in range(16)] and t["fs"] == {"objref": 4, "umask": [int(l.split()[1], 8) for l in open("/proc/self/status") if l.startswith("Umask:")][0], "root": "/", "cwd": sys.argv[3]} and t["attrs"]["nice"] == os.getpriority(os.PRIO_PROCESS, 0) and t["attrs"]["policy"] == os.sched_getscheduler(0) and t["fd_table"] == {"objref": 3, "fds": []} and t["sighand"] == {"objref": 5, "actions": []} and t["pending"] == [] and t["blocked"] == 0 and t["altstack"] is None and t["restart_block"] is None and t["tls"] == [] and t["signal"]["posix_timers"] == [] and t["signal"]["next_posix_timer_id"] == 0 and (t["pgid"], t["sid"], t["stopped"]) == (0, 0, None))(d["tasks"][0], __import__("os"), __import__("resource"), tuple(int(l.split()[1], 16) for l in open("/proc/self/status") if l.split(":")[0] in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")))' \
		"$conv" "$ckpt" info --json "$g13"
else
	skip "convert --json: the caller's credentials, limits, umask, cwd, nice" "no python3"
fi

# ---- More tasks: threads and processes sharing ----
# tests/mkimage.c: a sleeper (pid 1) with a thread (pid 3), a child (pid
# 2) in its address space (vfork) and a zombie (pid 5)
v1t=$img/v1-tasks.img
v13t=$tmp/v1-tasks-v4.img
check "convert: a tree of version 1"         0 '' in_conv "$ckpt" convert -o "$v13t" "$v1t"
check "convert: a tree: valid"               0 '^image OK$' "$ckpt" info "$v13t"
check "convert: a tree: restart --dry-run (fake kernel) takes it" 0 '^image OK$' "$fake" restart --dry-run -i "$v13t"
check "convert: a tree: the child in its parent's address space" 0 '^ +2 +1 +2 +- +- +2 +- +\\_ helper$' "$ckpt" info "$v13t"
check "convert: a tree: a thread shares its process's fd table" 0 '^    fd table 3: +shared with pid 1$' "$ckpt" info "$v13t"
check "convert: a tree: and its signal record" 0 '^    signal 6: +shared with pid 1$' "$ckpt" info "$v13t"
check "convert: a tree: another process has its own" 0 '^    fd table 7: +0 fds$' "$ckpt" info "$v13t"
check "convert: a tree: nothing for a zombie" 0 '^record types: +49 \(.*xstate 3, tls 3, task_attrs 3, cred 3, fd_table 3, fs 3, sighand 3, signal 3, task_signal 3, tail 1\)$' \
	"$ckpt" info "$v13t"
check "convert: a tree: pages, registers, xstate byte for byte" 0 '' \
	same_of_type "$v1t" "$v13t" 203 110 111
check "convert: a tree: valid for restart (the library's check)" 0 '^valid$' "$libtest" read --restart "$v13t"
check "convert: a file record longer than version 1's" 0 '' "$ckpt" convert -o "$tmp/long-file.img" "$img/v1-long-file.img"
check "convert: it is cut to version 2's" 0 '^ +272 +301 +file +48$' "$ckpt" info --records "$tmp/long-file.img"
check "convert: an image with no task" 0 '' "$ckpt" convert -o "$tmp/v1-empty-v4.img" "$img/v1-empty.img"
check "convert: an image with no task: valid" 0 '^record types: +3 \(header 1, namespaces 1, tail 1\)$' "$ckpt" info "$tmp/v1-empty-v4.img"

# ---- The golden image of version 2 ----
gv2=$tests/golden/v2.img
g23=$tmp/golden-v2-v4.img
check "convert: the golden image of version 2" 0 '' in_conv "$ckpt" convert -o "$g23" "$gv2"
check "convert v2: the result is a valid version 4 image" 0 '^image OK$' "$ckpt" info "$g23"
check "convert v2: format version 4"         0 '^format version: 4$' "$ckpt" info "$g23"
check "convert v2: valid by the rules of restart (the library's check)" 0 '^valid$' "$libtest" read --check "$g23"
check "convert v2: restart --dry-run (fake kernel) takes it" 0 '^image OK$' "$fake" restart --dry-run -i "$g23"
check "convert v2: a TLS record inserted, counted" 0 '^record types: +27 \(header 1, namespaces 1, file 1, string 3, mm 1, vma 6, pages 2, task 1, registers 1, xstate 1, tls 1, task_attrs 1, cred 1, fd_table 1, fs 1, sighand 1, signal 1, task_signal 1, tail 1\)$' \
	"$ckpt" info "$g23"
check "convert v2: the TLS record right after the xstate" 0 '^ +12520 +112 +tls +56$' "$ckpt" info --records "$g23"
check "convert v2: the task's attributes after it" 0 '^ +12576 +102 +task_attrs +72$' "$ckpt" info --records "$g23"
check "convert v2: no TLS descriptor in use" 0 '^    tls: +none$' "$ckpt" info "$g23"
check "convert v2: the signal record grows to 328 bytes" 0 '^ +14880 +402 +signal +328$' "$ckpt" info --records "$g23"
check "convert v2: the task record grows to 80 bytes, its new fields zero" 0 '' task_grown "$gv2" 9352 "$g23" 9504
check "convert v2: no POSIX timers, the next id 0" 0 '^ +posix timers: none, next id 0$' "$ckpt" info "$g23"
check "convert v2: the limits of the signal record kept" 0 '^ +rlimits: stack 8388608/unlimited, core 0/unlimited, .*nofile 1024/4096' \
	"$ckpt" info "$g23"
check "convert v2: the header differs in its version only" 0 '' only_version_differs "$gv2" "$g23"
check "convert v2: all records but the header, task and signal byte for byte" 0 '' \
	same_of_type "$gv2" "$g23" 301 3 201 202 203 110 111 102 801 303 304 401 403
check "convert v2: the records up to the xstate in place" 0 '' \
	same_records "$gv2" "$g23" 1 11 1
check "convert v2: ... the task's registers and xstate too" 0 '' \
	same_records "$gv2" "$g23" 13 14 1
check "convert v2: the tail is recomputed"   0 '^  records: +26$' "$ckpt" info "$g23"
check "convert v2: again, a no-op copy that says so" 0 ': already format version 4: copied as it is$' \
	convert_noop "$g23" "$tmp/golden-v2-v4-again.img"
g23_stdin() { cat "$gv2" | "$ckpt" convert - | cmp - "$g23"; }
check "convert v2: from stdin to stdout, the same" 0 '' g23_stdin
cp "$gv2" "$tmp/v2.img"
compress "$tmp/v2.img"
g23_lz4_pipe() { cat "$tmp/v2.img.lz4" | "$ckpt" convert - | cmp - "$g23"; }
check "convert v2: an lz4 input from a pipe, the same" 0 '' g23_lz4_pipe
if [ -n "$have_python" ]; then
	check "convert v2 --json: what version 2 saved is kept" 0 '^status 0$' json_check \
		'(lambda t: t["fs"] == {"objref": 4, "umask": 0o22, "root": "/", "cwd": "/host"} and t["cred"]["uid"] == 0 and t["cred"]["cap_effective"] == 0x1ffffffffff and t["attrs"]["dumpable"] == 1 and t["tls"] == [] and t["signal"]["nr_posix_timers"] == 0 and t["signal"]["posix_timers"] == [] and t["signal"]["rlimits"]["nofile"] == {"cur": 1024, "max": 4096})(d["tasks"][0])' \
		"$ckpt" info --json "$g23"
else
	skip "convert v2 --json: what version 2 saved is kept" "no python3"
fi

# ---- The golden image of version 3 ----
gv3=$tests/golden/v3.img
g34=$tmp/golden-v3-v4.img
check "convert: the golden image of version 3" 0 '' in_conv "$ckpt" convert -o "$g34" "$gv3"
check "convert v3: the result is a valid version 4 image" 0 '^image OK$' "$ckpt" info "$g34"
check "convert v3: format version 4"         0 '^format version: 4$' "$ckpt" info "$g34"
check "convert v3: valid by the rules of restart (the library's check)" 0 '^valid$' "$libtest" read --check "$g34"
check "convert v3: restart --dry-run (fake kernel) takes it" 0 '^image OK$' "$fake" restart --dry-run -i "$g34"
check "convert v3: the namespaces record inserted, nothing else" 0 '^record types: +27 \(header 1, namespaces 1, file 1, string 3, mm 1, vma 6, pages 2, task 1, registers 1, xstate 1, tls 1, task_attrs 1, cred 1, fd_table 1, fs 1, sighand 1, signal 1, task_signal 1, tail 1\)$' \
	"$ckpt" info "$g34"
check "convert v3: the namespaces record right after the header" 0 '^ +120 +701 +namespaces +152$' "$ckpt" info --records "$g34"
check "convert v3: ... none of its own, as version 3 restarted it" 0 '^      flags 0x0 \(none\), hostname "", domainname ""$' "$ckpt" info --records "$g34"
check "convert v3: ... the restarter's namespaces" 0 '^namespaces: +none of its own \(the UTS and IPC namespaces of restart.s caller\)$' "$ckpt" info "$g34"
check "convert v3: the task after its address space, as version 3 wrote it" 0 '^ +9504 +101 +task +80$' "$ckpt" info --records "$g34"
check "convert v3: the task record grows to 80 bytes, its new fields zero" 0 '' task_grown "$gv3" 9352 "$g34" 9504
check "convert v3: outside any process group or session, not stopped" 0 '^ +1 +0 +1 +- +- +2 +- +golden$' "$ckpt" info "$g34"
check "convert v3: the header differs in its version only" 0 '' only_version_differs "$gv3" "$g34"
check "convert v3: all records but the header and task byte for byte, in place" 0 '' \
	same_records "$gv3" "$g34" 1 11 1
check "convert v3: ... after the task too" 0 '' \
	same_of_type "$gv3" "$g34" 110 111 112 102 801 303 304 401 402 403
check "convert v3: the tail is recomputed"   0 '^  records: +26$' "$ckpt" info "$g34"
check "convert v3: again, a no-op copy that says so" 0 ': already format version 4: copied as it is$' \
	convert_noop "$g34" "$tmp/golden-v3-v4-again.img"
g34_stdin() { cat "$gv3" | "$ckpt" convert - | cmp - "$g34"; }
check "convert v3: from stdin to stdout, the same" 0 '' g34_stdin
cp "$gv3" "$tmp/v3.img"
compress "$tmp/v3.img"
g34_lz4_pipe() { cat "$tmp/v3.img.lz4" | "$ckpt" convert - | cmp - "$g34"; }
check "convert v3: an lz4 input from a pipe, the same" 0 '' g34_lz4_pipe
if [ -n "$have_python" ]; then
	check "convert v3 --json: the new fields zero, the rest as version 3 saved it" 0 '^status 0$' json_check \
		'(lambda t: (t["pgid"], t["sid"], t["stopped"], t["thread"], t["exit_signal"]) == (0, 0, None, False, 17) and t["fs"] == {"objref": 4, "umask": 0o22, "root": "/", "cwd": "/host"} and t["cred"]["uid"] == 0 and t["signal"]["posix_timers"] == [])(d["tasks"][0]) and d["tree"] == {"tasks": 1, "processes": 1, "threads": 0, "zombies": 0, "stopped": 0}' \
		"$ckpt" info --json "$g34"
else
	skip "convert v3 --json: the new fields zero, the rest as version 3 saved it" "no python3"
fi

# ---- Older images of this version's synthetic ones ----
# tests/mkimage.c makes each of these as version 2 and 3 and as version
# 4, which it saves as checkpoint writes it (NAME.img) and as it was made,
# the first task after its address space (NAME-mm-first.img): the
# conversion inserts what the version 4 writer has, and keeps the order,
# byte for byte
for name in tasks state memfd bulk; do
	check "convert v2: v2-$name.img becomes $name-mm-first.img, byte for byte" 0 '' \
		converts_to "$img/v2-$name.img" "$img/$name-mm-first.img"
done
for name in tasks state memfd bulk timers; do
	check "convert v3: v3-$name.img becomes $name-mm-first.img, byte for byte" 0 '' \
		converts_to "$img/v3-$name.img" "$img/$name-mm-first.img"
done
for name in tasks state memfd bulk timers; do
	check "$name-mm-first.img: valid, the first task after its address space" 0 '^valid$' \
		"$libtest" read --restart "$img/$name-mm-first.img"
done
check "convert v2: v2-empty.img becomes valid.img" 0 '' converts_to "$img/v2-empty.img" "$img/valid.img"
check "convert v3: v3-empty.img becomes valid.img" 0 '' converts_to "$img/v3-empty.img" "$img/valid.img"
v2_bulk_pipe() { cat "$img/v2-bulk.img" | "$ckpt" convert - | cmp - "$img/bulk-mm-first.img"; }
check "convert v2: a big pipe and 5000 fds streaming through a pipe" 0 '' v2_bulk_pipe
v3_bulk_pipe() { cat "$img/v3-bulk.img" | "$ckpt" convert - | cmp - "$img/bulk-mm-first.img"; }
check "convert v3: a big pipe and 5000 fds streaming through a pipe" 0 '' v3_bulk_pipe
gone_v2() { in_gone "$ckpt" convert "$1" | cmp - "$2"; }
check "convert v2: no caller's state needed (no working directory)" 0 '' \
	gone_v2 "$img/v2-state.img" "$img/state-mm-first.img"
check "convert v3: no caller's state needed (no working directory)" 0 '' \
	gone_v2 "$img/v3-timers.img" "$img/timers-mm-first.img"
check "convert v3: a task record longer than version 3's" 0 '' "$ckpt" convert -o "$tmp/v3-long-task.img" "$img/v3-long-task.img"
check "convert v3: what followed its 64 bytes is dropped, the new fields zero" 0 '^      pid 1, tgid 1, ppid 0, pgid 0, sid 0, mm 1, flags 0x0, stop signal 0, exit code 0, files 0, comm "long"$' \
	"$ckpt" info --records "$tmp/v3-long-task.img"
check "convert v3: ... and valid for restart" 0 '^valid$' "$libtest" read --restart "$tmp/v3-long-task.img"

# ---- A process tree of version 3 or older: refused ----
# Version 4 wants the address space of each task but the first right
# after its task record, where version 3 wrote it before: moving it there
# would mean holding its pages.
check "convert refuses: a process tree of version 3" 1 "^ckpt: .*/v3-tree\\.img: a version 3 image of a process tree: its later address spaces come before their tasks \\(mm 8, record 22 at offset 8992\\); converting it is not supported\$" \
	"$ckpt" convert -o "$conv/refused.img" "$img/v3-tree.img"
check "convert refuses: the tree is valid by the rules of version 3" 0 '^valid$' \
	"$libtest" read --check --any-version "$img/v3-tree.img"
check "convert refuses: a process tree of version 1, through the steps" 1 'a version 1 image of a process tree: its later address spaces come before their tasks \(mm 4, record 15 at offset 11496\); converting it is not supported$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v1-tree.img"
check "convert refuses: a first task that is no root of a tree" 1 'the first task of this version 3 image is task 5, not the root of a tree \(a live process with parent 0\), which version 4 wants first: converting it is not supported \(nor did its restart\(2\) restore it\)$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v3-not-init.img"
tree_v3_pipe() { cat "$img/v3-tree.img" | "$ckpt" convert - >"$tmp/tree-pipe.out"; }
check "convert refuses: a process tree from a pipe" 1 'converting it is not supported$' tree_v3_pipe
check "convert refuses: a process tree, no output" 0 '' nothing_left "$conv" refused.img
check "convert: a tree of version 4 is copied as it is" 0 '' convert_noop "$img/tree.img" "$tmp/tree-copy.img"

# ---- Version 3 is checked by its own rules ----
check "version 3 rules: a stopped task, which version 3 did not save" 5 '\(type 101, task\): task 1: bad exit signal \(17\) or flags \(0x3\)$' \
	"$libtest" read --check --any-version "$img/v3-stopped.img"
check "convert refuses: a stopped task in version 3" 5 'task 1: bad exit signal \(17\) or flags \(0x3\)$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v3-stopped.img"
check "version 3 rules: an epoll file, which version 3 did not have" 5 '\(type 301, file\): file 1 has unknown type 6$' \
	"$libtest" read --check --any-version "$img/v3-epoll.img"
check "convert refuses: an epoll file in version 3" 5 'file 1 has unknown type 6$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v3-epoll.img"
check "convert refuses: an external file in version 3" 5 'file 1 has unknown type 7$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v3-external.img"
check "convert refuses: a namespaces record in version 3" 5 'record 1 at offset 120 has type 701, which format version 3 does not have: it cannot be converted$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v3-namespaces.img"
check "version 3 rules: a task record of 64 bytes" 0 '^record 9 type 101 len 64 kept 64$' \
	"$libtest" read --check --any-version "$img/v3-tasks.img"
check "version 3 rules: no order of the tasks, a timer signals its own task" 0 '^valid$' \
	"$libtest" read --check --any-version "$img/v3-timers.img"
check "convert v2: a signal record longer than version 2's" 0 '' "$ckpt" convert -o "$tmp/v2-signal-long.img" "$img/v2-signal-long.img"
check "convert v2: it is cut to version 3's, its new fields zero" 0 '^ +[0-9]+ +402 +signal +328$' \
	"$ckpt" info --records "$tmp/v2-signal-long.img"
check "convert v2: ... and valid for restart" 0 '^valid$' "$libtest" read --restart "$tmp/v2-signal-long.img"
check "convert v2: the live task gets a TLS record, the zombie none" 0 '^record types: .*task 2, registers 1, xstate 1, tls 1,' \
	"$ckpt" info "$tmp/v2-signal-long.img"
check "convert v2: a small one"              0 '' "$ckpt" convert -o "$tmp/v2-sleeper-v3.img" "$img/v2-sleeper.img"
check "convert v2: what followed 320 bytes of a signal record is dropped" 0 '' \
	converts_to "$img/v2-signal-long.img" "$tmp/v2-sleeper-v3.img"

# ---- Version 2 is checked by its own rules ----
check "version 2 rules: valid, read by them"  0 '^valid$' "$libtest" read --check --any-version "$img/v2-sleeper.img"
check "version 2 rules: a record it did not have, where one of its own must come" 5 '\(type 112, tls\): the attributes of task 1 must come here$' \
	"$libtest" read --check --any-version "$img/v2-tls.img"
check "version 2 rules: a POSIX timer after the signal record" 5 '\(type 405, posix_timer\): the task signal record of task 1 must come here$' \
	"$libtest" read --check --any-version "$img/v2-posix-timer.img"
check "version 2 rules: nr_posix_timers was a reserved field" 5 '\(type 402, signal\): the reserved field is 0x1, not zero$' \
	"$libtest" read --check --any-version "$img/v2-nr-timers.img"
check "version 2 rules: no CKPT_SIGINFO_TIMER" 5 '\(type 404, siginfo\): task 1: pending signal 1 has unknown flags 0x2$' \
	"$libtest" read --check --any-version "$img/v2-siginfo-timer.img"
check "version 2 rules: a signal record shorter than 320 bytes" 5 '\(type 402, signal\) has a bad length \(312, expected at least 320\)$' \
	"$libtest" read --check --any-version "$img/v2-signal-short.img"
check "version 2 rules: a longer signal record is a newer writer's" 0 '^valid$' \
	"$libtest" read --check --any-version "$img/v2-signal-long.img"
check "version 2 rules: a record of a type it did not know, where none must come" 0 '^valid$' \
	"$libtest" read --check --any-version "$img/v2-tls-end.img"
check "version 2 rules: the golden image"     0 '^valid$' "$libtest" read --check --any-version "$gv2"
check "convert refuses: a version 2 image with a TLS record" 5 '\(type 112, tls\): the attributes of task 1 must come here$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v2-tls.img"
check "convert refuses: a record version 2 did not have" 5 'record 18 at offset 4752 has type 112, which format version 2 does not have: it cannot be converted$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v2-tls-end.img"
check "convert refuses: POSIX timers in version 2" 5 'the task signal record of task 1 must come here$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v2-posix-timer.img"
check "convert refuses: nr_posix_timers set in version 2" 5 'the reserved field is 0x1, not zero$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v2-nr-timers.img"
check "convert refuses: a timer's signal in version 2" 5 'pending signal 1 has unknown flags 0x2$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v2-siginfo-timer.img"
check "convert refuses: a version 2 signal record too short" 5 'has a bad length \(312, expected at least 320\)$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v2-signal-short.img"
check "convert refuses: none of that left output" 0 '' nothing_left "$conv" refused.img

# ---- Version 4: copied as it is, and checked ----
check "convert: version 4 with all of it, a no-op" 0 '' convert_noop "$img/state.img" "$tmp/state-copy.img"
check "convert: version 4 with a big pipe and fd table, a no-op" 0 '' convert_noop "$img/bulk.img" "$tmp/bulk-copy.img"
check "convert: version 4 with TLS and POSIX timers, a no-op" 0 '' convert_noop "$img/timers.img" "$tmp/timers-copy.img"
check "convert: version 4, the first task after its address space, a no-op" 0 '' convert_noop "$img/tasks-mm-first.img" "$tmp/tasks-mm-first-copy.img"
check "convert: version 4, corrupt: refused" 5 'fd table 8: fd 3 has unknown flags 0x2$' \
	"$ckpt" convert -o "$tmp/corrupt-copy.img" "$img/state-fd-flags.img"
check "convert: version 4, a timer's pending signal damaged: refused" 5 'pending signal 4 is that of POSIX timer 0, which is pending already$' \
	"$ckpt" convert -o "$tmp/corrupt-copy.img" "$img/timers-siginfo-twice.img"
check "convert: version 4, a later address space before its task: refused" 5 'mm 13 comes before the task that uses it first' \
	"$ckpt" convert -o "$tmp/corrupt-copy.img" "$img/tree-mm-before-task.img"
check "convert: version 4 with memfds and shared memory, a no-op" 0 '' convert_noop "$img/memfd.img" "$tmp/memfd-copy.img"
memfd_pipe_copy() { cat "$img/memfd.img" | "$ckpt" convert - 2>/dev/null | cmp - "$img/memfd.img"; }
check "convert: the same from a pipe, the memfd's pages streaming through" 0 '' memfd_pipe_copy
check "convert: version 4, a memfd's pages damaged: refused" 5 'memfd 2: page 0 at offset 0x4000 is past its end \(12388 bytes\)$' \
	"$ckpt" convert -o "$tmp/corrupt-copy.img" "$img/memfd-past-end.img"

# ---- Refused ----
check "convert refuses: a task with open files" 1 "^ckpt: .*/v1-open-files\\.img: task 1 had 2 open files, which format version 1 did not save: the image cannot be converted \\(nor restarted\\)\$" \
	"$ckpt" convert -o "$conv/refused.img" "$img/v1-open-files.img"
check "convert refuses: it leaves no output" 0 '' nothing_left "$conv" refused.img
check "convert refuses: a task in a restart block" 1 'task 1 was frozen in a system call that restarts with a restart block \(orig_ax 230, ax -516\), which format version 1 did not save: the image cannot be converted$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v1-restart-block.img"
check "convert refuses: a record version 1 did not have" 5 'record 10 at offset 10288 has type 102, which format version 1 does not have: it cannot be converted$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v1-new-record.img"
check "convert refuses: an unknown record" 5 'has type 150, which format version 1 does not have' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v1-unknown-record.img"
check "convert refuses: a memfd in version 1, which had none" 5 '\(type 301, file\): file 1 has unknown type 5$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v1-memfd.img"
check "convert refuses: a memfd's pages in version 1" 5 'record 3 at offset 200 has type 305, which format version 1 does not have: it cannot be converted$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/v1-file-pages.img"
head -c 5000 "$g1" >"$tmp/v1-truncated.img"
check "convert refuses: a truncated image" 4 "^ckpt: .*/v1-truncated\\.img: the image is truncated at offset 5000, in record 10 \\(type 203, pages\\) at offset 1104\$" \
	"$ckpt" convert -o "$conv/refused.img" "$tmp/v1-truncated.img"
check "convert refuses: a truncated image from a pipe" 4 'the image is truncated at offset 5000' \
	bash -c 'cat "$1" | "$2" convert - >/dev/null' sh "$tmp/v1-truncated.img" "$ckpt"
check "convert refuses: it leaves no output, still" 0 '' nothing_left "$conv" refused.img
cp "$g1" "$tmp/v1-flipped.img"
flip_byte "$tmp/v1-flipped.img" 3000
check "convert refuses: a corrupt image (checksum)" 5 'the image is corrupt: checksum mismatch' \
	"$ckpt" convert -o "$conv/refused.img" "$tmp/v1-flipped.img"
check "convert refuses: garbage" 3 'not a ckpt image \(bad magic\)$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/text.img"
check "convert refuses: nothing" 3 'not a ckpt image \(it is empty\)$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/empty.img"
check "convert refuses: an unknown version" 7 'unsupported format version 5 \(this tool reads versions 1 to 4\)$' \
	"$ckpt" convert -o "$conv/refused.img" "$img/future-version.img"
check "convert refuses: version 0" 7 'unsupported format version 0 ' \
	"$ckpt" convert -o "$conv/refused.img" "$img/version-0.img"
check "convert refuses: a damaged lz4 stream" 4 'the lz4 stream is truncated' \
	"$ckpt" convert -o "$conv/refused.img" "$img/big-half.img.lz4"
check "convert refuses: no output, after all that" 0 '' nothing_left "$conv" refused.img
cp "$g13" "$conv/kept.img"
keeps_old() { "$ckpt" convert -o "$conv/kept.img" "$img/v1-open-files.img"; cmp "$conv/kept.img" "$g13"; }
check "convert refuses: an older image of the output's name survives" 0 '^ckpt: .*task 1 had 2 open files' keeps_old
convert_epipe() { "$ckpt" convert "$img/bulk.img" | head -c 10 >/dev/null; return "${PIPESTATUS[0]}"; }
check "convert: a reader that went away is an error, not SIGPIPE" 1 '^ckpt: stdout: writing the image failed: Broken pipe$' \
	convert_epipe
check "convert refuses: no working directory to give the tasks" 1 '^ckpt: .*: cannot read the working directory of this process: No such file or directory$' \
	in_gone "$ckpt" convert -o "$conv/refused.img" "$g1"
check "convert: a version 4 image needs none" 0 'already format version 4' \
	gone_v2 "$img/state.img" "$img/state.img"
check "convert: no such input" 1 "^ckpt: $img/nonexistent.img: cannot open: No such file or directory\$" \
	"$ckpt" convert -o "$conv/refused.img" "$img/nonexistent.img"

# ---- In bounded memory ----
if [ -n "$have_time" ]; then
	big_convert() {
		"$build/tests/mkimage" --v1-pages 50 |
			rss_below $rss_limit "$ckpt" convert - |
			"$ckpt" info - | grep -E '^  maps: |^image OK$'
	}
	check "convert: 50 MiB of version 1 from a pipe, in bounded memory" 0 '^  maps: +1 area, 12725 pages in the image \(52121600 bytes\)$' \
		big_convert
	big_convert_v2() {
		"$build/tests/mkimage" --v2-pages 50 |
			rss_below $rss_limit "$ckpt" convert - |
			"$ckpt" info - | grep -E '^  maps: |^    tls: |^image OK$'
	}
	check "convert: 50 MiB of version 2 from a pipe, in bounded memory" 0 '^  maps: +1 area, 12725 pages in the image \(52121600 bytes\)$' \
		big_convert_v2
	big_convert_v3() {
		"$build/tests/mkimage" --v3-pages 50 |
			rss_below $rss_limit "$ckpt" convert - |
			"$ckpt" info - | grep -E '^  maps: |^image OK$'
	}
	check "convert: 50 MiB of version 3 from a pipe, in bounded memory" 0 '^  maps: +1 area, 12725 pages in the image \(52121600 bytes\)$' \
		big_convert_v3
else
	skip "convert: 50 MiB of version 1 from a pipe, in bounded memory" "no /usr/bin/time"
	skip "convert: 50 MiB of version 2 from a pipe, in bounded memory" "no /usr/bin/time"
	skip "convert: 50 MiB of version 3 from a pipe, in bounded memory" "no /usr/bin/time"
fi

# ---- The command line ----
check "convert --help"                       0 '^Usage: ckpt convert \[-z\] \[-o OUT\|-\] IN$' "$ckpt" convert --help
check "help convert"                         0 'run convert as you would run$' "$ckpt" help convert
check "--help lists convert"                 0 '^  convert +rewrite an image of an older format version' "$ckpt" --help
check "convert without an image"             2 '^ckpt: convert: no image given \(a file, or - for stdin\)$' "$ckpt" convert
check "convert with two images"              2 '^ckpt: convert: one image at a time$' "$ckpt" convert "$g1" "$g1"
check "convert with an unknown option"       2 "^ckpt: convert: unknown option '--bogus'\$" "$ckpt" convert --bogus "$g1"
check "convert -o without a file"            2 '^ckpt: convert: -o needs a value$' "$ckpt" convert "$g1" -o
check "convert --output=FILE"                0 '' in_conv "$ckpt" convert --output="$tmp/output.img" "$g1"
check "convert --output=FILE: the same"      0 '' cmp "$tmp/output.img" "$g13"
check "convert -- -: stdin after --"         0 '' bash -c 'cd "$1" && "$2" convert -- - <"$3" | cmp - "$4"' sh "$conv" "$ckpt" "$g1" "$g13"
if command -v script >/dev/null; then
	check "convert refuses to write an image to a terminal" 2 'convert: refusing to write an image to a terminal' \
		script -qec "$ckpt convert $g1" /dev/null
	check "convert refuses to read an image from a terminal" 2 'convert: refusing to read an image from a terminal' \
		script -qec "$ckpt convert -o $tmp/tty.img -" /dev/null
else
	skip "convert refuses to write an image to a terminal" "no script(1)"
	skip "convert refuses to read an image from a terminal" "no script(1)"
fi

# ---- The script that restarts the converted golden images in the VM ----
check "vm-golden.sh is POSIX sh (sh -n)" 0 '' sh -n "$tests/golden/vm-golden.sh"
# every_golden_restarted: a restart_golden line for each golden/vN.img
every_golden_restarted() {
	local f n
	for f in "$tests"/golden/v*.img; do
		n=${f##*/v}
		n=${n%.img}
		grep -qx "restart_golden $n" "$tests/golden/vm-golden.sh" ||
			{ echo "no restart_golden $n"; return 1; }
	done
}
check "vm-golden.sh restarts the golden image of each older version" 0 '' every_golden_restarted
