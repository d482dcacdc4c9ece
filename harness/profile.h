/* SPDX-License-Identifier: MIT */
/*
 * profile.h: per-function profiles of the entry paths (make bench-profile,
 * scripts/vm/vm-profile.sh) and their diff, `scbench compare A B` when both
 * folders hold a profile.csv.
 *
 * profile.csv: kernel,options,cpu_vendor,abi,mechanism,syscall,function,
 * instructions, one line per function of a row, instructions per call. A
 * row's functions sum exactly to its traced count; where the folder also
 * holds the trace lane's trace.csv (vendor,abi,mechanism,syscall,
 * trace_instructions), loading checks that, row by row, and refuses a
 * profile that does not (a truncated or edited file).
 */
#ifndef SCB_PROFILE_H
#define SCB_PROFILE_H

#include <regex.h>
#include <stddef.h>
#include <stdio.h>

struct prof_fn {
	char *name;
	double ins;		/* instructions per call */
};

struct prof_row {
	char *vendor, *name;	/* "intel", "x86_64/syscall/getppid" */
	struct prof_fn *fn;
	size_t nfn, cap;
	double total;		/* the functions' sum */
};

struct profile {
	char *kernel, *options;
	struct prof_row *rows;
	size_t nrows, cap;
};

/* Whether dir holds a profile.csv (so compare takes it as a profile). */
int profile_present(const char *dir);

/* Read dir/profile.csv (and check it against dir/trace.csv where there is
 * one); rows whose abi/mechanism/syscall keep does not match, or drop
 * matches, are left out (either may be NULL). 0, or -1 with why. */
int profile_load(struct profile *p, const char *dir, const regex_t *keep, const regex_t *drop,
		 char *why, size_t len);
void profile_free(struct profile *p);

enum prof_format { PROF_TABLE, PROF_CSV };

/* The per-function change from a to b, row by row (a's order, then rows
 * only in b), functions by the size of their change, largest first, each
 * row's changes summing to its count's. an and bn name the two sides.
 * Returns the number of rows whose count rose, or -1 when no row is in
 * both. */
int profile_compare(FILE *f, const struct profile *a, const char *an, const struct profile *b,
		    const char *bn, enum prof_format fmt);

#endif
