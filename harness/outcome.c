/* SPDX-License-Identifier: MIT */
/* outcome.c: see outcome.h. */
#include "outcome.h"
#include "csv.h"
#include "json.h"
#include "results.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void header(struct csv_out *o, const char *const *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_field(o, cols[i]);
	csv_end_row(o);
}

static void fmt_value(char *buf, size_t len, double v, const struct cmp_row *row, int normalized)
{
	if (row->exact)
		snprintf(buf, len, "%.2f instr", v);
	else if (normalized)
		snprintf(buf, len, "%.4f", v);
	else
		snprintf(buf, len, "%.2f ns", v);
}

static const char *unit_of(const struct cmp_row *row, int normalized)
{
	return row->exact ? "instructions" : normalized ? "ratio_to_ref" : "ns";
}

static void fmt_p(char *buf, size_t len, double p)
{
	if (p < 1e-4)
		snprintf(buf, len, "<0.0001");
	else
		snprintf(buf, len, "%.4f", p);
}

static int compared(const struct cmp_row *row)
{
	return row->verdict == CMP_UNCHANGED || row->verdict == CMP_REGRESSION ||
	       row->verdict == CMP_IMPROVEMENT;
}

/* Rows not compared, one line per distinct verdict and note, groups in
 * the order of their first row: sorted, so 100k rows take n log n. */
static const struct cmp_outcome *group_of;

static int by_group(const void *x, const void *y)
{
	const struct cmp_row *a = &group_of->rows[*(const size_t *)x], *b = &group_of->rows[*(const size_t *)y];
	int c = (a->verdict > b->verdict) - (a->verdict < b->verdict);

	if (!c)
		c = strcmp(a->note, b->note);
	return c ? c : (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
}

struct group {
	size_t first, start, count;	/* first row index; where in idx; how many */
};

static int by_first(const void *x, const void *y)
{
	size_t a = ((const struct group *)x)->first, b = ((const struct group *)y)->first;

	return (a > b) - (a < b);
}

static void print_not_compared(FILE *f, const struct cmp_outcome *o, int md)
{
	size_t *idx = util_calloc(o->n + 1, sizeof(*idx)), m = 0, ng = 0;
	struct group *g = util_calloc(o->n + 1, sizeof(*g));

	for (size_t i = 0; i < o->n; i++)
		if (!compared(&o->rows[i]))
			idx[m++] = i;
	group_of = o;
	qsort(idx, m, sizeof(*idx), by_group);
	for (size_t k = 0; k < m; k++) {
		const struct cmp_row *r = &o->rows[idx[k]];
		if (k && r->verdict == o->rows[idx[k - 1]].verdict && !strcmp(r->note, o->rows[idx[k - 1]].note)) {
			g[ng - 1].count++;
			continue;
		}
		g[ng++] = (struct group){ idx[k], k, 1 };
	}
	qsort(g, ng, sizeof(*g), by_first);
	if (ng)
		fprintf(f, md ? "\nNot compared:\n\n" : "not compared:\n");
	for (size_t j = 0; j < ng; j++) {
		const struct cmp_row *r = &o->rows[g[j].first];
		if (g[j].count > 2) {
			fprintf(f, md ? "- %zu benchmarks (%s, ...): %s%s%s\n" : "  %zu benchmarks (%s, ...): %s%s%s\n",
				g[j].count, r->name, compare_verdict_name(r->verdict), r->note[0] ? ": " : "", r->note);
			continue;
		}
		for (size_t k = g[j].start; k < g[j].start + g[j].count; k++)
			fprintf(f, md ? "- %s: %s%s%s\n" : "  %-34s %s%s%s\n", o->rows[idx[k]].name,
				compare_verdict_name(r->verdict), r->note[0] ? ": " : "", r->note);
	}
	free(idx);
	free(g);
}

void outcome_write(FILE *f, const struct cmp_outcome *o, enum compare_format fmt)
{
	char b[32], n[32], p[32];
	size_t unchanged = 0;

	for (size_t i = 0; i < o->n; i++)
		unchanged += o->rows[i].verdict == CMP_UNCHANGED;
	if (fmt == FORMAT_CSV) {
		static const char *const cols[] = { "schema", "benchmark", "verdict", "base", "new", "unit",
			"ratio", "ratio_ci_lo", "ratio_ci_hi", "p_value", "n_base", "n_new", "note",
			"base_spread_pct", "new_spread_pct" };
		struct csv_out o2 = { .f = f };
		header(&o2, cols, sizeof(cols) / sizeof(cols[0]));
		for (size_t i = 0; i < o->n; i++) {
			const struct cmp_row *r = &o->rows[i];
			csv_fieldf(&o2, "%d", RESULTS_SCHEMA);
			csv_field(&o2, r->name);
			csv_field(&o2, compare_verdict_name(r->verdict));
			if (compared(r)) {
				csv_fieldf(&o2, "%.4f", r->base);
				csv_fieldf(&o2, "%.4f", r->new_);
				csv_field(&o2, unit_of(r, o->normalized));
				csv_fieldf(&o2, "%.4f", r->ratio);
				csv_fieldf(&o2, "%.4f", r->lo);
				csv_fieldf(&o2, "%.4f", r->hi);
				csv_fieldf(&o2, "%.3g", r->p);
				csv_fieldf(&o2, "%zu", r->nbase);
				csv_fieldf(&o2, "%zu", r->nnew);
			} else {
				for (int k = 0; k < 9; k++)
					csv_field(&o2, "");
			}
			csv_field(&o2, r->note);
			if (compared(r) && !r->exact) {
				csv_fieldf(&o2, "%.2f", r->base_pm);
				csv_fieldf(&o2, "%.2f", r->new_pm);
			} else {
				csv_field(&o2, "");
				csv_field(&o2, "");
			}
			csv_end_row(&o2);
		}
		return;
	}
	if (fmt == FORMAT_JSON) {
		fprintf(f, "{\n  \"base\": ");
		json_string(f, o->base_label);
		fprintf(f, ",\n  \"new\": ");
		json_string(f, o->new_label);
		fprintf(f, ",\n  \"threshold\": %g,\n  \"alpha\": %g,\n  \"normalized\": %s,\n",
			o->threshold, o->alpha, o->normalized ? "true" : "false");
		fprintf(f, "  \"machine_warning\": ");
		json_string(f, o->machine_warning);
		fprintf(f, ",\n  \"regressions\": %zu,\n  \"improvements\": %zu,\n  \"benchmarks\": [\n",
			o->regressions, o->improvements);
		for (size_t i = 0; i < o->n; i++) {
			const struct cmp_row *r = &o->rows[i];
			fprintf(f, "    {\"benchmark\": ");
			json_string(f, r->name);
			fprintf(f, ", \"verdict\": ");
			json_string(f, compare_verdict_name(r->verdict));
			if (compared(r))
				fprintf(f, ", \"base\": %.6g, \"new\": %.6g, \"unit\": \"%s\", \"ratio\": %.6g, "
					"\"ratio_ci\": [%.6g, %.6g], \"p_value\": %.4g, \"n_base\": %zu, \"n_new\": %zu",
					r->base, r->new_, unit_of(r, o->normalized), r->ratio, r->lo, r->hi, r->p,
					r->nbase, r->nnew);
			if (compared(r) && !r->exact)
				fprintf(f, ", \"base_spread_pct\": %.3g, \"new_spread_pct\": %.3g", r->base_pm, r->new_pm);
			fprintf(f, ", \"note\": ");
			json_string(f, r->note);
			fprintf(f, "}%s\n", i + 1 < o->n ? "," : "");
		}
		fprintf(f, "  ]\n}\n");
		return;
	}

	int md = fmt == FORMAT_MARKDOWN;
	if (md) {
		fprintf(f, "**scbench compare** `%s` → `%s`: threshold %.0f%%, alpha %g%s\n\n", o->base_label,
			o->new_label, 100 * o->threshold, o->alpha,
			o->normalized ? ", normalised to x86_64/syscall/getppid" : "");
		fprintf(f, "| benchmark | base | new | new/base | change | 95%% CI | p | n | verdict |\n");
		fprintf(f, "|---|---:|---:|---:|---:|---|---:|---:|---|\n");
	} else {
		fprintf(f, "comparing %s -> %s (threshold %.0f%%, alpha %g%s)\n", o->base_label, o->new_label,
			100 * o->threshold, o->alpha,
			o->normalized ? ", normalised to x86_64/syscall/getppid" : "");
		fprintf(f, "%-36s %20s %20s %9s %8s  %-17s %8s %9s  %s\n", "benchmark", "base", "new",
			"new/base", "change", "95% CI / change", "p", "n", "verdict");
	}
	for (size_t i = 0; i < o->n; i++) {
		const struct cmp_row *r = &o->rows[i];
		char ci[48];
		if (!compared(r))
			continue;
		fmt_value(b, sizeof(b), r->base, r, o->normalized);
		fmt_value(n, sizeof(n), r->new_, r, o->normalized);
		if (!r->exact) {	/* benchstat's "value ± spread" per side */
			size_t lb = strlen(b), ln = strlen(n);
			snprintf(b + lb, sizeof(b) - lb, " ±%.0f%%", r->base_pm);
			snprintf(n + ln, sizeof(n) - ln, " ±%.0f%%", r->new_pm);
		}
		fmt_p(p, sizeof(p), r->p);
		if (r->exact) {
			/* counts do not vary: the change itself is the evidence */
			snprintf(ci, sizeof(ci), "%+.2f instr", r->new_ - r->base);
			snprintf(p, sizeof(p), "exact");
		} else {
			snprintf(ci, sizeof(ci), "[%.3f, %.3f]", r->lo, r->hi);
		}
		/* benchstat's columns: the change in per cent, and how many
		 * samples each side had (exact counts: none) */
		char pct[24], cnt[32];
		snprintf(pct, sizeof(pct), "%+.1f%%", 100 * (r->ratio - 1));
		if (r->exact)
			snprintf(cnt, sizeof(cnt), "-");
		else
			snprintf(cnt, sizeof(cnt), "%zu/%zu", r->nbase, r->nnew);
		if (md)
			fprintf(f, "| %s | %s | %s | %.3f | %s | %s | %s | %s | %s |\n", r->name, b, n, r->ratio,
				pct, ci, p, cnt,
				r->verdict == CMP_REGRESSION ? "**REGRESSION**" : compare_verdict_name(r->verdict));
		else
			fprintf(f, "%-36s %20s %20s %9.3f %8s  %-17s %8s %9s  %s\n", r->name, b, n, r->ratio, pct,
				ci, p, cnt, compare_verdict_name(r->verdict));
	}
	/* benchstat's summary line: the geometric mean of new/base over the
	 * rows compared by timing */
	double lsum = 0;
	size_t ng = 0;
	for (size_t i = 0; i < o->n; i++)
		if (compared(&o->rows[i]) && !o->rows[i].exact && o->rows[i].ratio > 0) {
			lsum += log(o->rows[i].ratio);
			ng++;
		}
	double gm = ng ? exp(lsum / (double)ng) : 0;
	if (ng && md)
		fprintf(f, "| **geomean** (%zu rows) | | | %.3f | %+.1f%% | | | | |\n", ng, gm, 100 * (gm - 1));
	else if (ng)
		fprintf(f, "%-36s %20s %20s %9.3f %+7.1f%%  (%zu rows)\n", "geomean", "", "", gm,
			100 * (gm - 1), ng);
	print_not_compared(f, o, md);
	fprintf(f, md ? "\n%zu regression(s), %zu improvement(s), %zu unchanged.\n" :
		"%zu regression(s), %zu improvement(s), %zu unchanged\n",
		o->regressions, o->improvements, unchanged);
}
