/* SPDX-License-Identifier: MIT */
/*
 * tsc.h: the time-stamp counter, the harness's clock.
 *
 * RDTSC is not ordered with the instructions around it. LFENCE before it
 * waits for everything earlier to finish (on AMD only when the kernel has
 * made LFENCE dispatch-serialising, which Linux does on every CPU that needs
 * it); LFENCE after it keeps later instructions from starting early. CPUID
 * would serialise fully, but in a VM it traps to the hypervisor and costs
 * microseconds of noise, which is worse than the few cycles LFENCE leaves.
 *
 * TSC ticks are reference ticks at a constant rate, not core cycles: with
 * turbo or power saving the two differ. The harness reports ticks and, via
 * calibration against CLOCK_MONOTONIC_RAW, nanoseconds; never "cycles".
 */
#ifndef SCB_TSC_H
#define SCB_TSC_H

#include <stdint.h>

static inline uint64_t tsc_read(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* A (TSC, CLOCK_MONOTONIC_RAW) pair taken as close together as possible. */
struct tsc_stamp {
	uint64_t tsc;
	int64_t raw_ns;
};

void tsc_stamp(struct tsc_stamp *s);

/* Ticks per nanosecond between two stamps; 0 if they are too close. */
double tsc_rate(const struct tsc_stamp *a, const struct tsc_stamp *b);

/* A first estimate of ticks per nanosecond over about ms milliseconds
 * (median of five windows), good to a fraction of a percent. */
double tsc_calibrate(unsigned ms);

#endif
