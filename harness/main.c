/* SPDX-License-Identifier: MIT */
/*
 * main.c: scbench's entry point: parse the command line (cli.c) and hand
 * it to the command's builtin (builtin-<command>.c).
 *
 * Exit status: 0 done; 1 the run failed (e.g. results could not be
 * written), or compare found a regression; 2 bad input, with a one-line
 * message.
 */
#define _GNU_SOURCE
#include "builtin.h"
#include "process.h"
#include "util.h"
#include "worker.h"

#include <string.h>

static int cmd_worker(struct cli *c)	/* internal: see worker.h */
{
	return worker_main(&c->opt);
}

/* internal: one fresh measuring process of a run (process.h); its
 * results go to the parent on stdout, nothing else may */
static int cmd_process(struct cli *c)
{
	struct run r;
	struct counter_set cs = { 0 };
	char why[256];

	if (c->opt.counter_spec)
		counters_define_spec(&cs, c->opt.counter_spec);
	c->opt.progress = process_progress;
	c->opt.processes = 1;
	if (run_measure(&r, &c->opt, &cs, why, sizeof(why))) {
		util_error("scbench process: %s", why);
		return 1;
	}
	process_write(stdout, &r);
	run_free(&r);
	return ferror(stdout) ? 1 : 0;
}

static const struct {
	const char *name;
	int (*fn)(struct cli *c);
} builtins[] = {
	{ "run", cmd_run }, { "compare", cmd_compare }, { "export", cmd_export }, { "plots", cmd_plots },
	{ "list", cmd_list }, { "list-events", cmd_list_events }, { "tune", cmd_tune },
	{ "worker", cmd_worker }, { "process", cmd_process },
};

int main(int argc, char **argv)
{
	struct cli c;
	int rc = 2;

	cli_parse(argc, argv, &c);
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(c.command, builtins[i].name))
			rc = builtins[i].fn(&c);
	cli_free(&c);
	return rc;
}
