# SPDX-License-Identifier: MIT
# cost.gp STAGE OUT: what one call costs, per benchmark: the median with its
# 95% interval, x86-64 and i386 processes in two colours, and what could not
# run listed with the reason. STAGE: see common.gp.
nargs = ARGC; dir = ARG1; out = ARG2
med = "ns_median"; lo = "ns_ci_lo"; hi = "ns_ci_hi"; unit = "ns"; refline = 0
what = "Cost of one call: median, with its 95% interval"
xtext = "ns per call (log scale; TSC ticks converted to ns)"
load "bars.gp"
