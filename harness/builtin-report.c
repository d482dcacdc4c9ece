/* SPDX-License-Identifier: MIT */
/* builtin-report.c: `scbench report RESULTS`: RESULTS/report.md and
 * report.html from the results model (page.h); `scbench report --html-from
 * FILE.md`: any report's Markdown as the same self-contained page on
 * standard output (html.h), which the profile lane's report uses. */
#define _GNU_SOURCE
#include "builtin.h"
#include "html.h"
#include "page.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { O_PLOTS, O_PLOTS_LINK, O_HTML_FROM, O_IMAGES };

static const struct opt report_opts[] = {
	{ "plots", 0, "DIR", "where the plots' PNGs are now (default RESULTS/plots):\n"
	  "a picture is named and embedded only where its file is", O_PLOTS },
	{ "plots-link", 0, "REL", "where report.md points for them, relative to RESULTS\n"
	  "(default: DIR as seen from RESULTS)", O_PLOTS_LINK },
	{ "html-from", 0, "FILE", "instead: FILE (a report's Markdown) as one\n"
	  "self-contained HTML page on standard output", O_HTML_FROM },
	{ "images", 0, "DIR", "with --html-from: where its pictures' PNGs are\n"
	  "(default: FILE's folder)", O_IMAGES },
};

const struct command report_command = {
	"report", "[OPTIONS] RESULTS",
	"report.md and report.html of a results folder",
	"Writes RESULTS/report.md and the self-contained RESULTS/report.html (the plots\n"
	"embedded): the headline, the rows family by family, the rows that did not\n"
	"run, the plots and the machine. scbench plots calls it after drawing.\n"
	"scbench report --html-from FILE.md [--images DIR] renders other Markdown.\n",
	report_opts, sizeof(report_opts) / sizeof(report_opts[0]), 0, 1,
};

struct report_args {
	const char *plots, *link, *from, *images;
};

static void report_option(void *ctx, int id, const char *v)
{
	struct report_args *a = ctx;

	if (!*v)
		options_error("report", "report --%s needs a non-empty value", report_opts[id].name);
	switch (id) {
	case O_PLOTS: a->plots = v; break;
	case O_PLOTS_LINK: a->link = v; break;
	case O_HTML_FROM: a->from = v; break;
	case O_IMAGES: a->images = v; break;
	}
}

/* FILE.md into memory, as one HTML page on stdout. */
static int html_from(const char *file, const char *images)
{
	char why[1024], dir[4096];
	FILE *f = fopen(file, "r");
	char *md = NULL;
	size_t len = 0, cap = 0, got;
	struct stat st;

	if (!f || fstat(fileno(f), &st) || S_ISDIR(st.st_mode)) {
		util_error("report: %s: %s", file, f ? "a folder, not a Markdown file" : strerror(errno));
		if (f)
			fclose(f);
		return 2;
	}
	do {
		if (len + 4096 > cap)
			md = util_realloc(md, cap = 2 * cap + 4096);
		len += got = fread(md + len, 1, cap - len, f);
	} while (got > 0);
	if (ferror(f)) {
		util_error("report: %s: read error", file);
		fclose(f);
		free(md);
		return 2;
	}
	fclose(f);
	if (!images) {
		const char *slash = strrchr(file, '/');
		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - file) : 1, slash ? file : ".");
		images = dir;
	}
	int bad = html_page(stdout, md, len, images, why, sizeof(why));
	free(md);
	if (bad) {
		util_error("report: %s", why);
		return 2;
	}
	if (fflush(stdout) || ferror(stdout)) {
		util_error("report: writing the page: %s", strerror(errno));
		return 2;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = { 0 };
	const char *dir[1];
	char why[4096];
	struct stat st;
	int n;

	options_parse(&report_command, argc, argv, report_option, &a, dir, &n);
	if (a.from) {
		if (n || a.plots || a.link)
			options_error("report", "report --html-from takes no results folder, --plots or --plots-link");
		return html_from(a.from, a.images);
	}
	if (a.images)
		options_error("report", "report --images goes with --html-from");
	if (n != 1)
		options_error("report", "report needs a results folder");
	if (stat(dir[0], &st) || !S_ISDIR(st.st_mode)) {
		util_error("report: %s is not a results folder", dir[0]);
		return 2;
	}
	if (page_write(dir[0], a.plots, a.link, why, sizeof(why))) {
		util_error("report: %s", why);
		return 2;
	}
	return 0;
}
