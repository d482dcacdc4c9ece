/* SPDX-License-Identifier: MIT */
/* html.c: see html.h. The rules are applied a line at a time, in the
 * order below, over the Markdown with &, < and > escaped first: what the
 * reports write reads back exactly, and anything else still comes out as
 * escaped text, never as markup of its own. */
#define _GNU_SOURCE
#include "html.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The page's head: the desktop layout, then (under 640 px) each row of a
 * benchmark table a card. */
static const char page_head[] =
	"<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>scbench report</title>\n"
	"<style>body{font-family:sans-serif;max-width:1250px;margin:2em auto;padding:0 1em;color:#222;line-height:1.35}\n"
	"h3{font-size:105%;margin:1.4em 0 .2em}code{font-size:92%;overflow-wrap:anywhere}li{margin:.25em 0}\n"
	".scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:.5em 0 1em;font-size:90%}\n"
	"td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}\n"
	"td{overflow-wrap:anywhere}th{background:#f0f0f0}summary h2{display:inline}img{max-width:100%;border:1px solid #eee;margin:1em 0}\n"
	/* benchmark tables: one width for every family, so their columns
	 * line up; a name breaks only at the <wbr> after a "/" */
	"table.rows{width:100%;table-layout:fixed}table.rows td.name{overflow-wrap:normal;word-break:normal}\n"
	"th.name{width:23%}th.val,th.ref,th.sys{width:8%}th.ci{width:13%}th.txt{width:9%}th.det{width:auto}\n"
	/* narrow screens: a plot at three quarters of its size in a box that
	 * scrolls sideways (shrunk to the screen its text can't be read), and
	 * each row a card: the name alone on the first line, its ratio and
	 * figures on the second, the syscall count and the detail (or the
	 * status and the reason) under them; the header row hidden */
	"@media (max-width:640px){body{margin:1em auto;padding:0 .6em}ul{padding-left:1.2em}.plot{overflow-x:auto}.plot img{width:880px;max-width:none}table.rows{font-size:86%}table.rows,table.rows tbody{display:block}\n"
	"table.rows tr:first-child{display:none}table.rows tr{display:flex;flex-wrap:wrap;align-items:baseline;column-gap:.7em;border:1px solid #ccc;border-radius:4px;margin:0 0 .4em;padding:3px 8px}\n"
	"table.rows td{display:block;border:0;padding:0;text-align:left}table.rows td:empty{display:none}\n"
	"table.rows td.name{order:0;flex:1 1 100%;font-weight:bold}table.rows td.ref{order:1}table.rows td.val,table.rows td.ci{order:2}\n"
	"table.rows tr::before{content:\"\";order:3;flex-basis:100%;height:0}table.rows td.sys,table.rows td.txt{order:4}\n"
	"table.rows td.det{order:5;flex:1 1 0;min-width:50%;font-size:90%;color:#444}\n"
	/* the rows that did not run: the status beside the name, the reason under */
	"table.unsup td.name{flex:0 1 auto}table.unsup td.txt{order:1}table.unsup td.txt::before{content:none}table.unsup td.det{flex-basis:100%}\n"
	"table.rows td[data-label]::before{content:attr(data-label) \" \";color:#777;font-weight:normal}table.rows td.ref::before{content:\"× \";color:#777}}</style></head><body>\n";

static int starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* strdup with util_calloc's policy (one line and exit when memory runs out) */
static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(util_calloc(1, n), s, n);
}

/* ---- inline: **bold**, then `code` -------------------------------------- */

/* The leftmost span of t opened and closed by w bytes c (** or `) with at
 * least one byte inside and no c among them: its start and length; -1
 * when there is none. */
static int span(const char *t, char c, size_t w, size_t *at, size_t *len)
{
	for (size_t i = 0; t[i]; i++) {
		if (t[i] != c || (w == 2 && t[i + 1] != c))
			continue;
		size_t k = i + w;
		while (t[k] && t[k] != c)
			k++;
		if (k > i + w && t[k] == c && (w == 1 || t[k + 1] == c)) {
			*at = i;
			*len = k + w - i;
			return 0;
		}
	}
	return -1;
}

/* The span [at, at+len) of s (w delimiter bytes each side) as open..close;
 * s is freed. */
static char *wrap(char *s, size_t at, size_t len, size_t w, const char *open, const char *close)
{
	size_t n = strlen(s), lo = strlen(open), lc = strlen(close);
	char *r = util_calloc(1, n + lo + lc + 1), *p = r;

	memcpy(p, s, at), p += at;
	memcpy(p, open, lo), p += lo;
	memcpy(p, s + at + w, len - 2 * w), p += len - 2 * w;
	memcpy(p, close, lc), p += lc;
	memcpy(p, s + at + len, n - at - len + 1);
	free(s);
	return r;
}

/* Each leftmost span again after the last one was replaced (so markup can
 * nest as the spans overlap): all bold first, then all code. */
static char *inline_md(const char *t)
{
	char *s = dup(t);
	size_t at, len;

	while (!span(s, '*', 2, &at, &len))
		s = wrap(s, at, len, 2, "<b>", "</b>");
	while (!span(s, '`', 1, &at, &len))
		s = wrap(s, at, len, 1, "<code>", "</code>");
	return s;
}

static void put_inline(FILE *out, const char *t)
{
	char *s = inline_md(t);

	fputs(s, out);
	free(s);
}

/* ---- tables ------------------------------------------------------------- */

#define HTML_MAX_COLS 64

struct table {
	int on;				/* inside a table's rows */
	char *head;			/* a header line waiting for its separator */
	int rows, unsup;		/* a benchmark table; the rows that did not run */
	size_t nalign, ncols;
	int align[HTML_MAX_COLS];	/* right-aligned (the separator's ":") */
	const char *cls[HTML_MAX_COLS], *lab[HTML_MAX_COLS];
	char *hc[HTML_MAX_COLS];	/* the header's cells */
};

/* The class of a column of a benchmark table, by its header. */
static const char *kind(const char *h)
{
	if (!strcmp(h, "benchmark"))
		return "name";
	if (!strcmp(h, "× reference"))
		return "ref";
	if (!strcmp(h, "detail") || !strcmp(h, "reason"))
		return "det";
	if (strstr(h, "interval"))
		return "ci";
	if (!strcmp(h, "syscalls per call"))
		return "sys";
	if (!strcmp(h, "status") || starts(h, "levels"))
		return "txt";
	return "val";
}

/* The short label a card shows before a value. */
static const char *label(const char *h)
{
	if (!strcmp(h, "benchmark") || !strcmp(h, "× reference"))
		return "";
	if (!strcmp(h, "ns per call"))
		return "ns";
	if (strstr(h, "instructions per call"))
		return "instructions";
	if (strstr(h, "interval"))
		return "95%";
	if (!strcmp(h, "syscalls per call"))
		return "sys";
	if (starts(h, "levels"))
		return "levels";
	if (!strcmp(h, "detail") || !strcmp(h, "reason"))
		return "";
	return h;
}

/* A table line's cells: "| a | b |" less its outer "| " and " |", cut at
 * each " | " (an escaped "\|" is none: a backslash stands before its
 * '|'). The cells point into line, which is cut up; their count, 0 for an
 * empty line. */
static size_t split_cells(char *line, char **cell, size_t max)
{
	size_t n = 0, len;
	char *p = line, *q;

	if (starts(p, "| "))
		p += 2;
	len = strlen(p);
	if (len >= 2 && !strcmp(p + len - 2, " |"))
		p[len - 2] = '\0';
	if (!*p)
		return 0;
	while (n < max) {
		cell[n++] = p;
		if (!(q = strstr(p, " | ")))
			break;
		*q = '\0';
		p = q + 3;
	}
	return n;
}

static void cells(FILE *out, const struct table *t, const char *line, const char *tag)
{
	char *copy = dup(line), *cell[HTML_MAX_COLS];
	size_t n;

	n = split_cells(copy, cell, HTML_MAX_COLS);
	fputs("<tr>", out);
	for (size_t i = 0; i < n; i++) {
		char cls[32] = "", *v = cell[i], *w = v;
		const char *c = t->rows && i < t->ncols ? t->cls[i] : "";

		/* "\|" is a '|' of the cell's own */
		for (const char *r = v; *r; r++)
			if (!(r[0] == '\\' && r[1] == '|'))
				*w++ = *r;
		*w = '\0';
		snprintf(cls, sizeof(cls), "%s%s%s", c, i < t->nalign && t->align[i] && *c ? " " : "",
			 i < t->nalign && t->align[i] ? "num" : "");
		fprintf(out, "<%s", tag);
		if (*cls)
			fprintf(out, " class=\"%s\"", cls);
		if (t->rows && !strcmp(tag, "td")) {
			if (i < t->ncols && *t->lab[i])
				fprintf(out, " data-label=\"%s\"", t->lab[i]);
			if (i < t->ncols && !strcmp(t->cls[i], "name")) {
				/* a name breaks only after a '/' */
				size_t k = 0;
				for (const char *r = v; *r; r++)
					k += *r == '/';
				char *b = util_calloc(1, strlen(v) + 5 * k + 1), *o = b;
				for (const char *r = v; *r; r++) {
					*o++ = *r;
					if (*r == '/')
						memcpy(o, "<wbr>", 5), o += 5;
				}
				fprintf(out, ">");
				put_inline(out, b);
				fprintf(out, "</%s>", tag);
				free(b);
				continue;
			}
		}
		fprintf(out, ">");
		put_inline(out, v);
		fprintf(out, "</%s>", tag);
	}
	fputs("</tr>\n", out);
	free(copy);
}

/* "|---|---:|": only '|', '-' and ':', a '|' at each end */
static int separator(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && s[0] == '|' && s[n - 1] == '|' && strspn(s, "|-:") == n;
}

static void table_clear(struct table *t)
{
	for (size_t i = 0; i < t->ncols; i++)
		free(t->hc[i]);
	t->ncols = t->nalign = 0;
}

/* The separator under t->head: the columns' alignment and, for a table of
 * benchmarks, their classes and labels; the table opens with the header. */
static void table_open(FILE *out, struct table *t, const char *sep)
{
	char *copy = dup(t->head), *hc[HTML_MAX_COLS];
	size_t n = 0;

	table_clear(t);
	/* the fields between the '|'s: right-aligned where they end in ':' */
	for (const char *p = sep + 1; *p && n < HTML_MAX_COLS; n++) {
		const char *q = strchr(p, '|');
		if (!q)
			break;
		t->align[n] = q > p && q[-1] == ':';
		p = q + 1;
	}
	t->nalign = n;
	n = split_cells(copy, hc, HTML_MAX_COLS);
	t->rows = n > 0 && !strcmp(hc[0], "benchmark");
	t->unsup = t->rows && n > 1 && !strcmp(hc[1], "status");
	for (size_t i = 0; i < n; i++) {
		t->hc[i] = dup(hc[i]);
		t->cls[i] = kind(t->hc[i]);
		t->lab[i] = label(t->hc[i]);
	}
	t->ncols = n;
	free(copy);
	fprintf(out, "<div class=\"scroll\"><table%s>\n",
		t->unsup ? " class=\"rows unsup\"" : t->rows ? " class=\"rows\"" : "");
	cells(out, t, t->head, "th");
	free(t->head);
	t->head = NULL;
	t->on = 1;
}

/* ---- pictures ----------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* path's bytes as base64 on out, on one line. */
static int put_base64(FILE *out, const char *path, char *why, size_t wlen)
{
	FILE *f = fopen(path, "rb");
	unsigned char in[3 * 1024];
	size_t n;

	if (!f) {
		snprintf(why, wlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* whole groups of three until the last read */
	while ((n = fread(in, 1, sizeof(in), f)) > 0) {
		for (size_t i = 0; i < n; i += 3) {
			unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
				     (i + 2 < n ? in[i + 2] : 0);
			fputc(b64[v >> 18 & 63], out);
			fputc(b64[v >> 12 & 63], out);
			fputc(i + 1 < n ? b64[v >> 6 & 63] : '=', out);
			fputc(i + 2 < n ? b64[v & 63] : '=', out);
		}
		if (n < sizeof(in))
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(why, wlen, "%s: read error", path);
		return -1;
	}
	return 0;
}

/* A picture line, ![alt](<.../NAME.png>) (escaped: the '>' is "&gt;"):
 * NAME is what follows its last '/' less ".png&gt;)", the alt what stands
 * between "![" and the first "](" (a '"' in it as &quot;, so it can't end
 * the attribute). Embedded from images/NAME.png where that is a regular
 * file, else left out. */
static int picture(FILE *out, const char *line, const char *images, char *why, size_t wlen)
{
	const char *slash = strrchr(line, '/'), *name = slash ? slash + 1 : line;
	size_t nlen = strlen(name), tail = strlen(".png&gt;)");
	char *alt = dup(line + 2), *end, *path;
	struct stat st;
	int rc = 0;

	if (nlen >= tail && !strcmp(name + nlen - tail, ".png&gt;)"))
		nlen -= tail;
	if ((end = strstr(alt, "](")))
		*end = '\0';
	size_t plen = strlen(images) + nlen + 8;
	path = util_calloc(1, plen);
	snprintf(path, plen, "%s/%.*s.png", images, (int)nlen, name);
	if (nlen && !stat(path, &st) && S_ISREG(st.st_mode)) {
		fputs("<div class=\"plot\"><img alt=\"", out);
		for (const char *p = alt; *p; p++)
			if (*p == '"')
				fputs("&quot;", out);
			else
				fputc(*p, out);
		fputs("\" src=\"data:image/png;base64,", out);
		rc = put_base64(out, path, why, wlen);
		fputs("\"></div>\n", out);
	}
	free(path);
	free(alt);
	return rc;
}

/* ---- the page ----------------------------------------------------------- */

/* One line, &, < and > escaped: the text can carry no markup of its own. */
static char *escaped(const char *s, size_t n)
{
	char *r = util_calloc(1, 5 * n + 1), *o = r;

	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : NULL;
		if (e) {
			memcpy(o, e, strlen(e));
			o += strlen(e);
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return r;
}

int html_page(FILE *out, const char *md, size_t len, const char *images, char *why, size_t wlen)
{
	struct table t = { 0 };
	int inlist = 0, folded = 0, rc = 0;
	size_t at = 0;

	fputs(page_head, out);
	while (at < len && !rc) {
		const char *nl = memchr(md + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (md + at)) : len - at;
		char *l = escaped(md + at, n);

		at += n + 1;
		if (starts(l, "| ") && !t.on && !t.head) {
			t.head = l;
			continue;
		}
		if (separator(l) && t.head) {
			table_open(out, &t, l);
		} else if (starts(l, "| ") && t.on) {
			cells(out, &t, l, "td");
		} else {
			if (t.on) {
				fputs("</table></div>\n", out);
				t.on = 0;
			}
			int item = starts(l, "- ");
			if (item && !inlist)
				fputs("<ul>\n", out);
			else if (!item && inlist)
				fputs("</ul>\n", out);
			inlist = item;
			if (item) {
				fputs("<li>", out);
				put_inline(out, l + 2);
				fputs("</li>\n", out);
			} else if (starts(l, "# ")) {
				fprintf(out, "<h1>%s</h1>\n", l + 2);
			} else if (!strcmp(l, "## Machine")) {
				fputs("<details><summary><h2>Machine</h2></summary>\n", out);
				folded = 1;
			} else if (starts(l, "## ")) {
				fprintf(out, "<h2>%s</h2>\n", l + 3);
			} else if (starts(l, "### ")) {
				fputs("<h3>", out);
				put_inline(out, l + 4);
				fputs("</h3>\n", out);
			} else if (starts(l, "![")) {
				rc = picture(out, l, images, why, wlen);
			} else if (*l) {
				fputs("<p>", out);
				put_inline(out, l);
				fputs("</p>\n", out);
			}
		}
		free(l);
	}
	if (t.on)
		fputs("</table></div>\n", out);
	if (inlist)
		fputs("</ul>\n", out);
	if (folded)
		fputs("</details>\n", out);
	fputs("</body></html>\n", out);
	free(t.head);
	table_clear(&t);
	return rc;
}
