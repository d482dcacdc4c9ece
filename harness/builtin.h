/* SPDX-License-Identifier: MIT */
/* builtin.h: one function per command, each in its builtin-<command>.c
 * (perf's layout); main.c dispatches to them by name. Each returns the
 * process's exit status. */
#ifndef SCB_BUILTIN_H
#define SCB_BUILTIN_H

#include "cli.h"

int cmd_run(struct cli *c);
int cmd_compare(struct cli *c);
int cmd_export(struct cli *c);
int cmd_plots(struct cli *c);
int cmd_list(struct cli *c);
int cmd_list_events(struct cli *c);
int cmd_tune(struct cli *c);

/* Write the results folder dir in export format fmt to path ("-":
 * stdout), by rename; 0, or 1 with a message (builtin-export.c). */
int builtin_write_export(const char *dir, int fmt, const char *path);

/* Before measuring: whether builtin_write_export can create path (its
 * folder takes a new file; path is not a folder). 0, or -1 with why. */
int builtin_check_export_path(const char *path, char *why, size_t len);

#endif
