# SPDX-License-Identifier: MIT
# common.gp: loaded by every plot script (gnuplot runs in plots/, so the
# scripts load each other by plain name). The caller sets `nargs`, `dir`
# (ARG1: a folder staged by `scbench plots`, harness/plots.c, never a
# results folder), `out` (ARG2: .png for pngcairo or .svg), W and H
# (pixels). The stage holds the data as TSV (summary.tsv, whose columns are
# the results model's field names: median, lo, hi, ratio, ratio_lo,
# ratio_hi, the counters; boxes.tsv, history.tsv, ...) and vars.gp, the
# text and counts as gnuplot-quoted strings and numbers: no script here
# reads a CSV file, calls system() or reads a name it was not given.
if (nargs < 2) {
	print "usage: scbench plots RESULTS_DIR (the plot scripts read the folder it stages)"
	exit status 2
}
ext = out[strlen(out)-2:]
if (ext eq "png") {
	set terminal pngcairo size W, H enhanced font "DejaVu Sans,10" background "white"
} else {
	if (ext eq "svg") {
		set terminal svg size W, H dynamic enhanced font "DejaVu Sans,10" background "white"
	} else {
		print "plots: the output must end in .png or .svg"
		exit status 2
	}
}
set output out
set datafile separator "\t"
set datafile columnheaders
set datafile missing "NaN"
set encoding utf8
set border 3
# room right of the axis for its last tic label ("100000" was cut)
set rmargin 5
set tics nomirror
set grid xtics lc "#dddddd"
set key noenhanced
set title noenhanced font ",11"
# heading(t): the title, centred on the picture. gnuplot centres its own
# title on the plot area, which long row names push right, so a long title
# ran past the edge; this one is a label at the top, the key above it, and
# the plot below both (H: the picture's height in pixels).
nl(s) = strstrt(s, "\n") > 0 ? 1 + nl(s[strstrt(s, "\n") + 1:]) : 0
heading = "set label 99 tt at screen 0.5, screen 1 - 40.0 / H center font ',11' noenhanced; set tmargin at screen 1 - (38.0 + 17 * (nl(tt) + 1)) / H; set key at screen 0.5, screen 1 - 4.0 / H center top horizontal"
