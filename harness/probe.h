/* SPDX-License-Identifier: MIT */
/*
 * probe.h: can this machine run a benchmark? Every kernel's first call
 * happens here, in a forked child with fault handlers, so an instruction the
 * CPU or kernel rejects (int $0x80 without 32-bit emulation, sysenter on
 * AMD, a vsyscall with the page unmapped) costs one child, not the run.
 * Only this module installs signal handlers.
 */
#ifndef SCB_PROBE_H
#define SCB_PROBE_H

#include <stddef.h>
#include "registry.h"

/* STATUS_NOISY: measured, but too many samples were rejected to trust the
 * figures (the run decides that after measuring; the reason says how many). */
enum bench_status { STATUS_OK, STATUS_UNSUPPORTED, STATUS_ERROR, STATUS_NOISY };

const char *probe_status_name(enum bench_status s);
/* The status a name of probe_status_name's stands for; anything else is
 * an error (the other processes' protocols send these names). */
enum bench_status probe_status_of(const char *name);
/* Whether a row with this status has samples and figures (ok or noisy). */
static inline int probe_status_measured(enum bench_status s)
{
	return s == STATUS_OK || s == STATUS_NOISY;
}

/* Prepare a for b and try one round of calls in a child. On STATUS_OK, a is
 * ready for measuring in this process; otherwise why says what happened in
 * words a person understands. */
enum bench_status probe_bench(const struct bench *b, const struct machine *m,
			      struct kargs *a, char *why, size_t len);

/* Why `what` (e.g. "int $0x80", "i386 programs") can't run when 32-bit
 * emulation is missing: switched off, or not built into the kernel. */
void probe_explain_no_ia32(const char *what, char *why, size_t len);

/* 32-bit emulation as this kernel offers it: "enabled", or "disabled" plus
 * the reason, found by trying int $0x80 in a child. */
void probe_ia32_emulation(const struct machine *m, char *buf, size_t len);

#endif
