/* SPDX-License-Identifier: MIT */
/*
 * test_compare.c: the comparison's statistics on synthetic samples with
 * known shifts, where the right answer is known exactly, and the exact
 * comparison of instruction counts.
 */
#include "compare.h"
#include "stats.h"
#include "util.h"
#include "tap.h"

#include <math.h>
#include <string.h>

/* A deterministic noisy sample around `centre`: a spread of +-10 % with a
 * long right tail, like a timing distribution. */
static void noisy(double *v, size_t n, double centre, unsigned seed)
{
	uint64_t s = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		double u = (double)(s >> 11) / 9007199254740992.0;
		v[i] = centre * (0.9 + 0.2 * u + (u > 0.95 ? 2 * (u - 0.95) * 10 : 0));
	}
}

static void fill_run(struct cmp_run *r, const char *name, const double *v, size_t n)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->label, sizeof(r->label), "synthetic");
	/* the reference, constant, so normalising divides by a known value */
	compare_bench(r, "x86_64/syscall/getppid");
	compare_bench(r, name);
	for (int k = 0; k < 2; k++) {
		r->b[k].v = util_calloc(n, sizeof(double));
		r->b[k].round = util_calloc(n, sizeof(unsigned));
		r->b[k].n = r->b[k].cap = n;
		for (size_t i = 0; i < n; i++) {
			r->b[k].v[i] = k ? v[i] : 1000;
			r->b[k].round[i] = (unsigned)i;
		}
		r->b[k].raw_median = k ? v[n / 2] : 1000;	/* well above the floor */
	}
}

static const struct cmp_row *row_of(const struct cmp_outcome *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->rows[i].name, name))
			return &o->rows[i];
	return NULL;
}

int main(void)
{
	/* verdicts on synthetic runs */
	static const struct { double shift; int normalize; double threshold; enum cmp_verdict want; } cases[] = {
		{ 1.00, 0, 0.10, CMP_UNCHANGED },
		{ 1.20, 0, 0.10, CMP_REGRESSION },
		{ 1.03, 0, 0.05, CMP_UNCHANGED },	/* significant, but under the threshold */
		{ 0.80, 0, 0.10, CMP_IMPROVEMENT },
		{ 1.20, 1, 0.10, CMP_REGRESSION },	/* normalised by a constant reference */
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct cmp_run base, new_;
		struct cmp_outcome out;
		char why[200];
		double v0[400], v1[400];
		noisy(v0, 400, 500, 3);
		noisy(v1, 400, 500 * cases[k].shift, 4);	/* independent noise */
		fill_run(&base, "x86_64/syscall/enosys", v0, 400);
		fill_run(&new_, "x86_64/syscall/enosys", v1, 400);
		if (cases[k].normalize) {
			compare_normalize(&base, why, sizeof(why));
			compare_normalize(&new_, why, sizeof(why));
		}
		compare_runs(&base, &new_, cases[k].threshold, 0.05, cases[k].normalize, 0, &out);
		const struct cmp_row *r = row_of(&out, "x86_64/syscall/enosys");
		tap_ok(r && r->verdict == cases[k].want && fabs(r->ratio - cases[k].shift) < 0.03,
		       "shift x%.2f%s at threshold %.2f: %s (ratio %.3f [%.3f, %.3f], p %.2g)", cases[k].shift,
		       cases[k].normalize ? " normalised" : "", cases[k].threshold,
		       r ? compare_verdict_name(r->verdict) : "missing", r ? r->ratio : 0, r ? r->lo : 0,
		       r ? r->hi : 0, r ? r->p : 0);
		if (cases[k].normalize) {
			const struct cmp_row *ref = row_of(&out, "x86_64/syscall/getppid");
			tap_ok(ref && ref->verdict == CMP_NOT_COMPARED, "normalised: the reference is not compared");
		}
		tap_ok((cases[k].want == CMP_REGRESSION) == (out.regressions == 1), "regression count %zu",
		       out.regressions);
		compare_outcome_free(&out);
		compare_free(&base);
		compare_free(&new_);
	}

	/* exact instruction counts: any change is a verdict, the tolerance aside */
	static const struct { double base, new_; unsigned tol; enum cmp_verdict want; int exit1; } ic[] = {
		{ 342.28, 342.28, 0, CMP_UNCHANGED, 0 },
		{ 342.28, 343.28, 0, CMP_REGRESSION, 1 },
		{ 342.28, 343.28, 1, CMP_UNCHANGED, 0 },
		{ 342.28, 341.28, 0, CMP_IMPROVEMENT, 0 },
	};
	for (size_t k = 0; k < sizeof(ic) / sizeof(ic[0]); k++) {
		struct cmp_run base, new_;
		struct cmp_outcome out;
		double v[40];
		noisy(v, 40, 500, 5);	/* samples that would say nothing alone */
		fill_run(&base, "x86_64/syscall/enosys", v, 40);
		fill_run(&new_, "x86_64/syscall/enosys", v, 40);
		base.b[1].has_icount = new_.b[1].has_icount = 1;
		base.b[1].icount = ic[k].base;
		new_.b[1].icount = ic[k].new_;
		compare_runs(&base, &new_, 0.10, 0.05, 0, ic[k].tol, &out);
		const struct cmp_row *r = row_of(&out, "x86_64/syscall/enosys");
		tap_ok(r && r->verdict == ic[k].want && r->exact && (out.regressions > 0) == ic[k].exit1 &&
		       (ic[k].want == CMP_UNCHANGED || strstr(r->note, "instructions")),
		       "icount %.2f -> %.2f, tolerance %u: %s (%s)", ic[k].base, ic[k].new_, ic[k].tol,
		       r ? compare_verdict_name(r->verdict) : "missing", r ? r->note : "");
		compare_outcome_free(&out);
		compare_free(&base);
		compare_free(&new_);
	}
	return tap_done();
}
