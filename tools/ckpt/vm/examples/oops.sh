# Not part of any suite: crashes the guest kernel on purpose (LKDTM, in the
# debug kernel) to show that the VM runner reports a crash as a failure.
#   make vm RUN=tools/ckpt/vm/examples/oops.sh     # must exit 125
echo "provoking a kernel oops"
echo EXCEPTION > /sys/kernel/debug/provoke-crash/DIRECT
echo "still running: the oops was not caught"
