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

/* Mann-Whitney U test of x[0..nx-1] against y[0..ny-1], two-sided, normal
 * approximation with continuity and tie corrections (fine for the tens to
 * thousands of samples a run has; exact tables matter below ~20). *u gets
 * U for x (the number of pairs with x > y, ties counting 1/2); returns the
 * p-value. scratch: 2 * (nx + ny) doubles. */
double stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
			  double *scratch, double *u);

/* Percentile bootstrap of median(y) / median(x): b resamples of each set,
 * drawn with a fixed-seed generator so the same data always gives the same
 * interval. *ratio gets the plain ratio of medians. scratch: 2 * (nx + ny)
 * + b doubles. 0, or -1 when a median is not positive. */
int stats_bootstrap_median_ratio(const double *x, size_t nx, const double *y, size_t ny,
				 unsigned b, double conf, uint64_t seed, double *scratch,
				 double *ratio, double *lo, double *hi);

/* Arithmetic mean and sample standard deviation (n-1). */
double stats_mean(const double *x, size_t n);
double stats_stddev(const double *x, size_t n);

#endif
