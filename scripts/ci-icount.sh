#!/usr/bin/env bash
# ci-icount.sh: the count gate for CI (doc/github-actions-scbench.yml):
# both QEMU guests under -icount (scripts/vm-run.sh; VM_KERNEL boots the
# kernel under test) into RESULTS/icount-new/<vendor>, each compared
# exactly with ICOUNT_BASELINE/<vendor> (default results/icount-baseline)
# by `scbench compare` (COMPARE_ARGS adds options, e.g. --tolerance 2).
# Without a baseline this run becomes it. Rows matching ICOUNT_LOOSE
# (default io_uring's, which move by up to 0.6 instructions per operation
# between boots) are compared with a tolerance of 1 instruction. CI_SUMMARY=FILE appends a
# Markdown summary that starts with the verdict.
# Exit: 0 no change beyond the tolerance, 1 a regression, 2 bad input or a
# lane that could not run.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build}
results=${RESULTS:-results}
baseline=${ICOUNT_BASELINE:-$results/icount-baseline}
new=$results/icount-new
loose=${ICOUNT_LOOSE:-'^x86_64/io_uring/'}
say() { printf 'scbench ci-icount: %s\n' "$*" >&2; }

rm -rf "$new"
VM_DEST=$new "$here/scripts/vm-run.sh" "$build" icount >/dev/null || { say "the icount lane failed"; exit 2; }
rc=0 md=""
for v in intel amd; do
	[ -s "$new/$v/summary.csv" ] || { say "$new/$v: no results"; exit 2; }
	if [ ! -s "$baseline/$v/summary.csv" ]; then
		mkdir -p "$baseline" && rm -rf "$baseline/$v.tmp" && cp -r "$new/$v" "$baseline/$v.tmp" &&
			mv -T "$baseline/$v.tmp" "$baseline/$v" || { say "$baseline/$v: cannot create"; exit 2; }
		say "no $v baseline yet: this run is now $baseline/$v"
		continue
	fi
	r=0 r2=0
	# exact, but for the rows in ICOUNT_LOOSE (io_uring's, measured to move by
	# up to 0.6 instructions per operation between boots), within 1
	# shellcheck disable=SC2086 # COMPARE_ARGS is a list of options
	out=$("$build/scbench" compare --format markdown --exclude "$loose" ${COMPARE_ARGS:-} "$baseline/$v" "$new/$v") || r=$?
	out2=""
	if "$here/scripts/csv.sh" "$baseline/$v/summary.csv" -v bench=1 -v want=status -v where=status=ok |
		LOOSE=$loose awk -F'\t' 'NR > 1 && $1 ~ ENVIRON["LOOSE"] { f = 1 } END { exit !f }'; then
		# shellcheck disable=SC2086
		out2=$("$build/scbench" compare --format markdown --filter "$loose" --tolerance 1 ${COMPARE_ARGS:-} "$baseline/$v" "$new/$v") || r2=$?
	fi
	[ $r2 -gt $r ] && r=$r2
	out="$out"$'\n\n'"$out2"
	printf '%s\n' "$out"
	md="$md"$'\n'"### $v"$'\n'"$out"
	[ $r -gt $rc ] && rc=$r
done
if [ -n "${CI_SUMMARY:-}" ]; then
	case $rc in
	0) verdict="no change in guest instructions per call" ;;
	1) verdict="REGRESSION: more guest instructions per call" ;;
	*) verdict="bad input: the comparison could not be made" ;;
	esac
	printf '## scbench counts: %s\n%s\n' "$verdict" "$md" >>"$CI_SUMMARY"
fi
exit $rc
