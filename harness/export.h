/* SPDX-License-Identifier: MIT */
/*
 * export.h: a results folder in formats other tools read as they are.
 *
 *   google-benchmark  google/benchmark's JSON (--benchmark_format=json):
 *                     "context" (date, host_name, num_cpus, mhz_per_cpu,
 *                     cpu_scaling_enabled, caches, load_avg,
 *                     library_build_type, plus scbench_* keys) and
 *                     "benchmarks": per measured row what google/benchmark
 *                     writes with --benchmark_repetitions: an "iteration"
 *                     entry per fresh process (real_time = cpu_time = its
 *                     median ns per call, time_unit "ns") and the mean,
 *                     median, stddev and cv aggregates (the counters on the
 *                     median); one entry for a run of one process; an
 *                     icount run's entries carry "instructions" and no
 *                     time. github-action-benchmark's
 *                     `tool: googlecpp` and Bencher's google_benchmark
 *                     adapter read it.
 *   bencher           Bencher Metric Format: { name: { "latency": {value,
 *                     lower_value, upper_value} in ns, "instructions":
 *                     {value} for icount runs } }.
 * Rows that did not run are left out (the context lists how many).
 */
#ifndef SCB_EXPORT_H
#define SCB_EXPORT_H

#include <stddef.h>
#include <stdio.h>

enum export_format { EXPORT_GOOGLE_BENCHMARK = 1, EXPORT_BENCHER = 2 };

/* "google-benchmark" or "bencher" -> the format; 0 for anything else. */
int export_format_of(const char *name);

/* Write the results folder dir in format fmt to out. 0, or -1 with a
 * one-line reason (missing or malformed summary.csv). */
int export_write(const char *dir, int fmt, FILE *out, char *why, size_t len);

/* The same into path ("-": stdout), written beside it and renamed into
 * place; 0, or 1 with a one-line message on stderr. */
int export_to_path(const char *dir, int fmt, const char *path);

/* Before measuring: whether export_to_path can create path (its folder
 * takes a new file; path is not a folder). 0, or -1 with why. */
int export_check_path(const char *path, char *why, size_t len);

/* A tab-separated view with a header line, for scripts and gnuplot, which
 * then never parse CSV (`scbench export --format tsv`). path: a results
 * folder: its rows through the results model, the fields by the record's
 * names (results.h: results_field; "name" is abi/mechanism/syscall,
 * "unit" what the figures count), as summary.csv writes them; a CSV file
 * (a lane's table, compare's CSV, or a folder's own file where its
 * columns themselves are wanted, as the tests check them): its columns by
 * the header's names, through the same reader. columns: "a,b,c" (NULL: all); where:
 * "COL=VAL" or "COL!=VAL" keeps only those rows (NULL: all); empty: what
 * an empty field prints as (NULL: nothing). Tabs and line breaks inside a
 * field become spaces. 0, or -1 with why (nothing written: an unknown
 * column is found before any line). */
int export_tsv(const char *path, const char *columns, const char *where, const char *empty, FILE *out,
	       char *why, size_t len);

#endif
