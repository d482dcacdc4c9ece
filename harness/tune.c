/* tune.c: see tune.h.
 *
 * The state file is the truth about what to put back:
 *     holders PID:START PID:START ...
 *     PATH<TAB>ORIGINAL VALUE
 *     ...
 * It is written (temporary file + rename) before any setting changes, and
 * every reader or writer holds an exclusive flock on the lock file beside
 * it. A holder is live when /proc/PID/stat still shows the same start
 * time (so a recycled PID does not count). Restoring runs from exit, from
 * signal handlers and from a later run, so it uses only async-signal-safe
 * calls (open, read, write, rename, flock, kill) and static buffers.
 */
#define _GNU_SOURCE
#include "tune.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define TUNE_MAX 512
#define STATE_MAX (TUNE_MAX * 340 + 4096)
#define HOLDERS_MAX 64

static char state_dir[256], state_path[300], state_tmp[300], lock_path[300];
static volatile sig_atomic_t joined;	/* we are in the holders list */
static char buf[STATE_MAX], out[STATE_MAX];

/* ---- async-signal-safe helpers ----------------------------------------- */

static size_t put(char *dst, size_t at, size_t cap, const char *s)
{
	while (*s && at + 1 < cap)
		dst[at++] = *s++;
	dst[at] = '\0';
	return at;
}

static size_t put_ulong(char *dst, size_t at, size_t cap, unsigned long v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < (int)sizeof(tmp));
	while (n && at + 1 < cap)
		dst[at++] = tmp[--n];
	dst[at] = '\0';
	return at;
}

static unsigned long get_ulong(const char **p)
{
	unsigned long v = 0;

	while (**p >= '0' && **p <= '9')
		v = v * 10 + (unsigned long)(*(*p)++ - '0');
	return v;
}

static ssize_t read_all(const char *path, char *dst, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while (n + 1 < cap && (r = read(fd, dst + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	dst[n] = '\0';
	return (ssize_t)n;
}

static int write_value(const char *path, const char *value, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, value, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* Field 22 of /proc/PID/stat (start time in clock ticks); 0 if gone. */
static unsigned long start_time(unsigned long pid)
{
	char path[64], stat[1024];
	size_t at = put(path, 0, sizeof(path), "/proc/");

	at = put_ulong(path, at, sizeof(path), pid);
	put(path, at, sizeof(path), "/stat");
	if (read_all(path, stat, sizeof(stat)) <= 0)
		return 0;
	const char *p = strrchr(stat, ')');	/* comm may hold spaces */
	for (int field = 2; p && *p && field < 22; p++)
		if (*p == ' ')
			field++;
	return p ? get_ulong(&p) : 0;
}

static int live(unsigned long pid, unsigned long start)
{
	return pid && (kill((pid_t)pid, 0) == 0 || errno == EPERM) && start_time(pid) == start;
}

static int lock_state(void)
{
	int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int write_state(const char *text, size_t len)
{
	int fd = open(state_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	int bad = write(fd, text, len) != (ssize_t)len;
	bad |= fsync(fd) != 0;
	close(fd);
	return bad || rename(state_tmp, state_path) ? -1 : 0;
}

/* Read the state file into buf; fill pids/starts with the holders that are
 * still live, leaving out `drop` (our own pid when leaving). Returns the
 * number of live holders, -1 when there is no state file. *body points at
 * the saved settings. */
static int read_state(unsigned long drop, unsigned long *pids, unsigned long *starts, const char **body)
{
	int n = 0;

	if (read_all(state_path, buf, sizeof(buf)) < 0)
		return -1;
	const char *p = buf;
	if (strncmp(p, "holders", 7))
		p = "";
	else
		p += 7;
	while (*p == ' ') {
		p++;
		unsigned long pid = get_ulong(&p), st = 0;
		if (*p == ':') {
			p++;
			st = get_ulong(&p);
		}
		if (pid != drop && n < HOLDERS_MAX && live(pid, st)) {
			pids[n] = pid;
			starts[n++] = st;
		}
	}
	while (*p && *p != '\n')
		p++;
	*body = *p ? p + 1 : p;
	return n;
}

/* Write every PATH<TAB>VALUE line of body back. */
static void put_back(const char *body)
{
	const char *p = body;

	while (*p) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (tab && tab < nl) {
			char path[300];
			size_t plen = (size_t)(tab - p);
			if (plen < sizeof(path)) {
				memcpy(path, p, plen);
				path[plen] = '\0';
				write_value(path, tab + 1, (size_t)(nl - tab - 1));
			}
		}
		p = *nl ? nl + 1 : nl;
	}
}

static size_t holders_line(char *dst, size_t cap, const unsigned long *pids, const unsigned long *starts, int n)
{
	size_t at = put(dst, 0, cap, "holders");

	for (int i = 0; i < n; i++) {
		at = put(dst, at, cap, " ");
		at = put_ulong(dst, at, cap, pids[i]);
		at = put(dst, at, cap, ":");
		at = put_ulong(dst, at, cap, starts[i]);
	}
	return put(dst, at, cap, "\n");
}

/* Leave the holders; the last one out puts everything back and removes the
 * state. Returns 1 when it restored. */
static int leave(unsigned long self)
{
	unsigned long pids[HOLDERS_MAX], starts[HOLDERS_MAX];
	const char *body;
	int restored = 0, fd = lock_state();
	int n = read_state(self, pids, starts, &body);

	if (n == 0) {
		put_back(body);
		unlink(state_path);
		restored = 1;
	} else if (n > 0) {
		size_t at = holders_line(out, sizeof(out), pids, starts, n);
		at = put(out, at, sizeof(out), body);
		write_state(out, at);
	}
	if (fd >= 0)
		close(fd);
	return restored;
}

void tune_restore(void)
{
	if (!joined)
		return;
	joined = 0;
	leave((unsigned long)getpid());
}

static void on_signal(int sig)
{
	tune_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void paths(void)
{
	const char *dir = getenv("SCB_TUNE_STATE");

	snprintf(state_dir, sizeof(state_dir), "%s", dir && *dir ? dir : "/run/scbench");
	snprintf(state_path, sizeof(state_path), "%s/tune.state", state_dir);
	snprintf(state_tmp, sizeof(state_tmp), "%s/tune.state.tmp", state_dir);
	snprintf(lock_path, sizeof(lock_path), "%s/tune.lock", state_dir);
}

int tune_recover(char *done, size_t dlen)
{
	unsigned long pids[HOLDERS_MAX], starts[HOLDERS_MAX];
	const char *body;
	struct stat st;

	done[0] = '\0';
	paths();
	if (stat(state_path, &st))
		return 0;
	int fd = lock_state();
	if (fd < 0)
		return 0;
	int n = read_state(0, pids, starts, &body);
	if (n == 0) {
		put_back(body);
		unlink(state_path);
		snprintf(done, dlen, "restored the CPU settings an earlier --tune run left changed "
			 "(it was killed or crashed; state in %s)", state_path);
	} else if (n > 0) {
		snprintf(done, dlen, "settings in %s are held by a running --tune run (pid %lu)",
			 state_path, pids[0]);
	}
	close(fd);
	return n == 0;
}

/* The settings to change: path, wanted value, label. */
struct change {
	char path[300], old[64], label[64];
	const char *value;
};
static struct change changes[TUNE_MAX];

static int plan(const char *path, const char *value, const char *label, int n)
{
	char old[64];

	if (n == TUNE_MAX || util_read_line(path, old, sizeof(old)) || !strcmp(old, value) ||
	    strlen(path) >= sizeof(changes[0].path) || access(path, W_OK))
		return n;
	snprintf(changes[n].path, sizeof(changes[n].path), "%s", path);
	snprintf(changes[n].old, sizeof(changes[n].old), "%s", old);
	snprintf(changes[n].label, sizeof(changes[n].label), "%s", label);
	changes[n].value = value;
	return n + 1;
}

int tune_apply(char *done, size_t dlen, char *why, size_t wlen)
{
	static const int fatal[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
				     SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGSEGV, SIGBUS, SIGFPE,
				     SIGILL, SIGABRT, SIGTRAP, SIGSYS, SIGSTKFLT, SIGPWR };
	const char *root = getenv("SCB_SYSFS");
	char pattern[300], path[300], recovered[512];
	unsigned long pids[HOLDERS_MAX + 1], starts[HOLDERS_MAX + 1];
	const char *body;
	glob_t g;
	int n = 0;

	done[0] = '\0';
	if (!root && geteuid() != 0) {
		snprintf(why, wlen, "--tune changes CPU frequency settings and needs root");
		return -1;
	}
	if (!root)
		root = "/sys";
	paths();
	if (mkdir(state_dir, 0700) && errno != EEXIST) {
		snprintf(why, wlen, "--tune keeps what it changes in %s: %s", state_dir, strerror(errno));
		return -1;
	}
	/* A broken pipe becomes a write error, not a death that skips restoring. */
	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], on_signal);
	atexit(tune_restore);

	tune_recover(recovered, sizeof(recovered));
	int fd = lock_state();
	if (fd < 0) {
		snprintf(why, wlen, "--tune: cannot lock %s: %s", lock_path, strerror(errno));
		return -1;
	}
	int holders = read_state(0, pids, starts, &body);
	unsigned long self = (unsigned long)getpid();
	if (holders > 0) {
		/* another tuned run is measuring: share its settings; the last
		 * of us to finish restores */
		pids[holders] = self;
		starts[holders] = start_time(self);
		size_t at = holders_line(out, sizeof(out), pids, starts, holders + 1);
		at = put(out, at, sizeof(out), body);
		if (write_state(out, at) == 0) {
			joined = 1;
			snprintf(done, dlen, "already tuned by pid %lu: shared (the last run to finish restores)",
				 pids[0]);
		}
		close(fd);
		return 0;
	}

	snprintf(pattern, sizeof(pattern), "%s/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor", root);
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char label[64], *cpu = strstr(g.gl_pathv[i], "/cpu/cpu");
			snprintf(label, sizeof(label), "governor cpu%d", cpu ? atoi(cpu + 8) : -1);
			n = plan(g.gl_pathv[i], "performance", label, n);
		}
		globfree(&g);
	}
	snprintf(path, sizeof(path), "%s/devices/system/cpu/intel_pstate/no_turbo", root);
	n = plan(path, "1", "intel_pstate no_turbo", n);
	snprintf(path, sizeof(path), "%s/devices/system/cpu/cpufreq/boost", root);
	n = plan(path, "0", "cpufreq boost", n);

	if (n) {
		/* the originals are on disk before anything changes */
		pids[0] = self;
		starts[0] = start_time(self);
		size_t at = holders_line(out, sizeof(out), pids, starts, 1);
		for (int i = 0; i < n; i++) {
			at = put(out, at, sizeof(out), changes[i].path);
			at = put(out, at, sizeof(out), "\t");
			at = put(out, at, sizeof(out), changes[i].old);
			at = put(out, at, sizeof(out), "\n");
		}
		if (write_state(out, at)) {
			snprintf(why, wlen, "--tune: cannot write %s: %s", state_path, strerror(errno));
			close(fd);
			return -1;
		}
		joined = 1;
	}
	for (int i = 0; i < n; i++) {
		if (write_value(changes[i].path, changes[i].value, strlen(changes[i].value)))
			continue;
		size_t used = strlen(done);
		snprintf(done + used, dlen - used, "%s%s %s->%s", used ? "; " : "", changes[i].label,
			 changes[i].old, changes[i].value);
	}
	close(fd);
	if (!done[0])
		snprintf(done, dlen, "nothing to change: no cpufreq governor or turbo control here, "
			 "or already tuned");
	if (recovered[0]) {
		size_t used = strlen(done);
		snprintf(done + used, dlen - used, " (first %s)", recovered);
	}
	return 0;
}
