/* report.c: see report.h. */
#include "report.h"
#include "csv.h"

#include <string.h>

static const char *const summary_columns[] = {
	"schema", "abi", "mechanism", "syscall", "status", "reason", "samples",
	"calls_per_sample", "ns_median", "ns_ci_lo", "ns_ci_hi", "ns_min", "ns_p90",
	"ns_p99", "ns_mad", "ticks_median", "ticks_min", "ratio_to_ref", "ratio_ci_lo",
	"ratio_ci_hi",
};

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

static void identity(struct csv_out *o, const struct bench *b)
{
	csv_fieldf(o, "%d", REPORT_SCHEMA);
	csv_field(o, b->abi);
	csv_field(o, b->mechanism);
	csv_field(o, b->syscall);
}

void report_summary_csv(FILE *f, const struct run *r)
{
	struct csv_out o = { .f = f };

	char reasons[1024];

	counters_reasons(&r->counters, reasons, sizeof(reasons));
	for (size_t i = 0; i < sizeof(summary_columns) / sizeof(summary_columns[0]); i++)
		csv_field(&o, summary_columns[i]);
	for (size_t c = 0; c < r->counters.n; c++)
		csv_field(&o, r->counters.c[c].column);
	csv_field(&o, "counters_reason");
	csv_field(&o, "detail");
	csv_field(&o, "kernel");
	csv_field(&o, "description");
	csv_end_row(&o);
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_result *br = &r->res[i];
		int ok = br->status == STATUS_OK;
		const struct stats_summary *s = &br->ns_s;

		identity(&o, br->b);
		csv_field(&o, probe_status_name(br->status));
		csv_field(&o, ok ? "" : br->reason);
		if (ok) {
			csv_fieldf(&o, "%zu", s->n);
			csv_fieldf(&o, "%lu", br->item.calls);
			csv_fieldf(&o, "%.3f", s->median);
			csv_fieldf(&o, "%.3f", s->ci_lo);
			csv_fieldf(&o, "%.3f", s->ci_hi);
			csv_fieldf(&o, "%.3f", br->ns_best);
			csv_fieldf(&o, "%.3f", s->p90);
			csv_fieldf(&o, "%.3f", s->p99);
			csv_fieldf(&o, "%.3f", s->mad);
			csv_fieldf(&o, "%.2f", br->ticks_s.median);
			csv_fieldf(&o, "%.2f", br->ticks_best);
		} else {
			for (int k = 0; k < 11; k++)
				csv_field(&o, "");
		}
		if (ok && br->has_ratio) {
			csv_fieldf(&o, "%.4f", br->ratio);
			csv_fieldf(&o, "%.4f", br->ratio_lo);
			csv_fieldf(&o, "%.4f", br->ratio_hi);
		} else {
			for (int k = 0; k < 3; k++)
				csv_field(&o, "");
		}
		for (size_t c = 0; c < r->counters.n; c++) {
			if (ok && br->has_counts && counter_usable(&r->counters.c[c]))
				csv_fieldf(&o, "%.3f", br->count_median[c]);
			else
				csv_field(&o, "");
		}
		csv_field(&o, ok && r->opt.counter_runs ? reasons :
			  ok ? "counting switched off (--counter-runs 0)" : "");
		csv_field(&o, br->detail);
		csv_field(&o, br->b->kernel_name);
		csv_field(&o, br->b->description);
		csv_end_row(&o);
	}
}

void report_samples_csv(FILE *f, const struct run *r)
{
	static const char *const cols[] = {
		"schema", "abi", "mechanism", "syscall", "round", "calls",
		"ticks_n", "ticks_2n", "ticks_per_call", "ns_per_call",
	};
	struct csv_out o = { .f = f };

	header(&o, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_result *br = &r->res[i];
		if (br->status != STATUS_OK)
			continue;
		for (unsigned k = 0; k < r->opt.runs; k++) {
			identity(&o, br->b);
			csv_fieldf(&o, "%u", k);
			csv_fieldf(&o, "%lu", br->item.calls);
			csv_fieldf(&o, "%llu", (unsigned long long)br->item.ticks_n[k]);
			csv_fieldf(&o, "%llu", (unsigned long long)br->item.ticks_2n[k]);
			csv_fieldf(&o, "%.3f", br->ticks[k]);
			csv_fieldf(&o, "%.3f", br->ns[k]);
			csv_end_row(&o);
		}
	}
}

void report_env_csv(FILE *f, const struct env *e)
{
	static const char *const cols[] = { "schema", "key", "value" };
	struct csv_out o = { .f = f };

	header(&o, cols, 3);
	for (size_t i = 0; i < e->n; i++) {
		csv_fieldf(&o, "%d", REPORT_SCHEMA);
		csv_field(&o, e->item[i].key);
		csv_field(&o, e->item[i].value);
		csv_end_row(&o);
	}
}

void report_table(FILE *f, const struct run *r)
{
	char name[128];

	int sc = -1;

	for (size_t c = 0; c < r->counters.n; c++)
		if (!strcmp(r->counters.c[c].column, "syscalls_per_call") &&
		    counter_usable(&r->counters.c[c]) && r->opt.counter_runs)
			sc = (int)c;
	fprintf(f, "%-36s %9s  %-21s %10s %7s %5s\n", "benchmark", "ns/call", "95% CI of median",
		"ticks", "x ref", sc >= 0 ? "sys" : "");
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_result *br = &r->res[i];
		registry_name(br->b, name, sizeof(name));
		if (br->status != STATUS_OK) {
			fprintf(f, "%-36s %s: %s\n", name, probe_status_name(br->status), br->reason);
			continue;
		}
		char ci[64], ratio[32] = "", sys[16] = "";
		snprintf(ci, sizeof(ci), "[%.1f, %.1f]", br->ns_s.ci_lo, br->ns_s.ci_hi);
		if (br->has_ratio)
			snprintf(ratio, sizeof(ratio), "%.3f", br->ratio);
		if (sc >= 0 && br->has_counts)
			snprintf(sys, sizeof(sys), "%.2f", br->count_median[sc]);
		fprintf(f, "%-36s %9.2f  %-21s %10.1f %7s %5s%s%s\n", name, br->ns_s.median, ci,
			br->ticks_s.median, ratio, sys, br->detail[0] ? "  " : "", br->detail);
	}
	fprintf(f, "ns from TSC ticks at %.4f GHz; ticks are TSC reference ticks, not core cycles.\n",
		r->ticks_per_ns);
	if (sc >= 0)
		fprintf(f, "sys: syscalls entered per call (raw_syscalls:sys_enter).\n");
}
