# SPDX-License-Identifier: MIT
# dist.gp STAGE OUT: the distribution of every benchmark's samples
# (samples.csv), one horizontal box per benchmark, rows family by family as
# in the cost plot: box = quartiles, thick line = median, whiskers = the
# farthest samples within 1.5 IQR, dots = the samples beyond, each at its
# own value on its own row (scbench plots computes the boxes: gnuplot's
# boxplot style spread near-equal outliers sideways into the neighbouring
# columns). Shows what the medians hide: noise, outliers, bimodality.
# Samples <= 0 (an interrupt in the N half of a difference) can't go on a
# log axis; their count is in the title. STAGE: see common.gp.
nargs = ARGC; dir = ARG1; out = ARG2
load dir."/vars.gp"
W = 1200
H = 170 + 22 * NYD
load "common.gp"
boxes = dir."/boxes.tsv"
outl = dir."/outliers.tsv"
heads = dir."/dheads.tsv"
per = icount ? "guest instructions per call" : "ns per call"
tt = "Distribution of the samples (each: (t(2N) - t(N)) / N)".(neg > 0 ? sprintf(", %d sample%s <= 0 not shown", neg, neg == 1 ? "" : "s") : "")."\n".title
@heading
set xlabel per." (log scale); box: quartiles, line: median, whiskers: 1.5 IQR, dots: the samples beyond"
set logscale x
stats boxes using "lo" nooutput
xmin = 10 ** floor(log10(STATS_min))
stats outl using "v" nooutput
xmin = STATS_records > 0 && STATS_min < xmin ? 10 ** floor(log10(STATS_min)) : xmin
xmax = STATS_records > 0 ? STATS_max : 0
stats boxes using "hi" nooutput
xmax = 10 ** ceil(log10(STATS_max > xmax ? STATS_max : xmax))
set xrange [xmin:xmax]
set format x (xmax > 1e5 ? "10^{%L}" : "%g")
set yrange [NYD - 0.4:-0.6]
set ytics noenhanced font ",9" scale 0
set grid xtics lc "#dddddd"
set grid ytics lc "#f4f4f4"
set style fill solid 0.45 border lc "#333333"
colour(i) = i > 0 ? 0xee7733 : 0x4477aa
plot boxes using "med":"y":"lo":"hi" with xerrorbars pt -1 lc "#333333" notitle, \
	boxes using (column("med")):(column("y")):(column("q1")):(column("q3")):(column("y") - 0.32):(column("y") + 0.32):(colour(column("i386"))):ytic(strcol("bench")) \
		with boxxyerror lc rgb variable notitle, \
	boxes using (column("med")):(column("y") - 0.32):(0):(0.64) with vectors nohead lw 2.5 lc "#222222" notitle, \
	outl using "v":"y" with points pt 7 ps 0.35 lc "#a0555555" notitle, \
	heads using (xmin):(column("y")):(strcol("family")) with labels left offset 0.5, 0 font ":Bold,9" tc "#444444" noenhanced notitle, \
	NaN with boxes lc "#4477aa" title "from an x86-64 process", \
	NaN with boxes lc "#ee7733" title (N32 > 0 ? "from an i386 process" : "")
