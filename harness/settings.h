/* SPDX-License-Identifier: MIT */
/*
 * settings.h: what a run is asked to do (struct run_options) and the
 * defaults, apart from the run itself (run.h), so that the other ABI's
 * worker (worker.h) and the fresh processes take a run's settings without
 * reaching into the run.
 */
#ifndef SCB_SETTINGS_H
#define SCB_SETTINGS_H

#include <regex.h>

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

#endif
