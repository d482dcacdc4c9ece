/* SPDX-License-Identifier: MIT */
/* builtin-list.c: `scbench list` (the registry, with what each row needs)
 * and `scbench list-events` (what --events accepts here). */
#define _GNU_SOURCE
#include "builtin.h"
#include "util.h"
#include "counters.h"
#include "registry.h"

#include <stdio.h>
#include <unistd.h>

int cmd_list(struct cli *c)
{
	char name[128];
	int shown = 0;

	/* the columns named for a person; a pipe gets the rows alone */
	if (isatty(STDOUT_FILENO))
		printf("%-36s %-33s %s\n", "benchmark", "needs", "what it measures");
	for (size_t i = 0; i < registry_count; i++) {
		const struct bench *b = &registry[i];
		if (!row_selected(b, c->opt.filter))
			continue;
		printf("%-36s %-33s %s\n", registry_name(b, name, sizeof(name)),
		       registry_needs_text(b), b->description);
		shown++;
	}
	if (!shown) {
		util_error("--filter '%s' selects no benchmark", c->filter_src);
		return 2;
	}
	return 0;
}

int cmd_list_events(struct cli *c)
{
	(void)c;
	char name[256], desc[512];
	int cursor = 0;

	while (counters_next_event(&cursor, name, sizeof(name), desc, sizeof(desc)))
		printf("%-48s %s\n", name, desc);
	return 0;
}

