/* SPDX-License-Identifier: MIT */
/* row.c: see row.h. */
#include "row.h"
#include "guard.h"

#include <stdio.h>
#include <string.h>

struct bench_result *row_find(struct bench_result *res, size_t n, const char *name)
{
	char buf[128];

	for (size_t i = 0; i < n; i++)
		if (!strcmp(registry_name(res[i].b, buf, sizeof(buf)), name))
			return &res[i];
	return NULL;
}

int row_selected(const struct bench *b, const regex_t *filter)
{
	char name[128];

	return !filter || regexec(filter, registry_name(b, name, sizeof(name)), 0, NULL, 0) == 0;
}

void row_prepare(struct bench_result *br, const struct bench *b, const struct machine *m,
		 uint64_t target_ticks)
{
	br->b = b;
	br->status = probe_bench(b, m, &br->args, br->reason, sizeof(br->reason));
	registry_detail(b, &br->args, br->detail, sizeof(br->detail));
	if (br->status != STATUS_OK)
		return;
	br->item.kernel = b->kernel;
	br->item.args = &br->args;
	int sig;
	br->item.calls = measure_choose_calls(b->kernel, &br->args, target_ticks, ROW_MAX_CALLS, &sig);
	if (sig)
		row_fault(br, sig, "sizing N", -1);
}

void row_fault(struct bench_result *br, int sig, const char *phase, int round)
{
	char where[32] = "";

	if (round >= 0)
		snprintf(where, sizeof(where), " in round %d", round + 1);
	br->status = STATUS_ERROR;
	snprintf(br->reason, sizeof(br->reason), "%s while %s%s: this row stopped, the run went on without it",
		 guard_signal_name(sig), phase, where);
}

void row_count_rounds(struct measure_item *items, double **out, size_t n, struct counter_set *cs,
		      unsigned runs, measure_round_fn hook, void *ctx)
{
	for (unsigned r = 0; r < runs; r++) {
		for (size_t i = 0; i < n; i++) {
			if (items[i].fault)
				continue;
			items[i].fault = measure_count_sample_guarded(&items[i], cs, out[i] + (size_t)r * cs->n);
			items[i].fault_round = (int)r;
		}
		if (hook)
			hook(ctx, (int)r, runs);
	}
}
