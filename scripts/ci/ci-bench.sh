#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci-bench.sh: the suite as a CI gate (make ci-bench).
#   1. a quick run (BENCH_ARGS adds options) into RESULTS (default results)
#   2. compared against BASELINE (default RESULTS/baseline) with
#      `scbench compare` (COMPARE_ARGS adds options, e.g. --normalize);
#      without a baseline, this run becomes it
#   3. appended to RESULTS/history.csv (time, commit, machine fingerprint,
#      medians), and RESULTS/history.png rendered from it
# Exit: compare's status (0 no regression, 1 regression, 2 bad input).
# CI_SUMMARY=FILE appends a Markdown summary that starts with the verdict
# (GitHub's $GITHUB_STEP_SUMMARY); HISTORY_MAX_RUNS=N keeps the last N runs
# in history.csv (default: all).
#
# Safe to interrupt and to run twice at once: the run is written into a
# private folder and renamed into RESULTS (its name is known, results/latest
# is never read back); the baseline appears by rename, and one that is
# empty or lacks a CSV (an interrupted first run) is set aside with a
# warning and replaced; the history and baseline steps each hold an flock
# on the RESULTS folder itself, so concurrent runs go one after the other.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SCBENCH:-$here/build/scbench}
results=${RESULTS:-results}
baseline=${BASELINE:-$results/baseline}
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
say() { scb_line "scbench ci-bench" "$@"; }

# knobs first, before anything is measured or written
if [ -n "${HISTORY_MAX_RUNS:-}" ]; then
	[[ $HISTORY_MAX_RUNS =~ ^[1-9][0-9]{0,6}$ ]] ||
		{ say "HISTORY_MAX_RUNS='$HISTORY_MAX_RUNS': a whole number of runs, 1 to 9999999"; exit 2; }
fi
[ -x "$bin" ] || { say "SCBENCH=$bin is not an executable"; exit 2; }
# a baseline is a folder; anything else by that name is the user's, not ours
{ [ -e "$baseline" ] || [ -L "$baseline" ]; } && { [ ! -d "$baseline" ] || [ -L "$baseline" ]; } &&
	{ say "BASELINE=$baseline exists and is not a folder: refused (nothing renamed)"; exit 2; }
mkdir -p "$results" || { say "$results: cannot create"; exit 2; }
# what a killed ci-bench left (its PID ends each name): removed when that
# writer is gone and the entry is ours
scb_sweep_dead "$results"/.tmp-ci-*-[0-9]* "$results"/.tmp-history-*-[0-9]* "$results"/.tmp-baseline-*-[0-9]*
# made exclusively (mktemp): a planted name is never followed; the PID
# ends the name, so a later run sees when its writer is gone
priv=$(mktemp -d --suffix=-$$ "$results/.tmp-ci-XXXXXX") || { say "$results: cannot make a scratch folder"; exit 2; }
trap 'rm -rf "$priv"' EXIT
# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
"$bin" run --quick --no-table --out "$priv" ${BENCH_ARGS:-} || { say "the run failed ($bin run, exit $?)"; exit 2; }
name=$(cd "$priv" && for d in */; do [ "$d" != "latest/" ] && echo "${d%/}"; done | head -1)
[ -n "$name" ] && [ -f "$priv/$name/summary.csv" ] || { say "the run left no results folder"; exit 2; }
# into RESULTS under its own name (-2, -3 ... when another run took it)
for n in "" -2 -3 -4 -5 -6 -7 -8 -9; do
	[ -e "$results/$name$n" ] && continue
	mv -T --no-clobber "$priv/$name" "$results/$name$n" 2>/dev/null
	[ -e "$priv/$name" ] || { name=$name$n; break; }
done
run=$results/$name
[ -e "$priv/$name" ] && { say "$run: cannot move the run into place"; exit 2; }
say "results in $run"
ln -sfn "$name" "$priv/latest" && mv -T "$priv/latest" "$results/latest"

# history.csv: one row per measured row and run, appended by `scbench
# history` (the results model owns its columns; it rewrites the file beside
# itself and renames it into place, under an flock on RESULTS, so
# concurrent runs append one after the other; a history.csv that is a link
# or not a regular file is refused)
hist=$results/history.csv
"$bin" history --name "$name" ${HISTORY_MAX_RUNS:+--max-runs "$HISTORY_MAX_RUNS"} "$run" "$hist" ||
	{ say "$hist: not appended (scbench history, exit $?)"; exit 2; }

# the baseline step's lock is the results folder itself: no file is
# created, so there is no name to plant a link at
exec 9<"$results" && flock 9 || { say "$results: cannot lock"; exit 2; }

complete() { [ -s "$1/summary.csv" ] && [ -s "$1/samples.csv" ] && [ -s "$1/env.csv" ]; }
if [ -e "$baseline" ] && ! complete "$baseline"; then
	# set aside only what is plainly a broken baseline of ours: empty, or
	# nothing in it but the CSVs a baseline holds
	[ -z "$(ls -A "$baseline" | grep -vxE '(summary|samples|processes|env)\.csv')" ] ||
		{ say "$baseline is not a baseline (it holds other files): left alone"; exit 2; }
	aside=$baseline.broken-$$
	say "warning: $baseline is empty or incomplete (an interrupted first run?); set aside as $aside and replaced by this run"
	mv -T "$baseline" "$aside" || { say "$baseline: cannot set it aside"; exit 2; }
fi
if [ -e "$baseline" ]; then
	# shellcheck disable=SC2086 # COMPARE_ARGS is a list of options
	"$bin" compare ${COMPARE_ARGS:-} "$baseline" "$run"
	rc=$?
	if [ -n "${CI_SUMMARY:-}" ]; then
		case $rc in
		0) verdict="no regression" ;;
		1) verdict="REGRESSION: slower kernel entry" ;;
		*) verdict="bad input: the comparison could not be made" ;;
		esac
		# shellcheck disable=SC2086
		{ printf '## scbench timing: %s\n\n' "$verdict"
		  "$bin" compare ${COMPARE_ARGS:-} --format markdown "$baseline" "$run" 2>&1; } >>"$CI_SUMMARY"
	fi
else
	tmpb=$(mktemp -d --suffix=-$$ "$(dirname "$baseline")/.tmp-baseline-XXXXXX") && chmod 755 "$tmpb" && cp "$run"/*.csv "$tmpb"/ && mv -T "$tmpb" "$baseline" ||
		{ rm -rf "$tmpb"; say "$baseline: cannot create"; exit 2; }
	say "no baseline yet: this run is now $baseline"
	[ -n "${CI_SUMMARY:-}" ] && printf '## scbench timing: no baseline yet\n\nThis run is now the baseline.\n' >>"$CI_SUMMARY"
	rc=0
fi
if command -v gnuplot >/dev/null; then
	"$bin" plots --history "$hist" "$results/history.png" ||
		say "warning: could not render $results/history.png"
fi
exit $rc
