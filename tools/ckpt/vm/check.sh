#!/bin/bash
# `make check`: the native tests of tools/ckpt, then every selftest in the
# debug VM.  Prints a summary whose last line is "N passed, N failed,
# N skipped", and exits non-zero on any failure, kernel report or timeout.
#
#   check.sh KERNEL_IMAGE CKPT_OUT SELFTESTS_OUT
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
kernel=$1 ckpt_out=$2 selftests_out=$3
pass=0 fail=0 skip=0

# Sum a "# Totals: pass:P fail:F ... skip:S error:E" line into the counts.
add_totals() {
	local line=$1 p f s e
	p=$(sed -n 's/.* pass:\([0-9]*\).*/\1/p' <<< "$line")
	f=$(sed -n 's/.* fail:\([0-9]*\).*/\1/p' <<< "$line")
	s=$(sed -n 's/.*skip:\([0-9]*\).*/\1/p' <<< "$line")
	e=$(sed -n 's/.*error:\([0-9]*\).*/\1/p' <<< "$line")
	pass=$((pass + ${p:-0})) fail=$((fail + ${f:-0} + ${e:-0}))
	skip=$((skip + ${s:-0}))
}

echo "== native tests (tools/ckpt)"
native_log=$(mktemp)
make -s -C "$top/tools/ckpt" O="$ckpt_out" test 2>&1 | tee "$native_log"
native_status=${PIPESTATUS[0]}
totals=$(grep '^# Totals:' "$native_log" | tail -n 1)
if [ -z "$totals" ]; then
	echo "check: the native tests did not report totals (status $native_status)"
	fail=$((fail + 1))
else
	add_totals "$totals"
	[ "$native_status" = 0 ] || [ "$fail" != 0 ] || fail=$((fail + 1))
fi
rm -f "$native_log"

echo "== selftests in the debug VM"
vm_log=$(mktemp)
"$here/run.sh" --kernel "$kernel" --mode check --selftests "$selftests_out" \
	--ckpt "$ckpt_out/ckpt" 2>&1 | tee "$vm_log"
vm_status=${PIPESTATUS[0]}
line=$(grep '^CKPT-SELFTESTS:' "$vm_log" | tail -n 1)
if [ -n "$line" ]; then
	pass=$((pass + $(sed -n 's/.*pass=\([0-9]*\).*/\1/p' <<< "$line")))
	fail=$((fail + $(sed -n 's/.*fail=\([0-9]*\).*/\1/p' <<< "$line")))
	skip=$((skip + $(sed -n 's/.*skip=\([0-9]*\).*/\1/p' <<< "$line")))
fi
rm -f "$vm_log"
case $vm_status in
0) ;;
124) echo "check: the VM timed out"; fail=$((fail + 1)) ;;
125) echo "check: the guest kernel reported an error or crashed"; fail=$((fail + 1)) ;;
*) [ -n "$line" ] && [ "$fail" != 0 ] || fail=$((fail + 1)) ;;
esac

echo
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
