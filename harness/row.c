/* row.c: see row.h. */
#include "row.h"

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
	br->item.calls = measure_choose_calls(b->kernel, &br->args, target_ticks, ROW_MAX_CALLS);
}

void row_count_rounds(struct measure_item *items, double **out, size_t n, struct counter_set *cs,
		      unsigned runs, measure_round_fn hook, void *ctx)
{
	for (unsigned r = 0; r < runs; r++) {
		for (size_t i = 0; i < n; i++)
			measure_count_sample(&items[i], cs, out[i] + (size_t)r * cs->n);
		if (hook)
			hook(ctx, (int)r, runs);
	}
}
