#!/bin/sh
# Runs in the test VM: every selftest binary listed in /ckpt/selftests/list,
# each with a time limit, then a kmemleak scan.  Prints each test's output,
# and one CKPT-SELFTESTS line with the totals for the host to read.
set -o pipefail
dir=/ckpt/selftests
pass=0 fail=0 skip=0
kmemleak=/sys/kernel/debug/kmemleak

# Leaks from boot are not ours: scan once and forget what was found.
if [ -w $kmemleak ]; then
	echo scan > $kmemleak
	echo clear > $kmemleak
fi

for t in $(cat $dir/list); do
	echo "CKPT-SELFTEST-BEGIN: $t"
	out=/tmp/selftest-$t.out
	( cd /tmp && timeout -s KILL "${CKPT_TEST_TIMEOUT:-600}" $dir/$t ) 2>&1 | tee $out
	rc=$?
	totals=$(grep '^# Totals:' $out | tail -n 1)
	p=$(echo "$totals" | sed -n 's/.* pass:\([0-9]*\).*/\1/p')
	f=$(echo "$totals" | sed -n 's/.* fail:\([0-9]*\).*/\1/p')
	s=$(echo "$totals" | sed -n 's/.*skip:\([0-9]*\).*/\1/p')
	e=$(echo "$totals" | sed -n 's/.*error:\([0-9]*\).*/\1/p')
	if [ -z "$p" ]; then
		echo "CKPT-SELFTEST: $t died (status $rc) before reporting totals"
		fail=$((fail + 1))
		continue
	fi
	f=$((f + ${e:-0}))
	if [ $rc != 0 ] && [ "$f" = 0 ]; then
		echo "CKPT-SELFTEST: $t exited with status $rc"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + ${s:-0}))
	echo "CKPT-SELFTEST-END: $t pass=$p fail=$f skip=${s:-0}"
done

# Shell tests of the ckpt tool in the VM (tools/ckpt/tests/*/vm-*.sh),
# with their files next to them: one test each, passed if it exits 0.
for s in $dir/vmtests/vm-*.sh; do
	[ -f "$s" ] || continue
	t=$(basename "$s" .sh)
	echo "CKPT-SELFTEST-BEGIN: $t"
	if ( cd /tmp && CKPT_FILES=$dir/vmtests timeout -s KILL 300 sh "$s" ) 2>&1; then
		pass=$((pass + 1))
		echo "ok 1 $t"
		echo "CKPT-SELFTEST-END: $t pass=1 fail=0 skip=0"
	else
		fail=$((fail + 1))
		echo "not ok 1 $t"
		echo "CKPT-SELFTEST-END: $t pass=0 fail=1 skip=0"
	fi
done

# Objects are reported only once they are a few seconds old, and a second
# scan confirms what the first suspected.
leaks=0
if [ -w $kmemleak ]; then
	sleep 6
	echo scan > $kmemleak
	echo scan > $kmemleak
	leaks=$(grep -c '^unreferenced object' $kmemleak)
	if [ "$leaks" != 0 ]; then
		echo "CKPT-KMEMLEAK-BEGIN"
		cat $kmemleak
		echo "CKPT-KMEMLEAK-END"
		fail=$((fail + 1))
	fi
fi
echo "CKPT-KMEMLEAK: $leaks"
echo "CKPT-SELFTESTS: pass=$pass fail=$fail skip=$skip"
[ $fail = 0 ]
