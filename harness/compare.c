/* SPDX-License-Identifier: MIT */
/* compare.c: see compare.h. */
#define _GNU_SOURCE
#include "compare.h"
#include "results.h"
#include "stats.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REF_NAME "x86_64/syscall/getppid"

/* ---- benchmarks by name: an open-addressing hash of indexes into r->b,
 * so 100k distinct names load in linear time ------------------------------ */

#define EMPTY_SLOT ((size_t)-1)

static size_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32));
}

/* The slot holding name, or the empty slot where it would go. */
static size_t *slot_of(const struct cmp_run *r, const char *name)
{
	size_t i = name_hash(name) & (r->hcap - 1);

	while (r->hash[i] != EMPTY_SLOT && strcmp(r->b[r->hash[i]].name, name))
		i = (i + 1) & (r->hcap - 1);
	return &r->hash[i];
}

static void rehash(struct cmp_run *r, size_t cap)
{
	free(r->hash);
	r->hcap = cap;
	r->hash = util_calloc(cap, sizeof(*r->hash));
	for (size_t i = 0; i < cap; i++)
		r->hash[i] = EMPTY_SLOT;
	for (size_t i = 0; i < r->nb; i++)
		*slot_of(r, r->b[i].name) = i;
}

static const struct cmp_bench *lookup(const struct cmp_run *r, const char *name)
{
	if (!r->hcap)
		return NULL;
	size_t at = *slot_of(r, name);
	return at == EMPTY_SLOT ? NULL : &r->b[at];
}

struct cmp_bench *compare_bench(struct cmp_run *r, const char *name)
{
	if (r->hcap) {
		size_t at = *slot_of(r, name);
		if (at != EMPTY_SLOT)
			return &r->b[at];
	}
	if (r->nb == r->bcap) {
		r->bcap = r->bcap ? 2 * r->bcap : 64;
		r->b = util_realloc(r->b, r->bcap * sizeof(*r->b));
	}
	if (2 * (r->nb + 1) > r->hcap)
		rehash(r, r->hcap ? 2 * r->hcap : 128);
	*slot_of(r, name) = r->nb;
	struct cmp_bench *b = &r->b[r->nb++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(b->status, sizeof(b->status), "ok");
	return b;
}

static int sample_row(void *ctx, const struct results_sample *s, const char *file, char *why, size_t len)
{
	struct cmp_run *r = ctx;

	(void)file, (void)why, (void)len;
	/* samples the run itself rejected (its valid column) never count */
	if (s->valid == 0)
		return 0;
	struct cmp_bench *b = compare_bench(r, s->name);
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->v = util_realloc(b->v, b->cap * sizeof(*b->v));
		b->round = util_realloc(b->round, b->cap * sizeof(*b->round));
		b->proc = util_realloc(b->proc, b->cap * sizeof(*b->proc));
	}
	b->v[b->n] = s->ns;
	b->proc[b->n] = (unsigned)s->process;
	if ((unsigned)s->process + 1 > b->nproc)
		b->nproc = (unsigned)s->process + 1;
	b->round[b->n++] = (unsigned)s->round;
	return 0;
}

/* summary.csv gives the rows that have no samples (unsupported, errors). */
static int summary_row(void *ctx, const struct results_row *w, const char *file, char *why, size_t len)
{
	struct cmp_run *r = ctx;
	struct cmp_bench *b = compare_bench(r, w->name);

	(void)file, (void)why, (void)len;
	snprintf(b->status, sizeof(b->status), "%s", w->status);
	snprintf(b->reason, sizeof(b->reason), "%s", w->reason);
	if (!isnan(w->icount)) {
		b->icount = w->icount;
		b->has_icount = 1;
	}
	return 0;
}

static int load_samples(struct cmp_run *r, const char *file, char *why, size_t len)
{
	size_t rows = 0;

	if (results_read_samples(file, sample_row, r, &rows, why, len))
		return -1;
	if (rows == 0) {
		snprintf(why, len, "%s: no samples (header only)", file);
		return -1;
	}
	return 0;
}

static int load_summary(struct cmp_run *r, const char *file, char *why, size_t len)
{
	size_t rows = 0;

	return results_read_summary(file, NULL, summary_row, r, &rows, why, len);
}

static int load_env(struct cmp_run *r, const char *file, char *why, size_t len)
{
	if (results_read_env(file, &r->env, why, len))
		return -1;
	r->have_env = r->env.n > 0;
	return 0;
}

static int load_files(struct cmp_run *r, const char *path, char *why, size_t len);

static double median(const double *v, size_t n)
{
	if (n == 0)
		return 0;
	double *w = util_calloc(n, sizeof(*w));
	memcpy(w, v, n * sizeof(*v));
	stats_sort(w, n);
	double m = stats_quantile_sorted(w, n, 0.5);
	free(w);
	return m;
}

/* On failure nothing stays allocated. */
int compare_load(struct cmp_run *r, const char *path, char *why, size_t len)
{
	memset(r, 0, sizeof(*r));
	if (load_files(r, path, why, len) == 0)
		return 0;
	compare_free(r);
	return -1;
}

static int load_files(struct cmp_run *r, const char *path, char *why, size_t len)
{
	char dir[PATH_MAX], file[PATH_MAX + 32], copy[PATH_MAX];
	struct stat st;

	snprintf(r->label, sizeof(r->label), "%s", path);
	if (stat(path, &st)) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(dir, sizeof(dir), "%s", path);
		snprintf(file, sizeof(file), "%s/samples.csv", dir);
	} else {
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		if (!strcmp(base, "summary.csv") || !strcmp(base, "env.csv")) {
			snprintf(why, len, "%s: compare reads the samples: give the results folder or its "
				 "samples.csv", path);
			return -1;
		}
		snprintf(copy, sizeof(copy), "%s", path);
		snprintf(dir, sizeof(dir), "%s", dirname(copy));
		snprintf(file, sizeof(file), "%s", path);
	}
	if (load_samples(r, file, why, len))
		return -1;
	snprintf(file, sizeof(file), "%s/summary.csv", dir);
	if (access(file, F_OK) == 0 && load_summary(r, file, why, len))
		return -1;
	snprintf(file, sizeof(file), "%s/env.csv", dir);
	if (access(file, F_OK) == 0 && load_env(r, file, why, len))
		return -1;
	for (size_t i = 0; i < r->nb; i++)
		r->b[i].raw_median = median(r->b[i].v, r->b[i].n);
	return 0;
}

void compare_select(struct cmp_run *r, const regex_t *keep, const regex_t *drop)
{
	size_t m = 0;

	for (size_t i = 0; i < r->nb; i++) {
		struct cmp_bench *b = &r->b[i];
		if ((keep && regexec(keep, b->name, 0, NULL, 0)) || (drop && !regexec(drop, b->name, 0, NULL, 0))) {
			free(b->v);
			free(b->round);
			free(b->proc);
			continue;
		}
		r->b[m++] = *b;
	}
	r->nb = m;
	if (r->hcap)
		rehash(r, r->hcap);
}

void compare_free(struct cmp_run *r)
{
	for (size_t i = 0; i < r->nb; i++) {
		free(r->b[i].v);
		free(r->b[i].round);
		free(r->b[i].proc);
	}
	free(r->b);
	free(r->hash);
	r->b = NULL;
	r->hash = NULL;
	r->nb = r->bcap = r->hcap = 0;
}

/* (round, sample) of the reference, sorted by round, for bsearch: memory
 * follows the samples, not the largest round number. */
struct round_value {
	unsigned round;
	double v;
};

static int by_round(const void *x, const void *y)
{
	unsigned a = ((const struct round_value *)x)->round, b = ((const struct round_value *)y)->round;

	return (a > b) - (a < b);
}

int compare_normalize(struct cmp_run *r, char *why, size_t len)
{
	struct cmp_bench *ref = NULL;

	for (size_t i = 0; i < r->nb; i++)
		if (!strcmp(r->b[i].name, REF_NAME) && r->b[i].n)
			ref = &r->b[i];
	if (!ref) {
		snprintf(why, len, "%s: --normalize needs the reference %s, which this run lacks",
			 r->label, REF_NAME);
		return -1;
	}
	struct round_value *rv = util_calloc(ref->n, sizeof(*rv));
	for (size_t k = 0; k < ref->n; k++) {
		rv[k].round = ref->round[k];
		rv[k].v = ref->v[k];
	}
	qsort(rv, ref->n, sizeof(*rv), by_round);
	for (size_t i = 0; i < r->nb; i++) {
		struct cmp_bench *b = &r->b[i];
		if (b == ref)
			continue;
		size_t m = 0;
		for (size_t k = 0; k < b->n; k++) {
			struct round_value key = { b->round[k], 0 };
			const struct round_value *hit = bsearch(&key, rv, ref->n, sizeof(*rv), by_round);
			if (hit && hit->v > 0) {
				b->v[m] = b->v[k] / hit->v;
				if (b->proc)
					b->proc[m] = b->proc[k];
				b->round[m++] = b->round[k];
			}
		}
		b->n = m;
	}
	free(rv);
	ref->n = 0;	/* the reference divided by itself says nothing */
	snprintf(ref->status, sizeof(ref->status), "reference");
	return 0;
}

/* Which machine facts must match for a comparison to mean what it says. */
static void machine_diff(const struct cmp_run *a, const struct cmp_run *b, char *buf, size_t len)
{
	static const char *const keys[] = { "hostname", "cpu_model", "cpu_microcode", "kernel_release",
					    "kernel_cmdline", "hypervisor", "vm_guest" };
	size_t used = 0;

	buf[0] = '\0';
	if (!a->have_env || !b->have_env)
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *x = env_get(&a->env, keys[i]), *y = env_get(&b->env, keys[i]);
		if ((x || y) && (!x || !y || strcmp(x, y)))
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s '%.60s' vs '%.60s'",
						 used ? "; " : "", keys[i], x ? x : "-", y ? y : "-");
	}
}

static void add_row(struct cmp_outcome *out, const char *name, enum cmp_verdict v)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 64;
		out->rows = util_realloc(out->rows, out->cap * sizeof(*out->rows));
	}
	struct cmp_row *row = &out->rows[out->n++];
	memset(row, 0, sizeof(*row));
	snprintf(row->name, sizeof(row->name), "%s", name);
	row->verdict = v;
}

/* Exact comparison of two instruction counts: any change beyond the
 * tolerance is a verdict, with no statistics (the counts do not vary). */
static void compare_exact(struct cmp_row *row, const struct cmp_bench *a, const struct cmp_bench *b,
			  double tolerance, struct cmp_outcome *out)
{
	double delta = b->icount - a->icount;

	row->base = a->icount;
	row->new_ = b->icount;
	row->ratio = row->lo = row->hi = a->icount > 0 ? b->icount / a->icount : 0;
	row->p = 0;
	row->exact = 1;
	/* counts are printed with 2 decimals: closer than that is equal */
	if (fabs(delta) <= tolerance + 0.005) {
		row->p = 1;
		return;
	}
	row->verdict = delta > 0 ? CMP_REGRESSION : CMP_IMPROVEMENT;
	*(delta > 0 ? &out->regressions : &out->improvements) += 1;
	snprintf(row->note, sizeof(row->note), "%.2f -> %.2f (%+.2f instructions, %+.2f %%)", a->icount,
		 b->icount, delta, a->icount > 0 ? 100 * delta / a->icount : 0);
}

/* The units of one run's samples (compare.h: its processes' medians, or
 * its blocks' when it ran in one process), as logs; how many (0 if any is
 * not positive: no ratio can be formed). out: COMPARE_MAX_PROCESSES. */
static size_t log_unit_medians(const struct cmp_bench *x, double *out)
{
	double *scratch = util_calloc(x->n ? x->n : 1, sizeof(double));
	size_t k = x->proc && x->nproc >= 3 ? stats_unit_medians(x->v, NULL, x->proc, x->n, x->nproc, scratch, out, NULL)
				 : stats_block_medians(x->v, NULL, x->n, COMPARE_BLOCKS, scratch, out);

	free(scratch);
	for (size_t i = 0; i < k; i++) {
		if (!(out[i] > 0))
			return 0;
		out[i] = log(out[i]);
	}
	return k;
}

/* The statistical comparison of one row; the p-values of "more than the
 * threshold slower" and "more than the threshold faster" go to p[0], p[1]
 * for the family-wise adjustment. 0, or -1 (not comparable, note says why). */
static int compare_stat(struct cmp_row *row, const struct cmp_bench *a, const struct cmp_bench *b,
			double threshold, double *p)
{
	static double la[COMPARE_MAX_PROCESSES], lb[COMPARE_MAX_PROCESSES];
	double d, se, df;
	size_t ka = log_unit_medians(a, la), kb = log_unit_medians(b, lb);

	row->base = median(a->v, a->n);
	row->new_ = median(b->v, b->n);
	if (ka < 3 || kb < 3 || stats_welch(la, ka, lb, kb, &d, &se, &df)) {
		snprintf(row->note, sizeof(row->note), "fewer than 3 %s of positive samples",
			 a->nproc >= 3 || b->nproc >= 3 ? "processes" : "blocks");
		return -1;
	}
	double margin = log(1 + threshold), t = stats_t_quantile(0.975, df);
	row->base_pm = 100 * (exp(stats_t_quantile(0.975, (double)(ka - 1)) * stats_stddev(la, ka) /
				  sqrt((double)ka)) - 1);
	row->new_pm = 100 * (exp(stats_t_quantile(0.975, (double)(kb - 1)) * stats_stddev(lb, kb) /
				 sqrt((double)kb)) - 1);
	row->ratio = exp(d);
	row->lo = exp(d - t * se);
	row->hi = exp(d + t * se);
	if (se > 0) {
		p[0] = 1 - stats_t_cdf((d - margin) / se, df);
		p[1] = stats_t_cdf((d + margin) / se, df);
	} else {	/* identical blocks: certainty either way */
		p[0] = d > margin ? 0 : 1;
		p[1] = d < -margin ? 0 : 1;
	}
	return 0;
}

/* What differs between the runs in how undisturbed the machine was. */
static void disturbance_diff(const struct cmp_run *a, const struct cmp_run *b, char *buf, size_t len)
{
	static const char *const keys[] = { "disturbance_before", "disturbance_after" };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < 2; i++) {
		const char *x = env_get(&a->env, keys[i]), *y = env_get(&b->env, keys[i]);
		if ((x && strcmp(x, "none")) || (y && strcmp(y, "none")))
			if (!x || !y || strcmp(x, y))
				used += (size_t)snprintf(buf + used, used < len ? len - used : 0,
							 "%s%s: base '%.150s', new '%.150s'", used ? "; " : "",
							 keys[i], x ? x : "not recorded", y ? y : "not recorded");
	}
}

/* ok and noisy rows both have samples: a change between them is no change
 * of status (noisy says so in the run's own report). */
static int measured(const struct cmp_bench *b)
{
	return !strcmp(b->status, "ok") || !strcmp(b->status, "noisy");
}

void compare_runs(const struct cmp_run *base, const struct cmp_run *new_, double threshold,
		  double alpha, int normalized, double tolerance, struct cmp_outcome *out)
{
	double *p;
	size_t np = 0;

	memset(out, 0, sizeof(*out));
	out->threshold = threshold;
	out->alpha = alpha;
	out->normalized = normalized;
	snprintf(out->base_label, sizeof(out->base_label), "%s", base->label);
	snprintf(out->new_label, sizeof(out->new_label), "%s", new_->label);
	machine_diff(base, new_, out->machine_warning, sizeof(out->machine_warning));
	disturbance_diff(base, new_, out->disturbance_warning, sizeof(out->disturbance_warning));
	p = util_calloc(2 * base->nb + 2, sizeof(double));

	for (size_t i = 0; i < base->nb; i++) {
		const struct cmp_bench *a = &base->b[i], *b = lookup(new_, a->name);
		if (!b) {
			add_row(out, a->name, CMP_GONE);
			continue;
		}
		if (strcmp(a->status, b->status) && !(measured(a) && measured(b))) {
			add_row(out, a->name, CMP_STATUS_CHANGED);
			snprintf(out->rows[out->n - 1].note, sizeof(out->rows[0].note), "%s -> %s%s%.200s",
				 a->status, b->status, b->reason[0] ? ": " : "", b->reason);
			continue;
		}
		if (a->has_icount && b->has_icount) {
			add_row(out, a->name, CMP_UNCHANGED);
			compare_exact(&out->rows[out->n - 1], a, b, tolerance, out);
			out->exact = 1;
			out->in_common++;
			continue;
		}
		if (a->n == 0 || b->n == 0) {
			add_row(out, a->name, CMP_NOT_COMPARED);
			snprintf(out->rows[out->n - 1].note, sizeof(out->rows[0].note), "%s",
				 !strcmp(a->status, "reference") ? "the reference (normalised away)" :
				 a->reason[0] ? a->reason : "no samples");
			continue;
		}
		out->in_common++;
		if (a->raw_median < COMPARE_FLOOR_NS && b->raw_median < COMPARE_FLOOR_NS) {
			add_row(out, a->name, CMP_NOT_COMPARED);
			snprintf(out->rows[out->n - 1].note, sizeof(out->rows[0].note),
				 "under %.0f ns a call in both runs (%.3f, %.3f ns): below what timing resolves",
				 COMPARE_FLOOR_NS, a->raw_median, b->raw_median);
			continue;
		}
		add_row(out, a->name, CMP_UNCHANGED);
		struct cmp_row *row = &out->rows[out->n - 1];
		row->nbase = a->n;
		row->nnew = b->n;
		if (compare_stat(row, a, b, threshold, p + np)) {
			row->verdict = CMP_NOT_COMPARED;
			continue;
		}
		row->pslot = np;
		np += 2;
	}
	/* Holm over every row and both directions: the chance that a run pair
	 * with no change beyond the threshold gets any verdict is at most alpha. */
	double *adj = util_calloc(np + 1, sizeof(double));
	size_t *order = util_calloc(np + 1, sizeof(size_t));
	stats_holm(p, np, adj, order);
	for (size_t i = 0; i < out->n; i++) {
		struct cmp_row *row = &out->rows[i];
		if (row->verdict != CMP_UNCHANGED || row->exact)
			continue;
		double up = adj[row->pslot], down = adj[row->pslot + 1];
		row->p = up < down ? up : down;
		if (up < alpha) {
			row->verdict = CMP_REGRESSION;
			out->regressions++;
		} else if (down < alpha) {
			row->verdict = CMP_IMPROVEMENT;
			out->improvements++;
		}
	}
	free(adj);
	free(order);
	free(p);
	for (size_t i = 0; i < new_->nb; i++)
		if (!lookup(base, new_->b[i].name))
			add_row(out, new_->b[i].name, CMP_NEW);
}

void compare_outcome_free(struct cmp_outcome *out)
{
	free(out->rows);
	out->rows = NULL;
	out->n = out->cap = 0;
}

const char *compare_verdict_name(enum cmp_verdict v)
{
	switch (v) {
	case CMP_UNCHANGED:      return "unchanged";
	case CMP_REGRESSION:     return "REGRESSION";
	case CMP_IMPROVEMENT:    return "improvement";
	case CMP_NEW:            return "new";
	case CMP_GONE:           return "gone";
	case CMP_STATUS_CHANGED: return "status changed";
	default:                 return "not compared";
	}
}
