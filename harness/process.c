/* SPDX-License-Identifier: MIT */
/* process.c: see process.h. */
#define _GNU_SOURCE
#include "process.h"
#include "guard.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the child's side --------------------------------------------------- */

void process_progress(unsigned done, unsigned total)
{
	printf("p\t%u\t%u\n", done, total);
	fflush(stdout);
}

/* Tabs and newlines would break the line protocol. */
static void field(FILE *out, const char *s)
{
	fputc('\t', out);
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

void process_write(FILE *out, const struct run *r)
{
	char name[128];

	/* the parent collects the machine itself; what only a measuring
	 * process learns is its workers' view and its counters' */
	for (size_t i = 0; i < r->env.n; i++)
		if (!strncmp(r->env.item[i].key, "worker_", 7) || !strncmp(r->env.item[i].key, "counter", 7)) {
			fputs("env", out);
			field(out, r->env.item[i].key);
			field(out, r->env.item[i].value);
			fputc('\n', out);
		}
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_result *br = &r->res[i];
		fputs("row", out);
		field(out, registry_name(br->b, name, sizeof(name)));
		field(out, probe_status_name(br->status));
		fprintf(out, "\t%lu", br->status == STATUS_OK ? br->item.calls : 0);
		field(out, br->detail);
		field(out, br->status == STATUS_OK ? "" : br->reason);
		fputc('\n', out);
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_result *br = &r->res[i];
		if (br->status != STATUS_OK)
			continue;
		fprintf(out, "t\t%s\t", registry_name(br->b, name, sizeof(name)));
		for (unsigned k = 0; k < r->opt.runs; k++)
			fprintf(out, " %llu %llu", (unsigned long long)br->item.ticks_n[k],
				(unsigned long long)br->item.ticks_2n[k]);
		fputc('\n', out);
		if (!br->counts || !r->opt.counter_runs)
			continue;
		fprintf(out, "c\t%s\t", name);
		for (size_t k = 0; k < (size_t)r->opt.counter_runs * r->counters.n; k++)
			fprintf(out, " %.17g", br->counts[k]);
		fputc('\n', out);
	}
	for (size_t c = 0; r->opt.counter_runs && c < r->counters.n; c++) {
		const struct counter *k = &r->counters.c[c];
		fprintf(out, "k\t%zu\t%d\t%d\t%d\t%d", c, k->opened, k->scheduled, k->multiplexed, k->user_only);
		field(out, k->why);
		fputc('\n', out);
	}
	fputs("end\n", out);
	fflush(out);
}

/* ---- the parent's side -------------------------------------------------- */

/* The child's argv: run's options for one process's share. */
static void child_args(const struct run *r, char *exe, unsigned rounds, unsigned warmup,
		       unsigned counter_runs, double rate, unsigned first, char *bufs, char **argv)
{
	int argc = 0;
	char *cpu = bufs, *runs = bufs + 32, *wu = bufs + 64, *target = bufs + 96, *cr = bufs + 128,
	     *tr = bufs + 160, *base = bufs + 192;
	static char spec[4096];

	snprintf(cpu, 32, "%d", r->opt.cpu);
	snprintf(runs, 32, "%u", rounds);
	snprintf(wu, 32, "%u", warmup);
	snprintf(target, 32, "%u", r->opt.target_us);
	snprintf(cr, 32, "%u", counter_runs);
	snprintf(tr, 32, "%.9f", rate);
	argv[argc++] = exe;
	argv[argc++] = "process";
	argv[argc++] = "--cpu";
	argv[argc++] = cpu;
	argv[argc++] = "--runs";
	argv[argc++] = runs;
	argv[argc++] = "--warmup";
	argv[argc++] = wu;
	argv[argc++] = "--target-us";
	argv[argc++] = target;
	argv[argc++] = "--counter-runs";
	argv[argc++] = cr;
	argv[argc++] = "--tsc-rate";
	argv[argc++] = tr;
	if (r->opt.filter_src) {
		argv[argc++] = "--filter";
		argv[argc++] = (char *)r->opt.filter_src;
	}
	if (counter_runs) {
		counters_spec(&r->counters, spec, sizeof(spec));
		argv[argc++] = "--counter-spec";
		argv[argc++] = spec;
	}
	if (r->opt.icount)
		argv[argc++] = "--icount";
	/* its rounds are numbered as the run's: a fault says the run's round */
	snprintf(base, 32, "%u", first);
	argv[argc++] = "--round-base";
	argv[argc++] = base;
	/* progress lines only for a parent that shows them: each wakes it */
	if (r->opt.progress)
		argv[argc++] = "--progress";
	argv[argc] = NULL;
}

/* Every row this process should have measured and did not becomes an
 * error saying why (unless it already is one). */
static void fail_rows(struct run *r, const unsigned char *seen, unsigned index, unsigned count,
		      int first_done, const char *why)
{
	for (size_t i = 0; i < r->n; i++) {
		struct bench_result *br = &r->res[i];
		/* the first process to end well gives every row its verdict: one
		 * it never reported has none yet */
		if (seen[i] || (first_done && !probe_status_measured(br->status)))
			continue;
		br->status = STATUS_ERROR;
		snprintf(br->reason, sizeof(br->reason), "measuring process %u of %u: %s", index + 1, count, why);
	}
}

/* One "row" line: the first process that ends well sets the row's
 * verdict; a later one that disagrees (a fault, a probe that now fails)
 * makes it an error. */
static void take_row(struct run *r, struct bench_result *br, char **f, unsigned index, unsigned count,
		     int first_done, int *ok_here)
{
	enum bench_status st = probe_status_of(f[2]);
	unsigned long calls = strtoul(f[3], NULL, 10);

	*ok_here = 0;
	if (!first_done) {
		br->status = st;
		snprintf(br->detail, sizeof(br->detail), "%s", f[4]);
		snprintf(br->reason, sizeof(br->reason), "%s", f[5]);
		br->item.calls = calls;
	} else if (st != br->status && br->status == STATUS_OK) {
		br->status = STATUS_ERROR;
		snprintf(br->reason, sizeof(br->reason), "measuring process %u of %u: %s%s%s", index + 1,
			 count, probe_status_name(st), f[5][0] ? ": " : "", f[5]);
	}
	(void)r;
	if (br->status == STATUS_OK && st == STATUS_OK) {
		br->pcalls[index] = calls;
		*ok_here = 1;
	}
}

static int take_ticks(struct bench_result *br, char *p, unsigned index, unsigned first, unsigned rounds)
{
	char *end;

	for (unsigned k = 0; k < rounds; k++) {
		unsigned long long a = strtoull(p, &end, 10);
		if (end == p)
			return -1;
		unsigned long long b = strtoull(end, &p, 10);
		if (p == end)
			return -1;
		br->item.ticks_n[first + k] = a;
		br->item.ticks_2n[first + k] = b;
		br->proc[first + k] = index;
	}
	return 0;
}

static int take_counts(struct run *r, struct bench_result *br, char *p, unsigned counter_runs)
{
	size_t n = (size_t)counter_runs * r->counters.n;
	char *end;

	free(br->counts);
	br->counts = util_calloc(n ? n : 1, sizeof(double));
	for (size_t k = 0; k < n; k++) {
		br->counts[k] = strtod(p, &end);
		if (end == p)
			return -1;
		p = end;
	}
	return 0;
}

static void take_counter(struct run *r, char **f, int nf)
{
	unsigned long c = strtoul(f[1], NULL, 10);

	if (nf < 7 || c >= r->counters.n)
		return;
	struct counter *k = &r->counters.c[c];
	k->opened = atoi(f[2]);
	k->scheduled = atoi(f[3]);
	k->multiplexed = atoi(f[4]);
	k->user_only = atoi(f[5]);
	snprintf(k->why, sizeof(k->why), "%s", f[6]);
}

/* One line of the child's, as the parent acts on it once the child has
 * ended well. */
static void take_line(struct run *r, char *line, unsigned index, unsigned count, unsigned first,
		      unsigned rounds, unsigned counter_runs, int first_done, unsigned char *seen)
{
	char *f[8] = { 0 }, *p = line;
	int nf = 0;

	for (char *tok; nf < 8 && (tok = strsep(&p, "\t")); )
		f[nf++] = tok;
	struct bench_result *br = nf >= 2 ? row_find(r->res, r->n, f[1]) : NULL;
	size_t i = br ? (size_t)(br - r->res) : 0;
	if (!strcmp(f[0], "env") && nf == 3) {
		env_set(&r->env, f[1], "%s", f[2]);
	} else if (!strcmp(f[0], "row") && nf == 6 && br) {
		int ok_here;
		take_row(r, br, f, index, count, first_done, &ok_here);
		seen[i] = !ok_here;	/* an ok row is seen once its ticks come */
	} else if (!strcmp(f[0], "t") && nf == 3 && br && br->status == STATUS_OK) {
		if (take_ticks(br, f[2], index, first, rounds) == 0)
			seen[i] = 1;
	} else if (!strcmp(f[0], "c") && nf == 3 && br && br->status == STATUS_OK) {
		/* a short line counts nothing: no made-up zeros */
		if (take_counts(r, br, f[2], counter_runs)) {
			free(br->counts);
			br->counts = NULL;
		}
	} else if (!strcmp(f[0], "k")) {
		take_counter(r, f, nf);
	}
}

int process_measure(struct run *r, unsigned index, unsigned count, unsigned first, unsigned rounds,
		    unsigned warmup, unsigned counter_runs, double tsc_rate, int first_done, char *why,
		    size_t len)
{
	char exe[PATH_MAX], bufs[224], *argv[36];
	int out[2], st = 0, ended = 0;
	size_t cap = 1 << 16, nlines = 0, lcap = 0;
	char *line = util_calloc(cap, 1), **lines = NULL;
	pid_t pid;

	if (util_self_path(exe, sizeof(exe)) < 0) {
		snprintf(why, len, "cannot find this executable to start a measuring process");
		free(line);
		return -1;
	}
	child_args(r, exe, rounds, warmup, counter_runs, tsc_rate, first, bufs, argv);
	if (pipe2(out, O_CLOEXEC)) {
		snprintf(why, len, "cannot make a pipe for a measuring process: %s", strerror(errno));
		free(line);
		return -1;
	}
	fflush(NULL);
	pid_t parent = getpid();
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "cannot start a measuring process: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		free(line);
		return -1;
	}
	if (pid == 0) {
		/* a run that is killed takes its measuring process with it: an
		 * orphan would go on timing on the pinned CPU (exec keeps this) */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		/* main() keeps 0-2 open, so the pipe is never fd 1 itself */
		dup2(out[1], STDOUT_FILENO);
		execv(exe, argv);
		_exit(127);
	}
	close(out[1]);
	FILE *from = fdopen(out[0], "r");
	if (r->opt.progress)
		r->opt.progress(first, r->opt.runs);
	/* Progress is shown as it comes; everything else is kept until the
	 * child says "end" and exits 0: a process that dies half-way gives
	 * nothing, not half a row. */
	while (from) {
		size_t got = 0;
		/* t lines carry every round's pair: grow the buffer to fit */
		while (fgets(line + got, (int)(cap - got), from)) {
			got += strlen(line + got);
			if (got && line[got - 1] == '\n')
				break;
			cap *= 2;
			line = util_realloc(line, cap);
		}
		if (!got)
			break;
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "end")) {
			ended = 1;
			break;
		}
		if (line[0] == 'p' && line[1] == '\t') {
			if (r->opt.progress)
				r->opt.progress(first + (unsigned)strtoul(line + 2, NULL, 10), r->opt.runs);
			continue;
		}
		if (nlines == lcap) {
			lcap = lcap ? 2 * lcap : 64;
			lines = util_realloc(lines, lcap * sizeof(*lines));
		}
		lines[nlines++] = strdup(line);
	}
	if (from)
		fclose(from);
	else
		close(out[0]);
	char how[64] = "";
	if (waitpid(pid, &st, 0) == pid) {
		if (WIFSIGNALED(st))
			snprintf(how, sizeof(how), "killed by %s", guard_signal_name(WTERMSIG(st)));
		else if (WEXITSTATUS(st))
			snprintf(how, sizeof(how), "exit status %d", WEXITSTATUS(st));
	}
	int ok = ended && !how[0];
	unsigned char *seen = util_calloc(r->n ? r->n : 1, 1);
	for (size_t k = 0; k < nlines; k++) {
		if (ok)
			take_line(r, lines[k], index, count, first, rounds, counter_runs, first_done, seen);
		free(lines[k]);
	}
	free(lines);
	free(line);
	if (!ok) {
		snprintf(why, len, "it stopped before reporting (%s)", how[0] ? how : "no end line");
		free(seen);
		return -1;
	}
	fail_rows(r, seen, index, count, first_done, "it did not report this row's samples");
	free(seen);
	return 0;
}
