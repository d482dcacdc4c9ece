# SPDX-License-Identifier: MIT
# kernel-history.gp DATA TICKS OUT TITLE CHANGES LOG: one mechanism's guest
# instructions per call against the kernel version (make bench-history).
#   DATA     one data set per row and vendor (separated by two blank lines),
#            each "x<TAB>icount", its first line the key's text (a header)
#   TICKS    "x<TAB>version" for every kernel, in order (both series)
#   OUT      the picture, .png or .svg by its name
#   TITLE    the title (the mechanism)
#   CHANGES  the x positions of the change points, space-separated ("" none):
#            each drawn as a dashed vertical line between two kernels
#   LOG      unused (kept for the caller's argument order)
# Paths arrive as arguments, never through a shell; scripts/vm/bench-history.sh
# runs gnuplot in the plot folder and passes names relative to it.
data = ARG1; ticks = ARG2; out = ARG3; ttl = ARG4; changes = ARG5; logy = ARG6
# one panel per row, both vendors in it, each on its own linear y axis: the
# moves are a few instructions in hundreds or thousands, which one shared
# axis (or a log one) flattens into straight lines
set datafile separator "\t"
stats data using 2 nooutput
nsets = STATS_blocks
nrows = nsets / 2
cols = nrows > 1 ? 2 : 1
prow = (nrows + cols - 1) / cols
W = 1200
H = 120 + 230 * prow
ext = out[strlen(out) - 2:]
if (ext eq "svg") {
	set terminal svg size W, H dynamic font "sans,11" background "white"
} else {
	set terminal pngcairo size W, H font "sans,10" background "white"
}
set output out
# colours that read on white (Paul Tol's bright scheme): Intel, AMD
intel_c = "#4477aa"; amd_c = "#ee6677"
set grid ytics lc "#dddddd"
set key top left horizontal noenhanced font ",9" samplen 2 opaque
set xtics rotate by 45 right noenhanced font ",7"
set ytics font ",8"
set format y "%.0f"
set offsets 0, 0, graph 0.15, graph 0.1
stats ticks using 1 nooutput
set xrange [STATS_min - 0.5:STATS_max + 0.5]
# the change points: a line between the two kernels where a row moved
do for [c in changes] {
	set arrow from first real(c), graph 0 to first real(c), graph 1 nohead dt 2 lw 1 lc "#cc3311" back
}
set multiplot layout prow, cols title ttl."\nguest instructions per call (QEMU -icount) against the guest kernel, oldest first in each series; red dashes: the change points" noenhanced font ",11"
do for [r = 0:nrows - 1] {
	set lmargin 8; set rmargin 2; set tmargin 1.5; set bmargin 5.5
	if (r < nrows - cols) { set format x ""; } else { set format x }
	plot ticks using 1:(NaN):xtic(2) notitle, \
		data index 2 * r using 1:2 with linespoints lw 1.5 pt 7 ps 0.6 lc rgb intel_c title columnheader(1), \
		data index 2 * r + 1 using 1:2 with linespoints lw 1.5 pt 6 ps 0.6 dt 2 lc rgb amd_c title columnheader(1)
}
unset multiplot
