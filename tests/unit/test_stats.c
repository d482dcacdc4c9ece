/* SPDX-License-Identifier: MIT */
/* test_stats.c: the statistics against values computed by hand (or, for
 * the binomial coverages, exactly with Python's math.comb). */
#include "stats.h"
#include "tap.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* The tests' one random stream (xorshift64), so every figure repeats. */
static uint64_t next(uint64_t *rs)
{
	*rs ^= *rs << 13;
	*rs ^= *rs >> 7;
	*rs ^= *rs << 17;
	return *rs;
}

/* Uniform in [0, 1). */
static double uniform(uint64_t *rs)
{
	return (double)(next(rs) >> 11) / 9007199254740992.0;
}

/* Standard normal (Box-Muller, one draw of the pair), from two values. */
static double gauss(uint64_t *rs)
{
	double u1 = ((double)(next(rs) >> 11) + 1) / 9007199254740993.0;
	double u2 = uniform(rs);

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

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

	/* sample rejection: non-positive and far outliers */
	double rj[] = { 10, 10, 11, 10, -1, 0, 100, 10.5, 9.5, 10 };
	unsigned char valid[1000];
	size_t nonpos, outl;
	stats_reject(rj, 10, scratch, valid, &nonpos, &outl);
	tap_ok(nonpos == 2 && outl == 1 && !valid[4] && !valid[5] && !valid[6] && valid[0] && valid[9],
	       "reject: 2 non-positive, 1 outlier (100 among ~10) (got %zu, %zu)", nonpos, outl);
	double exact[10] = { 342, 342, 342, 342, 351, 342, 342, 342, 342, 342 };
	stats_reject(exact, 10, scratch, valid, &nonpos, &outl);
	tap_ok(nonpos == 0 && outl == 0, "reject: exact counts with one small bump keep every sample");

	/* Student's t against tables */
	tap_ok(TAP_NEAR(stats_t_cdf(0, 7), 0.5, 1e-12), "t cdf at 0 is 1/2");
	tap_ok(TAP_NEAR(stats_t_cdf(2.0, 5), 0.94903026, 1e-7), "t cdf(2, df 5) = 0.949030 (got %.7f)",
	       stats_t_cdf(2.0, 5));
	tap_ok(TAP_NEAR(stats_t_quantile(0.975, 9), 2.2621572, 1e-6), "t 97.5%% df 9 = 2.262157 (got %.6f)",
	       stats_t_quantile(0.975, 9));
	tap_ok(TAP_NEAR(stats_t_quantile(0.975, 1), 12.7062047, 1e-5), "t 97.5%% df 1 = 12.70620");
	tap_ok(TAP_NEAR(stats_t_quantile(0.975, 1e6), 1.959966, 1e-5), "t 97.5%% df 1e6 = 1.959966");

	/* Welch against a hand computation */
	double wa[] = { 1, 2, 3, 4 }, wb[] = { 2, 4, 6, 8, 10 };
	double wd, wse, wdf;
	stats_welch(wa, 4, wb, 5, &wd, &wse, &wdf);
	/* var a = 5/3, var b = 10; se^2 = 5/12 + 2 */
	tap_ok(TAP_NEAR(wd, 3.5, 1e-12) && TAP_NEAR(wse, sqrt(5.0 / 12 + 2), 1e-12) &&
	       TAP_NEAR(wdf, (29.0 / 12) * (29.0 / 12) / ((25.0 / 144) / 3 + 4.0 / 4), 1e-9),
	       "Welch: diff 3.5, se, df %.4f", wdf);

	/* Holm: adjusted p-values by hand */
	double hp[] = { 0.01, 0.04, 0.03, 0.005 }, ha[4];
	size_t ord[1000];
	stats_holm(hp, 4, ha, ord);
	tap_ok(TAP_NEAR(ha[0], 0.03, 1e-12) && TAP_NEAR(ha[1], 0.06, 1e-12) && TAP_NEAR(ha[2], 0.06, 1e-12) &&
	       TAP_NEAR(ha[3], 0.02, 1e-12), "Holm: {.01,.04,.03,.005} -> {.03,.06,.06,.02}");
	/* family-wise error on null families of 56 uniform p-values (28 rows x
	 * 2 directions): any adjusted p < 0.05 in at most ~5 % of families,
	 * where unadjusted testing would fail nearly all of them */
	uint64_t rs = 12345;
	int fam_fail = 0, raw_fail = 0;
	for (int f = 0; f < 4000; f++) {
		double pv[56], adj[56];
		int any_raw = 0, any = 0;
		for (int i = 0; i < 56; i++) {
			pv[i] = uniform(&rs);
			any_raw |= pv[i] < 0.05;
		}
		stats_holm(pv, 56, adj, ord);
		for (int i = 0; i < 56; i++)
			any |= adj[i] < 0.05;
		fam_fail += any;
		raw_fail += any_raw;
	}
	tap_ok(fam_fail <= 4000 * 0.06 && raw_fail > 4000 * 0.9,
	       "Holm keeps the family-wise error at 5%%: %d of 4000 null families (unadjusted: %d)",
	       fam_fail, raw_fail);

	/* Block intervals on drifting data: 60 runs of 200 rounds from one
	 * process whose level wanders (an AR(1) walk, +-5 %, correlation over
	 * ~10 rounds) under 3 % noise. A run's interval should hold the other
	 * runs' medians >= 90 % of the time; the within-run order-statistic
	 * interval, which assumes independent samples, does not. */
	enum { RUNS = 60, ROUNDS = 200 };
	static double med_of[RUNS], blo[RUNS], bhi[RUNS], olo[RUNS], ohi[RUNS], run[ROUNDS];
	for (int k = 0; k < RUNS; k++) {
		double level = 0;
		for (int r = 0; r < ROUNDS; r++) {
			double g[2];
			for (int j = 0; j < 2; j++)
				g[j] = gauss(&rs);
			level = r == 0 ? 0.05 * g[0] : 0.9 * level + sqrt(1 - 0.81) * 0.05 * g[0];
			run[r] = 150 * (1 + level) * (1 + 0.03 * g[1]);
		}
		stats_summarize(run, ROUNDS, 0.95, scratch, &s);
		med_of[k] = s.median;
		olo[k] = s.ci_lo;
		ohi[k] = s.ci_hi;
		stats_block_interval(run, NULL, ROUNDS, 10, 0.95, s.median, scratch, &blo[k], &bhi[k]);
	}
	int bcov = 0, ocov = 0, pairs = 0;
	for (int a = 0; a < RUNS; a++)
		for (int b = 0; b < RUNS; b++)
			if (a != b) {
				pairs++;
				bcov += med_of[b] >= blo[a] && med_of[b] <= bhi[a];
				ocov += med_of[b] >= olo[a] && med_of[b] <= ohi[a];
			}
	tap_ok(bcov >= 0.9 * pairs, "block intervals hold other runs' medians: %.1f%% of %d pairs "
	       "(order-statistic intervals: %.1f%%)", 100.0 * bcov / pairs, pairs, 100.0 * ocov / pairs);
	tap_ok(ocov < bcov, "the within-run interval covers less (it ignores drift)");
	/* Fresh processes with levels: 200 runs, each of 10 processes x 20
	 * rounds. Each process draws what is fixed for its life: with
	 * probability 0.3 it sits 9 % higher (two levels, as libc/getppid's
	 * ~63 and ~69 ns), and a 1 % random offset on top; its samples carry
	 * 3 % noise around that. The two-level interval (process medians) must
	 * hold another run's median >= 90 % of the time. The one-level way, a
	 * run measured in one process (one draw of what is fixed, 200 rounds
	 * in 10 blocks), holds other such runs' medians measurably less. */
	enum { PRUNS = 200, PROCS = 10, PROUNDS = 20 };
	static double pall[PROCS * PROUNDS], pmed[PRUNS], tlo[PRUNS], thi[PRUNS], olo2[PRUNS], ohi2[PRUNS];
	static unsigned punit[PROCS * PROUNDS];
	static double omed[PRUNS];
	int leveled = 0;
	for (int k = 0; k < PRUNS; k++) {
		double pm[PROCS], level[2];
		/* p == PROCS: the one-process run, all its rounds in one draw */
		for (int p = 0; p <= PROCS; p++) {
			double g[2], off;
			int high = uniform(&rs) < 0.3;
			int rounds = p == PROCS ? PROCS * PROUNDS : PROUNDS;
			for (int r = 0; r < rounds; r++) {
				for (int j = 0; j < 2; j++)
					g[j] = gauss(&rs);
				if (r == 0)
					off = 0.01 * g[0];
				double v = 63 * (high ? 1.09 : 1) * (1 + off) * (1 + 0.03 * g[1]);
				if (p == PROCS) {
					x[r] = v;
				} else {
					pall[p * PROUNDS + r] = v;
					punit[p * PROUNDS + r] = (unsigned)p;
				}
			}
		}
		stats_summarize(pall, PROCS * PROUNDS, 0.95, scratch, &s);
		pmed[k] = s.median;
		size_t nu = stats_unit_medians(pall, NULL, punit, PROCS * PROUNDS, PROCS, scratch, pm, NULL);
		leveled += stats_two_level_interval(pm, nu, 0, 0.95, s.median, scratch, &tlo[k], &thi[k], level,
						    NULL) == 2;
		stats_summarize(x, PROCS * PROUNDS, 0.95, scratch, &s);
		omed[k] = s.median;
		stats_block_interval(x, NULL, PROCS * PROUNDS, 10, 0.95, s.median, scratch, &olo2[k], &ohi2[k]);
	}
	int tcov = 0, o2cov = 0, ppairs = 0;
	for (int a = 0; a < PRUNS; a++)
		for (int b = 0; b < PRUNS; b++)
			if (a != b) {
				ppairs++;
				tcov += pmed[b] >= tlo[a] && pmed[b] <= thi[a];
				o2cov += omed[b] >= olo2[a] && omed[b] <= ohi2[a];
			}
	tap_ok(tcov >= 0.9 * ppairs, "per-process levels: the two-level interval holds other runs' medians "
	       "%.1f%% of %d pairs (%d of %d runs saw levels)", 100.0 * tcov / ppairs, ppairs, leveled, PRUNS);
	tap_ok(o2cov + 0.1 * ppairs < tcov, "per-process levels: runs of one process, one-level block "
	       "intervals, cover measurably less: %.1f%%", 100.0 * o2cov / ppairs);

	/* stats_levels: two groups 9 % apart are found; ten medians from one
	 * level with 1 % spread almost never are (the false-alarm rate the
	 * STATS_LEVELS_GAP threshold is set for) */
	double two[10] = { 63.1, 69.0, 63.3, 62.9, 68.8, 63.0, 69.2, 63.2, 63.4, 68.9 }, lv[2], cut;
	size_t nl = stats_levels(two, 10, 0.1, scratch, lv, &cut);
	tap_ok(nl == 2 && lv[0] > 62.9 && lv[0] < 63.4 &&
	       lv[1] > 68.8 && lv[1] < 69.2 && cut > 63.4 && cut < 68.8,
	       "levels: 63.1 | 69.0 found (%.2f | %.2f, cut at %.2f)", lv[0], lv[1], cut);
	tap_ok(stats_levels(two, 10, 2.0, scratch, lv, NULL) == 1,
	       "levels: not when the gap is within 4 standard errors of one process's median");
	tap_ok(stats_levels(two, 7, 0.1, scratch, lv, NULL) == 1, "levels: not from fewer than 8 processes");
	int false_levels = 0;
	for (int t = 0; t < 2000; t++) {
		double one[10];
		for (int i = 0; i < 10; i++) {
			one[i] = 100 * (1 + 0.01 * gauss(&rs));
		}
		false_levels += stats_levels(one, 10, 0, scratch, lv, NULL) == 2;
	}
	tap_ok(false_levels <= 2, "levels: %d of 2000 one-level sets of 10 called two levels (1 in 10000 "
	       "expected)", false_levels);

	/* a cheap row on a busy machine: its processes' medians spread by
	 * factors; the interval, on their logs, stays above zero and holds
	 * the median (a linear one goes below zero) */
	double wide[10] = { 1.0, 3.5, 1.2, 6.0, 1.1, 1.4, 7.0, 1.3, 1.2, 1.0 }, wlo, whi, wl[2];
	stats_two_level_interval(wide, 10, 0, 0.95, 1.3, scratch, &wlo, &whi, wl, NULL);
	stats_median_interval(wide, 10, 0.95, 1.3, &rlo, &rhi);
	tap_ok(wlo > 0 && wlo < 1.3 && whi > 1.3 && TAP_NEAR(1.3 / wlo, whi / 1.3, 1e-9) && rlo < 0,
	       "a wide spread of positive medians: [%.3f, %.3f], symmetric in ratio (linear: [%.3f, %.3f])",
	       wlo, whi, rlo, rhi);

	double flat[30];
	for (int i = 0; i < 30; i++)
		flat[i] = 342;
	tap_ok(stats_block_interval(flat, NULL, 30, 10, 0.95, 342, scratch, &rlo, &rhi) == 10 &&
	       rlo == 342 && rhi == 342, "exact data: a zero-width interval at the value");
	tap_ok(stats_block_interval(flat, NULL, 2, 10, 0.95, 342, scratch, &rlo, &rhi) < 3,
	       "fewer than 3 blocks: no interval");
	return tap_done();
}
