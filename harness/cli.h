/* SPDX-License-Identifier: MIT */
/*
 * cli.h: scbench's command line: the commands, the options each takes (an
 * option of another command is an error naming its owner), per-command
 * help, parsing. The builtins (builtin-*.c, one per command, as in perf)
 * get the parsed struct cli; main.c only dispatches.
 */
#ifndef SCB_CLI_H
#define SCB_CLI_H

#include <regex.h>
#include "report.h"
#include "run.h"

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

/* Parse argv into c; bad input is one line on stderr and exit 2, --help
 * and --version print and exit 0. */
void cli_parse(int argc, char **argv, struct cli *c);
/* The help of one command (NULL: all). */
void cli_usage(const char *command);
/* Free what parsing compiled (the regular expressions). */
void cli_free(struct cli *c);

#endif
