#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_faults.sh BUILD: a fault in one row costs that row, not the run. strace
# injects SIGSEGV into getppid (the kernel delivers it, si_code SI_KERNEL,
# as for a real fault): from the 500th call on (while sizing or timing, in
# this process, its i386 worker and the seccomp rows' children) and at the
# very first call (a probe, and the x32 row's preparation in this process).
# Either way the run exits 0 (README: a row that ran but went wrong is an
# error row, not a failed run), writes summary.csv with every getppid row
# an error naming SIGSEGV, and measures the vDSO time rows, which make no
# syscall, as ok. A SIGSEGV sent with kill still ends the run. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh"
bin=$1/scbench
csv() { csv_sel "$@"; }

if ! command -v strace >/dev/null || ! strace -f -o /dev/null -e inject=getppid:signal=SIGSEGV:when=1 true 2>/dev/null; then
	echo "ok 1 # SKIP strace with inject= is missing (Debian: strace)"
	echo "1..1"; exit 0
fi

for when in 500+ 1; do
	out=$tmp/when$when
	# (LeakSanitizer cannot run under ptrace: off for a SAN=1 build here)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -f -o /dev/null -e inject=getppid:signal=SIGSEGV:when=$when "$bin" run --quick \
		--filter 'getppid|vdso/time' --out "$out" >"$tmp/stdout" 2>"$tmp/stderr"; rc=$?
	[ $rc -eq 0 ] && [ -f "$out/latest/summary.csv" ] && [ -f "$out/latest/samples.csv" ] && [ -f "$out/latest/env.csv" ]
	ok $? "when=$when: the run exits 0 ($rc) and writes its results$(grep -v '^scbench: \(warning\|results\|pinned\|counted\)' "$tmp/stderr" | head -2 | tr '\n' ' ' | sed 's/^./: &/')"
	csv "$out/latest/summary.csv" -v want=abi,mechanism,syscall,status,reason >"$tmp/rows" 2>/dev/null
	# every getppid row that ran (not unsupported here) is an error naming SIGSEGV
	bad=$(awk -F'\t' 'NR > 1 && $3 == "getppid" && $4 != "unsupported" && !($4 == "error" && $5 ~ /SIGSEGV/)' "$tmp/rows")
	errors=$(awk -F'\t' 'NR > 1 && $3 == "getppid" && $4 == "error" && $5 ~ /SIGSEGV/' "$tmp/rows" | wc -l)
	[ -z "$bad" ] && [ "$errors" -ge 3 ]
	ok $? "when=$when: $errors getppid rows are errors naming SIGSEGV$( [ -n "$bad" ] && echo "; not: $(echo "$bad" | head -2 | tr '\t\n' ' ;')")"
	# the vDSO time rows: measured (ok, or noisy on a busy machine; the
	# i386 one where this kernel runs i386 code), with figures
	vdso=$(awk -F'\t' 'NR > 1 && $3 == "time" && $2 == "vdso" { print $1 "=" $4 }' "$tmp/rows" | tr '\n' ' ')
	case $vdso in
	*x86_64=ok*|*x86_64=noisy*) ! echo "$vdso" | grep -q 'i386=error' ;;
	*) false ;;
	esac
	ok $? "when=$when: the vDSO time rows are measured ($vdso)"
	med=$(csv "$out/latest/summary.csv" -v want=abi,mechanism,syscall,ns_median | awk -F'\t' '$1 == "x86_64" && $2 == "vdso" && $3 == "time" { print $4 }')
	awk -v m="$med" 'BEGIN { exit !(m + 0 > 0) }'
	ok $? "when=$when: x86_64/vdso/time has a median ($med ns)"
done

# kill -SEGV from outside (si_code SI_USER) is a request to stop, not a
# row's fault: the run dies of it as before (139; a SAN=1 build's ASan
# handler reports it and exits 86), writing nothing
"$bin" run --runs 100000 --counter-runs 0 --filter '^x86_64/empty/' --no-table --out "$tmp/killed" >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -SEGV $pid
wait $pid 2>/dev/null; rc=$?
{ [ $rc -eq $((128 + 11)) ] || [ $rc -eq 86 ]; } && [ ! -e "$tmp/killed/latest" ]
ok $? "kill -SEGV while timing still ends the run (exit $rc), nothing written"
tap_done
