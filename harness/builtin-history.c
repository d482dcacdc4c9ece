/* SPDX-License-Identifier: MIT */
/* builtin-history.c: `scbench history RESULTS HISTORY`: append a run's
 * measured rows to a history.csv (make ci-bench keeps one per results
 * root), through the results model (results.h), which owns the file's
 * columns, its lock and its rename into place. */
#define _GNU_SOURCE
#include "builtin.h"
#include "results.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { O_NAME, O_MAX_RUNS };

static const struct opt history_opts[] = {
	{ "name", 0, "RUN", "the run's name in the history (default: the\nfolder's own name)", O_NAME },
	{ "max-runs", 0, "N", "keep only the newest N runs (1 to 9999999; default: all)", O_MAX_RUNS },
};

const struct command history_command = {
	"history", "RESULTS HISTORY",
	"append a results folder's measured rows to a history.csv",
	"Appends one line per row measured ok in RESULTS (its time, commit, machine\n"
	"fingerprint, median, interval and ratio) to the CSV file HISTORY, created\n"
	"when missing. The file is rewritten beside itself and renamed into place,\n"
	"under a lock on its folder: concurrent appends go one after the other.\n",
	history_opts, sizeof(history_opts) / sizeof(history_opts[0]), 2, 2,
};

struct history_args {
	const char *name;
	unsigned long max_runs;
};

static void history_option(void *ctx, int id, const char *v)
{
	struct history_args *a = ctx;
	char *end;

	if (id == O_NAME) {
		if (!*v || strchr(v, '\n'))
			options_error("history", "history --name takes a name on one line, not '%s'", v);
		a->name = v;
		return;
	}
	a->max_runs = strtoul(v, &end, 10);
	if (*v < '1' || *v > '9' || *end || a->max_runs > 9999999)
		options_error("history", "history --max-runs takes a whole number of runs, 1 to 9999999, not '%s'", v);
}

int cmd_history(int argc, char **argv)
{
	struct history_args a = { 0 };
	const char *op[2];
	char why[4400], real[PATH_MAX];
	struct stat st;
	int n;

	options_parse(&history_command, argc, argv, history_option, &a, op, &n);
	if (n != 2)
		options_error("history", "history needs a results folder and a history file");
	if (stat(op[0], &st) || !S_ISDIR(st.st_mode)) {
		util_error("history: %s is not a results folder", op[0]);
		return 2;
	}
	if (!a.name) {
		if (!realpath(op[0], real)) {
			util_error("history: %s: cannot resolve its name", op[0]);
			return 2;
		}
		a.name = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
	}
	if (results_history_append(op[1], op[0], a.name, a.max_runs, why, sizeof(why))) {
		util_error("history: %s", why);
		return 2;
	}
	return 0;
}
