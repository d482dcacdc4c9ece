/* SPDX-License-Identifier: MIT */
/* worker.c: see worker.h. */
#define _GNU_SOURCE
#include "worker.h"
#include "guard.h"
#include "seccomp.h"
#include "tsc.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Tabs and newlines would break the line protocol. */
static void clean(char *s)
{
	for (; *s; s++)
		if (*s == '\t' || *s == '\n' || *s == '\r')
			*s = ' ';
}

/* The rows this worker measures: its one row, or the other ABI's. */
static int owned(const struct worker *w, const struct bench *b)
{
	return w->only ? b == w->only : !registry_native(b);
}

static void mark_foreign(struct worker *w, const struct worker_rows *r, enum bench_status st, const char *why)
{
	for (size_t i = 0; i < r->n; i++)
		if (owned(w, r->res[i].b)) {
			r->res[i].status = st;
			snprintf(r->res[i].reason, sizeof(r->res[i].reason), "%s", why);
		}
}

/* fork + exec with a close-on-exec pipe that carries exec's errno back, so
 * "this kernel can't run i386 programs" (ENOEXEC) is told apart from a
 * worker that started and then failed. */
static int spawn(struct worker *w, char *const argv[], int *exec_errno)
{
	int in[2], out[2], err[2];

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -1;
	fflush(NULL);
	w->pid = fork();
	if (w->pid < 0)
		return -1;
	if (w->pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		execv(argv[0], argv);
		int e = errno;
		if (write(err[1], &e, sizeof(e)) < 0)
			_exit(126);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	*exec_errno = 0;
	if (read(err[0], exec_errno, sizeof(*exec_errno)) != sizeof(*exec_errno))
		*exec_errno = 0;
	close(err[0]);
	w->to = fdopen(in[1], "w");
	w->from = fdopen(out[0], "r");
	return 0;
}

static void reap(struct worker *w, char *how, size_t len)
{
	int st = 0;

	if (w->to)
		fclose(w->to);
	if (w->from)
		fclose(w->from);
	w->to = w->from = NULL;
	if (w->pid > 0 && waitpid(w->pid, &st, 0) == w->pid && how) {
		if (WIFSIGNALED(st))
			snprintf(how, len, "killed by %s", guard_signal_name(WTERMSIG(st)));
		else
			snprintf(how, len, "exit status %d", WEXITSTATUS(st));
	}
	w->pid = 0;
}

int worker_start(struct worker *w, const struct run_options *opt, const struct worker_rows *r,
		 const struct bench *only)
{
	char exe[PATH_MAX + 16], cpu[16], target[16], rate[32], why[300], line[2048];
	static char spec[4096];
	char *argv[20];
	int argc = 0, exec_errno;

	memset(w, 0, sizeof(*w));
	w->only = only;
	w->round_base = opt->round_base;
	w->rows = util_calloc(r->n, sizeof(*w->rows));
	/* beside this executable (the build tree), else where `make install`
	 * puts it: PREFIX/libexec/scbench/ for PREFIX/bin/scbench; a child row
	 * runs in this very program */
	static const char *const where[] = { "%s/" WORKER_EXE, "%s/../libexec/scbench/" WORKER_EXE };
	if (only ? util_self_path(exe, sizeof(exe)) :
		   util_find_beside_self(where, 2, F_OK, exe, sizeof(exe)) < 0) {
		mark_foreign(w, r, STATUS_ERROR, "cannot find this executable to locate the worker");
		return -1;
	}
	snprintf(cpu, sizeof(cpu), "%d", opt->cpu);
	snprintf(target, sizeof(target), "%u", opt->target_us);
	argv[argc++] = exe;
	argv[argc++] = "worker";
	argv[argc++] = "--cpu";
	argv[argc++] = cpu;
	argv[argc++] = "--target-us";
	argv[argc++] = target;
	if (opt->tsc_rate > 0) {	/* the parent's calibration: none to wait for here */
		snprintf(rate, sizeof(rate), "%.9f", opt->tsc_rate);
		argv[argc++] = "--tsc-rate";
		argv[argc++] = rate;
	}
	if (opt->filter_src) {
		argv[argc++] = "--filter";
		argv[argc++] = (char *)opt->filter_src;
	}
	if (opt->counter_runs) {
		counters_spec(r->counters, spec, sizeof(spec));
		argv[argc++] = "--counter-spec";
		argv[argc++] = spec;
	}
	char rowname[128];
	if (only) {
		argv[argc++] = "--only";
		argv[argc++] = (char *)registry_name(only, rowname, sizeof(rowname));
		argv[argc++] = "--seccomp";
		argv[argc++] = (char *)only->target;
	}
	argv[argc] = NULL;

	if (spawn(w, argv, &exec_errno)) {
		snprintf(why, sizeof(why), "cannot start the %s worker: %s", WORKER_EXE, strerror(errno));
		mark_foreign(w, r, STATUS_ERROR, why);
		return -1;
	}
	if (exec_errno) {
		reap(w, NULL, 0);
		if (exec_errno == ENOEXEC)
			probe_explain_no_ia32("i386 programs", why, sizeof(why));
		else if (exec_errno == ENOENT)
			snprintf(why, sizeof(why), "the %s worker is not built (%s missing; "
				 "the Makefile builds it when $(CC) -m32 works: install gcc-multilib)",
				 WORKER_EXE, exe);
		else
			snprintf(why, sizeof(why), "cannot execute %s: %s", exe, strerror(exec_errno));
		mark_foreign(w, r, STATUS_UNSUPPORTED, why);
		return -1;
	}

	/* the worker's verdicts; rows it doesn't mention stay errors */
	mark_foreign(w, r, STATUS_ERROR, "the worker did not report this row");
	while (fgets(line, sizeof(line), w->from)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "ready"))
			return 0;
		char *f[6] = { 0 }, *p = line;
		int k = 0;
		for (char *tok; k < 6 && (tok = strsep(&p, "\t")); )
			f[k++] = tok;
		if (k >= 3 && !strcmp(f[0], "env") && !w->only) {
			char key[64];
			snprintf(key, sizeof(key), "worker_%s", f[1]);
			env_set(r->env, key, "%s", f[2]);
		} else if (k == 6 && !strcmp(f[0], "row")) {
			struct bench_result *br = row_find(r->res, r->n, f[1]);
			if (!br || !owned(w, br->b))
				continue;
			br->status = probe_status_of(f[2]);
			br->item.calls = strtoul(f[3], NULL, 10);
			snprintf(br->detail, sizeof(br->detail), "%s", f[4]);
			snprintf(br->reason, sizeof(br->reason), "%s", f[5]);
			if (br->status == STATUS_OK)
				w->rows[w->n++] = br;
		}
	}
	char how[64] = "";
	reap(w, how, sizeof(how));
	snprintf(why, sizeof(why), "the %s worker stopped before measuring (%s)", WORKER_EXE, how);
	mark_foreign(w, r, STATUS_ERROR, why);
	w->n = 0;
	return -1;
}

static void worker_failed(struct worker *w, int round)
{
	char how[64] = "", why[200];

	reap(w, how, sizeof(how));
	snprintf(why, sizeof(why), "the %s worker died in round %d (%s)", WORKER_EXE, round, how);
	for (size_t i = 0; i < w->n; i++) {
		w->rows[i]->status = STATUS_ERROR;
		snprintf(w->rows[i]->reason, sizeof(w->rows[i]->reason), "%s", why);
	}
	w->failed = 1;
}

/* A row whose kernel faulted in the worker comes as "f SIG" in place of
 * its figures: it becomes an error (the first time) and p moves past. */
static int faulted(struct bench_result *br, char **p, const char *phase, int r)
{
	char *q = *p, *end;

	while (*q == ' ')
		q++;
	if (*q != 'f')
		return 0;
	long sig = strtol(q + 1, &end, 10);
	if (br->status == STATUS_OK)
		row_fault(br, (int)sig, phase, r);
	*p = end;
	return 1;
}

void worker_round(struct worker *w, int r)
{
	char line[8192], *p, *end;

	if (w->failed || w->n == 0)
		return;
	if (fprintf(w->to, "%c\n", r < 0 ? 'w' : 'm') < 0 || fflush(w->to) ||
	    !fgets(line, sizeof(line), w->from)) {
		worker_failed(w, r);
		return;
	}
	if (r < 0)
		return;
	if (line[0] != 's') {
		worker_failed(w, r);
		return;
	}
	p = line + 1;
	for (size_t i = 0; i < w->n; i++) {
		if (faulted(w->rows[i], &p, "timing", r + (int)w->round_base))
			continue;
		w->rows[i]->item.ticks_n[r] = strtoull(p, &end, 10);
		w->rows[i]->item.ticks_2n[r] = strtoull(end, &p, 10);
		if (p == end) {
			worker_failed(w, r);
			return;
		}
	}
}

void worker_count_round(struct worker *w, int r, size_t nc)
{
	static char line[65536];
	char *p, *end;

	if (w->failed || w->n == 0)
		return;
	if (fputs("c\n", w->to) < 0 || fflush(w->to) || !fgets(line, sizeof(line), w->from) ||
	    line[0] != 'c') {
		worker_failed(w, r);
		return;
	}
	p = line + 1;
	for (size_t i = 0; i < w->n; i++) {
		if (faulted(w->rows[i], &p, "counting", r))
			continue;
		for (size_t k = 0; k < nc; k++) {
			double v = strtod(p, &end);
			if (end == p) {
				worker_failed(w, r);
				return;
			}
			if (w->rows[i]->counts)
				w->rows[i]->counts[(size_t)r * nc + k] = v;
			p = end;
		}
	}
}

void worker_stop(struct worker *w)
{
	if (w->to && !w->failed) {
		fputs("q\n", w->to);
		fflush(w->to);
	}
	reap(w, NULL, 0);
	free(w->rows);
	w->rows = NULL;
}

/* ---- the worker's side ------------------------------------------------- */

int worker_main(const struct run_options *opt)
{
	struct machine m;
	struct counter_set cs = { 0 };
	struct bench_result *res = util_calloc(registry_count, sizeof(*res));
	struct measure_item *items = util_calloc(registry_count, sizeof(*items));
	double **outs = util_calloc(registry_count, sizeof(*outs));
	size_t n = 0, nok = 0;
	int counting = 0;
	char name[128], line[16], ia32[256];
	double rate;

	if (opt->cpu < 0 || machine_pin(opt->cpu)) {
		fprintf(stderr, "scbench worker: cannot pin to CPU %d\n", opt->cpu);
		free(res);
		free(items);
		free(outs);
		return 1;
	}
	machine_probe(&m);
	probe_ia32_emulation(&m, ia32, sizeof(ia32));
	printf("env\tabi\t%s\n", NATIVE_ABI);
	printf("env\tvdso\t%s\n", m.have_vdso ? "present" : m.vdso_why);
	printf("env\tia32_emulation\t%s\n", ia32);
	rate = opt->tsc_rate > 0 ? opt->tsc_rate : tsc_calibrate(50);
	/* a child row's filter goes in before anything of the row runs, so its
	 * probe (a fork of this process) runs under it too */
	char filter_detail[128] = "", filter_why[256] = "";
	int filter_failed = opt->seccomp &&
			    seccomp_install(opt->seccomp, filter_detail, sizeof(filter_detail), filter_why,
					    sizeof(filter_why));
	for (size_t i = 0; i < registry_count; i++) {
		const struct bench *b = &registry[i];
		if (!registry_native(b) || !row_selected(b, opt->filter))
			continue;
		registry_name(b, name, sizeof(name));
		if (opt->only ? strcmp(name, opt->only) : registry_in_child(b))
			continue;
		struct bench_result *br = &res[n++];
		if (filter_failed) {
			memset(br, 0, sizeof(*br));
			br->b = b;
			br->status = STATUS_UNSUPPORTED;
			snprintf(br->reason, sizeof(br->reason), "%s", filter_why);
		} else {
			row_prepare(br, b, &m, (uint64_t)(opt->target_us * 1000.0 * rate));
			if (filter_detail[0])
				snprintf(br->detail, sizeof(br->detail), "%s", filter_detail);
		}
		if (br->status == STATUS_OK) {
			br->item.ticks_n = util_calloc(1, sizeof(uint64_t));
			br->item.ticks_2n = util_calloc(1, sizeof(uint64_t));
			items[nok++] = br->item;
		}
		clean(br->reason);
		clean(br->detail);
		printf("row\t%s\t%s\t%lu\t%s\t%s\n", registry_name(b, name, sizeof(name)),
		       probe_status_name(br->status), br->item.calls, br->detail,
		       br->status == STATUS_OK ? "" : br->reason);
	}
	if (opt->counter_spec) {
		counters_define_spec(&cs, opt->counter_spec);
		for (size_t i = 0; i < nok; i++)
			outs[i] = util_calloc(cs.n ? cs.n : 1, sizeof(double));
	}
	printf("ready\n");
	fflush(stdout);

	while (fgets(line, sizeof(line), stdin) && line[0] != 'q') {
		if (line[0] == 'c') {
			/* Counters are opened at the first counting round, never
			 * before: a syscall tracepoint held open while the timing
			 * rounds run sends every syscall of every process down the
			 * kernel's slow path (+24% per syscall measured). */
			if (!counting) {
				counters_open_all(&cs);
				counters_enable_all(&cs);
				counting = 1;
			}
			row_count_rounds(items, outs, nok, &cs, 1, NULL, NULL);
			putchar('c');
			for (size_t i = 0; i < nok; i++) {
				if (items[i].fault) {
					printf(" f %d", items[i].fault);
					continue;
				}
				for (size_t k = 0; k < cs.n; k++)
					printf(" %.6g", outs[i][k]);
			}
			putchar('\n');
			fflush(stdout);
			continue;
		}
		/* each item's arrays hold one round: the parent keeps the rest */
		measure_rounds(items, nok, 0, 1, NULL, NULL);
		if (line[0] == 'w') {
			puts("w");
		} else {
			putchar('s');
			for (size_t i = 0; i < nok; i++)
				if (items[i].fault)
					printf(" f %d", items[i].fault);
				else
					printf(" %llu %llu", (unsigned long long)items[i].ticks_n[0],
					       (unsigned long long)items[i].ticks_2n[0]);
			putchar('\n');
		}
		fflush(stdout);
	}
	if (counting)
		counters_close_all(&cs);
	for (size_t i = 0; i < n; i++) {
		free(res[i].item.ticks_n);
		free(res[i].item.ticks_2n);
	}
	for (size_t i = 0; i < nok; i++)
		free(outs[i]);
	free(outs);
	free(items);
	free(res);
	return 0;
}
