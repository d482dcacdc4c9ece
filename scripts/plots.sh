#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# plots.sh [RUN_DIR] [OUT_DIR]: render every plot of a results folder as PNG
# and SVG into OUT_DIR (default RUN_DIR/plots), the history plot when the
# results root has a history.csv, and the report (scbench report).
# plots.sh --history HISTORY_CSV OUT.png|OUT.svg [REGEX]: the history plot alone.
#
# No name or field ever reaches a shell or gnuplot's system(): this script
# validates the CSVs, stages what the plots need (TSV data and a vars.gp of
# gnuplot-quoted strings) in a private folder under /tmp, runs gnuplot there
# with only that folder's path, and moves the finished pictures into place
# in one rename. Bad input (no such folder, missing or malformed CSV, a value
# that is not a finite number, no gnuplot) is one line on stderr and exit 2,
# with nothing written; a plot script that fails is exit 1.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
csv=$here/scripts/csv.sh

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# one line, control bytes shown as ^X (cat -v): a field never drives the
# terminal (a line break in a name is shown as \n, which names keep)
die() { local m="$*"; printf 'scbench plots: %s\n' "$(printf '%s' "${m//$'\n'/\\n}" | cat -v)" >&2; exit 2; }
command -v gnuplot >/dev/null || die "gnuplot not found (make deps installs gnuplot-nox)"
# stages of killed runs: the PID ends each name, so one whose writer is gone
# (and is ours, a real folder) is removed here, at the next run
# an absolute folder: gnuplot takes a file name starting with '<' as a command
tmpd=${TMPDIR:-/tmp}
[[ $tmpd == /* ]] || tmpd=/tmp
scb_sweep_dead "$tmpd"/scbench-plots.*-[0-9]*
stage=$(mktemp -d --suffix=-$$ "$tmpd/scbench-plots.XXXXXX") || die "cannot create a folder under $tmpd"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/out"

check() { # check FILE COLUMNS: header has them, once each; rows are well-formed
	"$csv" "$1" -v check=1 -v want="$2" >/dev/null 2>"$stage/err" ||
		{ local m; m=$(head -1 "$stage/err"); die "${m#csv.awk: }"; }
}
# numbers FILE COLUMNS WHERE POSITIVE: every non-empty value of COLUMNS in the
# rows WHERE selects is a finite number (and > 0 for the POSITIVE columns,
# which go on log axes); else one line naming the file, row and column.
numbers() {
	"$csv" "$1" -v bench=1 -v want="$2" ${3:+-v where="$3"} | POS=$4 FILE=$1 awk -F'\t' '
		NR == 1 { for (i = 1; i <= NF; i++) { col[i] = $i; if (index("," ENVIRON["POS"] ",", "," $i ",")) pos[i] = 1 } next }
		{
			for (i = 2; i <= NF; i++) {
				v = $i
				if (v == "") continue
				if (v !~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ || v + 0 > 1e300 || v + 0 < -1e300) {
					printf "%s: %s: %s is \"%s\", not a finite number\n", ENVIRON["FILE"], $1, col[i], substr(v, 1, 40); exit 1
				}
				if ((i in pos) && v + 0 <= 0) {
					printf "%s: %s: %s is %s; it must be above 0\n", ENVIRON["FILE"], $1, col[i], v; exit 1
				}
			}
		}' >"$stage/err" || die "$(head -1 "$stage/err")"
}
# gpstr NAME VALUE: a gnuplot assignment of VALUE as a double-quoted string
# in which every byte but letters, digits, space and ._,:/+- is an octal
# escape: no quote, backslash or '$' ever reaches gnuplot's parser as such.
# Tabs and line breaks become "\n" (lines of a label). gnuplot reads an
# octal escape with the digits after it ("\0506" is one escape, not "(6"),
# so a digit right after an escape is escaped too.
gpstr() {
	printf '%s = "' "$1"
	printf '%s' "$2" | tr '\t\r' '  ' | od -An -v -to1 | tr -s ' \n' '\n\n' | awk '
		$0 == "" { next }
		{ v = 0; for (i = 1; i <= length($0); i++) v = v * 8 + substr($0, i, 1);
		  if (v == 10) { printf "\\n"; esc = 0 }
		  else if ((v >= 48 && v <= 57 && !esc) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v == 32 || v == 46 || v == 95 || v == 44 || v == 58 || v == 47 || v == 43 || v == 45) { printf "%c", v; esc = 0 }
		  else { printf "\\%s", $0; esc = 1 } }'
	echo '"'
}
gpnum() { printf '%s = %d\n' "$1" "$2"; }
text() { "$here/scripts/plot-text.sh" "$@" 2>"$stage/err" || die "$(head -1 "$stage/err")"; }

# what each plot shows: the SVG's own title (its tooltip)
svgtitle() {
	case $1 in
	cost) if [ "${icount:-0}" = 1 ]; then echo "Guest instructions per call per benchmark"; else echo "Cost of one call per benchmark, with its 95 percent interval"; fi ;;
	ratio) echo "Cost relative to syscall getppid, with its 95 percent interval" ;;
	dist) echo "Distribution of each benchmark's samples" ;;
	counters) echo "Counts per call" ;;
	history) echo "Median cost across runs" ;;
	esac
}
# svgtips SVG NAME: tooltips that say something: gnuplot titles the picture
# "Gnuplot" and every element drawn without a key entry "gnuplot_plot_N"
# (or, with the key off, the raw plot expression): the picture gets what it
# shows, such elements no tooltip
svgtips() {
	sed -E -e "s#<title>Gnuplot</title>#<title>$(svgtitle "$2")</title>#" -e 's#<title>gnuplot_plot_[0-9]+</title>##' "$1" >"$1.tmp" &&
		mv -f "$1.tmp" "$1"
}
render() { # render SCRIPT: PNG and SVG into $stage/out
	local ext
	for ext in png svg; do
		if ! (cd "$here/plots" && gnuplot -c "$1.gp" "$stage" "$stage/out/$1.$ext") 2>"$stage/gnuplot.err"; then
			echo "scbench plots: plots/$1.gp failed: $(grep -v '^ *$' "$stage/gnuplot.err" | tail -1)" >&2
			exit 1
		fi
	done
	svgtips "$stage/out/$1.svg" "$1" || die "cannot write $1.svg"
}

# history HISTORY_CSV REGEX: stage history.tsv and its vars
stage_history() {
	check "$1" time_utc,run,abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi
	numbers "$1" ns_median,ns_ci_lo,ns_ci_hi "" ns_median
	text history "$1" "$2" >"$stage/history.tsv"
	local names host
	names=$(head -1 "$stage/history.tsv" | sed 's/^# names://')
	host=$("$csv" "$1" -v want=host | tail -n +2 | sort -u | head -3 | paste -sd, | sed 's/,/, /g')
	{
		gpstr hnames "$names"
		gpnum hK "$(echo $names | wc -w)"
		gpnum hruns "$("$csv" "$1" -v want=run | tail -n +2 | sort -u | wc -l)"
		gpstr hre "$2"
		gpstr hhost "$host"
	} >>"$stage/vars.gp"
}

if [ "${1:-}" = --history ]; then
	[ $# -ge 3 ] || die "usage: plots.sh --history HISTORY_CSV OUT.png|OUT.svg [REGEX]"
	hist=$2 dest=$3
	re=${4:-'^x86_64/syscall/getppid$|/vdso/clock_gettime$|/int80/getppid$'}
	case $dest in *.png|*.svg) ;; *) die "$dest: the output must end in .png or .svg" ;; esac
	[ -f "$hist" ] || die "$hist: no such file"
	stage_history "$hist" "$re"
	ext=${dest##*.}
	(cd "$here/plots" && gnuplot -c history.gp "$stage" "$stage/out/history.$ext") 2>"$stage/gnuplot.err" ||
		{ echo "scbench plots: plots/history.gp failed: $(grep -v '^ *$' "$stage/gnuplot.err" | tail -1)" >&2; exit 1; }
	[ "$ext" = svg ] && { svgtips "$stage/out/history.svg" history || die "cannot write history.svg"; }
	dtmp=$(mktemp --suffix=-$$ "$(dirname "$dest")/.tmp-history-XXXXXX") && chmod 644 "$dtmp" || die "$dest: cannot write"
	cp "$stage/out/history.$ext" "$dtmp" && mv -fT "$dtmp" "$dest" || { rm -f "$dtmp"; die "$dest: cannot write"; }
	exit 0
fi

run=${1:-results/latest}
out=${2:-$run/plots}
[ -d "$run" ] || die "$run: no such results folder"
for f in summary.csv samples.csv env.csv; do
	[ -r "$run/$f" ] || die "$run/$f: missing"
done
scols=abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref,ratio_ci_lo,ratio_ci_hi
ccols=cycles_user,cycles_kernel,branch_misses_user,branch_misses_kernel,syscalls_per_call,page_faults
check "$run/summary.csv" schema,status,reason,counters_reason,$scols,$ccols
check "$run/samples.csv" schema,abi,mechanism,syscall,ns_per_call
check "$run/env.csv" schema,key,value
# the medians go on log axes; an interval's ends need only be finite: the
# interval (on the logs of the processes' medians) stays above 0, but where
# some process's median is not (the empty loop on a noisy run) it is taken
# linearly and can reach below 0: its whisker is then drawn to the axis'
# left edge, the label giving the interval as it is
numbers "$run/summary.csv" "${scols#abi,mechanism,syscall,},$ccols" status=ok ns_median,ns_ci_hi,ratio_to_ref,ratio_ci_hi
numbers "$run/samples.csv" ns_per_call "" ""

# the data, as the plot scripts read it: the rows family by family (the
# report's order, scripts/families.awk), each with the height y it is drawn
# at, a slot above each family for its heading (families.tsv)
"$csv" "$run/summary.csv" -v empty=NaN -v want="$scols,$ccols" -v where=status=ok |
	awk -F'\t' -v mode=group -f "$here/scripts/families.awk" |
	awk -F'\t' -v OFS='\t' -v heads="$stage/families.tsv" '
		NR == 1 { print $0, "y"; print "y\tfamily" >heads; next }
		$NF != fam { fam = $NF; print y + 0, fam >heads; y++ }
		{ print $0, y++ }' >"$stage/summary.tsv"
"$csv" "$run/samples.csv" -v bench=1 -v empty=NaN -v want=ns_per_call >"$stage/samples.tsv"
# each benchmark's samples (those above 0: a log axis) as a box plot's
# numbers, drawn at its row's height: quartiles by linear interpolation,
# whiskers at the farthest samples within 1.5 IQR of the box, and the
# samples beyond them (outliers.tsv) each where it lies. Computed here, not
# by gnuplot's boxplot style, which spreads outliers of near-equal value
# sideways, across the neighbouring columns. A benchmark with samples but no
# measured row (noisy, say) goes under a heading of its own, at the end.
cp "$stage/families.tsv" "$stage/dheads.tsv"
awk -F'\t' 'NR > 1 && $2 != "NaN" && $2 + 0 > 0' "$stage/samples.tsv" | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2g |
	awk -F'\t' -v OFS='\t' -v sum="$stage/summary.tsv" -v heads="$stage/dheads.tsv" -v outl="$stage/outliers.tsv" '
		function q(p,    h, i) { h = (n - 1) * p + 1; i = int(h); return i >= n ? x[n] : x[i] + (h - i) * (x[i + 1] - x[i]) }
		function flush(    q1, q3, lo, hi, i, yy) {
			if (n == 0) return
			if (cur in yat) yy = yat[cur]
			else { if (!extra) { print ny, "samples of rows not measured cleanly" >>heads; ny++; extra = 1 } yy = ny++ }
			q1 = q(0.25); q3 = q(0.75); lo = hi = ""
			for (i = 1; i <= n; i++) {
				if (x[i] < q1 - 1.5 * (q3 - q1) || x[i] > q3 + 1.5 * (q3 - q1)) { print yy, x[i] >outl; continue }
				if (lo == "") lo = x[i]
				hi = x[i]
			}
			print cur, cur ~ /^i386\// ? 1 : 0, yy, q1, q(0.5), q3, lo, hi
			n = 0
		}
		BEGIN {
			print "y\tv" >outl
			print "bench\ti386\ty\tq1\tmed\tq3\tlo\thi"
			while ((getline line <sum) > 0) {
				m = split(line, f, "\t")
				if (f[1] == "abi") { for (i = 1; i <= m; i++) c[f[i]] = i; continue }
				yat[f[c["abi"]] "/" f[c["mechanism"]] "/" f[c["syscall"]]] = f[c["y"]]; ny = f[c["y"]] + 1
			}
		}
		$1 != cur { flush(); cur = $1 }
		{ x[++n] = $2 + 0 }
		END { flush(); print ny >"/dev/stderr" }' >"$stage/boxes.tsv" 2>"$stage/nyd" ||
	die "cannot stage the samples' box plots"
count() { text count "$run/summary.csv" "$@"; }
# an icount run (QEMU -icount, shift=0): its "ns" are guest instructions
icount=$("$csv" "$run/env.csv" -v want=key,value | awk -F'\t' '$1 == "clock" && $2 ~ /^icount/ { i = 1 } END { print i + 0 }')
unsup=$(text unsupported "$run")
{
	gpstr title "$(text title "$run")"
	gpstr unsup "$unsup"
	gpnum nu "$(printf '%s' "$unsup" | grep -c .)"
	gpnum N "$(count ns_median status=ok)"
	gpnum N32 "$(count ns_median abi=i386)"
	gpnum HW "$(count cycles_kernel status=ok)"
	gpnum SW "$(count syscalls_per_call status=ok)"
	# wrapped: it names the counters it lacks, which can run past the width
	gpstr reason "$("$csv" "$run/summary.csv" -v want=counters_reason -v where=status=ok | sed -n 2p | fold -s -w 64)"
	gpnum neg "$(awk -F'\t' 'NR > 1 && $2 != "NaN" && $2 <= 0' "$stage/samples.tsv" | wc -l)"
	# the rows' slots, headings included (the box plots may add some)
	gpnum NY "$(awk -F'\t' 'NR > 1 { n = $NF + 1 } END { print n + 0 }' "$stage/summary.tsv")"
	gpnum NYD "$(cat "$stage/nyd")"
	gpnum icount "$icount"
} >"$stage/vars.gp"
hist=$(dirname "$run")/history.csv
[ -r "$hist" ] && stage_history "$hist" '^x86_64/syscall/getppid$|/vdso/clock_gettime$|/int80/getppid$'

for p in cost ratio dist counters; do
	render "$p"
done
[ -r "$hist" ] && render history
"${SCBENCH:-$here/build/scbench}" report --plots "$stage/out" --plots-link "$(realpath -m --relative-to="$run" "$out" 2>/dev/null || echo plots)" -- "$run" || exit $?

# into place: a sibling temporary folder renamed over the old one
parent=$(dirname "$out")
mkdir -p "$parent" || die "$out: cannot create"
new=$(mktemp -d --suffix=-$$ "$parent/.tmp-plots-XXXXXX") && chmod 755 "$new" || die "$out: cannot write"
old=$parent/.old-plots-${new##*/.tmp-plots-}
cp -r "$stage/out/." "$new" || { rm -rf "$new"; die "$out: cannot write"; }
[ -e "$out" ] && { mv -T "$out" "$old" || { rm -rf "$new"; die "$out: cannot replace"; }; }
mv -T "$new" "$out" && rm -rf "$old"
printf 'scbench: report in %s/report.html, plots in %s\n' "$run" "$out" >&2
