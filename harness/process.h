/* SPDX-License-Identifier: MIT */
/*
 * process.h: a run's fresh measuring processes.
 *
 * Some costs are fixed for the life of a process: where ASLR put the code
 * (by whole pages: the virtual addresses branch predictors index by) and
 * the stack (to 16 bytes), which physical pages back its own memory (its
 * code is the page cache's, shared), how all that aliases in caches and
 * predictors. Blocks of rounds inside one process
 * can't see that spread, so an interval built from them does not hold a
 * repeat run's median (measured: 58-75 % of the time). So `scbench run`
 * (run.c) measures every row in P fresh processes, one after the other
 * (fork + exec of this program as `scbench process`, so the layout is
 * drawn again; each starts its own i386 worker and seccomp children), and
 * the figures come from all of them: rounds are blocks inside a process,
 * processes the upper level (stats_unit_medians). As JMH forks the JVM
 * and hyperfine spawns every run.
 *
 * Protocol, the child's stdout (text lines, tab-separated fields):
 *   p DONE TOTAL                      progress through its timing rounds
 *   env KEY VALUE                     what its workers and counters add
 *   row NAME STATUS CALLS DETAIL REASON   every selected row, in order
 *   t NAME TN T2N TN T2N ...          an ok row's raw tick pairs
 *   c NAME V V ...                    its per-call counts, round by round
 *   k INDEX OPENED SCHEDULED MULTIPLEXED USER_ONLY WHY   a counter's state
 *   end                               all said
 * A child that ends without "end", or not with exit status 0, has failed:
 * nothing it said is taken, the run goes on with the other processes, and
 * leaves this one's rounds out (env.csv process_failed says which and why).
 */
#ifndef SCB_PROCESS_H
#define SCB_PROCESS_H

#include <stdio.h>
#include "run.h"

/* Parent side: measure r's selected rows (r->res[0..n-1], their sample
 * arrays allocated for r->opt.runs rounds) in fresh process `index` of
 * `count`, its rounds stored from round `first` on: `rounds` timing rounds
 * after `warmup`, and `counter_runs` counting rounds (0: none). The TSC
 * rate is handed down so no process spends time calibrating. Progress
 * goes to r->opt.progress as rounds of the whole run. What the child says
 * is taken only once it has ended well: first_done 0 (no process has yet)
 * lets it set every row's verdict. 0, or -1 with why: the process gave
 * nothing, and its rounds are empty (run.c leaves them out). */
int process_measure(struct run *r, unsigned index, unsigned count, unsigned first, unsigned rounds,
		    unsigned warmup, unsigned counter_runs, double tsc_rate, int first_done, char *why,
		    size_t len);

/* Child side: write a measured run (run_measure) in the protocol above. */
void process_write(FILE *out, const struct run *r);

/* Child side: progress lines for the parent (a run_options.progress). */
void process_progress(unsigned done, unsigned total);

#endif
