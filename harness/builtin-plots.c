/* SPDX-License-Identifier: MIT */
/* builtin-plots.c: `scbench plots RESULTS [OUT_DIR]` and `scbench plots
 * --history HISTORY_CSV OUT [REGEX]` (plots.h draws them). */
#define _GNU_SOURCE
#include "builtin.h"
#include "plots.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

enum { O_HISTORY };

static const struct opt plots_opts[] = {
	{ "history", 0, "CSV", "the history plot of CSV (a history.csv) alone: the\n"
	  "operands are then OUT (.png or .svg) and REGEX, the rows\n"
	  "to show (default: the null syscall, clock_gettime in the\n"
	  "vDSO, int $0x80)", O_HISTORY },
};

const struct command plots_command = {
	"plots", "RESULTS [OUT_DIR]", "plots (PNG, SVG) and report.md/.html of a results folder",
	"Renders OUT_DIR (default RESULTS/plots/) and RESULTS/report.md and\n"
	"report.html with gnuplot, and the history plot when RESULTS's parent\n"
	"folder holds a history.csv. Bad input (a missing or malformed CSV, a value\n"
	"that can't go on a log axis, no gnuplot) is one line and exit 2, nothing\n"
	"written; a plot script that fails is exit 1.\n"
	"  scbench plots --history HISTORY_CSV OUT [REGEX]\n",
	plots_opts, sizeof(plots_opts) / sizeof(plots_opts[0]), 1, 2,
};

static void plots_option(void *ctx, int id, const char *v)
{
	(void)id;
	*(const char **)ctx = v;
}

int cmd_plots(int argc, char **argv)
{
	const char *hist = NULL, *op[2];
	char why[4400], out[PATH_MAX];
	int n, rc;

	options_parse(&plots_command, argc, argv, plots_option, &hist, op, &n);
	if (n < 1)
		options_error("plots", hist ? "plots --history needs OUT, the picture to write (.png or .svg)"
					    : "plots needs a results folder");
	if (hist) {
		const char *src = n > 1 ? op[1] : PLOTS_HISTORY_RE;
		regex_t re;
		options_regex("plots", "--history's REGEX", src, &re);
		rc = plots_history(hist, op[0], &re, src, why, sizeof(why));
		regfree(&re);
	} else {
		if ((size_t)snprintf(out, sizeof(out), "%s", n > 1 ? op[1] : op[0]) >= sizeof(out) - 8)
			options_error("plots", "the folder's name is too long");
		if (n == 1)
			strcat(out, "/plots");
		rc = plots_write(op[0], out, why, sizeof(why));
		if (!rc)
			util_error("report in %s/report.html, plots in %s", op[0], out);
	}
	if (rc && why[0])
		util_error("plots: %s", why);
	return rc;
}
