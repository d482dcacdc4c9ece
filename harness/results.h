/* SPDX-License-Identifier: MIT */
/* results.h: the results folder: DIR/<host>-<UTC time>/ with summary.csv,
 * samples.csv and env.csv, and DIR/latest pointing at the newest. Owns
 * every write into DIR: nothing else creates or removes files there. */
#ifndef SCB_RESULTS_H
#define SCB_RESULTS_H

#include "run.h"
#include "version.h"

#include <stddef.h>

/* Every results folder scbench writes holds this file, one line naming
 * scbench and its version, written before anything else: cleanup (make
 * distclean, ci-bench, the stale-entry sweep below) removes only folders
 * that carry it. */
#define RESULTS_MARKER ".scbench-results"
#define RESULTS_MARKER_LINE "scbench " SCB_VERSION " results folder"

/* Before measuring: prove root (created with its parents when missing)
 * can take a new folder. On success root stays (the run writes there, and
 * a concurrent run may use it already); on failure the folders this call
 * made are taken back. 0, or -1 with a one-line message in why. */
int results_check_writable(const char *root, char *why, size_t wlen);

/* Remove what interrupted writers left in root: hidden .tmp-*, .latest-*,
 * .scbench-probe-* and .tmp-ci-* entries of our euid (folders: writable by
 * nobody else, and a .tmp-* one holding RESULTS_MARKER) whose writer (the
 * PID in the name: after its last '-', ended by the name's end or a '.')
 * is gone, or that are older than RESULTS_STALE_S (a writer holds one for
 * the milliseconds it takes to write three CSVs; ci-bench's for one run).
 * Only in a root of our euid that no one else can write (or a sticky one):
 * otherwise one warning and nothing removed. Removal goes by descriptor
 * (openat/unlinkat, O_NOFOLLOW at each level): a link is never followed.
 * Returns how many were removed. */
#define RESULTS_STALE_S (24 * 3600)
int results_clean_stale(const char *root);

/* Write the run into a hidden folder (mkdtemp's .tmp-HOST-STAMP-PID.XXXXXX,
 * so nothing planted in a shared root can take its name), rename it into
 * place, point latest at it: a reader never sees half a result. final gets
 * the folder's path.
 * 0, or -1 with a one-line message in why (nothing left behind). */
int results_write(const char *root, const struct run *r, char *final, size_t flen,
		  char *why, size_t wlen);

#endif
