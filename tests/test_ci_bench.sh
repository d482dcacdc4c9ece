#!/usr/bin/env bash
# test_ci_bench.sh BUILD: make ci-bench's script end to end: the first run
# becomes the baseline, the second is compared with it; both land in
# history.csv with the documented columns; the history plot renders.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
export SCBENCH=$build/scbench RESULTS=$tmp/res BENCH_ARGS="--runs 50 --counter-runs 0 --filter ^x86_64/(syscall|vdso)/"

"$here/scripts/ci-bench.sh" >"$tmp/out1" 2>"$tmp/err1"
rc=$?
[ $rc -eq 0 ] && [ -f "$tmp/res/baseline/samples.csv" ] && grep -q 'no baseline yet' "$tmp/err1"
ok $? "first run: exit $rc, becomes the baseline"
"$here/scripts/ci-bench.sh" >"$tmp/out2" 2>"$tmp/err2"
rc=$?
[ $rc -le 1 ] && grep -q 'comparing' "$tmp/out2" && grep -q 'regression(s)' "$tmp/out2"
ok $? "second run: compared with the baseline (exit $rc: $(tail -1 "$tmp/out2"))"
head -1 "$tmp/res/history.csv" | grep -q '^schema,time_utc,run,commit,fingerprint,host,abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref$'
ok $? "history.csv has the documented header"
rows=$(tail -n +2 "$tmp/res/history.csv" | wc -l)
runs=$(awk -f "$here/scripts/csv.awk" -v check=1 -v want=run "$tmp/res/history.csv" | tail -n +2 | sort -u | wc -l)
[ "$runs" -eq 2 ] && [ "$rows" -ge 16 ]
ok $? "history.csv holds both runs ($runs runs, $rows rows) and is well-formed"
[ -s "$tmp/res/history.png" ] && "$build/tests/pngstat" "$tmp/res/history.png" >/dev/null
ok $? "history.png rendered"
tap_done
