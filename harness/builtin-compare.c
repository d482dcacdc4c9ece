/* SPDX-License-Identifier: MIT */
/* builtin-compare.c: `scbench compare BASE NEW` (compare.h decides,
 * report.c prints). Exit 0: no regression; 1: regression; 2: bad input. */
#define _GNU_SOURCE
#include "builtin.h"
#include "util.h"
#include "compare.h"

#include <stdio.h>

int cmd_compare(struct cli *c)
{
	struct cmp_run base = { 0 }, new_ = { 0 };
	struct cmp_outcome out;
	char why[4200];
	int rc;

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

