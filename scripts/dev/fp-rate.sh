#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fp-rate.sh [PAIRS] [-- RUN-OPTIONS]: how often does `scbench compare` cry
# wolf on this machine? Makes 2*PAIRS (default 20) real `scbench run --quick`
# runs of the same build, back to back, and compares each consecutive pair
# at the default settings, raw and with --normalize. Nothing changed
# between the runs, so every verdict, regression or improvement, is false.
# A pair "fails" when any row gets a verdict: what a CI gate would see.
# Ends with the line `false failures: F of P run pairs` (raw, the default).
set -eu
pairs=${1:-20}
shift || true
[ "${1:-}" = "--" ] && shift
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/lib.sh"
bin=${SCBENCH:-$here/build/scbench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq 1 $((2 * pairs))); do
	"$bin" run --quick --no-table --out "$out/r$i" "$@" >/dev/null 2>&1
done
for mode in normalized raw; do
	failed=0 verdicts=0 total=0
	opt=""
	[ $mode = normalized ] && opt=--normalize
	for i in $(seq 1 "$pairs"); do
		a=$out/r$((2 * i - 1))/latest b=$out/r$((2 * i))/latest
		"$bin" compare $opt --format csv "$a" "$b" >"$out/c.csv" 2>/dev/null || true
		# compare's own CSV, read back as TSV by the project's reader
		SCBENCH=$bin scb_tsv --columns benchmark,verdict,ratio,ratio_ci_lo,ratio_ci_hi "$out/c.csv" >"$out/c.tsv" ||
			echo "benchmark" >"$out/c.tsv"
		f=$(awk -F'\t' 'NR > 1 && ($2 == "REGRESSION" || $2 == "improvement")' "$out/c.tsv" | wc -l)
		t=$(awk -F'\t' 'NR > 1 && ($2 == "REGRESSION" || $2 == "unchanged" || $2 == "improvement")' "$out/c.tsv" | wc -l)
		verdicts=$((verdicts + f)) total=$((total + t))
		[ "$f" -gt 0 ] && failed=$((failed + 1))
		awk -F'\t' -v m=$mode -v p="$i" 'NR > 1 && ($2 == "REGRESSION" || $2 == "improvement") {
			printf "  %s pair %d: %s %s, ratio %s [%s, %s]\n", m, p, $1, $2, $3, $4, $5 }' "$out/c.tsv"
	done
	printf "%-10s %d of %d run pairs failed; %d of %d row comparisons got a verdict (%.1f %%)\n" \
		$mode $failed "$pairs" $verdicts $total "$(awk -v v=$verdicts -v t=$total 'BEGIN { print t ? 100 * v / t : 0 }')"
done
echo "false failures: $failed of $pairs run pairs"
