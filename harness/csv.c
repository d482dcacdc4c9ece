/* SPDX-License-Identifier: MIT */
/* csv.c: see csv.h. */
#include "csv.h"
#include "util.h"

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
