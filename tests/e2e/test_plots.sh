#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_plots.sh BUILD: every plot renders from the committed samples to a real
# picture (PNG of the right width, with ink and colours: tests/tools/pngstat.c)
# and SVG; also from a run without counters or i386 rows; and bad input (no
# gnuplot, missing or malformed CSV) is one line and a non-zero exit. The
# plots are `scbench plots` (harness/plots.c).
set -u
. "$(dirname "$0")/tap.sh"
build=$1
scb=$(cd "$build" && pwd)/scbench

if ! command -v gnuplot >/dev/null; then
	echo "not ok 1 - gnuplot is not installed (make deps installs gnuplot-nox)"
	echo "1..1"; exit 1
fi

picture() { # picture PNG MIN_HEIGHT: width 1200, some ink, several colours
	local s w h ink col
	s=$("$build/tests/pngstat" "$1" 2>&1) || { ok 1 "$1: $s"; return; }
	read -r w h ink col <<<"$s"
	awk -v w="$w" -v h="$h" -v ink="$ink" -v col="$col" -v minh="$2" \
		'BEGIN { exit !(w == 1200 && h >= minh && ink > 0.01 && ink < 0.7 && col >= 20) }'
	ok $? "$(basename "$(dirname "$(dirname "$1")")")/$(basename "$1"): ${w}x${h}, ink $ink, $col colours"
}

for sample in sample sample-qemu-amd; do
	run=$tmp/$sample
	cp -r "$here/results/$sample" "$run"
	"$scb" plots "$run" >"$tmp/log" 2>&1
	ok $? "scbench plots renders results/$sample ($(tail -1 "$tmp/log"))"
	for p in cost ratio dist counters; do
		picture "$run/plots/$p.png" 400
		grep -q '<svg' "$run/plots/$p.svg" 2>/dev/null
		ok $? "$sample/plots/$p.svg is SVG"
	done
	[ -s "$run/report.md" ] && grep -q '^## Results' "$run/report.md" && grep -q 'x86_64/syscall/getppid' "$run/report.md"
	ok $? "$sample/report.md has the results table"
	grep -q 'data:image/png;base64,' "$run/report.html" && ! grep -q 'src="plots/' "$run/report.html"
	ok $? "$sample/report.html is self-contained (plots embedded)"
done
# i386 rows, where measured, are drawn in their own colour (#ee7733)
grep -q "rgb(238, 119, *51)" "$tmp/sample-qemu-amd/plots/cost.svg" && grep -q "rgb(238, 119, *51)" "$tmp/sample-qemu-amd/plots/ratio.svg" &&
	! grep -q "rgb(238, 119, *51)" "$tmp/sample/plots/cost.svg"
ok $? "cost and ratio draw the guest's i386 rows in the i386 colour (and the host sample has none)"
grep -q 'Not measured' "$tmp/sample/report.md" && grep -q '32-bit emulation is disabled' "$tmp/sample/report.md"
ok $? "the host sample's report lists the unsupported rows with their reasons"
grep -q 'i386/kernel_vsyscall/getppid' "$tmp/sample-qemu-amd/report.md" && grep -q 'uses syscall' "$tmp/sample-qemu-amd/report.md"
ok $? "the guest sample's report has the i386 rows and the stub's instruction"

# what the pictures say (their SVG text): every interval in the value
# labels, readable where it is narrower than the dot (the host sample's
# null syscall: 839 ns, 838 to 840); rows without a ratio say why; rows under
# family headings; tooltips with words, not gnuplot's names or expressions;
# no title line longer than the picture is wide
grep -q '839 ns  \[838 – 840\]' "$tmp/sample/plots/cost.svg"
ok $? "cost labels each median with its interval (839 ns  [838 – 840]: narrower than the dot)"
grep -q 'the loop alone: no ratio worth a point' "$tmp/sample-qemu-amd/plots/ratio.svg"
ok $? "ratio says why the empty loop's rows have no dot"
for p in cost ratio dist counters; do grep -q '>The legacy interrupt gate, int \$0x80<' "$tmp/sample-qemu-amd/plots/$p.svg" || break; done
ok $? "every plot groups its rows under the report's family headings (checked: $p)"
bad_tip=$(grep -ho '<title>[^<]*</title>' "$tmp"/sample*/plots/*.svg | grep -E 'gnuplot_plot|Gnuplot|column\(|using ' | head -1)
[ -z "$bad_tip" ]
ok $? "no SVG tooltip is gnuplot's name or a plot expression (${bad_tip:-none})"
# nothing runs past a picture's edges: a plot keeps margins, so ink in its
# outermost columns is cut text (counters.png's title, which named the
# counters it lacked; a long title centred on the plot area; the last tic)
edges() { # edges PNG...: the first picture with ink at its left or right edge
	local f e
	for f in "$@"; do
		e=$("$build/tests/pngstat" --edges "$f") || { echo "$f: $e"; return 1; }
		[ "$e" = "0 0" ] || { echo "$(basename "$(dirname "$(dirname "$f")")")/$(basename "$f"): ink at the edges (left right: $e)"; return 1; }
	done
}
long=$(edges "$tmp"/sample*/plots/*.png)
ok $? "no text in a plot runs past its edges (${long:-every picture keeps its margins})"
# dist: every sample beyond the whiskers (the grey dots, #555555) sits on a
# benchmark's row, at a tick of the row axis: gnuplot's boxplot style used
# to spread near-equal outliers sideways, across the neighbouring columns
# (i386/empty/none's low samples ran under the other i386 rows)
onrow() {
	awk '
		/text-anchor="end"/ && match($0, /d=.M[0-9.]+,[0-9.]+  .\/>/) { s = substr($0, RSTART, RLENGTH); sub(/.*,/, "", s); row[++nr] = s + 0 }
		/<use xlink:href=.#gpPt6. / && /rgb\( 85,  85,  85\)/ { s = $0; sub(/.*translate\([0-9.]+,/, "", s); pt[++np] = s + 0 }
		END {
			for (i = 1; i <= np; i++) { best = 1e9; for (j = 1; j <= nr; j++) { d = pt[i] - row[j]; if (d < 0) d = -d; if (d < best) best = d }
				if (best > 0.5) { printf "a dot %.1f px off every row\n", best; exit 1 } }
			printf "%d dots on %d rows\n", np, nr; exit !(np > 0 && nr > 0)
		}' "$1"
}
m=$(onrow "$tmp/sample-qemu-amd/plots/dist.svg")
ok $? "dist draws each outlier on its own benchmark's row ($m)"
# an icount run: guest instructions on every axis, never ns
ic=$tmp/icount
cp -r "$here/results/icount-baseline/intel" "$ic"
"$scb" plots "$ic" >/dev/null 2>"$tmp/err"
ok $? "the icount baseline renders ($(head -c 100 "$tmp/err"))"
grep -q 'guest instructions per call' "$ic/plots/cost.svg" && grep -q 'guest instructions per call' "$ic/plots/dist.svg" &&
	grep -q 'guest instructions of a syscall' "$ic/plots/ratio.svg" &&
	! grep -Eq '(^|[^a-z])ns per call|[0-9] ns' "$ic"/plots/*.svg
ok $? "an icount run's plots count guest instructions and say ns nowhere"
# its title is the longest here (the Intel model's, with "2 vulnerable"):
# gnuplot's own title, centred on the plot area, ran off the right edge
long=$(edges "$ic"/plots/*.png)
ok $? "no text in the icount plots runs past their edges (${long:-every picture keeps its margins})"

# a run with neither counters nor i386 rows
"$build/scbench" run --quick --runs 20 --counter-runs 0 --filter '^x86_64/(syscall|vdso)/' --out "$tmp/plain" --no-table >/dev/null 2>&1
"$scb" plots "$tmp/plain/latest" >/dev/null 2>"$tmp/err"
ok $? "a run without counters or i386 rows renders ($(head -c 100 "$tmp/err"))"
picture "$tmp/plain/latest/plots/counters.png" 200

# history: three runs made from the sample's real medians
hist=$tmp/hist
mkdir -p "$hist/r"
{
	echo "schema,time_utc,run,commit,fingerprint,host,abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref"
	for i in 1 2 3; do
		csv_sel "$here/results/sample/summary.csv" -v want=abi,mechanism,syscall,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref \
			-v where=status=ok |
			awk -F'\t' -v i="$i" 'NR > 1 { printf "1,2026-01-0%dT00:00:00Z,run%d,c%d,f,h,%s,%s,%s,%s,%s,%s,%s\n", i, i, i, $1, $2, $3, $4, $5, $6, $7 }'
	done
} >"$hist/history.csv"
"$scb" plots --history "$hist/history.csv" "$tmp/history.png" 2>"$tmp/err"
ok $? "scbench plots --history renders a history.csv ($(head -c 100 "$tmp/err"))"
picture "$tmp/history.png" 400

# bad input: one line, non-zero
bad() { # bad DESCRIPTION COMMAND...
	local d=$1; shift
	"$@" >/dev/null 2>"$tmp/err"; local rc=$?
	[ $rc -ne 0 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
	ok $? "$d: exit $rc, one line: $(head -c 120 "$tmp/err")"
}
bad "no such folder" "$scb" plots "$tmp/nope"
mkdir -p "$tmp/broken"
cp "$here/results/sample/"*.csv "$tmp/broken/"
rm "$tmp/broken/samples.csv"
bad "missing samples.csv" "$scb" plots "$tmp/broken"
cp "$here/results/sample/samples.csv" "$tmp/broken/"
printf '1,x86_64,syscall\n' >>"$tmp/broken/summary.csv"
bad "a short row in summary.csv" "$scb" plots "$tmp/broken"
grep -Eq 'summary\.csv:[0-9]+: ' "$tmp/err"
ok $? "the message names the line"
cp "$here/results/sample/summary.csv" "$tmp/broken/"
sed -i '2s/^1,/2,/' "$tmp/broken/summary.csv"
bad "a schema this version can't read" "$scb" plots "$tmp/broken"
cp "$here/results/sample/summary.csv" "$tmp/broken/"
printf 'a,b\n1,2\n' >"$tmp/broken/env.csv"
bad "env.csv without its columns" "$scb" plots "$tmp/broken"
grep -q "env.csv: no column 'schema'" "$tmp/err"
ok $? "the message names the file and the missing column"
mkdir -p "$tmp/nognuplot"
for t in awk sed dirname realpath base64 mkdir cat head tail wc grep rm; do ln -sf "$(command -v $t)" "$tmp/nognuplot/$t"; done
bad "gnuplot missing" env PATH="$tmp/nognuplot" "$scb" plots "$here/results/sample"
grep -q 'gnuplot' "$tmp/err"
ok $? "the message says gnuplot is missing"

# hostile folder names: nothing they hold is ever run, and every plot and the
# report still come out (or one line says why not)
# (a command that ran would create PWNED in the folder it ran in, or in /tmp)
mkdir -p "$tmp/hostile"
pwn=$tmp/hostile/PWNED
build_abs=$(cd "$build" && pwd)
for name in "q'\$(touch PWNED)'x" 'b`touch PWNED`k' "semi; touch PWNED;" "d\"\$(touch PWNED)\"" "with space" $'new\nline' "-lead" "p|ipe<x>&" "x=y"; do
	d=$tmp/hostile/$name
	cp -r "$here/results/sample" "$d"
	(cd "$tmp/hostile" && "$scb" plots "./$name" >/dev/null 2>"$tmp/err"); rc=$?
	[ $rc -eq 0 ] && [ ! -e "$pwn" ] && [ ! -e /tmp/PWNED ] && [ -s "$d/plots/cost.png" ] && [ -s "$d/report.html" ] && ! ls -A "$d" | grep -q '^\.'
	ok $? "folder named $(printf %q "$name"): plots and report, nothing run, no leftovers (exit $rc)"
	(cd "$tmp/hostile" && "$build_abs/scbench" compare "./$name" "./$name" >/dev/null 2>&1; [ $? -le 1 ]) && [ ! -e "$pwn" ]
	ok $? "compare reads the folder named $(printf %q "$name"), nothing run"
done
# the history too, with a hostile name and a hostile regex
cp "$hist/history.csv" "$tmp/hostile/q'\$(touch PWNED)'.csv"
(cd "$tmp/hostile" && "$scb" plots --history "q'\$(touch PWNED)'.csv" "h'\$(touch PWNED)'.svg" "'\$(touch PWNED)'|getppid") 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && [ ! -e "$pwn" ] && grep -q '<svg' "$tmp/hostile/h'\$(touch PWNED)'.svg"
ok $? "history with hostile file names and regex: rendered, nothing run (exit $rc)"

# every field of the CSV dialect compare reads: a quoted newline and a '|'
# in a reason; the report escapes the cell, plots render
q=$tmp/quoted
cp -r "$here/results/sample" "$q"
awk 'BEGIN { FS = OFS = "," } NR > 1 && !done && /unsupported/ { sub(/unsupported,[^,]*,/, "unsupported,\"two\nlines | and a pipe\","); done = 1 } 1' \
	"$here/results/sample/summary.csv" >"$q/summary.csv"
"$scb" plots "$q" >/dev/null 2>"$tmp/err"
ok $? "a quoted newline in a field is read ($(head -c 100 "$tmp/err"))"
grep -q '| two lines \\| and a pipe |' "$q/report.md" && [ "$(grep -c '^| ' "$q/report.md")" -eq "$(grep -c '^| ' "$tmp/sample/report.md")" ]
ok $? "report.md escapes the '|' and keeps one table line per row"
"$build/scbench" compare "$here/results/sample" "$q" >/dev/null 2>&1
[ $? -le 1 ]
ok $? "compare reads the same file"

# values that can't be plotted: one line, exit 2, nothing written
for v in inf nan -3 abc 1e999; do
	b=$tmp/badnum
	rm -rf "$b"; cp -r "$here/results/sample" "$b"
	awk -F, -v v="$v" 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ns_median") c = i } NR == 2 { $c = v } 1' \
		"$here/results/sample/summary.csv" >"$b/summary.csv"
	bad "ns_median = $v" "$scb" plots "$b"
	[ ! -e "$b/plots" ] && [ ! -e "$b/report.md" ]
	ok $? "ns_median = $v: no partial plots or report"
done
# an interval reaching below 0 (a noisy run's few processes, t(k-1)): the
# whisker runs to the axis' edge, the label says the interval as it is
b=$tmp/neglo
rm -rf "$b"; cp -r "$here/results/sample-qemu-amd" "$b"
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { $c["ns_ci_lo"] = -24; $c["ratio_ci_lo"] = -0.05 } 1' \
	"$here/results/sample-qemu-amd/summary.csv" >"$b/summary.csv"
"$scb" plots "$b" >/dev/null 2>"$tmp/err" && grep -q '514 ns  \[-24 – 520\]' "$b/plots/cost.svg"
ok $? "an interval below 0 is drawn to the axis' edge and labelled as it is ($(head -c 100 "$tmp/err"))"
# a 1 MB field: the reader (the results model's, through export --format
# tsv) is linear
big=$tmp/big.csv
{ echo "schema,reason,x"; printf '1,"'; head -c 1000000 /dev/zero | tr '\0' a; printf '",3\n'; } >"$big"
start=$(date +%s%N)
v=$(csv_sel "$big" -v want=x -v check=1 | tail -1)
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$v" = 3 ]
ok $? "a 1 MB field is read whole ($ms ms)"

tap_done
