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
 * tests.
 */
#ifndef SCB_TUNE_H
#define SCB_TUNE_H

#include <stddef.h>

/* Apply; what changed (or why nothing did) goes to done. 0, or -1 with
 * why (not root, state folder not writable). */
int tune_apply(char *done, size_t dlen, char *why, size_t wlen);

/* Put back what a dead --tune run left changed, when its state file names
 * no live run. 1 when it restored (done says what), else 0 (done says why
 * not, or is empty when there is nothing to do). */
int tune_recover(char *done, size_t dlen);

/* Leave: the last tuned run out puts everything back (also runs at exit
 * and on the signals above). */
void tune_restore(void);

#endif
