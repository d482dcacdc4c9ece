/* SPDX-License-Identifier: MIT */
/* report.c: see report.h. */
#include "report.h"
#include "results.h"
#include "csv.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A counter's column holds numbers only if it was open and counting. */
static int counter_usable(const struct counter *c)
{
	return c->why[0] == '\0' && c->scheduled;
}

static void header(struct csv_out *o, const char *const *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_field(o, cols[i]);
	csv_end_row(o);
}

void report_table(FILE *f, const struct run *r)
{
	char name[128];

	int sc = -1;

	for (size_t c = 0; c < r->counters.n; c++)
		if (!strcmp(r->counters.c[c].column, "syscalls_per_call") &&
		    counter_usable(&r->counters.c[c]) && r->opt.counter_runs)
			sc = (int)c;
	const char *unit = r->opt.icount ? "instr/call" : "ns/call";
	fprintf(f, "%-36s %10s  %-23s %10s %7s %5s\n", "benchmark", unit,
		r->opt.icount ? "" : "95% repeat interval", r->opt.icount ? "" : "ticks", "x ref",
		sc >= 0 ? "sys" : "");
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_result *br = &r->res[i];
		registry_name(br->b, name, sizeof(name));
		if (!probe_status_measured(br->status)) {
			fprintf(f, "%-36s %s: %s\n", name, probe_status_name(br->status), br->reason);
			continue;
		}
		char ci[64] = "", ticks[32] = "", ratio[32] = "", sys[16] = "";
		/* the interval at the median's own precision, so it visibly holds it */
		/* one precision for the median and its interval: rounding is
		 * monotonic, so lo <= median <= hi holds in the printed digits too;
		 * below 1 ns a third decimal keeps small medians apart */
		int prec = !r->opt.icount && br->ns_s.median < 1 ? 3 : 2;
		if (!r->opt.icount) {
			snprintf(ci, sizeof(ci), "[%.*f, %.*f]", prec, br->ns_s.ci_lo, prec, br->ns_s.ci_hi);
			snprintf(ticks, sizeof(ticks), "%.1f", br->ticks_s.median);
		}
		if (br->has_ratio)
			snprintf(ratio, sizeof(ratio), "%.3f", br->ratio);
		if (sc >= 0 && br->has_counts)
			snprintf(sys, sizeof(sys), "%.3f", br->count_median[sc]);
		fprintf(f, "%-36s %10.*f  %-23s %10s %7s %5s%s%s", name, prec,
			r->opt.icount ? br->ticks_s.median : br->ns_s.median, ci, ticks, ratio, sys,
			br->detail[0] ? "  " : "", br->detail);
		if (br->status == STATUS_NOISY)
			fprintf(f, "  NOISY: %s", br->reason);
		/* not one number: say so where the number is read */
		if (br->nlevels == 2)
			fprintf(f, "  LEVELS: %.*f | %.*f (processes sit at one or the other)", prec,
				br->level[0], prec, br->level[1]);
		fputc('\n', f);
	}
	if (r->opt.icount)
		fprintf(f, "instr/call: guest instructions per call, user and kernel, counted by QEMU "
			"-icount (the loop adds ~0.25); not time.\n");
	else {
		/* processes' medians where the rows' intervals came from them; a
		 * run of one or two processes uses blocks of rounds */
		unsigned np = 0;
		for (size_t i = 0; i < r->n; i++)
			if (probe_status_measured(r->res[i].status) && !r->res[i].blocks && r->res[i].npmed >= 3)
				np = (unsigned)r->nprocesses;
		fprintf(f, "ns from TSC ticks at %.4f GHz; ticks are TSC reference ticks, not core cycles.\n",
			r->ticks_per_ns);
		if (np > 1)
			fprintf(f, "The interval is where a repeat run's median should fall (95%%, from the "
				"spread between %u fresh processes' medians).\n", np);
		else if (r->nprocesses > 1)
			fprintf(f, "The interval is where a repeat run's median should fall (95%%, from the "
				"spread between %d blocks of rounds: too few processes for their own).\n",
				RUN_BLOCKS);
		else
			fprintf(f, "The interval is where a repeat run's median should fall (95%%, from the "
				"spread between %d blocks of rounds of one process).\n", RUN_BLOCKS);
	}
	if (sc >= 0)
		fprintf(f, "sys: syscalls entered per call (raw_syscalls:sys_enter).\n");
}

/* ---- compare ------------------------------------------------------------ */

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

/* Length of the well-formed UTF-8 sequence at s (no overlongs, no
 * surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0], cp;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* A JSON string of any bytes: valid UTF-8 passes through, control
 * characters are escaped, and a byte that is not part of valid UTF-8
 * becomes U+FFFD, so the output is always valid JSON. */
void report_json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n = utf8_len(s);
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\u%04x", *s);
		else if (n == 0)
			fputs("\\ufffd", f);
		else
			fwrite(s, 1, n, f);
		s += n ? n : 1;
	}
	fputc('"', f);
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

void report_compare(FILE *f, const struct cmp_outcome *o, enum compare_format fmt)
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
		report_json_string(f, o->base_label);
		fprintf(f, ",\n  \"new\": ");
		report_json_string(f, o->new_label);
		fprintf(f, ",\n  \"threshold\": %g,\n  \"alpha\": %g,\n  \"normalized\": %s,\n",
			o->threshold, o->alpha, o->normalized ? "true" : "false");
		fprintf(f, "  \"machine_warning\": ");
		report_json_string(f, o->machine_warning);
		fprintf(f, ",\n  \"regressions\": %zu,\n  \"improvements\": %zu,\n  \"benchmarks\": [\n",
			o->regressions, o->improvements);
		for (size_t i = 0; i < o->n; i++) {
			const struct cmp_row *r = &o->rows[i];
			fprintf(f, "    {\"benchmark\": ");
			report_json_string(f, r->name);
			fprintf(f, ", \"verdict\": ");
			report_json_string(f, compare_verdict_name(r->verdict));
			if (compared(r))
				fprintf(f, ", \"base\": %.6g, \"new\": %.6g, \"unit\": \"%s\", \"ratio\": %.6g, "
					"\"ratio_ci\": [%.6g, %.6g], \"p_value\": %.4g, \"n_base\": %zu, \"n_new\": %zu",
					r->base, r->new_, unit_of(r, o->normalized), r->ratio, r->lo, r->hi, r->p,
					r->nbase, r->nnew);
			if (compared(r) && !r->exact)
				fprintf(f, ", \"base_spread_pct\": %.3g, \"new_spread_pct\": %.3g", r->base_pm, r->new_pm);
			fprintf(f, ", \"note\": ");
			report_json_string(f, r->note);
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
