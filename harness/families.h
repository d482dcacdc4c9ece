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

/* 1..9 in the order above; 8: a mechanism this table does not know. */
int family_rank(const char *mechanism);
/* Its heading: "Fast system-call instructions", ...; an unknown
 * mechanism's is its own name. */
const char *family_name(const char *mechanism);
/* order[0..n-1] gets 0..n-1 (mech[i]: row i's mechanism) in family order:
 * known families by rank, each unknown mechanism as a family in the order
 * it first appears, the floor last; the rows' own order inside each. */
void families_order(const char *const *mech, size_t n, size_t *order);

#endif
