#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the ckpt command and libckpt, on synthetic images, and of
# containers on this host's cgroup v2 (skipped where it is not writable):
#
#   tests/run.sh BUILD_DIR      (make test runs it with BUILD_DIR = $(O))
#
# Prints one line per test, "ok N - what", "not ok N - what" or "ok N - what
# # SKIP why", then "# Totals: ..." for the top-level runner; why a test
# failed goes to stderr.  Exits non-zero if any test failed.  Everything it
# writes is under BUILD_DIR/tests, and the containers it starts are gone
# when it exits.
#
# checkpoint(2) and restart(2) are never called: on the host, 463 and 464
# may be other system calls (setxattrat(2) and getxattrat(2) from 6.13 on).
# The container sequence runs on fake ones (tests/containertest.c), and so
# does the ckpt command where it passes images through its pump
# (tests/ckpt-fake, with tests/fakesys.c; the tests are in streams.sh); the
# real ones are tested in the VM.
set -u

build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd) || exit 1
tests=$(cd "$(dirname "$0")" && pwd) || exit 1
ckpt=$build/ckpt
libtest=$build/tests/libtest
ctest=$build/tests/containertest
fake=$build/tests/ckpt-fake
img=$build/tests/images
tmp=$build/tests/run
rm -rf "$img" "$tmp"
mkdir -p "$img" "$tmp"

n=0
pass=0
fail=0
skipped=0

# result DESC WHY: WHY is empty if the test passed
result() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		pass=$((pass + 1))
		echo "ok $n - $1"
	else
		fail=$((fail + 1))
		echo "not ok $n - $1"
		echo "# test $n: $2" >&2
		sed "s/^/#   stdout: /" "$tmp/out" >&2
		sed "s/^/#   stderr: /" "$tmp/err" >&2
	fi
}

# skip DESC WHY
skip() {
	n=$((n + 1))
	skipped=$((skipped + 1))
	echo "ok $n - $1 # SKIP $2"
}

totals() {
	echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skipped error:0"
}

# The ckpt command reading an image from a pipe.
ckpt_stdin() {
	cat "$1" | "$ckpt" info -
}

# FILE through a pipe, to libtest's reader.
libtest_stdin() {
	local file=$1
	shift
	cat "$file" | "$libtest" read "$@" -
}

# check DESC STATUS PATTERN CMD...
#
# Run CMD; it must exit with STATUS, and PATTERN (an extended regexp), unless
# empty, must match a line of its output, stdout or stderr.  When CMD is ckpt, its stderr
# must also follow the rules: nothing on success; a usage error starts with a
# "ckpt: " line; any other error is exactly one "ckpt: " line.
check() {
	local desc=$1 want=$2 pattern=$3
	shift 3
	local status why=

	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	if [ "$status" != "$want" ]; then
		why="exit status $status, expected $want"
	elif [ -n "$pattern" ] &&
	     ! cat "$tmp/out" "$tmp/err" | grep -qE -- "$pattern"; then
		why="no output line matches /$pattern/"
	elif [ "$1" = "$ckpt" ] || [ "$1" = "$fake" ] || [ "$1" = ckpt_stdin ]; then
		if [ "$want" = 0 ] && [ -s "$tmp/err" ]; then
			why="stderr is not empty"
		elif [ "$want" != 0 ] && ! head -n 1 "$tmp/err" | grep -q '^ckpt: '; then
			why="stderr does not start with 'ckpt: '"
		elif [ "$want" != 0 ] && [ "$want" != 2 ] &&
		     [ "$(wc -l <"$tmp/err")" != 1 ]; then
			why="the error is not one line"
		fi
	fi
	result "$desc" "$why"
}

: >"$tmp/out"
if ! "$build/tests/mkimage" "$img" 2>"$tmp/err"; then
	result "mkimage writes the test images" "mkimage failed"
	totals
	exit 1
fi

# ---- The library on its own ----
check "crc32c: standard check value, all alignments, incremental" 0 '' \
	"$libtest" crc32c
check "syscall wrappers return -1 and set errno" 0 '' \
	"$libtest" syscalls

# ---- A valid image, as the kernel writes it ----
v=$img/valid.img
check "valid image: image OK"           0 '^image OK$'                     "$ckpt" info "$v"
check "valid image: names the file"      0 "^image: +$v\$"                  "$ckpt" info "$v"
check "valid image: magic"              0 '^magic: +ok$'                   "$ckpt" info "$v"
check "valid image: format version"     0 '^format version: 4$'            "$ckpt" info "$v"
check "valid image: arch"               0 '^arch: +x86_64$'                "$ckpt" info "$v"
check "valid image: page size"          0 '^page size: +4096$'             "$ckpt" info "$v"
check "valid image: kernel release"     0 '^kernel release: 6\.12\.0-ckpt$' "$ckpt" info "$v"
check "valid image: xfeatures in hex"   0 '^xfeatures: +0x2e7$'            "$ckpt" info "$v"
check "valid image: flags in hex"       0 '^flags: +0x0$'                  "$ckpt" info "$v"
check "valid image: time in UTC"        0 '^time: +2023-11-14T22:13:20Z$'  "$ckpt" info "$v"
check "valid image: header record line" 0 '^ +0 +1 +header +120$'          "$ckpt" info --records "$v"
check "valid image: tail record line"   0 '^ +272 +2 +tail +40$'           "$ckpt" info --records "$v"
check "valid image: tail record count"  0 '^  records: +2$'                "$ckpt" info "$v"
check "valid image: tail byte count"    0 '^  bytes: +272$'                "$ckpt" info "$v"
check "valid image: tail crc32c"        0 '^  crc32c: +0x[0-9a-f]{8}$'     "$ckpt" info "$v"
check "valid image from a pipe"         0 '^image OK$'                     ckpt_stdin "$v"
check "valid image from a pipe: <stdin>" 0 '^image: +<stdin>$'             ckpt_stdin "$v"
check "valid image after --"            0 '^image OK$'                     "$ckpt" info -- "$v"

# ---- Valid images a newer or bigger writer could produce ----
check "header with extra trailing bytes is OK" 0 '^image OK$' \
	"$ckpt" info "$img/header-extended.img"
check "header with extra trailing bytes: its length" 0 '^ +0 +1 +header +132$' \
	"$ckpt" info --records "$img/header-extended.img"
check "unknown record type is listed" 0 '^ +272 +150 +unknown +21$' \
	"$ckpt" info --records "$img/unknown-record.img"
check "unknown record type is no error for info" 0 '^image OK$' \
	"$ckpt" info "$img/unknown-record.img"
check "record larger than the reader keeps" 0 '^ +272 +250 +unknown +200005$' \
	"$ckpt" info --records "$img/big-record.img"
check "record larger than the reader keeps, from a pipe" 0 '^image OK$' \
	ckpt_stdin "$img/big-record.img"
check "foreign arch is printed, not refused" 0 '^arch: +unknown \(2\)$' \
	"$ckpt" info "$img/wrong-arch.img"
check "bytes after the tail are reported" 0 '^trailing data: +11 bytes after the tail' \
	"$ckpt" info "$img/trailing.img"

# ---- Not an image ----
check "empty file" 3 'not a ckpt image \(it is empty\)' \
	"$ckpt" info "$img/empty.img"
check "empty pipe" 3 'not a ckpt image \(it is empty\)' \
	ckpt_stdin "$img/empty.img"
check "text file" 3 'not a ckpt image \(bad magic\)' \
	"$ckpt" info "$img/text.img"
check "bad magic" 3 "^ckpt: $img/bad-magic.img: not a ckpt image \\(bad magic\\)\$" \
	"$ckpt" info "$img/bad-magic.img"
check "first record is not a header" 3 'not a ckpt image \(the first record is type 2, not a header\)' \
	"$ckpt" info "$img/not-header-first.img"

# ---- Version ----
check "future format version" 7 'unsupported format version 5 \(this tool reads version 4\)$' \
	"$ckpt" info "$img/future-version.img"

# ---- Truncated ----
for at in 1 10 16 20 60 119 121 128 159; do
	head -c "$at" "$v" >"$img/truncated-$at.img"
	check "truncated at offset $at" 4 "the image is truncated at offset $at\\b" \
		"$ckpt" info "$img/truncated-$at.img"
done
head -c 120 "$v" >"$img/truncated-120.img"
check "truncated between records" 4 'truncated at offset 120: it ends before its tail record' \
	"$ckpt" info "$img/truncated-120.img"
check "truncated, from a pipe" 4 'truncated at offset 128, in record 1 \(type 701, namespaces\) at offset 120' \
	ckpt_stdin "$img/truncated-128.img"
check "record claiming 4 GiB, stream ends" 4 'truncated at offset 296, in record 2 \(type 150, unknown\)' \
	"$ckpt" info "$img/huge-record.img"

# ---- Corrupt ----
check "flipped byte: crc mismatch" 5 'corrupt: checksum mismatch' \
	"$ckpt" info "$img/flipped.img"
check "flipped byte, from a pipe" 5 'corrupt: checksum mismatch' \
	ckpt_stdin "$img/flipped.img"
check "non-zero padding" 5 'record 2 at offset 272 \(type 150, unknown\) has non-zero padding' \
	"$ckpt" info "$img/nonzero-pad.img"
check "tail record count wrong" 5 'the tail counts 5 records in 272 bytes, the stream held 2 in 272' \
	"$ckpt" info "$img/bad-count.img"
check "tail byte count wrong" 5 'the tail counts 2 records in 280 bytes' \
	"$ckpt" info "$img/bad-bytes.img"
check "tail magic wrong" 5 'the tail record has a bad magic' \
	"$ckpt" info "$img/tail-bad-magic.img"
check "tail reserved not zero" 5 "the tail record's reserved field is 0x1" \
	"$ckpt" info "$img/tail-reserved.img"
check "tail record too short" 5 '\(type 2, tail\) has a bad length \(32, expected at least 40\)' \
	"$ckpt" info "$img/short-tail.img"
check "record shorter than its header" 5 'has a bad length \(4, expected at least 8\)' \
	"$ckpt" info "$img/short-record.img"
check "header record too long" 5 'the header record has a bad length \(268435456\)' \
	"$ckpt" info "$img/header-bad-len.img"
check "second header record" 5 'is a second header' \
	"$ckpt" info "$img/second-header.img"

# ---- A process tree: tasks, an address space, pages, a file ----
# tests/mkimage.c: a sleeper (pid 1) with a thread (pid 3) and a zombie
# child (pid 2); mm 2 with its code (a mapping of file 1), heap and stack;
# page records of 256 and 2 pages
ti=$img/tasks.img
# no_line PATTERN CMD...: CMD succeeds, and no line of its output matches
no_line() {
	local pattern=$1
	shift
	"$@" >"$tmp/no-line" || return
	! grep -qE -- "$pattern" "$tmp/no-line"
}
# tree_order CMD...: the pids of the process tree, in the order printed
tree_order() {
	"$@" | sed -n '/^tasks:/,/^address spaces:/p' |
		awk '$1 ~ /^[0-9]+$/ { printf "%s ", $1 } END { print "" }'
}
check "tasks: image OK"                  0 '^image OK$'                              "$ckpt" info "$ti"
check "tasks: counted"                   0 '^tasks: +3: 2 processes, 1 other thread, 1 zombie$' "$ckpt" info "$ti"
check "tasks: the root process"          0 '^ +1 +0 +1 +- +- +2 +- +sleeper$'              "$ckpt" info "$ti"
check "tasks: a thread under its leader" 0 '^ +3 +0 +1 +- +- +2 +thread +\\_ \{worker\}$' "$ckpt" info "$ti"
check "tasks: a zombie and its exit code" 0 '^ +2 +1 +2 +- +- +- +zombie, exit 3 +\\_ child$' "$ckpt" info "$ti"
check "tasks: leader, its thread, then its child" 0 '^1 3 2 $'                     tree_order "$ckpt" info "$ti"
check "mm: its tasks"                    0 '^mm 2: used by 2 tasks \(pids 1, 3\)$'  "$ckpt" info "$ti"
check "mm: code"                         0 '^  code: +0x400000-0x401c00$'           "$ckpt" info "$ti"
check "mm: brk"                          0 '^  brk: +0x601000-0x800000$'            "$ckpt" info "$ti"
check "mm: stack"                        0 '^  stack: +0x7fffffffe5a0$'             "$ckpt" info "$ti"
check "mm: args and env"                 0 '^  env: +0x7fffffffe7b1-0x7fffffffefe0$' "$ckpt" info "$ti"
check "mm: no vdso"                      0 '^  vdso: +none$'                         "$ckpt" info "$ti"
check "mm: the executable's path"        0 '^  exe: +/usr/bin/sleeper \(file 1\)$'   "$ckpt" info "$ti"
check "mm: areas and pages"              0 '^  maps: +3 areas, 258 pages in the image \(1056768 bytes\)$' "$ckpt" info "$ti"
check "maps: a file mapping, one changed page" 0 '^    00400000-00402000 +r-xp 00000000 file +1  - +/usr/bin/sleeper$' "$ckpt" info "$ti"
check "maps: the heap, its 256 pages"    0 '^    00600000-00800000 +rw-p 00000000 anon +256  - +\[heap\]$' "$ckpt" info "$ti"
check "maps: the stack grows down"       0 '^    7ffffffdd000-7ffffffff000 rw-p 00000000 anon +1  growsdown +\[stack\]$' "$ckpt" info "$ti"
check "address spaces: page data in all" 0 '^address spaces: 1, 258 pages in the image \(1056768 bytes\)$' "$ckpt" info "$ti"
check "files: type, flags in octal, offset, size, path" 0 '^ +1 +reg +0100000 +0 +16384 +/usr/bin/sleeper$' "$ckpt" info "$ti"
check "registers: ip, sp, a system call to restart" 0 '^  pid 1: ip 0x401234 sp 0x7fffffffe4e8 orig_ax 230 ax -516 \(ERESTART_RESTARTBLOCK\) xstate 832 bytes XSTATE_BV 0x7$' "$ckpt" info "$ti"
check "registers: the thread's"          0 '^  pid 3: ip 0x401300 .* ax -512 \(ERESTARTSYS\) xstate 832 bytes XSTATE_BV 0x3$' "$ckpt" info "$ti"
check "registers: none for a zombie"     0 ''                                         no_line '^  pid 2:' "$ckpt" info "$ti"
check "record types counted"             0 '^record types: +39 \(header 1, namespaces 1, file 1, string 5, mm 1, vma 3, pages 2, task 3, registers 2, xstate 2, tls 2, restart_block 1, task_attrs 2, cred 2, fd_table 2, fs 2, sighand 2, signal 2, task_signal 2, tail 1\)$' "$ckpt" info "$ti"
check "no record list without --records" 0 ''                                         no_line '^ +[0-9]+ +203 +pages ' "$ckpt" info "$ti"
check "--records: a page record"         0 '^ +1216 +203 +pages +1050640$'            "$ckpt" info --records "$ti"
check "--records: its addresses"         0 '^      256 pages, 0x400000 to 0x6fe000$' "$ckpt" info --records "$ti"
check "--records: a task record"         0 '^      pid 2, tgid 2, ppid 1, pgid 0, sid 0, mm 0, flags 0x1, stop signal 0, exit code 768, files 0, comm "child"$' "$ckpt" info --records "$ti"
check "--records: the summaries too"     0 '^  maps: +3 areas, 258 pages'           "$ckpt" info --records "$ti"
check "tasks, from a pipe"               0 '^    00600000-00800000 +rw-p 00000000 anon +256 ' ckpt_stdin "$ti"
check "tasks: a hostile path is escaped" 0 '^  exe: +/tmp/a"b\\x5cc\\x0ad\\x01\\xff\\xc3\\xa9 \(file 1\)$' \
	"$ckpt" info "$img/tasks-hostile-names.img"
check "tasks: a hostile name is escaped" 0 '^ +1 +0 +1 +- +- +2 +- +sl"e\\x09e\\x7fp$' \
	"$ckpt" info "$img/tasks-hostile-names.img"
head -c 500000 "$ti" >"$img/tasks-truncated.img"
check "tasks: truncated in the page data" 4 'truncated at offset 500000, in record 9 \(type 203, pages\) at offset 1216$' \
	"$ckpt" info "$img/tasks-truncated.img"
check "tasks: truncated, what came before it" 4 '^  maps: +3 areas, 0 pages in the image' \
	"$ckpt" info "$img/tasks-truncated.img"

# ---- The records checked as restart(2) checks them ----
check "restart check: tasks.img is valid" 0 '^valid$' "$libtest" read --restart "$ti"
check "reader keeps a page record's addresses, not its pages" 0 '^record 9 type 203 len 1050640 kept 2064$' \
	"$libtest" read --restart "$ti"
check "reader keeps a page record's addresses, from a pipe" 0 '^record 10 type 203 len 8224 kept 32$' \
	libtest_stdin "$ti" --file --restart
check "restart check: a page outside the areas" 5 'record 10 at offset 1051856 \(type 203, pages\): page 0 at 0x900000 is outside the memory areas of mm 2$' \
	"$libtest" read --restart "$img/tasks-page-outside.img"
check "restart check: an objref out of order" 5 '\(type 301, file\): file 2 is defined out of order \(expected objref 1\)$' \
	"$libtest" read --restart "$img/tasks-objref-order.img"
check "restart check: a task without its registers" 5 '\(type 111, xstate\): the pages of mm 2, or the registers of task 1, must come here$' \
	"$libtest" read --restart "$img/tasks-no-regs.img"
check "restart check: memory areas out of order" 5 'memory area 0x401000-0x800000: not after the one before it, which ends at 0x402000$' \
	"$libtest" read --restart "$img/tasks-vma-unsorted.img"
check "restart check: kernel segments in the registers" 5 'task 1: cs 0x10 and ss 0x2b are not the user segments \(0x33, 0x2b\)$' \
	"$libtest" read --restart "$img/tasks-bad-cs.img"
check "restart check: an XSAVE area too small" 5 'task 1: an XSAVE area of 512 bytes \(at least 576\)$' \
	"$libtest" read --restart "$img/tasks-small-xstate.img"
check "restart check: an exe not defined before" 5 'the exe of mm 2 refers to file 3, which is not defined before it$' \
	"$libtest" read --restart "$img/tasks-exe-undefined.img"
check "restart check: a page record one page short" 5 '\(type 203, pages\) has a bad length \(1046544, expected 1050640 for 256 pages\)$' \
	"$libtest" read --restart "$img/tasks-pages-bad-len.img"
check "restart check: a file without its path" 5 '\(type 101, task\): the path of file 1 \(a string record\) must come here$' \
	"$libtest" read --restart "$img/tasks-no-path.img"
check "restart check: pages after a task" 5 '\(type 203, pages\): a page record outside an address space$' \
	"$libtest" read --restart "$img/tasks-pages-after-task.img"
check "restart check: a relative path" 5 '\(type 3, string\): the path of file 1 is not absolute$' \
	"$libtest" read --restart "$img/tasks-relative-path.img"
check "info checks the records too: a page outside the areas" 5 '^ckpt: .*: the image is corrupt: .*page 0 at 0x900000 is outside' \
	"$ckpt" info "$img/tasks-page-outside.img"
check "info checks the records too: a task without its registers" 5 'or the registers of task 1, must come here$' \
	"$ckpt" info "$img/tasks-no-regs.img"
check "info: a corrupt image, what came before the damage" 5 '^    00400000-00402000 +r-xp ' \
	"$ckpt" info "$img/tasks-page-outside.img"
check "restart (fake kernel): tasks.img" 0 '^image OK$' \
	"$fake" restart --dry-run -i "$ti"
check "restart (fake kernel): a page outside the areas" 5 '^ckpt: .*: restart: the image is corrupt: .*page 0 at 0x900000 is outside' \
	"$fake" restart --dry-run -i "$img/tasks-page-outside.img"

# ---- Files that cannot be read ----
check "no such file" 1 "^ckpt: $img/nonexistent.img: cannot open: No such file or directory\$" \
	"$ckpt" info "$img/nonexistent.img"
check "a directory" 1 'read error at offset 0: Is a directory' \
	"$ckpt" info "$img"

# ---- Checking for restart(2), through the library ----
check "restart check: valid image" 0 '^valid$' \
	"$libtest" read --restart "$v"
check "restart check: wrong arch" 6 'the image is for architecture unknown \(2\), this machine is x86_64' \
	"$libtest" read --restart "$img/wrong-arch.img"
check "restart check: unknown record type" 5 'unknown type 150' \
	"$libtest" read --restart "$img/unknown-record.img"
check "FILE reader from a pipe" 0 '^valid$' \
	libtest_stdin "$v" --file
check "FILE reader keeps at most 64 KiB of a record" 0 '^record 2 type 250 len 200005 kept 65536$' \
	libtest_stdin "$img/big-record.img" --file
check "FILE reader: truncated" 4 'truncated at offset 60' \
	"$libtest" read --file "$img/truncated-60.img"

# ---- Help and usage ----
check "--help lists the exit codes" 0 "^  7  unsupported image format version \\(an older one: see 'ckpt convert'\\)\$" "$ckpt" --help
check "-h" 0 '^Usage: ckpt COMMAND' "$ckpt" -h
check "help" 0 '^Usage: ckpt COMMAND' "$ckpt" help
check "help info" 0 '^Usage: ckpt info \[--json\] \[--records\] FILE' "$ckpt" help info
check "info --help" 0 '^Usage: ckpt info \[--json\] \[--records\] FILE' "$ckpt" info --help
check "no command" 2 '^ckpt: no command given$' "$ckpt"
check "unknown command" 2 "^ckpt: unknown command 'frobnicate'\$" "$ckpt" frobnicate
check "unknown command prints usage" 2 '^Usage: ckpt COMMAND' "$ckpt" frobnicate
check "help for an unknown command" 2 "unknown command 'frobnicate'" "$ckpt" help frobnicate
check "info without a file" 2 'no image given' "$ckpt" info
check "info with two files" 2 'one image at a time' "$ckpt" info "$v" "$v"
check "info with an unknown option" 2 "unknown option '--bogus'" "$ckpt" info --bogus "$v"

check "--help lists the new exit codes" 0 '^ 11  the kernel refused for another reason' "$ckpt" --help
check "--help lists run, checkpoint, restart" 0 '^  checkpoint freeze a container' "$ckpt" --help

# ---- run, checkpoint, restart: help and usage ----
check "help run"                0 '^Usage: ckpt run \[--name NAME\]'   "$ckpt" help run
check "run --help"              0 '^Usage: ckpt run \[--name NAME\]'   "$ckpt" run --help
check "checkpoint --help"       0 '^Usage: ckpt checkpoint '           "$ckpt" checkpoint --help
check "checkpoint -h: the default is --leave-running" 0 '^  --leave-running .*$' "$ckpt" checkpoint -h
check "help checkpoint"         0 '^Usage: ckpt checkpoint '           "$ckpt" help checkpoint
check "restart --help"          0 '^Usage: ckpt restart \[--dry-run\]' "$ckpt" restart --help
check "help restart"            0 '^Usage: ckpt restart \[--dry-run\]' "$ckpt" help restart
check "run without a program"   2 '^ckpt: run: no program given$'      "$ckpt" run
check "run --name without a value" 2 '^ckpt: run: --name needs a value$' "$ckpt" run --name
check "run with a bad name"     2 "^ckpt: run: 'a/b' is not a valid container name\$" \
	"$ckpt" run --name a/b -- true
check "run with an unknown option" 2 "unknown option '--bogus'"        "$ckpt" run --bogus true
check "checkpoint without a container" 2 'no container given'          "$ckpt" checkpoint
check "checkpoint with a name and a pid" 2 'not both'                  "$ckpt" checkpoint --name demo 5
check "checkpoint with two pids" 2 'one process tree at a time'        "$ckpt" checkpoint 5 6
check "checkpoint --kill --leave-running" 2 'exclude each other'       "$ckpt" checkpoint --kill --leave-running 5
check "checkpoint with a bad pid" 2 "'12x' is not a process id"        "$ckpt" checkpoint 12x
check "checkpoint with pid 0"   2 "'0' is not a process id"            "$ckpt" checkpoint 0
check "checkpoint -o without a file" 2 '^ckpt: checkpoint: -o needs a value$' "$ckpt" checkpoint -o
check "checkpoint with a bad name" 2 "'\.\./x' is not a valid container name" \
	"$ckpt" checkpoint --name ../x
check "checkpoint with an unknown option" 2 "unknown option '--bogus'" "$ckpt" checkpoint --bogus 5
check "restart with an argument" 2 "unexpected argument 'img'"         "$ckpt" restart img
check "restart with an unknown option" 2 "unknown option '--bogus'"    "$ckpt" restart --bogus
check "restart with a bad name" 2 "'a b' is not a valid container name" \
	"$ckpt" restart --name 'a b' -i "$v"
check "restart -i without a file" 2 '^ckpt: restart: -i needs a value$' "$ckpt" restart -i
check "restart --frozen without --name" 2 '^ckpt: restart: --frozen needs --name$' \
	"$ckpt" restart --frozen -i "$v"
check "restart --help tells of --frozen" 0 'frozen'                     "$ckpt" restart --help
check "restart: no such image file" 1 "^ckpt: $img/nonexistent.img: cannot open: No such file or directory\$" \
	"$ckpt" restart --dry-run -i "$img/nonexistent.img"
if command -v script >/dev/null; then
	# on a terminal: script(1) gives the command one
	check "checkpoint refuses to write an image to a terminal" 2 'refusing to write an image to a terminal' \
		script -qec "$ckpt checkpoint 999999999" /dev/null
	check "restart refuses to read an image from a terminal" 2 'refusing to read an image from a terminal' \
		script -qec "$ckpt restart --dry-run" /dev/null
else
	skip "checkpoint refuses to write an image to a terminal" "no script(1)"
	skip "restart refuses to read an image from a terminal" "no script(1)"
fi

# ---- Images as streams: lz4, info --json, the pump (streams.sh) ----
. "$tests/streams.sh"

# ---- Format version 2: the state of tasks, its rules (state.sh) ----
. "$tests/state.sh"

# ---- Format version 3: TLS descriptors, POSIX timers (timers.sh) ----
. "$tests/timers.sh"

# ---- Memfds and shared memory (memfd.sh) ----
. "$tests/memfd.sh"

# ---- Format version 4: SysV IPC objects (ipc.sh) ----
. "$tests/ipc.sh"

# ---- Format version 4: a process tree, its order, groups, stops (tree.sh) ----
. "$tests/tree.sh"

# ---- ckpt convert: versions 1 to 3 to 4 (convert.sh) ----
. "$tests/convert.sh"

# ---- Migration over TCP: migrate, restart --listen (migrate.sh) ----
. "$tests/migrate.sh"

# ---- The container library, on fake system calls ----
check "container names" 0 '' "$ctest" names
check "errno to exit status, for checkpoint(2) and restart(2)" 0 '' "$ctest" status-map
check "the kernel's reasons as one line, control characters replaced" 0 '' "$ctest" reason
check "bad options are refused before any system call" 0 '' "$ctest" opts
check "EPERM without the capabilities: names them" 0 '^checkpoint: needs CAP_CHECKPOINT_RESTORE \(or CAP_SYS_ADMIN\)$' \
	"$ctest" perm-hint --drop
if [ "$(id -u)" = 0 ]; then
	check "EPERM with the capabilities: ptrace access" 0 '^checkpoint: has CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, so it needs ptrace access' \
		"$ctest" perm-hint
else
	skip "EPERM with the capabilities: ptrace access" "not root"
fi
check "restart: valid image" 0 '^status 0: $' "$ctest" restart
for e in EINVAL:3 ENODATA:4 EBADMSG:5 ENOEXEC:6 EPROTO:7 EOPNOTSUPP:11; do
	check "restart: ${e%:*} gives ${e#*:} and the kernel's reason" "${e#*:}" \
		"^status ${e#*:}: restart: fake reason" "$ctest" restart --fail "${e%:*}"
done
check "restart: EPERM names what is missing" 10 '^status 10: restart: fake reason .*; this process (needs|has) CAP_' \
	"$ctest" restart --fail EPERM
check "restart: a kernel without restart(2)" 11 'this kernel has no restart\(2\)' \
	"$ctest" restart --fail ENOSYS

# ---- Containers: before any system call ----
check "checkpoint: no such process" 8 '^ckpt: no such process: 999999999$' \
	"$ckpt" checkpoint -o "$tmp/nopid.img" 999999999
check "checkpoint: no such process leaves no image" 0 '' \
	test -z "$(ls "$tmp" | grep nopid)"

cgroot=$("$ctest" cgroup-root 2>/dev/null)
if [ -z "$cgroot" ]; then
	skip "checkpoint: no such container" "no cgroup v2 mount"
	skip "checkpoint: a process in ckpt's own cgroup is refused" "no cgroup v2 mount"
else
	check "checkpoint: no such container" 8 "^ckpt: no such container: 'ckpt-test-none-$$'" \
		"$ckpt" checkpoint -o "$tmp/none.img" --name "ckpt-test-none-$$"
	# a child of this shell shares its cgroup, so ckpt's too
	sleep 1000 >/dev/null 2>&1 </dev/null &
	sleeper=$!
	check "checkpoint: a process in ckpt's own cgroup is refused" 9 '(root cgroup|this process is in it too)' \
		"$ckpt" checkpoint -o "$tmp/self.img" "$sleeper"
	kill "$sleeper"
	wait "$sleeper" 2>/dev/null
fi

# ---- Containers on this host: ckpt run, the freezer, kill ----
name=ckpt-test-$$
cg=$cgroot/ckpt/$name
made_parent=
default_cg=
cleanup() {
	local d
	for d in "$cg" "$cg-two" "$cg-x" "$cg-z" "$cg-m" "$cg-r" "$default_cg"; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		"$ctest" kill "$d" >/dev/null 2>&1
		rmdir "$d" 2>/dev/null
	done
	[ -z "$made_parent" ] || rmdir "$cgroot/ckpt" 2>/dev/null
}
trap cleanup EXIT

# events_are CGROUP "populated P" "frozen F"
events_are() {
	grep -qx "$2" "$1/cgroup.events" && grep -qx "$3" "$1/cgroup.events"
}

# The last NSpid field is the pid inside: 1, for the init of a new namespace.
is_ns_init() {
	grep -qE '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "/proc/$1/status"
}

# ns_differ PID NS...: PID's namespaces are not ours
ns_differ() {
	local pid=$1 ns
	shift
	for ns in "$@"; do
		[ "$(readlink "/proc/$pid/ns/$ns")" != "$(readlink "/proc/self/ns/$ns")" ] || return 1
	done
}

# only_process_in CGROUP PID: PID is soon all the thawed CGROUP holds
only_process_in() {
	local tries=0
	while [ "$(cat "$1/cgroup.procs")" != "$2" ]; do
		tries=$((tries + 1))
		[ $tries -le 20 ] || return 1
		sleep 0.1
	done
	events_are "$1" "populated 1" "frozen 0"
}

# gone PID: no such process, or a zombie waiting for its new parent
gone() {
	[ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status"
}

container_tests=(
	"run: prints the pid of the container's init"
	"run: the init is pid 1 of a new pid namespace"
	"run: the init is in the container's cgroup"
	"run: new UTS, IPC, mount and pid namespaces"
	"run: the hostname is the container's name"
	"run: a second container of the same name is refused"
	"checkpoint (fake call): the container is frozen during the call"
	"checkpoint (fake call): thawed and running after it"
	"checkpoint (fake call) by pid: the pid's cgroup"
	"checkpoint (fake call) failing with EBUSY: exit status 9"
	"checkpoint (fake call) failing with EBUSY: thawed after it"
	"checkpoint (fake call) failing with EPERM: exit status 10, names the capability"
	"checkpoint (fake call) to a pipe without a reader: EPIPE, not SIGPIPE"
	"checkpoint (fake call) to a pipe without a reader: thawed after it"
	"freeze: cgroup.events says frozen 1"
	"checkpoint (fake call) of a frozen container: left frozen"
	"checkpoint (fake call) of a frozen container: still frozen after it"
	"thaw: cgroup.events says frozen 0"
	"checkpoint: refuses the cgroup ckpt runs in"
	"checkpoint (fake call) of a container with two process trees: refused"
	"checkpoint (fake call) of a container with two process trees: thawed after it"
	"checkpoint --kill (fake call) by pid: kills that tree only"
	"checkpoint --kill (fake call) by pid: the other tree runs on, thawed"
	"checkpoint --kill (fake call): killed, cgroup removed"
	"checkpoint --kill (fake call): the init is gone"
	"checkpoint --kill (fake call): the cgroup is gone"
	"run: a program that does not exist"
	"run: a program that does not exist leaves no cgroup"
	"run: the default name is ckpt-PID"
	"kill: every process of the cgroup"
)
if [ -z "$cgroot" ] || [ "$(id -u)" != 0 ] || [ ! -w "$cgroot" ]; then
	why="no cgroup v2 mount"
	[ -z "$cgroot" ] || why="not root"
	[ -z "$cgroot" ] || [ "$(id -u)" != 0 ] || why="cgroup v2 is not writable here"
	for t in "${container_tests[@]}"; do
		skip "$t" "$why"
	done
	stream_container_skip "$why"
	migrate_container_skip "$why"
else
	[ -d "$cgroot/ckpt" ] || made_parent=1
	t=("${container_tests[@]}")

	check "${t[0]}" 0 '^[0-9]+$' "$ckpt" run --name "$name" -- sleep 1000
	pid=$(head -n 1 "$tmp/out")
	check "${t[1]}" 0 '' is_ns_init "$pid"
	check "${t[2]}" 0 "^0::/ckpt/$name\$" cat "/proc/$pid/cgroup"
	check "${t[3]}" 0 '' ns_differ "$pid" uts ipc mnt pid
	if command -v nsenter >/dev/null; then
		check "${t[4]}" 0 "^$name\$" nsenter -t "$pid" -u hostname
	else
		skip "${t[4]}" "no nsenter(1)"
	fi
	check "${t[5]}" 1 "^ckpt: a container named '$name' is running already" \
		"$ckpt" run --name "$name" -- sleep 1

	check "${t[6]}" 0 '^fake checkpoint: process [0-9]+, frozen$' \
		"$ctest" checkpoint --name "$name"
	check "${t[7]}" 0 '' events_are "$cg" "populated 1" "frozen 0"
	check "${t[8]}" 0 "^fake checkpoint: process $pid, frozen\$" \
		"$ctest" checkpoint --pid "$pid"
	check "${t[9]}" 9 '^status 9: checkpoint: fake reason' \
		"$ctest" checkpoint --name "$name" --fail EBUSY
	check "${t[10]}" 0 '' events_are "$cg" "populated 1" "frozen 0"
	check "${t[11]}" 10 '^status 10: checkpoint: fake reason .*; this process (needs|has) CAP_CHECKPOINT_RESTORE' \
		"$ctest" checkpoint --name "$name" --fail EPERM
	check "${t[12]}" 1 '^status 1: checkpoint: Broken pipe$' \
		"$ctest" checkpoint --name "$name" --broken-pipe
	check "${t[13]}" 0 '' events_are "$cg" "populated 1" "frozen 0"
	check "${t[14]}" 0 '' "$ctest" freeze "$cg"
	check "${t[15]}" 0 'frozen, as it was$' "$ctest" checkpoint --name "$name"
	check "${t[16]}" 0 '' events_are "$cg" "populated 1" "frozen 1"
	"$ctest" thaw "$cg" >"$tmp/out" 2>"$tmp/err"
	check "${t[17]}" 0 '' events_are "$cg" "populated 1" "frozen 0"

	# a second group, with two sleeps of this shell moved into it
	mkdir "$cg-two"
	# (disowned: bash would report their death by SIGKILL on stderr)
	sleep 1000 >/dev/null 2>&1 </dev/null &
	s1=$!
	sleep 1000 >/dev/null 2>&1 </dev/null &
	s2=$!
	disown "$s1" "$s2"
	echo "$s1" >"$cg-two/cgroup.procs"
	echo "$s2" >"$cg-two/cgroup.procs"
	check "${t[18]}" 9 'this process is in it too' \
		sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" checkpoint -o "$3" "$4"' \
		sh "$cg-two" "$ckpt" "$tmp/two.img" "$s1"
	check "${t[19]}" 1 "^status 1: container '$name-two' holds 2 process trees" \
		"$ctest" checkpoint --name "$name-two"
	check "${t[20]}" 0 '' events_are "$cg-two" "populated 1" "frozen 0"
	check "${t[21]}" 0 "^killed process $s1 and its 0 descendants" \
		"$ctest" checkpoint --pid "$s1" --kill
	check "${t[22]}" 0 '' only_process_in "$cg-two" "$s2"

	check "${t[23]}" 0 "^removed $cg\$" "$ctest" checkpoint --name "$name" --kill
	check "${t[24]}" 0 '' gone "$pid"
	check "${t[25]}" 0 '' test ! -e "$cg"

	check "${t[26]}" 1 "^ckpt: cannot run '/nonexistent/program': No such file or directory\$" \
		"$ckpt" run --name "$name-x" -- /nonexistent/program
	check "${t[27]}" 0 '' test ! -e "$cg-x"

	"$ckpt" run -- sleep 1000 >"$tmp/default.out" 2>"$tmp/err" </dev/null
	pid=$(head -n 1 "$tmp/default.out")
	default_cg=$("$ctest" cgroup-of "${pid:-0}" 2>/dev/null)
	check "${t[28]}" 0 '^0::/ckpt/ckpt-[0-9]+$' cat "/proc/${pid:-0}/cgroup"

	check "${t[29]}" 0 '' "$ctest" kill "$cg-two"

	# checkpoint -z and --progress, on a container of their own
	if "$ckpt" run --name "$name-z" -- sleep 1000 >"$tmp/out" 2>"$tmp/err" </dev/null; then
		stream_container_run "$name-z" "$cg-z"
	else
		stream_container_skip "ckpt run failed"
	fi

	# migrate, to restart --listen and others on the loopback
	migrate_container_run "$name" "$cg"
	cleanup
fi

totals
[ "$fail" = 0 ]
