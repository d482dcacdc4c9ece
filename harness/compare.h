/* SPDX-License-Identifier: MIT */
/*
 * compare.h: `scbench compare BASE NEW`: which benchmarks got slower, with
 * a stated error rate. Loads two runs (results folders, or samples.csv
 * files with their summary.csv and env.csv beside them), validates them
 * strictly, and for every benchmark measured in both:
 *
 * Exact (both runs carry summary.csv's icount column, from bench-icount):
 *   any change of the guest instruction count beyond --tolerance is a
 *   regression (more) or an improvement (fewer). No statistics: the counts
 *   repeat exactly.
 *
 * Timed: each run's unit is a fresh process's median (samples.csv's
 *   process column, from a run of several processes: what changes between
 *   processes changes between runs too), or, for a run of one process (or
 *   one written before processes), a block of COMPARE_BLOCKS consecutive
 *   rounds' median; the logs of the units are compared with Welch's t
 *   test, so a machine that drifts within a run widens the interval
 *   instead of faking certainty.
 *   ratio      new/base, the geometric mean ratio of the units (process or block medians), with its
 *              95% interval
 *   p          for "more than threshold slower" and "more than threshold
 *              faster" (one-sided each), Holm-adjusted over every row and
 *              both directions: a pair of runs with no change beyond the
 *              threshold gets any verdict with probability <= alpha
 *   verdict    regression / improvement when that adjusted p < alpha
 *   Rows under COMPARE_FLOOR_NS in both runs (the empty loop) are not
 *   compared: timing can't resolve them.
 *
 * --normalize first divides every sample by the reference's sample of the
 * same round (x86_64/syscall/getppid), so a machine that is uniformly faster
 * or slower cancels; the reference itself is then not compared.
 */
#ifndef SCB_COMPARE_H
#define SCB_COMPARE_H

#include <stddef.h>
#include "env.h"
#include "results.h"
#include <regex.h>

#define COMPARE_DEFAULT_THRESHOLD 0.10
#define COMPARE_DEFAULT_ALPHA     0.05
#define COMPARE_BLOCKS            10
#define COMPARE_FLOOR_NS          1.0
/* The most processes a run may have (results.h: RESULTS_MAX_PROCESSES). */
#define COMPARE_MAX_PROCESSES     RESULTS_MAX_PROCESSES

struct cmp_bench {
	char name[128];			/* abi/mechanism/syscall */
	char status[16];		/* from summary.csv; "ok" if only samples are known */
	char reason[256];
	double *v;			/* valid samples: ns per call, or normalised */
	double raw_median;		/* of the ns samples, before any normalising */
	double icount;			/* guest instructions per call (summary.csv) */
	int has_icount;
	unsigned *round;
	unsigned *proc;			/* the fresh process each sample came from (NULL: not known) */
	unsigned nproc;			/* 1 + the largest process number seen */
	size_t n, cap;
};

struct cmp_run {
	char label[4096];		/* what the user named */
	struct cmp_bench *b;
	size_t nb, bcap;
	size_t *hash, hcap;		/* name -> index into b (compare.c) */
	struct env env;
	int have_env;
};

/* The benchmark called name in r, added (status ok, no samples) when r has
 * none yet; the pointer holds until the next one is added. */
struct cmp_bench *compare_bench(struct cmp_run *r, const char *name);

enum cmp_verdict { CMP_UNCHANGED, CMP_REGRESSION, CMP_IMPROVEMENT, CMP_NEW, CMP_GONE,
		   CMP_STATUS_CHANGED, CMP_NOT_COMPARED };

struct cmp_row {
	char name[128];
	enum cmp_verdict verdict;
	double base, new_, ratio, lo, hi, p;	/* p: Holm-adjusted, of the nearer verdict */
	double base_pm, new_pm;		/* each side's 95% spread, in per cent (benchstat's
					 * "±"): t * sd of its log unit medians / sqrt(k) */
	size_t nbase, nnew;
	size_t pslot;			/* where its two p-values sit, while comparing */
	int exact;			/* compared by icount */
	char note[300];
};

struct cmp_outcome {
	struct cmp_row *rows;
	size_t n, cap;
	size_t regressions, improvements;
	size_t in_common;		/* rows measured in both runs, compared or not */
	double threshold, alpha;
	int normalized;
	int exact;			/* some rows were compared by icount */
	char machine_warning[1024];	/* "" when the runs' machines match */
	char disturbance_warning[1024];	/* "" when neither run was disturbed differently */
	char base_label[4096], new_label[4096];
};

/* Load a run. 0, or -1 with a one-line reason naming the file and line. */
int compare_load(struct cmp_run *r, const char *path, char *why, size_t len);
void compare_free(struct cmp_run *r);

/* Divide each sample by the reference's sample of the same round. 0, or
 * -1 with why (no reference in the run). */
int compare_normalize(struct cmp_run *r, char *why, size_t len);

/* Keep only the benchmarks whose name matches keep (NULL: all) and not
 * drop (NULL: none): --filter and --exclude. */
void compare_select(struct cmp_run *r, const regex_t *keep, const regex_t *drop);

/* Compare; fills out (free with compare_outcome_free). */
void compare_runs(const struct cmp_run *base, const struct cmp_run *new_, double threshold,
		  double alpha, int normalized, double tolerance, struct cmp_outcome *out);
void compare_outcome_free(struct cmp_outcome *out);

const char *compare_verdict_name(enum cmp_verdict v);

#endif
