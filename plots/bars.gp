# SPDX-License-Identifier: MIT
# bars.gp: the dot plot behind cost.gp and ratio.gp: one dot per benchmark
# at its median, with its 95% interval as whiskers, on a log axis (dots, not
# bars: a bar's length on a log axis depends on where the axis happens to
# start). x86-64 and i386 processes in two colours, rows family by family
# under a heading each (the report's order), every value printed to 3
# significant digits with its interval: an interval narrower than the dot
# (a steady machine, or an icount run's exact counts) still reads in the
# label. The caller sets nargs, dir, out, and:
#   med, lo, hi   summary.tsv's columns (the results model's field names):
#                 the value and its 95% interval
#   what          the title's first line; xtext the x-axis label
#   unit          appended to the value labels ("ns", "x")
#   refline       1 to draw a line at x = 1 (and to leave the empty loop out)
load dir."/vars.gp"
W = 1200
H = 170 + 22 * NY + 15 * (nu + 1)
load "common.gp"
if (N == 0) {
	print "plots: summary.csv has no measured row"
	exit status 1
}
data = dir."/summary.tsv"
heads = dir."/families.tsv"
# the empty loop has no ratio worth a point (a fraction of a ns over a
# syscall): left out of the ratio plot, and said so on its row
keep(m) = !(refline && m eq "empty")
val(c) = keep(strcol("mechanism")) ? column(c) : NaN

stats data using (val(hi)) nooutput
# room right of the largest value for its label (about a decade)
xmax = 10 ** ceil(log10(STATS_max * 6))
stats data using (val(med) > 0 ? val(med) : NaN) nooutput
xmin = 10 ** floor(log10(STATS_min / 2))

tt = what."\n".title
@heading
set xlabel xtext
set logscale x
set format x (xmax > 1e5 ? "10^{%L}" : "%g")
set xrange [xmin:xmax]
set yrange [NY - 0.4:-0.6]
set ytics noenhanced font ",9" scale 0
set grid ytics lc "#f0f0f0"
set errorbars 1.6
if (nu > 0) {
	set bmargin 4 + (nu + 1) * 1.2
	set label 1 "Not measured here:\n".unsup at screen 0.01, screen (15.0 * (nu + 1) + 4) / H left font ",8" noenhanced
}
if (refline) {
	set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 2 lc "#666666"
}
name(a, m, s) = sprintf("%s  %s/%s", a, m, s)
g3(v) = v >= 1000 ? sprintf("%.0f", v) : sprintf("%.3g", v)
# "839 ns  [838 – 840]"; no interval for a zero-width one (exact counts)
fmt(v, l, h) = g3(v).(unit eq "" ? "" : (unit eq "×" ? "" : " ").unit).(l == l && h == h && g3(l) ne g3(h) ? "  [".g3(l)." – ".g3(h)."]" : "")
# what a row without a value says, at the left edge
why(m) = m eq "empty" ? "(the loop alone: no ratio worth a point)" : "(no paired ratio in this run)"
is32(a) = (a eq "i386")
y = "(column('y'))"
dot64 = "using (is32(strcol('abi')) ? NaN : val(med)):@y:ytic(name(strcol('abi'), strcol('mechanism'), strcol('syscall'))) with points pt 7 ps 0.8 lc '#4477aa' title 'from an x86-64 process'"
dot32 = "using (is32(strcol('abi')) ? val(med) : NaN):@y with points pt 7 ps 0.8 lc '#ee7733' title 'from an i386 process'"
# an interval that reaches 0 or below runs to the axis' left edge
low(v) = v > xmin ? v : xmin
whisk = "using (val(med)):@y:(low(val(lo))):(val(hi)) with xerrorbars pt -1 lw 1.3 lc '#222222' title '95% interval'"
vals = "using (val(hi) * 1.15):@y:(fmt(val(med), val(lo), val(hi))) with labels left font ',8' noenhanced notitle"
none = "using (val(med) == val(med) ? NaN : xmin * 1.15):@y:(why(strcol('mechanism'))) with labels left font ',8' tc '#777777' noenhanced notitle"
head = "using (xmin):(column('y')):(strcol('family')) with labels left offset 0.5, 0 font ':Bold,9' tc '#444444' noenhanced notitle"
# the dots first, the whiskers over them: a narrow interval's caps show
if (N32 > 0) {
	plot data @dot64, data @dot32, data @whisk, data @vals, data @none, heads @head
} else {
	plot data @dot64, data @whisk, data @vals, data @none, heads @head
}
