/* SPDX-License-Identifier: MIT */
/* tsc.c: see tsc.h. */
#include "tsc.h"

#include <time.h>

static int64_t raw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Bracket the clock read with two TSC reads and keep the tightest of a few
 * tries, so an interrupt between the reads can't skew the pair. */
void tsc_stamp(struct tsc_stamp *s)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 5; i++) {
		uint64_t t0 = tsc_read();
		int64_t ns = raw_now();
		uint64_t t1 = tsc_read();
		if (t1 - t0 < best) {
			best = t1 - t0;
			s->tsc = t0 + (t1 - t0) / 2;
			s->raw_ns = ns;
		}
	}
}

double tsc_rate(const struct tsc_stamp *a, const struct tsc_stamp *b)
{
	if (b->raw_ns - a->raw_ns < 1000000)
		return 0;
	return (double)(b->tsc - a->tsc) / (double)(b->raw_ns - a->raw_ns);
}

double tsc_calibrate(unsigned ms)
{
	double r[5];

	for (int i = 0; i < 5; i++) {
		struct tsc_stamp a, b;
		tsc_stamp(&a);
		do
			tsc_stamp(&b);
		while (b.raw_ns - a.raw_ns < (int64_t)ms * 1000000 / 5);
		r[i] = tsc_rate(&a, &b);
	}
	for (int i = 1; i < 5; i++)	/* insertion sort: five values */
		for (int j = i; j > 0 && r[j] < r[j - 1]; j--) {
			double t = r[j]; r[j] = r[j - 1]; r[j - 1] = t;
		}
	return r[2];
}
