/* SPDX-License-Identifier: MIT */
/*
 * env.h: the machine as measured, recorded with every result, because an
 * entry path's cost depends on the kernel, its mitigations and the CPU far
 * more than on anything in this program. A flat list of key/value pairs,
 * written as env.csv by the reporter.
 */
#ifndef SCB_ENV_H
#define SCB_ENV_H

#include <stddef.h>
#include "machine.h"

#define ENV_MAX 160

struct env_item {
	char key[64];
	char value[1024];
};

struct env {
	size_t n;
	struct env_item item[ENV_MAX];
};

/* Set (or replace) key. Values are single lines; newlines become spaces. */
void env_set(struct env *e, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *env_get(const struct env *e, const char *key);

/* "host · CPU · Linux release · mitigations" on one line (tabs and line
 * breaks as spaces): the title of a run's plots and of its report. */
void env_title(const struct env *e, char *buf, size_t len);

/* Everything readable about this machine and build; cpu is the pinned CPU. */
void env_collect(struct env *e, const struct machine *m, int cpu);

#endif
