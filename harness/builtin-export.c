/* SPDX-License-Identifier: MIT */
/* builtin-export.c: `scbench export RESULTS` (export.h has the formats
 * and the writer, which `scbench run --json` shares). */
#define _GNU_SOURCE
#include "builtin.h"
#include "export.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { O_FORMAT, O_COLUMNS, O_WHERE, O_EMPTY };

static const struct opt export_opts[] = {
	{ "format", 0, "F", "google-benchmark (default: google/benchmark's JSON, which\n"
	  "github-action-benchmark's googlecpp reader takes), bencher\n"
	  "(Bencher Metric Format: latency in ns, instructions) or tsv\n"
	  "(tab-separated, for scripts and gnuplot)", O_FORMAT },
	{ "columns", 0, "LIST", "tsv: these fields, comma-separated (default: all)", O_COLUMNS },
	{ "where", 0, "COL=V", "tsv: only the rows whose COL is V (COL!=V: is not)", O_WHERE },
	{ "empty", 0, "S", "tsv: print an empty field as S (e.g. NaN)", O_EMPTY },
};

const struct command export_command = {
	"export", "[OPTIONS] RESULTS|FILE.csv",
	"write a results folder as google-benchmark JSON, Bencher Metric Format or TSV",
	"--format tsv prints a results folder's rows with a header line, the fields\n"
	"by the results model's names (name, status, median, lo, hi, ratio, unit,\n"
	"levels, icount, loop (summary.csv's kernel column), the counters, ...; all\n"
	"of them without --columns), or any CSV file scbench writes, by its\n"
	"header's names. The JSON formats take a results folder only.\n",
	export_opts, sizeof(export_opts) / sizeof(export_opts[0]), 1, 1,
};

struct export_args {
	int fmt;
	const char *columns, *where, *empty;
};

static void export_option(void *ctx, int id, const char *v)
{
	struct export_args *a = ctx;

	switch (id) {
	case O_FORMAT:
		if (!strcmp(v, "tsv"))
			a->fmt = 0;
		else if (!(a->fmt = export_format_of(v)))
			options_error("export", "export --format takes google-benchmark, bencher or tsv, not '%s'", v);
		break;
	case O_COLUMNS:
		a->columns = v;
		break;
	case O_WHERE:
		a->where = v;
		break;
	default:
		a->empty = v;
	}
}

int cmd_export(int argc, char **argv)
{
	struct export_args a = { .fmt = EXPORT_GOOGLE_BENCHMARK };
	const char *dir[1];
	char why[4400];
	struct stat st;
	int n;

	options_parse(&export_command, argc, argv, export_option, &a, dir, &n);
	if (n != 1)
		options_error("export", "export needs a results folder (or, with --format tsv, a CSV file)");
	if (a.fmt && (a.columns || a.where || a.empty))
		options_error("export", "--columns, --where and --empty go with --format tsv");
	if (!a.fmt) {
		if (export_tsv(dir[0], a.columns, a.where, a.empty, stdout, why, sizeof(why))) {
			util_error("export: %s", why);
			return 2;
		}
		return fflush(stdout) ? 2 : 0;
	}
	if (stat(dir[0], &st) || !S_ISDIR(st.st_mode)) {
		util_error("export: %s is not a results folder", dir[0]);
		return 2;
	}
	return export_to_path(dir[0], a.fmt, "-") ? 2 : 0;
}

