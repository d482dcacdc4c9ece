/* SPDX-License-Identifier: MIT */
/* families.c: see families.h. */
#include "families.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int family_rank(const char *m)
{
	if (!strcmp(m, "syscall") || !strcmp(m, "syscall_x32") || !strcmp(m, "sysenter") ||
	    !strcmp(m, "kernel_vsyscall"))
		return 1;
	if (!strcmp(m, "int80"))
		return 2;
	if (!strcmp(m, "vdso"))
		return 3;
	if (!strcmp(m, "vsyscall_page"))
		return 4;
	if (!strcmp(m, "libc") || !strcmp(m, "libc_syscall"))
		return 5;
	if (!strcmp(m, "seccomp"))
		return 6;
	if (!strcmp(m, "io_uring"))
		return 7;
	if (!strcmp(m, "empty"))
		return 9;
	return 8;
}

const char *family_name(const char *m)
{
	static const char *const names[] = {
		NULL, "Fast system-call instructions", "The legacy interrupt gate, int $0x80",
		"The vDSO: answered in user space", "The legacy vsyscall page", "Through glibc",
		"Under a seccomp filter", "io_uring", NULL, "The floor: the loop alone",
	};
	int r = family_rank(m);

	return r == 8 ? m : names[r];
}

void families_order(const char *const *mech, size_t n, size_t *order)
{
	size_t k = 0;

	for (int r = 1; r <= 9; r++) {
		for (size_t i = 0; i < n; i++) {
			if (family_rank(mech[i]) != r)
				continue;
			if (r != 8) {
				order[k++] = i;
				continue;
			}
			/* an unknown mechanism: at its first row, all of its rows */
			size_t j;
			for (j = 0; j < i && strcmp(mech[j], mech[i]); j++)
				;
			if (j < i)
				continue;
			for (j = i; j < n; j++)
				if (!strcmp(mech[j], mech[i]))
					order[k++] = j;
		}
	}
}

/* ---- the headline ------------------------------------------------------- */

#define REF_ROW "x86_64/syscall/getppid"

/* One way in (abi/mechanism) and the row that speaks for it. */
struct way {
	char key[160];
	const struct glance_row *rep;
	double score;			/* its ratio where it has one, else its value */
};

/* Three significant digits, whole numbers from 1000 up: short enough for
 * a sentence, and a figure of 0.052 ns keeps its digits. */
static const char *num(char buf[48], double v)
{
	snprintf(buf, 48, v >= 1000 ? "%.0f" : "%.3g", v);
	return buf;
}

/* "1 syscall", "0 syscalls", "2.5 page faults" */
static const char *count(char buf[96], double v, const char *what)
{
	char n[48];

	num(n, v);
	snprintf(buf, 96, "%s %s%s", n, what, strcmp(n, "1") ? "s" : "");
	return buf;
}

static int is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

/* Does the way in enter the kernel on every call? As counted (a syscall or
 * a page fault a call) where the run counted; else by what it is: not the
 * vDSO, not io_uring's batches (one entry shared out), not glibc's clock
 * and time calls (glibc serves them from the vDSO). */
static int enters(const struct way *w)
{
	const struct glance_row *r = w->rep;

	if (!isnan(r->sys))
		return r->sys >= 0.5 || (!isnan(r->pf) && r->pf >= 0.5);
	if (is(r->mechanism, "vdso") || is(r->mechanism, "io_uring"))
		return 0;
	if (is(r->mechanism, "libc") && (is(r->syscall, "clock_gettime") || is(r->syscall, "gettimeofday") ||
					 is(r->syscall, "time") || is(r->syscall, "getcpu")))
		return 0;
	return 1;
}

/* Why a way in costs what it does: the kernel path it takes, as ": ..."
 * on out; nothing for a mechanism this table does not know. */
static void why(FILE *out, const struct way *w)
{
	const struct glance_row *r = w->rep;
	const char *m = r->mechanism, *t = NULL;

	if (is(m, "syscall") && is(r->abi, "x86_64"))
		t = "the 64-bit `syscall` instruction enters at entry_SYSCALL_64 and returns with SYSRET, the kernel's fast path";
	else if (is(m, "syscall"))
		t = "AMD's `syscall` from 32-bit code enters at entry_SYSCALL_compat and returns with SYSRETL";
	else if (is(m, "syscall_x32"))
		t = "the x32 ABI's syscalls take the 64-bit entry with `__X32_SYSCALL_BIT` set, then do_syscall_x32";
	else if (is(m, "sysenter"))
		t = "Intel's `sysenter` enters at entry_SYSENTER_compat and returns through the vDSO's landing pad";
	else if (is(m, "kernel_vsyscall")) {
		/* the instruction the kernel chose, as the run's detail names it */
		fprintf(out, ": `call *AT_SYSINFO` runs the vDSO stub glibc uses, which issues the instruction "
			"the kernel chose");
		if (*r->detail)
			fprintf(out, " (%s)", r->detail);
		return;
	} else if (is(m, "int80"))
		t = "`int $0x80` is a software interrupt: entry_INT80_compat through the interrupt gate, back with IRET, which the fast instructions avoid";
	else if (is(m, "vdso"))
		t = "a vDSO call reads the kernel's clock data in user space and never enters the kernel";
	else if (is(m, "vsyscall_page"))
		t = "every call to the legacy vsyscall page takes a page fault that the kernel emulates";
	else if (is(m, "libc") && !enters(w))
		t = "glibc's wrapper calls into the vDSO, without entering the kernel";
	else if (is(m, "libc"))
		t = "glibc's wrapper adds a call and errno handling around the same `syscall`";
	else if (is(m, "libc_syscall"))
		t = "glibc's generic `syscall()` shuffles the arguments into place first";
	else if (is(m, "seccomp"))
		t = "a seccomp filter sends every syscall down the kernel's slow entry path, and runs there unless the kernel's bitmap has cached its verdict";
	else if (is(m, "io_uring"))
		t = "one io_uring_enter serves a whole batch, so the syscall's cost is shared out (SQPOLL: a kernel thread polls, no syscall at all)";
	if (t)
		fprintf(out, ": %s", t);
}

/* "- **WHAT:** `row`, 105 ns a call, 1.4× the reference: why (n a call)." */
static void line_for(FILE *out, const struct way *w, const char *what, const char *unit)
{
	const struct glance_row *r = w->rep;
	char a[48], b[96];

	fprintf(out, "- **%s:** `%s`, %s %s a call", what, r->name, num(a, r->value), unit);
	if (!isnan(r->ratio) && !is(r->name, REF_ROW))
		fprintf(out, ", %s× the reference", num(a, r->ratio));
	why(out, w);
	if (is(r->mechanism, "vdso") && !isnan(r->sys))
		fprintf(out, " (%s a call)", count(b, r->sys, "syscall"));
	if (is(r->mechanism, "vsyscall_page") && !isnan(r->pf))
		fprintf(out, " (%s a call)", count(b, r->pf, "page fault"));
	fputs(".\n", out);
}

static int getppid_row(const struct glance_row *r)
{
	return is(r->syscall, "getppid");
}

void families_glance(FILE *out, const struct glance_row *rows, size_t n, const char *unit)
{
	struct way *way = util_calloc(n + 1, sizeof(*way));
	const struct glance_row **fallback = util_calloc(n + 1, sizeof(*fallback));
	const struct glance_row *ref = NULL, *floor_row = NULL;
	size_t nw = 0, nf = 0;
	char a[48], b[96];

	for (size_t i = 0; i < n; i++) {
		const struct glance_row *r = &rows[i];
		if (isnan(r->value))
			continue;
		if (is(r->name, REF_ROW))
			ref = r;
		if (is(r->mechanism, "vdso") && !isnan(r->sys) && r->sys >= 0.5)
			fallback[nf++] = r;
		if (is(r->mechanism, "empty")) {
			if (!floor_row)
				floor_row = r;
			continue;
		}
		/* one row speaks for each way in (abi/mechanism): its null
		 * call, getppid, where it has one; else its cheapest row */
		char key[160];
		double score = !isnan(r->ratio) ? r->ratio : r->value;
		size_t k;
		snprintf(key, sizeof(key), "%s/%s", r->abi, r->mechanism);
		for (k = 0; k < nw && strcmp(way[k].key, key); k++)
			;
		if (k == nw) {
			snprintf(way[nw].key, sizeof(way[nw].key), "%s", key);
			way[nw].rep = r;
			way[nw++].score = score;
		} else if ((getppid_row(r) && !getppid_row(way[k].rep)) ||
			   (!getppid_row(r) && !getppid_row(way[k].rep) && score < way[k].score)) {
			way[k].rep = r;
			way[k].score = score;
		}
	}
	if (nw == 0) {
		fputs("- No row was measured.\n", out);
		goto out;
	}
	/* cheapest and dearest by the paired ratio where there is one
	 * (steadier than the medians on a machine whose speed drifts), else
	 * by the median; the first of equals */
	struct way *cheap = &way[0], *dear = &way[0], *kcheap = NULL;
	for (size_t k = 0; k < nw; k++) {
		if (way[k].score < cheap->score)
			cheap = &way[k];
		if (way[k].score > dear->score)
			dear = &way[k];
		if (enters(&way[k]) && (!kcheap || way[k].score < kcheap->score))
			kcheap = &way[k];
	}
	line_for(out, cheap, "Cheapest call", unit);
	int isref = kcheap && is(kcheap->rep->name, REF_ROW);
	if (kcheap && kcheap != cheap)
		line_for(out, kcheap, isref ? "Cheapest way into the kernel, and the reference for every ratio (×)" :
			 "Cheapest way into the kernel", unit);
	if (dear != cheap)
		line_for(out, dear, "Dearest way in", unit);
	if (!ref)
		fputs("- **No reference:** `" REF_ROW "` was not measured in this run, so there are no ratios.\n", out);
	else if (!isref)
		fprintf(out, "- **The reference:** `" REF_ROW "`, %s %s a call: the null syscall, which every ratio "
			"(×) is relative to.\n", num(a, ref->value), unit);

	/* the ways in whose ratio is far from 1, farthest first: those the
	 * lines above named (or whose mechanism they named) left out */
	struct way **far = util_calloc(nw + 1, sizeof(*far));
	double *dist = util_calloc(nw + 1, sizeof(*dist));
	size_t ns = 0;
	for (size_t k = 0; k < nw; k++) {
		const struct glance_row *r = way[k].rep;
		if (&way[k] == cheap || &way[k] == dear || &way[k] == kcheap || isnan(r->ratio) || is(r->name, REF_ROW))
			continue;
		if (is(r->mechanism, cheap->rep->mechanism) || is(r->mechanism, dear->rep->mechanism))
			continue;
		double d = r->ratio >= 1 ? r->ratio : r->ratio > 0 ? 1 / r->ratio : 0;
		if (d < 1.5)
			continue;
		far[ns] = &way[k];
		dist[ns++] = d;
	}
	/* insertion sort, so equals keep the run's order */
	for (size_t i = 1; i < ns; i++)
		for (size_t j = i; j > 0 && dist[j] > dist[j - 1]; j--) {
			double t = dist[j];
			struct way *w = far[j];
			dist[j] = dist[j - 1], far[j] = far[j - 1];
			dist[j - 1] = t, far[j - 1] = w;
		}
	/* one line a mechanism (at most six): its farthest row, the other
	 * rows of that mechanism (the other ABI's) in brackets after it */
	size_t *first = util_calloc(ns + 1, sizeof(*first)), shown = 0;
	for (size_t i = 0; i < ns; i++) {
		size_t j;
		for (j = 0; j < shown && !is(far[first[j]]->rep->mechanism, far[i]->rep->mechanism); j++)
			;
		if (j < shown || shown == 6)
			continue;
		first[shown++] = i;
	}
	for (size_t j = 0; j < shown; j++) {
		const struct way *w = far[first[j]];
		const struct glance_row *r = w->rep;
		int also = 0;
		fprintf(out, "- `%s` costs %s× a syscall here", r->name, num(a, r->ratio));
		if (r->ratio < 1)
			fprintf(out, " (%s times cheaper)", num(a, 1 / r->ratio));
		for (size_t i = first[j] + 1; i < ns; i++)
			if (is(far[i]->rep->mechanism, r->mechanism))
				fprintf(out, "%s`%s`: %s×", also++ ? "; " : " (", far[i]->rep->name,
					num(a, far[i]->rep->ratio));
		if (also)
			fputc(')', out);
		why(out, w);
		fputs(".\n", out);
	}
	for (size_t i = 0; i < nf; i++)
		fprintf(out, "- `%s` enters the kernel all the same (%s a call): the vDSO falls back to a real "
			"syscall for what it cannot answer.\n", fallback[i]->name, count(b, fallback[i]->sys, "syscall"));
	if (floor_row)
		fprintf(out, "- The floor, `%s` (the loop alone), is %s %s a call: what the loop adds to every row.\n",
			floor_row->name, num(a, floor_row->value), unit);
	free(first);
	free(far);
	free(dist);
out:
	free(way);
	free(fallback);
}
