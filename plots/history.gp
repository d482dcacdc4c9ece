# history.gp HISTORY OUT [REGEX]: the cost of selected benchmarks across
# runs, from results/history.csv (make ci-bench appends to it): the median of
# each run with its 95% interval, one line per benchmark. HISTORY is the CSV
# or the folder holding history.csv; REGEX picks benchmarks (abi/mechanism/
# syscall; default: the reference, the vDSO clock and int 0x80).
here = system("dirname '".ARG0."'"); nargs = ARGC; dir = ARG1; out = ARG2
re = (ARGC >= 3) ? ARG3 : "^x86_64/syscall/getppid$|/vdso/clock_gettime$|/int80/getppid$"
f = system(sprintf("test -d '%s' && echo '%s/history.csv' || echo '%s'", dir, dir, dir))
W = 1200
H = 650
load here."/common.gp"
if (!readable(f)) {
	print "plots: ".f.": not readable"
	exit status 1
}
src = sprintf("< '%s/plot-text.sh' history '%s' '%s'", scripts, f, re)
names = system(sprintf("'%s/plot-text.sh' history '%s' '%s' | head -1 | sed 's/^# names://'", scripts, f, re))
K = words(names)
runs = int(system(sprintf("awk -f '%s/csv.awk' -v want=run '%s' | tail -n +2 | sort -u | wc -l", scripts, f)))
set title sprintf("History: cost per call over %d runs", runs)."\n".f
set xlabel "run (oldest first)"
set ylabel "ns per call, median and 95% interval (log scale)"
set logscale y
set format y "%g"
set xtics 1
set key outside top center horizontal noenhanced
set grid ytics lc "#dddddd"
unset datafile columnheaders
set datafile commentschars "#"
if (K == 0) {
	set label 1 "No benchmark in ".f." matches '".re."'" at graph 0.5, graph 0.5 center noenhanced
	set xrange [0:1]
	plot NaN notitle
} else {
	set xrange [0.5:runs + 0.5]
	plot for [i = 0:K - 1] src index i using 1:2:3:4 with yerrorlines lw 1.5 pt 7 ps 0.6 title word(names, i + 1)
}
