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

/* Defaults, in one place (README: methodology). */
#define RUN_DEFAULT_RUNS      2000
#define RUN_DEFAULT_WARMUP    50
#define RUN_DEFAULT_TARGET_US 100
#define RUN_QUICK_RUNS        200
#define RUN_QUICK_WARMUP      20
#define RUN_QUICK_TARGET_US   50
#define RUN_DEFAULT_COUNTER_RUNS 100
#define RUN_QUICK_COUNTER_RUNS   30
#define RUN_CONFIDENCE        0.95
/* In one process, intervals come from the spread between this many blocks
 * of consecutive rounds (stats_block_interval); across fresh processes,
 * from the spread between the processes' medians (stats_unit_medians). */
#define RUN_BLOCKS            10
/* Fresh measuring processes per run (README: methodology): enough for a
 * t interval that is not mostly its own uncertainty (t(0.975, 9) = 2.26,
 * against 2.78 for 5), and the 9 repetitions google/benchmark's compare.py
 * wants for its U test; within budget (quick <= 6 s, full <= 60 s on the
 * development VM). Each process warms up for warmup / processes rounds,
 * at least RUN_PROCESS_MIN_WARMUP. */
#define RUN_DEFAULT_PROCESSES 10
#define RUN_MAX_PROCESSES     1000
#define RUN_PROCESS_MIN_WARMUP 2
/* A row that loses more than this share of its samples (stats_reject) is
 * noisy, not ok. */
#define RUN_NOISY_FRACTION    0.10

struct run_options {
	int cpu;		/* -1: machine_default_cpu() */
	unsigned runs, warmup;
	unsigned target_us;	/* time N calls should take */
	const regex_t *filter;	/* NULL: everything */
	const char *filter_src;	/* its text, for the worker */
	unsigned counter_runs;	/* counting samples per benchmark; 0: none */
	int icount;		/* the TSC counts guest instructions (QEMU -icount shift=0) */
	const char *counter_spec;	/* worker: the parent's encoded counter set */
	const char *only;		/* worker: measure just this row (a child's row) */
	const char *seccomp;		/* worker: install this filter first (seccomp.h) */
	unsigned processes;		/* fresh measuring processes (process.h); <= 1: this one */
	double tsc_rate;		/* process, worker: the parent's TSC ticks per ns (0: calibrate) */
	unsigned round_base;		/* process: its first round's number in the run */
	void (*progress)(unsigned done, unsigned total);	/* NULL: quiet */
};


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
