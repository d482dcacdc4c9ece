/* SPDX-License-Identifier: MIT */
/*
 * row.h: one benchmark row of a run, and the work on it that both ABIs'
 * processes share: probing and sizing it (row_prepare) and the counting
 * rounds (row_count_rounds). The run (run.c) and the other ABI's worker
 * (worker.c) both sit above this module, so neither calls into the other
 * for these.
 */
#ifndef SCB_ROW_H
#define SCB_ROW_H

#include <regex.h>
#include <stdint.h>
#include "measure.h"
#include "probe.h"
#include "stats.h"

/* The most calls one half-sample may make: bounds a sample's length when
 * a kernel is far faster than the target (the empty loop). */
#define ROW_MAX_CALLS (1ul << 22)

struct bench_result {
	const struct bench *b;
	enum bench_status status;	/* STATUS_NOISY: measured, but see reason */
	char reason[256];
	char detail[128];		/* e.g. which instruction __kernel_vsyscall uses */
	struct kargs args;
	struct measure_item item;
	double *ticks;			/* [runs] per-call ticks */
	double *ns;			/* [runs] per-call nanoseconds */
	unsigned char *valid;		/* [runs] 1: the sample counts (stats_reject) */
	size_t rejected_nonpositive, rejected_outliers;
	struct stats_summary ns_s, ticks_s;	/* of the valid samples */
	size_t blocks;			/* blocks behind the interval (0: order statistics) */
	/* Best case: (min t(2N) - min t(N)) / N. The minimum of per-sample
	 * differences would be noise (an interrupt in the N half makes it
	 * small or negative); the minimum of each half is the least disturbed
	 * run of that length, and their difference the floor of the cost. */
	double ticks_best, ns_best;
	int has_ratio;
	double ratio, ratio_lo, ratio_hi;
	/* Fresh processes (run.h): sample k came from process proc[k], which
	 * sized its own N, pcalls[proc[k]] (item.calls is the first's). */
	unsigned *proc;			/* [runs] */
	unsigned long *pcalls;		/* [processes] */
	/* The two-level model's units: the median of each process's valid
	 * samples (ns) and of its paired ratios, in process order. */
	double *pmed, *pratio;		/* [processes] */
	size_t npmed, npratio;
	size_t nlevels;			/* 2: the process medians fall into two levels */
	double level[2];		/* their medians (ns), ascending */
	double *counts;			/* [counter_runs][counters.n] per-call counts */
	double count_median[COUNTERS_MAX];
	int has_counts;
};

/* The row of res[0..n-1] named name (abi/mechanism/syscall), or NULL: how
 * the other processes' lines (worker.h, process.h) find their rows. */
struct bench_result *row_find(struct bench_result *res, size_t n, const char *name);

/* Whether b is selected by the filter (matched against abi/mechanism/syscall). */
int row_selected(const struct bench *b, const regex_t *filter);

/* Probe b in a child and, if it runs, size its N for target_ticks: fills
 * br's status, reason, detail, args and item (not the sample arrays). */
void row_prepare(struct bench_result *br, const struct bench *b, const struct machine *m,
		 uint64_t target_ticks);

/* br becomes an error naming sig (guard.h), the phase ("timing") and
 * the round (0-based; -1: none). */
void row_fault(struct bench_result *br, int sig, const char *phase, int round);

/* `runs` rounds of one counting sample per item, calling hook after each
 * round; out[i] gets runs x cs->n per-call values. An item whose kernel
 * faults gets fault/fault_round set (measure.h) and is skipped after. cs must be open and
 * enabled: the caller opens it for the counting phase alone and closes it
 * after, so no counter (a syscall tracepoint above all, which sends every
 * syscall of every process down the kernel's slow path) exists while
 * anything is timed. */
void row_count_rounds(struct measure_item *items, double **out, size_t n, struct counter_set *cs,
		      unsigned runs, measure_round_fn hook, void *ctx);

#endif
