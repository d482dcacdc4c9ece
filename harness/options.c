/* SPDX-License-Identifier: MIT */
/* options.c: see options.h. */
#define _GNU_SOURCE
#include "options.h"
#include "machine.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct command *const *commands;
static size_t ncommands;

void options_commands(const struct command *const *all, size_t n)
{
	commands = all;
	ncommands = n;
}

void options_error(const char *command, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(msg, sizeof(msg), fmt, ap);
#pragma GCC diagnostic pop
	va_end(ap);
	/* util_error escapes the whole line: only fmt is ours */
	if (command)
		util_error("%s (see scbench %s --help)", msg, command);
	else
		util_error("%s (see scbench --help)", msg);
	exit(2);
}

unsigned options_uint(const char *command, const char *option, const char *v, unsigned long lo,
		      unsigned long hi)
{
	unsigned long x;

	if (util_parse_ulong(v, lo, hi, &x))
		options_error(command, "%s wants a whole number from %lu to %lu, not '%s'", option, lo, hi, v);
	return (unsigned)x;
}

double options_fraction(const char *command, const char *option, const char *v, double lo, double hi)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (!*v || *end || errno || !(x > lo && x < hi))
		options_error(command, "%s wants a number between %g and %g, not '%s'", option, lo, hi, v);
	return x;
}

int options_cpu(const char *command, const char *v)
{
	unsigned long x;
	char allowed[256];

	if (util_parse_ulong(v, 0, 4095, &x))
		options_error(command, "--cpu wants a CPU number, not '%s'", v);
	if (!machine_cpu_allowed((int)x)) {
		machine_allowed_cpus(allowed, sizeof(allowed));
		options_error(command, "CPU %s is not available to this process (allowed: %s)", v, allowed);
	}
	return (int)x;
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
#define OPTIONS_REGEX_MAX_LEN  1024
#define OPTIONS_REGEX_MAX_SIZE 20000

void options_regex(const char *command, const char *option, const char *src, regex_t *re)
{
	size_t len = strlen(src), size;

	(void)command;
	if (len > OPTIONS_REGEX_MAX_LEN) {
		util_error("%s: the pattern has %zu characters, over the %d this program takes", option, len,
			   OPTIONS_REGEX_MAX_LEN);
		exit(2);
	}
	const char *br = regex_backref(src);
	if (br) {
		util_error("%s '%s': back-references (%.2s) are not allowed: they make matching exponential, "
			   "and no benchmark name needs one", option, src, br);
		exit(2);
	}
	if ((size = regex_size(src)) > OPTIONS_REGEX_MAX_SIZE) {
		util_error("%s '%s': its repetition bounds expand it to about %zu atoms, over the %d allowed "
			   "(nested {m,n} multiply; use * or + instead)", option, src, size, OPTIONS_REGEX_MAX_SIZE);
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

/* ---- usage -------------------------------------------------------------- */

/* "  -o, --out DIR" padded to the help column; the help's further lines
 * under it. */
#define HELP_COLUMN 17

static void option_line(const struct opt *o)
{
	char left[96];
	int n;

	if (o->short_name)
		n = snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
			     o->arg ? o->arg : "");
	else
		n = snprintf(left, sizeof(left), "  --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	printf("%s", left);
	if (n < HELP_COLUMN - 1)
		printf("%*s", HELP_COLUMN - n, "");
	else
		printf("  ");
	for (const char *h = o->help; *h; h++) {
		putchar(*h);
		if (*h == '\n' && h[1])
			printf("%*s", HELP_COLUMN, "");
	}
	putchar('\n');
}

void options_usage(const struct command *cmd)
{
	printf("Usage: scbench %s%s%s\n", cmd->name, cmd->synopsis[0] ? " " : "", cmd->synopsis);
	if (cmd->about)
		printf("\n%s", cmd->about);
	printf("\nOptions:\n");
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].help)
			option_line(&cmd->opts[i]);
	printf("  -h, --help     this help\n");
}

/* ---- parsing ------------------------------------------------------------ */

#define OPTIONS_MAX 48

/* The commands (other than cmd, internal ones left out) that take the
 * long option name: "compare" or "run and list", into buf. */
static void owners(const struct command *cmd, const char *name, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t c = 0; c < ncommands; c++) {
		const struct command *k = commands[c];
		if (k == cmd || !k->summary)
			continue;
		for (size_t i = 0; i < k->nopts; i++)
			if (!strcmp(k->opts[i].name, name)) {
				used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
							 used ? " and " : "", k->name);
				break;
			}
	}
}

/* How many of cmd's long options the abbreviation p (without "--") starts. */
static int prefixes(const struct command *cmd, const char *p, size_t n)
{
	int k = 0;

	for (size_t i = 0; i < cmd->nopts; i++)
		k += !strncmp(cmd->opts[i].name, p, n);
	return k + (!strncmp("help", p, n));
}

/* how: 0 unknown or ambiguous, 1 a value missing, 2 a value given to a switch */
static void refuse(const struct command *cmd, const char *arg, int how)
{
	char name[64], esc[4 * 64], who[160];
	const char *p = arg;

	if (how == 1)
		options_error(cmd->name, "option %s needs a value", arg);
	if (how == 2)
		options_error(cmd->name, "option %s takes no value", arg);
	if (p[0] == '-' && p[1] == '-') {
		size_t n = strcspn(p + 2, "=");
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 2);
		int k = prefixes(cmd, name, n);
		if (k > 1)
			options_error(cmd->name, "option '--%s' is ambiguous: it starts %d of this command's options",
				      name, k);
		owners(cmd, name, who, sizeof(who));
		if (who[0]) {
			/* the one message that names the command first: the option
			 * is real, just not this command's */
			util_escape(esc, sizeof(esc), name);
			fprintf(stderr, "scbench %s: unknown option '--%s' (it belongs to %s)\n", cmd->name, esc, who);
			exit(2);
		}
	}
	options_error(cmd->name, "unknown option '%s'", arg);
}

void options_parse(const struct command *cmd, int argc, char **argv,
		   void (*on)(void *ctx, int id, const char *value), void *ctx,
		   const char **operands, int *noperands)
{
	struct option lo[OPTIONS_MAX + 2];
	/* '-': operands come back in order as "option" 1, so options may
	 * follow them (compare A B --normalize) even under POSIXLY_CORRECT;
	 * ':': a missing value is told from an unknown option */
	char shorts[2 * OPTIONS_MAX + 4] = "-:h";
	size_t ns = 3, nl = 0;
	int ch;

	for (size_t i = 0; i < cmd->nopts && nl < OPTIONS_MAX; i++) {
		const struct opt *o = &cmd->opts[i];
		lo[nl++] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, 256 + (int)i };
		if (o->short_name) {
			shorts[ns++] = (char)o->short_name;
			if (o->arg)
				shorts[ns++] = ':';
		}
	}
	lo[nl++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[nl] = (struct option){ 0 };
	shorts[ns] = '\0';
	opterr = 0;
	optind = 1;
	*noperands = 0;
	while ((ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (ch == 1) {
			if (*noperands >= cmd->max_operands)
				options_error(cmd->name, "unexpected argument '%s'", optarg);
			operands[(*noperands)++] = optarg;
			continue;
		}
		if (ch == 'h') {
			options_usage(cmd);
			exit(0);
		}
		if (ch == '?' || ch == ':') {
			/* what failed: glibc leaves the option's value (ours, for a
			 * long one), the letter, or 0 (an unknown or ambiguous long
			 * option, the word itself) in optopt */
			char word[80];
			const char *arg = argv[optind - 1];
			if (optopt >= 256)
				snprintf(word, sizeof(word), "--%s", cmd->opts[optopt - 256].name), arg = word;
			else if (optopt)
				snprintf(word, sizeof(word), "-%c", optopt), arg = word;
			refuse(cmd, arg, ch == ':' ? 1 : optopt >= 256 ? 2 : 0);
		}
		if (ch >= 256) {
			on(ctx, cmd->opts[ch - 256].id, optarg);
			continue;
		}
		for (size_t i = 0; i < cmd->nopts; i++)
			if (cmd->opts[i].short_name == ch) {
				on(ctx, cmd->opts[i].id, optarg);
				break;
			}
	}
	for (int i = optind; i < argc; i++) {	/* after "--" */
		if (*noperands >= cmd->max_operands)
			options_error(cmd->name, "unexpected argument '%s'", argv[i]);
		operands[(*noperands)++] = argv[i];
	}
}
