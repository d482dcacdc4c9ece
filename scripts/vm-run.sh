#!/usr/bin/env bash
# vm-run.sh BUILD MODE [RESULTS]: the i386 entry paths for real, in QEMU
# guests with their own kernel, booted with ia32_emulation=on: one with an
# Intel-vendor CPU model and one with an AMD-vendor model, in parallel.
#
#   MODE test   the guests run scbench's own test binaries and a quick
#               scbench run; this script relays their TAP (tagged [intel] /
#               [amd]), checks the rows each vendor must have, and prints TAP.
#   MODE bench  the full suite in each guest; each becomes a results folder
#               RESULTS/<host>-qemu-<vendor>-<UTC time>/ whose env.csv says
#               it is a TCG guest: the timings are emulation cost, not hardware.
#
# Facts this relies on (../shared/notes/vm-lane.md): QEMU exits with
# (v << 1) | 1 when the guest writes v to the isa-debug-exit port, so 33 is a
# pass verdict and 35 a fail; anything else is a panic, a hang or a guest
# that never reached its verdict. Never run 32-bit `syscall` on the Intel
# model: QEMU 7.2 panics the guest (scbench decides from CPUID not to).
set -u
build=$1 mode=$2 results=${3:-results}
here=$(cd "$(dirname "$0")" && pwd)
vm=$build/vm
vendors=${VM_VENDORS:-intel amd}
timeout_s=${VM_TIMEOUT:-$([ "$mode" = bench ] && echo 900 || echo 240)}
n=0 failed=0

tap() { # tap STATUS(0 ok) DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
finish() {
	[ "$mode" = test ] && echo "1..$n"
	[ $failed -eq 0 ]
	exit
}

if [ "$mode" = test ] && [ -n "${SCB_SKIP_VM:-}" ]; then
	echo "ok 1 # SKIP VM lane skipped: SCB_SKIP_VM is set"
	echo "1..1"
	exit 0
fi
if ! command -v qemu-system-x86_64 >/dev/null; then
	tap 1 "qemu-system-x86_64 not found (make deps installs qemu-system-x86; SCB_SKIP_VM=1 skips the lane)"
	finish
fi
for f in initrd.cpio; do
	[ -s "$vm/$f" ] || { tap 1 "$vm/$f is missing: run make vm-images"; finish; }
done
kernel=$("$here/vm-kernel.sh" "$vm") || { tap 1 "no guest kernel (see the message above)"; finish; }

boot() { # boot VENDOR DIR
	local cpu=max
	[ "$1" = intel ] && cpu=max,vendor=GenuineIntel
	rm -rf "$2"
	mkdir -p "$2"
	echo "qemu-system-x86_64 -accel tcg -cpu $cpu" >"$2/cpu"
	timeout "$timeout_s" qemu-system-x86_64 -accel tcg -cpu "$cpu" -m 512 -smp 1 \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$kernel" -initrd "$vm/initrd.cpio" \
		-append "console=ttyS0 ia32_emulation=on panic=-1 quiet scb_mode=$mode scb_vendor=$1 ${VM_APPEND:-}" \
		-serial "file:$2/console.log" -serial "file:$2/results.txt" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 >"$2/qemu.log" 2>&1
	echo $? >"$2/rc"
}

start=$(date +%s)
for v in $vendors; do
	boot "$v" "$vm/guest-$mode-$v" &
done
wait
elapsed=$(( $(date +%s) - start ))

extract() { # extract RESULTS-FILE NAME: print the file sent between the markers
	awk -v f="$2" '$0 == "=== END " f { on = 0 } on { print } $0 == "=== FILE " f { on = 1 }' "$1"
}
row() { # row SUMMARY abi/mechanism/syscall -> "status<TAB>detail<TAB>reason"
	awk -F, -v want="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$2 "/" $3 "/" $4 == want { print $c["status"] "\t" $c["detail"] "\t" $c["reason"] }' "$1"
}
expect_row() { # expect_row VENDOR SUMMARY NAME STATUS [TEXT-IN-DETAIL-OR-REASON]
	local got status
	got=$(row "$2" "$3")
	status=${got%%$'\t'*}
	if [ "$status" = "$4" ] && { [ -z "${5:-}" ] || [[ "$got" == *"$5"* ]]; }; then
		tap 0 "[$1] $3 is $4${5:+ ($5)}"
	else
		tap 1 "[$1] $3 should be $4${5:+ with '$5'}, got: ${got:-no row}"
	fi
}

for v in $vendors; do
	d=$vm/guest-$mode-$v
	rc=$(cat "$d/rc")
	out=$d/results.txt
	case $rc in
	33) verdict="pass verdict" ;;
	35) verdict="fail verdict" ;;
	124) verdict="timed out after ${timeout_s}s" ;;
	0) verdict="no verdict: the guest panicked or powered off early" ;;
	*) verdict="QEMU exit status $rc" ;;
	esac
	if [ "$mode" = test ]; then
		# the guest's own TAP, renumbered and tagged
		while IFS= read -r line; do
			case $line in
			"ok "*|"not ok "*)
				st=0; [ "${line#not ok}" != "$line" ] && st=1
				tap $st "[$v] $(echo "$line" | sed -E 's/^(not )?ok [0-9]+ (- )?//')" ;;
			"# "*) echo "$line" ;;
			esac
		done < <(tr -d '\r' <"$out" 2>/dev/null)
	fi
	[ "$rc" = 33 ] && grep -q '^SCB-END failures=0' "$out"
	tap $? "[$v] guest finished with a pass verdict and its sentinel ($verdict, ${elapsed}s for all guests)"
	if [ "$rc" != 33 ]; then
		echo "# --- tail of the $v guest's console ($d/console.log):"
		tail -n 25 "$d/console.log" 2>/dev/null | sed 's/^/#   /'
		echo "# --- tail of its results port:"
		tail -n 10 "$out" 2>/dev/null | sed 's/^/#   /'
	fi

	sum=$d/summary.csv
	extract "$out" summary.csv >"$sum"
	extract "$out" env.csv >"$d/env.csv"
	if [ "$mode" = test ]; then
		for r in x86_64/syscall/getppid x86_64/int80/getppid x86_64/int80/enosys \
			 i386/int80/getppid i386/int80/enosys i386/int80/clock_gettime \
			 i386/vdso/clock_gettime i386/vdso/clock_gettime64 i386/vdso/gettimeofday \
			 i386/vdso/time i386/empty/none i386/kernel_vsyscall/enosys; do
			expect_row "$v" "$sum" "$r" ok
		done
		if [ "$v" = intel ]; then
			expect_row "$v" "$sum" i386/sysenter/getppid ok
			expect_row "$v" "$sum" i386/kernel_vsyscall/getppid ok "uses sysenter"
			expect_row "$v" "$sum" i386/syscall/getppid unsupported "Intel-like"
		else
			expect_row "$v" "$sum" i386/syscall/getppid ok
			expect_row "$v" "$sum" i386/kernel_vsyscall/getppid ok "uses syscall"
			expect_row "$v" "$sum" i386/sysenter/getppid unsupported "AMD"
		fi
		grep -q '^1,ia32_emulation,enabled' "$d/env.csv"
		tap $? "[$v] the guest's env.csv says 32-bit emulation is enabled"
	else
		[ -s "$sum" ] || continue
		stamp=$(date -u +%Y%m%dT%H%M%SZ)
		host=$(hostname 2>/dev/null | tr -c 'A-Za-z0-9._\n-' _)
		dest=$results/${host:-host}-qemu-$v-$stamp
		mkdir -p "$dest"
		cp "$sum" "$dest/summary.csv"
		extract "$out" samples.csv >"$dest/samples.csv"
		{
			cat "$d/env.csv"
			echo "1,vm_guest,\"QEMU TCG guest ($(cat "$d/cpu"), kernel $(cat "$vm/vmlinuz.package" 2>/dev/null || echo "$kernel")) on host $(hostname): timings are emulation cost, not hardware\""
		} >"$dest/env.csv"
		ln -sfn -- "$(basename "$dest")" "$results/latest"
		echo "scbench: $v guest results in $dest ($verdict)" >&2
	fi
done
finish
