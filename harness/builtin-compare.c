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
#include "outcome.h"

#include <stdio.h>
#include <string.h>

enum { O_THRESHOLD, O_ALPHA, O_TOLERANCE, O_NORMALIZE, O_FORMAT, O_FILTER, O_EXCLUDE };

static const struct opt compare_opts[] = {
	{ "threshold", 0, "F", "smallest change that counts, as a fraction (default 0.10:\n"
	  "runs on a noisy VM drift by up to ~9% from minute to minute)", O_THRESHOLD },
	{ "alpha", 0, "F", "family-wise error over all rows and both directions (Holm;\n"
	  "default 0.05)", O_ALPHA },
	{ "tolerance", 0, "N", "icount runs: instructions a row may change by unflagged\n"
	  "(default 0: any change is a verdict)", O_TOLERANCE },
	{ "normalize", 0, NULL, "divide by each run's own syscall getppid first (same round),\n"
	  "cancelling a machine that is uniformly faster or slower", O_NORMALIZE },
	{ "normalise", 0, NULL, NULL, O_NORMALIZE },
	{ "format", 0, "F", "table (default), markdown, csv or json", O_FORMAT },
	{ "filter", 0, "RE", "compare only the benchmarks RE matches (POSIX extended)", O_FILTER },
	{ "exclude", 0, "RE", "compare all but the benchmarks RE matches", O_EXCLUDE },
};

const struct command compare_command = {
	"compare", "[OPTIONS] BASE NEW",
	"which benchmarks got slower or faster from run BASE to run NEW",
	"BASE and NEW are results folders, or samples.csv files (with summary.csv and\n"
	"env.csv beside them); two profiles (make bench-profile) are diffed per\n"
	"function. Exit 0: no regression, 1: regression, 2: bad input.\n",
	compare_opts, sizeof(compare_opts) / sizeof(compare_opts[0]), 2, 2,
};

struct compare_args {
	double threshold, alpha, tolerance;
	int normalize;
	enum compare_format format;
	const char *filter_src, *exclude_src;
	regex_t filter_re, exclude_re;
	const regex_t *filter, *exclude;
	const char *positional[2];
};

static void compare_option(void *ctx, int id, const char *v)
{
	struct compare_args *c = ctx;
	const char *me = "compare";

	switch (id) {
	case O_THRESHOLD: c->threshold = options_fraction(me, "--threshold", v, 0, 10); break;
	case O_ALPHA: c->alpha = options_fraction(me, "--alpha", v, 0, 1); break;
	case O_TOLERANCE: c->tolerance = options_uint(me, "--tolerance", v, 0, 1000000); break;
	case O_NORMALIZE: c->normalize = 1; break;
	case O_FORMAT:
		if (!strcmp(v, "table"))
			c->format = FORMAT_TABLE;
		else if (!strcmp(v, "markdown") || !strcmp(v, "md"))
			c->format = FORMAT_MARKDOWN;
		else if (!strcmp(v, "csv"))
			c->format = FORMAT_CSV;
		else if (!strcmp(v, "json"))
			c->format = FORMAT_JSON;
		else if (!strcmp(v, "google-benchmark") || !strcmp(v, "bencher"))
			options_error(me, "compare --format takes table, markdown, csv or json; "
				      "google-benchmark and bencher are for scbench export");
		else
			options_error(me, "--format wants table, markdown, csv or json, not '%s'", v);
		break;
	case O_FILTER: c->filter_src = v; break;
	case O_EXCLUDE: c->exclude_src = v; break;
	}
}

static void compare_parse(struct compare_args *c, int argc, char **argv)
{
	int n;

	memset(c, 0, sizeof(*c));
	c->threshold = COMPARE_DEFAULT_THRESHOLD;
	c->alpha = COMPARE_DEFAULT_ALPHA;
	c->format = FORMAT_TABLE;
	options_parse(&compare_command, argc, argv, compare_option, c, c->positional, &n);
	if (n != 2)
		options_error("compare", "compare needs two runs: BASE and NEW");
	if (c->filter_src) {
		options_regex("compare", "--filter", c->filter_src, &c->filter_re);
		c->filter = &c->filter_re;
	}
	if (c->exclude_src) {
		options_regex("compare", "--exclude", c->exclude_src, &c->exclude_re);
		c->exclude = &c->exclude_re;
	}
}

static int compare_profiles(struct compare_args *c)
{
	struct profile a, b;
	const regex_t *drop = c->exclude;
	char why[4200];
	int rc;

	if (c->format != FORMAT_TABLE && c->format != FORMAT_CSV) {
		util_error("profiles are compared as a table or as CSV (--format table or csv)");
		return 2;
	}
	if (profile_load(&a, c->positional[0], c->filter, drop, why, sizeof(why)))
		goto bad;
	if (profile_load(&b, c->positional[1], c->filter, drop, why, sizeof(why))) {
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

static int compare_main(struct compare_args *c)
{
	struct cmp_run base = { 0 }, new_ = { 0 };
	struct cmp_outcome out;
	char why[4200];
	int rc;

	if (profile_present(c->positional[0]) && profile_present(c->positional[1]))
		return compare_profiles(c);
	if (compare_load(&base, c->positional[0], why, sizeof(why)) ||
	    compare_load(&new_, c->positional[1], why, sizeof(why)) ||
	    (compare_select(&base, c->filter, c->exclude), compare_select(&new_, c->filter, c->exclude), 0) ||
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
		outcome_write(stdout, &out, c->format);
		rc = out.regressions ? 1 : 0;
	}
	compare_outcome_free(&out);
	compare_free(&base);
	compare_free(&new_);
	return rc;
}


int cmd_compare(int argc, char **argv)
{
	struct compare_args c;
	int rc;

	compare_parse(&c, argc, argv);
	rc = compare_main(&c);
	if (c.filter)
		regfree(&c.filter_re);
	if (c.exclude)
		regfree(&c.exclude_re);
	return rc;
}
