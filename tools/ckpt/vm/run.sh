#!/bin/bash
# Boot the ckpt test VM (QEMU, software emulation) and run one job in it.
#
#   run.sh --kernel BZIMAGE --mode check  --selftests DIR [--ckpt BIN]
#   run.sh --kernel BZIMAGE --mode script --run SCRIPT [--files DIR] [--ckpt BIN]
#   run.sh --kernel BZIMAGE --mode shell  [--files DIR] [--ckpt BIN]
#
# The initramfs holds busybox, the static `ckpt` tool (/ckpt/bin, on PATH),
# the selftests (/ckpt/selftests), the script (/ckpt/run) and the host files
# (FILES, copied to /host in the guest, the script's working directory).
#
# Exit status: the job's own status; 124 on a timeout; 125 when the guest
# reported a kernel error (oops, KASAN, lockdep, WARN, kmemleak) or died
# without reporting a status.  The console log is kept in $CKPT_CACHE/logs/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${CKPT_CACHE:-/var/cache/ckpt}
kernel= mode= run= files= selftests= ckpt_bin=
timeout_s=${CKPT_VM_TIMEOUT:-1800}
mem=${CKPT_VM_MEM:-2G}
cpus=${CKPT_VM_CPUS:-2}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel)    kernel=$2; shift 2 ;;
	--mode)      mode=$2; shift 2 ;;
	--run)       run=$2; shift 2 ;;
	--files)     files=$2; shift 2 ;;
	--selftests) selftests=$2; shift 2 ;;
	--ckpt)      ckpt_bin=$2; shift 2 ;;
	--timeout)   timeout_s=$2; shift 2 ;;
	*) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -f "$kernel" ] || { echo "run.sh: no kernel image '$kernel'" >&2; exit 2; }
case $mode in
check)  [ -d "$selftests" ] || { echo "run.sh: --selftests DIR is needed" >&2; exit 2; } ;;
script) [ -f "$run" ] || { echo "run.sh: no script '$run' (make vm RUN=path/to/script)" >&2; exit 2; } ;;
shell)  ;;
*) echo "run.sh: --mode must be check, script or shell" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,ckpt/bin,ckpt/selftests,host,proc,sys,dev,tmp,root}
cp /bin/busybox "$root/bin/busybox"
cp "$here/guest-init" "$root/init"
cp "$here/guest-selftests.sh" "$root/ckpt/selftests.sh"
[ -z "$ckpt_bin" ] || cp "$ckpt_bin" "$root/ckpt/bin/ckpt"
if [ -n "$selftests" ]; then
	cp -r "$selftests"/. "$root/ckpt/selftests/"
fi
[ -z "$run" ] || cp "$run" "$root/ckpt/run"
[ -z "$files" ] || cp -r "$files"/. "$root/host/"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$work/initramfs.cpio"

mkdir -p "$cache/logs"
log=$cache/logs/vm-$mode.log
append="console=ttyS0 loglevel=4 panic=-1 oops=panic ckpt.mode=$mode"
qemu=(qemu-system-x86_64 -machine pc -cpu max -smp "$cpus" -m "$mem"
      -kernel "$kernel" -initrd "$work/initramfs.cpio" -append "$append"
      -no-reboot -nic none)

if [ "$mode" = shell ]; then
	exec "${qemu[@]}" -nographic
fi

set +e
timeout --foreground -k 10 "$timeout_s" "${qemu[@]}" -display none \
	-serial stdio -monitor none < /dev/null 2>&1 | tr -d '\r' | tee "$log" |
	sed -e '/^CKPT-DMESG-BEGIN/,/^CKPT-DMESG-END/d'
qemu_status=${PIPESTATUS[0]}
set -e

status=$(sed -n 's/^CKPT-VM-EXIT: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
errors=$(sed -n 's/^CKPT-KERNEL-ERRORS: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
show_kernel_log() {
	echo "---- guest kernel log ----"
	if grep -q '^CKPT-DMESG-BEGIN' "$log"; then
		sed -n '/^CKPT-DMESG-BEGIN/,/^CKPT-DMESG-END/p' "$log" | sed '1d;$d'
	else
		tail -n 200 "$log"
	fi
	echo "---- end of guest kernel log (console log: $log) ----"
}

if [ "$qemu_status" = 124 ]; then
	echo "vm: timed out after ${timeout_s}s" >&2
	show_kernel_log
	exit 124
fi
if [ -z "$status" ]; then
	echo "vm: the guest died without reporting a status (kernel crash?)" >&2
	show_kernel_log
	exit 125
fi
if [ "${errors:-0}" != 0 ]; then
	echo "vm: the guest kernel reported $errors error line(s) (oops, KASAN, lockdep or WARN)" >&2
	show_kernel_log
	exit 125
fi
if [ "$status" != 0 ]; then
	show_kernel_log
fi
exit "$status"
