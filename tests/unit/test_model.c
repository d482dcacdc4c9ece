/* SPDX-License-Identifier: MIT */
/* test_model.c: the results model (results.h) reads back what a run's
 * tables hold, by field and not by column, refuses a field that is not
 * what its column wants (naming the file, line and column), and keeps
 * history.csv: appended, trimmed to the newest runs, never written
 * through a link, its machine fingerprint POSIX cksum's. */
#define _GNU_SOURCE
#include "results.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/scbench-test-model.XXXXXX";

static void put(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
}

#define SUMMARY_HEAD "schema,abi,mechanism,syscall,status,reason,samples,calls_per_sample,ns_median,ns_ci_lo," \
	"ns_ci_hi,ratio_to_ref,levels,icount,syscalls_per_call,page_faults,counters_reason,detail,kernel,description\n"

static int count_rows(void *ctx, const struct results_row *row, const char *file, char *why, size_t len)
{
	(void)row, (void)file, (void)why, (void)len;
	++*(int *)ctx;
	return 0;
}

static int count_samples(void *ctx, const struct results_sample *s, const char *file, char *why, size_t len)
{
	(void)s, (void)file, (void)why, (void)len;
	++*(int *)ctx;
	return 0;
}

struct hist_seen {
	int n;
	char runs[8][64];
	char fingerprint[16];
};

static int see_history(void *ctx, const struct results_history *h, const char *file, char *why, size_t len)
{
	struct hist_seen *s = ctx;

	(void)file, (void)why, (void)len;
	if (s->n < 8)
		snprintf(s->runs[s->n], sizeof(s->runs[0]), "%s", h->run);
	snprintf(s->fingerprint, sizeof(s->fingerprint), "%s", h->fingerprint);
	s->n++;
	return 0;
}

static int has(const char *why, const char *text)
{
	return strstr(why, text) != NULL;
}

int main(void)
{
	struct results m;
	char why[600], buf[256], path[600];
	size_t rows = 0;

	if (!mkdtemp(dir))
		return 1;
	put("summary.csv", SUMMARY_HEAD
	    "1,x86_64,syscall,getppid,ok,,200,512,71.250,70.100,72.400,1.0000,,342.28,1.000,0.000,no PMU,,k_syscall_64_getppid,\"null, syscall\"\n"
	    "1,i386,int80,getppid,unsupported,no 32-bit emulation,,,,,,,,,,,,,k_int80_32_getppid,int $0x80\n"
	    "1,x86_64,vdso,time,ok,,200,4096,3.500,3.400,3.600,0.0491,3.400 | 3.600,,0.000,,no PMU,,k_vdso_64_time,vDSO time\n");
	put("env.csv", "schema,key,value\n1,clock,icount (QEMU -icount shift=0)\n1,hostname,vm\n"
	    "1,cpu_model,Intel Xeon\n1,cpu_microcode,0x1\n1,kernel_release,6.18.0\n1,kernel_cmdline,ro quiet\n"
	    "1,time_utc,2026-12-02T00:00:00Z\n1,git_commit,abc\n");
	put("processes.csv", "schema,abi,mechanism,syscall,process,ns_median,ratio_to_ref\n"
	    "1,x86_64,syscall,getppid,0,71.0,1.0\n1,x86_64,syscall,getppid,1,71.5,\n1,x86_64,vdso,time,0,3.5,0.05\n");

	tap_ok(results_load(&m, dir, why, sizeof(why)) == 0, "a folder loads (%s)", why);
	tap_ok(m.n == 3 && !strcmp(m.row[0].name, "x86_64/syscall/getppid") && m.row[0].median == 71.25 &&
	       m.row[0].lo == 70.1 && m.row[0].hi == 72.4 && m.row[0].ratio == 1.0,
	       "the first row's figures read by field: median %g [%g, %g], ratio %g", m.row[0].median, m.row[0].lo,
	       m.row[0].hi, m.row[0].ratio);
	tap_ok(isnan(m.row[1].median) && isnan(m.row[1].ratio) && !strcmp(m.row[1].reason, "no 32-bit emulation"),
	       "a row that did not run: no figures (NaN), its reason");
	tap_ok(m.counters.n == 2 && !strcmp(m.counters.name[0], "syscalls_per_call") &&
	       results_count(&m, &m.row[0], "syscalls_per_call") == 1.0 &&
	       isnan(results_count(&m, &m.row[2], "page_faults")) && isnan(results_count(&m, &m.row[0], "cycles_user")),
	       "the counter columns are the header's unknown ones, in order (%zu); an empty or absent one is NaN",
	       m.counters.n);
	tap_ok(m.icount && m.has_env, "env.csv's clock makes it an icount run");
	tap_ok(m.np[0] == 2 && m.pmed[0][1] == 71.5 && isnan(m.pratio[0][1]) && m.np[1] == 0 && m.np[2] == 1,
	       "processes.csv: each row's process medians, an empty ratio NaN");
	tap_ok(results_field(&m, &m.row[0], "median", buf, sizeof(buf)) == 0 && !strcmp(buf, "71.250"),
	       "field median prints as summary.csv writes it (%s)", buf);
	tap_ok(results_field(&m, &m.row[0], "unit", buf, sizeof(buf)) == 0 && !strcmp(buf, "guest instructions"),
	       "an icount run's unit: %s", buf);
	tap_ok(results_field(&m, &m.row[0], "loop", buf, sizeof(buf)) == 0 && !strcmp(buf, "k_syscall_64_getppid") &&
	       results_field(&m, &m.row[2], "levels", buf, sizeof(buf)) == 0 && !strcmp(buf, "3.400 | 3.600"),
	       "text fields: the loop and the levels");
	tap_ok(results_field(&m, &m.row[0], "ns_median", buf, sizeof(buf)) == -1,
	       "a column name is not a field name: the model's names only");
	size_t names = 0;
	int saw_counter = 0;
	for (const char *f; (f = results_field_name(&m, names)); names++)
		saw_counter |= !strcmp(f, "page_faults") && results_field(&m, &m.row[0], f, buf, sizeof(buf)) == 0;
	tap_ok(names > 30 && saw_counter, "results_field_name lists %zu names, the counters among them", names);
	tap_ok(results_find(&m, "x86_64/vdso/time") == &m.row[2] && !results_find(&m, "x86_64/vdso/none"),
	       "results_find by name");
	results_free(&m);

	/* what a column wants, refused with the file, line and column */
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	put("summary.csv", SUMMARY_HEAD "1,x86_64,syscall,getppid,ok,,200,512,7x,70,72,1,,,,,,,,\n");
	tap_ok(results_read_summary(path, NULL, count_rows, &(int){ 0 }, &rows, why, sizeof(why)) == -1 &&
	       has(why, "summary.csv:2: ns_median '7x' is not a finite number"), "a median that is no number: %s", why);
	put("summary.csv", SUMMARY_HEAD "1,x86_64,syscall,getppid,ok,,200.5,512,71,70,72,1,,,,,,,,\n");
	tap_ok(results_read_summary(path, NULL, count_rows, &(int){ 0 }, &rows, why, sizeof(why)) == -1 &&
	       has(why, "samples '200.5' is not a count"), "samples that are no count: %s", why);
	put("summary.csv", SUMMARY_HEAD "1,x86_64,syscall,getppid,ok,,200,512,71,70,72,1,,-3,,,,,,\n");
	tap_ok(results_read_summary(path, NULL, count_rows, &(int){ 0 }, &rows, why, sizeof(why)) == -1 &&
	       has(why, "icount '-3' is below 0"), "a negative instruction count: %s", why);
	put("summary.csv", "schema,abi,mechanism,syscall\n1,x86_64,syscall,getppid\n");
	tap_ok(results_read_summary(path, NULL, count_rows, &(int){ 0 }, &rows, why, sizeof(why)) == -1 &&
	       has(why, "no column 'status'"), "a table without status is not a summary: %s", why);
	put("summary.csv", "schema,abi,mechanism,syscall,status,icount\n1,x86_64,syscall,getppid,ok,342.28\n");
	int n = 0;
	tap_ok(results_read_summary(path, NULL, count_rows, &n, &rows, why, sizeof(why)) == 0 && n == 1,
	       "a minimal summary (bisect-count's --record) reads: the rest is optional");

	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	put("samples.csv", "schema,abi,mechanism,syscall,round,ns_per_call,process\n1,x86_64,syscall,getppid,4294967295,70,0\n");
	tap_ok(results_read_samples(path, count_samples, &(int){ 0 }, &rows, why, sizeof(why)) == -1 && has(why, "out of range"),
	       "a round past the largest: %s", why);
	put("samples.csv", "schema,abi,mechanism,syscall,round,ns_per_call,process\n1,x86_64,syscall,getppid,0,70,1000\n");
	tap_ok(results_read_samples(path, count_samples, &(int){ 0 }, &rows, why, sizeof(why)) == -1 &&
	       has(why, "not a process number (0 to 999)"), "a process past the largest: %s", why);

	/* history: two runs appended, then trimmed to the newest */
	put("summary.csv", SUMMARY_HEAD
	    "1,x86_64,syscall,getppid,ok,,200,512,71.250,70.100,72.400,1.0000,,,,,,,k,d\n"
	    "1,i386,int80,getppid,unsupported,why,,,,,,,,,,,,,k,d\n");
	char hist[600];
	struct hist_seen seen = { 0 };
	snprintf(hist, sizeof(hist), "%s/history.csv", dir);
	int a = results_history_append(hist, dir, "run-1", 0, why, sizeof(why));
	int b = results_history_append(hist, dir, "run-2", 0, why, sizeof(why));
	int c = results_read_history(hist, see_history, &seen, &rows, why, sizeof(why));
	tap_ok(a == 0 && b == 0 && c == 0 && seen.n == 2 && !strcmp(seen.runs[0], "run-1") && !strcmp(seen.runs[1], "run-2"),
	       "history: two appends, one line per ok row each (%d)", seen.n);
	tap_ok(!strcmp(seen.fingerprint, "3071636449"),
	       "the machine fingerprint is cksum(1)'s of cpu_model|microcode|kernel|cmdline (%s)", seen.fingerprint);
	memset(&seen, 0, sizeof(seen));
	a = results_history_append(hist, dir, "run-3", 2, why, sizeof(why));
	c = results_read_history(hist, see_history, &seen, &rows, why, sizeof(why));
	tap_ok(a == 0 && c == 0 && seen.n == 2 &&
	       !strcmp(seen.runs[0], "run-2") && !strcmp(seen.runs[1], "run-3"),
	       "max_runs 2 keeps the newest two runs (%d lines: %s, %s)", seen.n, seen.runs[0], seen.runs[1]);
	/* the lines already there pass through as they were: a long host, a
	 * '/' in a name, more decimals than the writer prints */
	char old[2048], text[4096], big[301];
	memset(big, 'h', 300);
	big[300] = '\0';
	snprintf(old, sizeof(old), "1,2026-01-01T00:00:00Z,old,abc,12345678901234567890,%s,x86_64,syscall,"
		 "get/ppid,1.23456,1,2,1.00001\n", big);
	snprintf(text, sizeof(text), "schema,time_utc,run,commit,fingerprint,host,abi,mechanism,syscall,ns_median,"
		 "ns_ci_lo,ns_ci_hi,ratio_to_ref\n%s", old);
	put("history.csv", text);
	a = results_history_append(hist, dir, "run-5", 0, why, sizeof(why));
	FILE *hf = fopen(hist, "r");
	char line[2048] = "";
	if (hf) {
		fgets(line, sizeof(line), hf);
		fgets(line, sizeof(line), hf);
		fclose(hf);
	}
	tap_ok(a == 0 && !strcmp(line, old), "an existing history line passes through byte for byte (%.60s...)", line);
	char link[640];
	snprintf(link, sizeof(link), "%s/linked.csv", dir);
	tap_ok(symlink(hist, link) == 0 && results_history_append(link, dir, "run-4", 0, why, sizeof(why)) == -1 &&
	       has(why, "not a regular file"), "a history that is a link is refused: %s", why);

	put("env.csv", "schema,key\n");
	tap_ok(results_history_append(hist, dir, "run-6", 0, why, sizeof(why)) == -1 && has(why, "env.csv"),
	       "a run whose env.csv does not read is not appended: %s", why);

	/* what does not fit is refused, never cut */
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	memset(big, 'x', 200);
	big[200] = '\0';
	snprintf(text, sizeof(text), SUMMARY_HEAD "1,%s,syscall,getppid,ok,,200,512,71,70,72,1,,,,,,,,\n", big);
	put("summary.csv", text);
	tap_ok(results_read_summary(path, NULL, count_rows, &(int){ 0 }, &rows, why, sizeof(why)) == -1 &&
	       has(why, "abi is longer than"), "an abi longer than the record keeps: %s", why);
	put("summary.csv", "schema,abi,mechanism,syscall,status,cycles_user,cycles_user\n1,x86_64,syscall,getppid,ok,,9\n");
	tap_ok(results_read_summary(path, NULL, count_rows, &(int){ 0 }, &rows, why, sizeof(why)) == -1 &&
	       has(why, "twice"), "a counter column given twice: %s", why);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	put("samples.csv", "schema,abi,mechanism,syscall,round,ns_per_call,process\n1,x86_64,syscall,getppid,0,70,\n");
	tap_ok(results_read_samples(path, count_samples, &(int){ 0 }, &rows, why, sizeof(why)) == -1 &&
	       has(why, "process ''"), "an empty process where the column is: %s", why);

	snprintf(buf, sizeof(buf), "rm -rf '%s'", dir);
	if (system(buf))
		return 1;
	return tap_done();
}
