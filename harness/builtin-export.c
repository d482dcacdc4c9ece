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

enum { O_FORMAT };

static const struct opt export_opts[] = {
	{ "format", 0, "F", "google-benchmark (default: google/benchmark's JSON, which\n"
	  "github-action-benchmark's googlecpp reader takes) or bencher\n"
	  "(Bencher Metric Format: latency in ns, instructions)", O_FORMAT },
};

const struct command export_command = {
	"export", "[--format F] RESULTS",
	"write a results folder as google-benchmark JSON or Bencher Metric Format",
	NULL, export_opts, sizeof(export_opts) / sizeof(export_opts[0]), 1, 1,
};

static void export_option(void *ctx, int id, const char *v)
{
	int *fmt = ctx;

	(void)id;
	if (!(*fmt = export_format_of(v)))
		options_error("export", "export --format takes google-benchmark or bencher, not '%s'", v);
}

int cmd_export(int argc, char **argv)
{
	const char *dir[1];
	int n, fmt = EXPORT_GOOGLE_BENCHMARK;
	struct stat st;

	options_parse(&export_command, argc, argv, export_option, &fmt, dir, &n);
	if (n != 1)
		options_error("export", "export needs a results folder");
	if (stat(dir[0], &st) || !S_ISDIR(st.st_mode)) {
		util_error("export: %s is not a results folder", dir[0]);
		return 2;
	}
	return export_to_path(dir[0], fmt, "-") ? 2 : 0;
}

