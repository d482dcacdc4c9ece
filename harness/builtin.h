/* SPDX-License-Identifier: MIT */
/* builtin.h: one function per command, each in its builtin-<command>.c
 * (perf's layout) with its own table of options and its usage (options.h);
 * main.c dispatches to them by name. Each takes the words after
 * "scbench" (argv[0] is the command's name) and returns the process's exit
 * status. No builtin includes another's header or calls into another. */
#ifndef SCB_BUILTIN_H
#define SCB_BUILTIN_H

#include "options.h"

extern const struct command run_command, compare_command, export_command, plots_command, report_command,
	list_command, list_events_command, tune_command, worker_command, process_command,
	history_command;

int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_plots(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_list_events(int argc, char **argv);
int cmd_tune(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_process(int argc, char **argv);
int cmd_history(int argc, char **argv);

#endif
