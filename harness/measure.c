/* SPDX-License-Identifier: MIT */
/* measure.c: see measure.h. */
#include "measure.h"
#include "guard.h"
#include "tsc.h"

void measure_sample(scb_kernel_fn k, struct kargs *a, unsigned long calls,
		    uint64_t *ticks_n, uint64_t *ticks_2n)
{
	uint64_t t0 = tsc_read();
	k(calls, a);
	uint64_t t1 = tsc_read();
	k(2 * calls, a);
	uint64_t t2 = tsc_read();

	*ticks_n = t1 - t0;
	*ticks_2n = t2 - t1;
}

struct choose {
	scb_kernel_fn k;
	struct kargs *a;
	uint64_t target_ticks;
	unsigned long max_calls, calls;
};

static void choose(void *p)
{
	struct choose *c = p;

	c->k(c->calls, c->a);	/* warm caches and the TLB before the first timing */
	while (c->calls * 2 <= c->max_calls) {
		/* the fastest of three: an interrupt only ever adds time */
		uint64_t best = UINT64_MAX;
		for (int i = 0; i < 3; i++) {
			uint64_t t0 = tsc_read();
			c->k(c->calls, c->a);
			uint64_t t = tsc_read() - t0;
			if (t < best)
				best = t;
		}
		if (best >= c->target_ticks)
			break;
		c->calls *= 2;
	}
}

unsigned long measure_choose_calls(scb_kernel_fn k, struct kargs *a,
				   uint64_t target_ticks, unsigned long max_calls, int *fault)
{
	struct choose c = { k, a, target_ticks, max_calls, KERNEL_UNROLL };

	*fault = guard_call(choose, &c);
	return c.calls;
}

void measure_count_sample(const struct measure_item *it, struct counter_set *cs, double *per_call)
{
	uint64_t v0[COUNTERS_MAX], v1[COUNTERS_MAX], v2[COUNTERS_MAX];

	counters_read_all(cs, v0);
	it->kernel(it->calls, it->args);
	counters_read_all(cs, v1);
	it->kernel(2 * it->calls, it->args);
	counters_read_all(cs, v2);
	for (size_t i = 0; i < cs->n; i++)
		per_call[i] = (((double)v2[i] - (double)v1[i]) - ((double)v1[i] - (double)v0[i])) /
			      (double)it->calls;
}

struct guarded_sample {
	const struct measure_item *it;
	struct counter_set *cs;
	double *per_call;
	uint64_t *ticks_n, *ticks_2n;
};

static void timed(void *p)
{
	struct guarded_sample *g = p;

	measure_sample(g->it->kernel, g->it->args, g->it->calls, g->ticks_n, g->ticks_2n);
}

static void counted(void *p)
{
	struct guarded_sample *g = p;

	measure_count_sample(g->it, g->cs, g->per_call);
}

int measure_count_sample_guarded(const struct measure_item *it, struct counter_set *cs, double *per_call)
{
	struct guarded_sample g = { .it = it, .cs = cs, .per_call = per_call };

	return guard_call(counted, &g);
}

void measure_rounds(struct measure_item *items, size_t n, unsigned warmup,
		    unsigned runs, measure_round_fn hook, void *ctx)
{
	uint64_t discard_n, discard_2n;

	for (unsigned r = 0; r < warmup + runs; r++) {
		int round = r < warmup ? -1 : (int)(r - warmup);
		for (size_t i = 0; i < n; i++) {
			struct guarded_sample g = { .it = &items[i], .ticks_n = &discard_n,
						    .ticks_2n = &discard_2n };
			if (items[i].fault)
				continue;
			if (round >= 0) {
				g.ticks_n = &items[i].ticks_n[round];
				g.ticks_2n = &items[i].ticks_2n[round];
			}
			if ((items[i].fault = guard_call(timed, &g)) != 0)
				items[i].fault_round = round;
		}
		if (hook)
			hook(ctx, round, runs);
	}
}
