/* SPDX-License-Identifier: MIT */
/* csv.c: see csv.h. */
#include "csv.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void csv_field(struct csv_out *o, const char *s)
{
	if (!s)
		s = "";
	if (o->col++)
		fputc(',', o->f);
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, o->f);
		return;
	}
	fputc('"', o->f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', o->f);
		fputc(*s, o->f);
	}
	fputc('"', o->f);
}

void csv_fieldf(struct csv_out *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	csv_field(o, buf);
}

void csv_end_row(struct csv_out *o)
{
	fputc('\n', o->f);
	o->col = 0;
}

void csv_in_init(struct csv_in *in, FILE *f)
{
	memset(in, 0, sizeof(*in));
	in->f = f;
	in->line = 1;
}

void csv_in_free(struct csv_in *in)
{
	free(in->buf);
	free(in->starts);
	in->buf = NULL;
	in->starts = NULL;
}

static void put(struct csv_in *in, char c)
{
	if (in->len + 1 >= in->cap) {
		in->cap = in->cap ? in->cap * 2 : 256;
		in->buf = util_realloc(in->buf, in->cap);
	}
	in->buf[in->len++] = c;
}

static void start_field(struct csv_in *in)
{
	if (in->nfields == in->fcap) {
		in->fcap = in->fcap ? in->fcap * 2 : 16;
		in->starts = util_realloc(in->starts, in->fcap * sizeof(*in->starts));
	}
	in->starts[in->nfields++] = in->len;
}

int csv_read_row(struct csv_in *in)
{
	int c, quoted = 0, after_quote = 0;

	in->len = 0;
	in->nfields = 0;
	in->err = NULL;
	in->row_line = in->line;
	c = getc(in->f);
	if (c == EOF)
		return 0;
	start_field(in);
	for (;; c = getc(in->f)) {
		if (quoted) {
			if (c == EOF) {
				in->err = "unterminated quoted field";
				return -1;
			}
			if (c == '"') {
				int d = getc(in->f);
				if (d == '"') {
					put(in, '"');
					continue;
				}
				ungetc(d, in->f);
				quoted = 0;
				after_quote = 1;
				continue;
			}
			if (c == '\n')
				in->line++;
			put(in, (char)c);
			continue;
		}
		if (c == ',') {
			put(in, '\0');
			start_field(in);
			after_quote = 0;
			continue;
		}
		if (c == '\r') {
			int d = getc(in->f);
			if (d != '\n')
				ungetc(d, in->f);
			c = '\n';
		}
		if (c == '\n' || c == EOF) {
			if (c == '\n')
				in->line++;
			put(in, '\0');
			return 1;
		}
		if (after_quote) {
			in->err = "text after a closing quote";
			return -1;
		}
		if (c == '"') {
			if (in->len != in->starts[in->nfields - 1]) {
				in->err = "quote inside an unquoted field";
				return -1;
			}
			quoted = 1;
			continue;
		}
		if (c == '\0') {
			in->err = "NUL byte in field";
			return -1;
		}
		put(in, (char)c);
	}
}

const char *csv_get(const struct csv_in *in, size_t i)
{
	return i < in->nfields ? in->buf + in->starts[i] : NULL;
}

/* ---- scbench's tables ---------------------------------------------------- */

/* Column positions of a header, by name. */
struct columns {
	const char *const *names;
	size_t n, nrequired;	/* names past nrequired may be absent: at = -1 */
	int at[CSV_TABLE_MAX_COLUMNS];
};

static int find_columns(struct csv_in *in, struct columns *c, const char *file, char *why, size_t len)
{
	for (size_t k = 0; k < c->n; k++) {
		c->at[k] = -1;
		for (size_t i = 0; i < in->nfields; i++) {
			if (strcmp(csv_get(in, i), c->names[k]))
				continue;
			/* named twice: either copy could win silently */
			if (c->at[k] >= 0) {
				snprintf(why, len, "%s: the header names column '%s' twice", file, c->names[k]);
				return -1;
			}
			c->at[k] = (int)i;
		}
		if (c->at[k] < 0 && k < c->nrequired) {
			snprintf(why, len, "%s: no column '%s' (not a scbench file, or from another version?)",
				 file, c->names[k]);
			return -1;
		}
	}
	return 0;
}

/* Open file and read its header; NULL with why on any problem. */
static FILE *open_csv(const char *file, struct csv_in *in, size_t *nfields, char *why, size_t len)
{
	FILE *f = fopen(file, "re");
	int rc;

	if (!f) {
		snprintf(why, len, "%s: %s", file, strerror(errno));
		return NULL;
	}
	csv_in_init(in, f);
	rc = csv_read_row(in);
	if (rc == 0) {
		snprintf(why, len, "%s: empty file", file);
	} else if (rc < 0) {
		snprintf(why, len, "%s:%lu: %s", file, in->row_line, in->err);
	} else {
		*nfields = in->nfields;
		return f;
	}
	csv_in_free(in);
	fclose(f);
	return NULL;
}

/* A data row as wide as the header. */
static int check_width(struct csv_in *in, size_t nfields, const char *file, char *why, size_t len)
{
	if (in->nfields != nfields) {
		snprintf(why, len, "%s:%lu: %zu fields, the header has %zu", file, in->row_line,
			 in->nfields, nfields);
		return -1;
	}
	return 0;
}

/* The common checks of a data row: shape and schema. */
static int check_row(struct csv_in *in, size_t nfields, int schema_col, const char *file,
		     char *why, size_t len)
{
	if (in->nfields != nfields) {
		snprintf(why, len, "%s:%lu: %zu fields, the header has %zu", file, in->row_line,
			 in->nfields, nfields);
		return -1;
	}
	if (strcmp(csv_get(in, (size_t)schema_col), "1")) {
		snprintf(why, len, "%s:%lu: schema '%s', this scbench reads schema 1", file, in->row_line,
			 csv_get(in, (size_t)schema_col));
		return -1;
	}
	return 0;
}

int csv_number(const char *s, double *v)
{
	char *end;

	if (!*s)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	return (*end || errno || !isfinite(*v)) ? -1 : 0;
}

int csv_table_load(const char *file, const char *const *names, size_t n, size_t nrequired, csv_row_fn fn,
		   void *ctx, size_t *rows, char *why, size_t len)
{
	return csv_table_scan(file, names, n, nrequired, NULL, fn, ctx, rows, why, len);
}

int csv_table_scan(const char *file, const char *const *names, size_t n, size_t nrequired, csv_head_fn head,
		   csv_row_fn fn, void *ctx, size_t *rows, char *why, size_t len)
{
	struct columns c = { names, n, nrequired, { 0 } };
	struct csv_in in;
	size_t nfields;
	int rc, ret = -1;
	FILE *f = open_csv(file, &in, &nfields, why, len);

	if (!f)
		return -1;
	if (n > CSV_TABLE_MAX_COLUMNS) {
		snprintf(why, len, "%s: asked for %zu columns, at most %d", file, n, CSV_TABLE_MAX_COLUMNS);
		goto out;
	}
	if (find_columns(&in, &c, file, why, len) || (head && head(ctx, &in, c.at, file, why, len)))
		goto out;
	/* the schema column: the first name asked for, or with none asked
	 * (every column: a table read whole) wherever the header has it */
	int schema = n && !strcmp(names[0], "schema") ? c.at[0] : -1;
	for (size_t i = 0; !n && i < nfields; i++)
		if (!strcmp(csv_get(&in, i), "schema"))
			schema = (int)i;
	while ((rc = csv_read_row(&in)) == 1) {
		if ((schema >= 0 ? check_row(&in, nfields, schema, file, why, len) : check_width(&in, nfields, file, why, len)) ||
		    fn(ctx, &in, c.at, file, why, len))
			goto out;
		(*rows)++;
	}
	if (rc < 0) {
		snprintf(why, len, "%s:%lu: %s", file, in.row_line, in.err);
		goto out;
	}
	ret = 0;
out:
	csv_in_free(&in);
	fclose(f);
	return ret;
}
