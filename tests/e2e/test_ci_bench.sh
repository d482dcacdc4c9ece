#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_ci_bench.sh BUILD: make ci-bench's script end to end: the first run
# becomes the baseline, the second is compared with it; both land in
# history.csv with the documented columns; the history plot renders. Then
# what goes wrong in CI: a results folder with a hostile name, an empty or
# half-copied baseline, two runs at once.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
export SCBENCH=$(cd "$build" && pwd)/scbench RESULTS=$tmp/res BENCH_ARGS="--runs 50 --counter-runs 0 --filter ^x86_64/(syscall|vdso)/"

"$here/scripts/ci/ci-bench.sh" >"$tmp/out1" 2>"$tmp/err1"
rc=$?
[ $rc -eq 0 ] && [ -f "$tmp/res/baseline/samples.csv" ] && grep -q 'no baseline yet' "$tmp/err1"
ok $? "first run: exit $rc, becomes the baseline"
"$here/scripts/ci/ci-bench.sh" >"$tmp/out2" 2>"$tmp/err2"
rc=$?
[ $rc -le 1 ] && grep -q 'comparing' "$tmp/out2" && grep -q 'regression(s)' "$tmp/out2"
ok $? "second run: compared with the baseline (exit $rc: $(tail -1 "$tmp/out2"))"
head -1 "$tmp/res/history.csv" | grep -q '^schema,time_utc,run,commit,fingerprint,host,abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref$'
ok $? "history.csv has the documented header"
rows=$(tail -n +2 "$tmp/res/history.csv" | wc -l)
runs=$(csv_sel "$tmp/res/history.csv" -v check=1 -v want=run | tail -n +2 | sort -u | wc -l)
# one history row per measured (ok) row of each run; how many are ok
# depends on the machine's noise, so count them from the runs themselves
want=0
for d in "$tmp"/res/*T*Z*/; do
	want=$((want + $(csv_sel "$d/summary.csv" -v want=status -v where=status=ok | tail -n +2 | wc -l)))
done
[ "$runs" -eq 2 ] && [ "$rows" -eq "$want" ] && [ "$rows" -ge 2 ]
ok $? "history.csv holds both runs ($runs runs, $rows rows = the ok rows of both) and is well-formed"
[ -s "$tmp/res/history.png" ] && "$build/tests/pngstat" "$tmp/res/history.png" >/dev/null
ok $? "history.png rendered"

# a hostile results folder: nothing it holds runs
mkdir -p "$tmp/h"
(cd "$tmp/h" && RESULTS="r'\$(touch PWNED)\`touch PWNED\`; x" "$here/scripts/ci/ci-bench.sh" >/dev/null 2>"$tmp/err")
rc=$?
[ $rc -eq 0 ] && [ ! -e "$tmp/h/PWNED" ] && [ -s "$tmp/h/r'\$(touch PWNED)\`touch PWNED\`; x/baseline/summary.csv" ]
ok $? "RESULTS with quotes, \$(), backticks and ';': exit $rc, nothing run, baseline made"

# an empty baseline (an interrupted first run): warned, replaced, never fatal
export RESULTS=$tmp/res2
mkdir -p "$RESULTS/baseline"
"$here/scripts/ci/ci-bench.sh" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && grep -q 'empty or incomplete' "$tmp/err" && [ -s "$RESULTS/baseline/samples.csv" ]
ok $? "an empty baseline/ is set aside and replaced (exit $rc)"
rm "$RESULTS/baseline/samples.csv"
"$here/scripts/ci/ci-bench.sh" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && grep -q 'empty or incomplete' "$tmp/err" && [ -s "$RESULTS/baseline/samples.csv" ]
ok $? "a baseline missing a CSV is set aside and replaced (exit $rc)"
"$here/scripts/ci/ci-bench.sh" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -le 1 ]
ok $? "the run after that compares normally (exit $rc)"
# killed while making the first baseline, at several points: later runs work
export RESULTS=$tmp/res3
for delay in 0.2 0.4 0.6 0.8; do
	rm -rf "$RESULTS"
	"$here/scripts/ci/ci-bench.sh" >/dev/null 2>&1 &
	pid=$!; sleep $delay; kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
	"$here/scripts/ci/ci-bench.sh" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -le 1 ] && [ -s "$RESULTS/baseline/env.csv" ]
	ok $? "killed after ${delay}s, the next run works (exit $rc) and a whole baseline exists"
done
# two at once: both runs in history.csv, each once
export RESULTS=$tmp/res4
"$here/scripts/ci/ci-bench.sh" >/dev/null 2>&1
"$here/scripts/ci/ci-bench.sh" >"$tmp/c1" 2>&1 & a=$!
"$here/scripts/ci/ci-bench.sh" >"$tmp/c2" 2>&1 & b=$!
wait $a; ra=$?; wait $b; rb=$?
runs=$(csv_sel "$RESULTS/history.csv" -v check=1 -v want=run | tail -n +2 | sort | uniq -c)
[ "$(echo "$runs" | wc -l)" -eq 3 ] && [ $ra -le 1 ] && [ $rb -le 1 ] &&
	[ "$(echo "$runs" | awk '$1 < 4' | wc -l)" -eq 0 ]
ok $? "two concurrent runs: 3 distinct runs in history.csv, each with its rows (exit $ra, $rb; rows per run: $(echo "$runs" | awk '{ printf "%s ", $1 }'))"
ls -A "$RESULTS" | grep -q '^\.tmp-'
[ $? -ne 0 ]
ok $? "no temporary folder left behind"

# a baseline whose samples are four times as fast (a busy machine can make a first run twice as slow): a regression, exit 1; a
# baseline that isn't one: exit 2
export RESULTS=$tmp/res5
"$here/scripts/ci/ci-bench.sh" >/dev/null 2>&1
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) { if ($i ~ /^ticks_(n|2n|per_call)$|^ns_per_call$/) h[i] = 1 } print; next }
	{ for (i in h) $i = $i / 4; print }' "$RESULTS/baseline/samples.csv" >"$tmp/fast.csv"
mv "$tmp/fast.csv" "$RESULTS/baseline/samples.csv"
"$here/scripts/ci/ci-bench.sh" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ]
ok $? "a baseline four times as fast: exit $rc ($(grep -m1 'regression' "$tmp/out"))"
printf 'not,a,run\n' >"$RESULTS/baseline/samples.csv"
"$here/scripts/ci/ci-bench.sh" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 2 ]
ok $? "a bad baseline: exit $rc ($(tail -1 "$tmp/out"))"
tap_done
