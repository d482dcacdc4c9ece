/* SPDX-License-Identifier: MIT */
/*
 * options.h: the small command-line parser every builtin parses with, as
 * perf's parse-options is: each builtin-<command>.c holds its own table of
 * options and its usage, and hands argv to options_parse, which is glibc's
 * getopt_long underneath (so "--opt=V" and "--opt V", short forms such as
 * -o, unambiguous abbreviations, and "--" ending the options all behave
 * as in any GNU tool). It depends on nothing of scbench's but util (the
 * one-line messages) and machine (which CPUs exist), and knows no command:
 * main.c hands it every command's table (options_commands) so that an
 * option of another command is an error naming that command.
 *
 * Bad input is one line on stderr and exit 2, as everywhere in scbench;
 * --help prints the command's usage and exits 0.
 */
#ifndef SCB_OPTIONS_H
#define SCB_OPTIONS_H

#include <regex.h>
#include <stddef.h>

struct opt {
	const char *name;	/* the long name, without "--" */
	int short_name;		/* e.g. 'o'; 0: none */
	const char *arg;	/* the value's name in the help ("N", "DIR"); NULL: a switch */
	const char *help;	/* its lines in the usage; NULL: internal, not shown */
	int id;			/* what options_parse hands the builtin */
};

struct command {
	const char *name;
	const char *synopsis;	/* after "scbench NAME ": "[OPTIONS] BASE NEW" */
	const char *summary;	/* one line for the list of commands; NULL: internal */
	const char *about;	/* the lines under the usage line, or NULL */
	const struct opt *opts;
	size_t nopts;
	int min_operands, max_operands;
};

/* Every command, so that "it belongs to ..." can be said (main.c). */
void options_commands(const struct command *const *all, size_t n);

/* Parse argv[1..argc-1] (argv[0] is the command's name) against cmd's
 * table: on(ctx, id, value) for each option in order (value NULL for a
 * switch), then the operands, at most cmd->max_operands, into operands[]
 * (their count in *noperands). -h/--help prints the usage and exits 0; an
 * unknown option, a missing value or a wrong number of operands is one
 * line and exit 2. on may refuse a value itself (options_error). */
void options_parse(const struct command *cmd, int argc, char **argv,
		   void (*on)(void *ctx, int id, const char *value), void *ctx,
		   const char **operands, int *noperands);

/* The usage of one command, as --help prints it. */
void options_usage(const struct command *cmd);

/* One line "scbench: WHAT (see scbench COMMAND --help)" on stderr and exit
 * 2: printf-style, the values escaped (util_error). */
void options_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* Values, checked: a whole number in [lo, hi], a number strictly between
 * lo and hi, a CPU this process may run on, a POSIX extended regular
 * expression of bounded cost. Bad ones are options_error. */
unsigned options_uint(const char *command, const char *option, const char *v, unsigned long lo,
		      unsigned long hi);
double options_fraction(const char *command, const char *option, const char *v, double lo, double hi);
int options_cpu(const char *command, const char *v);
void options_regex(const char *command, const char *option, const char *src, regex_t *re);

#endif
