/* SPDX-License-Identifier: MIT */
/* cli.c: see cli.h. */
#define _GNU_SOURCE
#include "cli.h"
#include "compare.h"
#include "export.h"
#include "machine.h"
#include "util.h"
#include "version.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
"  --processes N  fresh processes the rounds are shared between, one after\n"
"                 the other (default 10; --icount: 1): the interval then holds\n"
"                 what changes from process to process too\n"
"  --target-us N  how long the N calls of one sample should take (default 100)\n"
"  --filter RE    only benchmarks whose abi/mechanism/syscall matches the POSIX\n"
"                 extended regular expression RE, e.g. 'vdso|syscall/getppid'\n"
"  --out DIR      results root (default: results)\n"
"  --json FILE    also write the run as google-benchmark JSON (- for stdout,\n"
"                 which then holds only the JSON: the table goes to stderr)\n"
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

void cli_usage(const char *command)
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
enum { C_RUN = 1, C_COMPARE = 2, C_LIST = 4, C_TUNE = 8, C_WORKER = 16, C_EXPORT = 32, C_EVENTS = 64, C_PLOTS = 128,
       C_PROCESS = 256 };
static const struct {
	const char *name;
	unsigned commands;
} option_owner[] = {
	{ "--cpu", C_RUN | C_WORKER | C_PROCESS }, { "--runs", C_RUN | C_PROCESS }, { "--warmup", C_RUN | C_PROCESS },
	{ "--target-us", C_RUN | C_WORKER | C_PROCESS }, { "--counter-runs", C_RUN | C_PROCESS }, { "--events", C_RUN },
	{ "--counter-spec", C_WORKER | C_PROCESS }, { "--only", C_WORKER }, { "--seccomp", C_WORKER },
	{ "--tsc-rate", C_WORKER | C_PROCESS }, { "--processes", C_RUN }, { "--quick", C_RUN },
	{ "--filter", C_RUN | C_LIST | C_WORKER | C_COMPARE | C_PROCESS }, { "--exclude", C_COMPARE },
	{ "--out", C_RUN }, { "--json", C_RUN }, { "--threshold", C_COMPARE }, { "--tolerance", C_COMPARE },
	{ "--alpha", C_COMPARE }, { "--normalize", C_COMPARE }, { "--format", C_COMPARE | C_EXPORT },
	{ "--icount", C_RUN | C_PROCESS }, { "--tune", C_RUN }, { "--restore", C_TUNE }, { "--no-table", C_RUN },
	{ "--quiet", C_RUN }, { "--verbose", C_RUN },
};
static const struct {
	const char *name;
	unsigned bit;
} commands[] = {
	{ "run", C_RUN }, { "compare", C_COMPARE }, { "list", C_LIST }, { "tune", C_TUNE },
	{ "worker", C_WORKER }, { "export", C_EXPORT }, { "list-events", C_EVENTS }, { "plots", C_PLOTS },
	{ "process", C_PROCESS },
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
				if ((option_owner[i].commands & commands[j].bit) &&
				    !(commands[j].bit & (C_WORKER | C_PROCESS)))	/* internal */
					snprintf(owners + strlen(owners), sizeof(owners) - strlen(owners), "%s%s",
						 owners[0] ? " and " : "", commands[j].name);
			char esc[4 * 32];
			util_escape(esc, sizeof(esc), given[k]);
			fprintf(stderr, "scbench %s: unknown option '%s' (it belongs to %s)\n", command,
				esc, owners);
			exit(2);
		}
}

static void die_usage(const char *fmt, const char *arg)
{
	char msg[4096];

	/* the format is ours; only arg comes from the user, and util_error
	 * escapes the whole line */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(msg, sizeof(msg), fmt, arg);
#pragma GCC diagnostic pop
	util_error("%s (see scbench --help)", msg);
	exit(2);
}



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

/* The ']' that closes the bracket expression opening at p ("[...]", with
 * "[^", a leading ']' and [:class:], [.coll.], [=equiv=] inside), or the
 * string's end when it never closes. */
static const char *regex_bracket_end(const char *p)
{
	const char *q = p + 1;

	q += *q == '^';
	q += *q == ']';
	while (*q && *q != ']')
		q += q[0] == '[' && (q[1] == ':' || q[1] == '.' || q[1] == '=') && strchr(q + 2, ']') ?
			strchr(q + 2, ']') - q + 1 : 1;
	return q;
}

/* What glibc's regcomp builds for src, roughly: the atoms once each
 * expression is expanded, a bound {m,n} repeating what it follows n times
 * (m+1 for {m,}), nested bounds multiplying. glibc expands them so: its
 * time and memory grow with this figure (((a{1,100}){1,100}){1,100}, a
 * million, took 3 s and 1.1 GB to compile and 17 s in compare; 10^4 takes
 * milliseconds). Saturates at SIZE_MAX / 2. */
static size_t regex_size(const char *p)
{
	enum { DEPTH = 64 };
	size_t cur[DEPTH] = { 0 }, last[DEPTH] = { 0 }, cap = SIZE_MAX / 2;
	int d = 0;

	while (*p) {
		if (*p == '(') {
			if (++d == DEPTH)
				return cap;
			cur[d] = last[d] = 0;
			p++;
		} else if (*p == ')' && d > 0) {
			size_t g = cur[d--];
			last[d] = g;
			cur[d] = cur[d] + g > cap ? cap : cur[d] + g;
			p++;
		} else if (*p == '{') {
			char *end;
			const char *close = strchr(p, '}');
			unsigned long m = strtoul(p + 1, &end, 10), n = m;
			if (*end == ',')
				n = end[1] == '}' ? m + 1 : strtoul(end + 1, NULL, 10);
			p = close ? close + 1 : p + 1;
			if (n == 0)
				n = 1;
			size_t grown = last[d] && n > cap / last[d] ? cap : last[d] * n;
			cur[d] = cur[d] - last[d] + grown > cap ? cap : cur[d] - last[d] + grown;
			last[d] = grown;
		} else {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '[') {	/* a bracket expression is one atom */
				const char *q = regex_bracket_end(p);
				p = *q ? q : q - 1;
			}
			p++;
			last[d] = 1;
			cur[d] = cur[d] + 1 > cap ? cap : cur[d] + 1;
		}
	}
	while (d > 0) {
		size_t g = cur[d--];
		cur[d] = cur[d] + g > cap ? cap : cur[d] + g;
	}
	return cur[0];
}

/* The first back-reference (\1..\9) outside a bracket expression, or
 * NULL. With one, glibc's regexec leaves its automaton for backtracking:
 * ((((.*)*)*)*(((.*)*)*)*(((.*)*)*)*)*\1\2\3\4\5\6\7\8\9Z, 55 characters,
 * took 10.7 s against the row names (and compare pays it per file). A row
 * name never needs one. Without back-references nesting is cheap: 60
 * nested (.*)* or 200 (.*)* in a row match the names in milliseconds, so
 * repetition depth needs no bound of its own. */
static const char *regex_backref(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			if (p[1] >= '1' && p[1] <= '9')
				return p;
			p++;
		} else if (*p == '[') {	/* inside brackets a backslash is a literal */
			const char *q = regex_bracket_end(p);
			if (!*q)
				return NULL;
			p = q;
		}
	}
	return NULL;
}

/* Bounds on what a pattern may cost: names are short, so no useful
 * filter comes near either. */
#define CLI_REGEX_MAX_LEN  1024
#define CLI_REGEX_MAX_SIZE 20000

/* A POSIX extended regular expression from an option, or one line and
 * exit 2. */
static void compile_regex(const char *option, const char *src, regex_t *re)
{
	size_t len = strlen(src), size;

	if (len > CLI_REGEX_MAX_LEN) {
		util_error("%s: the pattern has %zu characters, over the %d this program takes", option, len,
			   CLI_REGEX_MAX_LEN);
		exit(2);
	}
	const char *br = regex_backref(src);
	if (br) {
		util_error("%s '%s': back-references (%.2s) are not allowed: they make matching exponential, "
			   "and no benchmark name needs one", option, src, br);
		exit(2);
	}
	if ((size = regex_size(src)) > CLI_REGEX_MAX_SIZE) {
		util_error("%s '%s': its repetition bounds expand it to about %zu atoms, over the %d allowed "
			   "(nested {m,n} multiply; use * or + instead)", option, src, size, CLI_REGEX_MAX_SIZE);
		exit(2);
	}
	int rc = regcomp(re, src, REG_EXTENDED | REG_NOSUB);

	if (rc) {
		char msg[200];
		regerror(rc, re, msg, sizeof(msg));
		util_error("%s '%s': %s", option, src, msg);
		exit(2);
	}
}

void cli_parse(int argc, char **argv, struct cli *c)
{
	int quick = 0, runs_set = 0, warmup_set = 0, target_set = 0, counter_runs_set = 0, procs_set = 0;

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
	int ngiven = 0, help = 0, operands = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		/* after "--" every word is an operand, as getopt has it: a folder
		 * named "-x" can be compared */
		if (!operands && !strcmp(a, "--")) {
			operands = 1;
			continue;
		}
		if (operands) {
			if (c->command && ((!strcmp(c->command, "compare") && c->npositional < 2) ||
					   ((!strcmp(c->command, "export") || !strcmp(c->command, "plots")) && c->npositional < 1)))
				c->positional[c->npositional++] = a;
			else
				die_usage("unexpected argument '%s'", a);
			continue;
		}
		if (a[0] == '-' && a[1] == '-' && ngiven < 64) {
			static char names[64][32];
			snprintf(names[ngiven], sizeof(names[0]), "%.*s", (int)strcspn(a, "="), a);
			given[ngiven] = names[ngiven];
			ngiven++;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help") || (!strcmp(a, "help") && !c->command)) {
			help = 1;
			if (!strcmp(a, "help") && i + 1 < argc && command_bit(argv[i + 1])) {
				cli_usage(argv[i + 1]);
				exit(0);
			}
			/* help FROB: the same one line and exit 2 as scbench FROB */
			if (!strcmp(a, "help") && i + 1 < argc && argv[i + 1][0] != '-')
				die_usage("unknown command '%s'", argv[i + 1]);
			if (!strcmp(a, "help")) {
				cli_usage(NULL);
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
			/* a measuring process takes its share of a run's rounds */
			parse_uint_option("--runs", option_value(argc, argv, &i, "--runs"),
					  c->command && !strcmp(c->command, "process") ? 1 : 10, 10000000,
					  &c->opt.runs);
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
		} else if (is_option(a, "--processes")) {
			parse_uint_option("--processes", option_value(argc, argv, &i, "--processes"),
					  1, RUN_MAX_PROCESSES, &c->opt.processes);
			procs_set = 1;
		} else if (is_option(a, "--tsc-rate")) {	/* internal: parent -> process, worker */
			c->opt.tsc_rate = parse_fraction("--tsc-rate", option_value(argc, argv, &i, "--tsc-rate"),
							 0, 1e6);
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
		cli_usage(c->command);
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
	/* instruction counts don't change between processes the way time does,
	 * and the count gate wants them from one, as they always were */
	if (!procs_set)
		c->opt.processes = c->opt.icount ? 1 : RUN_DEFAULT_PROCESSES;
	if (!strcmp(c->command, "run") && c->opt.processes > c->opt.runs) {
		char msg[160];
		snprintf(msg, sizeof(msg), "--processes %u is more than the %u rounds (--runs) to share "
			 "between them%%s", c->opt.processes, c->opt.runs);
		die_usage(msg, "");
	}
	if (c->filter_src) {
		compile_regex("--filter", c->filter_src, &c->filter);
		c->opt.filter = &c->filter;
		c->opt.filter_src = c->filter_src;
	}
	if (c->exclude_src)
		compile_regex("--exclude", c->exclude_src, &c->exclude);
}


void cli_free(struct cli *c)
{
	if (c->filter_src)
		regfree(&c->filter);
	if (c->exclude_src)
		regfree(&c->exclude);
}
