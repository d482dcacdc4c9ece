/* SPDX-License-Identifier: MIT */
/* builtin-list.c: `scbench list` (the registry, with what each row needs)
 * and `scbench list-events` (what --events accepts here). */
#define _GNU_SOURCE
#include "builtin.h"
#include "util.h"
#include "counters.h"
#include "registry.h"
#include "row.h"

#include <stdio.h>
#include <unistd.h>

enum { O_FILTER };

static const struct opt list_opts[] = {
	{ "filter", 0, "RE", "only the benchmarks whose abi/mechanism/syscall matches RE", O_FILTER },
};

const struct command list_command = {
	"list", "[--filter RE]", "list the benchmarks (with --filter: the ones it selects)",
	NULL, list_opts, 1, 0, 0,
};

const struct command list_events_command = {
	"list-events", "", "list the events --events accepts on this machine", NULL, NULL, 0, 0, 0,
};

static void list_option(void *ctx, int id, const char *v)
{
	(void)id;
	*(const char **)ctx = v;
}

int cmd_list(int argc, char **argv)
{
	char name[128];
	int shown = 0, n;
	const char *filter_src = NULL, *ops[1];
	regex_t re;

	options_parse(&list_command, argc, argv, list_option, &filter_src, ops, &n);
	if (filter_src)
		options_regex("list", "--filter", filter_src, &re);

	/* the columns named for a person; a pipe gets the rows alone */
	if (isatty(STDOUT_FILENO))
		printf("%-36s %-33s %s\n", "benchmark", "needs", "what it measures");
	for (size_t i = 0; i < registry_count; i++) {
		const struct bench *b = &registry[i];
		if (!row_selected(b, filter_src ? &re : NULL))
			continue;
		printf("%-36s %-33s %s\n", registry_name(b, name, sizeof(name)),
		       registry_needs_text(b), b->description);
		shown++;
	}
	if (filter_src)
		regfree(&re);
	if (!shown) {
		util_error("--filter '%s' selects no benchmark", filter_src);
		return 2;
	}
	return 0;
}

int cmd_list_events(int argc, char **argv)
{
	char name[256], desc[512];
	const char *ops[1];
	int cursor = 0, n;

	options_parse(&list_events_command, argc, argv, list_option, NULL, ops, &n);

	while (counters_next_event(&cursor, name, sizeof(name), desc, sizeof(desc)))
		printf("%-48s %s\n", name, desc);
	return 0;
}

