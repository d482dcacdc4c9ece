/* SPDX-License-Identifier: MIT */
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

void stats_reject(const double *x, size_t n, double *scratch, unsigned char *valid,
		  size_t *nonpositive, size_t *outliers)
{
	size_t m = 0;

	*nonpositive = *outliers = 0;
	for (size_t i = 0; i < n; i++)
		if (x[i] > 0)
			scratch[m++] = x[i];
	*nonpositive = n - m;
	if (m == 0) {
		memset(valid, 0, n);
		return;
	}
	stats_sort(scratch, m);
	double q1 = stats_quantile_sorted(scratch, m, 0.25), q3 = stats_quantile_sorted(scratch, m, 0.75);
	double med = stats_quantile_sorted(scratch, m, 0.5), w = 3 * (q3 - q1);
	if (w < 0.5 * med)
		w = 0.5 * med;
	for (size_t i = 0; i < n; i++) {
		valid[i] = x[i] > 0 && x[i] >= q1 - w && x[i] <= q3 + w;
		*outliers += x[i] > 0 && !valid[i];
	}
}

size_t stats_block_medians(const double *x, const unsigned char *valid, size_t n, size_t blocks,
			   double *scratch, double *med)
{
	size_t k = 0;

	if (blocks == 0)
		return 0;
	for (size_t b = 0; b < blocks; b++) {
		size_t from = b * n / blocks, to = (b + 1) * n / blocks, m = 0;
		for (size_t i = from; i < to; i++)
			if (!valid || valid[i])
				scratch[m++] = x[i];
		if (m == 0)
			continue;
		stats_sort(scratch, m);
		med[k++] = stats_quantile_sorted(scratch, m, 0.5);
	}
	return k;
}

double stats_median_interval(const double *med, size_t k, double conf, double center, double *lo,
			     double *hi)
{
	if (k < 3)
		return 0;
	/* Neighbouring units of a drifting machine are alike, so their spread
	 * alone understates the uncertainty of the whole: scale the variance by
	 * (1 + rho) / (1 - rho), rho the lag-1 autocorrelation of the unit
	 * medians (the batch-means correction). From k values the sample
	 * autocorrelation r is biased low, E[r] ~ rho - (1 + 3 rho) / k
	 * (Kendall), so rho = (k r + 1) / (k - 3); taken as 0 when negative and
	 * capped at 0.8 since 10 units can't measure it finely. */
	double s = stats_stddev(med, k), mean = stats_mean(med, k), num = 0, den = 0;
	for (size_t i = 0; i < k; i++) {
		den += (med[i] - mean) * (med[i] - mean);
		if (i + 1 < k)
			num += (med[i] - mean) * (med[i + 1] - mean);
	}
	double r1 = den > 0 ? num / den : 0;
	double rho = k > 3 ? ((double)k * r1 + 1) / ((double)k - 3) : r1;
	rho = rho < 0 ? 0 : rho > 0.8 ? 0.8 : rho;
	double half = stats_t_quantile(1 - (1 - conf) / 2, (double)(k - 1)) * s *
		      sqrt(2.0 / (double)k * (1 + rho) / (1 - rho));
	*lo = center - half;
	*hi = center + half;
	return half;
}

size_t stats_block_interval(const double *x, const unsigned char *valid, size_t n, size_t blocks,
			    double conf, double center, double *scratch, double *lo, double *hi)
{
	double *med = scratch + n;
	size_t k = stats_block_medians(x, valid, n, blocks, scratch, med);

	if (k >= 3)
		stats_median_interval(med, k, conf, center, lo, hi);
	return k;
}

size_t stats_unit_medians(const double *x, const unsigned char *valid, const unsigned *unit, size_t n,
			  size_t units, double *scratch, double *med, size_t *count)
{
	size_t k = 0;

	/* samples of one unit are usually contiguous (a process's rounds), but
	 * nothing here needs them to be */
	for (size_t u = 0; u < units; u++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (unit[i] == u && (!valid || valid[i]))
				scratch[m++] = x[i];
		if (m == 0)
			continue;
		stats_sort(scratch, m);
		if (count)
			count[k] = m;
		med[k++] = stats_quantile_sorted(scratch, m, 0.5);
	}
	return k;
}

/* How far the widest gap between k medians of one normal level passes the
 * pooled spread around the two groups' means 1 time in 10000 (simulated:
 * a million sets for each k). One in 10000 per row keeps a run of 46 rows
 * under 1 % of false LEVELS (heavier tails than normal raise it some).
 * Beyond a tabled k the quantile only falls, so the largest tabled k at or
 * below k is used, erring to no levels. */
static double levels_gap(size_t k)
{
	static const struct {
		size_t k;
		double gap;
	} q9999[] = { { 8, 13.9 }, { 9, 10.7 }, { 10, 9.0 }, { 11, 7.6 }, { 12, 6.7 }, { 14, 5.4 },
		      { 16, 4.8 }, { 20, 3.8 }, { 30, 2.8 }, { 50, 2.3 } };
	double g = q9999[0].gap;

	for (size_t i = 0; i < sizeof(q9999) / sizeof(q9999[0]); i++)
		if (q9999[i].k <= k)
			g = q9999[i].gap;
	return g;
}

size_t stats_levels(const double *med, size_t k, double within, double *scratch, double *level,
		    double *split)
{
	if (k < STATS_LEVELS_MIN_UNITS)
		return 1;
	memcpy(scratch, med, k * sizeof(*med));
	stats_sort(scratch, k);
	/* the widest gap that leaves at least two units on each side */
	size_t cut = 0;
	for (size_t j = 1; j + 2 < k; j++)
		if (!cut || scratch[j + 1] - scratch[j] > scratch[cut + 1] - scratch[cut])
			cut = j;
	double gap = scratch[cut + 1] - scratch[cut];
	double ma = stats_mean(scratch, cut + 1), mb = stats_mean(scratch + cut + 1, k - cut - 1), ss = 0;
	for (size_t i = 0; i < k; i++) {
		double d = scratch[i] - (i <= cut ? ma : mb);
		ss += d * d;
	}
	double sw = sqrt(ss / (double)(k - 2)), center = stats_quantile_sorted(scratch, k, 0.5);
	if (!(gap > levels_gap(k) * sw && gap > 4 * within && gap > STATS_LEVELS_MIN_REL * center))
		return 1;
	level[0] = stats_quantile_sorted(scratch, cut + 1, 0.5);
	level[1] = stats_quantile_sorted(scratch + cut + 1, k - cut - 1, 0.5);
	if (split)
		*split = (scratch[cut] + scratch[cut + 1]) / 2;
	return 2;
}

/* Continued fraction of the regularised incomplete beta function (modified
 * Lentz), converging for x < (a + 1) / (a + b + 2). */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m;
		double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		double del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-14)
			break;
	}
	return h;
}

/* I_x(a, b), the regularised incomplete beta function. */
static double beta_inc(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

double stats_t_cdf(double t, double df)
{
	if (isinf(t))
		return t > 0 ? 1 : 0;
	double tail = 0.5 * beta_inc(df / 2, 0.5, df / (df + t * t));
	return t >= 0 ? 1 - tail : tail;
}

double stats_t_quantile(double p, double df)
{
	double lo = -1e6, hi = 1e6;

	if (p <= 0)
		return -INFINITY;
	if (p >= 1)
		return INFINITY;
	for (int i = 0; i < 200 && hi - lo > 1e-12 * (1 + fabs(lo)); i++) {
		double mid = (lo + hi) / 2;
		if (stats_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

int stats_welch(const double *x, size_t nx, const double *y, size_t ny, double *diff,
		double *se, double *df)
{
	if (nx < 2 || ny < 2)
		return -1;
	double vx = stats_stddev(x, nx), vy = stats_stddev(y, ny);
	vx = vx * vx / (double)nx;
	vy = vy * vy / (double)ny;
	*diff = stats_mean(y, ny) - stats_mean(x, nx);
	*se = sqrt(vx + vy);
	if (vx + vy > 0)
		*df = (vx + vy) * (vx + vy) /
		      (vx * vx / (double)(nx - 1) + vy * vy / (double)(ny - 1));
	else
		*df = (double)(nx + ny - 2);
	return 0;
}

static const double *holm_p;

static int cmp_by_p(const void *a, const void *b)
{
	double x = holm_p[*(const size_t *)a], y = holm_p[*(const size_t *)b];
	return (x > y) - (x < y);
}

void stats_holm(const double *p, size_t n, double *adj, size_t *order)
{
	double running = 0;

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	holm_p = p;
	qsort(order, n, sizeof(*order), cmp_by_p);
	holm_p = NULL;
	for (size_t k = 0; k < n; k++) {
		double a = (double)(n - k) * p[order[k]];
		if (a > 1)
			a = 1;
		if (a < running)	/* step-down: never below an earlier rejection */
			a = running;
		running = a;
		adj[order[k]] = a;
	}
}

size_t stats_two_level_interval(const double *med, size_t k, double within, double conf, double center,
				double *scratch, double *lo, double *hi, double *level, double *split)
{
	size_t nl;
	int positive = center > 0;

	if (k < 3)
		return 1;
	for (size_t i = 0; i < k; i++)
		positive &= med[i] > 0;
	/* Costs vary by factors (a busier machine makes every call some per
	 * cent dearer), so where every median is positive the interval is
	 * taken on their logarithms: symmetric in ratio, never below zero
	 * (a 2 ns row's linear interval went negative on a busy machine). */
	if (positive) {
		for (size_t i = 0; i < k; i++)
			scratch[i] = log(med[i]);
		stats_median_interval(scratch, k, conf, log(center), lo, hi);
		*lo = exp(*lo);
		*hi = exp(*hi);
	} else {
		stats_median_interval(med, k, conf, center, lo, hi);
	}
	nl = stats_levels(med, k, within, scratch, level, split);
	if (nl == 2 && positive) {
		/* a repeat run lands at either level or between: its median is
		 * not one number this run could predict more closely; each level
		 * gets the interval's relative reach around it */
		if (level[0] * (*lo / center) < *lo)
			*lo = level[0] * (*lo / center);
		if (level[1] * (*hi / center) > *hi)
			*hi = level[1] * (*hi / center);
	} else if (nl == 2) {
		double quarter = (*hi - *lo) / 8;
		if (level[0] - quarter < *lo)
			*lo = level[0] - quarter;
		if (level[1] + quarter > *hi)
			*hi = level[1] + quarter;
	}
	return nl;
}
