# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the image as a stream: lz4 compression (the library, and
# the standard lz4 tool on the other side), `ckpt info --json`, and the pump
# that stands between the kernel and ckpt's input or output (--progress,
# -z, restart of a compressed image).  Sourced by tests/run.sh, whose
# check, result and skip it uses; checkpoint(2) and restart(2) are those of
# tests/fakesys.c, in tests/ckpt-fake.
#
# The part that runs containers (checkpoint -z needs a frozen cgroup) is
# the function stream_container_tests, which run.sh calls where it runs
# containers, or stream_container_skip where it cannot.

have_lz4=
command -v lz4 >/dev/null && have_lz4=1
have_python=
command -v python3 >/dev/null && have_python=1
have_time=
[ -x /usr/bin/time ] && have_time=1

# The largest a process that streams 50 MiB may grow to, in KiB: the image
# must never be held whole.  (liblz4 takes some 8 MiB for a frame of 4 MiB
# blocks, lz4's default; ckpt's own frames need far less.)
rss_limit=16384

# flip_byte FILE OFFSET: invert the byte at OFFSET, in place
flip_byte() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# compress FILE: FILE.lz4, by the lz4 tool if there is one, else libckpt
compress() {
	if [ -n "$have_lz4" ]; then
		lz4 -q -c "$1" >"$1.lz4"
	else
		"$libtest" lz4-compress <"$1" >"$1.lz4"
	fi
}

# fake_stdin FILE ARGS...: ckpt-fake ARGS with FILE through a pipe on stdin
fake_stdin() {
	local file=$1
	shift
	cat "$file" | "$fake" "$@"
}

# fake_log CMD...: CMD with a fresh $CKPT_FAKE_LOG, which is printed after,
# to tell which kind of fd the fake system call got
fake_log() {
	local status
	rm -f "$tmp/fake.log"
	CKPT_FAKE_LOG=$tmp/fake.log "$@"
	status=$?
	cat "$tmp/fake.log" 2>/dev/null
	return $status
}

# with_stderr CMD...: CMD, whose stderr (progress lines) is expected
with_stderr() {
	"$@"
}

# rss_below KIB CMD...: CMD succeeds within KIB KiB of peak RSS, which it
# prints on stderr
rss_below() {
	local max=$1 rss
	shift
	/usr/bin/time -f %M -o "$tmp/rss" "$@" || return
	rss=$(tail -n 1 "$tmp/rss")
	echo "peak RSS: $rss KiB" >&2
	[ "$rss" -lt "$max" ]
}

# json_check EXPR CMD...: run CMD, whose stdout must be one line of JSON
# for which the Python expression EXPR (on d) holds; prints "status N",
# CMD's exit status, for the pattern to check
json_check() {
	local expr=$1 status
	shift
	"$@" >"$tmp/json"
	status=$?
	echo "status $status"
	[ "$(wc -l <"$tmp/json")" = 1 ] || { echo "not one line"; return 1; }
	python3 -c '
import json, sys
d = json.load(open(sys.argv[2], encoding="utf-8"))
if not eval(sys.argv[1]):
    sys.exit("not true of the JSON: " + sys.argv[1] + "\n" + json.dumps(d))
' "$expr" "$tmp/json"
}

v=$img/valid.img
big=$img/big-record.img
stream=$img/stream50.img
"$build/tests/mkimage" --stream 50 >"$stream"

# ---- lz4 streams: the library ----
if [ -n "$have_lz4" ]; then
	# each side of the library against the lz4 tool
	lib_to_lz4() { "$libtest" lz4-compress <"$1" | lz4 -d -q | cmp - "$1"; }
	lz4_to_lib() { lz4 -q -c "$1" | "$libtest" lz4-decompress | cmp - "$1"; }
	check "lz4: the library's stream is what lz4 -d decodes" 0 '' lib_to_lz4 "$v"
	check "lz4: the library's stream of a record larger than a block" 0 '' lib_to_lz4 "$big"
	check "lz4: the library's stream of 50 MiB" 0 '' lib_to_lz4 "$stream"
	check "lz4: the library decodes what lz4 -c makes" 0 '' lz4_to_lib "$big"
	check "lz4: the library decodes 50 MiB lz4 -c made" 0 '' lz4_to_lib "$stream"
	lz4_frames() { { lz4 -q -c "$v"; lz4 -q -c "$big"; } | "$libtest" lz4-decompress | cmp - <(cat "$v" "$big"); }
	check "lz4: frames one after the other, as lz4 -d reads them" 0 '' lz4_frames
else
	for t in "lz4: the library's stream is what lz4 -d decodes" \
		 "lz4: the library's stream of a record larger than a block" \
		 "lz4: the library's stream of 50 MiB" \
		 "lz4: the library decodes what lz4 -c makes" \
		 "lz4: the library decodes 50 MiB lz4 -c made" \
		 "lz4: frames one after the other, as lz4 -d reads them"; do
		skip "$t" "no lz4(1)"
	done
fi
lib_round_trip() { "$libtest" lz4-compress <"$1" | "$libtest" lz4-decompress | cmp - "$1"; }
check "lz4: the library's round trip of 50 MiB" 0 '' lib_round_trip "$stream"

compress "$v"
compress "$big"
"$libtest" lz4-compress <"$big" >"$img/big-ckpt.img.lz4"
size=$(stat -c %s "$big.lz4")
head -c $((size / 2)) "$big.lz4" >"$img/big-half.img.lz4"
head -c $((size - 2)) "$big.lz4" >"$img/big-no-end.img.lz4"
head -c 4 "$big.lz4" >"$img/magic-only.lz4"
# the middle of ckpt's stream is in its one block's data
cp "$img/big-ckpt.img.lz4" "$img/big-bad-block.img.lz4"
flip_byte "$img/big-bad-block.img.lz4" $(($(stat -c %s "$img/big-ckpt.img.lz4") / 2))
cp "$big.lz4" "$img/big-bad-sum.img.lz4"
flip_byte "$img/big-bad-sum.img.lz4" $((size - 1))
{ cat "$v.lz4"; echo "not lz4"; } >"$img/garbage-after.img.lz4"
cp "$img/flipped.img" "$img/text.img" "$img/empty.img" "$tmp/"
compress "$tmp/flipped.img"
compress "$tmp/text.img"
compress "$tmp/empty.img"

# decompress FILE: FILE through libckpt's decoder (check gives commands no stdin)
decompress() {
	"$libtest" lz4-decompress <"$1"
}
check "lz4: the decoder finds a truncated stream" 4 'the lz4 stream is truncated: it ends inside a frame' \
	decompress "$img/big-half.img.lz4"
check "lz4: the decoder finds a bad block" 5 'the lz4 stream is corrupt in compressed bytes [0-9]+ to [0-9]+: bad block checksum' \
	decompress "$img/big-bad-block.img.lz4"

# ---- The pump for checkpoint(2), with libtest as the kernel ----
pump_lz4() { "$libtest" pump-write --lz4 <"$1" | "$libtest" lz4-decompress | cmp - "$1"; }
pump_copy() { "$libtest" pump-write <"$1" | cmp - "$1"; }
check "pump: compresses what the kernel writes" 0 '^progress: image 52429112 stream [0-9]+ done$' pump_lz4 "$stream"
check "pump: copies what the kernel writes" 0 '^pump: status 0: $' pump_copy "$stream"
pump_failed() { "$libtest" pump-write --lz4 --fail <"$v" | "$libtest" lz4-decompress; }
check "pump: after a failed checkpoint(2), the lz4 stream is unfinished" 4 'the lz4 stream is truncated' \
	pump_failed
pump_no_reader() { "$libtest" pump-write --lz4 <"$stream" | true; return "${PIPESTATUS[0]}"; }
check "pump: a reader that went away is EPIPE, not SIGPIPE" 1 '^pump: status 1: writing the image failed: Broken pipe$' \
	pump_no_reader
if [ -n "$have_time" ]; then
	pump_rss() { "$libtest" pump-write --lz4 <"$stream" | rss_below $rss_limit "$libtest" lz4-decompress >/dev/null; }
	pump_write_rss() { rss_below $rss_limit "$libtest" pump-write --lz4 <"$stream" >/dev/null; }
	check "pump: 50 MiB through, in bounded memory" 0 '^peak RSS' pump_write_rss
	check "lz4: 50 MiB decoded, in bounded memory" 0 '^peak RSS' pump_rss
else
	skip "pump: 50 MiB through, in bounded memory" "no /usr/bin/time"
	skip "lz4: 50 MiB decoded, in bounded memory" "no /usr/bin/time"
fi

# ---- ckpt info on lz4 streams ----
# the same listing as the image's, but for the name and the compression
same_listing() {
	diff <("$ckpt" info --records "$1" | grep -v '^image:') \
	     <("$ckpt" info --records "$1.lz4" | grep -v '^image:\|^compression:')
}
check "info: an lz4 stream is read as its image" 0 '^image OK$' "$ckpt" info "$v.lz4"
check "info: an lz4 stream says so" 0 '^compression: +lz4$' "$ckpt" info "$v.lz4"
check "info: an lz4 stream lists what its image does" 0 '' same_listing "$v"
check "info: an lz4 stream lists what its image does, large record" 0 '' same_listing "$big"
ti=$img/tasks.img
compress "$ti"
check "info: an lz4 stream lists what its image does, a process tree" 0 '' same_listing "$ti"
check "info: an lz4 stream of a process tree: its pages" 0 '^    00600000-00800000 +rw-p 00000000 anon +256 ' \
	"$ckpt" info "$ti.lz4"
check "info: an lz4 stream of a process tree, from a pipe" 0 '^  maps: +3 areas, 258 pages in the image \(1056768 bytes\)$' \
	ckpt_stdin "$ti.lz4"
check "restart: an lz4 stream of a process tree (fake kernel)" 0 '^image OK$' \
	"$fake" restart --dry-run -i "$ti.lz4"
check "info: an lz4 stream from a pipe" 0 '^image OK$' ckpt_stdin "$big.lz4"
check "info: an lz4 stream from ckpt's library" 0 '^image OK$' "$ckpt" info "$img/big-ckpt.img.lz4"
check "info: a truncated lz4 stream" 4 'the lz4 stream is truncated: it ends inside a frame, after [0-9]+ compressed bytes \(image offset [0-9]+\)$' \
	"$ckpt" info "$img/big-half.img.lz4"
check "info: a truncated lz4 stream, from a pipe" 4 'the lz4 stream is truncated' \
	ckpt_stdin "$img/big-half.img.lz4"
check "info: an lz4 stream truncated after its image's tail" 4 'the lz4 stream is truncated' \
	"$ckpt" info "$img/big-no-end.img.lz4"
check "info: an lz4 stream of just the magic number" 4 'the lz4 stream is truncated' \
	"$ckpt" info "$img/magic-only.lz4"
check "info: an lz4 stream with a bad block" 5 'the lz4 stream is corrupt in compressed bytes [0-9]+ to [0-9]+: bad block checksum' \
	"$ckpt" info "$img/big-bad-block.img.lz4"
check "info: an lz4 stream with a bad content checksum" 5 'the lz4 stream is corrupt .*: bad content checksum' \
	"$ckpt" info "$img/big-bad-sum.img.lz4"
check "info: bytes after the lz4 frame that are no frame" 5 'the lz4 stream is corrupt .*: not an lz4 frame' \
	"$ckpt" info "$img/garbage-after.img.lz4"
check "info: a corrupt image, compressed" 5 'corrupt: checksum mismatch' \
	"$ckpt" info "$tmp/flipped.img.lz4"
check "info: text, compressed" 3 'not a ckpt image \(bad magic\)' \
	"$ckpt" info "$tmp/text.img.lz4"
check "info: nothing, compressed" 3 'not a ckpt image \(it is empty\)' \
	"$ckpt" info "$tmp/empty.img.lz4"
check "reader: --file --decompress from a pipe" 0 '^valid$' \
	libtest_stdin "$big.lz4" --file --decompress
check "reader: an lz4 stream is not an image without --decompress" 3 'bad magic' \
	"$libtest" read "$v.lz4"
if [ -n "$have_time" ]; then
	big_info() {
		"$libtest" lz4-compress <"$stream" |
			rss_below $rss_limit "$ckpt" info - >"$tmp/big-info" &&
			tail -n 1 "$tmp/big-info"
	}
	check "info: 50 MiB of lz4 from a pipe, in bounded memory" 0 '^image OK$' big_info
	# 12725 records of one page each: counted into their area, not kept
	pages_info() {
		"$build/tests/mkimage" --pages 50 | "$libtest" lz4-compress |
			rss_below $rss_limit "$ckpt" info - >"$tmp/pages-info" &&
			grep -E '^  maps: |^image OK$' "$tmp/pages-info"
	}
	check "info: 50 MiB of page records from a pipe, in bounded memory" 0 '^  maps: +1 area, 12725 pages in the image \(52121600 bytes\)$' \
		pages_info
else
	skip "info: 50 MiB of lz4 from a pipe, in bounded memory" "no /usr/bin/time"
	skip "info: 50 MiB of page records from a pipe, in bounded memory" "no /usr/bin/time"
fi

# ---- ckpt info --json ----
json_tests=(
	"info --json: a valid image"
	"info --json: a valid image, its records"
	"info --json: a valid image, its tail"
	"info --json: an lz4 stream"
	"info --json: from a pipe"
	"info --json: a corrupt image: ok false, status, error"
	"info --json: a corrupt image: what came before the damage"
	"info --json: a truncated lz4 stream"
	"info --json: not an image"
	"info --json: no such file"
	"info --json: an unknown record type"
	"info --json: trailing data"
	"info --json: a hostile release string is escaped"
	"info --json: no records without --records"
	"info --json: the tasks"
	"info --json: the CPU state of each task"
	"info --json: the address space"
	"info --json: its memory areas and their pages"
	"info --json: the files"
	"info --json: the records of each type"
	"info --json: --records, with what each record says"
	"info --json: an lz4 stream of a process tree"
	"info --json: a corrupt process tree: what came before the damage"
	"info --json: a hostile path and name are escaped"
)
if [ -z "$have_python" ]; then
	for t in "${json_tests[@]}"; do
		skip "$t" "no python3"
	done
else
	t=("${json_tests[@]}")
	json_stdin() { cat "$1" | "$ckpt" info --json -; }
	check "${t[0]}" 0 '^status 0$' json_check \
		'd["ok"] is True and "error" not in d and d["image"].endswith("/valid.img") and d["compression"] == "none" and d["header"] == {"version": 4, "arch": "x86_64", "arch_id": 1, "page_size": 4096, "release": "6.12.0-ckpt", "xfeatures": 0x2e7, "flags": 0, "time": 1700000000, "time_utc": "2023-11-14T22:13:20Z"}' \
		"$ckpt" info --json "$v"
	check "${t[1]}" 0 '^status 0$' json_check \
		'd["records"] == [{"offset": 0, "type": 1, "name": "header", "len": 120}, {"offset": 120, "type": 701, "name": "namespaces", "len": 152, "namespaces": {"flags": 0, "hostname": "", "domainname": ""}}, {"offset": 272, "type": 2, "name": "tail", "len": 40}]' \
		"$ckpt" info --json --records "$v"
	check "${t[2]}" 0 '^status 0$' json_check \
		'd["tail"]["records"] == 2 and d["tail"]["bytes"] == 272 and 0 <= d["tail"]["crc32c"] < 2**32 and d["trailing_bytes"] == 0' \
		"$ckpt" info --json "$v"
	check "${t[3]}" 0 '^status 0$' json_check \
		'd["ok"] and d["compression"] == "lz4" and d["records"][2]["len"] == 200005' \
		"$ckpt" info --json --records "$big.lz4"
	check "${t[4]}" 0 '^status 0$' json_check \
		'd["ok"] and d["image"] == "<stdin>"' json_stdin "$v"
	check "${t[5]}" 0 '^status 5$' json_check \
		'd["ok"] is False and d["status"] == 5 and "checksum mismatch" in d["error"]' \
		"$ckpt" info --json "$img/flipped.img"
	check "${t[6]}" 0 '^status 5$' json_check \
		'd["header"]["page_size"] == 4096 and len(d["records"]) == 2 and d["tail"] is None and "trailing_bytes" not in d' \
		"$ckpt" info --json --records "$img/flipped.img"
	check "${t[7]}" 0 '^status 4$' json_check \
		'd["ok"] is False and d["status"] == 4 and d["compression"] == "lz4" and d["error"].startswith("the lz4 stream is truncated")' \
		"$ckpt" info --json "$img/big-half.img.lz4"
	check "${t[8]}" 0 '^status 3$' json_check \
		'd["status"] == 3 and d["header"] is None and d["records"] == [] and d["tail"] is None and d["tasks"] == [] and d["mms"] == [] and d["files"] == []' \
		"$ckpt" info --json --records "$img/text.img"
	check "${t[9]}" 0 '^status 1$' json_check \
		'd["status"] == 1 and d["error"].startswith("cannot open: ") and d["compression"] is None' \
		"$ckpt" info --json "$img/nonexistent.img"
	check "${t[10]}" 0 '^status 0$' json_check \
		'd["records"][2] == {"offset": 272, "type": 150, "name": "unknown", "len": 21}' \
		"$ckpt" info --json --records "$img/unknown-record.img"
	check "${t[11]}" 0 '^status 0$' json_check \
		'd["ok"] and d["trailing_bytes"] == 11' "$ckpt" info --json "$img/trailing.img"
	check "${t[12]}" 0 '^status 0$' json_check \
		'd["header"]["release"] == "6.12\"\\\n\x01\ufffd\u00e9"' \
		"$ckpt" info --json "$img/release-escapes.img"
	check "${t[13]}" 0 '^status 0$' json_check \
		'"records" not in d and d["ok"] and d["record_counts"] == {"header": 1, "namespaces": 1, "tail": 1} and d["namespaces"] == {"flags": 0, "uts": False, "ipc": False, "hostname": "", "domainname": ""}' \
		"$ckpt" info --json "$v"
	check "${t[14]}" 0 '^status 0$' json_check \
		'[(x["pid"], x["tgid"], x["ppid"], x["pgid"], x["sid"], x["comm"], x["thread"], x["zombie"], x["stopped"], x["exit_code"], x["exit_signal"], x["mm"]) for x in d["tasks"]] == [(1, 1, 0, 0, 0, "sleeper", False, False, None, 0, 17, 2), (3, 1, 0, 0, 0, "worker", True, False, None, 0, -1, 2), (2, 2, 1, 0, 0, "child", False, True, None, 768, 17, None)] and d["tree"] == {"tasks": 3, "processes": 2, "threads": 1, "zombies": 1, "stopped": 0}' \
		"$ckpt" info --json "$ti"
	check "${t[15]}" 0 '^status 0$' json_check \
		'd["tasks"][0]["regs"] == {"ip": 0x401234, "sp": 0x7fffffffe4e8, "orig_ax": 230, "ax": 2**64 - 516, "fs_base": 0x7ffff7d8e740} and d["tasks"][0]["xstate"] == {"size": 832, "xstate_bv": 7} and d["tasks"][1]["xstate"]["xstate_bv"] == 3 and d["tasks"][2]["regs"] is None and d["tasks"][2]["xstate"] is None' \
		"$ckpt" info --json "$ti"
	check "${t[16]}" 0 '^status 0$' json_check \
		'len(d["mms"]) == 1 and all(d["mms"][0][k] == v for k, v in {"objref": 2, "start_code": 0x400000, "end_code": 0x401c00, "start_brk": 0x601000, "brk": 0x800000, "start_stack": 0x7fffffffe5a0, "vdso": 0, "exe_file": 1, "exe": "/usr/bin/sleeper", "auxv": [6, 4096, 9, 0x401000, 0, 0], "pages": 258, "page_bytes": 258 * 4096}.items()) and d["pages"] == 258' \
		"$ckpt" info --json "$ti"
	check "${t[17]}" 0 '^status 0$' json_check \
		'[(a["start"], a["end"], a["perms"], a["offset"], a["kind"], a["flags"], a["file"], a["path"], a["name"], a["pages"]) for a in d["mms"][0]["vmas"]] == [(0x400000, 0x402000, "r-xp", 0, "file", [], 1, "/usr/bin/sleeper", "/usr/bin/sleeper", 1), (0x600000, 0x800000, "rw-p", 0, "anon", [], None, None, "[heap]", 256), (0x7ffffffdd000, 0x7ffffffff000, "rw-p", 0, "anon", ["growsdown"], None, None, "[stack]", 1)]' \
		"$ckpt" info --json "$ti"
	check "${t[18]}" 0 '^status 0$' json_check \
		'd["files"] == [{"objref": 1, "type": "reg", "flags": 0o100000, "pos": 0, "size": 16384, "rdev": 0, "path": "/usr/bin/sleeper", "pipe": None, "seals": 0, "seal_names": [], "pages": None, "page_bytes": None, "epoll_items": None, "external_fd": None}]' \
		"$ckpt" info --json "$ti"
	check "${t[19]}" 0 '^status 0$' json_check \
		'd["record_counts"] == {"header": 1, "namespaces": 1, "file": 1, "string": 5, "mm": 1, "vma": 3, "pages": 2, "task": 3, "registers": 2, "xstate": 2, "tls": 2, "restart_block": 1, "task_attrs": 2, "cred": 2, "fd_table": 2, "fs": 2, "sighand": 2, "signal": 2, "task_signal": 2, "tail": 1}' \
		"$ckpt" info --json "$ti"
	check "${t[20]}" 0 '^status 0$' json_check \
		'len(d["records"]) == 39 and d["records"][9]["pages"]["nr_pages"] == 256 and d["records"][10]["pages"]["addrs"] == [0x7ff000, 0x7fffffffe000] and d["records"][4]["task"]["pgid"] == 0 and d["records"][4]["task"]["stop_signo"] == 0 and d["records"][3]["string"]["value"] == "/usr/bin/sleeper" and d["records"][11]["registers"]["cs"] == 0x33 and d["records"][13]["tls"]["entries"][2]["entry_number"] == 14 and d["records"][14]["restart_block"]["kind"] == "nanosleep" and d["records"][38]["name"] == "tail"' \
		"$ckpt" info --json --records "$ti"
	check "${t[21]}" 0 '^status 0$' json_check \
		'd["ok"] and d["compression"] == "lz4" and d["mms"][0]["pages"] == 258 and len(d["tasks"]) == 3' \
		"$ckpt" info --json "$ti.lz4"
	check "${t[22]}" 0 '^status 5$' json_check \
		'd["ok"] is False and d["status"] == 5 and "page 0 at 0x900000 is outside" in d["error"] and d["mms"][0]["pages"] == 256 and [x["pid"] for x in d["tasks"]] == [1] and d["tasks"][0]["regs"] is None and d["tail"] is None' \
		"$ckpt" info --json "$img/tasks-page-outside.img"
	check "${t[23]}" 0 '^status 0$' json_check \
		'd["files"][0]["path"] == "/tmp/a\"b\\c\nd\x01\ufffd\u00e9" and d["mms"][0]["exe"] == d["files"][0]["path"] and d["mms"][0]["vmas"][0]["path"] == d["files"][0]["path"] and d["tasks"][0]["comm"] == "sl\"e\te\x7fp"' \
		"$ckpt" info --json "$img/tasks-hostile-names.img"
fi
check "info: a hostile release string is escaped in the text too" 0 '^kernel release: 6\.12"\\x5c\\x0a\\x01\\xff\\xc3\\xa9$' \
	"$ckpt" info "$img/release-escapes.img"
check "info --help mentions --json" 0 '^  --json ' "$ckpt" info --help

# ---- restart through ckpt's pump (a fake restart(2)) ----
check "restart: a file goes to the kernel as it is" 0 '^restart: fd [0-9]+ is a regular file$' \
	fake_log "$fake" restart --dry-run -i "$v"
check "restart --external-null: the kernel is asked for /dev/null" 0 '^restart: external files are /dev/null \(RESTART_EXTERNAL_NULL\)$' \
	fake_log "$fake" restart --dry-run --external-null -i "$v"
check "restart: a pipe goes to the kernel as it is (looked at, not read)" 0 '^restart: fd 0 is a pipe$' \
	fake_log fake_stdin "$v" restart --dry-run
check "restart: a pipe, looked at and handed over: image OK" 0 '^image OK$' \
	fake_stdin "$v" restart --dry-run
check "restart: an lz4 file goes through the pump" 0 '^restart: fd [1-9][0-9]* is a pipe$' \
	fake_log "$fake" restart --dry-run -i "$v.lz4"
check "restart: an lz4 file: image OK" 0 '^image OK$' "$fake" restart --dry-run -i "$big.lz4"
check "restart: an lz4 stream from a pipe: image OK" 0 '^image OK$' \
	fake_stdin "$big.lz4" restart --dry-run
check "restart: an lz4 stream from ckpt's library: image OK" 0 '^image OK$' \
	fake_stdin "$img/big-ckpt.img.lz4" restart --dry-run
check "restart: a truncated lz4 stream" 4 '^ckpt: .*: the lz4 stream is truncated: it ends inside a frame' \
	"$fake" restart --dry-run -i "$img/big-half.img.lz4"
check "restart: a truncated lz4 stream, from a pipe" 4 '^ckpt: <stdin>: the lz4 stream is truncated' \
	fake_stdin "$img/big-half.img.lz4" restart --dry-run
check "restart: an lz4 stream with a bad block" 5 '^ckpt: .*: the lz4 stream is corrupt in compressed bytes [0-9]+ to [0-9]+: bad block checksum$' \
	"$fake" restart --dry-run -i "$img/big-bad-block.img.lz4"
check "restart: a corrupt image, compressed: the kernel's reason" 5 'restart: the image is corrupt: checksum mismatch' \
	"$fake" restart --dry-run -i "$tmp/flipped.img.lz4"
check "restart: text, compressed" 3 'not a ckpt image' \
	"$fake" restart --dry-run -i "$tmp/text.img.lz4"
check "restart: an lz4 image without --dry-run: the kernel's answer" 11 'restoring tasks is not supported' \
	"$fake" restart -i "$v.lz4"
# the kernel stops at the tail, with megabytes still to come
{ cat "$v"; head -c 20000000 /dev/zero; } >"$tmp/trailing-20M.img"
"$libtest" lz4-compress <"$tmp/trailing-20M.img" >"$tmp/trailing-20M.img.lz4"
check "restart: the kernel stops at the tail of an lz4 stream: no hang, no SIGPIPE" 0 '^image OK$' \
	timeout 20 "$fake" restart --dry-run -i "$tmp/trailing-20M.img.lz4"
check "restart --progress: the kernel stops at the tail of a pipe" 0 '^restart: done: 312 bytes in ' \
	timeout 20 bash -c '"$1" restart --dry-run --progress < <(cat "$2")' \
	sh "$fake" "$tmp/trailing-20M.img"
# a writer that keeps its end open after the image: the pump must not
# wait for it once the kernel has what it needs
stalled_writer() {
	local fifo=$tmp/fifo writer status
	rm -f "$fifo"
	mkfifo "$fifo" || return
	# (exec: the writer's pid is the sleep's, which the kill must end)
	( cat "$1" && exec sleep 30 ) >"$fifo" &
	writer=$!
	timeout 10 "$fake" restart --dry-run "${@:2}" -i "$fifo"
	status=$?
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
	return $status
}
check "restart: an lz4 stream whose writer stays: done at the tail" 0 '^image OK$' \
	stalled_writer "$v.lz4"
check "restart --progress: a writer that stays: done at the tail" 0 '^restart: done: 312 bytes' \
	stalled_writer "$v" --progress
if [ -n "$have_python" ]; then
	# stdin a socket: looked at with MSG_PEEK
	on_socket() {
		python3 - "$@" <<-'EOF'
		import socket, subprocess, sys
		a, b = socket.socketpair()
		with open(sys.argv[1], "rb") as f:
		    a.sendall(f.read())
		a.shutdown(socket.SHUT_WR)
		sys.exit(subprocess.run(sys.argv[2:], stdin=b).returncode)
		EOF
	}
	check "restart: a socket goes to the kernel as it is (looked at, not read)" 0 '^restart: fd 0 is a socket$' \
		fake_log on_socket "$v" "$fake" restart --dry-run
	check "restart: an lz4 stream on a socket goes through the pump" 0 '^restart: fd [1-9][0-9]* is a pipe$' \
		fake_log on_socket "$big.lz4" "$fake" restart --dry-run
else
	skip "restart: a socket goes to the kernel as it is (looked at, not read)" "no python3"
	skip "restart: an lz4 stream on a socket goes through the pump" "no python3"
fi

# ---- restart --progress ----
check "restart --progress: through the pump" 0 '^restart: fd [1-9][0-9]* is a pipe$' \
	fake_log "$fake" restart --dry-run --progress -i "$v"
check "restart --progress: the last line" 0 '^restart: done: 312 bytes in [0-9]+\.[0-9]{2} s, [0-9]+\.[0-9]{2} MiB/s$' \
	with_stderr "$fake" restart --dry-run --progress -i "$v"
check "restart --progress: the last line of an lz4 stream" 0 "^restart: done: 200320 bytes in [0-9.]+ s, [0-9.]+ MiB/s \\(lz4: $size bytes\\)\$" \
	with_stderr "$fake" restart --dry-run --progress -i "$big.lz4"
check "restart --progress: a failure" 4 '^restart: failed: [0-9]+ bytes in ' \
	with_stderr "$fake" restart --dry-run --progress -i "$img/big-half.img.lz4"
slow_stream() {
	{ head -c 1000 "$stream"; sleep 1.5; tail -c +1001 "$stream"; } |
		"$fake" restart --dry-run --progress
}
check "restart --progress: a line a second while the image flows" 0 '^restart: 1000 bytes, [0-9]+\.[0-9]{2} MiB/s$' \
	slow_stream
if [ -n "$have_time" ]; then
	big_restart() { "$libtest" lz4-compress <"$stream" | rss_below $rss_limit "$fake" restart --dry-run --progress; }
	check "restart: 50 MiB of lz4 from a pipe, in bounded memory" 0 '^restart: done: 52429112 bytes' big_restart
else
	skip "restart: 50 MiB of lz4 from a pipe, in bounded memory" "no /usr/bin/time"
fi
check "restart --help mentions --progress" 0 '^  --progress ' "$ckpt" restart --help
check "checkpoint --help mentions -z" 0 '^  -z, --compress ' "$ckpt" checkpoint --help

# ---- checkpoint -z and --progress, on a container (fake checkpoint(2)) ----
stream_container_tests=(
	"checkpoint -z -o FILE: lz4 -d gives the image back"
	"checkpoint -z -o FILE: in bounded memory"
	"checkpoint -z: the kernel writes into the pump"
	"checkpoint -z -o FILE: ckpt info reads it"
	"checkpoint -z -o -: lz4 -d gives the image back"
	"checkpoint -o FILE: the kernel writes the file itself"
	"checkpoint --progress -o -: the image as it is"
	"checkpoint --progress: the last line"
	"checkpoint -z --progress: the last line gives the lz4 size"
	"checkpoint -z to a pipe without a reader: the pump's error"
	"checkpoint -z to a pipe without a reader: thawed after it"
	"checkpoint -z, the kernel failing: its reason"
	"checkpoint -z, the kernel failing: the stream is unfinished"
	"checkpoint -z -o FILE, the kernel failing: no file"
	"checkpoint -z, SIGTERM with a reader that does not read: dies of it"
	"checkpoint -z, SIGTERM with a reader that does not read: thawed"
	"checkpoint --external: the kernel is asked to save external files"
	"checkpoint without --external: the kernel is not"
)

stream_container_skip() {
	local t
	for t in "${stream_container_tests[@]}"; do
		skip "$t" "$1"
	done
}

# stream_container_run NAME CGROUP: on the running container NAME
stream_container_run() {
	local name=$1 cg=$2 t=("${stream_container_tests[@]}") reader
	export CKPT_FAKE_IMAGE=$stream

	if [ -n "$have_lz4" ]; then
		check "${t[0]}" 0 '' bash -c '"$1" checkpoint -z -o "$2" --name "$3" && lz4 -d -q -c "$2" | cmp - "$4"' \
			sh "$fake" "$tmp/z.img.lz4" "$name" "$stream"
	else
		skip "${t[0]}" "no lz4(1)"
	fi
	if [ -n "$have_time" ]; then
		check "${t[1]}" 0 '^peak RSS' rss_below $rss_limit "$fake" checkpoint -z -o "$tmp/z.img.lz4" --name "$name"
	else
		skip "${t[1]}" "no /usr/bin/time"
	fi
	check "${t[2]}" 0 '^checkpoint: fd [0-9]+ is a pipe$' \
		fake_log "$fake" checkpoint -z -o "$tmp/z.img.lz4" --name "$name"
	check "${t[3]}" 0 '^image OK$' "$ckpt" info "$tmp/z.img.lz4"
	if [ -n "$have_lz4" ]; then
		check "${t[4]}" 0 '' bash -c '"$1" checkpoint -z -o - --name "$2" | lz4 -d -q | cmp - "$3"' \
			sh "$fake" "$name" "$stream"
	else
		skip "${t[4]}" "no lz4(1)"
	fi
	check "${t[5]}" 0 '^checkpoint: fd [0-9]+ is a regular file$' \
		fake_log "$fake" checkpoint -o "$tmp/plain.img" --name "$name"
	check "${t[16]}" 0 '^checkpoint: external files saved \(CHECKPOINT_EXTERNAL\)$' \
		fake_log "$fake" checkpoint --external -o "$tmp/plain.img" --name "$name"
	no_external() { fake_log "$fake" checkpoint -o "$tmp/plain.img" --name "$1" | grep -c external; }
	check "${t[17]}" 1 '^0$' no_external "$name"
	check "${t[6]}" 0 '' bash -c '"$1" checkpoint --progress -o - --name "$2" 2>/dev/null | cmp - "$3"' \
		sh "$fake" "$name" "$stream"
	check "${t[7]}" 0 '^checkpoint: done: 52429112 bytes in [0-9]+\.[0-9]{2} s, [0-9]+\.[0-9]{2} MiB/s$' \
		with_stderr "$fake" checkpoint --progress -o "$tmp/p.img" --name "$name"
	check "${t[8]}" 0 '^checkpoint: done: 52429112 bytes in [0-9.]+ s, [0-9.]+ MiB/s \(lz4: [0-9]+ bytes, [0-9]+\.[0-9]%\)$' \
		with_stderr "$fake" checkpoint -z --progress -o "$tmp/p.img" --name "$name"
	no_reader() { "$fake" checkpoint -z -o - --name "$1" | true; return "${PIPESTATUS[0]}"; }
	check "${t[9]}" 1 '^ckpt: stdout: writing the image failed: Broken pipe$' no_reader "$name"
	check "${t[10]}" 0 '' events_are "$cg" "populated 1" "frozen 0"
	kernel_fails() { CKPT_FAKE_FAIL=EIO:1000000 "$fake" checkpoint -z -o - --name "$1" >"$tmp/failed.lz4"; }
	check "${t[11]}" 1 '^ckpt: checkpoint: writing the image failed \(error -5\)$' kernel_fails "$name"
	check "${t[12]}" 4 'the lz4 stream is truncated' decompress "$tmp/failed.lz4"
	rm -f "$tmp/nospace.img.lz4"
	check "${t[13]}" 0 '' bash -c 'CKPT_FAKE_FAIL=ENOSPC:1000000 "$1" checkpoint -z -o "$2" --name "$3"; [ $? = 1 ] && ! ls "$2"* 2>/dev/null' \
		sh "$fake" "$tmp/nospace.img.lz4" "$name"

	# a reader that never reads: the pump waits on it, the kernel on the
	# pump; SIGTERM ends it all, thaws the container, and kills ckpt (not
	# SIGINT, which a background job of a script ignores)
	rm -f "$tmp/stall"
	mkfifo "$tmp/stall"
	sleep 60 <"$tmp/stall" &
	reader=$!
	"$fake" checkpoint -z -o "$tmp/stall" --name "$name" 2>"$tmp/err" &
	ckpt_pid=$!
	sleep 1
	kill -TERM "$ckpt_pid"
	wait "$ckpt_pid"
	echo "status $?" >"$tmp/sigterm"
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	check "${t[14]}" 0 '^status 143$' cat "$tmp/sigterm"
	check "${t[15]}" 0 '' events_are "$cg" "populated 1" "frozen 0"
	unset CKPT_FAKE_IMAGE
}
