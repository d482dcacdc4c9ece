/* SPDX-License-Identifier: MIT */
/*
 * csv.h: RFC 4180 CSV, written and read in one place.
 *
 * Writing: a field is quoted when it contains a comma, a double quote, CR or
 * LF; quotes inside are doubled; rows end with LF (RFC 4180 says CRLF, but
 * every consumer here, gnuplot included, reads LF, and the reader takes both).
 */
#ifndef SCB_CSV_H
#define SCB_CSV_H

#include <stdio.h>

struct csv_out {
	FILE *f;
	int col;	/* fields written in the current row */
};

void csv_field(struct csv_out *o, const char *s);
void csv_fieldf(struct csv_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void csv_end_row(struct csv_out *o);

/* Reading: one row at a time into fields that stay valid until the next
 * call. Returns 1 for a row, 0 at end of file, -1 on malformed input with
 * err set (e.g. "unterminated quoted field"). line is the row's first line. */
struct csv_in {
	FILE *f;
	unsigned long line;		/* line number of the next row */
	unsigned long row_line;		/* first line of the row just read */
	char *buf;
	size_t cap, len;
	size_t *starts;
	size_t nfields, fcap;
	const char *err;
};

void csv_in_init(struct csv_in *in, FILE *f);
int csv_read_row(struct csv_in *in);
const char *csv_get(const struct csv_in *in, size_t i);
void csv_in_free(struct csv_in *in);

/* The one reader of scbench's own tables (summary.csv, samples.csv,
 * processes.csv, env.csv, profile.csv, ...), for every consumer: the
 * header must name the columns asked for (names past nrequired may be
 * absent: their position is -1; a name given twice is refused), every row
 * must have the header's number of fields, and where names[0] is "schema"
 * schema 1 (the lanes' tables, profile.csv and trace.csv, have none); fn(ctx, row, positions of names, file, why,
 * len) takes each row (0, or -1 with why). *rows counts the rows taken.
 * 0, or -1 with a one-line reason naming the file and line. With no names
 * (n 0) the table is read whole: every row as wide as the header, schema 1
 * where a column is called schema, the header handed to head to find its
 * own columns. */
#define CSV_TABLE_MAX_COLUMNS 80
typedef int (*csv_row_fn)(void *ctx, struct csv_in *in, const int *at, const char *file, char *why,
			  size_t len);
int csv_table_load(const char *file, const char *const *names, size_t n, size_t nrequired, csv_row_fn fn,
		   void *ctx, size_t *rows, char *why, size_t len);
/* The same, with head(ctx, header row, positions, file, why, len) called
 * once after the header is checked, before any row: for a table whose
 * columns are not all known in advance (summary.csv's counters). */
typedef int (*csv_head_fn)(void *ctx, const struct csv_in *in, const int *at, const char *file, char *why,
			   size_t len);
int csv_table_scan(const char *file, const char *const *names, size_t n, size_t nrequired, csv_head_fn head,
		   csv_row_fn fn, void *ctx, size_t *rows, char *why, size_t len);

/* s as a finite number (the whole field; "" is not one): 0, or -1. */
int csv_number(const char *s, double *v);

#endif
