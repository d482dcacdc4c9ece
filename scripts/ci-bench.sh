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
# warning and replaced; the baseline and history steps hold an flock on
# the RESULTS folder itself, so concurrent runs append one after the other.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SCBENCH:-$here/build/scbench}
results=${RESULTS:-results}
baseline=${BASELINE:-$results/baseline}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
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

# the lock is the results folder itself: no file is created, so there is
# no name to plant a link at
exec 9<"$results" && flock 9 || { say "$results: cannot lock"; exit 2; }

# history.csv: one row per benchmark and run, rewritten whole into a
# temporary file of ours and renamed into place (never written through a
# name someone could have linked elsewhere)
hist=$results/history.csv
if [ -L "$hist" ] || { [ -e "$hist" ] && [ ! -f "$hist" ]; }; then
	say "$hist is not a regular file (a link?): refused"
	exit 2
fi
sel() { local f=${!#}; "$here/scripts/csv.sh" "$f" "${@:1:$#-1}"; }
htmp=$(mktemp --suffix=-$$ "$results/.tmp-history-XXXXXX") || { say "$results: cannot make a temporary file"; exit 2; }
trap 'rm -rf "$priv" "$htmp"' EXIT
chmod 644 "$htmp"
if [ -s "$hist" ]; then
	cat -- "$hist" >"$htmp"
else
	echo "schema,time_utc,run,commit,fingerprint,host,abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref" >"$htmp"
fi
env_tsv=$(sel -v want=key,value "$run/env.csv")
get() { printf '%s\n' "$env_tsv" | awk -F'\t' -v k="$1" '$1 == k { print $2; exit }'; }
fingerprint=$(printf '%s|%s|%s|%s' "$(get cpu_model)" "$(get cpu_microcode)" "$(get kernel_release)" \
	"$(get kernel_cmdline)" | cksum | cut -d' ' -f1)
rows=$(sel -v want=abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref -v where=status=ok "$run/summary.csv" |
	T=$(get time_utc) R=$name C=$(get git_commit) F=$fingerprint H=$(get hostname) awk -F'\t' '
		function q(s) { if (s ~ /[",\r\n]/) { gsub(/"/, "\"\"", s); s = "\"" s "\"" } return s }
		NR > 1 { printf "1,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", q(ENVIRON["T"]), q(ENVIRON["R"]), q(ENVIRON["C"]),
			ENVIRON["F"], q(ENVIRON["H"]), $1, $2, $3, $4, $5, $6, $7 }')
[ -n "$rows" ] && printf '%s\n' "$rows" >>"$htmp"
if [ -n "${HISTORY_MAX_RUNS:-}" ]; then
	# keep the header and the rows of the newest N runs (by order appended)
	htmp2=$(mktemp --suffix=-$$ "$results/.tmp-history-XXXXXX") || { say "$results: cannot make a temporary file"; exit 2; }
	trap 'rm -rf "$priv" "$htmp" "$htmp2"' EXIT
	chmod 644 "$htmp2"
	keep=$(sel -v want=run "$htmp" | tail -n +2 | awk '!seen[$0]++' | tail -n "$HISTORY_MAX_RUNS")
	KEEP=$keep awk -F, 'BEGIN { n = split(ENVIRON["KEEP"], k, "\n"); for (i = 1; i <= n; i++) want[k[i]] = 1 }
		NR == 1 || ($3 in want)' "$htmp" >"$htmp2" && mv -fT "$htmp2" "$htmp"
fi
mv -fT "$htmp" "$hist" || { say "$hist: cannot write"; exit 2; }

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
	"$here/scripts/plots.sh" --history "$hist" "$results/history.png" ||
		say "warning: could not render $results/history.png"
fi
exit $rc
