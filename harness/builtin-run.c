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
static int check_size(const struct run_options *o, size_t rows)
{
	double samples = (double)o->runs * (double)rows;
	double secs = samples * 3 * o->target_us * 1e-6, bytes = samples * RUN_BYTES_PER_SAMPLE;
	double ram = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);

	if (ram > 0 && bytes > ram / 2) {
		util_error("--runs %u x %zu benchmarks needs about %.1f GB for the samples, "
			"over half this machine's %.1f GB; use fewer runs or --filter", o->runs, rows,
			bytes / 1e9, ram / 1e9);
		return -1;
	}
	if (secs > 24 * 3600) {
		util_error("--runs %u x %zu benchmarks would take at least %.0f h; "
			"use fewer runs or --filter", o->runs, rows, secs / 3600);
		return -1;
	}
	if (secs > 3600)
		util_error("warning: --runs %u x %zu benchmarks will take at least %.1f h",
			o->runs, rows, secs / 3600);
	return 0;
}

enum { O_CPU, O_RUNS, O_WARMUP, O_PROCESSES, O_QUICK, O_TARGET, O_FILTER, O_OUT, O_JSON, O_EVENTS,
       O_COUNTER_RUNS, O_TUNE, O_ICOUNT, O_NO_TABLE, O_QUIET, O_VERBOSE };

static const struct opt run_opts[] = {
	{ "cpu", 0, "N", "pin to CPU N (default: the highest CPU this process may use)", O_CPU },
	{ "runs", 0, "N", "measured rounds = samples per benchmark (default 2000)", O_RUNS },
	{ "warmup", 0, "N", "rounds measured and thrown away first (default 50)", O_WARMUP },
	{ "processes", 0, "N", "fresh processes the rounds are shared between, one after\n"
	  "the other (default 10; --icount: 1): the interval then holds\n"
	  "what changes from process to process too", O_PROCESSES },
	{ "quick", 0, NULL, "--runs 200 --warmup 20 --target-us 50 --counter-runs 30", O_QUICK },
	{ "target-us", 0, "N", "how long the N calls of one sample should take (default 100)", O_TARGET },
	{ "filter", 0, "RE", "only benchmarks whose abi/mechanism/syscall matches the POSIX\n"
	  "extended regular expression RE, e.g. 'vdso|syscall/getppid'", O_FILTER },
	{ "out", 'o', "DIR", "results root (default: results)", O_OUT },
	{ "json", 0, "FILE", "also write the run as google-benchmark JSON (- for stdout,\n"
	  "which then holds only the JSON: the table goes to stderr)", O_JSON },
	{ "events", 0, "LIST", "count these events too (comma-separated libpfm4 or perf names,\n"
	  ":u or :k for one privilege level), e.g. cache-misses,ref-cycles", O_EVENTS },
	{ "counter-runs", 0, "N", "counting samples per benchmark after the timing rounds\n"
	  "(default 100, --quick 30; 0 switches counting off)", O_COUNTER_RUNS },
	{ "tune", 0, NULL, "(root) performance governor and turbo off for the run; every\n"
	  "setting is restored at exit, on error and on any catchable\n"
	  "signal, and by the next run after a SIGKILL", O_TUNE },
	{ "icount", 0, NULL, "the TSC counts guest instructions (a QEMU guest run with\n"
	  "-icount shift=0, as make bench-icount does): report\n"
	  "instructions per call in the icount column, not ns", O_ICOUNT },
	{ "no-table", 0, NULL, "do not print the table at the end", O_NO_TABLE },
	{ "quiet", 'q', NULL, "only warnings and errors on stderr", O_QUIET },
	{ "verbose", 'v', NULL, "more: the machine facts that matter most", O_VERBOSE },
};

const struct command run_command = {
	"run", "[OPTIONS]", "measure, print a table, write DIR/<host>-<UTC time>/ and DIR/latest",
	"Measures every benchmark (scbench list), prints a table and writes the results\n"
	"folder. Each sample times N calls and 2N calls and keeps the difference;\n"
	"rounds interleave the benchmarks, in fresh processes. Times are TSC ticks\n"
	"converted to ns; see README.md.\n",
	run_opts, sizeof(run_opts) / sizeof(run_opts[0]), 0, 0,
};

struct run_args {
	struct run_options opt;
	const char *out, *json, *events, *filter_src;
	regex_t filter;
	int table, quiet, verbose, tune, quick, procs_set;
	int runs_set, warmup_set, target_set, counter_runs_set;
};

static void run_option(void *ctx, int id, const char *v)
{
	struct run_args *c = ctx;
	const char *me = "run";

	switch (id) {
	case O_CPU: c->opt.cpu = options_cpu(me, v); break;
	case O_RUNS: c->opt.runs = options_uint(me, "--runs", v, 10, 10000000); c->runs_set = 1; break;
	case O_WARMUP: c->opt.warmup = options_uint(me, "--warmup", v, 0, 1000000); c->warmup_set = 1; break;
	case O_PROCESSES:
		c->opt.processes = options_uint(me, "--processes", v, 1, RUN_MAX_PROCESSES);
		c->procs_set = 1;
		break;
	case O_QUICK: c->quick = 1; break;
	case O_TARGET:
		c->opt.target_us = options_uint(me, "--target-us", v, 1, 1000000);
		c->target_set = 1;
		break;
	case O_FILTER: c->filter_src = v; break;
	case O_OUT:
		if (!*v)
			options_error(me, "--out wants a folder");
		if (strlen(v) > 1024)
			options_error(me, "--out: path too long (over 1024 characters)");
		c->out = v;
		break;
	case O_JSON: c->json = v; break;
	case O_EVENTS: c->events = v; break;
	case O_COUNTER_RUNS:
		c->opt.counter_runs = options_uint(me, "--counter-runs", v, 0, 1000000);
		c->counter_runs_set = 1;
		break;
	case O_TUNE: c->tune = 1; break;
	case O_ICOUNT: c->opt.icount = 1; break;
	case O_NO_TABLE: c->table = 0; break;
	case O_QUIET: c->quiet = 1; break;
	case O_VERBOSE: c->verbose = 1; break;
	}
}

static void run_parse(struct run_args *c, int argc, char **argv)
{
	const char *operands[1];
	int nops;

	memset(c, 0, sizeof(*c));
	c->opt.cpu = -1;
	c->opt.runs = RUN_DEFAULT_RUNS;
	c->opt.warmup = RUN_DEFAULT_WARMUP;
	c->opt.target_us = RUN_DEFAULT_TARGET_US;
	c->opt.counter_runs = RUN_DEFAULT_COUNTER_RUNS;
	c->out = "results";
	c->table = 1;
	options_parse(&run_command, argc, argv, run_option, c, operands, &nops);
	if (c->quick) {
		if (!c->runs_set)
			c->opt.runs = RUN_QUICK_RUNS;
		if (!c->warmup_set)
			c->opt.warmup = RUN_QUICK_WARMUP;
		if (!c->target_set)
			c->opt.target_us = RUN_QUICK_TARGET_US;
		if (!c->counter_runs_set)
			c->opt.counter_runs = RUN_QUICK_COUNTER_RUNS;
	}
	/* instruction counts don't change between processes the way time does,
	 * and the count gate wants them from one, as they always were */
	if (!c->procs_set)
		c->opt.processes = c->opt.icount ? 1 : RUN_DEFAULT_PROCESSES;
	if (c->opt.processes > c->opt.runs)
		options_error("run", "--processes %u is more than the %u rounds (--runs) to share between them",
			      c->opt.processes, c->opt.runs);
	if (c->filter_src) {
		options_regex("run", "--filter", c->filter_src, &c->filter);
		c->opt.filter = &c->filter;
		c->opt.filter_src = c->filter_src;
	}
}

static int run_main(struct run_args *c);

int cmd_run(int argc, char **argv)
{
	struct run_args args, *c = &args;
	int rc;

	run_parse(c, argc, argv);
	rc = run_main(c);
	if (c->filter_src)
		regfree(&c->filter);
	return rc;
}

static int run_main(struct run_args *c)
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
	if (check_size(&c->opt, selected))
		return 2;
	if (counters_define(&cs, c->events, why, sizeof(why))) {
		util_error("%s", why);
		return 2;
	}
	if (c->json && export_check_path(c->json, why, sizeof(why))) {
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
	if (env_get(&r.env, "process_failed"))
		util_error("warning: a measuring process failed, its rounds are left out: %s",
			   env_get(&r.env, "process_failed"));
	if (results_write(c->out, &r, final, sizeof(final), why, sizeof(why))) {
		util_error("%s", why);
		run_free(&r);
		return 1;
	}
	if (!c->quiet)
		util_error("results in %s (plots and report: scbench plots %s)", final, final);
	/* a run that measured nothing because everything failed has failed
	 * (rows this machine can't run are not failures) */
	int all_failed = failed == r.n;
	run_free(&r);
	if (c->json && export_to_path(final, EXPORT_GOOGLE_BENCHMARK, c->json))
		return 1;
	if (all_failed) {
		util_error("every benchmark failed: the run measured nothing");
		return 1;
	}
	if (table_lost) {
		util_error("the table could not be written to standard %s: %s",
			json_stdout ? "error" : "output", strerror(table_lost));
		return 1;
	}
	return 0;
}

