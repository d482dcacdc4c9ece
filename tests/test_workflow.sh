#!/usr/bin/env bash
# test_workflow.sh BUILD: the shell steps of doc/github-actions-scbench.yml,
# run as GitHub would (bash -eo pipefail, a fake GITHUB_STEP_SUMMARY) in a
# scratch checkout: a regression fails the step with exit 1 and the summary
# starts with the verdict; no change passes.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
yml=$here/doc/github-actions-scbench.yml

# step NAME: the run: block of the step with that name, unindented
step() {
	NAME=$1 awk '
		$0 ~ /^ *- name: / { s = $0; sub(/^ *- name: /, "", s); cur = (s == ENVIRON["NAME"]); inrun = 0; next }
		cur && /^ *run: \|/ { inrun = 1; ind = -1; next }
		inrun { if ($0 ~ /^ *$/) { print ""; next }
			match($0, /^ */); if (ind < 0) ind = RLENGTH
			if (RLENGTH < ind) { inrun = 0; next }
			print substr($0, ind + 1) }' "$yml"
}
co=$tmp/scbench
mkdir -p "$co/results"
for f in Makefile config.mk harness asm bench tests scripts plots doc; do ln -s "$here/$f" "$co/$f"; done
ln -s "$(cd "$build" && pwd)" "$co/build"
run_step() { # run_step NAME: exit status of the block, summary in $tmp/summary
	: >"$tmp/summary"
	(cd "$co" && GITHUB_STEP_SUMMARY=$tmp/summary GITHUB_ENV=$tmp/env bash --noprofile --norc -eo pipefail \
		<(step "$1")) >"$tmp/step.log" 2>&1
}

# timing: a first run becomes the baseline; then one against a baseline
# whose samples are all twice as fast must fail the step
[ -n "$(step 'measure and compare')" ]
ok $? "the timing step's run: block is found"
export BENCH_ARGS="--runs 50 --counter-runs 0 --filter ^x86_64/(syscall|vdso)/"
run_step 'measure and compare'; rc=$?
[ $rc -eq 0 ] && head -1 "$tmp/summary" | grep -q '^## scbench timing: no baseline yet'
ok $? "timing step, first run: exit $rc, summary: $(head -1 "$tmp/summary")"
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^ticks_(n|2n|per_call)$|^ns_per_call$/) h[i] = 1; print; next }
	{ for (i in h) $i = $i / 2; print }' "$co/results/baseline/samples.csv" >"$tmp/fast.csv"
mv "$tmp/fast.csv" "$co/results/baseline/samples.csv"
run_step 'measure and compare'; rc=$?
[ $rc -eq 1 ] && head -1 "$tmp/summary" | grep -q '^## scbench timing: REGRESSION'
ok $? "timing step against a baseline twice as fast: the step fails (exit $rc), summary: $(head -1 "$tmp/summary")"
grep -q 'HISTORY_MAX_RUNS' <(step 'measure and compare') && [ "$(tail -n +2 "$co/results/history.csv" | cut -d, -f3 | sort -u | wc -l)" -eq 2 ]
ok $? "the history holds both runs, bounded by HISTORY_MAX_RUNS"

# counts: the icount lane against a baseline with one instruction fewer per
# call on one row must fail; against itself it passes
if [ -n "${SCB_SKIP_VM:-}" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	ok 0 "# SKIP the VM lane is off here (SCB_SKIP_VM or no QEMU)"
else
	unset BENCH_ARGS
	# main's counts: the committed baseline, with one instruction taken off
	# x86_64/syscall/getppid on the Intel model (one lane run, not two)
	mkdir -p "$co/results/icount-main"
	cp -r "$here/results/icount-baseline/intel" "$here/results/icount-baseline/amd" "$co/results/icount-main/"
	s=$co/results/icount-main/intel/summary.csv
	awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i == "icount") c = i; print; next }
		$2 "/" $3 "/" $4 == "x86_64/syscall/getppid" { $c = $c - 1 } { print }' "$s" >"$tmp/s" && mv "$tmp/s" "$s"
	run_step 'guest instructions per call, against main'; rc=$?
	[ $rc -eq 1 ] && head -1 "$tmp/summary" | grep -q '^## scbench counts: REGRESSION'
	ok $? "counts step against a baseline one instruction shorter: the step fails (exit $rc), summary: $(head -1 "$tmp/summary")"
fi
grep -q "head.repo.full_name == github.repository" "$yml" && ! grep -qE '\| *tee' "$yml"
ok $? "the timing job runs only for this repository's branches, and no step pipes into tee"
tap_done
