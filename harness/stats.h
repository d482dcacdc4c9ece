/* SPDX-License-Identifier: MIT */
/*
 * stats.h: robust statistics as pure functions. No globals, no I/O; the
 * caller supplies scratch space, so these are trivially testable against
 * hand-computed values (tests/test_stats.c).
 */
#ifndef SCB_STATS_H
#define SCB_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats_summary {
	size_t n;
	double min, max, median, p90, p99;
	double mad;		/* median absolute deviation, unscaled */
	double ci_lo, ci_hi;	/* confidence interval of the median */
	double mean;
};

/* Sort ascending (NaN never occurs in our data). */
void stats_sort(double *x, size_t n);

/* Quantile q in [0,1] of sorted data, linear interpolation between order
 * statistics (R's type 7, numpy's default). */
double stats_quantile_sorted(const double *sorted, size_t n, double q);

/* Order-statistic confidence interval for the median: 0-based ranks lo, hi
 * such that [x(lo), x(hi)] covers the population median with probability
 * at least conf, from the exact Binomial(n, 1/2) distribution. Needs no
 * assumption about the shape of the data. Returns the exact coverage, or 0
 * when n is too small for any interval at that level (then lo=0, hi=n-1). */
double stats_median_ci_ranks(size_t n, double conf, size_t *lo, size_t *hi);

/* Everything above for x[0..n-1]; scratch must hold n doubles. x is not
 * modified. n == 0 gives an all-zero summary. */
void stats_summarize(const double *x, size_t n, double conf, double *scratch,
		     struct stats_summary *out);

/* Median of the paired ratios num[i]/den[i] with its order-statistic
 * interval: rounds pair a benchmark's sample with the reference's sample
 * taken moments apart, so drift of the machine cancels within a pair.
 * Pairs whose denominator is not positive are skipped. scratch: n doubles.
 * Returns the number of pairs used. */
size_t stats_paired_ratio(const double *num, const double *den, size_t n, double conf,
			  double *scratch, double *median, double *lo, double *hi);

/* Which samples count. A sample is rejected when it is not positive (noise
 * hit the N half of a differenced sample harder than the 2N half: the
 * difference measures nothing) or when it lies beyond the outer fences,
 * more than 3 interquartile ranges below the first or above the third
 * quartile of the positive samples and at least half the median beyond
 * them (an interrupt, a preemption: a disturbance as large as half the
 * call itself). The floor keeps a row whose samples sit in one sharp peak
 * (a shared VM's level jitter around it, or exact icount data) from
 * losing every sample a few percent away. valid[i] gets 1 or 0; the counts
 * of each kind go to *nonpositive and *outliers. scratch: n doubles. */
void stats_reject(const double *x, size_t n, double *scratch, unsigned char *valid,
		  size_t *nonpositive, size_t *outliers);

/* Interval for the median that holds between runs, not just within one.
 * The n samples (in the order taken: rounds) are cut into `blocks` runs of
 * consecutive rounds; each block's median of its valid samples (valid may
 * be NULL: all) is one observation of the level the machine was at. With k
 * blocks of spread s, a repeat run's median is expected within
 *     center +- t(conf, k-1) * s * sqrt(2 / k)
 * (a prediction interval: the uncertainty of this run's level and of the
 * next run's, each s^2 / k), s^2 scaled up by (1 + rho) / (1 - rho) when
 * neighbouring blocks are alike (lag-1 autocorrelation rho of the block
 * medians). Drift inside the run widens it; samples that are correlated
 * within a block no longer make it falsely narrow. Returns
 * k, the number of blocks with valid samples; below 3 nothing is written.
 * scratch: n + blocks doubles. */
size_t stats_block_interval(const double *x, const unsigned char *valid, size_t n, size_t blocks,
			    double conf, double center, double *scratch, double *lo, double *hi);

/* The medians of the valid samples of each block (as above) into med[];
 * returns how many blocks had any. scratch: n doubles. */
size_t stats_block_medians(const double *x, const unsigned char *valid, size_t n, size_t blocks,
			   double *scratch, double *med);

/* Student's t distribution: P(T <= t) with df degrees of freedom, and its
 * inverse (p in (0, 1)). */
double stats_t_cdf(double t, double df);
double stats_t_quantile(double p, double df);

/* Welch's two-sample comparison of means: diff = mean(y) - mean(x), its
 * standard error and the Welch-Satterthwaite degrees of freedom. Both sets
 * need >= 2 values; returns -1 otherwise. */
int stats_welch(const double *x, size_t nx, const double *y, size_t ny, double *diff,
		double *se, double *df);

/* Holm's step-down adjustment: adj[i] is the smallest family-wise level at
 * which hypothesis i is rejected, over all n (controls the chance of any
 * false rejection at that level, whatever the dependence between tests).
 * scratch: n size_t. */
void stats_holm(const double *p, size_t n, double *adj, size_t *scratch);

/* Arithmetic mean and sample standard deviation (n-1). */
double stats_mean(const double *x, size_t n);
double stats_stddev(const double *x, size_t n);

#endif
