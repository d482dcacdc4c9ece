# SPDX-License-Identifier: MIT
# cost.gp STAGE OUT: what one call costs, per benchmark: the median with its
# 95% interval, x86-64 and i386 processes in two colours, and what could not
# run listed with the reason. An icount run's per-call figures are guest
# instructions (QEMU -icount shift=0: a "ns" of guest time per instruction)
# and say so. STAGE: see common.gp.
nargs = ARGC; dir = ARG1; out = ARG2
load dir."/vars.gp"
med = "median"; lo = "lo"; hi = "hi"; refline = 0
if (icount) {
	unit = ""
	what = "Guest instructions per call (QEMU -icount: exact counts, not time)"
	xtext = "guest instructions per call, user and kernel (log scale)"
} else {
	unit = "ns"
	what = "Cost of one call: median, with its 95% interval"
	xtext = "ns per call (log scale; TSC ticks converted to ns)"
}
load "bars.gp"
