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

/* The header's columns by name, each exactly once; -1 with why if not. */
static int columns(struct csv_in *in, const char *path, const char *const *want, size_t n, size_t *col,
		   char *why, size_t len)
{
	int r = csv_read_row(in);

	if (r <= 0) {
		say(why, len, "%s: %s", path, r < 0 ? in->err : "empty, no header");
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		col[k] = (size_t)-1;
		for (size_t i = 0; i < in->nfields; i++)
			if (!strcmp(csv_get(in, i), want[k])) {
				if (col[k] != (size_t)-1) {
					say(why, len, "%s: column %s twice in the header", path, want[k]);
					return -1;
				}
				col[k] = i;
			}
		if (col[k] == (size_t)-1) {
			say(why, len, "%s: no column %s in the header", path, want[k]);
			return -1;
		}
	}
	return 0;
}

static int parse_count(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return !*s || *end || errno || !isfinite(*out) ? -1 : 0;
}

static int match(const char *name, const regex_t *keep, const regex_t *drop)
{
	return !((keep && regexec(keep, name, 0, NULL, 0)) || (drop && !regexec(drop, name, 0, NULL, 0)));
}

/* trace.csv beside the profile: each of its rows must be in the profile
 * (unless filtered out) and sum to its trace_instructions. */
static int check_trace(const struct profile *p, const char *dir, const regex_t *keep, const regex_t *drop,
		       char *why, size_t len)
{
	static const char *const want[] = { "vendor", "abi", "mechanism", "syscall", "trace_instructions" };
	char path[4096], name[512], a[32], b[32];
	size_t col[5];
	struct csv_in in;
	FILE *f;
	int r, rc = -1;

	snprintf(path, sizeof(path), "%s/trace.csv", dir);
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : (say(why, len, "%s: %s", path, strerror(errno)), -1);
	csv_in_init(&in, f);
	if (columns(&in, path, want, 5, col, why, len))
		goto out;
	while ((r = csv_read_row(&in)) > 0) {
		double t;
		struct prof_row *row;

		if (in.nfields <= col[4] || parse_count(csv_get(&in, col[4]), &t)) {
			say(why, len, "%s:%lu: no trace_instructions figure", path, in.row_line);
			goto out;
		}
		snprintf(name, sizeof(name), "%s/%s/%s", csv_get(&in, col[1]), csv_get(&in, col[2]),
			 csv_get(&in, col[3]));
		if (!match(name, keep, drop))
			continue;
		row = find_row(p, csv_get(&in, col[0]), name);
		if (!row) {
			say(why, len, "%s/profile.csv: no profile of %s %s, which trace.csv counts (%s)", dir,
			    csv_get(&in, col[0]), name, num(a, sizeof(a), t));
			goto out;
		}
		if (fabs(row->total - t) > PROF_EPS) {
			say(why, len, "%s/profile.csv: %s %s: the functions sum to %s, trace.csv counts %s", dir,
			    row->vendor, name, num(a, sizeof(a), row->total), num(b, sizeof(b), t));
			goto out;
		}
	}
	if (r < 0)
		say(why, len, "%s:%lu: %s", path, in.row_line, in.err);
	else
		rc = 0;
out:
	csv_in_free(&in);
	fclose(f);
	return rc;
}

int profile_load(struct profile *p, const char *dir, const regex_t *keep, const regex_t *drop,
		 char *why, size_t len)
{
	static const char *const want[] = { "kernel", "options", "cpu_vendor", "abi", "mechanism",
					    "syscall", "function", "instructions" };
	char path[4096], name[512];
	size_t col[8];
	struct csv_in in;
	FILE *f;
	int r, rc = -1;

	memset(p, 0, sizeof(*p));
	if (snprintf(path, sizeof(path), "%s/profile.csv", dir) >= (int)sizeof(path)) {
		say(why, len, "%s: path too long", dir);
		return -1;
	}
	f = fopen(path, "r");
	if (!f) {
		say(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	csv_in_init(&in, f);
	if (columns(&in, path, want, 8, col, why, len))
		goto out;
	while ((r = csv_read_row(&in)) > 0) {
		const char *k, *o, *v, *fn;
		double ins;
		struct prof_row *row;

		if (in.nfields != 8) {
			say(why, len, "%s:%lu: %zu fields, the header has 8", path, in.row_line, in.nfields);
			goto out;
		}
		k = csv_get(&in, col[0]);
		o = csv_get(&in, col[1]);
		v = csv_get(&in, col[2]);
		fn = csv_get(&in, col[6]);
		if (!p->kernel) {
			p->kernel = dup_str(k);
			p->options = dup_str(o);
		} else if (strcmp(p->kernel, k) || strcmp(p->options, o)) {
			/* one boot's profile: one kernel, one set of options */
			say(why, len, "%s:%lu: kernel '%s' options '%s', but the first row says '%s' '%s'", path,
			    in.row_line, k, o, p->kernel, p->options);
			goto out;
		}
		if (!*v || !*fn || !*csv_get(&in, col[3]) || !*csv_get(&in, col[4]) || !*csv_get(&in, col[5])) {
			say(why, len, "%s:%lu: an empty cpu_vendor, abi, mechanism, syscall or function", path,
			    in.row_line);
			goto out;
		}
		if (parse_count(csv_get(&in, col[7]), &ins)) {
			say(why, len, "%s:%lu: instructions '%s' is not a number", path, in.row_line,
			    csv_get(&in, col[7]));
			goto out;
		}
		snprintf(name, sizeof(name), "%s/%s/%s", csv_get(&in, col[3]), csv_get(&in, col[4]),
			 csv_get(&in, col[5]));
		if (!match(name, keep, drop))
			continue;
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
			say(why, len, "%s:%lu: %s %s: function %s twice", path, in.row_line, v, name, fn);
			goto out;
		}
		if (row->nfn == row->cap) {
			row->cap = row->cap ? 2 * row->cap : 16;
			row->fn = util_realloc(row->fn, row->cap * sizeof(*row->fn));
		}
		row->fn[row->nfn].name = dup_str(fn);
		row->fn[row->nfn++].ins = ins;
		row->total += ins;
	}
	if (r < 0) {
		say(why, len, "%s:%lu: %s", path, in.row_line, in.err);
		goto out;
	}
	if (!p->nrows) {
		say(why, len, "%s: no profile rows%s", path, keep || drop ? " (after --filter/--exclude)" : "");
		goto out;
	}
	rc = check_trace(p, dir, keep, drop, why, len);
out:
	csv_in_free(&in);
	fclose(f);
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
