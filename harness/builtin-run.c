/* SPDX-License-Identifier: MIT */
/* builtin-run.c: `scbench run`: check the request, tune, run (run.c),
 * print the table, write the results folder (results.c) and the exports.
 * Exit 0: done; 1: the run or its writing failed; 2: bad input. */
#define _GNU_SOURCE
#include "builtin.h"
#include "counters.h"
#include "disturb.h"
#include "export.h"
#include "report.h"
#include "results.h"
#include "tune.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* On a terminal only: the round and, once a second has passed, an
 * estimate of the time left. The first call (round 0) comes before any
 * probing, so the line shows from the start; the rate is the whole run's
 * so far, the processes' start-up included, so the estimate holds. */
static void progress(unsigned done, unsigned total)
{
	static struct timespec start;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!start.tv_sec)
		start = now;
	double spent = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
	double left = done && spent >= 1 ? spent / done * (total - done) : 0;
	fprintf(stderr, "\r\033[Kscbench: round %u/%u", done, total);
	if (left >= 1)
		fprintf(stderr, ", about %.0f s left", left);
	if (done == total)
		fprintf(stderr, "\r\033[K");
}

/* --runs that can't fit in memory, or would run past a day, is refused with
 * the estimate; past an hour it is said before starting. The time is a
 * floor (each sample times N and 2N calls of --target-us), the memory what
 * the samples need (ticks, ns, validity and the raw pair per row). */
#define RUN_BYTES_PER_SAMPLE 48.0
static int check_size(const struct cli *c, size_t rows)
{
	double samples = (double)c->opt.runs * (double)rows;
	double secs = samples * 3 * c->opt.target_us * 1e-6, bytes = samples * RUN_BYTES_PER_SAMPLE;
	double ram = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);

	if (ram > 0 && bytes > ram / 2) {
		util_error("--runs %u x %zu benchmarks needs about %.1f GB for the samples, "
			"over half this machine's %.1f GB; use fewer runs or --filter", c->opt.runs, rows,
			bytes / 1e9, ram / 1e9);
		return -1;
	}
	if (secs > 24 * 3600) {
		util_error("--runs %u x %zu benchmarks would take at least %.0f h; "
			"use fewer runs or --filter", c->opt.runs, rows, secs / 3600);
		return -1;
	}
	if (secs > 3600)
		util_error("warning: --runs %u x %zu benchmarks will take at least %.1f h",
			c->opt.runs, rows, secs / 3600);
	return 0;
}

int cmd_run(struct cli *c)
{
	struct run r;
	struct counter_set cs;
	char why[256], final[PATH_MAX];
	size_t selected = 0, failed = 0;

	for (size_t i = 0; i < registry_count; i++)
		selected += row_selected(&registry[i], c->opt.filter);
	if (!selected) {
		util_error("--filter '%s' selects no benchmark", c->filter_src);
		return 2;
	}
	if (check_size(c, selected))
		return 2;
	if (counters_define(&cs, c->events, why, sizeof(why))) {
		util_error("%s", why);
		return 2;
	}
	if (c->json && builtin_check_export_path(c->json, why, sizeof(why))) {
		util_error("%s", why);
		return 2;
	}
	if (results_check_writable(c->out, why, sizeof(why))) {
		util_error("%s", why);
		return 2;
	}
	char tuned[1024] = "";
	/* a table piped into `head` must not kill the run before its results
	 * are written: a closed pipe becomes a write error below */
	signal(SIGPIPE, SIG_IGN);
	/* a dead --tune run's settings are put back by the next run; a state
	 * that is not provably ours is said and left alone (another user's
	 * folder is none of this run's business) */
	if (!c->tune) {
		enum tune_recovery rec = tune_recover(tuned, sizeof(tuned));
		if (rec == TUNE_RESTORED)
			util_error("%s", tuned);
		else if (rec == TUNE_REFUSED || rec == TUNE_FAILED)
			util_error("warning: %s", tuned);
	}
	tuned[0] = '\0';
	if (c->tune && tune_apply(tuned, sizeof(tuned), why, sizeof(why))) {
		util_error("%s", why);
		return 2;
	}
	if (c->tune)
		util_error("--tune: %s", tuned);
	if (isatty(STDERR_FILENO) && !c->quiet)
		c->opt.progress = progress;
	if (run_execute(&r, &c->opt, &cs, why, sizeof(why))) {
		util_error("%s", why);
		return 1;
	}
	env_set(&r.env, "tune", "%s", c->tune ? tuned : "off");
	if (c->opt.icount)
		env_set(&r.env, "clock", "icount: the TSC counts guest instructions (QEMU -icount "
			"shift=0); per-call ticks are instructions, not time");
	if (!c->quiet)
		util_error("pinned to CPU %d; %u rounds of %zu benchmarks in %.1f s",
			r.opt.cpu, r.opt.runs, r.n, r.seconds);
	if (c->verbose) {
		static const char *const keys[] = { "virtualization", "kernel_release", "clocksource",
						    "tsc_ghz", "disturbance_before", "disturbance_after" };
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (env_get(&r.env, keys[i]))
				util_error("%s: %s", keys[i], env_get(&r.env, keys[i]));
	}
	if (r.opt.counter_runs && !c->quiet) {
		/* say what was counted, from what really opened: never more */
		char counted[1024], missing[1024];
		counters_counted(&r.counters, counted, sizeof(counted));
		counters_reasons(&r.counters, missing, sizeof(missing));
		if (!counted[0])
			util_error("nothing was counted (%s)", missing);
		else if (missing[0])
			util_error("counted %s; not in full: %s", counted, missing);
	}
	int table_lost = 0;
	/* --json -: standard output carries the JSON and nothing else (as
	 * google/benchmark and hyperfine do), so the table goes to stderr */
	int json_stdout = c->json && !strcmp(c->json, "-");
	FILE *tf = json_stdout ? stderr : stdout;
	if (c->table) {
		report_table(tf, &r);
		if (fflush(tf) != 0 || ferror(tf))
			table_lost = errno ? errno : EIO;
	}
	size_t noisy = 0;
	for (size_t i = 0; i < r.n; i++) {
		failed += r.res[i].status == STATUS_ERROR;
		noisy += r.res[i].status == STATUS_NOISY;
	}
	char advice[2300];
	disturb_advice(&r.env, advice, sizeof(advice));
	if (advice[0])
		util_error("warning: %s", advice);
	if (noisy)
		util_error("warning: %zu benchmark(s) lost over %.0f%% of their samples "
			"and are marked noisy; run again on a quieter machine (or with --tune)",
			noisy, 100 * RUN_NOISY_FRACTION);
	if (failed)
		util_error("warning: %zu benchmark(s) gave wrong results or crashed; "
			"see the reason column", failed);
	if (results_write(c->out, &r, final, sizeof(final), why, sizeof(why))) {
		util_error("%s", why);
		run_free(&r);
		return 1;
	}
	if (!c->quiet)
		util_error("results in %s (plots and report: scbench plots %s)", final, final);
	run_free(&r);
	if (c->json && builtin_write_export(final, EXPORT_GOOGLE_BENCHMARK, c->json))
		return 1;
	if (table_lost) {
		util_error("the table could not be written to standard %s: %s",
			json_stdout ? "error" : "output", strerror(table_lost));
		return 1;
	}
	return 0;
}

