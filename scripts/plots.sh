#!/usr/bin/env bash
# plots.sh [RUN_DIR] [OUT_DIR]: render every plot of a results folder as PNG
# and SVG into OUT_DIR (default RUN_DIR/plots), the history plot when the
# results root has a history.csv, and the report (scripts/report.sh).
# Bad input (no such folder, missing or malformed CSV, no gnuplot) is one
# line on stderr and exit 2; a plot script that fails is exit 1.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
run=${1:-results/latest}
out=${2:-$run/plots}

die() { echo "scbench plots: $*" >&2; exit 2; }
command -v gnuplot >/dev/null || die "gnuplot not found (make deps installs gnuplot-nox)"
[ -d "$run" ] || die "$run: no such results folder"
for f in summary.csv samples.csv env.csv; do
	[ -r "$run/$f" ] || die "$run/$f: missing"
done
check() { # check FILE COLUMNS: header has them, rows are well-formed
	awk -f "$here/scripts/csv.awk" -v check=1 -v want="$2" "$1" >/dev/null 2>"$out.err" ||
		{ local m; m=$(head -1 "$out.err"); rm -f "$out.err"; die "${m#csv.awk: }"; }
	rm -f "$out.err"
}
mkdir -p "$out" || die "$out: cannot create"
check "$run/summary.csv" schema,abi,mechanism,syscall,status,reason,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref
check "$run/samples.csv" schema,abi,mechanism,syscall,ns_per_call
check "$run/env.csv" schema,key,value

render() { # render SCRIPT ARG: PNG and SVG
	for ext in png svg; do
		if ! gnuplot -c "$here/plots/$1.gp" "$2" "$out/$1.$ext" 2>"$out/.gnuplot.err"; then
			echo "scbench plots: plots/$1.gp failed on $2: $(grep -v '^ *$' "$out/.gnuplot.err" | tail -1)" >&2
			rm -f "$out/.gnuplot.err"
			exit 1
		fi
	done
	rm -f "$out/.gnuplot.err"
}
for p in cost ratio dist counters; do
	render "$p" "$run"
done
hist=$(dirname "$run")/history.csv
if [ -r "$hist" ]; then
	check "$hist" time_utc,run,abi,mechanism,syscall,ns_median
	render history "$hist"
fi
"$here/scripts/report.sh" "$run" "$out" || exit 1
echo "scbench: plots and report in $out" >&2
