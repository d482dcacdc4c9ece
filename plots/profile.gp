# SPDX-License-Identifier: MIT
# profile.gp: where each entry path's instructions go. One horizontal bar
# per mechanism and vendor model (Intel above AMD), x86-64 and i386
# processes under a heading each; each bar stacks its row's instructions
# per call by group of functions (plots/profile-groups.txt, applied by
# scripts/vm/profile-report.sh, which stages bars.tsv, heads.tsv and vars.gp),
# a group's count printed inside it where it fits, the row's total at the
# end. Exact counts: no intervals. The caller sets nargs, dir, out.
nargs = ARGC; dir = ARG1; out = ARG2
load dir."/vars.gp"
W = 1200
H = 150 + 24 * NY + 18 * ceil(NU / 5.0)
load "common.gp"
data = dir."/bars.tsv"
heads = dir."/heads.tsv"

tt = "Where each path's instructions go: guest instructions per call, by group of kernel functions\n".title
@heading
# the key under the plot (ten groups do not fit one line above it)
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows ceil(NU / 5.0) reverse Left samplen 1.5 width 2 spacing 1.2 font ",9"
set bmargin 4.5 + 1.3 * ceil(NU / 5.0)
set xlabel "guest instructions per call (exact: QEMU exec trace)"
set xrange [0:xmax]
set yrange [NY - 0.4:-0.6]
set ytics noenhanced font ",9" scale 0
set grid xtics lc "#dddddd"
set style fill solid 1.0 noborder

s(k) = column(sprintf("s%d", k))
v(k) = column(sprintf("v%d", k))
lab(k) = value(sprintf("guse%d", k)) ? value(sprintf("glab%d", k)) : ""
col(k) = value(sprintf("gcol%d", k))
ink(k) = value(sprintf("gink%d", k))
# a group's count inside its segment where the segment is wide enough
fits(w) = w >= xmax * (w >= 100 ? 0.026 : 0.017)
y = "(column('y'))"
bar = "using (s(k) + v(k) / 2):@y:(v(k) / 2):(0.36):ytic(strcol('label')) with boxxyerror"
inside = "using (s(k) + v(k) / 2):@y:(fits(v(k)) ? sprintf('%g', v(k)) : '') with labels center font ',8' noenhanced"
total = "using (column('total') + xmax * 0.006):@y:(sprintf('%g', column('total'))) with labels left font ':Bold,9' noenhanced notitle"
note = "using (xmax * 0.006):@y:(strcol('note')) with labels left font ',8' tc '#777777' noenhanced notitle"
head = "using (0):(column('y')):(strcol('text')) with labels left offset -0.5, 0 font ':Bold,9' tc '#444444' noenhanced notitle"
plot for [k = 1:NG] data @bar fc rgb col(k) title lab(k), \
	for [k = 1:NG] data @inside tc rgb ink(k) notitle, \
	data @total, data @note, heads @head
