/* SPDX-License-Identifier: MIT */
/*
 * run.h: one benchmark run, from the selection of benchmarks to their
 * statistics: probe each, size its N, measure all in interleaved rounds,
 * summarise. Produces numbers; the reporters (report.h) write them.
 */
#ifndef SCB_RUN_H
#define SCB_RUN_H

#include <regex.h>
#include "env.h"
#include "row.h"
#include "settings.h"

struct run {
	struct run_options opt;
	struct machine machine;
	struct env env;
	struct counter_set counters;	/* defined by the caller (counters_define) */
	struct bench_result *res;
	size_t n;
	double ticks_per_ns;
	double seconds;			/* wall time of the measuring phase */
	size_t nprocesses;		/* the processes behind the samples (br->proc < this) */
};

/* Everything: pin, probe, measure, count, summarise; cs is the counter set
 * (counters_define). With opt->processes > 1 the measuring is done by that
 * many fresh processes (process.h), opt->runs rounds shared between them.
 * 0, or -1 with why (e.g. the CPU could not be pinned). */
int run_execute(struct run *r, const struct run_options *opt, const struct counter_set *cs,
		char *why, size_t len);

/* One process's part: pin, probe, measure and count in this process, no
 * statistics (what `scbench process` does, and run_execute for one). */
int run_measure(struct run *r, const struct run_options *opt, const struct counter_set *cs,
		char *why, size_t len);

void run_free(struct run *r);

#endif
