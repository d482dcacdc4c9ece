/* SPDX-License-Identifier: MIT */
/* builtin-tune.c: `scbench tune --restore`, for the settings a killed
 * --tune run left changed (tune.h). */
#define _GNU_SOURCE
#include "builtin.h"
#include "tune.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

int cmd_tune(struct cli *c)
{
	char done[1024];

	if (!c->restore) {
		util_error("tune wants --restore (to tune a run: scbench run --tune)");
		return 2;
	}
	/* exit 0: restored or nothing to do; 1: held by a live run, or a
	 * setting could not be written back; 2: a state that is not ours */
	switch (tune_recover(done, sizeof(done))) {
	case TUNE_RESTORED:
		util_error("%s", done);
		return 0;
	case TUNE_NOTHING:
		util_error("%s", done[0] ? done : "nothing to restore");
		return 0;
	case TUNE_HELD:
	case TUNE_FAILED:
		util_error("%s", done);
		return 1;
	default:
		util_error("%s", done);
		return 2;
	}
}
