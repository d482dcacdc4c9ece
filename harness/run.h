/*
 * run.h: one benchmark run, from the selection of benchmarks to their
 * statistics: probe each, size its N, measure all in interleaved rounds,
 * summarise. Produces numbers; the reporters (report.h) write them.
 */
#ifndef SCB_RUN_H
#define SCB_RUN_H

#include <regex.h>
#include "env.h"
#include "measure.h"
#include "probe.h"
#include "stats.h"

/* Defaults, in one place (README: methodology). */
#define RUN_DEFAULT_RUNS      2000
#define RUN_DEFAULT_WARMUP    50
#define RUN_DEFAULT_TARGET_US 100
#define RUN_QUICK_RUNS        200
#define RUN_QUICK_WARMUP      20
#define RUN_QUICK_TARGET_US   50
#define RUN_MAX_CALLS         (1ul << 22)
#define RUN_DEFAULT_COUNTER_RUNS 100
#define RUN_QUICK_COUNTER_RUNS   30
#define RUN_CONFIDENCE        0.95

struct run_options {
	int cpu;		/* -1: machine_default_cpu() */
	unsigned runs, warmup;
	unsigned target_us;	/* time N calls should take */
	const regex_t *filter;	/* NULL: everything */
	const char *filter_src;	/* its text, for the worker */
	unsigned counter_runs;	/* counting samples per benchmark; 0: none */
	const char *counter_spec;	/* worker: the parent's encoded counter set */
	void (*progress)(unsigned done, unsigned total);	/* NULL: quiet */
};

struct bench_result {
	const struct bench *b;
	enum bench_status status;
	char reason[256];
	char detail[128];		/* e.g. which instruction __kernel_vsyscall uses */
	struct kargs args;
	struct measure_item item;
	double *ticks;			/* [runs] per-call ticks */
	double *ns;			/* [runs] per-call nanoseconds */
	struct stats_summary ns_s, ticks_s;
	/* Best case: (min t(2N) - min t(N)) / N. The minimum of per-sample
	 * differences would be noise (an interrupt in the N half makes it
	 * small or negative); the minimum of each half is the least disturbed
	 * run of that length, and their difference the floor of the cost. */
	double ticks_best, ns_best;
	int has_ratio;
	double ratio, ratio_lo, ratio_hi;
	double *counts;			/* [counter_runs][counters.n] per-call counts */
	double count_median[COUNTERS_MAX];
	int has_counts;
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
};

/* Probe b in a child and, if it runs, size its N for target_ticks: fills
 * br's status, reason, detail, args and item (not the sample arrays). Used
 * by the run and by the other ABI's worker alike. */
void run_prepare_row(struct bench_result *br, const struct bench *b, const struct machine *m,
		     uint64_t target_ticks);

/* Whether b is selected by the filter (matched against abi/mechanism/syscall). */
int run_selected(const struct bench *b, const regex_t *filter);

/* Everything: pin, probe, measure, count, summarise; cs is the counter set
 * (counters_define). 0, or -1 with why (e.g. the CPU could not be pinned). */
int run_execute(struct run *r, const struct run_options *opt, const struct counter_set *cs,
		char *why, size_t len);

/* The counting phase for a set of items, shared with the worker: opens and
 * enables cs, then `runs` rounds of one counting sample per item, calling
 * hook after each round; out[i] gets runs x cs->n per-call values. */
void run_count_rounds(struct measure_item *items, double **out, size_t n, struct counter_set *cs,
		      unsigned runs, measure_round_fn hook, void *ctx);
void run_free(struct run *r);

#endif
