#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_icount.sh BUILD: the count gate. Both vendors' guests run the full
# suite under QEMU's instruction counter (scripts/vm/vm-run.sh icount), and:
#   - every row each vendor supports is ok, with an exact icount;
#   - the x86_64 syscall row costs the same instructions alone and beside the
#     i386 worker with counting on (no counter open while timing);
#   - the counts equal the committed baseline (results/icount-baseline), in
#     one of two modes, never switched off:
#       baseline kernel  the guest boots exactly the kernel the baseline was
#                        made on (package, version, sha256; same QEMU) and
#                        the counts are compared with the stored ones;
#       base-vs-head     when that kernel can't be had (it left the archive)
#                        or QEMU differs: the baseline's commit is built
#                        from git and both it and this tree run on the
#                        newest locked kernel, compared exactly;
#     a SKIP only where neither can run (no archive and no history);
#   - base-vs-head is exercised too, with a baseline whose kernel version the
#     archive lacks, and must pass;
#   - a real kernel with one added instruction per call (build/vm/scbench-nop,
#     its row spliced into a full run) fails the gate in both modes, naming
#     that row alone, +1.00; a row that was ok and is lost fails it too.
# Re-baseline after an intended change: commit, then make icount-baseline
# (then commit the baseline).
set -u
. "$(dirname "$0")/tap.sh"
. "$here/scripts/vm/icount-lib.sh"
build=$1
bin=$build/scbench
baseline=${ICOUNT_BASELINE:-$here/results/icount-baseline}
if [ -n "${SCB_SKIP_VM:-}" ]; then
	echo "ok 1 # SKIP icount gate skipped: SCB_SKIP_VM is set"
	echo "1..1"
	exit 0
fi
csvcol() { # csvcol SUMMARY COLS: "row<TAB>col..." lines
	csv_sel "$1" -v bench=1 -v want="$2"
}
cache=${VM_CACHE:-$here/build/vm}
# splice RUN NOP OUT: RUN with NOP's rows (the one-nop build's) in place of its own
splice() {
	local f rows
	mkdir -p "$3"
	cp "$1"/*.csv "$3"/
	rows=$(tail -n +2 "$2/summary.csv" | cut -d, -f2-4 | sort -u)
	for f in summary samples; do
		ROWS=$rows awk -F, 'BEGIN { n = split(ENVIRON["ROWS"], r, "\n"); for (i = 1; i <= n; i++) drop[r[i]] = 1 }
			NR == 1 || !(($2 "," $3 "," $4) in drop)' "$1/$f.csv" >"$3/$f.csv"
		tail -n +2 "$2/$f.csv" >>"$3/$f.csv"
	done
}

# lane SCBENCH-BUILD KERNEL NAME: one icount run of both guests, made once
# per (build, kernel) and reused; its folder in $L, fails if it failed
declare -A lanes=()
lane() {
	local key="$1 $2" d
	if [ -z "${lanes[$key]:-}" ]; then
		d=$tmp/lane-${#lanes[@]}-$3
		icl_lane "$1" "$d" "$2" "gate-$3"
		lanes[$key]="$d $?"
	fi
	set -- ${lanes[$key]}
	L=$1
	return "$2"
}

# gate BASELINE: the count gate; sets $mode, $head (the run compared), $cmp
# (compare's output) and returns compare's exit status (2: no comparison)
base_build=""
gate() {
	local b=$1 bk bsha krc msg commit k r v
	for v in intel amd; do
		[ -s "$b/$v/summary.csv" ] && [ -s "$b/$v/env.csv" ] || { mode="no baseline in $b/$v (make icount-baseline makes one)"; return 2; }
	done
	bk=$(icl_kernel "$b/intel")
	bsha=$(scb_env "$b/intel/env.csv" vm_kernel_sha256)
	"$here/scripts/vm/vm-kernel.sh" "$cache" "$bk" >/dev/null 2>"$tmp/kmsg"
	krc=$?
	msg=$(head -n 1 "$tmp/kmsg")
	# another QEMU than the baseline's can't count alike: compare base and head
	[ "$(scb_env "$b/intel/env.csv" vm_qemu)" = "$(qemu-system-x86_64 --version | head -n 1)" ] || { krc=3; msg="QEMU is not the baseline's"; }
	if [ $krc -eq 0 ]; then
		[ "$(sed -n 's/^sha256=//p' "$cache/kernels/$bk/vmlinuz.id" 2>/dev/null)" = "$bsha" ] ||
			{ mode="the archive's $bk is not the baseline's (vmlinuz sha256 differs): make icount-baseline"; return 2; }
		lane "$build" "$bk" head || { head=""; mode="the lane failed on the baseline's kernel ($(tail -n 3 "$L.log" | tr '\n' ' '))"; return 2; }
		head=$L
		icl_same "$b" "$head" || { mode="this run's kernel, QEMU, command line or compiler differ from the baseline's: $(icl_identity "$head/intel") vs $(icl_identity "$b/intel"), compiler $(scb_env "$head/intel/env.csv" compiler) vs $(scb_env "$b/intel/env.csv" compiler)"; return 2; }
		mode="baseline kernel $bk, as the baseline"
		base=$b
	elif [ $krc -ne 3 ]; then
		mode="the baseline's kernel $bk could not be fetched or checked: $msg"
		return 2
	else
		# the baseline's kernel or QEMU can't be had: base and head on one kernel
		commit=$(cat "$b/commit" 2>/dev/null)
		if [ -z "$commit" ] || ! git -C "$here" rev-parse -q --verify "$commit^{commit}" >/dev/null 2>&1; then
			mode="none: the baseline's kernel $bk can't be booted here ($msg) and its commit '${commit:-?}' is not in this clone's history"
			return 3
		fi
		k=$(awk '!/^[ \t]*(#|$)/ { print $1; exit }' "$here/bench/kernels.lock")
		if ! "$here/scripts/vm/vm-kernel.sh" "$cache" "$k" >/dev/null 2>>"$tmp/kmsg"; then
			# the lock itself is stale: the archive's newest of its default
			r=$("$here/scripts/vm/vm-kernel.sh" --resolve "$k") || { mode="none: no kernel to boot ($(tail -n 1 "$tmp/kmsg"))"; return 3; }
			k=${r/ /=}
		fi
		if [ -z "$base_build" ]; then
			base_build=$(icl_build_commit "$commit" "$tmp/base") || {
				mode="base-vs-head: commit $commit does not build today: $(tail -n 5 "$tmp/base/build.log" | tr '\n' ' ')"
				return 2
			}
		fi
		lane "$base_build" "$k" base || { mode="base-vs-head: the base lane failed: $(tail -n 3 "$L.log" | tr '\n' ' ')"; return 2; }
		base=$L
		lane "$build" "$k" head || { head=""; mode="base-vs-head: the head lane failed: $(tail -n 3 "$L.log" | tr '\n' ' ')"; return 2; }
		head=$L
		icl_same "$base" "$head" || { mode="base-vs-head: the two sides booted different kernels or QEMU: $(icl_identity "$base/intel") vs $(icl_identity "$head/intel")"; return 2; }
		mode="base-vs-head: commit ${commit:0:12} built from git, both on $k (baseline kernel $bk: ${msg:-different QEMU})"
	fi
	return 0
}
# counts BASE-RUN NEW-RUN: compare exactly; sets $cmp, returns compare's status
counts() {
	cmp=$(icl_compare "$bin" "$1" "$2")
}

gate "$baseline"
grc=$?
if [ $grc -eq 3 ]; then
	echo "ok $((n += 1)) # SKIP count gate: $mode"
	tap_done
	exit
elif [ $grc -ne 0 ] || [ -z "${head:-}" ]; then
	ok 1 "count gate could not run: $mode"
	[ -n "${head:-}" ] && sed 's/^/# /' "$head.log" | tail -n 30
else
	ok 0 "count gate mode: $mode ($(grep -o '[0-9]*s for all guests' "$head.log" | head -1))"
fi
# the baseline names a commit of this history (a squash or rebase would lose it)
commit=$(cat "$baseline/commit" 2>/dev/null)
if [ "$(git -C "$here" rev-parse --is-shallow-repository 2>/dev/null)" = false ]; then
	[ -n "$commit" ] && git -C "$here" merge-base --is-ancestor "$commit" HEAD 2>/dev/null
	ok $? "the baseline's commit ${commit:-(none)} is in this history, so base-vs-head can rebuild it"
fi

for v in intel amd; do
	run=${head:-/nonexistent}/$v
	[ -s "$run/summary.csv" ] || { ok 1 "[$v] no results"; continue; }
	# every row is ok with a count, or unsupported as in the baseline (the
	# guest lacks what the baseline's guest lacked: sysenter or 32-bit
	# syscall by vendor, x32 and vDSO getrandom in the 6.1 kernel, SQPOLL
	# with one CPU)
	lacks=$(csvcol "$baseline/$v/summary.csv" status | awk -F'\t' 'NR > 1 && $2 != "ok" { printf "%s%s", sep, $1; sep = "," }')
	bad=$(csvcol "$run/summary.csv" status,icount |
		awk -F'\t' -v lacks=",$lacks," 'NR > 1 && !(($2 == "ok" && $3 != "") || (index(lacks, "," $1 ",") && $2 == "unsupported")) { print $1 " " $2 }')
	rows=$(($(wc -l <"$run/summary.csv") - 1))
	[ -z "$bad" ] && [ "$rows" -ge 29 ]
	ok $? "[$v] all $rows rows ok with an icount, or unsupported as in the baseline ($lacks)${bad:+; wrong: $bad}"

	a=$(csvcol "$run/check-alone.csv" icount | awk -F'\t' '$1 == "x86_64/syscall/getppid" { print $2 }')
	w=$(csvcol "$run/check-worker.csv" icount | awk -F'\t' '$1 == "x86_64/syscall/getppid" { print $2 }')
	[ -n "$a" ] && [ "$a" = "$w" ]
	ok $? "[$v] syscall getppid alone $a, beside the counting i386 worker $w instructions: equal"

	[ $grc -eq 0 ] || continue
	counts "$base/$v" "$head/$v"
	rc=$?
	moved=$(printf '%s\n' "$cmp" | grep -E ' (improvement|REGRESSION)$')
	[ $rc -eq 0 ] && [ -z "$moved" ]
	ok $? "[$v] counts equal the baseline's: every row exactly, io_uring's within 1 (compare exit $rc)${moved:+; moved: $(echo "$moved" | awk '{ print $1 }' | tr '\n' ' ')}"
	[ -n "$moved" ] && printf '%s\n' "$moved" | sed 's/^/# /'

	# the gate on a run whose enosys row has one added instruction per call
	splice "$head/$v" "$head/$v/nop" "$tmp/nop-$v"
	counts "$base/$v" "$tmp/nop-$v"
	rc=$?
	line=$(printf '%s\n' "$cmp" | grep '^x86_64/syscall/enosys ')
	others=$(printf '%s\n' "$cmp" | grep -E ' (improvement|REGRESSION)$' | grep -vc '^x86_64/syscall/enosys ')
	[ $rc -eq 1 ] && echo "$line" | grep -q 'REGRESSION' && echo "$line" | grep -q '+1.00 instr' && [ "$others" -eq 0 ]
	ok $? "[$v] one added instruction per call fails the gate and names the row alone: exit $rc, $(echo "$line" | tr -s ' ')"

	# a row that was ok and broke (here: its line gone) fails the gate too
	mkdir -p "$tmp/lost-$v" && cp "$head/$v"/*.csv "$tmp/lost-$v"/ &&
		grep -v '^1,x86_64,vdso,time,' "$head/$v/summary.csv" >"$tmp/lost-$v/summary.csv"
	counts "$base/$v" "$tmp/lost-$v"
	rc=$?
	[ $rc -eq 1 ] && printf '%s\n' "$cmp" | grep -q '^  x86_64/vdso/time ok -> gone$'
	ok $? "[$v] a row lost from the new run fails the gate, named: exit $rc"
done

# base-vs-head on purpose: the baseline as if its kernel had left the archive
# (a shallow clone has no commit to build: said, not failed)
shallow=$(git -C "$here" rev-parse --is-shallow-repository 2>/dev/null)
if [ $grc -eq 0 ] && [ "$shallow" = true ] && ! git -C "$here" rev-parse -q --verify "$(cat "$baseline/commit" 2>/dev/null)^{commit}" >/dev/null; then
	echo "ok $((n += 1)) # SKIP base-vs-head on purpose: this is a shallow clone without the baseline's commit $(cat "$baseline/commit" 2>/dev/null) (clone with history to run it)"
elif [ $grc -eq 0 ] && [ "${mode%%:*}" != base-vs-head ]; then
	gone=$tmp/baseline-gone
	cp -r "$baseline" "$gone"
	for v in intel amd; do
		sed -i 's/^1,vm_kernel_version,.*/1,vm_kernel_version,0.0-left-the-archive/' "$gone/$v/env.csv"
	done
	keep_head=$head
	gate "$gone"
	grc2=$?
	[ $grc2 -eq 0 ] && [ "${mode%%:*}" = base-vs-head ]
	ok $? "a baseline whose kernel left the archive: the gate runs base-vs-head (exit $grc2; mode: $mode)"
	if [ $grc2 -eq 0 ]; then
		for v in intel amd; do
			counts "$base/$v" "$head/$v"
			rc=$?
			moved=$(printf '%s\n' "$cmp" | grep -cE ' (improvement|REGRESSION)$')
			[ $rc -eq 0 ] && [ "$moved" -eq 0 ]
			ok $? "[$v] base-vs-head: the baseline's commit and this tree count alike (compare exit $rc, $moved rows moved)"
			counts "$base/$v" "$tmp/nop-$v"
			rc=$?
			line=$(printf '%s\n' "$cmp" | grep '^x86_64/syscall/enosys ')
			[ $rc -eq 1 ] && echo "$line" | grep -q '+1.00 instr'
			ok $? "[$v] base-vs-head: one added instruction fails it, naming the row: exit $rc, $(echo "$line" | tr -s ' ')"
		done
	fi
	head=$keep_head
fi
tap_done
