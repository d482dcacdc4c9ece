/* SPDX-License-Identifier: MIT */
/* builtin-plots.c: `scbench plots RESULTS`: scripts/plots.sh, found from
 * where this program is (build tree or install). */
#define _GNU_SOURCE
#include "builtin.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* scripts/plots.sh from the source tree (build/scbench -> scripts/) or an
 * installed copy (PREFIX/bin/scbench -> PREFIX/share/scbench/scripts/),
 * run with the folder as an argument: no shell parses the name. */
int cmd_plots(struct cli *c)
{
	static const char *const where[] = { "%s/../scripts/plots.sh", "%s/../share/scbench/scripts/plots.sh" };
	char script[PATH_MAX + 64];

	if (util_find_beside_self(where, 2, X_OK, script, sizeof(script))) {
		util_error("plots: scripts/plots.sh not found beside this program (a build "
			"tree or an installed share/scbench)");
		return 2;
	}
	execl(script, script, c->positional[0], (char *)NULL);
	util_error("plots: %s: %s", script, strerror(errno));
	return 2;
}

