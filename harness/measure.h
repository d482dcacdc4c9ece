/* SPDX-License-Identifier: MIT */
/*
 * measure.h: timing by differencing, in interleaved rounds. Returns numbers
 * and never prints; progress goes to a callback the caller may leave NULL.
 *
 * One sample of a benchmark times its kernel at N calls and then at 2N calls,
 * back to back: t(2N) - t(N) is the cost of N calls with everything that does
 * not scale with N (the timer reads, the call into the kernel function, its
 * prologue, the cold first iteration) cancelled. N is chosen per benchmark
 * so that N calls take about target_ns.
 *
 * A round takes one sample of every benchmark in turn (A B C, A B C, ...),
 * so slow drift of a noisy machine lands on all of them alike, and a
 * benchmark's sample can be paired with the reference's from the same round.
 */
#ifndef SCB_MEASURE_H
#define SCB_MEASURE_H

#include <stdint.h>
#include "counters.h"
#include "kernels.h"

struct measure_item {
	scb_kernel_fn kernel;
	struct kargs *args;
	unsigned long calls;	/* N, set by measure_choose_calls() */
	uint64_t *ticks_n;	/* [runs]: ticks for N calls */
	uint64_t *ticks_2n;	/* [runs]: ticks for 2N calls */
	int fault;		/* the signal that stopped its kernel (guard.h); 0: none */
	int fault_round;	/* the round it struck (-1: a warm-up round) */
};

/* N, a multiple of KERNEL_UNROLL, such that N calls take about
 * target_ticks (and at least KERNEL_UNROLL, at most max_calls). *fault
 * gets the signal that stopped the kernel (guard.h), 0 when none did. */
unsigned long measure_choose_calls(scb_kernel_fn k, struct kargs *a,
				   uint64_t target_ticks, unsigned long max_calls, int *fault);

/* One differencing sample: ticks for N and for 2N calls. */
void measure_sample(scb_kernel_fn k, struct kargs *a, unsigned long calls,
		    uint64_t *ticks_n, uint64_t *ticks_2n);

/* Called after every round with its index (-1 for a warm-up round): where
 * the run adds the other ABI's worker to the round and reports progress. */
/* One counting sample: every counter of cs read before, between and after
 * N and 2N calls; per_call[i] = (delta(2N) - delta(N)) / N. The reads are
 * syscalls themselves, but the same reads bracket both halves, so they
 * cancel like the timer reads do. */
void measure_count_sample(const struct measure_item *it, struct counter_set *cs, double *per_call);
/* The same under guard_call: 0, or the signal that stopped the kernel
 * (per_call is then unset). */
int measure_count_sample_guarded(const struct measure_item *it, struct counter_set *cs, double *per_call);

typedef void (*measure_round_fn)(void *ctx, int round, unsigned runs);

/* warmup rounds (discarded), then runs rounds stored in each item. Each
 * sample runs under guard_call: an item whose kernel faults gets the
 * signal and the round in fault/fault_round and is left out of the later
 * rounds; the others go on. */
void measure_rounds(struct measure_item *items, size_t n, unsigned warmup,
		    unsigned runs, measure_round_fn hook, void *ctx);

/* Per-call ticks of round r: (t(2N) - t(N)) / N. May be negative when noise
 * hit the N half harder; kept as measured, the median sorts it out. */
static inline double measure_ticks_per_call(const struct measure_item *it, unsigned r)
{
	return ((double)it->ticks_2n[r] - (double)it->ticks_n[r]) / (double)it->calls;
}

#endif
