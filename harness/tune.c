/* tune.c: see tune.h. */
#define _GNU_SOURCE
#include "tune.h"
#include "util.h"

#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TUNE_MAX 512

/* What to put back: fixed-size storage, so the signal handler needs no
 * allocation (open/write/close are async-signal-safe). */
static struct {
	char path[256];
	char value[64];
} saved[TUNE_MAX];
static volatile sig_atomic_t nsaved;

static int write_value(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -1;
}

void tune_restore(void)
{
	while (nsaved > 0) {
		nsaved--;
		write_value(saved[nsaved].path, saved[nsaved].value);
	}
}

static void on_signal(int sig)
{
	tune_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Set path to value, remembering the old one; appends to done. */
static void set(const char *path, const char *value, const char *label, char *done, size_t dlen)
{
	char old[64];

	if (nsaved == TUNE_MAX || util_read_line(path, old, sizeof(old)) || !strcmp(old, value))
		return;
	snprintf(saved[nsaved].path, sizeof(saved[0].path), "%s", path);
	snprintf(saved[nsaved].value, sizeof(saved[0].value), "%s", old);
	if (write_value(path, value))
		return;
	nsaved++;
	size_t used = strlen(done);
	snprintf(done + used, dlen - used, "%s%s %s->%s", used ? "; " : "", label, old, value);
}

int tune_apply(char *done, size_t dlen, char *why, size_t wlen)
{
	const char *root = getenv("SCB_SYSFS");
	char pattern[300], path[300];
	glob_t g;

	done[0] = '\0';
	if (!root && geteuid() != 0) {
		snprintf(why, wlen, "--tune changes CPU frequency settings and needs root");
		return -1;
	}
	if (!root)
		root = "/sys";
	atexit(tune_restore);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGQUIT, on_signal);

	snprintf(pattern, sizeof(pattern), "%s/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor", root);
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char label[64], *cpu = strstr(g.gl_pathv[i], "/cpu/cpu");
			snprintf(label, sizeof(label), "governor cpu%d", cpu ? atoi(cpu + 8) : -1);
			set(g.gl_pathv[i], "performance", label, done, dlen);
		}
		globfree(&g);
	}
	snprintf(path, sizeof(path), "%s/devices/system/cpu/intel_pstate/no_turbo", root);
	set(path, "1", "intel_pstate no_turbo", done, dlen);
	snprintf(path, sizeof(path), "%s/devices/system/cpu/cpufreq/boost", root);
	set(path, "0", "cpufreq boost", done, dlen);
	if (!done[0])
		snprintf(done, dlen, "nothing to change: no cpufreq governor or turbo control here, "
			 "or already tuned");
	return 0;
}
