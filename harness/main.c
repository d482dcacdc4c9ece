/* SPDX-License-Identifier: MIT */
/*
 * main.c: scbench's entry point: find the command and hand it the words
 * after "scbench" (each builtin-<command>.c parses its own options,
 * options.h). Here only what no command owns: the general help, help
 * COMMAND and the version.
 *
 * Exit status: 0 done; 1 the run failed (e.g. results could not be
 * written), or compare found a regression; 2 bad input, with a one-line
 * message.
 */
#define _GNU_SOURCE
#include "builtin.h"
#include "util.h"
#include "version.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const struct command *spec;
	int (*fn)(int argc, char **argv);
} builtins[] = {
	{ &run_command, cmd_run }, { &list_command, cmd_list }, { &list_events_command, cmd_list_events },
	{ &compare_command, cmd_compare }, { &export_command, cmd_export }, { &plots_command, cmd_plots },
	{ &report_command, cmd_report }, { &history_command, cmd_history },
	{ &tune_command, cmd_tune }, { &worker_command, cmd_worker }, { &process_command, cmd_process },
};
#define NBUILTINS (sizeof(builtins) / sizeof(builtins[0]))

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if (!strcmp(builtins[i].spec->name, name))
			return builtins[i].spec;
	return NULL;
}

static void usage(void)
{
	printf("Usage: scbench COMMAND [OPTIONS]   (scbench COMMAND --help: that command's options)\n"
	       "\n"
	       "Measures what it costs to enter the Linux kernel on x86, mechanism by\n"
	       "mechanism: syscall, int $0x80, the vDSO, the vsyscall page, libc wrappers.\n"
	       "\n"
	       "Commands:\n");
	for (size_t i = 0; i < NBUILTINS; i++) {
		const struct command *c = builtins[i].spec;
		char left[64];
		if (!c->summary)	/* internal: the run's own processes */
			continue;
		/* its operands, or its one required option (tune --restore) */
		const char *ops = c->synopsis[0] == '[' ? strchr(c->synopsis, ']') : c->synopsis - 1;
		ops = ops ? ops + 1 : "";
		snprintf(left, sizeof(left), "%s%s%s", c->name, *ops == ' ' || !*ops ? "" : " ", ops);
		if (strlen(left) < 15)
			printf("  %-15s%s\n", left, c->summary);
		else
			printf("  %s\n  %-15s%s\n", left, "", c->summary);
	}
	printf("  help [COMMAND] this text, or one command's\n"
	       "\n"
	       "  -h, --help     this help      -V, --version  the version\n"
	       "\n"
	       "Each sample times N calls and 2N calls and keeps the difference; rounds\n"
	       "interleave the benchmarks, in fresh processes. Times are TSC ticks converted\n"
	       "to ns; see README.md and scbench(1).\n");
}

/* Standard input, output and error open, on /dev/null where they were
 * closed (cron, `<&- >&-`): else the first pipe a run makes could be fd 1
 * itself, and a measuring process or worker would lose its channel. */
static void keep_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
}

int main(int argc, char **argv)
{
	const struct command *all[NBUILTINS];

	keep_std_fds();

	for (size_t i = 0; i < NBUILTINS; i++)
		all[i] = builtins[i].spec;
	options_commands(all, NBUILTINS);
	if (argc < 2)
		options_error(NULL, "no command given");
	const char *a = argv[1];
	if (!strcmp(a, "-h") || !strcmp(a, "--help") || (!strcmp(a, "help") && argc == 2)) {
		usage();
		return 0;
	}
	if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
		printf("scbench %s (commit %s)\n", SCB_VERSION, SCB_GIT_COMMIT);
		return 0;
	}
	if (!strcmp(a, "help")) {
		/* help FROB: the same one line and exit 2 as scbench FROB */
		const struct command *c = find(argv[2]);
		if (!c || !c->summary)
			options_error(NULL, "unknown command '%s'", argv[2]);
		if (argc > 3)
			options_error(NULL, "unexpected argument '%s'", argv[3]);
		options_usage(c);
		return 0;
	}
	if (a[0] == '-')
		options_error(NULL, "unknown option '%s' (options come after the command)", a);
	for (size_t i = 0; i < NBUILTINS; i++)
		if (!strcmp(builtins[i].spec->name, a))
			return builtins[i].fn(argc - 1, argv + 1);
	options_error(NULL, "unknown command '%s'", a);
}
