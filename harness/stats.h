/* SPDX-License-Identifier: MIT */
/*
 * stats.h: robust statistics as pure functions. No globals, no I/O; the
 * caller supplies scratch space, so these are trivially testable against
 * hand-computed values (tests/unit/test_stats.c).
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

/* The interval a repeat run's median should fall in, from k "unit"
 * medians in the order they were taken (units: blocks of rounds inside
 * one process, or whole fresh processes). With k units of spread s, a
 * repeat run's median is expected within
 *     center +- t(conf, k-1) * s * sqrt(2 / k)
 * (a prediction interval: the uncertainty of this run's level and of the
 * next run's, each s^2 / k), s^2 scaled up by (1 + rho) / (1 - rho) when
 * neighbouring units are alike (lag-1 autocorrelation rho of the medians).
 * Needs k >= 3; returns the half-width (0: nothing written). */
double stats_median_interval(const double *med, size_t k, double conf, double center, double *lo,
			     double *hi);

/* The one-level interval: the n samples (in the order taken: rounds) cut
 * into `blocks` runs of consecutive rounds; each block's median of its
 * valid samples (valid may be NULL: all) is one unit. Drift inside the run
 * widens it; samples correlated within a block no longer make it falsely
 * narrow; what changes between processes (layout, physical pages, cache
 * and predictor aliasing) it cannot see. Returns k, the number of blocks
 * with valid samples; below 3 nothing is written. scratch: n + blocks
 * doubles. */
size_t stats_block_interval(const double *x, const unsigned char *valid, size_t n, size_t blocks,
			    double conf, double center, double *scratch, double *lo, double *hi);

/* The medians of the valid samples of each block (as above) into med[];
 * returns how many blocks had any. scratch: n doubles. */
size_t stats_block_medians(const double *x, const unsigned char *valid, size_t n, size_t blocks,
			   double *scratch, double *med);

/* The medians of the valid samples of each unit (unit[i] in [0, units):
 * the fresh process sample i came from) into med[], in unit order, with
 * each one's sample count in count[] (count may be NULL); units without a
 * valid sample are left out. Returns how many. scratch: n doubles. This is
 * the two-level model's upper level: a process's median carries both what
 * was fixed for the life of that process and its own sampling noise, so
 * the spread of k of them, through stats_median_interval, estimates what a
 * repeat run of k fresh processes will see (the method of unit means: for
 * a balanced random-effects design the variance of the grand mean is
 * exactly Var(unit mean) / k, whatever the split between the levels). */
size_t stats_unit_medians(const double *x, const unsigned char *valid, const unsigned *unit, size_t n,
			  size_t units, double *scratch, double *med, size_t *count);

/* Levels: whether k process medians fall into two distinct groups, as a
 * row does whose cost is chosen at process start (an address-space
 * layout, a physical page, an aliasing that holds for the life of the
 * process). Sorted, the medians are cut at their widest gap with at least
 * two on each side; it is a level split when that gap exceeds the pooled
 * spread of the medians around their group's mean by more than k normal
 * medians of one level do 9999 times in 10000 (13.9 times for k = 8, 9.0
 * for 10, 3.8 for 20: a table from simulation in stats.c), 4 times
 * within (the typical standard error of one process's median) and
 * STATS_LEVELS_MIN_REL of the median (smaller steps are not worth a
 * reader's attention). Returns 2 with each group's median in level[0] <
 * level[1] and a value between the groups in *split (split may be NULL),
 * or 1 (no levels; level untouched). Needs k >=
 * STATS_LEVELS_MIN_UNITS. scratch: k doubles. */
/* The interval a run of k fresh processes gives: stats_median_interval of
 * their medians med[] (in the order run) about center, on their logarithms
 * where all are positive (costs vary by factors; the interval is then
 * symmetric in ratio and never below zero), widened to hold both levels
 * (each with the interval's relative reach) when stats_levels finds two: a
 * repeat run's median may then sit at either, or between.
 * within: the typical standard error of one process's median (0: none
 * known). Returns the number of levels (1 or 2; 1 and nothing written
 * when k < 3), their medians in level[], the cut in *split (may be NULL).
 * scratch: k doubles. */
size_t stats_two_level_interval(const double *med, size_t k, double within, double conf, double center,
				double *scratch, double *lo, double *hi, double *level, double *split);

#define STATS_LEVELS_MIN_UNITS 8
#define STATS_LEVELS_MIN_REL   0.01
size_t stats_levels(const double *med, size_t k, double within, double *scratch, double *level,
		    double *split);

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
