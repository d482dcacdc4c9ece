/* results.h: the results folder: DIR/<host>-<UTC time>/ with summary.csv,
 * samples.csv and env.csv, and DIR/latest pointing at the newest. Owns
 * every write into DIR: nothing else creates or removes files there. */
#ifndef SCB_RESULTS_H
#define SCB_RESULTS_H

#include "run.h"

#include <stddef.h>

/* Before measuring: prove root can take a new folder and leave nothing
 * behind. 0, or -1 with a one-line message in why. */
int results_check_writable(const char *root, char *why, size_t wlen);

/* Remove what interrupted writers left in root: hidden .tmp-*, .latest-*,
 * .scbench-probe-* and .tmp-ci-* entries whose writer (the PID that ends
 * the name) is gone, or that are older than RESULTS_STALE_S (a writer
 * holds one for the milliseconds it takes to write three CSVs; ci-bench's
 * for one run). Returns how many were removed. */
#define RESULTS_STALE_S (24 * 3600)
int results_clean_stale(const char *root);

/* Write the run into a hidden folder, rename it into place, point latest
 * at it: a reader never sees half a result. final gets the folder's path.
 * 0, or -1 with a one-line message in why (nothing left behind). */
int results_write(const char *root, const struct run *r, char *final, size_t flen,
		  char *why, size_t wlen);

#endif
