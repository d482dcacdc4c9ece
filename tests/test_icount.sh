#!/usr/bin/env bash
# test_icount.sh BUILD: the count gate. Both vendors' guests run the full
# suite under QEMU's instruction counter (scripts/vm-run.sh icount), and:
#   - every row each vendor supports is ok, with an exact icount;
#   - the x86_64 syscall row costs the same instructions alone and beside the
#     i386 worker with counting on (no counter open while timing);
#   - the counts equal the committed baseline (results/icount-baseline/VENDOR),
#     unless the baseline was made with another guest kernel package or QEMU,
#     which is a skip with that reason, not a failure;
#   - a real kernel with one added instruction per call (build/vm/scbench-nop)
#     is caught by `scbench compare`: exit 1, the row named, +1.00.
# Re-baseline after an intended change: make icount-baseline (then commit).
set -u
# rows whose count is not exactly repeatable (see the baseline check)
ICOUNT_LOOSE='^x86_64/io_uring/'
. "$(dirname "$0")/tap.sh"
build=$1
bin=$build/scbench
baseline=${ICOUNT_BASELINE:-$here/results/icount-baseline}
if [ -n "${SCB_SKIP_VM:-}" ]; then
	echo "ok 1 # SKIP icount gate skipped: SCB_SKIP_VM is set"
	echo "1..1"
	exit 0
fi
VM_DEST=$tmp/run VM_TAG=gate "$here/scripts/vm-run.sh" "$build" icount >"$tmp/lane" 2>&1
lane=$?
ok $lane "both guests ran under icount ($(grep -c '^ok' "$tmp/lane") verdicts; $(grep -o '[0-9]*s for all guests' "$tmp/lane" | head -1))"
[ $lane -eq 0 ] || sed 's/^/# /' "$tmp/lane"

field() { # field FILE KEY
	awk -F, -v k="$2" '$2 == k { sub(/^[^,]*,[^,]*,/, ""); gsub(/"/, ""); print; exit }' "$1"
}
icount_of() { # icount_of SUMMARY ROW
	awk -f "$here/scripts/csv.awk" -v want=icount -v bench=1 "$1" | awk -F'\t' -v r="$2" '$1 == r { print $2 }'
}
for v in intel amd; do
	run=$tmp/run/$v
	[ -s "$run/summary.csv" ] || { ok 1 "[$v] no results"; continue; }
	# every row is ok with a count, or unsupported as in the baseline (the
	# guest lacks what the baseline's guest lacked: sysenter or 32-bit
	# syscall by vendor, x32 and vDSO getrandom in the 6.1 kernel, SQPOLL
	# with one CPU)
	lacks=$(awk -f "$here/scripts/csv.awk" -v want=status -v bench=1 "$here/results/icount-baseline/$v/summary.csv" |
		awk -F'\t' 'NR > 1 && $2 != "ok" { printf "%s%s", sep, $1; sep = "," }')
	bad=$(awk -f "$here/scripts/csv.awk" -v want=status,icount -v bench=1 "$run/summary.csv" |
		awk -F'\t' -v lacks=",$lacks," 'NR > 1 && !(($2 == "ok" && $3 != "") || (index(lacks, "," $1 ",") && $2 == "unsupported")) { print $1 " " $2 }')
	rows=$(($(wc -l <"$run/summary.csv") - 1))
	[ -z "$bad" ] && [ "$rows" -ge 29 ]
	ok $? "[$v] all $rows rows ok with an icount, or unsupported as in the baseline ($lacks)${bad:+; wrong: $bad}"

	a=$(icount_of "$run/check-alone.csv" x86_64/syscall/getppid)
	w=$(icount_of "$run/check-worker.csv" x86_64/syscall/getppid)
	[ -n "$a" ] && [ "$a" = "$w" ]
	ok $? "[$v] syscall getppid alone $a, beside the counting i386 worker $w instructions: equal"

	b=$baseline/$v
	want="$(field "$b/env.csv" vm_kernel_package) / $(field "$b/env.csv" vm_qemu)"
	have="$(field "$run/env.csv" vm_kernel_package) / $(field "$run/env.csv" vm_qemu)"
	if [ ! -s "$b/summary.csv" ]; then
		ok 1 "[$v] no baseline in $b (make icount-baseline makes one)"
	elif [ "$want" != "$have" ]; then
		echo "ok $((n += 1)) # SKIP [$v] baseline made on $want, this is $have: not compared (make icount-baseline to renew it)"
	else
		# exact, but for io_uring's rows: measured to move by up to 0.6
		# instructions per operation between boots of the same images
		# (kernel-side request caching), so they get a tolerance of 1
		"$bin" compare --exclude "$ICOUNT_LOOSE" "$b" "$run" >"$tmp/cmp" 2>&1
		rc=$?
		rc2=0
		if "$here/scripts/csv.sh" "$b/summary.csv" -v bench=1 -v want=status -v where=status=ok |
			LOOSE=$ICOUNT_LOOSE awk -F'\t' 'NR > 1 && $1 ~ ENVIRON["LOOSE"] { f = 1 } END { exit !f }'; then
			"$bin" compare --filter "$ICOUNT_LOOSE" --tolerance 1 "$b" "$run" >>"$tmp/cmp" 2>&1
			rc2=$?
		fi
		[ $rc -eq 0 ] && [ $rc2 -eq 0 ] && ! grep -qE ' (improvement|REGRESSION)$' "$tmp/cmp"
		ok $? "[$v] counts equal the baseline, io_uring within 1 instruction (compare exit $rc, $rc2)"
		[ $rc -eq 0 ] && [ $rc2 -eq 0 ] && ! grep -qE ' (improvement|REGRESSION)$' "$tmp/cmp" ||
			grep -E ' (REGRESSION|improvement)$' "$tmp/cmp" | sed 's/^/# /'
	fi

	"$bin" compare "$run" "$run/nop" >"$tmp/cmp" 2>&1
	rc=$?
	line=$(grep 'x86_64/syscall/enosys' "$tmp/cmp")
	[ $rc -eq 1 ] && echo "$line" | grep -q 'REGRESSION' && echo "$line" | grep -q '+1.00 instr'
	ok $? "[$v] one added instruction per call is caught: exit $rc, $(echo "$line" | tr -s ' ')"
done
tap_done
