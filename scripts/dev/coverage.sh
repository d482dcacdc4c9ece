#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# coverage.sh [RUNS] [-- RUN-OPTIONS]: does the "95 % repeat interval" hold
# a repeat run's median on this machine? Makes RUNS (default 10) real
# `scbench run --quick` runs of the same build back to back (RUN-OPTIONS go
# to each: e.g. -- --processes 1 for the one-process interval), then for
# every row measured ok in every run and every ordered pair of runs (i, j),
# i != j, asks whether run i's interval [lo, hi] holds run j's median, and
# the same for the ratio to the reference (ratio_lo, ratio_hi, ratio; the
# reference row itself left out there).
# Prints each row's coverage, the rows that show levels in any run, the
# rows left out (not ok in every run: a noisy run has no figure to hold),
# and ends with the line
#   coverage: ns/call X % (rows >= 90 %: A of R, lowest L % ROW), x ref Y % (...), N runs, M rows left out
# A well-calibrated 95 % interval gives about 95 %; the pairs share runs,
# so with 10 runs the figure itself is good to a few per cent.
set -eu
runs=${1:-10}
shift || true
[ "${1:-}" = "--" ] && shift
case $runs in '' | *[!0-9]*) echo "coverage.sh: RUNS must be a whole number, not '$runs'" >&2; exit 2 ;; esac
[ "$runs" -ge 2 ] || { echo "coverage.sh: RUNS must be at least 2" >&2; exit 2; }
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/lib.sh"
bin=${SCBENCH:-$here/build/scbench}
[ -x "$bin" ] || { echo "coverage.sh: $bin is not built (run make)" >&2; exit 2; }
# COVERAGE_KEEP=DIR keeps the runs there (to look at), else a scratch folder
if [ -n "${COVERAGE_KEEP:-}" ]; then
	out=$COVERAGE_KEEP
	mkdir -p "$out" || exit 2
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
t0=$(date +%s.%N)
for i in $(seq 1 "$runs"); do
	s=$(date +%s.%N)
	"$bin" run --quick --no-table -q --out "$out/r$i" "$@" >/dev/null 2>"$out/r$i.err" ||
		{ echo "coverage.sh: run $i failed:" >&2; cat "$out/r$i.err" >&2; exit 1; }
	printf 'run %d: %.1f s\n' "$i" "$(echo "$(date +%s.%N) - $s" | bc)"
done
printf 'runs: %d in %.0f s\n' "$runs" "$(echo "$(date +%s.%N) - $t0" | bc)"
# the runs' rows from the results model, one TSV line per row and run
for i in $(seq 1 "$runs"); do
	SCBENCH=$bin scb_tsv --where status=ok --columns name,median,lo,hi,ratio,ratio_lo,ratio_hi,levels "$out/r$i/latest" |
		awk -F'\t' -v run="$i" 'NR > 1 { print run "\t" $0 }'
done | awk -F'\t' -v runs="$runs" '
	{ n = $2; seen[n]++; m[n, $1] = $3; lo[n, $1] = $4; hi[n, $1] = $5
	  r[n, $1] = $6; rlo[n, $1] = $7; rhi[n, $1] = $8
	  if ($9 != "") lv[n] = lv[n] sprintf("  run %d: %s", $1, $9)
	  if (!(n in order)) { order[n] = ++k; name[k] = n } }
	END {
		printf "%-36s %9s %9s\n", "row", "ns/call", "x ref"
		for (q = 1; q <= k; q++) {
			n = name[q]
			if (seen[n] != runs) continue
			h = t = rh = rt = 0
			for (i = 1; i <= runs; i++) for (j = 1; j <= runs; j++) {
				if (i == j) continue
				t++; h += m[n, j] >= lo[n, i] && m[n, j] <= hi[n, i]
				if (r[n, i] != "" && n != "x86_64/syscall/getppid") {
					rt++; rh += r[n, j] >= rlo[n, i] && r[n, j] <= rhi[n, i]
				}
			}
			c = 100 * h / t; rows++; H += h; T += t; good += c >= 90
			if (rows == 1 || c < low) { low = c; lowrow = n }
			rc = rt ? 100 * rh / rt : -1
			if (rt) { RH += rh; RT += rt; rrows++; rgood += rc >= 90
				  if (rrows == 1 || rc < rlow) { rlow = rc; rlowrow = n } }
			printf "%-36s %8.1f%% %8s\n", n, c, rt ? sprintf("%.1f%%", rc) : "-"
		}
		for (q = 1; q <= k; q++) if (name[q] in lv) printf "levels: %s:%s\n", name[q], lv[name[q]]
		# a row not ok in every run has no figure in some: left out, and said
		for (q = 1; q <= k; q++) if (seen[name[q]] != runs) { out++; outs = outs " " name[q] "(" seen[name[q]] ")" }
		if (out) printf "left out (ok in fewer than %d runs):%s\n", runs, outs
		if (!rows) { print "coverage.sh: no row was ok in every run" > "/dev/stderr"; exit 1 }
		printf "coverage: ns/call %.1f %% (rows >= 90 %%: %d of %d, lowest %.1f %% %s), " \
			"x ref %.1f %% (rows >= 90 %%: %d of %d, lowest %.1f %% %s), %d runs, %d rows left out\n",
			100 * H / T, good, rows, low, lowrow, RT ? 100 * RH / RT : 0, rgood, rrows, rlow, rlowrow, runs, out
	}'
