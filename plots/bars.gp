# bars.gp: the horizontal bar chart behind cost.gp and ratio.gp. The caller
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

stats data using (column(hi)) nooutput
xmax = 10 ** ceil(log10(STATS_max * 4))
stats data using (column(med) > 0 ? column(med) : NaN) nooutput
xmin = 10 ** floor(log10(STATS_min / 2))

set title what."\n".title
set xlabel xtext
set logscale x
set format x "%g"
set xrange [xmin:xmax]
set yrange [N - 0.4:-0.6]
set ytics noenhanced font ",9"
set key outside top center horizontal
set style fill solid 0.85 noborder
if (nu > 0) {
	set bmargin 4 + (nu + 1) * 1.2
	set label 1 "Not measured here:\n".unsup at screen 0.01, screen (15.0 * (nu + 1) + 4) / H left font ",8" noenhanced
}
if (refline) {
	set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 2 lc "#666666"
}
name(a, m, s) = sprintf("%s  %s/%s", a, m, s)
fmt(v) = v >= 100 ? sprintf("%.0f %s", v, unit) : v >= 10 ? sprintf("%.1f %s", v, unit) : \
	v >= 0.1 ? sprintf("%.2f %s", v, unit) : sprintf("%.2g %s", v, unit)
is32(a) = (a eq "i386")
bar64 = "using (is32(strcol('abi')) ? NaN : column(med)):0:(xmin):(column(med)):($0 - 0.35):($0 + 0.35):ytic(name(strcol('abi'), strcol('mechanism'), strcol('syscall'))) with boxxyerror lc '#4477aa' title 'from an x86-64 process'"
bar32 = "using (is32(strcol('abi')) ? column(med) : NaN):0:(xmin):(column(med)):($0 - 0.35):($0 + 0.35) with boxxyerror lc '#ee7733' title 'from an i386 process'"
whisk = "using (column(med)):0:(column(lo)):(column(hi)) with xerrorbars pt -1 lc 'black' title '95% interval'"
vals = "using (column(hi) * 1.12):0:(fmt(column(med))) with labels left font ',8' notitle"
if (N32 > 0) {
	plot data @bar64, data @bar32, data @whisk, data @vals
} else {
	plot data @bar64, data @whisk, data @vals
}
