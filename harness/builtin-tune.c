/* builtin-tune.c: `scbench tune --restore`, for the settings a killed
 * --tune run left changed (tune.h). */
#define _GNU_SOURCE
#include "builtin.h"
#include "tune.h"

#include <stdio.h>
#include <string.h>

int cmd_tune(struct cli *c)
{
	char done[512];

	if (!c->restore) {
		fprintf(stderr, "scbench: tune wants --restore (to tune a run: scbench run --tune)\n");
		return 2;
	}
	if (tune_recover(done, sizeof(done)) || done[0]) {
		fprintf(stderr, "scbench: %s\n", done);
		return strstr(done, "held by") ? 1 : 0;
	}
	fprintf(stderr, "scbench: nothing to restore\n");
	return 0;
}

