/* SPDX-License-Identifier: MIT */
/*
 * tune.h: --tune, the opt-in quieting of the CPU for a run: the
 * performance governor on every CPU and turbo/boost off, where the machine
 * has those knobs. Every setting changed is written back at exit, on error
 * and on every catchable fatal signal (this module installs the handlers;
 * SIGPIPE is ignored, so a closed pipe is a write error, not a silent
 * death). What to put back is kept in a state file (SCB_TUNE_STATE, default
 * /run/scbench) before anything changes, so a run killed with SIGKILL is
 * put right by the next `scbench run` or `scbench tune --restore`; runs
 * that overlap share one set of changes under an flock, and the last one
 * to finish restores. SCB_SYSFS=DIR points it at a copy of /sys, for the
 * tests: like the state folder it must be root's or our euid's, writable
 * by nobody else and not a link, and every file in it is reached without
 * leaving it (no link out, no hard link) before tune writes a byte.
 */
#ifndef SCB_TUNE_H
#define SCB_TUNE_H

#include <stddef.h>

/* Apply; what changed (or why nothing did) goes to done. 0, or -1 with
 * why (not root, state folder not ours or not writable, a state left that
 * tune_recover refuses). */
int tune_apply(char *done, size_t dlen, char *why, size_t wlen);

/* What tune_recover found; done says it in one line (empty for NOTHING). */
enum tune_recovery {
	TUNE_NOTHING,	/* no state, or a state with nothing to put back */
	TUNE_RESTORED,	/* something was written back */
	TUNE_HELD,	/* a live --tune run holds the settings */
	TUNE_REFUSED,	/* the folder or file is not provably ours, or not a
			 * state tune writes: left alone */
	TUNE_DENIED,	/* another user's state folder: not ours to look at */
	TUNE_FAILED,	/* a setting could not be written back: state kept */
};

/* Put back what a dead --tune run left changed, when its state file names
 * no live run. The state folder must be ours (our euid's, writable by
 * nobody else, not a link) and every line a setting tune changes under
 * SCB_SYSFS (or /sys); otherwise nothing is written. */
enum tune_recovery tune_recover(char *done, size_t dlen);

/* Leave: the last tuned run out puts everything back (also runs at exit
 * and on the signals above). */
void tune_restore(void);

#endif
