/*
 * main.c: the scbench command line. Parses arguments, runs, and hands the
 * numbers to the reporters and to the results folder (results.c).
 *
 * Exit status: 0 done; 1 the run failed (e.g. results could not be
 * written); 2 bad input (usage, option values), with a one-line message.
 */
#define _GNU_SOURCE
#include "counters.h"
#include "disturb.h"
#include "export.h"
#include "report.h"
#include "results.h"
#include "tune.h"
#include "run.h"
#include "util.h"
#include "version.h"
#include "worker.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_head[] =
"Usage: scbench COMMAND [OPTIONS]   (scbench COMMAND --help: that command's options)\n"
"\n"
"Measures what it costs to enter the Linux kernel on x86, mechanism by\n"
"mechanism: syscall, int $0x80, the vDSO, the vsyscall page, libc wrappers.\n"
"\n"
"Commands:\n"
"  run            measure, print a table, write DIR/<host>-<UTC time>/ and DIR/latest\n"
"  list           list the benchmarks (with --filter: the ones it selects)\n"
"  list-events    list the events --events accepts on this machine\n"
"  compare BASE NEW  which benchmarks got slower or faster from run BASE to run\n"
"                 NEW (results folders, or samples.csv files); exit 0: no\n"
"                 regression, 1: regression, 2: bad input\n"
"  export RESULTS write a results folder as google-benchmark JSON or Bencher\n"
"                 Metric Format (--format google-benchmark|bencher)\n"
"  plots RESULTS  plots (PNG, SVG) and report.md/.html of a results folder\n"
"  tune --restore put back CPU settings a killed --tune run left changed\n"
"  help [COMMAND] this text, or one command's\n";

static const char usage_run[] =
"Options for run:\n"
"  --cpu N        pin to CPU N (default: the highest CPU this process may use)\n"
"  --runs N       measured rounds = samples per benchmark (default 2000)\n"
"  --warmup N     rounds measured and thrown away first (default 50)\n"
"  --quick        --runs 200 --warmup 20 --target-us 50 --counter-runs 30\n"
"  --target-us N  how long the N calls of one sample should take (default 100)\n"
"  --filter RE    only benchmarks whose abi/mechanism/syscall matches the POSIX\n"
"                 extended regular expression RE, e.g. 'vdso|syscall/getppid'\n"
"  --out DIR      results root (default: results)\n"
"  --json FILE    also write the run as google-benchmark JSON (- for stdout)\n"
"  --events LIST  count these events too (comma-separated libpfm4 or perf names,\n"
"                 :u or :k for one privilege level), e.g. cache-misses,ref-cycles\n"
"  --counter-runs N  counting samples per benchmark after the timing rounds\n"
"                 (default 100, --quick 30; 0 switches counting off)\n"
"  --tune         (root) performance governor and turbo off for the run; every\n"
"                 setting is restored at exit, on error and on any catchable\n"
"                 signal, and by the next run after a SIGKILL\n"
"  --icount       the TSC counts guest instructions (a QEMU guest run with\n"
"                 -icount shift=0, as make bench-icount does): report\n"
"                 instructions per call in the icount column, not ns\n"
"  --no-table     do not print the table at the end\n"
"  -q, --quiet    only warnings and errors on stderr; -v, --verbose: more\n";

static const char usage_compare[] =
"Options for compare:\n"
"  --threshold F  smallest change that counts, as a fraction (default 0.10:\n"
"                 runs on a noisy VM drift by up to ~9% from minute to minute)\n"
"  --alpha F      family-wise error over all rows and both directions (Holm;\n"
"                 default 0.05)\n"
"  --tolerance N  icount runs: instructions a row may change by unflagged\n"
"                 (default 0: any change is a verdict)\n"
"  --normalize    divide by each run's own syscall getppid first (same round),\n"
"                 cancelling a machine that is uniformly faster or slower\n"
"  --format F     table (default), markdown, csv or json\n"
"  --filter RE, --exclude RE  compare only the benchmarks RE matches, or\n"
"                 all but those (POSIX extended regular expressions)\n";

static const char usage_export[] =
"Options for export:\n"
"  --format F     google-benchmark (default: google/benchmark's JSON, which\n"
"                 github-action-benchmark's googlecpp reader takes) or bencher\n"
"                 (Bencher Metric Format: latency in ns, instructions)\n";

static const char usage_tail[] =
"\n"
"  -h, --help     help          -V, --version  the version\n"
"\n"
"Each sample times N calls and 2N calls and keeps the difference; rounds\n"
"interleave the benchmarks. Times are TSC ticks converted to ns; see README.md.\n";

static void usage(const char *command)
{
	if (!command) {
		printf("%s\n%s\n%s\n%s%s", usage_head, usage_run, usage_compare, usage_export, usage_tail);
	} else if (!strcmp(command, "run")) {
		printf("Usage: scbench run [OPTIONS]\n\n%s%s", usage_run, usage_tail);
	} else if (!strcmp(command, "compare")) {
		printf("Usage: scbench compare [OPTIONS] BASE NEW\n\n%s%s", usage_compare, usage_tail);
	} else if (!strcmp(command, "export")) {
		printf("Usage: scbench export [--format F] RESULTS\n\n%s%s", usage_export, usage_tail);
	} else if (!strcmp(command, "list")) {
		printf("Usage: scbench list [--filter RE]\n%s", usage_tail);
	} else if (!strcmp(command, "tune")) {
		printf("Usage: scbench tune --restore\n%s", usage_tail);
	} else {
		printf("Usage: scbench %s\n%s", command, usage_tail);
	}
}

/* Which commands take which option: one taken by another command is an
 * error naming that command. */
enum { C_RUN = 1, C_COMPARE = 2, C_LIST = 4, C_TUNE = 8, C_WORKER = 16, C_EXPORT = 32, C_EVENTS = 64, C_PLOTS = 128 };
static const struct {
	const char *name;
	unsigned commands;
} option_owner[] = {
	{ "--cpu", C_RUN | C_WORKER }, { "--runs", C_RUN }, { "--warmup", C_RUN },
	{ "--target-us", C_RUN | C_WORKER }, { "--counter-runs", C_RUN }, { "--events", C_RUN },
	{ "--counter-spec", C_WORKER }, { "--only", C_WORKER }, { "--seccomp", C_WORKER }, { "--quick", C_RUN }, { "--filter", C_RUN | C_LIST | C_WORKER | C_COMPARE }, { "--exclude", C_COMPARE },
	{ "--out", C_RUN }, { "--json", C_RUN }, { "--threshold", C_COMPARE }, { "--tolerance", C_COMPARE },
	{ "--alpha", C_COMPARE }, { "--normalize", C_COMPARE }, { "--format", C_COMPARE | C_EXPORT },
	{ "--icount", C_RUN }, { "--tune", C_RUN }, { "--restore", C_TUNE }, { "--no-table", C_RUN },
	{ "--quiet", C_RUN }, { "--verbose", C_RUN },
};
static const struct {
	const char *name;
	unsigned bit;
} commands[] = {
	{ "run", C_RUN }, { "compare", C_COMPARE }, { "list", C_LIST }, { "tune", C_TUNE },
	{ "worker", C_WORKER }, { "export", C_EXPORT }, { "list-events", C_EVENTS }, { "plots", C_PLOTS },
};

static unsigned command_bit(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].bit;
	return 0;
}

static void check_options(const char *command, const char *const *given, int ngiven)
{
	unsigned bit = command_bit(command);

	for (int k = 0; k < ngiven; k++)
		for (size_t i = 0; i < sizeof(option_owner) / sizeof(option_owner[0]); i++) {
			if (strcmp(option_owner[i].name, given[k]) || (option_owner[i].commands & bit))
				continue;
			char owners[128] = "";
			for (size_t j = 0; j < sizeof(commands) / sizeof(commands[0]); j++)
				if ((option_owner[i].commands & commands[j].bit) && commands[j].bit != C_WORKER)
					snprintf(owners + strlen(owners), sizeof(owners) - strlen(owners), "%s%s",
						 owners[0] ? " and " : "", commands[j].name);
			fprintf(stderr, "scbench %s: unknown option '%s' (it belongs to %s)\n", command,
				given[k], owners);
			exit(2);
		}
}

static void die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "scbench: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see scbench --help)\n");
	exit(2);
}

struct cli {
	const char *command;
	struct run_options opt;
	const char *out;
	const char *filter_src, *exclude_src;
	regex_t filter, exclude;
	const char *events;
	int table, quiet, verbose;
	int tune, restore;
	const char *json;
	const char *positional[2];
	int npositional;
	double threshold, alpha, tolerance;
	int normalize;
	enum compare_format format;
	int export_format;		/* export.h */
};

static double parse_fraction(const char *name, const char *v, double lo, double hi)
{
	char *end, msg[160];
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (!*v || *end || errno || !(x > lo && x < hi)) {
		snprintf(msg, sizeof(msg), "%s wants a number between %g and %g, not '%%s'", name, lo, hi);
		die_usage(msg, v);
	}
	return x;
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (*i + 1 >= argc)
		die_usage("option %s needs a value", name);
	return argv[++*i];
}

static int is_option(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(arg, name, n) && (arg[n] == '\0' || arg[n] == '=');
}

static void parse_uint_option(const char *name, const char *v, unsigned long lo,
			      unsigned long hi, unsigned *out)
{
	unsigned long x;
	char msg[160];

	if (util_parse_ulong(v, lo, hi, &x)) {
		snprintf(msg, sizeof(msg), "%s wants a whole number from %lu to %lu, not '%%s'",
			 name, lo, hi);
		die_usage(msg, v);
	}
	*out = (unsigned)x;
}

static void parse_cpu(const char *v, int *cpu)
{
	unsigned long x;
	char allowed[256], msg[400];

	if (util_parse_ulong(v, 0, 4095, &x))
		die_usage("--cpu wants a CPU number, not '%s'", v);
	if (!machine_cpu_allowed((int)x)) {
		machine_allowed_cpus(allowed, sizeof(allowed));
		snprintf(msg, sizeof(msg), "CPU %%s is not available to this process (allowed: %s)",
			 allowed);
		die_usage(msg, v);
	}
	*cpu = (int)x;
}

static void parse_args(int argc, char **argv, struct cli *c)
{
	int quick = 0, runs_set = 0, warmup_set = 0, target_set = 0, counter_runs_set = 0;

	memset(c, 0, sizeof(*c));
	c->opt.cpu = -1;
	c->opt.runs = RUN_DEFAULT_RUNS;
	c->opt.warmup = RUN_DEFAULT_WARMUP;
	c->opt.target_us = RUN_DEFAULT_TARGET_US;
	c->opt.counter_runs = RUN_DEFAULT_COUNTER_RUNS;
	c->out = "results";
	c->table = 1;
	c->threshold = COMPARE_DEFAULT_THRESHOLD;
	c->alpha = COMPARE_DEFAULT_ALPHA;

	const char *given[64];
	int ngiven = 0, help = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] == '-' && ngiven < 64) {
			static char names[64][32];
			snprintf(names[ngiven], sizeof(names[0]), "%.*s", (int)strcspn(a, "="), a);
			given[ngiven] = names[ngiven];
			ngiven++;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help") || (!strcmp(a, "help") && !c->command)) {
			help = 1;
			if (!strcmp(a, "help") && i + 1 < argc && command_bit(argv[i + 1])) {
				usage(argv[i + 1]);
				exit(0);
			}
			if (!strcmp(a, "help")) {
				usage(NULL);
				exit(0);
			}
			ngiven--;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			c->quiet = 1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			c->verbose = 1;
		} else if (is_option(a, "--json")) {
			c->json = option_value(argc, argv, &i, "--json");
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("scbench %s (commit %s)\n", SCB_VERSION, SCB_GIT_COMMIT);
			exit(0);
		} else if (is_option(a, "--cpu")) {
			parse_cpu(option_value(argc, argv, &i, "--cpu"), &c->opt.cpu);
		} else if (is_option(a, "--runs")) {
			parse_uint_option("--runs", option_value(argc, argv, &i, "--runs"),
					  10, 10000000, &c->opt.runs);
			runs_set = 1;
		} else if (is_option(a, "--warmup")) {
			parse_uint_option("--warmup", option_value(argc, argv, &i, "--warmup"),
					  0, 1000000, &c->opt.warmup);
			warmup_set = 1;
		} else if (is_option(a, "--target-us")) {
			parse_uint_option("--target-us", option_value(argc, argv, &i, "--target-us"),
					  1, 1000000, &c->opt.target_us);
			target_set = 1;
		} else if (is_option(a, "--counter-runs")) {
			parse_uint_option("--counter-runs", option_value(argc, argv, &i, "--counter-runs"),
					  0, 1000000, &c->opt.counter_runs);
			counter_runs_set = 1;
		} else if (is_option(a, "--events")) {
			c->events = option_value(argc, argv, &i, "--events");
		} else if (is_option(a, "--counter-spec")) {	/* internal: parent -> worker */
			c->opt.counter_spec = option_value(argc, argv, &i, "--counter-spec");
		} else if (is_option(a, "--only")) {		/* internal: a child row's worker */
			c->opt.only = option_value(argc, argv, &i, "--only");
		} else if (is_option(a, "--seccomp")) {		/* internal: its filter */
			c->opt.seccomp = option_value(argc, argv, &i, "--seccomp");
		} else if (!strcmp(a, "--quick")) {
			quick = 1;
		} else if (is_option(a, "--filter")) {
			c->filter_src = option_value(argc, argv, &i, "--filter");
		} else if (is_option(a, "--exclude")) {
			c->exclude_src = option_value(argc, argv, &i, "--exclude");
		} else if (is_option(a, "--out")) {
			c->out = option_value(argc, argv, &i, "--out");
			if (!*c->out)
				die_usage("--out wants a folder%s", "");
			if (strlen(c->out) > 1024)
				die_usage("--out: path too long (%s)", "over 1024 characters");
		} else if (is_option(a, "--threshold")) {
			c->threshold = parse_fraction("--threshold", option_value(argc, argv, &i, "--threshold"), 0, 10);
		} else if (is_option(a, "--tolerance")) {
			unsigned tol;
			parse_uint_option("--tolerance", option_value(argc, argv, &i, "--tolerance"),
					  0, 1000000, &tol);
			c->tolerance = tol;
		} else if (is_option(a, "--alpha")) {
			c->alpha = parse_fraction("--alpha", option_value(argc, argv, &i, "--alpha"), 0, 1);
		} else if (!strcmp(a, "--normalize") || !strcmp(a, "--normalise")) {
			c->normalize = 1;
		} else if (is_option(a, "--format")) {
			const char *v = option_value(argc, argv, &i, "--format");
			if (!strcmp(v, "google-benchmark") || !strcmp(v, "bencher"))
				c->export_format = export_format_of(v);
			else if (!strcmp(v, "table"))
				c->format = FORMAT_TABLE;
			else if (!strcmp(v, "markdown") || !strcmp(v, "md"))
				c->format = FORMAT_MARKDOWN;
			else if (!strcmp(v, "csv"))
				c->format = FORMAT_CSV;
			else if (!strcmp(v, "json"))
				c->format = FORMAT_JSON;
			else
				die_usage("--format wants table, markdown, csv or json (compare), or google-benchmark or bencher (export), not '%s'", v);
		} else if (!strcmp(a, "--icount")) {
			c->opt.icount = 1;
		} else if (!strcmp(a, "--tune")) {
			c->tune = 1;
		} else if (!strcmp(a, "--restore")) {
			c->restore = 1;
		} else if (!strcmp(a, "--no-table")) {
			c->table = 0;
		} else if (a[0] == '-') {
			die_usage("unknown option '%s'", a);
		} else if (!c->command) {
			if (!command_bit(a))
				die_usage("unknown command '%s'", a);
			c->command = a;
		} else if ((!strcmp(c->command, "compare") && c->npositional < 2) ||
			   ((!strcmp(c->command, "export") || !strcmp(c->command, "plots")) && c->npositional < 1)) {
			c->positional[c->npositional++] = a;
		} else {
			die_usage("unexpected argument '%s'", a);
		}
	}
	if (help) {
		usage(c->command);
		exit(0);
	}
	if (!c->command)
		die_usage("no command given%s", "");
	check_options(c->command, given, ngiven);
	if (!strcmp(c->command, "compare") && c->npositional != 2)
		die_usage("compare needs two runs: BASE and NEW%s", "");
	if ((!strcmp(c->command, "export") || !strcmp(c->command, "plots")) && c->npositional != 1)
		die_usage("%s needs a results folder", c->command);
	if (!strcmp(c->command, "compare") && c->export_format)
		die_usage("compare --format takes table, markdown, csv or json; %s", "google-benchmark and bencher are for scbench export");
	if (!strcmp(c->command, "export") && c->format)
		die_usage("export --format takes google-benchmark or bencher%s", "");
	if (quick) {
		if (!runs_set)
			c->opt.runs = RUN_QUICK_RUNS;
		if (!warmup_set)
			c->opt.warmup = RUN_QUICK_WARMUP;
		if (!target_set)
			c->opt.target_us = RUN_QUICK_TARGET_US;
		if (!counter_runs_set)
			c->opt.counter_runs = RUN_QUICK_COUNTER_RUNS;
	}
	if (c->filter_src) {
		int rc = regcomp(&c->filter, c->filter_src, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[200];
			regerror(rc, &c->filter, msg, sizeof(msg));
			fprintf(stderr, "scbench: --filter '%s': %s\n", c->filter_src, msg);
			exit(2);
		}
		c->opt.filter = &c->filter;
		c->opt.filter_src = c->filter_src;
	}
	if (c->exclude_src) {
		int rc = regcomp(&c->exclude, c->exclude_src, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[200];
			regerror(rc, &c->exclude, msg, sizeof(msg));
			fprintf(stderr, "scbench: --exclude '%s': %s\n", c->exclude_src, msg);
			exit(2);
		}
	}
}

static int cmd_list(const struct cli *c)
{
	char name[128];
	int shown = 0;

	for (size_t i = 0; i < registry_count; i++) {
		const struct bench *b = &registry[i];
		if (!row_selected(b, c->opt.filter))
			continue;
		printf("%-36s %-33s %s\n", registry_name(b, name, sizeof(name)),
		       registry_needs_text(b), b->description);
		shown++;
	}
	if (!shown) {
		fprintf(stderr, "scbench: --filter '%s' selects no benchmark\n", c->filter_src);
		return 2;
	}
	return 0;
}

static int cmd_tune(const struct cli *c)
{
	char done[512];

	if (!c->restore) {
		fprintf(stderr, "scbench: tune wants --restore (to tune a run: scbench run --tune)\n");
		return 2;
	}
	if (tune_recover(done, sizeof(done)) || done[0]) {
		fprintf(stderr, "scbench: %s\n", done);
		return strstr(done, "held by") ? 1 : 0;
	}
	fprintf(stderr, "scbench: nothing to restore\n");
	return 0;
}

/* Write dir in fmt to path ("-": stdout); 0, or 1 with a message. */
static int write_export(const char *dir, int fmt, const char *path)
{
	char why[4400], tmp[PATH_MAX];
	FILE *f = stdout;

	if (strcmp(path, "-")) {
		snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
		f = fopen(tmp, "we");
		if (!f) {
			fprintf(stderr, "scbench: %s: %s\n", path, strerror(errno));
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
		fprintf(stderr, "scbench: %s\n", why);
		return 1;
	}
	return 0;
}

static int cmd_export(const struct cli *c)
{
	struct stat st;

	if (stat(c->positional[0], &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "scbench: export: %s is not a results folder\n", c->positional[0]);
		return 2;
	}
	return write_export(c->positional[0], c->export_format ? c->export_format : EXPORT_GOOGLE_BENCHMARK, "-") ? 2 : 0;
}

/* scripts/plots.sh from the source tree (build/scbench -> scripts/) or an
 * installed copy (PREFIX/bin/scbench -> PREFIX/share/scbench/scripts/),
 * run with the folder as an argument: no shell parses the name. */
static int cmd_plots(const struct cli *c)
{
	static const char *const where[] = { "%s/../scripts/plots.sh", "%s/../share/scbench/scripts/plots.sh" };
	char self[PATH_MAX], script[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0) {
		fprintf(stderr, "scbench: cannot find this executable to locate plots.sh\n");
		return 2;
	}
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		snprintf(script, sizeof(script), where[i], self);
		if (access(script, X_OK) == 0) {
			execl(script, script, c->positional[0], (char *)NULL);
			break;
		}
	}
	fprintf(stderr, "scbench: plots: scripts/plots.sh not found beside %s (a build tree or an "
		"installed share/scbench)\n", self);
	return 2;
}

static int cmd_list_events(void)
{
	char name[256], desc[512];
	int cursor = 0;

	while (counters_next_event(&cursor, name, sizeof(name), desc, sizeof(desc)))
		printf("%-48s %s\n", name, desc);
	return 0;
}

static int cmd_compare(const struct cli *c)
{
	struct cmp_run base = { 0 }, new_ = { 0 };
	struct cmp_outcome out;
	char why[4200];
	int rc;

	if (compare_load(&base, c->positional[0], why, sizeof(why)) ||
	    compare_load(&new_, c->positional[1], why, sizeof(why)) ||
	    (compare_select(&base, c->opt.filter, c->exclude_src ? &c->exclude : NULL),
	     compare_select(&new_, c->opt.filter, c->exclude_src ? &c->exclude : NULL), 0) ||
	    (c->normalize && (compare_normalize(&base, why, sizeof(why)) ||
			      compare_normalize(&new_, why, sizeof(why))))) {
		fprintf(stderr, "scbench: %s\n", why);
		compare_free(&base);
		compare_free(&new_);
		return 2;
	}
	compare_runs(&base, &new_, c->threshold, c->alpha, c->normalize, c->tolerance, &out);
	if (out.machine_warning[0])
		fprintf(stderr, "scbench: warning: the runs come from different machines or kernels, so "
			"differences may not be regressions: %s\n", out.machine_warning);
	if (out.disturbance_warning[0])
		fprintf(stderr, "scbench: warning: the machine was disturbed differently in the two runs "
			"(syscall slow path, shared CPU), so differences may not be the code's: %s\n",
			out.disturbance_warning);
	if (!out.in_common) {
		fprintf(stderr, "scbench: %s and %s have no measured benchmark in common\n",
			c->positional[0], c->positional[1]);
		rc = 2;
	} else {
		report_compare(stdout, &out, c->format);
		rc = out.regressions ? 1 : 0;
	}
	compare_outcome_free(&out);
	compare_free(&base);
	compare_free(&new_);
	return rc;
}

/* On a terminal only: the round and an estimate of the time left. */
static void progress(unsigned done, unsigned total)
{
	static struct timespec start;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (done <= 16 || !start.tv_sec)
		start = now;
	double spent = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
	double left = done > 16 ? spent / (done - 16) * (total - done) : 0;
	fprintf(stderr, "\rscbench: round %u/%u", done, total);
	if (left >= 1)
		fprintf(stderr, ", about %.0f s left ", left);
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
		fprintf(stderr, "scbench: --runs %u x %zu benchmarks needs about %.1f GB for the samples, "
			"over half this machine's %.1f GB; use fewer runs or --filter\n", c->opt.runs, rows,
			bytes / 1e9, ram / 1e9);
		return -1;
	}
	if (secs > 24 * 3600) {
		fprintf(stderr, "scbench: --runs %u x %zu benchmarks would take at least %.0f h; "
			"use fewer runs or --filter\n", c->opt.runs, rows, secs / 3600);
		return -1;
	}
	if (secs > 3600)
		fprintf(stderr, "scbench: warning: --runs %u x %zu benchmarks will take at least %.1f h\n",
			c->opt.runs, rows, secs / 3600);
	return 0;
}

static int cmd_run(struct cli *c)
{
	struct run r;
	struct counter_set cs;
	char why[256], final[PATH_MAX];
	size_t selected = 0, failed = 0;

	for (size_t i = 0; i < registry_count; i++)
		selected += row_selected(&registry[i], c->opt.filter);
	if (!selected) {
		fprintf(stderr, "scbench: --filter '%s' selects no benchmark\n", c->filter_src);
		return 2;
	}
	if (check_size(c, selected))
		return 2;
	if (counters_define(&cs, c->events, why, sizeof(why))) {
		fprintf(stderr, "scbench: %s\n", why);
		return 2;
	}
	if (results_check_writable(c->out, why, sizeof(why))) {
		fprintf(stderr, "scbench: %s\n", why);
		return 2;
	}
	char tuned[1024] = "";
	/* a table piped into `head` must not kill the run before its results
	 * are written: a closed pipe becomes a write error below */
	signal(SIGPIPE, SIG_IGN);
	if (!c->tune && tune_recover(tuned, sizeof(tuned)))
		fprintf(stderr, "scbench: %s\n", tuned);
	tuned[0] = '\0';
	if (c->tune && tune_apply(tuned, sizeof(tuned), why, sizeof(why))) {
		fprintf(stderr, "scbench: %s\n", why);
		return 2;
	}
	if (c->tune)
		fprintf(stderr, "scbench: --tune: %s\n", tuned);
	if (isatty(STDERR_FILENO) && !c->quiet)
		c->opt.progress = progress;
	if (run_execute(&r, &c->opt, &cs, why, sizeof(why))) {
		fprintf(stderr, "scbench: %s\n", why);
		return 1;
	}
	env_set(&r.env, "tune", "%s", c->tune ? tuned : "off");
	if (c->opt.icount)
		env_set(&r.env, "clock", "icount: the TSC counts guest instructions (QEMU -icount "
			"shift=0); per-call ticks are instructions, not time");
	if (!c->quiet)
		fprintf(stderr, "scbench: pinned to CPU %d; %u rounds of %zu benchmarks in %.1f s\n",
			r.opt.cpu, r.opt.runs, r.n, r.seconds);
	if (c->verbose) {
		static const char *const keys[] = { "virtualization", "kernel_release", "clocksource",
						    "tsc_ghz", "disturbance_before", "disturbance_after" };
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (env_get(&r.env, keys[i]))
				fprintf(stderr, "scbench: %s: %s\n", keys[i], env_get(&r.env, keys[i]));
	}
	if (r.opt.counter_runs && !c->quiet) {
		/* say what was counted, from what really opened: never more */
		char counted[1024], missing[1024];
		counters_counted(&r.counters, counted, sizeof(counted));
		counters_reasons(&r.counters, missing, sizeof(missing));
		if (!counted[0])
			fprintf(stderr, "scbench: nothing was counted (%s)\n", missing);
		else if (missing[0])
			fprintf(stderr, "scbench: counted %s; not in full: %s\n", counted, missing);
	}
	int table_lost = 0;
	if (c->table) {
		report_table(stdout, &r);
		if (fflush(stdout) != 0 || ferror(stdout))
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
		fprintf(stderr, "scbench: warning: %s\n", advice);
	if (noisy)
		fprintf(stderr, "scbench: warning: %zu benchmark(s) lost over %.0f%% of their samples "
			"and are marked noisy; run again on a quieter machine (or with --tune)\n",
			noisy, 100 * RUN_NOISY_FRACTION);
	if (failed)
		fprintf(stderr, "scbench: warning: %zu benchmark(s) gave wrong results or crashed; "
			"see the reason column\n", failed);
	if (results_write(c->out, &r, final, sizeof(final), why, sizeof(why))) {
		fprintf(stderr, "scbench: %s\n", why);
		run_free(&r);
		return 1;
	}
	if (!c->quiet)
		fprintf(stderr, "scbench: results in %s\n", final);
	run_free(&r);
	if (c->json && write_export(final, EXPORT_GOOGLE_BENCHMARK, c->json))
		return 1;
	if (table_lost) {
		fprintf(stderr, "scbench: the table could not be written to standard output: %s\n",
			strerror(table_lost));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c;

	parse_args(argc, argv, &c);
	int rc;
	if (!strcmp(c.command, "list"))
		rc = cmd_list(&c);
	else if (!strcmp(c.command, "tune"))
		rc = cmd_tune(&c);
	else if (!strcmp(c.command, "list-events"))
		rc = cmd_list_events();
	else if (!strcmp(c.command, "compare"))
		rc = cmd_compare(&c);
	else if (!strcmp(c.command, "export"))
		rc = cmd_export(&c);
	else if (!strcmp(c.command, "plots"))
		rc = cmd_plots(&c);
	else if (!strcmp(c.command, "worker"))	/* internal: see worker.h */
		rc = worker_main(&c.opt);
	else
		rc = cmd_run(&c);
	if (c.filter_src)
		regfree(&c.filter);
	if (c.exclude_src)
		regfree(&c.exclude);
	return rc;
}
