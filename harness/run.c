/* SPDX-License-Identifier: MIT */
/* run.c: see run.h. */
#define _GNU_SOURCE
#include "run.h"
#include "disturb.h"
#include "tsc.h"
#include "util.h"
#include "worker.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Which samples count, and the row's verdict on them (README: sample
 * validity). Figures come from the valid samples alone. */
static void validate(struct bench_result *br, unsigned runs, double *scratch)
{
	size_t bad;

	br->valid = util_calloc(runs, 1);
	stats_reject(br->ticks, runs, scratch, br->valid, &br->rejected_nonpositive,
		     &br->rejected_outliers);
	bad = br->rejected_nonpositive + br->rejected_outliers;
	if (bad == runs) {
		br->status = STATUS_ERROR;
		snprintf(br->reason, sizeof(br->reason), "every one of %u samples was rejected "
			 "(%zu not positive, %zu outliers)", runs, br->rejected_nonpositive,
			 br->rejected_outliers);
	} else if ((double)bad > RUN_NOISY_FRACTION * runs) {
		br->status = STATUS_NOISY;
		snprintf(br->reason, sizeof(br->reason), "%zu of %u samples rejected (%zu not positive, "
			 "%zu outliers), over the %.0f%% a trustworthy row may lose: the machine was busy",
			 bad, runs, br->rejected_nonpositive, br->rejected_outliers,
			 100 * RUN_NOISY_FRACTION);
	}
}

/* Summary of the valid samples of x, with the between-block interval of
 * the median (stats_block_interval) where there are enough blocks. */
static size_t summarize_valid(const double *x, const unsigned char *valid, unsigned runs,
			      double *scratch, struct stats_summary *s)
{
	double *kept = scratch + runs + RUN_BLOCKS;
	size_t m = 0, k;

	for (unsigned i = 0; i < runs; i++)
		if (valid[i])
			kept[m++] = x[i];
	stats_summarize(kept, m, RUN_CONFIDENCE, scratch, s);
	k = stats_block_interval(x, valid, runs, RUN_BLOCKS, RUN_CONFIDENCE, s->median, scratch,
				 &s->ci_lo, &s->ci_hi);
	return k >= 3 ? k : 0;
}

/* Turn raw tick pairs into per-call figures and their statistics. */
static void summarise(struct run *r)
{
	unsigned runs = r->opt.runs;
	size_t cap = runs > r->opt.counter_runs ? runs : r->opt.counter_runs;
	double *scratch = util_calloc(2 * cap + RUN_BLOCKS, sizeof(double));
	double *num = util_calloc(runs, sizeof(double)), *den = util_calloc(runs, sizeof(double));
	unsigned char *both = util_calloc(runs, 1);
	const struct bench_result *ref = NULL;

	for (size_t i = 0; i < r->n; i++) {
		struct bench_result *br = &r->res[i];
		if (br->status != STATUS_OK)
			continue;
		for (unsigned k = 0; k < runs; k++) {
			br->ticks[k] = measure_ticks_per_call(&br->item, k);
			br->ns[k] = br->ticks[k] / r->ticks_per_ns;
		}
		uint64_t min_n = UINT64_MAX, min_2n = UINT64_MAX;
		for (unsigned k = 0; k < runs; k++) {
			if (br->item.ticks_n[k] < min_n)
				min_n = br->item.ticks_n[k];
			if (br->item.ticks_2n[k] < min_2n)
				min_2n = br->item.ticks_2n[k];
		}
		br->ticks_best = ((double)min_2n - (double)min_n) / (double)br->item.calls;
		br->ns_best = br->ticks_best / r->ticks_per_ns;
		validate(br, runs, scratch);
		if (!probe_status_measured(br->status))
			continue;
		summarize_valid(br->ticks, br->valid, runs, scratch, &br->ticks_s);
		br->blocks = summarize_valid(br->ns, br->valid, runs, scratch, &br->ns_s);
		if (br->b == &registry[0])
			ref = br;
	}
	for (size_t i = 0; i < r->n; i++) {
		struct bench_result *br = &r->res[i];
		unsigned cr = r->opt.counter_runs;
		if (!probe_status_measured(br->status) || !br->counts || cr == 0)
			continue;
		for (size_t c = 0; c < r->counters.n; c++) {
			for (unsigned k = 0; k < cr; k++)
				scratch[k] = br->counts[(size_t)k * r->counters.n + c];
			stats_sort(scratch, cr);
			br->count_median[c] = stats_quantile_sorted(scratch, cr, 0.5);
		}
		br->has_counts = 1;
	}
	/* Paired ratios: a round counts only where both samples are valid. */
	for (size_t i = 0; ref && i < r->n; i++) {
		struct bench_result *br = &r->res[i];
		size_t m = 0;
		if (!probe_status_measured(br->status))
			continue;
		for (unsigned k = 0; k < runs; k++) {
			num[k] = br->ticks[k];
			den[k] = ref->ticks[k];
			both[k] = br->valid[k] && ref->valid[k];
			m += both[k];
		}
		for (unsigned k = 0, j = 0; k < runs; k++)
			if (both[k]) {
				num[j] = num[k];
				den[j++] = den[k];
			}
		br->has_ratio = stats_paired_ratio(num, den, m, RUN_CONFIDENCE, scratch, &br->ratio,
						   &br->ratio_lo, &br->ratio_hi) > 0;
		/* the same rounds' ratios, in round order, for the block interval */
		for (size_t k = 0; k < m; k++)
			num[k] /= den[k];
		if (br->has_ratio)
			stats_block_interval(num, NULL, m, RUN_BLOCKS, RUN_CONFIDENCE, br->ratio, scratch,
					     &br->ratio_lo, &br->ratio_hi);
	}
	free(num);
	free(den);
	free(both);
	free(scratch);
}

struct round_ctx {
	struct worker *w;	/* the other ABI's worker, then one per child row */
	size_t nw;
	const struct run_options *opt;
	size_t ncounters;
};

/* After each round of this process's rows: the worker's turn, then progress
 * (every 16 rounds, so the terminal is not the bottleneck). */
static void round_hook(void *p, int round, unsigned runs)
{
	struct round_ctx *c = p;

	for (size_t i = 0; i < c->nw; i++)
		worker_round(&c->w[i], round);
	if (c->opt->progress && round >= 0 && (round % 16 == 15 || (unsigned)round + 1 == runs))
		c->opt->progress((unsigned)round + 1, runs);
}

static void count_hook(void *p, int round, unsigned runs)
{
	struct round_ctx *c = p;

	(void)runs;
	for (size_t i = 0; i < c->nw; i++)
		worker_count_round(&c->w[i], round, c->ncounters);
}

/* What one read of every counter costs, to be recorded with the results:
 * the median of many back-to-back reads, in ns. */
static double counter_read_ns(struct counter_set *cs, double ticks_per_ns)
{
	uint64_t vals[COUNTERS_MAX];
	double t[101];

	for (int i = 0; i < 101; i++) {
		uint64_t t0 = tsc_read();
		counters_read_all(cs, vals);
		t[i] = (double)(tsc_read() - t0) / ticks_per_ns;
	}
	stats_sort(t, 101);
	return t[50];
}

/* The counting phase: after the timing rounds, so counter reads never sit
 * inside a timed sample. Same interleaving, the worker's rows included. */
static void count_phase(struct run *r, struct worker *w, size_t nw)
{
	struct measure_item *items = util_calloc(r->n, sizeof(*items));
	struct bench_result **owner = util_calloc(r->n, sizeof(*owner));
	double **outs = util_calloc(r->n, sizeof(*outs));
	unsigned cr = r->opt.counter_runs;
	size_t n = 0, nc = r->counters.n;
	struct round_ctx ctx = { w, nw, &r->opt, nc };
	char buf[1024];

	counters_open_all(&r->counters);
	counters_enable_all(&r->counters);
	for (size_t i = 0; i < r->n; i++) {
		struct bench_result *br = &r->res[i];
		if (br->status != STATUS_OK)
			continue;
		br->counts = util_calloc((size_t)cr * nc, sizeof(double));
		if (registry_native(br->b) && !registry_in_child(br->b)) {
			items[n] = br->item;
			owner[n] = br;
			outs[n++] = br->counts;
		}
	}
	row_count_rounds(items, outs, n, &r->counters, cr, count_hook, &ctx);
	for (size_t i = 0; i < n; i++)
		if (items[i].fault)
			row_fault(owner[i], items[i].fault, "counting", items[i].fault_round);
	counters_method(&r->counters, buf, sizeof(buf));
	env_set(&r->env, "counter_read_method", "%s", buf);
	env_set(&r->env, "counter_read_ns", "%.1f", counter_read_ns(&r->counters, r->ticks_per_ns));
	env_set(&r->env, "counter_runs", "%u", cr);
	counters_reasons(&r->counters, buf, sizeof(buf));
	env_set(&r->env, "counters_missing", "%s", buf[0] ? buf : "none");
	counters_close_all(&r->counters);
	free(items);
	free(owner);
	free(outs);
}

static void alloc_samples(struct bench_result *br, unsigned runs)
{
	br->item.ticks_n = util_calloc(runs, sizeof(uint64_t));
	br->item.ticks_2n = util_calloc(runs, sizeof(uint64_t));
	br->ticks = util_calloc(runs, sizeof(double));
	br->ns = util_calloc(runs, sizeof(double));
}

int run_execute(struct run *r, const struct run_options *opt, const struct counter_set *cs,
		char *why, size_t len)
{
	struct measure_item *items;
	struct bench_result **owner;	/* items[i] is owner[i]'s */
	struct tsc_stamp start, end;
	struct worker *w = util_calloc(registry_count + 1, sizeof(*w));
	struct round_ctx ctx = { w, 0, opt, 0 };
	size_t nitems = 0, nforeign = 0;
	double rate0;

	memset(r, 0, sizeof(*r));
	r->opt = *opt;
	r->counters = *cs;
	if (r->opt.cpu < 0)
		r->opt.cpu = machine_default_cpu();
	if (r->opt.cpu < 0 || machine_pin(r->opt.cpu)) {
		snprintf(why, len, "cannot pin to CPU %d: %s", r->opt.cpu, strerror(errno));
		return -1;
	}
	machine_probe(&r->machine);
	env_collect(&r->env, &r->machine, r->opt.cpu);

	r->res = util_calloc(registry_count, sizeof(*r->res));
	items = util_calloc(registry_count, sizeof(*items));
	owner = util_calloc(registry_count, sizeof(*owner));
	rate0 = tsc_calibrate(50);
	for (size_t i = 0; i < registry_count; i++) {
		if (!row_selected(&registry[i], opt->filter))
			continue;
		struct bench_result *br = &r->res[r->n++];
		br->b = &registry[i];
		if (!registry_native(br->b)) {
			nforeign++;
			continue;
		}
		if (registry_in_child(br->b))
			continue;	/* its own worker, below */
		row_prepare(br, br->b, &r->machine, (uint64_t)(opt->target_us * 1000.0 * rate0));
		if (br->status != STATUS_OK)
			continue;
		alloc_samples(br, opt->runs);
		owner[nitems] = br;
		items[nitems++] = br->item;
	}
	/* the other ABI's rows in its twin; each child row (a seccomp filter)
	 * in a worker of its own, all in lockstep with this process's rows */
	if (nforeign && worker_start(&w[ctx.nw], r, NULL) == 0)
		ctx.nw++;
	for (size_t i = 0; i < r->n; i++)
		if (registry_native(r->res[i].b) && registry_in_child(r->res[i].b) &&
		    worker_start(&w[ctx.nw], r, r->res[i].b) == 0)
			ctx.nw++;
	for (size_t k = 0; k < ctx.nw; k++)
		for (size_t i = 0; i < w[k].n; i++)
			alloc_samples(w[k].rows[i], opt->runs);

	/* Nothing of ours is open now (counting comes later, in both
	 * processes): what this finds is the machine's. */
	struct disturb d;
	disturb_check(&d, r->opt.cpu);
	disturb_record(&r->env, "before", &d);
	tsc_stamp(&start);
	measure_rounds(items, nitems, opt->warmup, opt->runs, round_hook, &ctx);
	tsc_stamp(&end);
	disturb_check(&d, r->opt.cpu);
	disturb_record(&r->env, "after", &d);
	/* a row whose kernel faulted is an error; the others were measured */
	for (size_t i = 0; i < nitems; i++)
		if (items[i].fault)
			row_fault(owner[i], items[i].fault, items[i].fault_round < 0 ? "warming up" : "timing",
				  items[i].fault_round);
	free(items);
	free(owner);

	/* The whole run is the longest, so the most precise, calibration window. */
	r->ticks_per_ns = tsc_rate(&start, &end);
	if (r->ticks_per_ns <= 0 || end.raw_ns - start.raw_ns < 200000000)
		r->ticks_per_ns = rate0;
	r->seconds = (double)(end.raw_ns - start.raw_ns) / 1e9;
	if (opt->counter_runs)
		count_phase(r, w, ctx.nw);
	for (size_t k = 0; k < ctx.nw; k++)
		worker_stop(&w[k]);
	free(w);
	env_set(&r->env, "tsc_ghz", "%.6f", r->ticks_per_ns);
	env_set(&r->env, "runs", "%u", opt->runs);
	env_set(&r->env, "warmup", "%u", opt->warmup);
	env_set(&r->env, "target_us_per_n", "%u", opt->target_us);
	env_set(&r->env, "measure_seconds", "%.3f", r->seconds);
	summarise(r);
	return 0;
}

void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->res[i].item.ticks_n);
		free(r->res[i].item.ticks_2n);
		free(r->res[i].ticks);
		free(r->res[i].ns);
		free(r->res[i].counts);
		free(r->res[i].valid);
	}
	free(r->res);
	r->res = NULL;
	r->n = 0;
}
