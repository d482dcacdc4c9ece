#!/usr/bin/env bash
# fp-rate.sh [PAIRS] [-- RUN-OPTIONS]: how often does `scbench compare` cry
# wolf on this machine? Makes 2*PAIRS (default 10) real `scbench run --quick`
# runs of the same build, back to back, compares each consecutive pair with
# the default settings, raw and with --normalize, and prints the share of
# comparisons flagged as regressions. Nothing changed between the runs, so
# every flag is a false positive.
set -eu
pairs=${1:-10}
shift || true
[ "${1:-}" = "--" ] && shift
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SCBENCH:-$here/build/scbench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq 1 $((2 * pairs))); do
	"$bin" run --quick --no-table --out "$out/r$i" "$@" >/dev/null 2>&1
done
for mode in raw normalized; do
	flags=0 total=0
	opt=""
	[ $mode = normalized ] && opt=--normalize
	for i in $(seq 1 "$pairs"); do
		a=$out/r$((2 * i - 1))/latest b=$out/r$((2 * i))/latest
		"$bin" compare $opt --format csv "$a" "$b" >"$out/c.csv" 2>/dev/null || true
		f=$(awk -F, 'NR > 1 && $3 == "REGRESSION"' "$out/c.csv" | wc -l)
		t=$(awk -F, 'NR > 1 && ($3 == "REGRESSION" || $3 == "unchanged" || $3 == "improvement")' "$out/c.csv" | wc -l)
		flags=$((flags + f)) total=$((total + t))
		awk -F, -v m=$mode -v p="$i" 'NR > 1 && $3 == "REGRESSION" { printf "  %s pair %d: %s flagged, ratio %s\n", m, p, $2, $7 }' "$out/c.csv"
	done
	awk -v m=$mode -v f=$flags -v t=$total -v p="$pairs" \
		'BEGIN { printf "%-10s %d of %d comparisons flagged over %d pairs: false-positive rate %.1f %%\n", m, f, t, p, t ? 100 * f / t : 0 }'
done
