/* measure.c: see measure.h. */
#include "measure.h"
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

unsigned long measure_choose_calls(scb_kernel_fn k, struct kargs *a,
				   uint64_t target_ticks, unsigned long max_calls)
{
	unsigned long calls = KERNEL_UNROLL;

	k(calls, a);	/* warm caches and the TLB before the first timing */
	while (calls * 2 <= max_calls) {
		/* the fastest of three: an interrupt only ever adds time */
		uint64_t best = UINT64_MAX;
		for (int i = 0; i < 3; i++) {
			uint64_t t0 = tsc_read();
			k(calls, a);
			uint64_t t = tsc_read() - t0;
			if (t < best)
				best = t;
		}
		if (best >= target_ticks)
			break;
		calls *= 2;
	}
	return calls;
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

void measure_rounds(struct measure_item *items, size_t n, unsigned warmup,
		    unsigned runs, measure_round_fn hook, void *ctx)
{
	uint64_t discard_n, discard_2n;

	for (unsigned r = 0; r < warmup; r++) {
		for (size_t i = 0; i < n; i++)
			measure_sample(items[i].kernel, items[i].args, items[i].calls,
				       &discard_n, &discard_2n);
		if (hook)
			hook(ctx, -1, runs);
	}
	for (unsigned r = 0; r < runs; r++) {
		for (size_t i = 0; i < n; i++)
			measure_sample(items[i].kernel, items[i].args, items[i].calls,
				       &items[i].ticks_n[r], &items[i].ticks_2n[r]);
		if (hook)
			hook(ctx, (int)r, runs);
	}
}
