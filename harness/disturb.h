/* SPDX-License-Identifier: MIT */
/*
 * disturb.h: what, on this machine right now, makes a syscall cost more
 * than it would on a quiet one, checked just before the timing rounds and
 * again just after them.
 *
 * The kernel sends every syscall of every process down its slow path
 * (syscall_trace_enter/exit) while anything needs to see syscalls: a
 * perf_event on a syscall tracepoint held by any process (perf stat -e
 * raw_syscalls:*, another scbench counting, bpftrace), enabled ftrace
 * events, audit rules, a seccomp filter or a ptracer on the measuring
 * process. nohz_full on the pinned CPU adds context tracking to every
 * entry, and another runnable task on that CPU takes turns with the
 * benchmark. None of it shows in the numbers except as a higher level, so
 * it is recorded with them (env.csv) and said on the terminal.
 *
 * A perf_event can't be asked which event it counts from outside its
 * process, so any perf_event file held elsewhere is reported: it may be a
 * syscall tracepoint. Only processes this user may inspect are seen (all of
 * them as root).
 */
#ifndef SCB_DISTURB_H
#define SCB_DISTURB_H

#include <stddef.h>
#include "env.h"

struct disturb {
	char perf_events[512];	/* "none", or "perf[123] x4, ..." */
	char ftrace[256];	/* "off", or what is enabled */
	char audit[160];	/* "off", "enabled, N rules", "not in this kernel", ... */
	char process[160];	/* seccomp / tracer of this process: "none" or what */
	char cpu[256];		/* nohz_full / isolation of the pinned CPU */
	char runnable[256];	/* other runnable tasks on the pinned CPU: "none" or who */
	size_t findings;	/* how many of the above slow syscalls down */
	char summary[1024];	/* the findings in one line, "none" when there are none */
};

/* Look now; cpu is the pinned CPU. Reads /proc, sysfs, tracefs and asks
 * audit over netlink; changes nothing. */
void disturb_check(struct disturb *d, int cpu);

/* Record d in env under keys ending in _WHEN ("before", "after"). */
void disturb_record(struct env *e, const char *when, const struct disturb *d);

/* Whether a task seen runnable on the pinned CPU is scbench's own, so no
 * disturbance: a thread of process self (thread group tgid), a child of
 * ours or a thread of one (ppid: the workers, the probe children), or an
 * io_uring SQPOLL poller, "iou-sqp-N", whose thread group N is ours or a
 * child's (parent(N) == self; parent may be NULL). comm is the task's name. */
int disturb_task_is_ours(long self, long tgid, long ppid, const char *comm, long (*parent)(long pid));

/* One line for a person: what was found and what to do, or "" if nothing. */
void disturb_advice(const struct env *e, char *buf, size_t len);

#endif
