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

struct tagged {
	double v;
	int from_x;
};

static int cmp_tagged(const void *a, const void *b)
{
	double x = ((const struct tagged *)a)->v, y = ((const struct tagged *)b)->v;
	return (x > y) - (x < y);
}

double stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
			  double *scratch, double *u)
{
	size_t n = nx + ny;
	struct tagged *t = (struct tagged *)scratch;	/* 16 bytes = 2 doubles each */
	double rank_x = 0, tie_term = 0;

	*u = 0;
	if (nx == 0 || ny == 0)
		return 1;
	for (size_t i = 0; i < nx; i++)
		t[i] = (struct tagged){ x[i], 1 };
	for (size_t i = 0; i < ny; i++)
		t[nx + i] = (struct tagged){ y[i], 0 };
	qsort(t, n, sizeof(*t), cmp_tagged);
	/* midranks for ties */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && t[j + 1].v == t[i].v)
			j++;
		double rank = (double)(i + j + 2) / 2, k = (double)(j - i + 1);
		for (size_t m = i; m <= j; m++)
			if (t[m].from_x)
				rank_x += rank;
		tie_term += k * k * k - k;
		i = j + 1;
	}
	*u = rank_x - (double)nx * (double)(nx + 1) / 2;
	double mean = (double)nx * (double)ny / 2;
	double var = (double)nx * (double)ny / 12 *
		     ((double)(n + 1) - tie_term / ((double)n * (double)(n - 1)));
	if (var <= 0)
		return 1;	/* every value tied: no evidence of a difference */
	double z = (fabs(*u - mean) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	return erfc(z / sqrt(2.0));
}

/* xorshift64*: small, fast, and the same sequence everywhere. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static double median_of(const double *v, size_t n, double *work)
{
	memcpy(work, v, n * sizeof(*v));
	stats_sort(work, n);
	return stats_quantile_sorted(work, n, 0.5);
}

static double resampled_median(const double *v, size_t n, uint64_t *s, double *work)
{
	for (size_t i = 0; i < n; i++)
		work[i] = v[next_random(s) % n];
	stats_sort(work, n);
	return stats_quantile_sorted(work, n, 0.5);
}

int stats_bootstrap_median_ratio(const double *x, size_t nx, const double *y, size_t ny,
				 unsigned b, double conf, uint64_t seed, double *scratch,
				 double *ratio, double *lo, double *hi)
{
	double *work = scratch, *ratios = scratch + nx + ny;
	uint64_t s = seed ? seed : 0x9E3779B97F4A7C15ULL;
	unsigned used = 0;

	*ratio = *lo = *hi = 0;
	if (nx == 0 || ny == 0)
		return -1;
	double mx = median_of(x, nx, work), my = median_of(y, ny, work);
	if (mx <= 0 || my <= 0)
		return -1;
	*ratio = my / mx;
	for (unsigned i = 0; i < b; i++) {
		double bx = resampled_median(x, nx, &s, work);
		double by = resampled_median(y, ny, &s, work);
		if (bx > 0)
			ratios[used++] = by / bx;
	}
	if (used == 0)
		return -1;
	stats_sort(ratios, used);
	*lo = stats_quantile_sorted(ratios, used, (1 - conf) / 2);
	*hi = stats_quantile_sorted(ratios, used, 1 - (1 - conf) / 2);
	return 0;
}
