# common.gp: loaded by every plot script, which first sets (gnuplot's load
# hides the caller's ARGn) `here` (its folder), `nargs`, `dir` (ARG1: a
# results folder), `out` (ARG2: .png for pngcairo or .svg), W and H (pixels).
# Defines sel(file, cols, where), a data source reading the named columns
# through scripts/csv.awk (selb adds a "bench" column), and txt(mode, arg),
# text from scripts/plot-text.sh.
if (nargs < 2) {
	print "usage: gnuplot -c plots/SCRIPT.gp RESULTS_DIR OUT.png|OUT.svg"
	exit status 2
}
scripts = here."/../scripts"
sel(file, cols, where) = sprintf("< awk -f '%s/csv.awk' -v empty=NaN -v want='%s' %s '%s'", \
	scripts, cols, (where eq "" ? "" : "-v where='".where."'"), file)
selb(file, cols, where) = sprintf("< awk -f '%s/csv.awk' -v bench=1 -v empty=NaN -v want='%s' %s '%s'", \
	scripts, cols, (where eq "" ? "" : "-v where='".where."'"), file)
txt(mode, arg) = system(sprintf("'%s/plot-text.sh' %s '%s'", scripts, mode, arg))
readable(f) = system(sprintf("test -r '%s' && echo 1 || echo 0", f)) eq "1"

ext = out[strlen(out)-2:]
if (ext eq "png") {
	set terminal pngcairo size W, H enhanced font "DejaVu Sans,10" background "white"
} else {
	if (ext eq "svg") {
		set terminal svg size W, H dynamic enhanced font "DejaVu Sans,10" background "white"
	} else {
		print "plots: ".out.": the output must end in .png or .svg"
		exit status 2
	}
}
set output out
set datafile separator "\t"
set datafile columnheaders
set datafile missing "NaN"
set encoding utf8
set border 3
set tics nomirror
set grid xtics lc "#dddddd"
set key noenhanced
set title noenhanced font ",11"
