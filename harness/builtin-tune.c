/* SPDX-License-Identifier: MIT */
/* builtin-tune.c: `scbench tune --restore`, for the settings a killed
 * --tune run left changed (tune.h). */
#define _GNU_SOURCE
#include "builtin.h"
#include "tune.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

enum { O_RESTORE };

static const struct opt tune_opts[] = {
	{ "restore", 0, NULL, "put back the CPU settings a killed tuned run left changed", O_RESTORE },
};

const struct command tune_command = {
	"tune", "--restore", "put back CPU settings a killed --tune run left changed",
	"What a tuned run changed is put back at its exit; this is for one killed with\n"
	"SIGKILL or crashed (the next run does it too).\n",
	tune_opts, 1, 0, 0,
};

static void tune_option(void *ctx, int id, const char *v)
{
	(void)id, (void)v;
	*(int *)ctx = 1;
}

int cmd_tune(int argc, char **argv)
{
	char done[1024];
	const char *ops[1];
	int restore = 0, n;

	options_parse(&tune_command, argc, argv, tune_option, &restore, ops, &n);
	if (!restore) {
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
