/* SPDX-License-Identifier: MIT */
/* builtin-compare.c: `scbench compare BASE NEW` (compare.h decides,
 * report.c prints). Exit 0: no regression; 1: regression; 2: bad input.
 * Two folders holding profile.csv (make bench-profile) are diffed per
 * function instead (profile.h); 1 there: some row's count rose. */
#define _GNU_SOURCE
#include "builtin.h"
#include "util.h"
#include "compare.h"
#include "profile.h"

#include <stdio.h>

static int compare_profiles(struct cli *c)
{
	struct profile a, b;
	const regex_t *drop = c->exclude_src ? &c->exclude : NULL;
	char why[4200];
	int rc;

	if (c->format != FORMAT_TABLE && c->format != FORMAT_CSV) {
		util_error("profiles are compared as a table or as CSV (--format table or csv)");
		return 2;
	}
	if (profile_load(&a, c->positional[0], c->opt.filter, drop, why, sizeof(why)))
		goto bad;
	if (profile_load(&b, c->positional[1], c->opt.filter, drop, why, sizeof(why))) {
		profile_free(&a);
		goto bad;
	}
	rc = profile_compare(stdout, &a, c->positional[0], &b, c->positional[1],
			     c->format == FORMAT_CSV ? PROF_CSV : PROF_TABLE);
	if (rc < 0)
		util_error("%s and %s have no profiled row in common", c->positional[0], c->positional[1]);
	profile_free(&a);
	profile_free(&b);
	return rc < 0 ? 2 : rc > 0;
bad:
	util_error("%s", why);
	return 2;
}

int cmd_compare(struct cli *c)
{
	struct cmp_run base = { 0 }, new_ = { 0 };
	struct cmp_outcome out;
	char why[4200];
	int rc;

	if (profile_present(c->positional[0]) && profile_present(c->positional[1]))
		return compare_profiles(c);
	if (compare_load(&base, c->positional[0], why, sizeof(why)) ||
	    compare_load(&new_, c->positional[1], why, sizeof(why)) ||
	    (compare_select(&base, c->opt.filter, c->exclude_src ? &c->exclude : NULL),
	     compare_select(&new_, c->opt.filter, c->exclude_src ? &c->exclude : NULL), 0) ||
	    (c->normalize && (compare_normalize(&base, why, sizeof(why)) ||
			      compare_normalize(&new_, why, sizeof(why))))) {
		util_error("%s", why);
		compare_free(&base);
		compare_free(&new_);
		return 2;
	}
	compare_runs(&base, &new_, c->threshold, c->alpha, c->normalize, c->tolerance, &out);
	if (out.machine_warning[0])
		util_error("warning: the runs come from different machines or kernels, so "
			"differences may not be regressions: %s", out.machine_warning);
	if (out.disturbance_warning[0])
		util_error("warning: the machine was disturbed differently in the two runs "
			"(syscall slow path, shared CPU), so differences may not be the code's: %s",
			out.disturbance_warning);
	if (!out.in_common) {
		util_error("%s and %s have no measured benchmark in common",
			c->positional[0], c->positional[1]);
		rc = 2;
	} else {
		report_compare(stdout, &out, c->format);
		rc = out.regressions ? 1 : 0;
	}
	compare_outcome_free(&out);
	compare_free(&base);
	compare_free(&new_);
	return rc;
}

