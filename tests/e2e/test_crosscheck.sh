#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_crosscheck.sh BUILD: make crosscheck's script in its quick mode.
# perf stat's syscall count must equal the calls each program was asked to
# make (N vs 2N, so start-up cancels): exactly 1 per call for a syscall,
# 0 for the vDSO; crosscheck.csv has the documented columns; a mechanism
# that can't run is a row with the reason.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
sel() { local f=${!#}; csv_sel "$f" "${@:1:$#-1}"; }

CROSSCHECK_QUICK=1 "$here/scripts/dev/crosscheck.sh" "$build" "$tmp/x" >"$tmp/out" 2>&1
ok $? "crosscheck.sh runs ($(tail -1 "$tmp/out" | head -c 80))"
csv=$tmp/x/crosscheck.csv
head -1 "$csv" | grep -q '^schema,abi,mechanism,syscall,program,status,reason,calls,harness_ns,harness_mean_ns,hyperfine_ns,perf_task_clock_ns,perf_syscalls_per_call,perf_cycles_per_call,perf_branch_misses_per_call,hyperfine_vs_harness,hyperfine_vs_harness_mean,perf_task_clock_vs_harness,note$'
ok $? "crosscheck.csv has the documented columns"
sel -v check=1 -v want='*' "$csv" >/dev/null
ok $? "every row is well-formed"
val() { sel -v bench=1 -v want="$2" "$csv" | awk -F'\t' -v b="$1" '$1 == b { print $2; exit }'; }

if perf stat -e task-clock true >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	for row in x86_64/syscall/getppid:1 x86_64/libc/getppid:1 x86_64/vdso/clock_gettime:0; do
		b=${row%:*} want=${row#*:}
		got=$(val "$b" perf_syscalls_per_call)
		awk -v g="$got" -v w="$want" 'BEGIN { exit !(g != "" && g == w) }'
		ok $? "$b: perf stat counts exactly $want syscall(s) per call (got $got)"
	done
else
	n=$((n + 1)); echo "ok $n # SKIP perf stat with the syscall tracepoint needs perf and root"
fi
command -v hyperfine >/dev/null &&
	[ -n "$(val x86_64/syscall/getppid hyperfine_ns)" ] && [ -n "$(val x86_64/vdso/clock_gettime hyperfine_ns)" ]
ok $? "hyperfine timed the syscall and vDSO programs"
st=$(val x86_64/syscall/getppid status)
{ [ "$st" = ok ] || [ "$st" = noisy ]; } && [ -n "$(val x86_64/syscall/getppid harness_ns)" ]
ok $? "the harness's own figure is in the row"
if ! ( "$build/bench/int80_64" 8 ) >/dev/null 2>&1; then
	r=$(val x86_64/int80/getppid reason)
	[ "$(val x86_64/int80/getppid status)" = unsupported ] && [[ "$r" == *"32-bit emulation"* ]]
	ok $? "int 0x80 can't run here: a row with the reason ($r)"
fi
grep -q '^1,x86_64,perf_bench,getppid,vs x86_64/syscall/getppid,' "$csv"
ok $? "perf bench syscall basic is there as the outside reference"
tap_done
