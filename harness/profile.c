/* SPDX-License-Identifier: MIT */
/* profile.c: load per-function profiles (profile.csv) and diff two of them;
 * see profile.h. */
#define _GNU_SOURCE
#include "profile.h"
#include "csv.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

/* Counts are sums of whole instructions over 16 calls, so every value is a
 * multiple of 1/16 and exact in the file's 4 decimals: sums compare exactly
 * but for the binary rounding of the additions. */
#define PROF_EPS 1e-6

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = util_calloc(n, 1);
	memcpy(d, s, n);
	return d;
}

static void say(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

int profile_present(const char *dir)
{
	char path[4096];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/profile.csv", dir) >= (int)sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A number as the profile writes it: up to 4 decimals, no trailing zeros. */
static const char *num(char *buf, size_t len, double x)
{
	char *e;

	if (fabs(x) < 0.00005)
		x = 0;
	snprintf(buf, len, "%.4f", x);
	e = buf + strlen(buf) - 1;
	while (*e == '0')
		*e-- = 0;
	if (*e == '.')
		*e = 0;
	return buf;
}

static struct prof_row *find_row(const struct profile *p, const char *vendor, const char *name)
{
	for (size_t i = 0; i < p->nrows; i++)
		if (!strcmp(p->rows[i].vendor, vendor) && !strcmp(p->rows[i].name, name))
			return &p->rows[i];
	return NULL;
}

static const struct prof_fn *find_fn(const struct prof_row *r, const char *name)
{
	for (size_t i = 0; r && i < r->nfn; i++)
		if (!strcmp(r->fn[i].name, name))
			return &r->fn[i];
	return NULL;
}

static int match(const char *name, const regex_t *keep, const regex_t *drop)
{
	return !((keep && regexec(keep, name, 0, NULL, 0)) || (drop && !regexec(drop, name, 0, NULL, 0)));
}

/* What a row reader needs besides the row: the profile, the filter. */
struct prof_read {
	struct profile *p;
	const char *dir;
	const regex_t *keep, *drop;
};

static int trace_row(void *ctx, struct csv_in *in, const int *col, const char *path, char *why, size_t len)
{
	struct prof_read *pr = ctx;
	char name[512], a[32], b[32];
	struct prof_row *row;
	double t;

	if (csv_number(csv_get(in, (size_t)col[4]), &t)) {
		say(why, len, "%s:%lu: no trace_instructions figure", path, in->row_line);
		return -1;
	}
	snprintf(name, sizeof(name), "%s/%s/%s", csv_get(in, (size_t)col[1]), csv_get(in, (size_t)col[2]),
		 csv_get(in, (size_t)col[3]));
	if (!match(name, pr->keep, pr->drop))
		return 0;
	row = find_row(pr->p, csv_get(in, (size_t)col[0]), name);
	if (!row) {
		say(why, len, "%s/profile.csv: no profile of %s %s, which trace.csv counts (%s)", pr->dir,
		    csv_get(in, (size_t)col[0]), name, num(a, sizeof(a), t));
		return -1;
	}
	if (fabs(row->total - t) > PROF_EPS) {
		say(why, len, "%s/profile.csv: %s %s: the functions sum to %s, trace.csv counts %s", pr->dir,
		    row->vendor, name, num(a, sizeof(a), row->total), num(b, sizeof(b), t));
		return -1;
	}
	return 0;
}

/* trace.csv beside the profile: each of its rows must be in the profile
 * (unless filtered out) and sum to its trace_instructions. */
static int check_trace(struct profile *p, const char *dir, const regex_t *keep, const regex_t *drop,
		       char *why, size_t len)
{
	static const char *const want[] = { "vendor", "abi", "mechanism", "syscall", "trace_instructions" };
	struct prof_read pr = { p, dir, keep, drop };
	char path[4096];
	size_t rows = 0;

	snprintf(path, sizeof(path), "%s/trace.csv", dir);
	if (access(path, F_OK))
		return errno == ENOENT ? 0 : (say(why, len, "%s: %s", path, strerror(errno)), -1);
	return csv_table_load(path, want, 5, 5, trace_row, &pr, &rows, why, len);
}

static int profile_row(void *ctx, struct csv_in *in, const int *col, const char *path, char *why, size_t len)
{
	struct prof_read *pr = ctx;
	struct profile *p = pr->p;
	const char *k, *o, *v, *fn;
	char name[512];
	double ins;
	struct prof_row *row;

	k = csv_get(in, (size_t)col[0]);
	o = csv_get(in, (size_t)col[1]);
	v = csv_get(in, (size_t)col[2]);
	fn = csv_get(in, (size_t)col[6]);
	if (!p->kernel) {
		p->kernel = dup_str(k);
		p->options = dup_str(o);
	} else if (strcmp(p->kernel, k) || strcmp(p->options, o)) {
		/* one boot's profile: one kernel, one set of options */
		say(why, len, "%s:%lu: kernel '%s' options '%s', but the first row says '%s' '%s'", path,
		    in->row_line, k, o, p->kernel, p->options);
		return -1;
	}
	if (!*v || !*fn || !*csv_get(in, (size_t)col[3]) || !*csv_get(in, (size_t)col[4]) ||
	    !*csv_get(in, (size_t)col[5])) {
		say(why, len, "%s:%lu: an empty cpu_vendor, abi, mechanism, syscall or function", path,
		    in->row_line);
		return -1;
	}
	if (csv_number(csv_get(in, (size_t)col[7]), &ins)) {
		say(why, len, "%s:%lu: instructions '%s' is not a number", path, in->row_line,
		    csv_get(in, (size_t)col[7]));
		return -1;
	}
	snprintf(name, sizeof(name), "%s/%s/%s", csv_get(in, (size_t)col[3]), csv_get(in, (size_t)col[4]),
		 csv_get(in, (size_t)col[5]));
	if (!match(name, pr->keep, pr->drop))
		return 0;
	row = find_row(p, v, name);
	if (!row) {
		if (p->nrows == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 32;
			p->rows = util_realloc(p->rows, p->cap * sizeof(*p->rows));
		}
		row = &p->rows[p->nrows++];
		memset(row, 0, sizeof(*row));
		row->vendor = dup_str(v);
		row->name = dup_str(name);
	}
	if (find_fn(row, fn)) {
		say(why, len, "%s:%lu: %s %s: function %s twice", path, in->row_line, v, name, fn);
		return -1;
	}
	if (row->nfn == row->cap) {
		row->cap = row->cap ? 2 * row->cap : 16;
		row->fn = util_realloc(row->fn, row->cap * sizeof(*row->fn));
	}
	row->fn[row->nfn].name = dup_str(fn);
	row->fn[row->nfn++].ins = ins;
	row->total += ins;
	return 0;
}

int profile_load(struct profile *p, const char *dir, const regex_t *keep, const regex_t *drop,
		 char *why, size_t len)
{
	static const char *const want[] = { "kernel", "options", "cpu_vendor", "abi", "mechanism",
					    "syscall", "function", "instructions" };
	struct prof_read pr = { p, dir, keep, drop };
	char path[4096];
	size_t rows = 0;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (snprintf(path, sizeof(path), "%s/profile.csv", dir) >= (int)sizeof(path)) {
		say(why, len, "%s: path too long", dir);
		return -1;
	}
	if (csv_table_load(path, want, 8, 8, profile_row, &pr, &rows, why, len))
		goto out;
	if (!p->nrows) {
		say(why, len, "%s: no profile rows%s", path, keep || drop ? " (after --filter/--exclude)" : "");
		goto out;
	}
	rc = check_trace(p, dir, keep, drop, why, len);
out:
	if (rc)
		profile_free(p);
	return rc;
}

void profile_free(struct profile *p)
{
	for (size_t i = 0; i < p->nrows; i++) {
		for (size_t k = 0; k < p->rows[i].nfn; k++)
			free(p->rows[i].fn[k].name);
		free(p->rows[i].fn);
		free(p->rows[i].vendor);
		free(p->rows[i].name);
	}
	free(p->rows);
	free(p->kernel);
	free(p->options);
	memset(p, 0, sizeof(*p));
}

struct change {
	const char *name;
	double a, b;
};

static int by_change(const void *x, const void *y)
{
	const struct change *p = x, *q = y;
	double dp = fabs(p->b - p->a), dq = fabs(q->b - q->a);

	if (dp != dq)
		return dp < dq ? 1 : -1;
	return strcmp(p->name, q->name);
}

/* The functions of a and b (either may be NULL) whose count changed,
 * largest change first; *n of them. */
static struct change *changes(const struct prof_row *a, const struct prof_row *b, size_t *n)
{
	size_t cap = (a ? a->nfn : 0) + (b ? b->nfn : 0) + 1, m = 0;
	struct change *c = util_calloc(cap, sizeof(*c));

	for (size_t i = 0; a && i < a->nfn; i++) {
		const struct prof_fn *o = find_fn(b, a->fn[i].name);
		c[m++] = (struct change){ a->fn[i].name, a->fn[i].ins, o ? o->ins : 0 };
	}
	for (size_t i = 0; b && i < b->nfn; i++)
		if (!find_fn(a, b->fn[i].name))
			c[m++] = (struct change){ b->fn[i].name, 0, b->fn[i].ins };
	size_t k = 0;
	for (size_t i = 0; i < m; i++)
		if (fabs(c[i].b - c[i].a) > PROF_EPS)
			c[k++] = c[i];
	qsort(c, k, sizeof(*c), by_change);
	*n = k;
	return c;
}

static void side(FILE *f, const char *label, const char *dir, const struct profile *p)
{
	fprintf(f, "%s %s: kernel %s, options %s\n", label, dir, p->kernel, *p->options ? p->options : "(default)");
}

static void row_out(FILE *f, const struct prof_row *a, const struct prof_row *b, enum prof_format fmt,
		    int *rose)
{
	const struct prof_row *r = a ? a : b;
	char x[32], y[32], d[32];
	const char *abi_end = strchr(r->name, '/'), *mech_end = abi_end ? strchr(abi_end + 1, '/') : NULL;
	size_t n;
	struct change *c = changes(a, b, &n);
	double ta = a ? a->total : 0, tb = b ? b->total : 0, sum = 0;

	if (a && b && tb - ta > PROF_EPS)
		(*rose)++;
	if (fmt == PROF_CSV) {
		struct csv_out o = { f, 0 };
		for (size_t i = 0; i < n; i++) {
			csv_field(&o, r->vendor);
			csv_fieldf(&o, "%.*s", (int)(abi_end - r->name), r->name);
			csv_fieldf(&o, "%.*s", (int)(mech_end - abi_end - 1), abi_end + 1);
			csv_field(&o, mech_end + 1);
			csv_field(&o, c[i].name);
			csv_field(&o, a ? num(x, sizeof(x), c[i].a) : "");
			csv_field(&o, b ? num(y, sizeof(y), c[i].b) : "");
			csv_field(&o, num(d, sizeof(d), c[i].b - c[i].a));
			csv_field(&o, a ? num(x, sizeof(x), ta) : "");
			csv_field(&o, b ? num(y, sizeof(y), tb) : "");
			csv_end_row(&o);
		}
		free(c);
		return;
	}
	if (!a || !b) {
		fprintf(f, "%s %s: %s, only in %s\n", r->vendor, r->name, num(x, sizeof(x), r->total),
			a ? "the first" : "the second");
		free(c);
		return;
	}
	if (!n) {
		fprintf(f, "%s %s: %s, no function changed\n", r->vendor, r->name, num(x, sizeof(x), ta));
		free(c);
		return;
	}
	fprintf(f, "%s %s: %s -> %s instructions per call (%s%s)\n", r->vendor, r->name, num(x, sizeof(x), ta),
		num(y, sizeof(y), tb), tb - ta > 0 ? "+" : "", num(d, sizeof(d), tb - ta));
	for (size_t i = 0; i < n; i++) {
		double dd = c[i].b - c[i].a;
		char col[40];
		snprintf(col, sizeof(col), "%s%s", dd > 0 ? "+" : "", num(d, sizeof(d), dd));
		fprintf(f, "  %8s  %-44s %s -> %s\n", col, c[i].name, num(x, sizeof(x), c[i].a),
			num(y, sizeof(y), c[i].b));
		sum += dd;
	}
	char col[40];
	snprintf(col, sizeof(col), "%s%s", sum > 0 ? "+" : "", num(d, sizeof(d), sum));
	fprintf(f, "  %8s  in all\n", col);
	free(c);
}

int profile_compare(FILE *f, const struct profile *a, const char *an, const struct profile *b,
		    const char *bn, enum prof_format fmt)
{
	int common = 0, rose = 0;

	for (size_t i = 0; i < a->nrows; i++)
		common += find_row(b, a->rows[i].vendor, a->rows[i].name) != NULL;
	if (!common)
		return -1;
	if (fmt == PROF_CSV) {
		struct csv_out o = { f, 0 };
		static const char *const h[] = { "cpu_vendor", "abi", "mechanism", "syscall", "function",
						 "base", "new", "delta", "row_base", "row_new" };
		for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
			csv_field(&o, h[i]);
		csv_end_row(&o);
	} else {
		side(f, "profile", an, a);
		side(f, "     vs", bn, b);
	}
	for (size_t i = 0; i < a->nrows; i++)
		row_out(f, &a->rows[i], find_row(b, a->rows[i].vendor, a->rows[i].name), fmt, &rose);
	for (size_t i = 0; i < b->nrows; i++)
		if (!find_row(a, b->rows[i].vendor, b->rows[i].name))
			row_out(f, NULL, &b->rows[i], fmt, &rose);
	if (fmt == PROF_TABLE)
		fprintf(f, "%d rows in both; per row, the functions' changes sum to its count's change\n", common);
	return rose;
}
