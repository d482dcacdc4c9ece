/* SPDX-License-Identifier: MIT */
/*
 * plots.h: the pictures of a results folder (`scbench plots`), drawn by
 * gnuplot from columns prepared here.
 *
 * The data come from the results model (results.h): the rows family by
 * family (families.h), each with the height it is drawn at, the samples'
 * box plots, the history's series, and the texts (title, what did not
 * run, counts) as gnuplot-quoted strings in a vars.gp. They are staged as
 * TSV files in a private folder under $TMPDIR (or /tmp), whose columns
 * carry the model's field names (median, lo, hi, ratio, ratio_lo,
 * ratio_hi, the counters' names): no plot script reads a CSV file. Each
 * plots/<name>.gp runs as `gnuplot -c NAME.gp STAGE OUT` in plots/ (found
 * beside this program: a build tree, or PREFIX/share/scbench), by fork and
 * exec with an argv: no name or field ever reaches a shell or gnuplot's
 * system(). The finished pictures move into place in one rename, with the
 * report beside them.
 *
 * Each call returns an exit status: 0; 1, a plot script failed (why says
 * which, with gnuplot's last line); 2, bad input (no such folder, a
 * missing or malformed CSV, a value that can't be plotted, no gnuplot):
 * why says what, and nothing was written. Any other status is the
 * report's own (it said why itself; why is "").
 */
#ifndef SCB_PLOTS_H
#define SCB_PLOTS_H

#include <regex.h>
#include <stddef.h>
#include <stdio.h>

/* What the history plot shows when no pattern is given. */
#define PLOTS_HISTORY_RE "^x86_64/syscall/getppid$|/vdso/clock_gettime$|/int80/getppid$"

/* run's pictures (cost, ratio, dist, counters, PNG and SVG; history too
 * when run's parent folder holds a history.csv) into out (NULL:
 * run/plots), and run's report.md and report.html. */
int plots_write(const char *run, const char *out, char *why, size_t len);

/* The history plot of hist alone into dest (.png or .svg): the rows whose
 * name re matches; re_src is its text, for the picture's words. */
int plots_history(const char *hist, const char *dest, const regex_t *re, const char *re_src, char *why,
		  size_t len);

/* One line of vars.gp, `name = "value"`: value as a gnuplot string in
 * which every byte but letters, digits, space and ._,:/+- is an octal
 * escape, so no quote, backslash or '$' ever reaches gnuplot's parser as
 * such. A tab or CR reads as a space, a line break as "\n" (lines of a
 * label). gnuplot reads an octal escape with the digits after it ("\0506"
 * is one escape, not "(6"), so a digit right after an escape is escaped
 * too. */
void plots_gpstr(FILE *f, const char *name, const char *value);

#endif
