/* SPDX-License-Identifier: MIT */
/* run.c: see run.h. */
#define _GNU_SOURCE
#include "run.h"
#include "disturb.h"
#include "process.h"
#include "tsc.h"
#include "util.h"
#include "worker.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Which samples count, and the row's verdict on them (README: sample
 * validity). Figures come from the valid samples alone. */
static void validate(struct bench_result *br, unsigned runs, unsigned nproc, double *scratch)
{
	size_t bad, np, no;
	double *x = scratch + runs;
	unsigned char *v = util_calloc(runs, 1);

	/* Within each process: a sample is an outlier against its own
	 * process's samples (an interrupt, a preemption). A process whose
	 * every sample sits higher is a level of the upper model, which the
	 * interval takes in, not a pile of outliers. */
	br->valid = util_calloc(runs, 1);
	br->rejected_nonpositive = br->rejected_outliers = 0;
	for (unsigned p = 0; p < nproc; p++) {
		size_t m = 0;
		for (unsigned k = 0; k < runs; k++)
			if (br->proc[k] == p)
				x[m++] = br->ticks[k];
		if (!m)
			continue;
		stats_reject(x, m, scratch, v, &np, &no);
		br->rejected_nonpositive += np;
		br->rejected_outliers += no;
		for (unsigned k = 0, j = 0; k < runs; k++)
			if (br->proc[k] == p)
				br->valid[k] = v[j++];
	}
	free(v);
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

/* The standard error of a median, from the MAD of the samples it is taken
 * of (normal data: 1.2533 sigma / sqrt(n), sigma = 1.4826 MAD). */
static double median_se(const struct stats_summary *s)
{
	return s->n ? 1.2533 * 1.4826 * s->mad / sqrt((double)s->n) : 0;
}

/* br's process medians in ns, grouped as its process ratios are split. */
static void ns_levels(struct bench_result *br, unsigned nproc, double split)
{
	double lo[RUN_MAX_PROCESSES], hi[RUN_MAX_PROCESSES];
	size_t nlo = 0, nhi = 0;

	for (unsigned p = 0; p < nproc && p < RUN_MAX_PROCESSES; p++) {
		if (isnan(br->pratio[p]) || isnan(br->pmed[p]))
			continue;
		if (br->pratio[p] < split)
			lo[nlo++] = br->pmed[p];
		else
			hi[nhi++] = br->pmed[p];
	}
	if (!nlo || !nhi)
		return;
	stats_sort(lo, nlo);
	stats_sort(hi, nhi);
	br->level[0] = stats_quantile_sorted(lo, nlo, 0.5);
	br->level[1] = stats_quantile_sorted(hi, nhi, 0.5);
	if (br->level[0] > br->level[1]) {
		double t = br->level[0];
		br->level[0] = br->level[1];
		br->level[1] = t;
	}
	br->nlevels = 2;
	/* the figure printed is either level's: the interval holds both, with
	 * its relative reach around each (as stats_two_level_interval does) */
	double c = br->ns_s.median;
	if (c > 0 && br->level[0] * (br->ns_s.ci_lo / c) < br->ns_s.ci_lo)
		br->ns_s.ci_lo = br->level[0] * (br->ns_s.ci_lo / c);
	if (c > 0 && br->level[1] * (br->ns_s.ci_hi / c) > br->ns_s.ci_hi)
		br->ns_s.ci_hi = br->level[1] * (br->ns_s.ci_hi / c);
}

/* The values of v[0..n-1] that are not NaN, in order, into out; how many. */
static size_t present(const double *v, size_t n, double *out)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			out[m++] = v[i];
	return m;
}

/* The median of the standard errors se[0..n-1] that are not NaN. */
static double typical_se(const double *se, size_t n, double *scratch)
{
	size_t m = present(se, n, scratch);

	stats_sort(scratch, m);
	return m ? stats_quantile_sorted(scratch, m, 0.5) : 0;
}

/* Turn raw tick pairs into per-call figures and their statistics. nproc:
 * the fresh processes the samples came from (br->proc). */
static void summarise(struct run *r, unsigned nproc)
{
	unsigned runs = r->opt.runs;
	size_t cap = runs > r->opt.counter_runs ? runs : r->opt.counter_runs;
	double *scratch = util_calloc(2 * cap + RUN_BLOCKS + nproc, sizeof(double));
	double *num = util_calloc(runs, sizeof(double)), *den = util_calloc(runs, sizeof(double));
	double *part = util_calloc(runs, sizeof(double)), *se = util_calloc(nproc, sizeof(double));
	unsigned char *both = util_calloc(runs, 1);
	unsigned *pof = util_calloc(runs, sizeof(unsigned));
	const struct bench_result *ref = NULL;
	struct stats_summary ps;

	for (size_t i = 0; i < r->n; i++) {
		struct bench_result *br = &r->res[i];
		if (br->status != STATUS_OK)
			continue;
		for (unsigned k = 0; k < runs; k++) {
			br->ticks[k] = ((double)br->item.ticks_2n[k] - (double)br->item.ticks_n[k]) /
				       (double)br->pcalls[br->proc[k]];
			br->ns[k] = br->ticks[k] / r->ticks_per_ns;
		}
		/* the floor of each process, and the lowest of them */
		br->ticks_best = INFINITY;
		for (unsigned p = 0; p < nproc; p++) {
			uint64_t min_n = UINT64_MAX, min_2n = UINT64_MAX;
			for (unsigned k = 0; k < runs; k++) {
				if (br->proc[k] != p)
					continue;
				if (br->item.ticks_n[k] < min_n)
					min_n = br->item.ticks_n[k];
				if (br->item.ticks_2n[k] < min_2n)
					min_2n = br->item.ticks_2n[k];
			}
			double best = ((double)min_2n - (double)min_n) / (double)br->pcalls[p];
			if (min_n != UINT64_MAX && best < br->ticks_best)
				br->ticks_best = best;
		}
		br->ns_best = br->ticks_best / r->ticks_per_ns;
		validate(br, runs, nproc, scratch);
		if (!probe_status_measured(br->status))
			continue;
		summarize_valid(br->ticks, br->valid, runs, scratch, &br->ticks_s);
		br->blocks = summarize_valid(br->ns, br->valid, runs, scratch, &br->ns_s);
		/* The upper level: each process's median, and how precise it is.
		 * A process with under 3 valid samples is no unit of the model
		 * (one sample is no median of a process): pmed[p] is NaN; one
		 * that kept under half its samples makes the row noisy. */
		br->npmed = 0;
		for (unsigned p = 0; p < nproc; p++) {
			size_t m = 0, taken = 0;
			for (unsigned k = 0; k < runs; k++)
				if (br->proc[k] == p) {
					taken++;
					if (br->valid[k])
						part[m++] = br->ns[k];
				}
			br->pmed[p] = se[p] = NAN;
			if (!taken)
				continue;
			if (2 * m < taken) {
				if (nproc > 1 && br->status == STATUS_OK) {
					br->status = STATUS_NOISY;
					snprintf(br->reason, sizeof(br->reason), "measuring process %u of %u kept %zu "
						 "of its %zu samples: the machine was busy while it ran", p + 1, nproc,
						 m, taken);
				}
			}
			if (m < 3)	/* too few to be a process's median */
				continue;
			stats_summarize(part, m, RUN_CONFIDENCE, scratch, &ps);
			se[p] = median_se(&ps);
			br->pmed[p] = ps.median;
			br->npmed++;
		}
		br->nlevels = 1;
		if (nproc > 1 && br->npmed >= 3) {
			double level[2], typical = typical_se(se, nproc, scratch);
			size_t k = present(br->pmed, nproc, part);
			stats_two_level_interval(part, k, typical, RUN_CONFIDENCE, br->ns_s.median, scratch,
						 &br->ns_s.ci_lo, &br->ns_s.ci_hi, level, NULL);
			br->blocks = 0;
		}
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
				pof[j] = br->proc[k];
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
		/* each process's paired ratios: their median, and how precise */
		br->npratio = 0;
		for (unsigned p = 0; p < nproc; p++) {
			size_t c = 0;
			for (size_t k = 0; k < m; k++)
				if (pof[k] == p)
					part[c++] = num[k];
			br->pratio[p] = se[p] = NAN;
			if (c < 3 || isnan(br->pmed[p]))
				continue;
			stats_summarize(part, c, RUN_CONFIDENCE, scratch, &ps);
			br->pratio[p] = ps.median;
			se[p] = median_se(&ps);
			br->npratio++;
		}
		if (br->has_ratio && nproc > 1 && br->npratio >= 3 && br != ref) {
			double level[2], split, typical = typical_se(se, nproc, scratch);
			size_t k = present(br->pratio, nproc, part);
			/* Levels are called on the ratios: a machine that was
			 * busier while one process ran slows every row of that
			 * process alike, the reference too, and cancels here; a
			 * level fixed for one row by its process's layout does
			 * not. They are reported in ns: the median of the
			 * processes on each side. */
			if (stats_two_level_interval(part, k, typical, RUN_CONFIDENCE, br->ratio, scratch,
						     &br->ratio_lo, &br->ratio_hi, level, &split) == 2)
				ns_levels(br, nproc, split);
		}
	}
	free(num);
	free(den);
	free(part);
	free(se);
	free(both);
	free(pof);
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

static void alloc_samples(struct bench_result *br, unsigned runs, unsigned nproc)
{
	br->item.ticks_n = util_calloc(runs, sizeof(uint64_t));
	br->item.ticks_2n = util_calloc(runs, sizeof(uint64_t));
	br->ticks = util_calloc(runs, sizeof(double));
	br->ns = util_calloc(runs, sizeof(double));
	br->proc = util_calloc(runs, sizeof(unsigned));
	br->pcalls = util_calloc(nproc, sizeof(unsigned long));
	br->pmed = util_calloc(nproc, sizeof(double));
	br->pratio = util_calloc(nproc, sizeof(double));
}

/* Pin, probe, note the machine: what both ways of running begin with. */
static int run_begin(struct run *r, const struct run_options *opt, const struct counter_set *cs,
		     char *why, size_t len)
{
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
	return 0;
}

/* What the machine is doing just before or after timing (disturb.h), into
 * env.csv as disturbance_WHEN. */
static void note_disturbance(struct run *r, const char *when)
{
	struct disturb d;

	disturb_check(&d, r->opt.cpu);
	disturb_record(&r->env, when, &d);
}

/* The TSC rate from the whole timing window: the longest, so the most
 * precise, calibration (rate0, the 50 ms one, when the window is under
 * 200 ms); and the window's length. */
static void finish_clock(struct run *r, const struct tsc_stamp *start, const struct tsc_stamp *end,
			 double rate0)
{
	r->ticks_per_ns = tsc_rate(start, end);
	if (r->ticks_per_ns <= 0 || end->raw_ns - start->raw_ns < 200000000)
		r->ticks_per_ns = rate0;
	r->seconds = (double)(end->raw_ns - start->raw_ns) / 1e9;
}

int run_measure(struct run *r, const struct run_options *opt, const struct counter_set *cs,
		char *why, size_t len)
{
	struct measure_item *items;
	struct bench_result **owner;	/* items[i] is owner[i]'s */
	struct tsc_stamp start, end;
	struct worker *w = util_calloc(registry_count + 1, sizeof(*w));
	struct round_ctx ctx = { w, 0, opt, 0 };
	size_t nitems = 0, nforeign = 0;
	double rate0;

	if (run_begin(r, opt, cs, why, len)) {
		free(w);
		return -1;
	}
	if (opt->progress)	/* before the probing: the line shows at once */
		opt->progress(0, opt->runs);
	items = util_calloc(registry_count, sizeof(*items));
	owner = util_calloc(registry_count, sizeof(*owner));
	/* a measuring process is handed the rate its parent calibrated, and
	 * hands it on: 50 ms saved in every process and worker */
	rate0 = opt->tsc_rate > 0 ? opt->tsc_rate : tsc_calibrate(50);
	r->opt.tsc_rate = rate0;
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
		alloc_samples(br, opt->runs, 1);
		owner[nitems] = br;
		items[nitems++] = br->item;
	}
	/* the other ABI's rows in its twin; each child row (a seccomp filter)
	 * in a worker of its own, all in lockstep with this process's rows */
	const struct worker_rows rows = { r->res, r->n, &r->env, &r->counters };
	if (nforeign && worker_start(&w[ctx.nw], &r->opt, &rows, NULL) == 0)
		ctx.nw++;
	for (size_t i = 0; i < r->n; i++)
		if (registry_native(r->res[i].b) && registry_in_child(r->res[i].b) &&
		    worker_start(&w[ctx.nw], &r->opt, &rows, r->res[i].b) == 0)
			ctx.nw++;
	for (size_t k = 0; k < ctx.nw; k++)
		for (size_t i = 0; i < w[k].n; i++)
			alloc_samples(w[k].rows[i], opt->runs, 1);
	for (size_t i = 0; i < r->n; i++)
		if (r->res[i].pcalls)
			r->res[i].pcalls[0] = r->res[i].item.calls;

	/* Nothing of ours is open now (counting comes later, in both
	 * processes): what this finds is the machine's. */
	note_disturbance(r, "before");
	tsc_stamp(&start);
	measure_rounds(items, nitems, opt->warmup, opt->runs, round_hook, &ctx);
	tsc_stamp(&end);
	note_disturbance(r, "after");
	/* a row whose kernel faulted is an error; the others were measured */
	for (size_t i = 0; i < nitems; i++)
		if (items[i].fault)
			row_fault(owner[i], items[i].fault, items[i].fault_round < 0 ? "warming up" : "timing",
				  items[i].fault_round < 0 ? -1 : items[i].fault_round + (int)opt->round_base);
	free(items);
	free(owner);

	finish_clock(r, &start, &end, rate0);
	if (opt->counter_runs)
		count_phase(r, w, ctx.nw);
	for (size_t k = 0; k < ctx.nw; k++)
		worker_stop(&w[k]);
	free(w);
	return 0;
}

/* The run's settings, as env.csv records them. */
static void note_settings(struct run *r, unsigned nproc)
{
	env_set(&r->env, "tsc_ghz", "%.6f", r->ticks_per_ns);
	env_set(&r->env, "runs", "%u", r->opt.runs);
	env_set(&r->env, "warmup", "%u", r->opt.warmup);
	env_set(&r->env, "target_us_per_n", "%u", r->opt.target_us);
	env_set(&r->env, "measure_seconds", "%.3f", r->seconds);
	env_set(&r->env, "processes", "%u", nproc);
}

/* Leave out the rounds of the processes that gave nothing (lost[p]): every
 * row's samples move down over them, and the processes are numbered again
 * without them. Returns how many processes are left. */
static unsigned drop_lost(struct run *r, const unsigned char *lost, const unsigned *first,
			  const unsigned *share, unsigned nproc)
{
	unsigned *renum = util_calloc(nproc, sizeof(unsigned)), kept = 0, to = 0;

	for (unsigned p = 0; p < nproc; p++)
		renum[p] = lost[p] ? UINT32_MAX : kept++;
	for (size_t i = 0; i < r->n; i++) {
		struct bench_result *br = &r->res[i];
		unsigned k = 0;
		if (!br->proc)
			continue;
		for (unsigned p = 0; p < nproc; p++) {
			if (lost[p])
				continue;
			for (unsigned j = 0; j < share[p]; j++, k++) {
				br->item.ticks_n[k] = br->item.ticks_n[first[p] + j];
				br->item.ticks_2n[k] = br->item.ticks_2n[first[p] + j];
				br->proc[k] = renum[p];
			}
			br->pcalls[renum[p]] = br->pcalls[p];
		}
		to = k;
	}
	r->opt.runs = to;
	free(renum);
	return kept;
}

/* opt->processes fresh processes, one after the other, each measuring
 * every row for its share of the rounds (process.h); the last one counts.
 * This process only starts them, keeps the samples and does the sums. A
 * process that fails gives nothing: its share is left out, the others'
 * results stand (env.csv process_failed says which and why). Returns the
 * processes whose samples remain (0: none ended well). */
static int run_processes(struct run *r, const struct run_options *opt, const struct counter_set *cs,
			 unsigned *kept, char *why, size_t len)
{
	unsigned nproc = opt->processes, base = opt->runs / nproc, extra = opt->runs % nproc;
	unsigned warmup = (opt->warmup + nproc - 1) / nproc, done = 0;
	unsigned *first = util_calloc(nproc, sizeof(unsigned)), *share = util_calloc(nproc, sizeof(unsigned));
	unsigned char *lost = util_calloc(nproc, 1);
	struct tsc_stamp start, end;
	char pwhy[256], failed[1024] = "";

	if (run_begin(r, opt, cs, why, len)) {
		free(first);
		free(share);
		free(lost);
		return -1;
	}
	if (warmup < RUN_PROCESS_MIN_WARMUP)
		warmup = RUN_PROCESS_MIN_WARMUP;
	/* --runs exactly: the first runs % processes take one round more */
	for (unsigned p = 0, at = 0; p < nproc; p++) {
		share[p] = base + (p < extra);
		first[p] = at;
		at += share[p];
	}
	for (size_t i = 0; i < registry_count; i++) {
		if (!row_selected(&registry[i], opt->filter))
			continue;
		struct bench_result *br = &r->res[r->n++];
		br->b = &registry[i];
		br->status = STATUS_ERROR;
		snprintf(br->reason, sizeof(br->reason), "no measuring process reported this row");
		alloc_samples(br, r->opt.runs, nproc);
	}
	double rate0 = tsc_calibrate(50);
	note_disturbance(r, "before");
	tsc_stamp(&start);
	for (unsigned p = 0; p < nproc; p++) {
		/* the last one counts; if it fails, counting is lost with it
		 * (summary.csv says the counters did not run) */
		if (process_measure(r, p, nproc, first[p], share[p], warmup,
				    p + 1 == nproc ? opt->counter_runs : 0, rate0, done > 0, pwhy, sizeof(pwhy))) {
			lost[p] = 1;
			snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed), "%sprocess %u of %u: %s",
				 failed[0] ? "; " : "", p + 1, nproc, pwhy);
			if (p + 1 == nproc)
				r->opt.counter_runs = 0;
			continue;
		}
		done++;
	}
	tsc_stamp(&end);
	note_disturbance(r, "after");
	if (failed[0])
		env_set(&r->env, "process_failed", "%s", failed);
	*kept = drop_lost(r, lost, first, share, nproc);
	if (!*kept)
		for (size_t i = 0; i < r->n; i++)
			snprintf(r->res[i].reason, sizeof(r->res[i].reason),
				 "every measuring process failed (%s)", failed);
	if (r->opt.progress)
		r->opt.progress(r->opt.runs, r->opt.runs);
	/* every process's rounds lie between these stamps */
	finish_clock(r, &start, &end, rate0);
	free(first);
	free(share);
	free(lost);
	return 0;
}

int run_execute(struct run *r, const struct run_options *opt, const struct counter_set *cs,
		char *why, size_t len)
{
	unsigned nproc = opt->processes > 1 ? opt->processes : 1;

	if (nproc > 1 ? run_processes(r, opt, cs, &nproc, why, len) : run_measure(r, opt, cs, why, len))
		return -1;
	if (!nproc)	/* every process failed: every row says so, nothing to sum */
		nproc = 1;
	r->nprocesses = nproc;
	note_settings(r, nproc);
	summarise(r, nproc);
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
		free(r->res[i].proc);
		free(r->res[i].pcalls);
		free(r->res[i].pmed);
		free(r->res[i].pratio);
	}
	free(r->res);
	r->res = NULL;
	r->n = 0;
}
