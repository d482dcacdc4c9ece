#!/usr/bin/env bash
# test_icount.sh BUILD: the count gate. Both vendors' guests run the full
# suite under QEMU's instruction counter (scripts/vm-run.sh icount), and:
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
#   - a real kernel with one added instruction per call (build/vm/scbench-nop)
#     fails the gate in both modes, naming the row, +1.00.
# Re-baseline after an intended change: commit, then make icount-baseline
# (then commit the baseline).
set -u
. "$(dirname "$0")/tap.sh"
. "$here/scripts/icount-lib.sh"
build=$1
bin=$build/scbench
baseline=${ICOUNT_BASELINE:-$here/results/icount-baseline}
if [ -n "${SCB_SKIP_VM:-}" ]; then
	echo "ok 1 # SKIP icount gate skipped: SCB_SKIP_VM is set"
	echo "1..1"
	exit 0
fi
csvcol() { # csvcol SUMMARY COLS: "row<TAB>col..." lines
	"$here/scripts/csv.sh" "$1" -v bench=1 -v want="$2"
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
	local b=$1 bk bsha krc msg commit k
	bk=$(icl_kernel "$b/intel")
	bsha=$(icl_field "$b/intel/env.csv" vm_kernel_sha256)
	"$here/scripts/vm-kernel.sh" "$here/build/vm" "$bk" >/dev/null 2>"$tmp/kmsg"
	krc=$?
	msg=$(tr '\n' ' ' <"$tmp/kmsg")
	if [ $krc -eq 0 ] && [ "$(sed -n 's/^sha256=//p' "$here/build/vm/kernels/$bk/vmlinuz.id" 2>/dev/null)" = "$bsha" ] &&
		lane "$build" "$bk" head && head=$L && icl_same "$b/intel" "$head/intel"; then
		mode="baseline kernel $bk, as the baseline"
		base=$b
	else
		# the baseline's kernel or QEMU can't be had: base and head on one kernel
		commit=$(cat "$b/commit" 2>/dev/null)
		if [ -z "$commit" ] || ! git -C "$here" rev-parse -q --verify "$commit^{commit}" >/dev/null 2>&1; then
			mode="none: the baseline's kernel $bk can't be booted here ($msg) and its commit '${commit:-?}' is not in this clone's history"
			return 3
		fi
		k=$(awk '!/^[ \t]*(#|$)/ { print $1; exit }' "$here/bench/kernels.lock")
		if ! "$here/scripts/vm-kernel.sh" "$here/build/vm" "$k" >/dev/null 2>>"$tmp/kmsg"; then
			# the lock itself is stale: the archive's newest of its default
			k=$("$here/scripts/vm-kernel.sh" --resolve "$k" | tr ' ' '=') || { mode="none: no kernel to boot"; return 3; }
		fi
		if [ -z "$base_build" ]; then
			base_build=$(icl_build_commit "$commit" "$tmp/base") || { mode="base-vs-head: commit $commit does not build ($tmp/base/build.log)"; return 2; }
		fi
		lane "$base_build" "$k" base || { mode="base-vs-head: the base lane failed ($L.log)"; return 2; }
		base=$L
		lane "$build" "$k" head || { mode="base-vs-head: the head lane failed ($L.log)"; return 2; }
		head=$L
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
elif [ $grc -ne 0 ] || [ -z "${head:-}" ]; then
	ok 1 "count gate could not run: $mode"
	[ -n "${head:-}" ] && sed 's/^/# /' "$head.log" | tail -n 30
else
	ok 0 "count gate mode: $mode ($(grep -o '[0-9]*s for all guests' "$head.log" | head -1))"
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

	# the gate on a build with one added instruction per call in one row
	counts "$base/$v" "$head/$v/nop"
	rc=$?
	line=$(printf '%s\n' "$cmp" | grep '^x86_64/syscall/enosys ')
	others=$(printf '%s\n' "$cmp" | grep -E ' (improvement|REGRESSION)$' | grep -vc '^x86_64/syscall/enosys ')
	[ $rc -eq 1 ] && echo "$line" | grep -q 'REGRESSION' && echo "$line" | grep -q '+1.00 instr' && [ "$others" -eq 0 ]
	ok $? "[$v] one added instruction per call fails the gate and names the row alone: exit $rc, $(echo "$line" | tr -s ' ')"
done

# base-vs-head on purpose: the baseline as if its kernel had left the archive
if [ $grc -eq 0 ] && [ "${mode%%:*}" != base-vs-head ]; then
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
			counts "$base/$v" "$head/$v/nop"
			rc=$?
			line=$(printf '%s\n' "$cmp" | grep '^x86_64/syscall/enosys ')
			[ $rc -eq 1 ] && echo "$line" | grep -q '+1.00 instr'
			ok $? "[$v] base-vs-head: one added instruction fails it, naming the row: exit $rc, $(echo "$line" | tr -s ' ')"
		done
	fi
	head=$keep_head
fi
tap_done
