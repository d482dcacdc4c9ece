# SPDX-License-Identifier: MIT
# ratio.gp STAGE OUT: each benchmark relative to the reference,
# x86_64/syscall/getppid, as the median of ratios paired round by round (so a
# machine that speeds up or slows down as a whole cancels), with its 95%
# interval: "int 0x80 costs 1.4x syscall". A row without a ratio says why.
# STAGE: see common.gp.
nargs = ARGC; dir = ARG1; out = ARG2
load dir."/vars.gp"
med = "ratio"; lo = "ratio_lo"; hi = "ratio_hi"; unit = "×"; refline = 1
what = "Relative cost: paired ratio to x86_64/syscall/getppid, with its 95% interval"
xtext = "times the ".(icount ? "guest instructions" : "cost")." of a syscall-instruction getppid (log scale; 1 = the reference)"
load "bars.gp"
