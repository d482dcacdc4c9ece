/* builtin-export.c: `scbench export RESULTS` and the writer behind
 * `scbench run --json` (export.h has the formats). */
#define _GNU_SOURCE
#include "builtin.h"
#include "export.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Write dir in fmt to path ("-": stdout); 0, or 1 with a message. */
int builtin_write_export(const char *dir, int fmt, const char *path)
{
	char why[4400], tmp[PATH_MAX];
	FILE *f = stdout;

	if (strcmp(path, "-")) {
		snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
		f = fopen(tmp, "we");
		if (!f) {
			fprintf(stderr, "scbench: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	int bad = export_write(dir, fmt, f, why, sizeof(why));
	if (f != stdout) {
		bad |= fclose(f) != 0;
		if (!bad && rename(tmp, path)) {
			snprintf(why, sizeof(why), "%s: %s", path, strerror(errno));
			bad = 1;
		}
		if (bad)
			unlink(tmp);
	} else {
		bad |= fflush(stdout) != 0;
	}
	if (bad) {
		fprintf(stderr, "scbench: %s\n", why);
		return 1;
	}
	return 0;
}

int cmd_export(struct cli *c)
{
	struct stat st;

	if (stat(c->positional[0], &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "scbench: export: %s is not a results folder\n", c->positional[0]);
		return 2;
	}
	return builtin_write_export(c->positional[0], c->export_format ? c->export_format : EXPORT_GOOGLE_BENCHMARK, "-") ? 2 : 0;
}

