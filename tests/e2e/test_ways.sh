#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_ways.sh BUILD: the newer ways into the kernel as rows of a real run:
# seccomp filters (each row's worker has its filter in force, as the kernel
# reports it), io_uring (syscalls per operation: 1/batch, 0 with SQPOLL),
# getrandom through the vDSO and the syscall, the x32 path; each either ok
# or unsupported with a reason that names what is missing. And env.csv
# names the hypervisor and the FRED state. No timing is asserted.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
bin=$build/scbench

"$bin" run --quick --counter-runs 20 --filter 'seccomp|io_uring|getrandom|x32|^x86_64/syscall/getppid$' \
	--out "$tmp/r" --no-table >/dev/null 2>"$tmp/err"
rc=$?
ok $rc "a run of the new rows (exit $rc: $(tail -1 "$tmp/err"))"
s=$tmp/r/latest/summary.csv
col() { csv_sel "$s" -v bench=1 -v want="$2" | awk -F'\t' -v b="$1" '$1 == b { print $2 }'; }
counting=$( [ "$(id -u)" -eq 0 ] && [ -n "$(col x86_64/syscall/getppid syscalls_per_call)" ] && echo yes )

# seccomp: the filter each row names is the one in force in its worker
for spec in cache_1:1:1 cache_256:1:256 arg_2:1:2 arg_256:1:256 stack_2:2:2 stack_8:8:2; do
	IFS=: read -r row filters insns <<<"$spec"
	name=x86_64/seccomp/getppid_$row
	st=$(col "$name" status)
	if [ "$st" = ok ] || [ "$st" = noisy ]; then
		col "$name" detail | grep -q "mode 2, $filters filter(s) of $insns BPF instructions"
		ok $? "$name: $(col "$name" detail)"
		[ -z "$counting" ] || [ "$(col "$name" syscalls_per_call)" = 1.000 ]
		ok $? "$name: 1 syscall per call under the filter ($(col "$name" syscalls_per_call))"
	else
		[ -n "$(col "$name" reason)" ] && [ "$st" = unsupported ]
		ok $? "$name: $st: $(col "$name" reason)"
	fi
done

# io_uring: syscalls per operation as the batch says
for spec in nop_batch1:1.000 nop_batch8:0.125 nop_batch64:0.016 nop_sqpoll:0.000; do
	IFS=: read -r row want <<<"$spec"
	name=x86_64/io_uring/$row
	st=$(col "$name" status)
	if [ "$st" = ok ] || [ "$st" = noisy ]; then
		if [ -n "$counting" ]; then
			[ "$(col "$name" syscalls_per_call)" = "$want" ]
			ok $? "$name: $(col "$name" syscalls_per_call) syscalls per operation (want $want)"
		else
			ok 0 "# SKIP $name: syscall counts need root"
		fi
	else
		col "$name" reason | grep -qiE 'io_uring|liburing|CPU'
		ok $? "$name: $st: $(col "$name" reason)"
	fi
done

# getrandom: the vDSO's from Linux 6.11, no syscall; the syscall's, one
rel=$(uname -r); maj=${rel%%.*}; min=${rel#*.}; min=${min%%.*}
for sz in 16 256; do
	v=x86_64/vdso/getrandom_$sz
	if [ "$maj" -gt 6 ] || { [ "$maj" -eq 6 ] && [ "$min" -ge 11 ]; }; then
		[ "$(col $v status)" = ok ] || [ "$(col $v status)" = noisy ]
		ok $? "$v: measured on Linux $rel ($(col $v status) $(col $v reason))"
		[ -z "$counting" ] || [ "$(col $v syscalls_per_call)" = 0.000 ]
		ok $? "$v: no syscall per call ($(col $v syscalls_per_call))"
	else
		[ "$(col $v status)" = unsupported ] && col $v reason | grep -q '6.11'
		ok $? "$v: unsupported before 6.11: $(col $v reason)"
	fi
	[ "$(col x86_64/syscall/getrandom_$sz status)" != error ]
	ok $? "x86_64/syscall/getrandom_$sz: $(col x86_64/syscall/getrandom_$sz status)"
done

# x32: ok where the kernel takes x32 syscalls, else unsupported saying why
x=x86_64/syscall_x32/getppid
case $(col $x status) in
ok|noisy) ok 0 "$x: measured (this kernel takes x32 syscalls)" ;;
unsupported) col $x reason | grep -q 'X32_ABI\|syscall.x32'; ok $? "$x: unsupported: $(col $x reason)" ;;
*) ok 1 "$x: $(col $x status): $(col $x reason)" ;;
esac

# the entry path and the hypervisor are named
e=$tmp/r/latest/env.csv
grep -q '^1,fred,' "$e" && grep -q '^1,virtualization,' "$e"
ok $? "env.csv: $(grep -E '^1,(fred|virtualization),' "$e" | cut -d, -f2- | tr '\n' ';')"
tap_done
