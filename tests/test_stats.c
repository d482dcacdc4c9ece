/* test_stats.c: the statistics against values computed by hand (or, for
 * the binomial coverages, exactly with Python's math.comb). */
#include "stats.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>

int main(void)
{
	double scratch[1000], x[1000];
	struct stats_summary s;
	size_t lo, hi;
	double cov;

	/* quantiles, R type 7 */
	double q[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	tap_ok(stats_quantile_sorted(q, 10, 0.5) == 5.5, "median of 1..10 is 5.5");
	tap_ok(TAP_NEAR(stats_quantile_sorted(q, 10, 0.9), 9.1, 1e-12), "p90 of 1..10 is 9.1");
	tap_ok(TAP_NEAR(stats_quantile_sorted(q, 10, 0.99), 9.91, 1e-12), "p99 of 1..10 is 9.91");
	tap_ok(stats_quantile_sorted(q, 1, 0.5) == 1, "quantile of one value is that value");

	/* summary of an unsorted set with an outlier */
	double u[] = { 4, 100, 1, 3, 2 };
	stats_summarize(u, 5, 0.95, scratch, &s);
	tap_ok(s.n == 5 && s.min == 1 && s.max == 100, "summary min/max");
	tap_ok(s.median == 3, "median ignores the outlier (3)");
	tap_ok(s.mad == 1, "MAD of {1,2,3,4,100} is 1 (deviations 2,1,0,1,97)");
	tap_ok(s.mean == 22, "mean is 22");
	tap_ok(u[0] == 4 && u[1] == 100, "input left unsorted");
	tap_ok(s.ci_lo == 1 && s.ci_hi == 100, "n=5: no 95%% interval exists, so it spans all data");

	/* exact order-statistic intervals for the median */
	cov = stats_median_ci_ranks(10, 0.95, &lo, &hi);
	tap_ok(lo == 1 && hi == 8, "n=10: interval is x(2)..x(9) 1-based (got %zu..%zu 0-based)", lo, hi);
	tap_ok(TAP_NEAR(cov, 0.978515625, 1e-9), "n=10: coverage 0.978515625 (got %.9f)", cov);
	cov = stats_median_ci_ranks(100, 0.95, &lo, &hi);
	tap_ok(lo == 39 && hi == 60, "n=100: x(40)..x(61) 1-based (got %zu..%zu 0-based)", lo, hi);
	tap_ok(TAP_NEAR(cov, 0.9647997997822952, 1e-9), "n=100: coverage 0.96480 (got %.6f)", cov);
	cov = stats_median_ci_ranks(1000, 0.95, &lo, &hi);
	tap_ok(lo == 468 && hi == 531, "n=1000: x(469)..x(532) 1-based (got %zu..%zu)", lo, hi);
	tap_ok(TAP_NEAR(cov, 0.9537088026395019, 1e-9), "n=1000: coverage 0.95371 (got %.6f)", cov);
	cov = stats_median_ci_ranks(5, 0.95, &lo, &hi);
	tap_ok(cov == 0 && lo == 0 && hi == 4, "n=5: no interval possible at 95%%");
	cov = stats_median_ci_ranks(6, 0.95, &lo, &hi);
	tap_ok(lo == 0 && hi == 5 && TAP_NEAR(cov, 0.96875, 1e-9), "n=6: min..max with coverage 0.96875");

	/* large n stays fast and sane */
	cov = stats_median_ci_ranks(1000000, 0.95, &lo, &hi);
	tap_ok(cov >= 0.95 && cov < 0.951 && lo < 500000 && hi > 500000 && lo + hi == 999999,
	       "n=1e6: symmetric ranks %zu..%zu, coverage %.5f", lo, hi, cov);

	/* paired ratios: den doubles the numerator every round, with drift */
	double num[200], den[200];
	for (int i = 0; i < 200; i++) {
		double drift = 1 + 0.3 * sin(i / 10.0);
		num[i] = 10 * drift;
		den[i] = 20 * drift;
	}
	double med, rlo, rhi;
	size_t used = stats_paired_ratio(num, den, 200, 0.95, scratch, &med, &rlo, &rhi);
	tap_ok(used == 200 && TAP_NEAR(med, 0.5, 1e-12) && TAP_NEAR(rlo, 0.5, 1e-12) &&
	       TAP_NEAR(rhi, 0.5, 1e-12), "paired ratio cancels a common drift exactly (0.5)");
	den[3] = 0;
	den[7] = -1;
	used = stats_paired_ratio(num, den, 200, 0.95, scratch, &med, &rlo, &rhi);
	tap_ok(used == 198, "pairs with a non-positive reference are skipped");

	/* mean and sample standard deviation */
	double m[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	tap_ok(stats_mean(m, 8) == 5, "mean 5");
	tap_ok(TAP_NEAR(stats_stddev(m, 8), sqrt(32.0 / 7), 1e-12), "sample sd sqrt(32/7)");

	/* a shifted copy moves the median by exactly the shift */
	for (int i = 0; i < 1000; i++)
		x[i] = (i * 7919) % 1000;
	stats_summarize(x, 1000, 0.95, scratch, &s);
	double m0 = s.median;
	for (int i = 0; i < 1000; i++)
		x[i] += 42;
	stats_summarize(x, 1000, 0.95, scratch, &s);
	tap_ok(s.median - m0 == 42 && s.ci_lo < s.median && s.median < s.ci_hi,
	       "shift moves the median by 42, interval brackets it");
	return tap_done();
}
