#!/usr/bin/env bash
# ci-bench.sh: the suite as a CI gate (make ci-bench).
#   1. a quick run (BENCH_ARGS adds options) into RESULTS (default results)
#   2. compared against BASELINE (default RESULTS/baseline) with
#      `scbench compare` (COMPARE_ARGS adds options, e.g. --normalize);
#      without a baseline, this run becomes it
#   3. appended to RESULTS/history.csv (time, commit, machine fingerprint,
#      medians), and RESULTS/history.png rendered from it
# Exit: compare's status (0 no regression, 1 regression, 2 bad input).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SCBENCH:-$here/build/scbench}
results=${RESULTS:-results}
baseline=${BASELINE:-$results/baseline}

"$bin" run --quick --no-table --out "$results" ${BENCH_ARGS:-} || exit 2
run=$(cd "$results" && cd "$(readlink latest)" && pwd)

# history.csv: one row per benchmark and run
hist=$results/history.csv
sel() { awk -f "$here/scripts/csv.awk" "$@"; }
if [ ! -s "$hist" ]; then
	echo "schema,time_utc,run,commit,fingerprint,host,abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref" >"$hist"
fi
env_tsv=$(sel -v want=key,value "$run/env.csv")
get() { echo "$env_tsv" | awk -F'\t' -v k="$1" '$1 == k { print $2; exit }'; }
fingerprint=$(printf '%s|%s|%s|%s' "$(get cpu_model)" "$(get cpu_microcode)" "$(get kernel_release)" \
	"$(get kernel_cmdline)" | cksum | cut -d' ' -f1)
sel -v want=abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref -v where=status=ok "$run/summary.csv" |
	awk -F'\t' -v t="$(get time_utc)" -v r="$(basename "$run")" -v c="$(get git_commit)" -v f="$fingerprint" -v h="$(get hostname)" '
		function q(s) { if (s ~ /[",\r\n]/) { gsub(/"/, "\"\"", s); s = "\"" s "\"" } return s }
		NR > 1 { printf "1,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", q(t), q(r), q(c), f, q(h), $1, $2, $3, $4, $5, $6, $7 }' >>"$hist"

if [ -d "$baseline" ]; then
	"$bin" compare ${COMPARE_ARGS:-} "$baseline" "$run"
	rc=$?
else
	mkdir -p "$baseline" && cp "$run"/*.csv "$baseline"/
	echo "scbench: no baseline yet: this run is now $baseline" >&2
	rc=0
fi
if command -v gnuplot >/dev/null; then
	gnuplot -c "$here/plots/history.gp" "$hist" "$results/history.png" ||
		echo "scbench: warning: could not render $results/history.png" >&2
fi
exit $rc
