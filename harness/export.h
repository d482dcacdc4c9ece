/* SPDX-License-Identifier: MIT */
/*
 * export.h: a results folder in formats other tools read as they are.
 *
 *   google-benchmark  google/benchmark's JSON (--benchmark_format=json):
 *                     "context" (date, host_name, num_cpus, mhz_per_cpu,
 *                     cpu_scaling_enabled, caches, load_avg,
 *                     library_build_type, plus scbench_* keys) and
 *                     "benchmarks": per measured row one "iteration" entry
 *                     (real_time = cpu_time = the median ns per call,
 *                     time_unit "ns", iterations = calls timed, the counters
 *                     as user counters, icount as guest_instructions) and
 *                     one "median" aggregate. github-action-benchmark's
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

#endif
