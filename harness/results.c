/* SPDX-License-Identifier: MIT */
/* results.c: see results.h. */
#define _GNU_SOURCE
#include "results.h"
#include "counters.h"
#include "csv.h"
#include "env.h"
#include "probe.h"
#include "row.h"
#include "run.h"
#include "stats.h"
#include "util.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the model: every table's columns, written and read here ------------ */

/* How a column's field is kept and checked:
 *   TEXT   a string field of the record
 *   NUM    a finite number (or empty)
 *   NONNEG a finite number >= 0 (or empty)
 *   COUNT  a whole number below 2^53 (or empty): exact in a double
 * fmt: how the writer prints a number ("%.3f"); counts print whole. */
enum col_type { COL_TEXT, COL_NUM, COL_NONNEG, COL_COUNT };

struct column {
	const char *name;
	enum col_type type;
	size_t off, size;		/* the field in the record (size: TEXT's buffer) */
	const char *fmt;
	int required;			/* a file without it is not one of ours */
	const char *field;		/* the record's field: its name in the views */
};

_Static_assert(RESULTS_MAX_COUNTERS >= COUNTERS_MAX, "a summary row holds every counter a run can have");

#define TEXT(n, rec, f, req) { n, COL_TEXT, offsetof(rec, f), sizeof(((rec *)0)->f), NULL, req, #f }
#define NUM(n, rec, f, t, fmt, req) { n, t, offsetof(rec, f), 0, fmt, req, #f }

/* summary.csv: these, then the run's counter columns (counters.c), then
 * summary_tail. An older file may lack the optional ones: they read as
 * empty. */
#define R struct results_row
static const struct column summary_head[] = {
	{ "schema", COL_COUNT, 0, 0, NULL, 1, NULL },
	TEXT("abi", R, abi, 1),
	TEXT("mechanism", R, mechanism, 1),
	TEXT("syscall", R, syscall, 1),
	TEXT("status", R, status, 1),
	TEXT("reason", R, reason, 0),
	NUM("samples", R, samples, COL_COUNT, NULL, 0),
	NUM("calls_per_sample", R, calls, COL_COUNT, NULL, 0),
	NUM("ns_median", R, median, COL_NUM, "%.3f", 0),
	NUM("ns_ci_lo", R, lo, COL_NUM, "%.3f", 0),
	NUM("ns_ci_hi", R, hi, COL_NUM, "%.3f", 0),
	NUM("ns_min", R, min, COL_NUM, "%.3f", 0),
	NUM("ns_p90", R, p90, COL_NUM, "%.3f", 0),
	NUM("ns_p99", R, p99, COL_NUM, "%.3f", 0),
	NUM("ns_mad", R, mad, COL_NUM, "%.3f", 0),
	NUM("ns_mean", R, mean, COL_NUM, "%.3f", 0),
	NUM("ticks_median", R, ticks_median, COL_NUM, "%.2f", 0),
	NUM("ticks_min", R, ticks_min, COL_NUM, "%.2f", 0),
	NUM("ratio_to_ref", R, ratio, COL_NUM, "%.4f", 0),
	NUM("ratio_ci_lo", R, ratio_lo, COL_NUM, "%.4f", 0),
	NUM("ratio_ci_hi", R, ratio_hi, COL_NUM, "%.4f", 0),
	NUM("samples_rejected", R, rejected, COL_COUNT, NULL, 0),
	NUM("rejected_nonpositive", R, rejected_nonpositive, COL_COUNT, NULL, 0),
	NUM("rejected_outliers", R, rejected_outliers, COL_COUNT, NULL, 0),
	NUM("blocks", R, blocks, COL_COUNT, NULL, 0),
	NUM("processes", R, processes, COL_COUNT, NULL, 0),
	TEXT("levels", R, levels, 0),
	/* guest instructions per call: the median differenced tick count,
	 * exact when the clock is QEMU's instruction counter */
	NUM("icount", R, icount, COL_NONNEG, "%.2f", 0),
};
static const struct column summary_tail[] = {
	TEXT("counters_reason", R, counters_reason, 0),
	TEXT("detail", R, detail, 0),
	TEXT("kernel", R, loop, 0),
	TEXT("description", R, description, 0),
};
#undef R
#define S struct results_sample
static const struct column samples_cols[] = {
	{ "schema", COL_COUNT, 0, 0, NULL, 1, NULL },
	{ "abi", COL_TEXT, 0, 0, NULL, 1, NULL },
	{ "mechanism", COL_TEXT, 0, 0, NULL, 1, NULL },
	{ "syscall", COL_TEXT, 0, 0, NULL, 1, NULL },
	NUM("round", S, round, COL_COUNT, NULL, 1),
	/* counts as the run writes them; read as numbers >= 0, which is all
	 * any reader needs of them (a baseline scaled by hand still reads) */
	NUM("calls", S, calls, COL_NONNEG, "%.0f", 0),
	NUM("ticks_n", S, ticks_n, COL_NONNEG, "%.0f", 0),
	NUM("ticks_2n", S, ticks_2n, COL_NONNEG, "%.0f", 0),
	NUM("ticks_per_call", S, ticks, COL_NUM, "%.3f", 0),
	NUM("ns_per_call", S, ns, COL_NUM, "%.3f", 1),
	NUM("valid", S, valid, COL_COUNT, NULL, 0),
	NUM("process", S, process, COL_COUNT, NULL, 0),
};
#undef S
#define P struct results_process
static const struct column processes_cols[] = {
	{ "schema", COL_COUNT, 0, 0, NULL, 1, NULL },
	{ "abi", COL_TEXT, 0, 0, NULL, 1, NULL },
	{ "mechanism", COL_TEXT, 0, 0, NULL, 1, NULL },
	{ "syscall", COL_TEXT, 0, 0, NULL, 1, NULL },
	NUM("process", P, process, COL_COUNT, NULL, 1),
	NUM("ns_median", P, median, COL_NUM, "%.4f", 1),
	NUM("ratio_to_ref", P, ratio, COL_NUM, "%.5f", 0),
};
#undef P
static const char *const env_cols[] = { "schema", "key", "value" };
#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- writing ------------------------------------------------------------- */

static void header(struct csv_out *o, const struct column *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_field(o, c[i].name);
}

static void identity(struct csv_out *o, const struct bench *b)
{
	csv_fieldf(o, "%d", RESULTS_SCHEMA);
	csv_field(o, b->abi);
	csv_field(o, b->mechanism);
	csv_field(o, b->syscall);
}

/* the record's fields of columns c[from..n-1], as the columns print them */
static void fields(struct csv_out *o, const void *rec, const struct column *c, size_t from, size_t n)
{
	for (size_t i = from; i < n; i++) {
		const char *p = (const char *)rec + c[i].off;
		if (c[i].type == COL_TEXT) {
			csv_field(o, p);
			continue;
		}
		double v = *(const double *)p;
		if (isnan(v))
			csv_field(o, "");
		else
			csv_fieldf(o, c[i].type == COL_COUNT ? "%.0f" : c[i].fmt, v);
	}
}

/* A counter's column holds numbers only if it was open and counting. */
static int counter_usable(const struct counter *c)
{
	return c->why[0] == '\0' && c->scheduled;
}

/* The run's row i as its record: what summary.csv says of it. */
static void summary_record(const struct run *r, size_t i, const char *reasons, struct results_row *w)
{
	const struct bench_result *br = &r->res[i];
	const struct stats_summary *s = &br->ns_s;
	int ok = probe_status_measured(br->status);
	double nan = NAN;

	memset(w, 0, sizeof(*w));
	snprintf(w->status, sizeof(w->status), "%s", probe_status_name(br->status));
	snprintf(w->reason, sizeof(w->reason), "%s", br->status == STATUS_OK ? "" : br->reason);
	w->samples = ok ? r->opt.runs : nan;	/* taken; samples_rejected of them unused */
	w->calls = ok ? (double)br->item.calls : nan;
	w->median = ok ? s->median : nan;
	w->lo = ok ? s->ci_lo : nan;
	w->hi = ok ? s->ci_hi : nan;
	w->min = ok ? br->ns_best : nan;
	w->p90 = ok ? s->p90 : nan;
	w->p99 = ok ? s->p99 : nan;
	w->mad = ok ? s->mad : nan;
	w->mean = ok ? s->mean : nan;
	w->ticks_median = ok ? br->ticks_s.median : nan;
	w->ticks_min = ok ? br->ticks_best : nan;
	w->ratio = ok && br->has_ratio ? br->ratio : nan;
	w->ratio_lo = ok && br->has_ratio ? br->ratio_lo : nan;
	w->ratio_hi = ok && br->has_ratio ? br->ratio_hi : nan;
	w->rejected = ok ? (double)(br->rejected_nonpositive + br->rejected_outliers) : nan;
	w->rejected_nonpositive = ok ? (double)br->rejected_nonpositive : nan;
	w->rejected_outliers = ok ? (double)br->rejected_outliers : nan;
	w->blocks = ok && br->blocks ? (double)br->blocks : nan;
	w->processes = ok ? (double)br->npmed : nan;
	if (ok && br->nlevels == 2)
		snprintf(w->levels, sizeof(w->levels), "%.3f | %.3f", br->level[0], br->level[1]);
	w->icount = ok && r->opt.icount ? br->ticks_s.median : nan;
	for (size_t c = 0; c < r->counters.n && c < RESULTS_MAX_COUNTERS; c++)
		w->count[c] = ok && br->has_counts && counter_usable(&r->counters.c[c]) ? br->count_median[c] : nan;
	snprintf(w->counters_reason, sizeof(w->counters_reason), "%s",
		 ok && r->opt.counter_runs ? reasons : ok ? "counting switched off (--counter-runs 0)" : "");
	snprintf(w->detail, sizeof(w->detail), "%s", br->detail);
	snprintf(w->loop, sizeof(w->loop), "%s", br->b->kernel_name);
	snprintf(w->description, sizeof(w->description), "%s", br->b->description);
}

void results_summary_csv(FILE *f, const struct run *r)
{
	struct csv_out o = { .f = f };
	struct results_row *w = util_calloc(1, sizeof(*w));
	char reasons[1024];

	counters_reasons(&r->counters, reasons, sizeof(reasons));
	header(&o, summary_head, NCOLS(summary_head));
	for (size_t c = 0; c < r->counters.n; c++)
		csv_field(&o, r->counters.c[c].column);
	header(&o, summary_tail, NCOLS(summary_tail));
	csv_end_row(&o);
	for (size_t i = 0; i < r->n; i++) {
		summary_record(r, i, reasons, w);
		identity(&o, r->res[i].b);
		fields(&o, w, summary_head, 4, NCOLS(summary_head));
		for (size_t c = 0; c < r->counters.n; c++) {
			if (isnan(w->count[c]))
				csv_field(&o, "");
			else
				csv_fieldf(&o, "%.3f", w->count[c]);
		}
		fields(&o, w, summary_tail, 0, NCOLS(summary_tail));
		csv_end_row(&o);
	}
	free(w);
}

void results_samples_csv(FILE *f, const struct run *r)
{
	struct csv_out o = { .f = f };

	header(&o, samples_cols, NCOLS(samples_cols));
	csv_end_row(&o);
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_result *br = &r->res[i];
		if (!probe_status_measured(br->status))
			continue;
		for (unsigned k = 0; k < r->opt.runs; k++) {
			struct results_sample s = {
				.round = k, .calls = (double)br->pcalls[br->proc[k]],
				.ticks_n = (double)br->item.ticks_n[k], .ticks_2n = (double)br->item.ticks_2n[k],
				.ticks = br->ticks[k], .ns = br->ns[k],
			};
			identity(&o, br->b);
			/* round, valid and process are integers in the record */
			csv_fieldf(&o, "%u", k);
			csv_fieldf(&o, "%lu", br->pcalls[br->proc[k]]);
			csv_fieldf(&o, "%llu", (unsigned long long)br->item.ticks_n[k]);
			csv_fieldf(&o, "%llu", (unsigned long long)br->item.ticks_2n[k]);
			fields(&o, &s, samples_cols, 8, 10);
			csv_fieldf(&o, "%d", br->valid[k]);
			csv_fieldf(&o, "%u", br->proc[k]);
			csv_end_row(&o);
		}
	}
}

void results_processes_csv(FILE *f, const struct run *r)
{
	struct csv_out o = { .f = f };

	header(&o, processes_cols, NCOLS(processes_cols));
	csv_end_row(&o);
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_result *br = &r->res[i];
		if (!probe_status_measured(br->status))
			continue;
		/* the processes that are units of the model, by their number in
		 * samples.csv (one that kept too few samples is left out) */
		for (size_t p = 0; p < r->nprocesses; p++) {
			if (isnan(br->pmed[p]))
				continue;
			struct results_process w = {
				.process = (double)p, .median = br->pmed[p],
				.ratio = br->has_ratio && !isnan(br->pratio[p]) ? br->pratio[p] : NAN,
			};
			identity(&o, br->b);
			fields(&o, &w, processes_cols, 4, NCOLS(processes_cols));
			csv_end_row(&o);
		}
	}
}

void results_env_csv(FILE *f, const struct env *e)
{
	struct csv_out o = { .f = f };

	for (size_t i = 0; i < NCOLS(env_cols); i++)
		csv_field(&o, env_cols[i]);
	csv_end_row(&o);
	for (size_t i = 0; i < e->n; i++) {
		csv_fieldf(&o, "%d", RESULTS_SCHEMA);
		csv_field(&o, e->item[i].key);
		csv_field(&o, e->item[i].value);
		csv_end_row(&o);
	}
}

/* ---- reading ------------------------------------------------------------- */

/* A column table as csv_table_scan is asked for it: the names, the
 * required columns first (it insists on the first nrequired), each name's
 * place in cols[] in map. Every reader below loads its file this one way. */
#define TABLE_MAX 40
struct table {
	const struct column *cols;
	size_t ncols;
	const char *names[TABLE_MAX];
	size_t map[TABLE_MAX], k;
};
_Static_assert(TABLE_MAX <= CSV_TABLE_MAX_COLUMNS, "csv_table_scan takes every name a table asks for");
_Static_assert(NCOLS(summary_head) + NCOLS(summary_tail) <= TABLE_MAX && NCOLS(samples_cols) <= TABLE_MAX &&
	       NCOLS(processes_cols) <= TABLE_MAX, "every table fits struct table");

static int table_load(struct table *t, const char *file, csv_head_fn head, csv_row_fn fn, void *ctx,
		      size_t *rows, char *why, size_t len)
{
	size_t required = 0;

	t->k = 0;
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < t->ncols; i++)
			if (t->cols[i].required == pass) {
				t->map[t->k] = i;
				t->names[t->k++] = t->cols[i].name;
				required += (size_t)pass;
			}
	return csv_table_scan(file, t->names, t->k, required, head, fn, ctx, rows, why, len);
}

/* Field s of column c into the record rec: as the column's type wants it,
 * or -1 with why naming file, line and column. */
static int parse_field(const struct column *c, const char *s, void *rec, const char *file,
		       unsigned long line, char *why, size_t len)
{
	char *p = (char *)rec + c->off;
	double v;

	if (c->type == COL_TEXT) {
		/* a field longer than the record keeps is refused, never cut */
		if (c->size && (size_t)snprintf(p, c->size, "%s", s) >= c->size) {
			snprintf(why, len, "%s:%lu: %s is longer than %zu characters", file, line, c->name,
				 c->size - 1);
			return -1;
		}
		return 0;
	}
	if (!c->off)
		return 0;		/* not kept (schema: csv_table_scan checked it) */
	if (!*s) {
		*(double *)p = NAN;
		return 0;
	}
	if (csv_number(s, &v)) {
		snprintf(why, len, "%s:%lu: %s '%.40s' is not a finite number", file, line, c->name, s);
		return -1;
	}
	if (c->type == COL_NONNEG && v < 0) {
		snprintf(why, len, "%s:%lu: %s '%.40s' is below 0", file, line, c->name, s);
		return -1;
	}
	if (c->type == COL_COUNT && !(v >= 0 && v <= 9007199254740992.0 && v == floor(v))) {
		snprintf(why, len, "%s:%lu: %s '%.40s' is not a count (a whole number below 2^53)", file,
			 line, c->name, s);
		return -1;
	}
	*(double *)p = v;
	return 0;
}

/* Every asked-for column of the current row into rec; absent ones as empty. */
static int parse_row(const struct table *t, struct csv_in *in, const int *at, void *rec, const char *file,
		     char *why, size_t len)
{
	for (size_t j = 0; j < t->k; j++)
		if (parse_field(&t->cols[t->map[j]], at[j] >= 0 ? csv_get(in, (size_t)at[j]) : "", rec, file,
				in->row_line, why, len))
			return -1;
	return 0;
}

/* abi/mechanism/syscall: asked for as the 2nd to 4th names (required) */
static int name_of(struct csv_in *in, const int *at, char *name, size_t len, const char *file, char *why,
		   size_t wlen)
{
	if ((size_t)snprintf(name, len, "%s/%s/%s", csv_get(in, (size_t)at[1]), csv_get(in, (size_t)at[2]),
			     csv_get(in, (size_t)at[3])) >= len) {
		snprintf(why, wlen, "%s:%lu: abi/mechanism/syscall is longer than %zu characters", file,
			 in->row_line, len - 1);
		return -1;
	}
	return 0;
}

struct summary_scan {
	struct column cols[NCOLS(summary_head) + NCOLS(summary_tail)];
	struct table t;
	struct results_counters *counters;
	int counter_at[RESULTS_MAX_COUNTERS];
	results_row_fn fn;
	void *ctx;
	struct results_row *row;
};

static int known_column(const struct summary_scan *sc, const char *name)
{
	for (size_t i = 0; i < sc->t.k; i++)
		if (!strcmp(sc->t.names[i], name))
			return 1;
	return 0;
}

/* The header's columns that are none of the model's are the run's
 * counters (counters.c names them), in the file's order. */
static int summary_head_fn(void *ctx, const struct csv_in *in, const int *at, const char *file, char *why,
			   size_t len)
{
	struct summary_scan *sc = ctx;

	(void)at;
	sc->counters->n = 0;
	for (size_t i = 0; i < in->nfields; i++) {
		const char *h = csv_get(in, i);
		if (known_column(sc, h))
			continue;
		if (sc->counters->n == RESULTS_MAX_COUNTERS) {
			snprintf(why, len, "%s: more than %d counter columns", file, RESULTS_MAX_COUNTERS);
			return -1;
		}
		if (!*h || strlen(h) >= sizeof(sc->counters->name[0])) {
			snprintf(why, len, "%s: a counter column's name is empty or longer than %zu characters", file,
				 sizeof(sc->counters->name[0]) - 1);
			return -1;
		}
		for (size_t c = 0; c < sc->counters->n; c++)
			if (!strcmp(sc->counters->name[c], h)) {
				snprintf(why, len, "%s: the header names column '%.60s' twice", file, h);
				return -1;
			}
		snprintf(sc->counters->name[sc->counters->n], sizeof(sc->counters->name[0]), "%s", h);
		sc->counter_at[sc->counters->n++] = (int)i;
	}
	return 0;
}

static int summary_row_fn(void *ctx, struct csv_in *in, const int *at, const char *file, char *why, size_t len)
{
	struct summary_scan *sc = ctx;
	struct results_row *w = sc->row;

	memset(w, 0, sizeof(*w));
	if (parse_row(&sc->t, in, at, w, file, why, len))
		return -1;
	if (name_of(in, at, w->name, sizeof(w->name), file, why, len))
		return -1;
	w->line = in->row_line;
	for (size_t c = 0; c < sc->counters->n; c++) {
		const char *s = csv_get(in, (size_t)sc->counter_at[c]);
		w->count[c] = NAN;
		if (*s && csv_number(s, &w->count[c])) {
			snprintf(why, len, "%s:%lu: %s '%.40s' is not a finite number", file, in->row_line,
				 sc->counters->name[c], s);
			return -1;
		}
	}
	return sc->fn(sc->ctx, w, file, why, len);
}

int results_read_summary(const char *file, struct results_counters *counters, results_row_fn fn, void *ctx,
			 size_t *rows, char *why, size_t len)
{
	struct summary_scan *sc = util_calloc(1, sizeof(*sc));
	struct results_counters own;
	size_t nh = NCOLS(summary_head);

	memcpy(sc->cols, summary_head, sizeof(summary_head));
	memcpy(sc->cols + nh, summary_tail, sizeof(summary_tail));
	sc->t.cols = sc->cols;
	sc->t.ncols = NCOLS(sc->cols);
	sc->counters = counters ? counters : &own;
	sc->fn = fn;
	sc->ctx = ctx;
	sc->row = util_calloc(1, sizeof(*sc->row));
	int rc = table_load(&sc->t, file, summary_head_fn, summary_row_fn, sc, rows, why, len);
	free(sc->row);
	free(sc);
	return rc;
}

struct sample_scan {
	struct table t;
	results_sample_fn fn;
	void *ctx;
};

static int sample_row_fn(void *ctx, struct csv_in *in, const int *at, const char *file, char *why, size_t len)
{
	struct sample_scan *sc = ctx;
	struct results_sample s;

	memset(&s, 0, sizeof(s));
	if (parse_row(&sc->t, in, at, &s, file, why, len))
		return -1;
	if (s.round > RESULTS_ROUND_MAX) {
		snprintf(why, len, "%s:%lu: round '%.40s' is out of range (at most %.0f)", file, in->row_line,
			 csv_get(in, (size_t)at[4]), RESULTS_ROUND_MAX);
		return -1;
	}
	if (isnan(s.round) || isnan(s.ns)) {
		snprintf(why, len, "%s:%lu: an empty round or ns_per_call", file, in->row_line);
		return -1;
	}
	/* no process column: a run of one process; an empty field is no number */
	if (isnan(s.process)) {
		if (at[sc->t.k - 1] >= 0) {
			snprintf(why, len, "%s:%lu: process '' is not a process number (0 to %d)", file, in->row_line,
				 RESULTS_MAX_PROCESSES - 1);
			return -1;
		}
		s.process = 0;
	}
	if (s.process >= RESULTS_MAX_PROCESSES) {
		snprintf(why, len, "%s:%lu: process '%.40s' is not a process number (0 to %d)", file,
			 in->row_line, csv_get(in, (size_t)at[sc->t.k - 1]), RESULTS_MAX_PROCESSES - 1);
		return -1;
	}
	if (name_of(in, at, s.name, sizeof(s.name), file, why, len))
		return -1;
	s.line = in->row_line;
	return sc->fn(sc->ctx, &s, file, why, len);
}

int results_read_samples(const char *file, results_sample_fn fn, void *ctx, size_t *rows, char *why,
			 size_t len)
{
	struct sample_scan sc = { .t = { samples_cols, NCOLS(samples_cols) }, .fn = fn, .ctx = ctx };

	return table_load(&sc.t, file, NULL, sample_row_fn, &sc, rows, why, len);
}

struct process_scan {
	struct table t;
	results_process_fn fn;
	void *ctx;
};

static int process_row_fn(void *ctx, struct csv_in *in, const int *at, const char *file, char *why, size_t len)
{
	struct process_scan *sc = ctx;
	struct results_process p;

	memset(&p, 0, sizeof(p));
	if (parse_row(&sc->t, in, at, &p, file, why, len))
		return -1;
	if (isnan(p.process) || isnan(p.median) || p.process >= RESULTS_MAX_PROCESSES) {
		snprintf(why, len, "%s:%lu: a process line without its process number (0 to %d) or median", file,
			 in->row_line, RESULTS_MAX_PROCESSES - 1);
		return -1;
	}
	if (name_of(in, at, p.name, sizeof(p.name), file, why, len))
		return -1;
	p.line = in->row_line;
	return sc->fn(sc->ctx, &p, file, why, len);
}

int results_read_processes(const char *file, results_process_fn fn, void *ctx, size_t *rows, char *why,
			   size_t len)
{
	struct process_scan sc = { .t = { processes_cols, NCOLS(processes_cols) }, .fn = fn, .ctx = ctx };

	return table_load(&sc.t, file, NULL, process_row_fn, &sc, rows, why, len);
}

/* A key given twice keeps its first value, as every reader before did. */
static int env_row_fn(void *ctx, struct csv_in *in, const int *at, const char *file, char *why, size_t len)
{
	(void)file, (void)why, (void)len;
	if (!env_get(ctx, csv_get(in, (size_t)at[1])))
		env_set(ctx, csv_get(in, (size_t)at[1]), "%s", csv_get(in, (size_t)at[2]));
	return 0;
}

int results_read_env(const char *file, struct env *e, char *why, size_t len)
{
	size_t rows = 0;

	e->n = 0;
	return csv_table_load(file, env_cols, NCOLS(env_cols), NCOLS(env_cols), env_row_fn, e, &rows, why, len);
}

/* ---- a whole folder ------------------------------------------------------ */

static int load_row(void *ctx, const struct results_row *row, const char *file, char *why, size_t len)
{
	struct results *m = ctx;

	(void)file, (void)why, (void)len;
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->row = util_realloc(m->row, m->cap * sizeof(*m->row));
	}
	m->row[m->n++] = *row;
	return 0;
}

static int load_process(void *ctx, const struct results_process *p, const char *file, char *why, size_t len)
{
	struct results *m = ctx;

	const struct results_row *row = results_find(m, p->name);

	(void)file, (void)why, (void)len;
	if (!row)
		return 0;		/* a process line of a row summary.csv lacks */
	size_t i = (size_t)(row - m->row);
	m->pmed[i] = util_realloc(m->pmed[i], (m->np[i] + 1) * sizeof(double));
	m->pratio[i] = util_realloc(m->pratio[i], (m->np[i] + 1) * sizeof(double));
	m->pmed[i][m->np[i]] = p->median;
	m->pratio[i][m->np[i]++] = p->ratio;
	return 0;
}

int results_load(struct results *m, const char *dir, char *why, size_t len)
{
	char path[4200], err[512];
	size_t rows = 0;

	memset(m, 0, sizeof(*m));
	snprintf(m->dir, sizeof(m->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	if (results_read_summary(path, &m->counters, load_row, m, &rows, why, len))
		goto fail;
	/* what it could read: a missing or damaged env.csv costs the
	 * consumers its keys, not the results */
	snprintf(path, sizeof(path), "%s/env.csv", dir);
	m->has_env = results_read_env(path, &m->env, err, sizeof(err)) == 0;
	if (!m->has_env)
		m->env.n = 0;
	const char *clock = env_get(&m->env, "clock");
	m->icount = clock && !strncmp(clock, "icount", 6);
	m->pmed = util_calloc(m->n + 1, sizeof(*m->pmed));
	m->pratio = util_calloc(m->n + 1, sizeof(*m->pratio));
	m->np = util_calloc(m->n + 1, sizeof(*m->np));
	/* a run of one process, or one written before processes, has none */
	snprintf(path, sizeof(path), "%s/processes.csv", dir);
	rows = 0;
	if (access(path, F_OK) == 0 && results_read_processes(path, load_process, m, &rows, why, len))
		goto fail;
	return 0;
fail:
	results_free(m);
	return -1;
}

void results_free(struct results *m)
{
	for (size_t i = 0; m->pmed && i < m->n; i++) {
		free(m->pmed[i]);
		free(m->pratio[i]);
	}
	free(m->pmed);
	free(m->pratio);
	free(m->np);
	free(m->row);
	m->row = NULL;
	m->pmed = m->pratio = NULL;
	m->np = NULL;
	m->n = m->cap = 0;
}

const struct results_row *results_find(const struct results *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->row[i].name, name))
			return &m->row[i];
	return NULL;
}

double results_count(const struct results *m, const struct results_row *row, const char *name)
{
	for (size_t c = 0; c < m->counters.n; c++)
		if (!strcmp(m->counters.name[c], name))
			return row->count[c];
	return NAN;
}

/* ---- the summary's view: its records' fields by name -------------------- */

/* One field of row as text, as summary.csv writes it ("" where empty):
 * the record's field names (median, lo, hi, ratio, levels, ...), "name"
 * (abi/mechanism/syscall), "unit" (what the per-call figures count) and
 * the run's counter columns. -1 for a name that is none of these. */
int results_field(const struct results *m, const struct results_row *row, const char *field, char *buf,
		  size_t len)
{
	if (!strcmp(field, "name") || !strcmp(field, "unit")) {
		snprintf(buf, len, "%s", field[0] == 'n' ? row->name : m->icount ? "guest instructions" : "ns");
		return 0;
	}
	for (int part = 0; part < 2; part++) {
		const struct column *c = part ? summary_tail : summary_head;
		size_t n = part ? NCOLS(summary_tail) : NCOLS(summary_head);
		for (size_t i = 0; i < n; i++) {
			if (!c[i].field || strcmp(c[i].field, field))
				continue;
			const char *p = (const char *)row + c[i].off;
			double v = c[i].type == COL_TEXT ? 0 : *(const double *)p;
			if (c[i].type == COL_TEXT)
				snprintf(buf, len, "%s", p);
			else if (isnan(v))
				buf[0] = '\0';
			else
				snprintf(buf, len, c[i].type == COL_COUNT ? "%.0f" : c[i].fmt, v);
			return 0;
		}
	}
	for (size_t c = 0; c < m->counters.n; c++)
		if (!strcmp(m->counters.name[c], field)) {
			if (isnan(row->count[c]))
				buf[0] = '\0';
			else
				snprintf(buf, len, "%.3f", row->count[c]);
			return 0;
		}
	return -1;
}

/* The names results_field takes, in summary.csv's order: i = 0, 1, ...
 * until NULL. */
const char *results_field_name(const struct results *m, size_t i)
{
	static const char *const extra[] = { "name", "unit" };
	size_t nh = NCOLS(summary_head) - 1;	/* schema has no field */

	if (i < 2)
		return extra[i];
	i -= 2;
	if (i < nh)
		return summary_head[i + 1].field;
	i -= nh;
	if (i < m->counters.n)
		return m->counters.name[i];
	i -= m->counters.n;
	return i < NCOLS(summary_tail) ? summary_tail[i].field : NULL;
}

/* ---- history.csv ---------------------------------------------------------- */

#define H struct results_history
static const struct column history_cols[] = {
	{ "schema", COL_COUNT, 0, 0, NULL, 1, NULL },
	TEXT("time_utc", H, time_utc, 1),
	TEXT("run", H, run, 1),
	TEXT("commit", H, commit, 1),
	TEXT("fingerprint", H, fingerprint, 1),
	TEXT("host", H, host, 1),
	TEXT("abi", H, abi, 1),
	TEXT("mechanism", H, mechanism, 1),
	TEXT("syscall", H, syscall, 1),
	NUM("ns_median", H, median, COL_NUM, "%.3f", 1),
	NUM("ns_ci_lo", H, lo, COL_NUM, "%.3f", 1),
	NUM("ns_ci_hi", H, hi, COL_NUM, "%.3f", 1),
	NUM("ratio_to_ref", H, ratio, COL_NUM, "%.4f", 1),
};
#undef H
#define NHIST NCOLS(history_cols)
_Static_assert(NHIST <= TABLE_MAX, "history.csv fits struct table");
#define HIST_RUN 2			/* the run column's place */

struct history_scan {
	struct table t;
	results_history_fn fn;
	void *ctx;
	/* the append's copy of every line, field by field as read */
	char **field;
	size_t n, cap;
};

/* Every column of the table is required, so csv_table_scan's positions
 * (at[j]) are in the table's own order. */
static int history_row_fn(void *ctx, struct csv_in *in, const int *at, const char *file, char *why, size_t len)
{
	struct history_scan *sc = ctx;
	struct results_history h;

	memset(&h, 0, sizeof(h));
	if (parse_row(&sc->t, in, at, &h, file, why, len) ||
	    name_of(in, at + 5, h.name, sizeof(h.name), file, why, len))
		return -1;
	h.line = in->row_line;
	if (sc->fn)
		return sc->fn(sc->ctx, &h, file, why, len);
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 256;
		sc->field = util_realloc(sc->field, sc->cap * NHIST * sizeof(*sc->field));
	}
	for (size_t j = 0; j < NHIST; j++)
		sc->field[sc->n * NHIST + j] = strdup(csv_get(in, (size_t)at[j]));
	sc->n++;
	return 0;
}

static int scan_history(const char *file, struct history_scan *sc, size_t *rows, char *why, size_t len)
{
	sc->t.cols = history_cols;
	sc->t.ncols = NHIST;
	return table_load(&sc->t, file, NULL, history_row_fn, sc, rows, why, len);
}

int results_read_history(const char *file, results_history_fn fn, void *ctx, size_t *rows, char *why,
			 size_t len)
{
	struct history_scan sc = { .fn = fn, .ctx = ctx };

	return scan_history(file, &sc, rows, why, len);
}

/* POSIX cksum(1)'s CRC of s: what the history's fingerprints have always
 * been (ci-bench.sh piped the machine's keys through cksum), so a machine
 * keeps its fingerprint across the change. */
static unsigned long posix_cksum(const char *s)
{
	uint32_t crc = 0;
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++) {
		crc ^= (uint32_t)(unsigned char)s[i] << 24;
		for (int b = 0; b < 8; b++)
			crc = crc & 0x80000000u ? (crc << 1) ^ 0x04c11db7u : crc << 1;
	}
	for (size_t l = n; l; l >>= 8) {
		crc ^= (uint32_t)(l & 0xff) << 24;
		for (int b = 0; b < 8; b++)
			crc = crc & 0x80000000u ? (crc << 1) ^ 0x04c11db7u : crc << 1;
	}
	return ~crc & 0xffffffffu;
}

/* Which lines belong to the newest max runs (by the order runs first
 * appear): keep[i] for line i. A run's lines are usually together, so the
 * list of distinct runs is searched only where the run changes. */
static void newest_runs(char *const *field, size_t n, unsigned long max, unsigned char *keep)
{
	size_t *first = util_calloc(n + 1, sizeof(*first)), *rank = util_calloc(n + 1, sizeof(*rank));
	size_t d = 0;

#define RUN_OF(i) field[(i) * NHIST + HIST_RUN]
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(RUN_OF(i), RUN_OF(i - 1))) {
			rank[i] = rank[i - 1];
			continue;
		}
		size_t j;
		for (j = 0; j < d && strcmp(RUN_OF(first[j]), RUN_OF(i)); j++)
			;
		if (j == d)
			first[d++] = i;
		rank[i] = j;
	}
#undef RUN_OF
	for (size_t i = 0; i < n; i++)
		keep[i] = !max || d - rank[i] <= max;
	free(first);
	free(rank);
}

/* The run's measured rows as history lines, appended to sc's. 0, or -1
 * with why (no env.csv to say when, where and what was measured). */
static int run_lines(struct history_scan *sc, const struct results *m, const char *run, char *why, size_t len)
{
	const struct env *e = &m->env;
	char keys[4200], fp[16], num[4][64];

	if (!m->has_env) {
		snprintf(why, len, "%s/env.csv: not readable, and the history needs the run's time, host and commit",
			 m->dir);
		return -1;
	}
#define KEY(name) (env_get(e, name) ? env_get(e, name) : "")
	snprintf(keys, sizeof(keys), "%s|%s|%s|%s", KEY("cpu_model"), KEY("cpu_microcode"), KEY("kernel_release"),
		 KEY("kernel_cmdline"));
	snprintf(fp, sizeof(fp), "%lu", posix_cksum(keys));
	for (size_t i = 0; i < m->n; i++) {
		const struct results_row *w = &m->row[i];
		const double v[4] = { w->median, w->lo, w->hi, w->ratio };
		if (strcmp(w->status, "ok"))
			continue;
		for (int k = 0; k < 4; k++) {
			if (isnan(v[k]))
				num[k][0] = '\0';
			else
				snprintf(num[k], sizeof(num[k]), history_cols[9 + k].fmt, v[k]);
		}
		const char *f[NHIST] = { "1", KEY("time_utc"), run, KEY("git_commit"), fp, KEY("hostname"), w->abi,
					 w->mechanism, w->syscall, num[0], num[1], num[2], num[3] };
		if (sc->n == sc->cap) {
			sc->cap = sc->cap ? 2 * sc->cap : 256;
			sc->field = util_realloc(sc->field, sc->cap * NHIST * sizeof(*sc->field));
		}
		for (size_t j = 0; j < NHIST; j++)
			sc->field[sc->n * NHIST + j] = strdup(f[j]);
		sc->n++;
	}
#undef KEY
	return 0;
}

int results_history_append(const char *hist, const char *dir, const char *run, unsigned long max_runs,
			   char *why, size_t len)
{
	struct results *m = util_calloc(1, sizeof(*m));
	struct history_scan sc = { 0 };
	char folder[PATH_MAX], tmp[PATH_MAX + 32];
	struct stat st;
	size_t rows = 0;
	int lock = -1, ret = -1, fd = -1;
	FILE *f = NULL;

	snprintf(folder, sizeof(folder), "%s", hist);
	char *slash = strrchr(folder, '/');
	if (slash)
		*slash = slash == folder ? (slash[1] = '\0', '/') : '\0';
	else
		snprintf(folder, sizeof(folder), ".");
	if (results_load(m, dir, why, len))
		goto out;
	/* the lock is the folder itself: no file is created, so there is no
	 * name to plant a link at */
	if ((lock = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || flock(lock, LOCK_EX)) {
		snprintf(why, len, "%s: cannot lock: %s", folder, strerror(errno));
		goto out;
	}
	/* the lines there pass through as they were read (checked, never
	 * reformatted); the new run's follow */
	if (lstat(hist, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(why, len, "%s is not a regular file (a link?): refused", hist);
			goto out;
		}
		if (st.st_size && scan_history(hist, &sc, &rows, why, len))
			goto out;
	} else if (errno != ENOENT) {
		snprintf(why, len, "%s: %s", hist, strerror(errno));
		goto out;
	}
	if (run_lines(&sc, m, run, why, len))
		goto out;
	/* rewritten whole into a new file of ours beside it (never written
	 * through a name someone could have linked elsewhere), then renamed;
	 * .tmp-history-XXXXXX-PID: the PID ends the name, so a later
	 * ci-bench (scb_sweep_dead) sees when its writer is gone */
	char pid[24];
	int sl = snprintf(pid, sizeof(pid), "-%d", (int)getpid());
	snprintf(tmp, sizeof(tmp), "%s/.tmp-history-XXXXXX%s", folder, pid);
	if ((fd = mkostemps(tmp, sl, O_CLOEXEC)) < 0 || fchmod(fd, 0644) || !(f = fdopen(fd, "w"))) {
		snprintf(why, len, "%s: cannot write beside it: %s", hist, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		goto out;
	}
	struct csv_out o = { .f = f };
	for (size_t j = 0; j < NHIST; j++)
		csv_field(&o, history_cols[j].name);
	csv_end_row(&o);
	unsigned char *keep = util_calloc(sc.n + 1, 1);
	newest_runs(sc.field, sc.n, max_runs, keep);
	for (size_t i = 0; i < sc.n; i++) {
		if (!keep[i])
			continue;
		for (size_t j = 0; j < NHIST; j++)
			csv_field(&o, sc.field[i * NHIST + j]);
		csv_end_row(&o);
	}
	free(keep);
	int bad = ferror(f);
	if (fclose(f) | bad || rename(tmp, hist)) {
		snprintf(why, len, "%s: cannot write: %s", hist, bad ? "write error" : strerror(errno));
		unlink(tmp);
		goto out;
	}
	ret = 0;
out:
	if (lock >= 0)
		close(lock);
	for (size_t i = 0; i < sc.n * NHIST; i++)
		free(sc.field[i]);
	free(sc.field);
	results_free(m);
	free(m);
	return ret;
}

/* ---- the folder ---------------------------------------------------------- */

/* Create dir and any missing parents (mkdir -p). *created counts the
 * folders this call made, made[] their path lengths in dir, innermost last,
 * so a failure can take back exactly those. Another run creating the same
 * folders at the same moment is no error: EEXIST is success here. */
#define RESULTS_DEPTH 64
static int ensure_dir(const char *dir, size_t made[RESULTS_DEPTH], int *created)
{
	char path[PATH_MAX];
	struct stat st;
	size_t len = strlen(dir);

	*created = 0;
	if (len >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		if (i < len && path[i - 1] == '/')
			continue;
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, 0777) == 0) {
			if (*created < RESULTS_DEPTH)
				made[(*created)++] = i;
		} else if (errno != EEXIST || stat(path, &st)) {
			return -1;
		} else if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		path[i] = c;
	}
	return 0;
}

/* Take back the folders ensure_dir made, innermost first; one that another
 * run has put something in stays (rmdir fails on it). */
static void undo_dirs(const char *dir, const size_t made[RESULTS_DEPTH], int created)
{
	char path[PATH_MAX];

	while (created-- > 0) {
		snprintf(path, sizeof(path), "%.*s", (int)made[created], dir);
		rmdir(path);
	}
}

int results_check_writable(const char *root, char *why, size_t wlen)
{
	char probe[PATH_MAX];
	size_t made[RESULTS_DEPTH];
	int created;

	if (ensure_dir(root, made, &created)) {
		snprintf(why, wlen, "--out %s: %s", root, strerror(errno));
		undo_dirs(root, made, created);
		return -1;
	}
	snprintf(probe, sizeof(probe), "%s/.scbench-probe-%ld", root, (long)getpid());
	if (mkdir(probe, 0777)) {
		int e = errno;
		undo_dirs(root, made, created);
		snprintf(why, wlen, "--out %s is not writable: %s", root, strerror(e));
		return -1;
	}
	rmdir(probe);
	/* root stays: the run writes into it, and another run may be using
	 * it already (removing a folder this run made raced with them) */
	return 0;
}

/* The writer's PID: the digits after the name's last '-', ended by the
 * name's end or a '.'; 0 when there are none. The scripts' mktemp
 * --suffix=-$$ names end in it (.tmp-NAME-XXXXXX-PID, a report's
 * .tmp-report-XXXXXX-PID.md); results_write's mkdtemp folder has it before
 * its random part (.tmp-HOST-STAMP-PID.XXXXXX: mkdtemp's letters and
 * digits hold no '-' or '.'). */
static long writer_pid(const char *name)
{
	const char *dash = strrchr(name, '-');
	char *end;
	long pid;

	if (!dash)
		return 0;
	pid = strtol(dash + 1, &end, 10);
	return end != dash + 1 && (*end == '\0' || *end == '.') ? pid : 0;
}

/* Whether the entry's writer (the PID in its name) is gone, or the entry
 * (st: its own, not a link's target) is older than RESULTS_STALE_S. */
static int gone_or_old(const char *name, const struct stat *st)
{
	long pid = writer_pid(name);

	if (pid > 0 && kill((pid_t)pid, 0) && errno == ESRCH)
		return 1;
	return time(NULL) - st->st_mtime >= RESULTS_STALE_S;
}

/* Whether the folder dfd holds our marker, a regular file (not a link). */
static int has_marker(int dfd)
{
	struct stat st;

	return fstatat(dfd, RESULTS_MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* Empty the folder dfd (consumed), by descriptor only: each level opened
 * with O_DIRECTORY|O_NOFOLLOW from its parent's descriptor and every name
 * removed with unlinkat relative to it, so a link is removed, never
 * followed, and a folder renamed meanwhile takes nothing outside it with
 * it. Another filesystem (a mount inside) is not entered. */
#define RESULTS_WALK_DEPTH 32
static void empty_dir(int dfd, dev_t dev, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dfd, e->d_name, 0) == 0 || (errno != EISDIR && errno != EPERM))
			continue;
		int sub = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (sub < 0)
			continue;
		if (depth >= RESULTS_WALK_DEPTH || fstat(sub, &st) || st.st_dev != dev) {
			close(sub);
			continue;
		}
		empty_dir(sub, dev, depth + 1);
		unlinkat(dfd, e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* Whether root (its descriptor) is safe to sweep: ours, and no one else
 * can rename or swap entries in it (not group- or other-writable, or
 * sticky). Otherwise one warning says why nothing is removed. */
static int sweepable(int rfd, const char *root)
{
	struct stat st;

	if (fstat(rfd, &st))
		return 0;
	if (st.st_uid != geteuid()) {
		util_error("warning: %s is owned by uid %ld, not by this user (%ld): its stale temporaries "
			   "are left alone", root, (long)st.st_uid, (long)geteuid());
		return 0;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
		util_error("warning: %s is writable by others (mode %03o, not sticky): its stale temporaries "
			   "are left alone", root, (unsigned)(st.st_mode & 0777));
		return 0;
	}
	return 1;
}

int results_clean_stale(const char *root)
{
	static const char *const prefixes[] = { ".tmp-", ".latest-", ".scbench-probe-", ".old-plots-" };
	int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int removed = 0;

	if (rfd < 0)
		return 0;
	if (!sweepable(rfd, root) || !(d = fdopendir(rfd))) {
		close(rfd);
		return 0;
	}
	while ((e = readdir(d))) {
		struct stat st, fst;
		int ours = 0;

		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			ours |= !strncmp(e->d_name, prefixes[i], strlen(prefixes[i]));
		if (!ours || fstatat(rfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		/* only ours: of our euid, a folder nobody else can write (so
		 * nothing in it changes under the walk), and results_write's
		 * .tmp-* carry the marker from their first file on (ci-bench's
		 * .tmp-ci-* hold run folders that do) */
		int needs_marker = !strncmp(e->d_name, ".tmp-", 5) && strncmp(e->d_name, ".tmp-ci-", 8);
		if (!S_ISDIR(st.st_mode)) {
			/* what we leave there besides folders is a .latest-PID
			 * link: a user's regular file of a like name is not ours */
			if (S_ISLNK(st.st_mode) && st.st_uid == geteuid() && !strncmp(e->d_name, ".latest-", 8) &&
			    gone_or_old(e->d_name, &st) && unlinkat(rfd, e->d_name, 0) == 0)
				removed++;
			continue;
		}
		int fd = openat(rfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* the checks on the folder opened, the same one as stat'ed */
		if (fstat(fd, &fst) || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
			close(fd);
			continue;
		}
		int marked = has_marker(fd);
		if (needs_marker && !marked && gone_or_old(e->d_name, &fst)) {
			close(fd);
			if (unlinkat(rfd, e->d_name, AT_REMOVEDIR) == 0)
				removed++;	/* empty: killed before its first file */
			continue;
		}
		if (fst.st_uid != geteuid() || (fst.st_mode & (S_IWGRP | S_IWOTH)) || (needs_marker && !marked) ||
		    !gone_or_old(e->d_name, &fst)) {
			close(fd);
			continue;
		}
		empty_dir(fd, fst.st_dev, 0);
		if (unlinkat(rfd, e->d_name, AT_REMOVEDIR) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

typedef void (*writer_fn)(FILE *f, const struct run *r);

static void write_env(FILE *f, const struct run *r)
{
	results_env_csv(f, &r->env);
}

static void write_marker(FILE *f, const struct run *r)
{
	(void)r;
	fputs(RESULTS_MARKER_LINE "\n", f);
}

/* The marker first: a folder cut short by a crash is still known ours. */
static const struct {
	const char *name;
	writer_fn write;
} outputs[] = {
	{ RESULTS_MARKER, write_marker },
	{ "summary.csv", results_summary_csv },
	{ "samples.csv", results_samples_csv },
	{ "processes.csv", results_processes_csv },
	{ "env.csv", write_env },
};

static void remove_partial(int dfd, const char *dir)
{
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
		unlinkat(dfd, outputs[i].name, 0);
	rmdir(dir);
}

/* A file in the private folder dfd, created: never an existing one nor a
 * link (O_EXCL|O_NOFOLLOW), whatever happened to the folder's name. */
static FILE *create_in(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "w")))
		close(fd);
	return f;
}

int results_write(const char *root, const struct run *r, char *final, size_t flen,
		  char *why, size_t wlen)
{
	char tmp[PATH_MAX], path[PATH_MAX], stamp[32], host[64], lpath[PATH_MAX];
	const char *h = env_get(&r->env, "hostname");
	time_t now = time(NULL);
	struct tm tm;
	size_t made[RESULTS_DEPTH];
	int created, dfd = -1;

	snprintf(host, sizeof(host), "%s", h ? h : "host");
	for (char *p = host; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p))
			*p = '_';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);

	results_clean_stale(root);
	/* a fresh name, made by mkdtemp (never an existing entry, whatever
	 * was planted in a shared root); the writer's PID before its random
	 * part, where the stale sweep (writer_pid) reads it */
	char templ[PATH_MAX];
	if ((size_t)snprintf(templ, sizeof(templ), "%s/.tmp-%s-%s-%ld.XXXXXX", root, host, stamp, (long)getpid()) >=
	    sizeof(templ)) {
		snprintf(why, wlen, "%s: %s", root, strerror(ENAMETOOLONG));
		return -1;
	}
	/* root may vanish between ensure_dir and mkdtemp (a run that failed
	 * and took back the folder it made): make it again, a few times */
	int tries = 0, rc;
	do {
		if (ensure_dir(root, made, &created)) {
			snprintf(why, wlen, "%s: %s", root, strerror(errno));
			return -1;
		}
		memcpy(tmp, templ, strlen(templ) + 1);
		rc = mkdtemp(tmp) ? 0 : -1;
	} while (rc && errno == ENOENT && ++tries < 5);
	if (rc) {
		snprintf(why, wlen, "%s: %s", templ, strerror(errno));
		return -1;
	}
	dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s", tmp);
	if (dfd < 0)
		goto fail;
	/* mkdtemp's 0700 while it is written; a results folder then gets
	 * the mode mkdir(0777) gave it before (the umask's) */
	mode_t mask = umask(077);
	umask(mask);
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, outputs[i].name);
		FILE *f = create_in(dfd, outputs[i].name);
		if (!f)
			goto fail;
		outputs[i].write(f, r);
		if (ferror(f) | fclose(f))
			goto fail;
	}
	if (fchmod(dfd, 0777 & ~mask))
		goto fail;
	for (int n = 1; n < 100; n++) {
		if (n == 1)
			snprintf(final, flen, "%s/%s-%s", root, host, stamp);
		else
			snprintf(final, flen, "%s/%s-%s-%d", root, host, stamp, n);
		/* RENAME_NOREPLACE: an empty folder of that name (another run's,
		 * or the user's) is not silently replaced */
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
			break;
		if (errno == EINVAL || errno == ENOSYS) {	/* a filesystem without it */
			if (rename(tmp, final) == 0)
				break;
		}
		if (errno != EEXIST && errno != ENOTEMPTY) {
			snprintf(path, sizeof(path), "%s", final);
			goto fail;
		}
	}
	close(dfd);
	/* latest -> the folder's own name, relative, so the tree can move;
	 * symlink() creates (never follows), rename() replaces the link */
	snprintf(path, sizeof(path), "%s/.latest-%ld", root, (long)getpid());
	unlink(path);
	snprintf(lpath, sizeof(lpath), "%s/latest", root);
	if (symlink(strrchr(final, '/') + 1, path) || rename(path, lpath)) {
		util_error("warning: could not update %s: %s", lpath, strerror(errno));
		unlink(path);
	}
	return 0;
fail:
	snprintf(why, wlen, "writing %s: %s", path, strerror(errno));
	if (dfd >= 0) {
		remove_partial(dfd, tmp);
		close(dfd);
	} else {
		rmdir(tmp);
	}
	return -1;
}
