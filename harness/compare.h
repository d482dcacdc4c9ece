/*
 * compare.h: `scbench compare BASE NEW`: which benchmarks got slower, with
 * a stated error rate. Loads two runs (results folders, or samples.csv
 * files with their summary.csv and env.csv beside them), validates them
 * strictly, and computes per benchmark present in both:
 *
 *   ratio      median(new) / median(base), with a bootstrap 95% interval
 *   p          Mann-Whitney U test, two-sided: do the samples differ at all?
 *   verdict    regression when the whole interval lies above 1 + threshold
 *              and p < alpha; improvement when it lies below 1 - threshold
 *              and p < alpha; otherwise unchanged.
 *
 * --normalize first divides every sample by the reference's sample of the
 * same round (x86_64/syscall/getppid), so a machine that is uniformly faster
 * or slower cancels; the reference itself is then not compared.
 */
#ifndef SCB_COMPARE_H
#define SCB_COMPARE_H

#include <stddef.h>
#include "env.h"

#define COMPARE_DEFAULT_THRESHOLD 0.10
#define COMPARE_DEFAULT_ALPHA     0.01
#define COMPARE_BOOTSTRAP         2000

struct cmp_bench {
	char name[128];			/* abi/mechanism/syscall */
	char status[16];		/* from summary.csv; "ok" if only samples are known */
	char reason[256];
	double *v;			/* samples: ns per call, or normalised */
	unsigned *round;
	size_t n, cap;
};

struct cmp_run {
	char label[4096];		/* what the user named */
	struct cmp_bench *b;
	size_t nb;
	struct env env;
	int have_env;
};

enum cmp_verdict { CMP_UNCHANGED, CMP_REGRESSION, CMP_IMPROVEMENT, CMP_NEW, CMP_GONE,
		   CMP_STATUS_CHANGED, CMP_NOT_COMPARED };

struct cmp_row {
	char name[128];
	enum cmp_verdict verdict;
	double base, new_, ratio, lo, hi, p;
	size_t nbase, nnew;
	char note[300];
};

struct cmp_outcome {
	struct cmp_row *rows;
	size_t n;
	size_t regressions, improvements;
	double threshold, alpha;
	int normalized;
	char machine_warning[1024];	/* "" when the runs' machines match */
	char base_label[4096], new_label[4096];
};

/* Load a run. 0, or -1 with a one-line reason naming the file and line. */
int compare_load(struct cmp_run *r, const char *path, char *why, size_t len);
void compare_free(struct cmp_run *r);

/* Divide each sample by the reference's sample of the same round. 0, or
 * -1 with why (no reference in the run). */
int compare_normalize(struct cmp_run *r, char *why, size_t len);

/* Compare; fills out (free with compare_outcome_free). */
void compare_runs(const struct cmp_run *base, const struct cmp_run *new_, double threshold,
		  double alpha, int normalized, struct cmp_outcome *out);
void compare_outcome_free(struct cmp_outcome *out);

const char *compare_verdict_name(enum cmp_verdict v);

#endif
