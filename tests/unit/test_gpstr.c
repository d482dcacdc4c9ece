/* SPDX-License-Identifier: MIT */
/* test_gpstr.c: scbench plots hands every text to gnuplot as an escaped
 * string (plots_gpstr, vars.gp); gnuplot must read back exactly the text
 * given, whatever follows an escape (an octal escape swallows a digit
 * after it: "\0506" was read as one character, and cost.png said "kernel
 * F.1.0-57"). gnuplot reads each back here, run by fork and exec. */
#define _GNU_SOURCE
#include "plots.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* What gnuplot prints for `print x` after loading vars (its stdout and
 * stderr, the last line break dropped, as $(...) took it). */
static void gnuplot_reads(const char *script, char *got, size_t len)
{
	int p[2];
	size_t n = 0;
	ssize_t k;
	pid_t pid;

	got[0] = '\0';
	if (pipe(p))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (n + 1 < len && (k = read(p[0], got + n, len - 1 - n)) > 0)
		n += (size_t)k;
	close(p[0]);
	waitpid(pid, NULL, 0);
	got[n] = '\0';
	while (n && got[n - 1] == '\n')
		got[--n] = '\0';
}

static int have_gnuplot(void)
{
	const char *path = getenv("PATH");
	char *dup = strdup(path ? path : "/bin:/usr/bin"), *save = NULL;
	int found = 0;

	for (char *d = strtok_r(dup, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/gnuplot", d);
		found = access(p, X_OK) == 0;
	}
	free(dup);
	return found;
}

int main(void)
{
	static const char *const texts[] = {
		"this kernel (6.1.0-57) and 100% of it", "\"quoted\" $HOME \\back\\slash", "(1)(2)[3]{4}",
		"q'$(touch x)'7", "tab\tend",
	};
	char dir[] = "/tmp/test_gpstr.XXXXXX", vars[64], script[64], want[256], got[4096], line[512];
	FILE *f;

	/* the text itself: no quote, backslash or '$' unescaped, the digit
	 * after an escape escaped too */
	f = fmemopen(line, sizeof(line), "w");
	plots_gpstr(f, "x", "kernel (6.1.0-57) $H\"\\\n2");
	fclose(f);
	tap_ok(!strcmp(line, "x = \"kernel \\050\\066.1.0-57\\051 \\044H\\042\\134\\n2\"\n"), "the escapes: %.*s",
	       (int)strcspn(line, "\n"), line);
	if (!have_gnuplot()) {
		tap_skip("gnuplot not found (make deps installs gnuplot-nox)");
		return tap_done();
	}
	if (!mkdtemp(dir)) {
		tap_ok(0, "mkdtemp: a scratch folder");
		return tap_done();
	}
	snprintf(vars, sizeof(vars), "%s/v.gp", dir);
	snprintf(script, sizeof(script), "%s/read.gp", dir);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (!(f = fopen(vars, "w")))
			break;
		plots_gpstr(f, "x", texts[i]);
		fclose(f);
		if (!(f = fopen(script, "w")))
			break;
		fprintf(f, "set print \"-\"\nload \"%s\"\nprint x\n", vars);
		fclose(f);
		gnuplot_reads(script, got, sizeof(got));
		snprintf(want, sizeof(want), "%s", texts[i]);
		for (char *c = want; *c; c++)
			if (*c == '\t')
				*c = ' ';
		tap_ok(!strcmp(got, want), "gnuplot reads back '%s' (got '%s')", want, got);
	}
	unlink(vars);
	unlink(script);
	rmdir(dir);
	return tap_done();
}
