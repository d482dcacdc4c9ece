/* SPDX-License-Identifier: MIT */
/* results.h: the results model and the results folder.
 *
 * The model: what a run's tables hold, as records (struct results_row, one
 * summary.csv row's statistics; struct results_sample, one samples.csv
 * round; a process's median from processes.csv; env.csv's keys), written
 * and read here alone. The column names and formats of every table live
 * in results.c, nowhere else: compare, export, the plots' data, the report
 * and the history read records through results_read_* or results_load and
 * never name a column. A new column is one line there.
 *
 * The folder: DIR/<host>-<UTC time>/ with summary.csv, samples.csv,
 * processes.csv and env.csv, and DIR/latest pointing at the newest, all
 * written here, as is DIR/history.csv (results_history_append). What else
 * writes under DIR, each by rename of a file or folder of its own: a
 * run's plots/ (plots.c) and report.md/.html (page.c), and make
 * ci-bench's move of a run into DIR and its baseline/ (scripts/ci). Their
 * temporary names in DIR (.tmp-*-PID, .old-plots-*) are the ones the
 * stale-entry sweep below removes when their writer is gone. */
#ifndef SCB_RESULTS_H
#define SCB_RESULTS_H

#include "env.h"
#include "version.h"

#include <stddef.h>
#include <stdio.h>

struct run;

#define RESULTS_SCHEMA 1
/* counters.h's COUNTERS_MAX: the most counter columns a summary has */
#define RESULTS_MAX_COUNTERS 40

/* ---- the model ---------------------------------------------------------- */

/* One summary.csv row. Numbers are NaN where the field is empty (a row that
 * did not run has no median; a run without a reference row, no ratio);
 * texts are "" there. Counts (samples, blocks, ...) are whole numbers. */
struct results_row {
	char name[128];			/* abi/mechanism/syscall */
	char abi[16], mechanism[64], syscall[64];
	char status[16];		/* ok, noisy, unsupported, error, ... */
	char reason[512];
	char levels[64];		/* "63.100 | 69.000": two levels of process medians */
	char detail[256];
	char loop[128];			/* the asm loop's symbol (k_*) */
	char description[256];
	char counters_reason[1024];
	/* per call: ns (TSC ticks at the calibrated rate), or in an icount
	 * run guest instructions (the clock is the instruction counter) */
	double median, lo, hi;		/* lo, hi: the 95 % repeat interval */
	double min, p90, p99, mad, mean;
	double ticks_median, ticks_min;
	double ratio, ratio_lo, ratio_hi;	/* to the reference row */
	double samples, calls;		/* rounds taken; calls per half-sample (N) */
	double rejected, rejected_nonpositive, rejected_outliers;
	double blocks, processes;
	double icount;			/* guest instructions per call (icount runs) */
	double count[RESULTS_MAX_COUNTERS];	/* [results_counters.n]: per-call counts */
	size_t line;			/* its first line in the file */
};

/* The counter columns a summary.csv carries (counters.c names them), in
 * its order: count[i] of each row is column name[i]. */
struct results_counters {
	size_t n;
	char name[RESULTS_MAX_COUNTERS][64];
};

/* One samples.csv line: one round of one row. Whole numbers are kept as
 * doubles (exact below 2^53, which the reader insists on). */
struct results_sample {
	char name[128];			/* abi/mechanism/syscall */
	double round;
	double process;			/* 0 where the file has no process column */
	double calls, ticks_n, ticks_2n, ticks, ns;
	double valid;			/* 0: the run rejected it (outlier, <= 0); NaN: not said */
	size_t line;
};

/* One processes.csv line: a row's median in one fresh process. */
struct results_process {
	char name[128];
	double process;
	double median;			/* ns per call */
	double ratio;			/* paired ratio to the reference; NaN: none */
	size_t line;
};

/* The most processes and rounds a table may name. */
#define RESULTS_MAX_PROCESSES 1000
#define RESULTS_ROUND_MAX 4294967294.0

/* Read one table, a record at a time: fn gets each (0 to go on, or -1 with
 * why). Every field is checked as its column wants it (a number where one
 * is due, a whole number for a count); a bad one is refused naming the
 * file, line and column. 0, or -1 with a one-line reason. */
typedef int (*results_row_fn)(void *ctx, const struct results_row *row, const char *file, char *why,
			      size_t len);
typedef int (*results_sample_fn)(void *ctx, const struct results_sample *s, const char *file, char *why,
				 size_t len);
typedef int (*results_process_fn)(void *ctx, const struct results_process *p, const char *file,
				  char *why, size_t len);
int results_read_summary(const char *file, struct results_counters *counters, results_row_fn fn,
			 void *ctx, size_t *rows, char *why, size_t len);
int results_read_samples(const char *file, results_sample_fn fn, void *ctx, size_t *rows, char *why,
			 size_t len);
int results_read_processes(const char *file, results_process_fn fn, void *ctx, size_t *rows, char *why,
			   size_t len);
/* env.csv into e (a key given twice: its first value). */
int results_read_env(const char *file, struct env *e, char *why, size_t len);

/* A whole folder in memory: summary.csv's rows (required), env.csv (where
 * readable) and each row's process medians from processes.csv (where the
 * run has one). */
struct results {
	char dir[4096];
	struct results_row *row;
	size_t n, cap;
	struct results_counters counters;
	struct env env;
	int has_env;
	int icount;			/* env clock says icount: figures are guest instructions */
	/* processes.csv, indexed like row: the medians of row i's processes */
	double **pmed, **pratio;
	size_t *np;
};

int results_load(struct results *m, const char *dir, char *why, size_t len);

/* One history.csv line (make ci-bench appends each run's measured rows):
 * when, which run and commit, on which machine, and the row's figures. */
struct results_history {
	char time_utc[64];
	char run[1024];
	char commit[256];
	char fingerprint[32];		/* cksum of cpu model|microcode|kernel|cmdline */
	char host[1024];
	char abi[64], mechanism[64], syscall[64];
	char name[200];			/* abi/mechanism/syscall */
	double median, lo, hi, ratio;	/* ns per call; ratio NaN: none */
	size_t line;
};
typedef int (*results_history_fn)(void *ctx, const struct results_history *h, const char *file, char *why,
				  size_t len);
int results_read_history(const char *file, results_history_fn fn, void *ctx, size_t *rows, char *why,
			 size_t len);
/* Append the run in dir (its env.csv and measured rows) to the history
 * file hist: the whole file rewritten into a new file beside it and
 * renamed into place, under an flock on hist's folder (concurrent
 * appends go one after the other), the lines already there passing
 * through field for field as they were (checked, never reformatted);
 * max_runs > 0 keeps only the newest max_runs runs (by the order
 * appended). run is the run's name there. A hist that is a link or not a
 * regular file, and a run without a readable env.csv, are refused. 0, or
 * -1 with why (nothing changed). */
int results_history_append(const char *hist, const char *dir, const char *run, unsigned long max_runs,
			   char *why, size_t len);
void results_free(struct results *m);
/* A row's field as text, as summary.csv writes it ("" where empty), by the
 * record's field name (median, lo, hi, ratio, levels, icount, status, ...),
 * "name" (abi/mechanism/syscall), "unit" ("ns", or "guest instructions"
 * in an icount run) or a counter column's name: what `scbench export
 * --format tsv` prints, so scripts and gnuplot read prepared columns, not
 * summary.csv. 0, or -1 for a name that is none of these. */
int results_field(const struct results *m, const struct results_row *row, const char *field, char *buf,
		  size_t len);
/* The names results_field takes, in summary.csv's order (i = 0, 1, ...;
 * NULL past the last). */
const char *results_field_name(const struct results *m, size_t i);
/* The row called name, or NULL. */
const struct results_row *results_find(const struct results *m, const char *name);
/* The row's value of counter column name; NaN where it has none. */
double results_count(const struct results *m, const struct results_row *row, const char *name);

/* Write a run's tables (results_write uses these; the worker's and tests'
 * callers too). */
void results_summary_csv(FILE *f, const struct run *r);
void results_samples_csv(FILE *f, const struct run *r);
/* Each row's median in each fresh process (and its paired ratio to the
 * reference there): the two-level model's upper units, which the exports
 * carry as repetitions. */
void results_processes_csv(FILE *f, const struct run *r);
void results_env_csv(FILE *f, const struct env *e);

/* ---- the folder ---------------------------------------------------------- */

/* Every results folder scbench writes holds this file, one line naming
 * scbench and its version, written before anything else: cleanup (make
 * distclean, ci-bench, the stale-entry sweep below) removes only folders
 * that carry it. */
#define RESULTS_MARKER ".scbench-results"
#define RESULTS_MARKER_LINE "scbench " SCB_VERSION " results folder"

/* Before measuring: prove root (created with its parents when missing)
 * can take a new folder. On success root stays (the run writes there, and
 * a concurrent run may use it already); on failure the folders this call
 * made are taken back. 0, or -1 with a one-line message in why. */
int results_check_writable(const char *root, char *why, size_t wlen);

/* Remove what interrupted writers left in root: hidden .tmp-*, .latest-*,
 * .scbench-probe-* and .tmp-ci-* entries of our euid (folders: writable by
 * nobody else, and a .tmp-* one holding RESULTS_MARKER) whose writer (the
 * PID in the name: after its last '-', ended by the name's end or a '.')
 * is gone, or that are older than RESULTS_STALE_S (a writer holds one for
 * the milliseconds it takes to write three CSVs; ci-bench's for one run).
 * Only in a root of our euid that no one else can write (or a sticky one):
 * otherwise one warning and nothing removed. Removal goes by descriptor
 * (openat/unlinkat, O_NOFOLLOW at each level): a link is never followed.
 * Returns how many were removed. */
#define RESULTS_STALE_S (24 * 3600)
int results_clean_stale(const char *root);

/* Write the run into a hidden folder (mkdtemp's .tmp-HOST-STAMP-PID.XXXXXX,
 * so nothing planted in a shared root can take its name), rename it into
 * place, point latest at it: a reader never sees half a result. final gets
 * the folder's path.
 * 0, or -1 with a one-line message in why (nothing left behind). */
int results_write(const char *root, const struct run *r, char *final, size_t flen,
		  char *why, size_t wlen);

#endif
