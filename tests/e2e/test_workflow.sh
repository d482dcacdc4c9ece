#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
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
for f in Makefile config.mk mk harness asm bench tests scripts plots doc; do ln -s "$here/$f" "$co/$f"; done
ln -s "$(cd "$build" && pwd)" "$co/build"
run_step() { # run_step NAME: exit status of the block, summary in $tmp/summary
	: >"$tmp/summary"
	(cd "$co" && GITHUB_STEP_SUMMARY=$tmp/summary GITHUB_ENV=$tmp/env bash --noprofile --norc -eo pipefail \
		<(step "$1")) >"$tmp/step.log" 2>&1
}

# timing: a first run becomes the baseline; then one against a baseline
# whose samples are all four times as fast (a busy machine can make a first run twice as slow) must fail the step
[ -n "$(step 'measure and compare')" ]
ok $? "the timing step's run: block is found"
export BENCH_ARGS="--runs 50 --counter-runs 0 --filter ^x86_64/(syscall|vdso)/"
run_step 'measure and compare'; rc=$?
[ $rc -eq 0 ] && head -1 "$tmp/summary" | grep -q '^## scbench timing: no baseline yet'
ok $? "timing step, first run: exit $rc, summary: $(head -1 "$tmp/summary")"
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^ticks_(n|2n|per_call)$|^ns_per_call$/) h[i] = 1; print; next }
	{ for (i in h) $i = $i / 4; print }' "$co/results/baseline/samples.csv" >"$tmp/fast.csv"
mv "$tmp/fast.csv" "$co/results/baseline/samples.csv"
run_step 'measure and compare'; rc=$?
[ $rc -eq 1 ] && head -1 "$tmp/summary" | grep -q '^## scbench timing: REGRESSION'
ok $? "timing step against a baseline four times as fast: the step fails (exit $rc), summary: $(head -1 "$tmp/summary")"
grep -q 'HISTORY_MAX_RUNS' <(step 'measure and compare') && [ "$(tail -n +2 "$co/results/history.csv" | cut -d, -f3 | sort -u | wc -l)" -eq 2 ]
ok $? "the history holds both runs, bounded by HISTORY_MAX_RUNS"

# counts (scripts/ci/ci-icount.sh): like is compared with like, a missing
# base fails, an intended change on main renews the base, a one-instruction
# regression fails its pull request
if [ -n "${SCB_SKIP_VM:-}" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	echo "ok $((n += 1)) # SKIP the count-gate cases: the VM lane is off here (SCB_SKIP_VM or no QEMU)"
else
	unset BENCH_ARGS
	export VM_CACHE=$here/build/vm
	cstep='guest instructions per call, base kernel against the kernel under test'
	kern=$("$here/scripts/vm/vm-kernel.sh" "$VM_CACHE") || kern=""
	# the kernel under test and main's base: here the same Debian kernel file
	mkdir -p "$tmp/base-kernel" "$tmp/head-kernel"
	cp "$kern" "$tmp/base-kernel/bzImage" && cp "$kern" "$tmp/head-kernel/bzImage"
	run_cstep() { # run_cstep: the compare step as GitHub runs it, in $co
		: >"$tmp/summary"
		(cd "$co" && GITHUB_WORKSPACE=$tmp GITHUB_STEP_SUMMARY=$tmp/summary VM_KERNEL=$tmp/head-kernel/bzImage \
			bash --noprofile --norc -eo pipefail <(step "$cstep")) >"$tmp/step.log" 2>&1
	}
	run_cstep; rc=$?
	[ $rc -eq 0 ] && head -1 "$tmp/summary" | grep -q '^## scbench counts: no change'
	ok $? "counts step, pull request, same kernel both sides: exit $rc, summary: $(head -1 "$tmp/summary")"
	[ $rc -eq 0 ] || tail -n 20 "$tmp/step.log" | sed 's/^/# /'

	# a missing or expired artifact: no silent pass
	rm -rf "$tmp/base-kernel"
	run_cstep; rc=$?
	[ $rc -eq 2 ] && head -1 "$tmp/summary" | grep -q '^## scbench counts: bad input: no base kernel'
	ok $? "counts step with the base kernel's artifact missing: the step fails (exit $rc): $(head -1 "$tmp/summary")"

	# an intended change on main: the base is renewed before the compare (so
	# a red main run still renews it) and any finished main run serves
	order=$(awk '/^ *- name: / { sub(/^ *- name: /, ""); print }' "$yml" | grep -n -e 'keep this kernel as the next base' -e "$cstep" | cut -d: -f1 | tr '\n' ' ')
	set -- $order
	[ $# -eq 2 ] && [ "$1" -lt "$2" ] && grep -q 'workflow_conclusion: completed' "$yml" &&
		! awk '/- name: fetch the base kernel/,/- name: guest/' "$yml" | grep -q continue-on-error
	ok $? "main renews the base kernel before comparing (steps $order), from any finished run, and a missing base is never ignored"

	# a Debian roll between a stored baseline and this run is refused, naming
	# both: the baseline's kernel against the lock's other cloud kernel
	. "$here/scripts/vm/icount-lib.sh"
	bk=$(icl_kernel "$here/results/icount-baseline/intel")
	other=$(awk '!/^[ \t]*#/ && NF >= 4 { n++ } n == 2 { print $2 "=" $3; exit }' "$here/bench/kernels.lock")
	okern=$("$here/scripts/vm/vm-kernel.sh" "$VM_CACHE" "$other" 2>"$tmp/oerr"); orc=$?
	if [ $orc -eq 3 ]; then
		# the lock names a kernel the archive no longer has: make kernels-update
		for what in "a kernel roll refused in baseline mode" "the roll report" "kernel mode failing on a kernel change"; do
			echo "ok $((n += 1)) # SKIP $what: the lock's $other left the archive ($(head -c 100 "$tmp/oerr")); make kernels-update renews the lock"
		done
	else
		RESULTS=$tmp/roll ICOUNT_BASELINE=$here/results/icount-baseline VM_KERNEL= VM_KERNEL_META=$other \
			"$here/scripts/ci/ci-icount.sh" >"$tmp/roll.log" 2>&1; rc=$?
		[ $rc -eq 2 ] && grep -qF "not comparable: the baseline ran on $bk " "$tmp/roll.log" && grep -qF "this run on $other " "$tmp/roll.log"
		ok $? "a kernel roll ($bk baseline, $other run) in baseline mode: refused, exit $rc, both named"
		RESULTS=$tmp/roll ICOUNT_ROLL=1 ICOUNT_BASELINE=$here/results/icount-baseline VM_KERNEL= VM_KERNEL_META=$other \
			CI_SUMMARY=$tmp/roll.md "$here/scripts/ci/ci-icount.sh" >"$tmp/roll.log" 2>&1; rc=$?
		mi=$(sed -n 's/^\([0-9]*\) rows moved on the intel model.*/\1/p' "$tmp/roll.md")
		ma=$(sed -n 's/^\([0-9]*\) rows moved on the amd model.*/\1/p' "$tmp/roll.md")
		[ $rc -eq 1 ] && grep -q '^## scbench counts: kernel roll: rows moved' "$tmp/roll.md" && [ "${mi:-0}" -gt 0 ] && [ "${ma:-0}" -gt 0 ]
		ok $? "the same roll with ICOUNT_ROLL=1: a roll report instead, exit $rc, ${mi:-?} rows moved on the Intel model and ${ma:-?} on the AMD one"

		# kernel mode as the workflow runs it, on a kernel change: exit 1
		cp "$okern" "$tmp/head-kernel/bzImage" && mkdir -p "$tmp/base-kernel" && cp "$kern" "$tmp/base-kernel/bzImage"
		run_cstep; rc=$?
		[ $rc -eq 1 ] && head -1 "$tmp/summary" | grep -q '^## scbench counts: REGRESSION'
		ok $? "counts step, pull request whose kernel is $other against the base $bk: the step fails (exit $rc): $(head -1 "$tmp/summary")"

	fi

	# a pull request adding one instruction per call, base and head built from
	# git in one job (base-head mode): exit 1, the rows named, +1.00
	pr=$tmp/pr
	mkdir -p "$pr"
	tar -C "$here" --exclude=./.git --exclude='./build*' --exclude=./results -cf - . | tar -x -C "$pr"
	mkdir -p "$pr/results"
	g() { git -C "$pr" -c user.name=scbench-test -c user.email=test@invalid "$@"; }
	g init -q && g add -A && g commit -q -m base &&
		sed -i '/^\tmov\t\$\\nr, %eax$/{n;s/^\tsyscall$/\tnop\n\tsyscall/}' "$pr/asm/syscall_64.S" &&
		g commit -q -am "one more instruction per syscall" && MAKEFLAGS= MAKELEVEL= make -C "$pr" -s -j2 SAN= all vm-images >"$tmp/pr-build.log" 2>&1
	ok $? "a scratch pull request adds a nop before each syscall ($(g diff --stat HEAD~1 | tail -1))"
	# base-head mode by name: under make, ICOUNT_BASELINE is in the
	# environment (mk/run.mk exports it), which would pick baseline mode
	BUILD=$pr/build RESULTS=$pr/results BASE_REF=HEAD~1 VM_KERNEL= ICOUNT_BASELINE= ICOUNT_MODE=base-head \
		CI_SUMMARY=$tmp/pr.md "$pr/scripts/ci/ci-icount.sh" >"$tmp/pr.log" 2>&1; rc=$?
	line=$(grep '^| x86_64/syscall/getppid ' "$tmp/pr.log" | head -1)
	[ $rc -eq 1 ] && echo "$line" | grep -q '+1.00 instr' && echo "$line" | grep -q REGRESSION &&
		head -1 "$tmp/pr.md" | grep -q '^## scbench counts: REGRESSION' && ! grep -q '| x86_64/vdso/time .*REGRESSION' "$tmp/pr.log"
	ok $? "base-head: the one-instruction pull request fails (exit $rc): $line"
	[ $rc -eq 1 ] || tail -n 20 "$tmp/pr.log" | sed 's/^/# /'
	# and says where the instruction went: both sides' kernels profiled per
	# function (icl_profile_diff): the syscall rows' +1 is in [user], the
	# kernels' own loop, not in Linux
	awk '/^Where the instructions went/ { w = 1 }
		w && /^(intel|amd) / { on = ($2 == "x86_64/syscall/getppid:" && / -> /); next }
		on && $2 == "in" && $3 == "all" { on = 0; next }
		on { n++; if ($2 == "[user]" && $1 == "+1") u++ }
		END { exit !(w && n == 2 && u == 2) }' "$tmp/pr.log"
	rc=$?
	ok $rc "base-head: the failure's per-function diff puts x86_64/syscall/getppid's +1 in [user] on both models"
	[ $rc -eq 0 ] || { sed -n '/^Where the instructions went/,$p' "$tmp/pr.log" | head -30; tail -n 15 "$tmp/pr.log"; } |
		sed 's/^/# /'

	grep -A8 '^Where the instructions went' "$tmp/pr.log" | sed 's/^/# /'
fi
# the timing job too: no step's failure ignored, main's baseline renewed
# whatever its compare said
! grep -q 'continue-on-error' "$yml" &&
	awk '/- name: keep this run as the next baseline/ { f = 1 } f && /if:/ { print; exit }' "$yml" | grep -q 'always()'
ok $? "no step ignores its failure (no continue-on-error), and main's timing baseline is renewed also after a failed compare"
grep -q "head.repo.full_name == github.repository" "$yml" && ! grep -qE '\| *tee' "$yml"
ok $? "the timing job runs only for this repository's branches, and no step pipes into tee"
tap_done
