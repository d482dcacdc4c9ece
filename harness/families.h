/* SPDX-License-Identifier: MIT */
/*
 * families.h: the mechanism families that the report and the plots group
 * rows by, following the kernel's entry paths (shared notes,
 * mechanisms.md): fast system-call instructions, int $0x80, the vDSO, the
 * vsyscall page, glibc, seccomp, io_uring, then any mechanism this table
 * does not know (a family of its own, named after it), then the floor
 * (the empty loop). Nothing is dropped.
 */
#ifndef SCB_FAMILIES_H
#define SCB_FAMILIES_H

#include <stddef.h>
#include <stdio.h>

/* 1..9 in the order above; 8: a mechanism this table does not know. */
int family_rank(const char *mechanism);
/* Its heading: "Fast system-call instructions", ...; an unknown
 * mechanism's is its own name. */
const char *family_name(const char *mechanism);
/* order[0..n-1] gets 0..n-1 (mech[i]: row i's mechanism) in family order:
 * known families by rank, each unknown mechanism as a family in the order
 * it first appears, the floor last; the rows' own order inside each. */
void families_order(const char *const *mech, size_t n, size_t *order);

/* One measured row as the headline reads it. value is per call in the
 * run's unit (NaN: no figure, the row is left out); ratio (to the
 * reference), sys (syscalls per call) and pf (page faults per call) are
 * NaN where the run has none. The texts are as the report prints them. */
struct glance_row {
	const char *name;		/* abi/mechanism/syscall */
	const char *abi, *mechanism, *syscall, *detail;
	double value, ratio, sys, pf;
};

/* The report's headline ("At a glance"), as Markdown list items on out:
 * the cheapest call, the cheapest way into the kernel, the dearest, the
 * reference, the ways in whose ratio is far from 1 (at most six, farthest
 * first) and why each costs what it does, the vDSO calls that enter the
 * kernel all the same, and the floor. rows: the measured rows in the
 * run's order; unit: "ns" or "guest instructions". */
void families_glance(FILE *out, const struct glance_row *rows, size_t n, const char *unit);

#endif
