# SPDX-License-Identifier: MIT
# counters.gp STAGE OUT: what the counters say per call. With a
# hardware PMU: cycles in user and kernel mode as stacked bars, and branch
# misses likewise. Without one (most VMs), the plot says so and shows the
# counts every machine has: syscalls and page faults per call.
nargs = ARGC; dir = ARG1; out = ARG2
load dir."/vars.gp"
W = 1200
# no counts at all: a short picture that says so, not an empty frame
H = HW + SW == 0 ? 260 : 200 + 22 * NY
load "common.gp"
data = dir."/summary.tsv"
name(a, m, s) = sprintf("%s  %s/%s", a, m, s)
set yrange [NY - 0.4:-0.6]
heads = dir."/families.tsv"
head = "using (0):(column('y')):(strcol('family')) with labels left offset 0.5, 0 font ':Bold,9' tc '#444444' noenhanced notitle"
set ytics noenhanced font ",9"
set style fill solid 0.85 noborder
set key outside top center horizontal
if (HW > 0) {
	set multiplot layout 1, 2 title "Counters per call, user and kernel mode\n".title noenhanced
	set xlabel "core cycles per call (not TSC ticks)"
	plot data using (column("cycles_user")):(column("y")):(0):(column("cycles_user")):(column("y") - 0.35):(column("y") + 0.35):ytic(name(strcol("abi"), strcol("mechanism"), strcol("syscall"))) \
			with boxxyerror lc "#4477aa" title "user", \
		data using (column("cycles_user") + column("cycles_kernel")):(column("y")):(column("cycles_user")):(column("cycles_user") + column("cycles_kernel")):(column("y") - 0.35):(column("y") + 0.35) \
			with boxxyerror lc "#cc3311" title "kernel", \
		heads @head
	set xlabel "branch misses per call"
	set ytics format ""
	plot data using (column("branch_misses_user")):(column("y")):(0):(column("branch_misses_user")):(column("y") - 0.35):(column("y") + 0.35) \
			with boxxyerror lc "#4477aa" title "user", \
		data using (column("branch_misses_user") + column("branch_misses_kernel")):(column("y")):(column("branch_misses_user")):(column("branch_misses_user") + column("branch_misses_kernel")):(column("y") - 0.35):(column("y") + 0.35) \
			with boxxyerror lc "#cc3311" title "kernel"
	unset multiplot
} else {
	if (SW == 0) {
		tt = "No counters in this run\n".title
		@heading
		set label 1 "No counts were taken (".(reason eq "" ? "counting off or not permitted" : reason).")" at graph 0.5, graph 0.5 center noenhanced
		unset ytics
		unset xtics
		set border 0
		set xrange [0:1]
		plot NaN notitle
	} else {
		# the reason can be long (the counters it names): its own lines,
		# wrapped by scbench plots, so the title is never cut at the edge
		tt = "Kernel entries per call: syscalls and page faults\n(no cycles, instructions or branch misses: ".reason.")\n".title
		@heading
		set xlabel "events per call"
		set xrange [0:*]
		set offsets 0, 0.3, 0, 0
		plot data using (column("syscalls_per_call")):(column("y") - 0.18):(0):(column("syscalls_per_call")):(column("y") - 0.36):(column("y")):ytic(name(strcol("abi"), strcol("mechanism"), strcol("syscall"))) \
				with boxxyerror lc "#4477aa" title "syscalls (raw_syscalls:sys_enter)", \
			data using (column("page_faults")):(column("y") + 0.18):(0):(column("page_faults")):(column("y")):(column("y") + 0.36) \
				with boxxyerror lc "#ee7733" title "page faults (the vsyscall page traps)", \
			heads @head
	}
}
