# SPDX-License-Identifier: MIT
# history.gp STAGE OUT: the cost of selected benchmarks across runs, from a
# history.csv (make ci-bench appends to it) staged by scbench plots: the
# median of each run with its 95% interval, one line per benchmark, the x
# axis labelled with each run's date and commit. STAGE holds history.tsv
# and vars.gp (hnames, hK, hruns, hre, hhost): see common.gp.
nargs = ARGC; dir = ARG1; out = ARG2
W = 1200
H = 650
load "common.gp"
load dir."/vars.gp"
src = dir."/history.tsv"
set title sprintf("History: cost per call over %d runs", hruns)."\n".hhost
set xlabel "run (date, commit; oldest first)"
set ylabel "ns per call, median and 95% interval (log scale)"
set logscale y
set format y "%g"
set xtics rotate by 30 right noenhanced font ",8"
set key outside top center horizontal noenhanced
set grid ytics lc "#dddddd"
unset datafile columnheaders
set datafile commentschars "#"
# colours that read on white (Paul Tol's bright scheme, no yellow)
array hc[6] = ["#4477aa", "#ee6677", "#228833", "#aa3377", "#66ccee", "#bbbbbb"]
if (hK == 0) {
	set label 1 "No benchmark in this history matches '".hre."'" at graph 0.5, graph 0.5 center noenhanced
	set xrange [0:1]
	plot NaN notitle
} else {
	set xrange [0.5:hruns + 0.5]
	plot for [i = 0:hK - 1] src index i using 1:2:3:4:xtic(5) with yerrorlines lw 1.5 pt 7 ps 0.6 \
		lc rgb hc[(i % 6) + 1] title word(hnames, i + 1)
}
