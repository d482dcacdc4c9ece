/* SPDX-License-Identifier: MIT */
/* report.c: see report.h. */
#include "report.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A counter's column holds numbers only if it was open and counting. */
static int counter_usable(const struct counter *c)
{
	return c->why[0] == '\0' && c->scheduled;
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
