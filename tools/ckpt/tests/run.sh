#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the ckpt command and libckpt, on synthetic images:
#
#   tests/run.sh BUILD_DIR      (make test runs it with BUILD_DIR = $(O))
#
# Prints one line per test, "ok N - what" or "not ok N - what", then
# "# Totals: ..." for the top-level runner; why a test failed goes to stderr.
# Exits non-zero if any test failed.  Everything it writes is under
# BUILD_DIR/tests.
set -u

build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd) || exit 1
ckpt=$build/ckpt
libtest=$build/tests/libtest
img=$build/tests/images
tmp=$build/tests/run
rm -rf "$img" "$tmp"
mkdir -p "$img" "$tmp"

n=0
pass=0
fail=0

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

totals() {
	echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
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
	elif [ "$1" = "$ckpt" ] || [ "$1" = ckpt_stdin ]; then
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
check "valid image: format version"     0 '^format version: 1$'            "$ckpt" info "$v"
check "valid image: arch"               0 '^arch: +x86_64$'                "$ckpt" info "$v"
check "valid image: page size"          0 '^page size: +4096$'             "$ckpt" info "$v"
check "valid image: kernel release"     0 '^kernel release: 6\.12\.0-ckpt$' "$ckpt" info "$v"
check "valid image: xfeatures in hex"   0 '^xfeatures: +0x2e7$'            "$ckpt" info "$v"
check "valid image: flags in hex"       0 '^flags: +0x0$'                  "$ckpt" info "$v"
check "valid image: time in UTC"        0 '^time: +2023-11-14T22:13:20Z$'  "$ckpt" info "$v"
check "valid image: header record line" 0 '^ +0 +1 +header +120$'          "$ckpt" info "$v"
check "valid image: tail record line"   0 '^ +120 +2 +tail +40$'           "$ckpt" info "$v"
check "valid image: tail record count"  0 '^  records: +1$'                "$ckpt" info "$v"
check "valid image: tail byte count"    0 '^  bytes: +120$'                "$ckpt" info "$v"
check "valid image: tail crc32c"        0 '^  crc32c: +0x[0-9a-f]{8}$'     "$ckpt" info "$v"
check "valid image from a pipe"         0 '^image OK$'                     ckpt_stdin "$v"
check "valid image from a pipe: <stdin>" 0 '^image: +<stdin>$'             ckpt_stdin "$v"
check "valid image after --"            0 '^image OK$'                     "$ckpt" info -- "$v"

# ---- Valid images a newer or bigger writer could produce ----
check "header with extra trailing bytes is OK" 0 '^image OK$' \
	"$ckpt" info "$img/header-extended.img"
check "header with extra trailing bytes: its length" 0 '^ +0 +1 +header +132$' \
	"$ckpt" info "$img/header-extended.img"
check "unknown record type is listed" 0 '^ +120 +150 +unknown +21$' \
	"$ckpt" info "$img/unknown-record.img"
check "unknown record type is no error for info" 0 '^image OK$' \
	"$ckpt" info "$img/unknown-record.img"
check "record larger than the reader keeps" 0 '^ +120 +250 +unknown +200005$' \
	"$ckpt" info "$img/big-record.img"
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
check "future format version" 7 'unsupported format version 2 \(this tool reads version 1\)' \
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
check "truncated, from a pipe" 4 'truncated at offset 128, in record 1 \(type 2, tail\) at offset 120' \
	ckpt_stdin "$img/truncated-128.img"
check "record claiming 4 GiB, stream ends" 4 'truncated at offset 144, in record 1 \(type 150, unknown\)' \
	"$ckpt" info "$img/huge-record.img"

# ---- Corrupt ----
check "flipped byte: crc mismatch" 5 'corrupt: checksum mismatch' \
	"$ckpt" info "$img/flipped.img"
check "flipped byte, from a pipe" 5 'corrupt: checksum mismatch' \
	ckpt_stdin "$img/flipped.img"
check "non-zero padding" 5 'record 1 at offset 120 \(type 150, unknown\) has non-zero padding' \
	"$ckpt" info "$img/nonzero-pad.img"
check "tail record count wrong" 5 'the tail counts 5 records in 120 bytes, the stream held 1 in 120' \
	"$ckpt" info "$img/bad-count.img"
check "tail byte count wrong" 5 'the tail counts 1 records in 128 bytes' \
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
check "FILE reader keeps at most 64 KiB of a record" 0 '^record 1 type 250 len 200005 kept 65536$' \
	libtest_stdin "$img/big-record.img" --file
check "FILE reader: truncated" 4 'truncated at offset 60' \
	"$libtest" read --file "$img/truncated-60.img"

# ---- Help and usage ----
check "--help lists the exit codes" 0 '^  7  unsupported image format version$' "$ckpt" --help
check "-h" 0 '^Usage: ckpt COMMAND' "$ckpt" -h
check "help" 0 '^Usage: ckpt COMMAND' "$ckpt" help
check "help info" 0 '^Usage: ckpt info FILE' "$ckpt" help info
check "info --help" 0 '^Usage: ckpt info FILE' "$ckpt" info --help
check "no command" 2 '^ckpt: no command given$' "$ckpt"
check "unknown command" 2 "^ckpt: unknown command 'frobnicate'\$" "$ckpt" frobnicate
check "unknown command prints usage" 2 '^Usage: ckpt COMMAND' "$ckpt" frobnicate
check "help for an unknown command" 2 "unknown command 'frobnicate'" "$ckpt" help frobnicate
check "info without a file" 2 'no image given' "$ckpt" info
check "info with two files" 2 'one image at a time' "$ckpt" info "$v" "$v"
check "info with an unknown option" 2 "unknown option '--bogus'" "$ckpt" info --bogus "$v"

totals
[ "$fail" = 0 ]
