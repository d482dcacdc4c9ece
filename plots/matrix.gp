# SPDX-License-Identifier: MIT
# matrix.gp DATA COLS ROWS OUT: the bench-matrix heatmap. DATA holds
# "col<TAB>row<TAB>delta<TAB>label" (scripts/vm/bench-matrix.sh writes it),
# COLS and ROWS "index<TAB>name". Colour: change in guest instructions per
# call against the same kernel's default cell on the same vendor (default
# cells are 0 and labelled with their counts). Files come in as arguments
# and are read as data: no name ever reaches a shell.
if (ARGC < 4) {
	print "usage: gnuplot -c plots/matrix.gp DATA COLS ROWS OUT.png|OUT.svg"
	exit status 2
}
out = ARG4
ext = out[strlen(out)-2:]
if (ext eq "png") {
	set terminal pngcairo size 1500, 950 enhanced font "DejaVu Sans,9" background "white"
} else {
	set terminal svg size 1500, 950 dynamic enhanced font "DejaVu Sans,9" background "white"
}
set output out
set datafile separator "\t"
set title "Guest instructions per call: change of each boot option against the kernel's default (default cells: the count)"
set xtics rotate by 35 right nomirror noenhanced
set ytics nomirror noenhanced
set yrange [*:*] reverse
set cbrange [-40:40]
set cblabel "instructions per call vs default"
set palette defined (-40 "#2166ac", -5 "#d1e5f0", 0 "#f7f7f7", 5 "#fddbc7", 40 "#b2182b")
set lmargin 30
set bmargin 13
unset key
plot ARG1 using 1:2:3 with image, \
     ARG1 using 1:2:4 with labels font ",7", \
     ARG2 using 1:(0):xtic(2) with points pointsize 0, \
     ARG3 using (0):1:ytic(2) with points pointsize 0
