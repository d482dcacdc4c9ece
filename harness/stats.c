/* stats.c: see stats.h. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void stats_sort(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
}

double stats_quantile_sorted(const double *s, size_t n, double q)
{
	if (n == 0)
		return 0;
	if (q <= 0)
		return s[0];
	if (q >= 1)
		return s[n - 1];
	double h = (double)(n - 1) * q;
	size_t i = (size_t)h;
	double frac = h - (double)i;
	return i + 1 < n ? s[i] + frac * (s[i + 1] - s[i]) : s[i];
}

/* P(B <= k) for B ~ Binomial(n, 1/2), summed in log space so that n in the
 * millions neither overflows nor underflows. */
static double binom_half_cdf(size_t n, size_t k)
{
	double sum = 0, ln2n = (double)n * log(2.0);

	for (size_t i = 0; i <= k; i++)
		sum += exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
			   lgamma((double)(n - i) + 1) - ln2n);
	return sum;
}

double stats_median_ci_ranks(size_t n, double conf, size_t *lo, size_t *hi)
{
	double alpha_half = (1 - conf) / 2;
	size_t k = 0;

	*lo = 0;
	*hi = n ? n - 1 : 0;
	if (n == 0)
		return 0;
	/* [x(j), x(n+1-j)] (1-based) covers the median with probability
	 * 1 - 2 P(B <= j-1). Find the largest such j (called k here) with
	 * P(B <= k-1) <= alpha/2, starting near the normal approximation and
	 * stepping to the exact answer, so that large n costs little. */
	double guess = (double)n / 2 - 1.96 * sqrt((double)n) / 2 - 2;
	if (guess > 1)
		k = (size_t)guess;
	while (k > 0 && binom_half_cdf(n, k - 1) > alpha_half)
		k--;
	while (k + 1 <= (n + 1) / 2 && binom_half_cdf(n, k) <= alpha_half)
		k++;
	if (k == 0)
		return 0;
	*lo = k - 1;
	*hi = n - k;
	return 1 - 2 * binom_half_cdf(n, k - 1);
}

double stats_mean(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return n ? s / (double)n : 0;
}

double stats_stddev(const double *x, size_t n)
{
	double m = stats_mean(x, n), s = 0;

	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		s += (x[i] - m) * (x[i] - m);
	return sqrt(s / (double)(n - 1));
}

void stats_summarize(const double *x, size_t n, double conf, double *scratch,
		     struct stats_summary *out)
{
	size_t lo, hi;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	memcpy(scratch, x, n * sizeof(*x));
	stats_sort(scratch, n);
	out->n = n;
	out->min = scratch[0];
	out->max = scratch[n - 1];
	out->median = stats_quantile_sorted(scratch, n, 0.5);
	out->p90 = stats_quantile_sorted(scratch, n, 0.90);
	out->p99 = stats_quantile_sorted(scratch, n, 0.99);
	out->mean = stats_mean(scratch, n);
	stats_median_ci_ranks(n, conf, &lo, &hi);
	out->ci_lo = scratch[lo];
	out->ci_hi = scratch[hi];
	for (size_t i = 0; i < n; i++)
		scratch[i] = fabs(scratch[i] - out->median);
	stats_sort(scratch, n);
	out->mad = stats_quantile_sorted(scratch, n, 0.5);
}

size_t stats_paired_ratio(const double *num, const double *den, size_t n, double conf,
			  double *scratch, double *median, double *lo, double *hi)
{
	size_t m = 0, rlo, rhi;

	for (size_t i = 0; i < n; i++)
		if (den[i] > 0)
			scratch[m++] = num[i] / den[i];
	*median = *lo = *hi = 0;
	if (m == 0)
		return 0;
	stats_sort(scratch, m);
	*median = stats_quantile_sorted(scratch, m, 0.5);
	stats_median_ci_ranks(m, conf, &rlo, &rhi);
	*lo = scratch[rlo];
	*hi = scratch[rhi];
	return m;
}
