/* SPDX-License-Identifier: MIT */
/*
 * worker.h: the other ABI's rows, measured by a second process in lockstep.
 *
 * An x86-64 process can't run i386 kernels (and vice versa), so scbench
 * starts its twin built for the other ABI (build/scbench32 next to
 * build/scbench) as `scbench32 worker`. The worker probes its own rows and
 * sizes their N, then waits; in every round, after the parent has sampled
 * its rows, it tells the worker to sample its rows and reads back the tick
 * counts. Rounds stay interleaved across both processes (A B C | D E F,
 * A B C | D E F, ...), the worker's samples pair with the reference's from
 * the same round, and only one process runs at a time on the pinned CPU.
 *
 * Protocol (text lines, tab-separated fields):
 *   worker -> parent:  env KEY VALUE | row NAME STATUS CALLS DETAIL REASON | ready
 *   parent -> worker:  w (warm-up round) | m (measured round) | c (counting
 *                      round) | q (quit)
 *   worker -> parent:  w | s TN T2N TN T2N ... (one pair per ok row, in row
 *                      order) | c V V ... (per-call counts, row by row);
 *                      a row whose kernel faulted (guard.h) sends "f SIG"
 *                      in place of its pair or counts from then on
 * The worker counts with the parent's encoded counter set (--counter-spec),
 * so it needs no libpfm4 of its own.
 */
#ifndef SCB_WORKER_H
#define SCB_WORKER_H

#include <stdio.h>
#include <sys/types.h>
#include "counters.h"
#include "env.h"
#include "row.h"
#include "settings.h"

struct worker {
	const struct bench *only;	/* a child row's worker: this row alone */
	pid_t pid;
	FILE *to, *from;
	struct bench_result **rows;	/* the parent's rows it measures (ok ones) */
	size_t n;
	int failed;
	unsigned round_base;		/* the run's number of this process's round 0 */
};

/* What the worker takes from the run and hands back into it, and nothing
 * more: the run's rows (it fills in the verdicts, N and, round by round,
 * the tick counts of the ones it owns), the env it adds its worker_* keys
 * to, and the counter set it counts with. */
struct worker_rows {
	struct bench_result *res;
	size_t n;
	struct env *env;
	const struct counter_set *counters;
};

/* Parent side. Start the worker for the selected rows of the other ABI
 * (only NULL), or a copy of this program for the one row only, which runs
 * in a child of its own (registry_in_child: it installs the row's seccomp
 * filter first), and read its verdicts into them. When it can't start (no
 * i386 build, no 32-bit emulation), every such row becomes unsupported with
 * the reason and -1 is returned; the run goes on without them. */
int worker_start(struct worker *w, const struct run_options *opt, const struct worker_rows *rows,
		 const struct bench *only);
/* One round: r is the measured round's index, or -1 for a warm-up round.
 * If the worker dies, its rows become errors and later rounds skip it. */
void worker_round(struct worker *w, int r);
/* One counting round (index r) of nc counters per row. */
void worker_count_round(struct worker *w, int r, size_t nc);
void worker_stop(struct worker *w);

/* Worker side: `scbench worker --cpu N --target-us T [--filter RE]
 * [--only ROW --seccomp SPEC]`. */
int worker_main(const struct run_options *opt);

/* The twin's file name next to this executable. */
#ifdef __x86_64__
#define WORKER_EXE "scbench32"
#else
#define WORKER_EXE "scbench"
#endif

#endif
