/* SPDX-License-Identifier: MIT */
/* builtin-plots.c: `scbench plots RESULTS`: scripts/plots.sh, found from
 * where this program is (build tree or install). */
#define _GNU_SOURCE
#include "builtin.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* scripts/plots.sh from the source tree (build/scbench -> scripts/) or an
 * installed copy (PREFIX/bin/scbench -> PREFIX/share/scbench/scripts/),
 * run with the folder as an argument: no shell parses the name. */
const struct command plots_command = {
	"plots", "RESULTS", "plots (PNG, SVG) and report.md/.html of a results folder",
	"Renders RESULTS/plots/ and RESULTS/report.md and report.html (gnuplot).\n",
	NULL, 0, 1, 1,
};

static void no_option(void *ctx, int id, const char *v)
{
	(void)ctx, (void)id, (void)v;
}

int cmd_plots(int argc, char **argv)
{
	static const char *const where[] = { "%s/../scripts/plots.sh", "%s/../share/scbench/scripts/plots.sh" };
	char script[PATH_MAX + 64];
	const char *dir[1];
	int n;

	options_parse(&plots_command, argc, argv, no_option, NULL, dir, &n);
	if (n != 1)
		options_error("plots", "plots needs a results folder");

	if (util_find_beside_self(where, 2, X_OK, script, sizeof(script))) {
		util_error("plots: scripts/plots.sh not found beside this program (a build "
			"tree or an installed share/scbench)");
		return 2;
	}
	/* plots.sh has this program write the report (scbench report) */
	char self[PATH_MAX];
	if (!util_self_path(self, sizeof(self)))
		setenv("SCBENCH", self, 1);
	execl(script, script, dir[0], (char *)NULL);
	util_error("plots: %s: %s", script, strerror(errno));
	return 2;
}

