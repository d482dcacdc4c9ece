# SPDX-License-Identifier: MIT
# dist.gp STAGE OUT: the distribution of every benchmark's samples
# (samples.csv), one box per benchmark, in registry order (x86-64 first): box = quartiles, line = median,
# whiskers = 1.5 IQR, dots = the samples beyond. Shows what the medians hide:
# noise, outliers, bimodality. Samples <= 0 (an interrupt in the N half of a
# difference) can't go on a log axis; their count is in the title.
nargs = ARGC; dir = ARG1; out = ARG2
W = 1200
H = 700
load "common.gp"
load dir."/vars.gp"
data = dir."/samples.tsv"
set title "Distribution of the samples (each: (t(2N) - t(N)) / N)".(neg > 0 ? sprintf(", %d samples <= 0 not shown", neg) : "")."\n".title
set ylabel "ns per call (log scale)"
set logscale y
set format y "%g"
set xtics rotate by 40 right noenhanced font ",8"
set grid ytics lc "#dddddd"
set bmargin 12
set key off
set style fill solid 0.5 border lc "#333333"
set style boxplot outliers pointtype 7 medianlinewidth 2 unsorted
set pointsize 0.25
set boxwidth 0.6
plot data using (1):(column("ns_per_call") > 0 ? column("ns_per_call") : NaN):(0):(strcol("bench")) \
	with boxplot lc "#4477aa"
