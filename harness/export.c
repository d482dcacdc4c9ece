/* SPDX-License-Identifier: MIT */
/* export.c: see export.h. Reads the folder's summary.csv and env.csv with
 * the project's CSV reader, so it exports exactly what was written. */
#define _GNU_SOURCE
#include "export.h"
#include "csv.h"
#include "report.h"
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

/* summary.csv columns exported as google-benchmark user counters, when the
 * run has them (empty fields are left out). */
static const char *const counter_columns[] = {
	"syscalls_per_call", "page_faults", "context_switches", "task_clock_ns", "cycles_user",
	"cycles_kernel", "instructions_user", "instructions_kernel", "branch_misses_user",
	"branch_misses_kernel", "ratio_to_ref", "ns_ci_lo", "ns_ci_hi", "ns_min", "ns_p90",
};
#define NCOUNTERS (sizeof(counter_columns) / sizeof(counter_columns[0]))

static int whole(double v)
{
	return v >= 0 && v <= 9007199254740992.0 && v == floor(v);
}

/* env.csv's keys the context shows, first value of each */
struct env_pick {
	const char *const *keys;
	size_t n;
	char **vals;
};

static int env_row(void *ctx, struct csv_in *in, const int *at, const char *file, char *why, size_t len)
{
	struct env_pick *e = ctx;

	(void)file, (void)why, (void)len;
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(csv_get(in, (size_t)at[1]), e->keys[i]) && !e->vals[i])
			e->vals[i] = strdup(csv_get(in, (size_t)at[2]));
	return 0;
}

/* env.csv as a small key/value list for the context. 0, or -1 with why
 * when a number it carries would not be a JSON number (tsc_ghz=1e306 is
 * finite, its MHz are not); nothing is written then. A folder without a
 * readable env.csv exports with an empty context. */
static int context(FILE *out, const char *dir, size_t skipped, char *why, size_t len)
{
	static const char *const keys[] = { "time_utc", "hostname", "cpu_model", "kernel_release",
					    "virtualization", "tsc_ghz", "governor", "scbench_version",
					    "git_commit", "clock", "vm_time_utc" };
	static const char *const names[] = { "schema", "key", "value" };
	char *vals[sizeof(keys) / sizeof(keys[0])] = { 0 };
	struct env_pick pick = { keys, sizeof(keys) / sizeof(keys[0]), vals };
	char err[300], path[4200];
	size_t rows = 0;

	snprintf(path, sizeof(path), "%s/env.csv", dir);
	/* what it could read: a missing or damaged env.csv costs the context
	 * its keys, not the export */
	csv_table_load(path, names, 3, 3, env_row, &pick, &rows, err, sizeof(err));
	double ghz = 0;
	if (vals[5] && csv_number(vals[5], &ghz) == 0 && !isfinite(ghz * 1000)) {
		snprintf(why, len, "%s/env.csv: tsc_ghz '%.40s' is out of range (its MHz are not a finite number)",
			 dir, vals[5]);
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			free(vals[i]);
		return -1;
	}
	/* a QEMU guest's clock is fixed (-rtc base, for repeatable counts):
	 * the date is the host's, which the lane records */
	fputs("  \"context\": {\n    \"date\": ", out);
	report_json_string(out, vals[10] ? vals[10] : vals[0] ? vals[0] : "");
	fputs(",\n    \"host_name\": ", out);
	report_json_string(out, vals[1] ? vals[1] : "");
	fputs(",\n    \"executable\": \"scbench\",\n", out);
	fprintf(out, "    \"num_cpus\": %ld,\n    \"mhz_per_cpu\": %.0f,\n", sysconf(_SC_NPROCESSORS_ONLN), ghz * 1000);
	/* scaling is on when a governor other than performance is in charge
	 * (a VM's "unreadable" or "n/a": no cpufreq, nothing scales here) */
	int scaling = vals[6] && strcmp(vals[6], "performance") && strcmp(vals[6], "unreadable") &&
		      strncmp(vals[6], "n/a", 3);
	fprintf(out, "    \"cpu_scaling_enabled\": %s,\n", scaling ? "true" : "false");
	fputs("    \"caches\": [],\n    \"load_avg\": [],\n    \"library_build_type\": \"release\",\n", out);
	static const char *const json_names[] = { NULL, NULL, "scbench_cpu_model", "scbench_kernel_release",
					     "scbench_virtualization", NULL, NULL, "scbench_version",
					     "scbench_git_commit", "scbench_clock", NULL };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!json_names[i] || !vals[i])
			continue;
		fprintf(out, "    \"%s\": ", json_names[i]);
		report_json_string(out, vals[i]);
		fputs(",\n", out);
	}
	fprintf(out, "    \"scbench_rows_not_measured\": %zu\n  },\n", skipped);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		free(vals[i]);
	return 0;
}

struct row {
	char name[128];
	double ns, lo, hi, samples, calls, icount, c[NCOUNTERS];
	int has_icount, has[NCOUNTERS];
	double *rep;			/* its processes' medians (processes.csv) */
	size_t nrep;
};

static void free_rows(struct row *rows, size_t n)
{
	for (size_t k = 0; rows && k < n; k++)
		free(rows[k].rep);
	free(rows);
}

/* processes.csv, where the run has one: each row's median in each fresh
 * process, the repetitions of the export. A folder without it (a run of
 * one process, or one written before processes) exports one entry per
 * row; one that does not read is refused, with why. */
struct rep_read {
	struct row *rows;
	size_t n;
};

static int rep_row(void *ctx, struct csv_in *in, const int *at, const char *file, char *why, size_t len)
{
	struct rep_read *rr = ctx;
	char name[128];
	double v;

	if (csv_number(csv_get(in, (size_t)at[4]), &v)) {
		snprintf(why, len, "%s:%lu: ns_median '%.40s' is not a finite number", file, in->row_line,
			 csv_get(in, (size_t)at[4]));
		return -1;
	}
	snprintf(name, sizeof(name), "%s/%s/%s", csv_get(in, (size_t)at[1]), csv_get(in, (size_t)at[2]),
		 csv_get(in, (size_t)at[3]));
	for (size_t k = 0; k < rr->n; k++)
		if (!strcmp(rr->rows[k].name, name)) {
			rr->rows[k].rep = util_realloc(rr->rows[k].rep, (rr->rows[k].nrep + 1) * sizeof(double));
			rr->rows[k].rep[rr->rows[k].nrep++] = v;
			break;
		}
	return 0;
}

static int load_repetitions(const char *dir, struct row *rows, size_t n, char *why, size_t len)
{
	static const char *const names[] = { "schema", "abi", "mechanism", "syscall", "ns_median" };
	struct rep_read rr = { rows, n };
	char path[4200];
	size_t nrows = 0;

	snprintf(path, sizeof(path), "%s/processes.csv", dir);
	if (access(path, F_OK))
		return 0;
	return csv_table_load(path, names, 5, 5, rep_row, &rr, &nrows, why, len);
}

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
	report_json_string(out, name);
	fprintf(out, ",\n      \"family_index\": %zu,\n      \"per_family_instance_index\": 0,\n"
		"      \"run_name\": ", family);
	report_json_string(out, r->name);
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
			if (r->has[i] && !(icount_run && !strncmp(counter_columns[i], "ns_", 3)))
				fprintf(out, ",\n      \"%s\": %.6g", counter_columns[i], r->c[i]);
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

/* summary.csv's rows, the ones measured: into memory first, the context
 * needs the count of the others */
enum { S_SCHEMA, S_ABI, S_MECH, S_SYSCALL, S_STATUS, S_SAMPLES, S_CALLS, S_NS, S_LO, S_HI, S_ICOUNT, S_COUNTERS };
struct summary_read {
	struct row *rows;
	size_t n, cap, skipped;
};

static int summary_row(void *ctx, struct csv_in *in, const int *at, const char *file, char *why, size_t len)
{
	struct summary_read *sr = ctx;
	const char *st = csv_get(in, (size_t)at[S_STATUS]);

	if (strcmp(st, "ok") && strcmp(st, "noisy")) {
		sr->skipped++;
		return 0;
	}
	if (sr->n == sr->cap) {
		sr->cap = sr->cap ? 2 * sr->cap : 32;
		sr->rows = util_realloc(sr->rows, sr->cap * sizeof(*sr->rows));
	}
	struct row *r = &sr->rows[sr->n];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s/%s/%s", csv_get(in, (size_t)at[S_ABI]),
		 csv_get(in, (size_t)at[S_MECH]), csv_get(in, (size_t)at[S_SYSCALL]));
	if (csv_number(csv_get(in, (size_t)at[S_NS]), &r->ns) || csv_number(csv_get(in, (size_t)at[S_SAMPLES]), &r->samples) ||
	    csv_number(csv_get(in, (size_t)at[S_CALLS]), &r->calls)) {
		snprintf(why, len, "%s:%lu: %s: ns_median, samples or calls_per_sample is not a number", file,
			 in->row_line, r->name);
		return -1;
	}
	if (csv_number(csv_get(in, (size_t)at[S_LO]), &r->lo) || csv_number(csv_get(in, (size_t)at[S_HI]), &r->hi))
		r->lo = r->hi = r->ns;
	/* each sample timed N and 2N calls: 3N calls per sample. Both are
	 * counts: whole and below 2^53 (exact in a double), so their product
	 * is never past DBL_MAX (1e300 x 1e10: no JSON number) */
	if (!whole(r->samples) || !whole(r->calls)) {
		snprintf(why, len, "%s:%lu: %s: samples or calls_per_sample is not a count "
			 "(a whole number below 2^53)", file, in->row_line, r->name);
		return -1;
	}
	r->has_icount = at[S_ICOUNT] >= 0 && csv_number(csv_get(in, (size_t)at[S_ICOUNT]), &r->icount) == 0;
	for (size_t i = 0; i < NCOUNTERS; i++)
		r->has[i] = at[S_COUNTERS + i] >= 0 &&
			    csv_number(csv_get(in, (size_t)at[S_COUNTERS + i]), &r->c[i]) == 0;
	sr->n++;
	return 0;
}

int export_write(const char *dir, int fmt, FILE *out, char *why, size_t len)
{
	const char *names[S_COUNTERS + NCOUNTERS] = { "schema", "abi", "mechanism", "syscall", "status",
						     "samples", "calls_per_sample", "ns_median", "ns_ci_lo",
						     "ns_ci_hi", "icount" };
	struct summary_read sr = { 0 };
	char path[4200];
	size_t nrows = 0;

	for (size_t i = 0; i < NCOUNTERS; i++)
		names[S_COUNTERS + i] = counter_columns[i];
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	if (csv_table_load(path, names, S_COUNTERS + NCOUNTERS, S_ICOUNT, summary_row, &sr, &nrows, why, len)) {
		free_rows(sr.rows, sr.n);
		return -1;
	}
	struct row *rows = sr.rows;
	size_t n = sr.n, skipped = sr.skipped;

	if (load_repetitions(dir, rows, n, why, len)) {
		free_rows(rows, n);
		return -1;
	}
	int icount_run = 0;
	for (size_t k = 0; k < n; k++)
		icount_run |= rows[k].has_icount;

	if (fmt == EXPORT_BENCHER) {
		/* an icount run's per-call figure is instructions, which Bencher
		 * keeps apart from latency (time) */
		fputs("{\n", out);
		for (size_t k = 0; k < n; k++) {
			const struct row *r = &rows[k];
			fputs("  ", out);
			report_json_string(out, r->name);
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
		if (!mem || context(mem, dir, skipped, why, len) | fclose(mem)) {
			free(ctx);
			free_rows(rows, n);
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
	free_rows(rows, n);
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
