/* SPDX-License-Identifier: MIT */
/*
 * counters.h: the one module that talks to perf_event (and libpfm4).
 *
 * A counter set is the list of events every benchmark is counted with:
 * by default cycles, instructions and branch misses, each twice (user mode
 * only, kernel mode only), the software events task-clock, context switches
 * and page faults, and (root) the raw_syscalls:sys_enter tracepoint, which
 * says how many syscalls one call really made. --events adds any name
 * libpfm4 knows. Counters that can't be opened here (no hardware PMU in a
 * VM, perf_event_paranoid too high) stay in the set with the reason, so
 * their CSV columns are empty, never made up.
 *
 * Counts are per thread (pid 0, cpu -1), so they follow the pinned process.
 */
#ifndef SCB_COUNTERS_H
#define SCB_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#define COUNTERS_MAX 40

struct counter {
	char column[64];	/* CSV column: cycles_user, syscalls_per_call, ... */
	char name[96];		/* the event as the user or the default named it */
	uint32_t type;		/* perf_event_attr.type / .config */
	uint64_t config;
	int exclude_user, exclude_kernel;
	int group;		/* the set's index of this counter's group leader */
	int fd;			/* -1: not open */
	void *page;		/* mmapped perf page (hardware counters), or NULL */
	int use_rdpmc;
	char why[200];		/* why fd is -1 */
	int multiplexed;	/* seen running less than enabled (counts scaled) */
	int opened;		/* was open for the counting phase */
	int user_only;		/* opened with exclude_kernel because perf_event_paranoid
				 * forbade kernel mode: counts user mode only */
	int scheduled;		/* ever seen running */
};

struct counter_set {
	size_t n;
	struct counter c[COUNTERS_MAX];
	int npairs;		/* --events names after the defaults */
};

/* Define the default set plus the comma-separated events (NULL: none).
 * Names are libpfm4 event strings or perf's generic names, optionally with
 * :u or :k; each counts in user and kernel mode apart unless the modifier
 * says which. 0, or -1 with a one-line reason naming the bad event. */
int counters_define(struct counter_set *s, const char *events, char *why, size_t len);

/* The set as a compact string and back, for the other ABI's worker, which
 * has no libpfm4 of its own: it counts exactly what the parent encoded. */
void counters_spec(const struct counter_set *s, char *buf, size_t len);
int counters_define_spec(struct counter_set *s, const char *spec);

/* Open every counter of the set (disabled counters stay with their reason);
 * the number opened. Then counters_enable_all() starts them counting. */
size_t counters_open_all(struct counter_set *s);
void counters_enable_all(struct counter_set *s);
void counters_close_all(struct counter_set *s);

/* Current value of every open counter (scaled when multiplexed) into
 * vals[0..n-1]; closed counters read 0. Uses rdpmc where the kernel allows
 * user-space reads of that counter, read() otherwise. */
void counters_read_all(struct counter_set *s, uint64_t *vals);

/* How values are read ("read()", "rdpmc for hardware counters, read() for the
 * rest") and why rdpmc isn't used, for env.csv. */
void counters_method(const struct counter_set *s, char *buf, size_t len);

/* One line on what was not counted, or counted only in part, and why,
 * grouped by reason ("cycles_user, cycles_kernel: no hardware PMU; ..."),
 * naming the setting that would allow it: "" if everything was counted. */
void counters_reasons(const struct counter_set *s, char *buf, size_t len);

/* The columns that were really counted, comma-separated ("" for none). */
void counters_counted(const struct counter_set *s, char *buf, size_t len);

/* Walk the events this machine offers (libpfm4's PMUs that are present, plus
 * the tracepoint): 1 with name and description filled, 0 at the end. */
int counters_next_event(int *cursor, char *name, size_t nlen, char *desc, size_t dlen);

#endif
