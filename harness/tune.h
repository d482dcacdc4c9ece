/*
 * tune.h: --tune, the opt-in quieting of the CPU for a run: the
 * performance governor on every CPU and turbo/boost off, where the machine
 * has those knobs. Every setting changed is written back on exit, on error
 * and on SIGINT/SIGTERM/SIGHUP/SIGQUIT (this module installs those
 * handlers). SCB_SYSFS=DIR points it at a copy of /sys, for the tests.
 */
#ifndef SCB_TUNE_H
#define SCB_TUNE_H

#include <stddef.h>

/* Apply; what changed (or why nothing did) goes to done. 0, or -1 with
 * why (not root). */
int tune_apply(char *done, size_t dlen, char *why, size_t wlen);

/* Put everything back (also runs at exit and on the signals above). */
void tune_restore(void);

#endif
