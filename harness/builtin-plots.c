/* builtin-plots.c: `scbench plots RESULTS`: scripts/plots.sh, found from
 * where this program is (build tree or install). */
#define _GNU_SOURCE
#include "builtin.h"

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
	char self[PATH_MAX], script[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0) {
		fprintf(stderr, "scbench: cannot find this executable to locate plots.sh\n");
		return 2;
	}
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		snprintf(script, sizeof(script), where[i], self);
		if (access(script, X_OK) == 0) {
			execl(script, script, c->positional[0], (char *)NULL);
			break;
		}
	}
	fprintf(stderr, "scbench: plots: scripts/plots.sh not found beside %s (a build tree or an "
		"installed share/scbench)\n", self);
	return 2;
}

