/* SPDX-License-Identifier: MIT */
/* builtin-export.c: `scbench export RESULTS` and the writer behind
 * `scbench run --json` (export.h has the formats). */
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

/* A new temporary file beside path, made by mkostemp (O_EXCL in the
 * target's folder: a planted PATH.tmp-* link is never written through),
 * given the mode a plain create would have (mkostemp makes it 0600). */
static FILE *create_beside(const char *path, char *tmp, size_t tlen)
{
	mode_t mask = umask(0);
	int fd;
	FILE *f;

	umask(mask);
	if ((size_t)snprintf(tmp, tlen, "%s.tmp-XXXXXX", path) >= tlen) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return NULL;
	if (fchmod(fd, 0666 & ~mask) || !(f = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return NULL;
	}
	return f;
}

int builtin_check_export_path(const char *path, char *why, size_t len)
{
	char tmp[PATH_MAX];
	struct stat st;

	if (!strcmp(path, "-"))
		return 0;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(why, len, "--json %s: a folder, not a file", path);
		return -1;
	}
	FILE *f = create_beside(path, tmp, sizeof(tmp));
	if (!f) {
		snprintf(why, len, "--json %s: cannot write there: %s", path, strerror(errno));
		return -1;
	}
	fclose(f);
	unlink(tmp);
	return 0;
}

/* Write dir in fmt to path ("-": stdout); 0, or 1 with a message. */
int builtin_write_export(const char *dir, int fmt, const char *path)
{
	char why[4400], tmp[PATH_MAX];
	FILE *f = stdout;

	if (strcmp(path, "-")) {
		f = create_beside(path, tmp, sizeof(tmp));
		if (!f) {
			util_error("%s: %s", path, strerror(errno));
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
		util_error("%s", why);
		return 1;
	}
	return 0;
}

int cmd_export(struct cli *c)
{
	struct stat st;

	if (stat(c->positional[0], &st) || !S_ISDIR(st.st_mode)) {
		util_error("export: %s is not a results folder", c->positional[0]);
		return 2;
	}
	return builtin_write_export(c->positional[0], c->export_format ? c->export_format : EXPORT_GOOGLE_BENCHMARK, "-") ? 2 : 0;
}

