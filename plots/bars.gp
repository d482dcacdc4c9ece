# SPDX-License-Identifier: MIT
# bars.gp: the dot plot behind cost.gp and ratio.gp: one dot per benchmark
# at its median, with its 95% interval as whiskers, on a log axis (dots, not
# bars: a bar's length on a log axis depends on where the axis happens to
# start). x86-64 and i386 processes in two colours, rows in registry order,
# every value printed to 3 significant digits. The caller
# sets nargs, dir, out, and:
#   med, lo, hi   column names: the value and its 95% interval
#   what          the title's first line; xtext the x-axis label
#   unit          appended to the value labels ("ns", "x")
#   refline       1 to draw a line at x = 1
load dir."/vars.gp"
W = 1200
H = 170 + 24 * N + 15 * (nu + 1)
load "common.gp"
if (N == 0) {
	print "plots: summary.csv has no measured row"
	exit status 1
}
data = dir."/summary.tsv"
# the empty loop has no ratio worth a point (a fraction of a ns over a
# syscall): left out of the ratio plot, still in the cost plot
keep(m) = !(refline && m eq "empty")
val(c) = keep(strcol("mechanism")) ? column(c) : NaN

stats data using (val(hi)) nooutput
xmax = 10 ** ceil(log10(STATS_max * 4))
stats data using (val(med) > 0 ? val(med) : NaN) nooutput
xmin = 10 ** floor(log10(STATS_min / 2))

set title what."\n".title
set xlabel xtext
set logscale x
set format x "%g"
set xrange [xmin:xmax]
set yrange [N - 0.4:-0.6]
set ytics noenhanced font ",9"
set key outside top center horizontal
set grid ytics lc "#eeeeee"
if (nu > 0) {
	set bmargin 4 + (nu + 1) * 1.2
	set label 1 "Not measured here:\n".unsup at screen 0.01, screen (15.0 * (nu + 1) + 4) / H left font ",8" noenhanced
}
if (refline) {
	set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 2 lc "#666666"
}
name(a, m, s) = sprintf("%s  %s/%s", a, m, s)
fmt(v) = v >= 1000 ? sprintf("%.0f %s", v, unit) : sprintf("%.3g %s", v, unit)
is32(a) = (a eq "i386")
bar64 = "using (is32(strcol('abi')) ? NaN : val(med)):0:ytic(name(strcol('abi'), strcol('mechanism'), strcol('syscall'))) with points pt 7 ps 1.1 lc '#4477aa' title 'from an x86-64 process'"
bar32 = "using (is32(strcol('abi')) ? val(med) : NaN):0 with points pt 7 ps 1.1 lc '#ee7733' title 'from an i386 process'"
whisk = "using (val(med)):0:(val(lo)):(val(hi)) with xerrorbars pt -1 lc '#333333' title '95% interval'"
vals = "using (val(hi) * 1.12):0:(fmt(val(med))) with labels left font ',8' notitle"
if (N32 > 0) {
	plot data @whisk, data @bar64, data @bar32, data @vals
} else {
	plot data @whisk, data @bar64, data @vals
}
