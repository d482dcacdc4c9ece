#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
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
#   MODE icount the full suite under QEMU's instruction counter (-icount
#               shift=0: the guest clock, and so its TSC, advances one tick
#               per guest instruction), deterministic settings, vsyscall=xonly
#               so those rows run: summary.csv's icount column holds exact
#               guest instructions per call. RESULTS/<host>-icount-<vendor>-
#               <UTC time>/, or VM_DEST/<vendor>/ when VM_DEST is set. The
#               guest also runs the x86_64 syscall row alone and beside the
#               i386 worker, counting on: check-alone.csv, check-worker.csv.
#
# Knobs: VM_VENDORS (intel amd), VM_APPEND (more guest command line),
# VM_KERNEL (a bzImage) or VM_KERNEL_META (a kernel as scripts/vm/vm-kernel.sh
# takes it: a name in bench/kernels.lock, PACKAGE=VERSION or PACKAGE; unset:
# the lock's default), VM_TAG (names the work folders, for cells run side by
# side), VM_DEST, VM_TIMEOUT (seconds per guest, 1-86400), VM_CACHE (where
# guest kernels are cached; default BUILD/vm).
# env.csv records the kernel's identity (vm_kernel_package, _version,
# _sha256 of the vmlinuz booted) and QEMU's version (vm_qemu).
#
# Facts this relies on (../shared/notes/vm-lane.md): QEMU exits with
# (v << 1) | 1 when the guest writes v to the isa-debug-exit port, so 33 is a
# pass verdict and 35 a fail; anything else is a panic, a hang or a guest
# that never reached its verdict. Never run 32-bit `syscall` on the Intel
# model: QEMU 7.2 panics the guest (scbench decides from CPUID not to).
set -u
build=$1 mode=$2 results=${3:-results}
export SCBENCH=${SCBENCH:-$build/scbench}
here=$(cd "$(dirname "$0")" && pwd)
vm=$build/vm
vendors=${VM_VENDORS:-intel amd}
timeout_s=${VM_TIMEOUT:-$([ "$mode" = bench ] && echo 900 || echo 240)}
tag=${VM_TAG:+-$VM_TAG}
n=0 failed=0
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bad() { scb_line "scbench vm-run" "$@"; exit 2; }
case $mode in test|bench|icount) ;; *) bad "mode '$mode': test, bench or icount" ;; esac
why=$(scb_vm_knobs "$vendors" "$timeout_s") || bad "$why"
[[ ${VM_TAG:-} =~ ^[A-Za-z0-9._-]*$ ]] || bad "VM_TAG='$VM_TAG': letters, digits, '.', '_' and '-' only"

tap() { # tap STATUS(0 ok) DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
finish() {
	[ "$mode" = test ] && echo "1..$n"
	if [ -n "${work:-}" ] && [ -d "$work" ]; then
		if [ $failed -eq 0 ] && [ -z "${VM_KEEP:-}" ]; then rm -rf -- "$work"
		else echo "scbench: the guests' consoles and logs are kept in $work" >&2; fi
	fi
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
kernel=$("$here/vm-kernel.sh" "${VM_CACHE:-$vm}" "${VM_KERNEL_META:-}") || { tap 1 "no guest kernel (see the message above)"; finish; }
kid() { sed -n "s/^$1=//p" "$(dirname "$kernel")/vmlinuz.id"; }
kpkg=$(kid package) kver=$(kid version) ksha=$(kid sha256)
qemu_version=$(qemu-system-x86_64 --version | head -n 1)

# icount: exact and repeatable. shift=0 is 1 ns of guest time per
# instruction (auto would rescale while running); sleep=off lets the clock
# run ahead of the host's; -seed and a fixed RTC make even the timer ticks
# land alike. noapictimer/no_timer_check halve the boot with equal counts.
accel_opts=() extra_append="" accel=tcg
# KVM for hardware timings in bench mode, where a probe guest proves it
# boots: on some hosts /dev/kvm opens but -cpu host aborts (MSR 0x10a) or the
# guest hangs after "Probing EDD". The verdict is cached per QEMU and kernel
# so a host where it fails pays the probe's timeout once. KVM runs the host's
# own CPU vendor only. VM_ACCEL=tcg skips the probe.
kvm_probe() {
	local cache=$vm/kvm-probe key d rc
	key="$qemu_version $kpkg $kver $ksha"
	if [ -s "$cache" ] && [ "$(head -n 1 "$cache")" = "$key" ]; then
		tail -n 1 "$cache"
		return
	fi
	d=$(mktemp -d)
	timeout 12 qemu-system-x86_64 -accel kvm -cpu host -m 256 -smp 1 -nodefaults -no-user-config \
		-display none -no-reboot -kernel "$kernel" -initrd "$vm/initrd.cpio" \
		-append "console=ttyS0 panic=-1 quiet scb_mode=probe" -serial "file:$d/console.log" \
		-serial "file:$d/results.txt" -device isa-debug-exit,iobase=0xf4,iosize=0x04 >"$d/qemu.log" 2>&1
	rc=$?
	{
		echo "$key"
		case $rc in
		33) echo "usable" ;;
		124) echo "unusable: a probe guest did not finish booting in 12 s (last console line: $(tail -n 1 "$d/console.log" 2>/dev/null | tr -d '\r' | cut -c1-80))" ;;
		*) echo "unusable: QEMU exit $rc ($(grep -v '^$' "$d/qemu.log" | tail -n 1 | cut -c1-100))" ;;
		esac
	} >"$cache"
	rm -rf "$d"
	tail -n 1 "$cache"
}
if [ "$mode" = bench ] && [ "${VM_ACCEL:-}" != tcg ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	verdict=$(kvm_probe)
	if [ "$verdict" = usable ]; then
		accel=kvm
		hv=$(awk -F': ' '/^vendor_id/ { print $2; exit }' /proc/cpuinfo)
		vendors=$([ "$hv" = GenuineIntel ] && echo intel || echo amd)
		echo "scbench: KVM works here: the $vendors guest runs on the host CPU (hardware timings)" >&2
	else
		echo "scbench: /dev/kvm is present but $verdict: using TCG (emulation timings)" >&2
	fi
fi
if [ "$mode" = icount ]; then
	accel_opts=(-icount shift=0,sleep=off -seed 1 -rtc base=2020-01-01T00:00:00,clock=vm)
	extra_append="noapictimer no_timer_check vsyscall=xonly"
	extra_append="$extra_append scb_args=--icount+--runs+10+--warmup+0+--target-us+10+--counter-runs+0"
fi

boot() { # boot VENDOR DIR
	local cpu=max
	[ "$1" = intel ] && cpu=max,vendor=GenuineIntel
	rm -rf "$2"
	mkdir -p "$2"
	echo "console=ttyS0 ia32_emulation=on panic=-1 quiet scb_mode=$mode scb_vendor=$1 $extra_append ${VM_APPEND:-}" >"$2/append"
	[ "$accel" = kvm ] && cpu=host
	echo "qemu-system-x86_64 -accel $accel -cpu $cpu" >"$2/cpu"
	timeout "$timeout_s" qemu-system-x86_64 -accel "$accel" "${accel_opts[@]}" -cpu "$cpu" -m 512 -smp 1 \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$kernel" -initrd "$vm/initrd.cpio" \
		-append "$(cat "$2/append")" \
		-serial "file:$2/console.log" -serial "file:$2/results.txt" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 >"$2/qemu.log" 2>&1
	echo $? >"$2/rc"
}

# the guests' work folders, one set per run (the PID ends the name, so two
# lanes with one tag never share them); a dead run's are removed here, this
# run's at the end unless something failed (then they are named)
scb_sweep_dead "$vm"/guest-*-[0-9]*
work=$vm/guest-$mode$tag-$$
start=$(date +%s)
for v in $vendors; do
	boot "$v" "$work/$v" &
done
wait
elapsed=$(( $(date +%s) - start ))

extract() { # extract RESULTS-FILE NAME: print the file sent between the markers
	awk -v f="$2" '$0 == "=== END " f { on = 0 } on { print } $0 == "=== FILE " f { on = 1 }' "$1"
}
row() { # row SUMMARY abi/mechanism/syscall -> "status<TAB>detail<TAB>reason"
	scb_tsv --columns status,detail,reason --where name="$2" "$(dirname "$1")" 2>/dev/null | sed -n 2p
}
expect_row() { # expect_row VENDOR SUMMARY NAME STATUS [TEXT-IN-DETAIL-OR-REASON]
	local got status
	got=$(row "$2" "$3")
	status=${got%%$'\t'*}
	# timings under emulation are noisy by nature: measured is what counts here
	[ "$4" = ok ] && [ "$status" = noisy ] && status=ok
	if [ "$status" = "$4" ] && { [ -z "${5:-}" ] || [[ "$got" == *"$5"* ]]; }; then
		tap 0 "[$1] $3 is $4${5:+ ($5)}"
	else
		tap 1 "[$1] $3 should be $4${5:+ with '$5'}, got: ${got:-no row}"
	fi
}

what="timings are emulation cost, not hardware"
[ "$mode" = icount ] && what="the clock is QEMU's instruction counter: per-call figures are guest instructions"
[ "$accel" = kvm ] && what="KVM on the host CPU: hardware timings of a guest"
q() { local s=$1; printf '"%s"' "${s//\"/\"\"}"; } # one CSV field, quotes doubled
vm_env() { # vm_env GUEST-ENV: it, and what only the host knows ($d, $v: the guest at hand)
	cat "$1"
	echo "1,vm_guest,$(q "QEMU ${accel^^} guest ($(cat "$d/cpu")) on host $(hostname): $what")"
	echo "1,vm_accelerator,$(q "$accel${accel_opts:+ ${accel_opts[*]}}")"
	echo "1,vm_kernel_package,$kpkg"
	echo "1,vm_kernel_version,$kver"
	echo "1,vm_kernel_sha256,$ksha"
	if [ "$kpkg" = file ]; then echo "1,vm_kernel_file,$(q "$VM_KERNEL")"; fi
	echo "1,vm_cmdline,$(q "$(cat "$d/append")")"
	echo "1,vm_qemu,$(q "$qemu_version")"
	echo "1,vm_cpu_vendor,$v"
	# the date the guest can't tell: an icount guest's clock starts at a
	# fixed 2020-01-01 (-rtc base, for repeatable counts), so its time_utc
	# says nothing; this is the host's, when the results came back
	echo "1,vm_time_utc,$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}

for v in $vendors; do
	d=$work/$v
	rc=$(cat "$d/rc")
	out=$d/results.txt
	case $rc in
	33) verdict="pass verdict" ;;
	35) verdict="fail verdict" ;;
	124) verdict="timed out after ${timeout_s}s" ;;
	0) verdict="no verdict: the guest panicked or powered off early" ;;
	*) verdict="QEMU exit status $rc" ;;
	esac
	# the reason in QEMU's or the kernel's own words, on the same line
	if [ "$rc" != 33 ] && [ "$rc" != 35 ]; then
		why=$(grep -v '^[[:space:]]*$' "$d/qemu.log" 2>/dev/null | tail -n 1)
		[ -z "$why" ] && why=$(tr -d '\r' <"$d/console.log" 2>/dev/null | grep -E 'Kernel panic|panic|BUG:|Oops' | tail -n 1)
		[ -z "$why" ] && why="console: $(tr -d '\r' <"$d/console.log" 2>/dev/null | grep -v '^[[:space:]]*$' | tail -n 1)"
		verdict="$verdict: $(printf '%s' "$why" | tr -d '\000-\037' | cut -c1-160)"
	fi
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
		[ "$(scb_env "$d/env.csv" ia32_emulation)" = enabled ]
		tap $? "[$v] the guest's env.csv says 32-bit emulation is enabled"
	else
		[ -s "$sum" ] || continue
		stamp=$(date -u +%Y%m%dT%H%M%SZ)
		host=$(hostname 2>/dev/null | tr -c 'A-Za-z0-9._\n-' _)
		kind=qemu; [ "$mode" = icount ] && kind=icount
		if [ -n "${VM_DEST:-}" ]; then
			dest=$VM_DEST/$v
		else
			dest=$results/${host:-host}-$kind-$v-$stamp
		fi
		# written beside, then renamed: a reader never sees half a folder
		mkdir -p "$(dirname "$dest")"
		part=$(mktemp -d --suffix=-$$ "$(dirname "$dest")/.tmp-$(basename "$dest")-XXXXXX") || { tap 1 "[$v] $dest: cannot write"; continue; }
		chmod 755 "$part"
		# ours: cleanup (make distclean) removes only folders that say so
		scb_mark "$part" vm-lane
		cp "$sum" "$part/summary.csv"
		extract "$out" samples.csv >"$part/samples.csv"
		for f in check-alone.csv check-worker.csv; do
			grep -qx "=== FILE $f" "$out" && extract "$out" "$f" >"$part/$f"
		done
		# the one-added-instruction test build's run, a results folder of its own
		if grep -qx "=== FILE nop-summary.csv" "$out"; then
			mkdir -p "$part/nop"
			for f in summary samples env; do
				extract "$out" "nop-$f.csv" >"$part/nop/$f.csv"
			done
		fi
		vm_env "$d/env.csv" >"$part/env.csv"
		if [ -s "$part/nop/env.csv" ]; then
			vm_env "$part/nop/env.csv" >"$part/nop/env.tmp" && mv -T "$part/nop/env.tmp" "$part/nop/env.csv"
		fi
		# VM_DEST/<vendor> is replaced only when it is ours (or absent)
		scb_clear "$dest" || { tap 1 "[$v] $dest exists and is not a scbench results folder: left alone (results in $part)"; continue; }
		mv -T "$part" "$dest"
		[ -z "${VM_DEST:-}" ] && ln -sfn -- "$(basename "$dest")" "$results/latest"
		echo "scbench: $v guest results in $dest ($verdict)" >&2
	fi
done
finish
