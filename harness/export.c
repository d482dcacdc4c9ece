/* SPDX-License-Identifier: MIT */
/* export.c: see export.h. Reads the folder through the results model
 * (results.h), so it exports exactly what was written. */
#define _GNU_SOURCE
#include "export.h"
#include "csv.h"
#include "json.h"
#include "results.h"
#include "stats.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <limits.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int export_format_of(const char *name)
{
	return !strcmp(name, "google-benchmark") ? EXPORT_GOOGLE_BENCHMARK :
	       !strcmp(name, "bencher") ? EXPORT_BENCHER : 0;
}

/* What the exports carry as google-benchmark user counters, when the run
 * has them (a row without one leaves it out): the counts (counters.c's
 * names), then figures of the row's own, under the names summary.csv
 * gives them (the README's schema). */
static const char *const counter_columns[] = {
	"syscalls_per_call", "page_faults", "context_switches", "task_clock_ns", "cycles_user",
	"cycles_kernel", "instructions_user", "instructions_kernel", "branch_misses_user",
	"branch_misses_kernel",
};
#define NCOUNTS (sizeof(counter_columns) / sizeof(counter_columns[0]))
static const char *const figure_names[] = { "ratio_to_ref", "ns_ci_lo", "ns_ci_hi", "ns_min", "ns_p90" };
#define NCOUNTERS (NCOUNTS + sizeof(figure_names) / sizeof(figure_names[0]))

static const char *counter_name(size_t i)
{
	return i < NCOUNTS ? counter_columns[i] : figure_names[i - NCOUNTS];
}

/* The context: env.csv's keys, as google/benchmark names its own. 0, or
 * -1 with why when a number it carries would not be a JSON number
 * (tsc_ghz=1e306 is finite, its MHz are not); nothing is written then. A
 * folder without a readable env.csv exports with an empty context. */
static int context(FILE *out, const struct results *m, size_t skipped, char *why, size_t len)
{
	const struct env *e = &m->env;
	const char *ghzs = env_get(e, "tsc_ghz"), *gov = env_get(e, "governor");
	const char *date = env_get(e, "vm_time_utc") ? env_get(e, "vm_time_utc") : env_get(e, "time_utc");
	double ghz = 0;

	if (ghzs && csv_number(ghzs, &ghz) == 0 && !isfinite(ghz * 1000)) {
		snprintf(why, len, "%s/env.csv: tsc_ghz '%.40s' is out of range (its MHz are not a finite number)",
			 m->dir, ghzs);
		return -1;
	}
	if (!ghzs || csv_number(ghzs, &ghz))
		ghz = 0;
	/* a QEMU guest's clock is fixed (-rtc base, for repeatable counts):
	 * the date is the host's, which the lane records */
	fputs("  \"context\": {\n    \"date\": ", out);
	json_string(out, date ? date : "");
	fputs(",\n    \"host_name\": ", out);
	json_string(out, env_get(e, "hostname") ? env_get(e, "hostname") : "");
	fputs(",\n    \"executable\": \"scbench\",\n", out);
	fprintf(out, "    \"num_cpus\": %ld,\n    \"mhz_per_cpu\": %.0f,\n", sysconf(_SC_NPROCESSORS_ONLN), ghz * 1000);
	/* scaling is on when a governor other than performance is in charge
	 * (a VM's "unreadable" or "n/a": no cpufreq, nothing scales here) */
	int scaling = gov && strcmp(gov, "performance") && strcmp(gov, "unreadable") && strncmp(gov, "n/a", 3);
	fprintf(out, "    \"cpu_scaling_enabled\": %s,\n", scaling ? "true" : "false");
	fputs("    \"caches\": [],\n    \"load_avg\": [],\n    \"library_build_type\": \"release\",\n", out);
	static const char *const keys[][2] = {
		{ "cpu_model", "scbench_cpu_model" }, { "kernel_release", "scbench_kernel_release" },
		{ "virtualization", "scbench_virtualization" }, { "scbench_version", "scbench_version" },
		{ "git_commit", "scbench_git_commit" }, { "clock", "scbench_clock" },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = env_get(e, keys[i][0]);
		if (!v)
			continue;
		fprintf(out, "    \"%s\": ", keys[i][1]);
		json_string(out, v);
		fputs(",\n", out);
	}
	fprintf(out, "    \"scbench_rows_not_measured\": %zu\n  },\n", skipped);
	return 0;
}

/* A measured row as the exports need it. */
struct row {
	char name[128];
	double ns, lo, hi, samples, calls, icount, c[NCOUNTERS];
	int has_icount, has[NCOUNTERS];
	const double *rep;		/* its processes' medians (processes.csv) */
	size_t nrep;
};

/* One google-benchmark entry. kind: NULL for a repetition (index idx of
 * reps; -1: the row's only entry), else the aggregate's name. An icount
 * run's entries carry an "instructions" counter and no time: its figures
 * are guest instructions, and a time field would be read as nanoseconds. */
static void gbench_entry(FILE *out, const struct row *r, size_t family, int icount_run, const char *kind,
			 int idx, size_t reps, double iterations, double value, int *first)
{
	char name[160];

	fputs(*first ? "\n    {\n      \"name\": " : ",\n    {\n      \"name\": ", out);
	*first = 0;
	snprintf(name, sizeof(name), "%s%s%s", r->name, kind ? "_" : "", kind ? kind : "");
	json_string(out, name);
	fprintf(out, ",\n      \"family_index\": %zu,\n      \"per_family_instance_index\": 0,\n"
		"      \"run_name\": ", family);
	json_string(out, r->name);
	fprintf(out, ",\n      \"run_type\": \"%s\",\n      \"repetitions\": %zu,\n",
		kind ? "aggregate" : "iteration", reps);
	if (kind)
		fprintf(out, "      \"threads\": 1,\n      \"aggregate_name\": \"%s\",\n"
			"      \"aggregate_unit\": \"%s\",\n", kind, !strcmp(kind, "cv") ? "percentage" : "time");
	else
		fprintf(out, "      \"repetition_index\": %d,\n      \"threads\": 1,\n", idx < 0 ? 0 : idx);
	fprintf(out, "      \"iterations\": %.0f", iterations);
	if (icount_run)
		fprintf(out, ",\n      \"instructions\": %.6g", r->has_icount ? r->icount : value);
	else
		/* %.6g: a sub-ns row keeps its digits (0.0853, not 0) */
		fprintf(out, ",\n      \"real_time\": %.6g,\n      \"cpu_time\": %.6g,\n"
			"      \"time_unit\": \"ns\"", value, value);
	/* the row's counters on its one entry, or on the median aggregate */
	if (idx < 0 || (kind && !strcmp(kind, "median")))
		for (size_t i = 0; i < NCOUNTERS; i++)
			/* an icount run's ns_* columns hold instructions: not
			 * under a name that says ns */
			if (r->has[i] && !(icount_run && !strncmp(counter_name(i), "ns_", 3)))
				fprintf(out, ",\n      \"%s\": %.6g", counter_name(i), r->c[i]);
	fputs("\n    }", out);
}

/* A row as google/benchmark writes a benchmark: one entry, or with
 * --benchmark_repetitions, one per repetition (here: per fresh process)
 * and then the mean, median, stddev and cv aggregates of them, which is
 * what compare.py's U test reads. */
static void gbench_row(FILE *out, const struct row *r, size_t family, int icount_run, int *first)
{
	double iterations = r->samples * r->calls * 3;

	if (r->nrep < 2 || r->has_icount) {
		gbench_entry(out, r, family, icount_run, NULL, -1, 1, iterations, r->ns, first);
		return;
	}
	double *x = util_calloc(r->nrep, sizeof(double));
	memcpy(x, r->rep, r->nrep * sizeof(double));
	stats_sort(x, r->nrep);
	double mean = stats_mean(x, r->nrep), sd = stats_stddev(x, r->nrep);
	double med = stats_quantile_sorted(x, r->nrep, 0.5);
	for (size_t i = 0; i < r->nrep; i++)
		gbench_entry(out, r, family, 0, NULL, (int)i, r->nrep, iterations / (double)r->nrep,
			     r->rep[i], first);
	gbench_entry(out, r, family, 0, "mean", 0, r->nrep, (double)r->nrep, mean, first);
	gbench_entry(out, r, family, 0, "median", 0, r->nrep, (double)r->nrep, med, first);
	gbench_entry(out, r, family, 0, "stddev", 0, r->nrep, (double)r->nrep, sd, first);
	gbench_entry(out, r, family, 0, "cv", 0, r->nrep, (double)r->nrep, mean > 0 ? sd / mean : 0, first);
	free(x);
}

/* The folder's measured rows as the exports need them; *skipped counts
 * the others (the context says how many). NULL with why for a measured
 * row without its figures. */
static struct row *measured_rows(const struct results *m, size_t *n, size_t *skipped, char *why, size_t len)
{
	struct row *rows = util_calloc(m->n + 1, sizeof(*rows));

	*n = *skipped = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct results_row *w = &m->row[i];
		if (strcmp(w->status, "ok") && strcmp(w->status, "noisy")) {
			(*skipped)++;
			continue;
		}
		if (isnan(w->median) || isnan(w->samples) || isnan(w->calls)) {
			snprintf(why, len, "%s/summary.csv:%zu: %s: measured (%s) but without its median, samples "
				 "or calls per sample", m->dir, w->line, w->name, w->status);
			free(rows);
			return NULL;
		}
		struct row *r = &rows[(*n)++];
		snprintf(r->name, sizeof(r->name), "%s", w->name);
		r->ns = w->median;
		r->samples = w->samples;
		r->calls = w->calls;
		r->lo = isnan(w->lo) || isnan(w->hi) ? w->median : w->lo;
		r->hi = isnan(w->lo) || isnan(w->hi) ? w->median : w->hi;
		r->icount = w->icount;
		r->has_icount = !isnan(w->icount);
		const double figures[] = { w->ratio, w->lo, w->hi, w->min, w->p90 };
		for (size_t c = 0; c < NCOUNTERS; c++) {
			r->c[c] = c < NCOUNTS ? results_count(m, w, counter_columns[c]) : figures[c - NCOUNTS];
			r->has[c] = !isnan(r->c[c]);
		}
		r->rep = m->pmed[i];
		r->nrep = m->np[i];
	}
	return rows;
}

int export_write(const char *dir, int fmt, FILE *out, char *why, size_t len)
{
	struct results *m = util_calloc(1, sizeof(*m));
	size_t n, skipped;

	if (results_load(m, dir, why, len)) {
		free(m);
		return -1;
	}
	struct row *rows = measured_rows(m, &n, &skipped, why, len);
	if (!rows) {
		results_free(m);
		free(m);
		return -1;
	}
	int icount_run = 0;
	for (size_t k = 0; k < n; k++)
		icount_run |= rows[k].has_icount;
	/* each sample timed N and 2N calls: 3N calls per sample; both are
	 * counts below 2^53 (the model insists), so their product is a JSON
	 * number */
	if (fmt == EXPORT_BENCHER) {
		/* an icount run's per-call figure is instructions, which Bencher
		 * keeps apart from latency (time) */
		fputs("{\n", out);
		for (size_t k = 0; k < n; k++) {
			const struct row *r = &rows[k];
			fputs("  ", out);
			json_string(out, r->name);
			fputs(": {\n", out);
			if (!r->has_icount)
				fprintf(out, "    \"latency\": { \"value\": %.6g, \"lower_value\": %.6g, "
					"\"upper_value\": %.6g }", r->ns, r->lo, r->hi);
			else
				fprintf(out, "    \"instructions\": { \"value\": %.6g }", r->icount);
			fprintf(out, "\n  }%s\n", k + 1 < n ? "," : "");
		}
		fputs("}\n", out);
	} else {
		/* the context first into memory: a bad one writes nothing */
		char *ctx = NULL;
		size_t ctxlen = 0;
		FILE *mem = open_memstream(&ctx, &ctxlen);
		if (!mem || context(mem, m, skipped, why, len) | fclose(mem)) {
			free(ctx);
			free(rows);
			results_free(m);
			free(m);
			return -1;
		}
		fputs("{\n", out);
		fwrite(ctx, 1, ctxlen, out);
		free(ctx);
		fputs("  \"benchmarks\": [", out);
		int first = 1;
		for (size_t k = 0; k < n; k++)
			gbench_row(out, &rows[k], k, icount_run, &first);
		fputs("\n  ]\n}\n", out);
	}
	free(rows);
	results_free(m);
	free(m);
	return ferror(out) ? (snprintf(why, len, "writing the export: %s", strerror(errno)), -1) : 0;
}

/* ---- into a file, by rename ------------------------------------------- */

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

int export_check_path(const char *path, char *why, size_t len)
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
int export_to_path(const char *dir, int fmt, const char *path)
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

/* ---- tab-separated views, for scripts and gnuplot ------------------------ */

/* "COL=VAL" or "COL!=VAL" into its parts; -1 when it is neither. */
struct where {
	char col[256];
	const char *val;
	int negate, on;
};

static int parse_where(const char *w, struct where *wh, char *why, size_t len)
{
	const char *eq = w ? strchr(w, '=') : NULL;

	memset(wh, 0, sizeof(*wh));
	if (!w)
		return 0;
	if (!eq || eq == w || (eq == w + 1 && w[0] == '!')) {
		snprintf(why, len, "--where '%.60s': COLUMN=VALUE or COLUMN!=VALUE", w);
		return -1;
	}
	wh->negate = eq[-1] == '!';
	size_t n = (size_t)(eq - w) - (size_t)wh->negate;
	if (n >= sizeof(wh->col)) {
		snprintf(why, len, "--where '%.60s...': the column's name is longer than %zu characters", w,
			 sizeof(wh->col) - 1);
		return -1;
	}
	memcpy(wh->col, w, n);
	wh->val = eq + 1;
	wh->on = 1;
	return 0;
}

/* v with tabs and line breaks as spaces (a field never splits a line),
 * empty as empty */
static void tsv_value(FILE *out, const char *v, const char *empty, int first)
{
	if (!first)
		fputc('\t', out);
	if (!*v)
		v = empty;
	for (; *v; v++)
		fputc(*v == '\t' || *v == '\n' || *v == '\r' ? ' ' : *v, out);
}

/* split "a,b,c" into at most max names (in buf): the count, or -1 with
 * why (too long, too many, or an empty name: "a,,b") */
static int split_names(const char *list, char *buf, size_t blen, const char **names, int max, char *why,
		       size_t len)
{
	int n = 0;

	if ((size_t)snprintf(buf, blen, "%s", list) >= blen) {
		snprintf(why, len, "--columns: longer than %zu characters", blen - 1);
		return -1;
	}
	for (char *p = buf, *comma;; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!*p) {
			snprintf(why, len, "--columns '%.60s': an empty name in the list", list);
			return -1;
		}
		if (n == max) {
			snprintf(why, len, "--columns: at most %d names", max);
			return -1;
		}
		names[n++] = p;
		if (!comma)
			return n;
	}
}

#define TSV_MAX_COLUMNS 200

/* A results folder: its summary's records, the fields by name. */
static int tsv_folder(const char *dir, const char *columns, const struct where *wh, const char *empty,
		      FILE *out, char *why, size_t len)
{
	struct results *m = util_calloc(1, sizeof(*m));
	const char *names[TSV_MAX_COLUMNS];
	char list[8192], buf[2048];
	int n = 0, ret = -1;

	if (results_load(m, dir, why, len)) {
		free(m);
		return -1;
	}
	if (!columns) {
		for (size_t i = 0; results_field_name(m, i) && n < TSV_MAX_COLUMNS; i++)
			names[n++] = results_field_name(m, i);
	} else if ((n = split_names(columns, list, sizeof(list), names, TSV_MAX_COLUMNS, why, len)) <= 0) {
		goto out;
	}
	/* every name known before anything is written; the row is any row */
	struct results_row probe = { 0 };
	for (int j = 0; j < n + wh->on; j++) {
		const char *f = j < n ? names[j] : wh->col;
		if (results_field(m, m->n ? &m->row[0] : &probe, f, buf, sizeof(buf))) {
			snprintf(why, len, "%s: no field '%.60s' (scbench export --format tsv %s lists them)", dir, f,
				 dir);
			goto out;
		}
	}
	for (int j = 0; j < n; j++)
		tsv_value(out, names[j], "", j == 0);
	fputc('\n', out);
	for (size_t i = 0; i < m->n; i++) {
		if (wh->on) {
			results_field(m, &m->row[i], wh->col, buf, sizeof(buf));
			if ((strcmp(buf, wh->val) == 0) == wh->negate)
				continue;
		}
		for (int j = 0; j < n; j++) {
			results_field(m, &m->row[i], names[j], buf, sizeof(buf));
			tsv_value(out, buf, empty, j == 0);
		}
		fputc('\n', out);
	}
	ret = 0;
out:
	results_free(m);
	free(m);
	return ret;
}

/* The header's columns sorted by name, for finding one and for refusing a
 * name given twice in n log n (a table may be wide). */
static int by_name(const void *x, const void *y, void *head)
{
	char **h = head;

	return strcmp(h[*(const size_t *)x], h[*(const size_t *)y]);
}

static int column_at(char **head, const size_t *order, size_t width, const char *name)
{
	size_t lo = 0, hi = width;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(head[order[mid]], name);
		if (!c)
			return (int)order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Any other CSV file of the project (a lane's table): read whole by the
 * one reader (csv_table_scan with no names: every row as wide as the
 * header, schema 1 where it has the column), its columns by the header's
 * names. */
struct tsv_scan {
	const char *columns, *empty;
	const struct where *wh;
	FILE *out;
	char list[8192], **head;
	size_t width, *order;
	const char *picked[TSV_MAX_COLUMNS];
	int *at, n, wat;
};

/* the header: each name once, the asked-for ones found, their line out */
static int tsv_head(void *ctx, const struct csv_in *in, const int *unused, const char *file, char *why, size_t len)
{
	struct tsv_scan *t = ctx;
	const char **names = t->picked;

	(void)unused;
	t->width = in->nfields;
	t->head = util_calloc(t->width + 1, sizeof(*t->head));
	t->order = util_calloc(t->width + 1, sizeof(*t->order));
	for (size_t i = 0; i < t->width; i++) {
		t->head[i] = strdup(csv_get(in, i));
		t->order[i] = i;
	}
	qsort_r(t->order, t->width, sizeof(*t->order), by_name, t->head);
	for (size_t i = 1; i < t->width; i++)
		if (!strcmp(t->head[t->order[i]], t->head[t->order[i - 1]])) {
			snprintf(why, len, "%s has the column '%.60s' twice", file, t->head[t->order[i]]);
			return -1;
		}
	if (!t->columns) {
		names = (const char **)t->head;
		t->n = (int)t->width;
	} else if ((t->n = split_names(t->columns, t->list, sizeof(t->list), t->picked, TSV_MAX_COLUMNS, why,
				       len)) <= 0) {
		return -1;
	}
	t->at = util_calloc((size_t)t->n + 1, sizeof(*t->at));
	for (int j = 0; j < t->n + t->wh->on; j++) {
		const char *c = j < t->n ? names[j] : t->wh->col;
		int pos = column_at(t->head, t->order, t->width, c);
		if (pos < 0) {
			snprintf(why, len, "%s has no column '%.60s'", file, c);
			return -1;
		}
		if (j < t->n)
			t->at[j] = pos;
		else
			t->wat = pos;
	}
	for (int j = 0; j < t->n; j++)
		tsv_value(t->out, names[j], "", j == 0);
	fputc('\n', t->out);
	return 0;
}

static int tsv_row(void *ctx, struct csv_in *in, const int *unused, const char *file, char *why, size_t len)
{
	struct tsv_scan *t = ctx;

	(void)unused, (void)file, (void)why, (void)len;
	if (t->wh->on && (strcmp(csv_get(in, (size_t)t->wat), t->wh->val) == 0) == t->wh->negate)
		return 0;
	for (int j = 0; j < t->n; j++)
		tsv_value(t->out, csv_get(in, (size_t)t->at[j]), t->empty, j == 0);
	fputc('\n', t->out);
	return 0;
}

static int tsv_file(const char *file, const char *columns, const struct where *wh, const char *empty, FILE *out,
		    char *why, size_t len)
{
	struct tsv_scan *t = util_calloc(1, sizeof(*t));
	size_t rows = 0;

	t->columns = columns;
	t->empty = empty;
	t->wh = wh;
	t->out = out;
	t->wat = -1;
	int rc = csv_table_scan(file, NULL, 0, 0, tsv_head, tsv_row, t, &rows, why, len);
	for (size_t i = 0; t->head && i < t->width; i++)
		free(t->head[i]);
	free(t->head);
	free(t->order);
	free(t->at);
	free(t);
	return rc;
}

int export_tsv(const char *path, const char *columns, const char *where, const char *empty, FILE *out, char *why,
	       size_t len)
{
	struct where wh;
	struct stat st;

	if (parse_where(where, &wh, why, len))
		return -1;
	if (stat(path, &st)) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return tsv_folder(path, columns, &wh, empty ? empty : "", out, why, len);
	return tsv_file(path, columns, &wh, empty ? empty : "", out, why, len);
}
