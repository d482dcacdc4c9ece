/* SPDX-License-Identifier: MIT */
/* builtin-worker.c: the two internal commands a run starts: `scbench
 * worker` (the other ABI's rows, or one seccomp row, in lockstep: worker.h)
 * and `scbench process` (one fresh measuring process: process.h). Their
 * options are the parent's to give, not a person's, so --help lists none
 * and `scbench help` does not name them. */
#define _GNU_SOURCE
#include "builtin.h"
#include "counters.h"
#include "process.h"
#include "util.h"
#include "worker.h"

#include <stdio.h>
#include <string.h>

enum { O_CPU, O_RUNS, O_WARMUP, O_TARGET, O_COUNTER_RUNS, O_COUNTER_SPEC, O_FILTER, O_ONLY, O_SECCOMP,
       O_TSC_RATE, O_ICOUNT, O_ROUND_BASE, O_PROGRESS };

static const struct opt worker_opts[] = {
	{ "cpu", 0, "N", NULL, O_CPU },
	{ "target-us", 0, "N", NULL, O_TARGET },
	{ "filter", 0, "RE", NULL, O_FILTER },
	{ "counter-spec", 0, "SPEC", NULL, O_COUNTER_SPEC },
	{ "only", 0, "ROW", NULL, O_ONLY },
	{ "seccomp", 0, "SPEC", NULL, O_SECCOMP },
	{ "tsc-rate", 0, "GHZ", NULL, O_TSC_RATE },
};

const struct command worker_command = {
	"worker", "(internal)", NULL, NULL, worker_opts, sizeof(worker_opts) / sizeof(worker_opts[0]), 0, 0,
};

static const struct opt process_opts[] = {
	{ "cpu", 0, "N", NULL, O_CPU },
	{ "runs", 0, "N", NULL, O_RUNS },
	{ "warmup", 0, "N", NULL, O_WARMUP },
	{ "target-us", 0, "N", NULL, O_TARGET },
	{ "counter-runs", 0, "N", NULL, O_COUNTER_RUNS },
	{ "counter-spec", 0, "SPEC", NULL, O_COUNTER_SPEC },
	{ "filter", 0, "RE", NULL, O_FILTER },
	{ "tsc-rate", 0, "GHZ", NULL, O_TSC_RATE },
	{ "icount", 0, NULL, NULL, O_ICOUNT },
	{ "round-base", 0, "N", NULL, O_ROUND_BASE },
	{ "progress", 0, NULL, NULL, O_PROGRESS },
};

const struct command process_command = {
	"process", "(internal)", NULL, NULL, process_opts, sizeof(process_opts) / sizeof(process_opts[0]), 0, 0,
};

struct internal_args {
	const char *me;
	struct run_options opt;
	regex_t filter;
	int has_filter, progress;
};

static void internal_option(void *ctx, int id, const char *v)
{
	struct internal_args *c = ctx;

	switch (id) {
	case O_CPU: c->opt.cpu = options_cpu(c->me, v); break;
	/* a measuring process takes its share of a run's rounds: any count */
	case O_RUNS: c->opt.runs = options_uint(c->me, "--runs", v, 1, 10000000); break;
	case O_WARMUP: c->opt.warmup = options_uint(c->me, "--warmup", v, 0, 1000000); break;
	case O_TARGET: c->opt.target_us = options_uint(c->me, "--target-us", v, 1, 1000000); break;
	case O_COUNTER_RUNS: c->opt.counter_runs = options_uint(c->me, "--counter-runs", v, 0, 1000000); break;
	case O_COUNTER_SPEC: c->opt.counter_spec = v; break;
	case O_FILTER:
		options_regex(c->me, "--filter", v, &c->filter);
		c->has_filter = 1;
		c->opt.filter = &c->filter;
		c->opt.filter_src = v;
		break;
	case O_ONLY: c->opt.only = v; break;
	case O_SECCOMP: c->opt.seccomp = v; break;
	case O_TSC_RATE: c->opt.tsc_rate = options_fraction(c->me, "--tsc-rate", v, 0, 1e6); break;
	case O_ICOUNT: c->opt.icount = 1; break;
	case O_ROUND_BASE: c->opt.round_base = options_uint(c->me, "--round-base", v, 0, 4000000000u); break;
	case O_PROGRESS: c->progress = 1; break;
	}
}

static void internal_parse(struct internal_args *c, const struct command *cmd, int argc, char **argv)
{
	const char *ops[1];
	int n;

	memset(c, 0, sizeof(*c));
	c->me = cmd->name;
	c->opt.cpu = -1;
	c->opt.runs = 1;
	c->opt.target_us = RUN_DEFAULT_TARGET_US;
	options_parse(cmd, argc, argv, internal_option, c, ops, &n);
}

int cmd_worker(int argc, char **argv)
{
	struct internal_args c;
	int rc;

	internal_parse(&c, &worker_command, argc, argv);
	rc = worker_main(&c.opt);
	if (c.has_filter)
		regfree(&c.filter);
	return rc;
}

/* one fresh measuring process of a run: its results go to the parent on
 * stdout, and nothing else may */
int cmd_process(int argc, char **argv)
{
	struct internal_args c;
	struct run r;
	struct counter_set cs = { 0 };
	char why[256];

	internal_parse(&c, &process_command, argc, argv);
	if (c.opt.counter_spec)
		counters_define_spec(&cs, c.opt.counter_spec);
	c.opt.progress = c.progress ? process_progress : NULL;
	c.opt.processes = 1;
	if (run_measure(&r, &c.opt, &cs, why, sizeof(why))) {
		util_error("scbench process: %s", why);
		return 1;
	}
	process_write(stdout, &r);
	run_free(&r);
	if (c.has_filter)
		regfree(&c.filter);
	return ferror(stdout) ? 1 : 0;
}
