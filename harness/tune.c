/* SPDX-License-Identifier: MIT */
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
 * calls (openat, read, write, renameat, flock, kill) and static buffers.
 *
 * Whatever the state file says is written back as root, so it is trusted
 * only as far as it can be proved ours: the folder is opened once
 * (O_DIRECTORY|O_NOFOLLOW) and checked on that descriptor (a folder, owned
 * by our euid, no group or other write: nobody else can have put a file
 * in it), every file in it is opened relative to that descriptor with
 * O_NOFOLLOW (the temporary and the lock created with O_EXCL), and every
 * line is checked against the files tune itself changes (tune_allowed)
 * before anything is written. Anything else is left as it is and said.
 * The files it names are written the same way: the SCB_SYSFS root (or
 * /sys) is opened once and checked on its descriptor (root's or ours, no
 * group or other write, not a link), each file opened from it (openat2
 * RESOLVE_BENEATH, O_NOFOLLOW) and checked again before a byte is written
 * (sys_open).
 */
#define _GNU_SOURCE
#include "tune.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TUNE_MAX 512
#define STATE_MAX (TUNE_MAX * 340 + 4096)
#define HOLDERS_MAX 64
#define VALUE_MAX 64

/* state_dir is SCB_TUNE_STATE as given: a longer one is refused, never
 * cut (a cut name is some other folder). */
static char state_dir[256], state_path[300], sys_root[200];
static int dir_fd = -1, sys_fd = -1;
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

/* The whole of fd into dst; -1 when it does not fit (never a cut text). */
static ssize_t read_fd(int fd, char *dst, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < cap && (r = read(fd, dst + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	dst[n] = '\0';
	if (n + 1 >= cap)
		return -1;
	return (ssize_t)n;
}

static ssize_t read_all(const char *path, char *dst, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read_fd(fd, dst, cap);
	close(fd);
	return n;
}

/* One of the files tune changes (path: under sys_root, as tune_allowed
 * says), opened from the checked SCB_SYSFS descriptor: openat2 with
 * RESOLVE_BENEATH (a link, like sysfs's own cpuN/cpufreq -> ../cpufreq/
 * policyN, may not lead out of the tree), no magic links, no other mount,
 * O_NOFOLLOW on the file itself (openat with O_NOFOLLOW where the kernel
 * has no openat2). Then the descriptor must be a regular file of root's or
 * ours, writable by nobody else, with one name (no hard link to a file
 * elsewhere): -1 otherwise, before anything is written. */
static int sys_open(const char *path, int flags)
{
	size_t r = strlen(sys_root);
	struct stat st;
	int fd;

	if (sys_fd < 0 || strncmp(path, sys_root, r) || path[r] != '/')
		return -1;
	const char *rel = path + r + 1;
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_NOFOLLOW | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	fd = (int)syscall(SYS_openat2, sys_fd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = openat(sys_fd, rel, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) || st.st_nlink != 1) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

static int write_value(const char *path, const char *value, size_t len)
{
	int fd = sys_open(path, O_WRONLY);
	struct statfs sf;
	ssize_t n;

	if (fd < 0)
		return -1;
	/* a copy of sysfs (the tests') is a plain file: cut it first, after
	 * the checks (O_TRUNC would cut before them); a sysfs attribute is
	 * not cut, its store takes the write */
	if (fstatfs(fd, &sf) || (sf.f_type != SYSFS_MAGIC && ftruncate(fd, 0))) {
		close(fd);
		return -1;
	}
	n = write(fd, value, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* The first line of one of those files, through sys_open; 0 or -1. */
static int read_value(const char *path, char *dst, size_t cap)
{
	int fd = sys_open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, dst, cap - 1);
	close(fd);
	if (n <= 0)
		return -1;
	dst[n] = '\0';
	dst[strcspn(dst, "\n")] = '\0';
	return 0;
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

/* Whether a file opened in the state folder is one we made: a regular
 * file of our euid that nobody else may write. */
static int ours(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	       !(st.st_mode & (S_IWGRP | S_IWOTH));
}

static int lock_state(void)
{
	int fd = openat(dir_fd, "tune.lock", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0 && errno == EEXIST)
		fd = openat(dir_fd, "tune.lock", O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && (!ours(fd) || flock(fd, LOCK_EX))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Under the lock: a tune.state.tmp here is a dead writer's; it is replaced
 * (unlinkat removes a link, never what it points at), never written
 * through. */
static int write_state(const char *text, size_t len)
{
	unlinkat(dir_fd, "tune.state.tmp", 0);
	int fd = openat(dir_fd, "tune.state.tmp", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	int bad = write(fd, text, len) != (ssize_t)len;
	bad |= fsync(fd) != 0;
	close(fd);
	if (bad || renameat(dir_fd, "tune.state.tmp", dir_fd, "tune.state")) {
		unlinkat(dir_fd, "tune.state.tmp", 0);
		return -1;
	}
	return 0;
}

/* Whether path is one of the files tune changes: under the sysfs root,
 * devices/system/cpu/cpuN/cpufreq/scaling_governor, .../intel_pstate/no_turbo
 * or .../cpufreq/boost. Nothing else is ever written back. */
static int tune_allowed(const char *path, size_t len)
{
	static const char cpu[] = "/devices/system/cpu/";
	static const char gov[] = "/cpufreq/scaling_governor", turbo[] = "intel_pstate/no_turbo",
			  boost[] = "cpufreq/boost";
	size_t r = strlen(sys_root);
	const char *p = path + r + sizeof(cpu) - 1, *end = path + len;

	if (len <= r + sizeof(cpu) - 1 || memcmp(path, sys_root, r) || memcmp(path + r, cpu, sizeof(cpu) - 1))
		return 0;
	if ((size_t)(end - p) == sizeof(turbo) - 1 && !memcmp(p, turbo, sizeof(turbo) - 1))
		return 1;
	if ((size_t)(end - p) == sizeof(boost) - 1 && !memcmp(p, boost, sizeof(boost) - 1))
		return 1;
	if (end - p < 4 || memcmp(p, "cpu", 3) || p[3] < '0' || p[3] > '9')
		return 0;
	for (p += 3; p < end && *p >= '0' && *p <= '9'; p++)
		;
	return (size_t)(end - p) == sizeof(gov) - 1 && !memcmp(p, gov, sizeof(gov) - 1);
}

/* A value tune read from one of those files: a governor name or a digit. */
static int value_ok(const char *v, size_t len)
{
	if (len == 0 || len >= VALUE_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '-' || v[i] == '.'))
			return 0;
	return 1;
}

/* Check the whole of text (in buf) before any of it is used: the holders
 * line, then only PATH<TAB>VALUE lines tune could have written. 0, or the
 * number of the first bad line with *bad (and *badlen) at it. */
static int check_state(const char *text, const char **bad, size_t *badlen)
{
	const char *p = text;
	int line = 1;

	*bad = p;
	*badlen = strcspn(p, "\n");
	if (strncmp(p, "holders", 7))
		return line;
	p += 7;
	while (*p == ' ') {
		p++;
		if (*p < '0' || *p > '9')
			return line;
		get_ulong(&p);
		if (*p++ != ':' || *p < '0' || *p > '9')
			return line;
		get_ulong(&p);
	}
	if (*p++ != '\n')
		return line;
	while (*p) {
		const char *nl = strchr(p, '\n'), *tab = strchr(p, '\t');
		line++;
		*bad = p;
		*badlen = nl ? (size_t)(nl - p) : strlen(p);
		if (!nl || !tab || tab > nl || !tune_allowed(p, (size_t)(tab - p)) ||
		    !value_ok(tab + 1, (size_t)(nl - tab - 1)))
			return line;
		p = nl + 1;
	}
	return 0;
}

enum { STATE_NONE = -1, STATE_BAD = -2 };

/* Read the state file into buf; fill pids/starts with the holders that are
 * still live, leaving out `drop` (our own pid when leaving). Returns the
 * number of live holders, STATE_NONE when there is no state file, or
 * STATE_BAD when it is not one tune wrote (not a regular file of ours, too
 * large, or a line check_state refuses). *body points at the saved
 * settings. */
static int read_state(unsigned long drop, unsigned long *pids, unsigned long *starts, const char **body)
{
	int n = 0, fd = openat(dir_fd, "tune.state", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	const char *bad;
	size_t badlen;

	*body = "";
	if (fd < 0)
		return errno == ENOENT ? STATE_NONE : STATE_BAD;
	ssize_t len = ours(fd) ? read_fd(fd, buf, sizeof(buf)) : -1;
	close(fd);
	if (len < 0 || check_state(buf, &bad, &badlen))
		return STATE_BAD;
	const char *p = buf + 7;
	while (*p == ' ') {
		p++;
		unsigned long pid = get_ulong(&p), st = 0;
		p++;
		st = get_ulong(&p);
		if (pid != drop && n < HOLDERS_MAX && live(pid, st)) {
			pids[n] = pid;
			starts[n++] = st;
		}
	}
	*body = p + 1;
	return n;
}

/* Write every PATH<TAB>VALUE line of body (checked by read_state) back.
 * Returns how many were written; *failed counts the others. */
static int put_back(const char *body, int *failed)
{
	const char *p = body;
	int written = 0;

	*failed = 0;
	while (*p) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		char path[300];
		size_t plen = (size_t)(tab - p);
		if (plen < sizeof(path)) {
			memcpy(path, p, plen);
			path[plen] = '\0';
			if (write_value(path, tab + 1, (size_t)(nl - tab - 1)) == 0)
				written++;
			else
				++*failed;
		} else {
			++*failed;
		}
		p = nl + 1;
	}
	return written;
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
 * state (kept when a setting could not be written back, for tune
 * --restore to try again). */
static void leave(unsigned long self)
{
	unsigned long pids[HOLDERS_MAX], starts[HOLDERS_MAX];
	const char *body;
	int failed, fd = lock_state();
	int n = fd < 0 ? STATE_BAD : read_state(self, pids, starts, &body);

	if (n == 0) {
		put_back(body, &failed);
		if (!failed)
			unlinkat(dir_fd, "tune.state", 0);
	} else if (n > 0) {
		size_t at = holders_line(out, sizeof(out), pids, starts, n);
		at = put(out, at, sizeof(out), body);
		write_state(out, at);
	}
	if (fd >= 0)
		close(fd);
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

/* The folder names from the environment, refused when too long for the
 * buffers. 0, or -1 with why. */
static int paths(char *why, size_t wlen)
{
	const char *dir = getenv("SCB_TUNE_STATE"), *root = getenv("SCB_SYSFS");
	char esc[600];

	if (!dir || !*dir)
		dir = "/run/scbench";
	if (!root)
		root = "/sys";
	if (strlen(dir) >= sizeof(state_dir) - 1) {
		util_escape(esc, sizeof(esc), dir);
		snprintf(why, wlen, "SCB_TUNE_STATE is longer than %zu characters: %.80s...",
			 sizeof(state_dir) - 2, esc);
		return -1;
	}
	if (strlen(root) >= sizeof(sys_root)) {
		snprintf(why, wlen, "SCB_SYSFS is longer than %zu characters", sizeof(sys_root) - 1);
		return -1;
	}
	snprintf(state_dir, sizeof(state_dir), "%s", dir);
	snprintf(state_path, sizeof(state_path), "%s/tune.state", state_dir);
	snprintf(sys_root, sizeof(sys_root), "%s", root);
	return 0;
}

/* Open the state folder (creating it 0700 when create) and prove it ours
 * on the descriptor. 0; 1 when it does not exist (and !create); -1 with
 * why, *denied set when we may not even look (another user's folder). */
static int open_dir(int create, int *denied, char *why, size_t wlen)
{
	struct stat st;

	*denied = 0;
	if (dir_fd >= 0)
		return 0;
	if (create && mkdir(state_dir, 0700) && errno != EEXIST) {
		snprintf(why, wlen, "--tune keeps what it changes in %s: %s", state_dir, strerror(errno));
		return -1;
	}
	int fd = open(state_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && !create)
			return 1;
		int e = errno;
		*denied = e == EACCES;
		/* O_DIRECTORY|O_NOFOLLOW on a link fails ELOOP or ENOTDIR */
		snprintf(why, wlen, "tune state folder %s: %s: left alone", state_dir,
			 lstat(state_dir, &st) == 0 && S_ISLNK(st.st_mode) ? "a symbolic link, not a folder" :
			 strerror(e));
		return -1;
	}
	if (fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, wlen, "tune state folder %s is owned by uid %u with mode %04o: refusing it "
			 "(it must be uid %u's, writable by nobody else; scbench creates it 0700)",
			 state_dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
		close(fd);
		return -1;
	}
	dir_fd = fd;
	return 0;
}

/* Open the SCB_SYSFS root (or /sys) and prove it safe to write under on
 * the descriptor: a folder, not a link, root's or our euid's, writable by
 * nobody else (as the state folder). Otherwise someone else could put a
 * link where tune writes as root. 0, or -1 with why. */
static int open_sys(char *why, size_t wlen)
{
	struct stat st;

	if (sys_fd >= 0)
		return 0;
	int fd = open(sys_root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(why, wlen, "SCB_SYSFS %s: %s: left alone", sys_root,
			 lstat(sys_root, &st) == 0 && S_ISLNK(st.st_mode) ? "a symbolic link, not a folder" :
			 strerror(e));
		return -1;
	}
	if (fstat(fd, &st) || (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, wlen, "SCB_SYSFS %s is owned by uid %u with mode %04o: refusing it (it must be "
			 "root's or uid %u's, writable by nobody else)", sys_root, (unsigned)st.st_uid,
			 (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
		close(fd);
		return -1;
	}
	sys_fd = fd;
	return 0;
}

/* Why read_state said STATE_BAD, in one line for the user. */
static void explain_bad(char *why, size_t wlen)
{
	int fd = openat(dir_fd, "tune.state", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	const char *bad;
	size_t badlen;
	char line[200], esc[800];

	if (fd < 0) {
		snprintf(why, wlen, "%s: %s: left alone", state_path,
			 errno == ELOOP ? "a symbolic link" : strerror(errno));
		return;
	}
	int ok_stat = fstat(fd, &st) == 0;
	if (!ok_stat || !S_ISREG(st.st_mode))
		snprintf(why, wlen, "%s is not a regular file: nothing restored, left alone", state_path);
	else if (!ours(fd))
		snprintf(why, wlen, "%s is owned by uid %u with mode %04o, not written by this user: nothing "
			 "restored, left alone", state_path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	else if (read_fd(fd, buf, sizeof(buf)) < 0)
		snprintf(why, wlen, "%s is larger than any state tune writes: nothing restored, left alone",
			 state_path);
	else {
		int n = check_state(buf, &bad, &badlen);
		snprintf(line, sizeof(line), "%.*s", (int)(badlen < 120 ? badlen : 120), bad);
		util_escape(esc, sizeof(esc), line);
		snprintf(why, wlen, "%s line %d is not a setting tune changes under %s ('%s'): nothing "
			 "restored, left alone", state_path, n, sys_root, esc);
	}
	close(fd);
}

enum tune_recovery tune_recover(char *done, size_t dlen)
{
	unsigned long pids[HOLDERS_MAX], starts[HOLDERS_MAX];
	const char *body;
	int denied, failed;

	done[0] = '\0';
	if (paths(done, dlen))
		return TUNE_REFUSED;
	int d = open_dir(0, &denied, done, dlen);
	if (d)
		return d > 0 ? TUNE_NOTHING : denied ? TUNE_DENIED : TUNE_REFUSED;
	int fd = lock_state();
	if (fd < 0) {
		snprintf(done, dlen, "cannot lock %s/tune.lock: %s", state_dir,
			 errno == ELOOP ? "a symbolic link" : errno ? strerror(errno) : "not a file of ours");
		return TUNE_REFUSED;
	}
	enum tune_recovery rc = TUNE_NOTHING;
	int n = read_state(0, pids, starts, &body);
	if (n == STATE_BAD) {
		explain_bad(done, dlen);
		rc = TUNE_REFUSED;
	} else if (n == 0 && *body && open_sys(done, dlen)) {
		rc = TUNE_REFUSED;	/* nothing written: the state stays */
	} else if (n == 0) {
		int written = put_back(body, &failed);
		if (failed) {
			snprintf(done, dlen, "could not write back %d of the %d CPU settings an earlier --tune "
				 "run left changed (state kept in %s)", failed, failed + written, state_path);
			rc = TUNE_FAILED;
		} else {
			unlinkat(dir_fd, "tune.state", 0);
			if (written) {
				snprintf(done, dlen, "restored %d CPU setting%s an earlier --tune run left changed "
					 "(it was killed or crashed; state in %s)", written, written == 1 ? "" : "s",
					 state_path);
				rc = TUNE_RESTORED;
			}
		}
	} else if (n > 0) {
		snprintf(done, dlen, "settings in %s are held by a running --tune run (pid %lu)",
			 state_path, pids[0]);
		rc = TUNE_HELD;
	}
	close(fd);
	return rc;
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

	/* only what a later restore will accept (tune_allowed, value_ok) */
	int fd;
	if (n == TUNE_MAX || !tune_allowed(path, strlen(path)) || read_value(path, old, sizeof(old)) ||
	    !strcmp(old, value) || strlen(path) >= sizeof(changes[0].path) || !value_ok(old, strlen(old)) ||
	    (fd = sys_open(path, O_WRONLY)) < 0)
		return n;
	close(fd);
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
	char pattern[300], path[300], recovered[512];
	unsigned long pids[HOLDERS_MAX + 1], starts[HOLDERS_MAX + 1];
	const char *body;
	glob_t g;
	int n = 0, denied;

	done[0] = '\0';
	if (!getenv("SCB_SYSFS") && geteuid() != 0) {
		snprintf(why, wlen, "--tune changes CPU frequency settings and needs root");
		return -1;
	}
	if (paths(why, wlen) || open_sys(why, wlen) || open_dir(1, &denied, why, wlen))
		return -1;
	const char *root = sys_root;
	/* A broken pipe becomes a write error, not a death that skips restoring. */
	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], on_signal);
	atexit(tune_restore);

	enum tune_recovery rec = tune_recover(recovered, sizeof(recovered));
	if (rec == TUNE_REFUSED || rec == TUNE_FAILED) {
		snprintf(why, wlen, "--tune: %s", recovered);
		return -1;
	}
	if (rec != TUNE_RESTORED)
		recovered[0] = '\0';
	int fd = lock_state();
	if (fd < 0) {
		snprintf(why, wlen, "--tune: cannot lock %s/tune.lock: %s", state_dir, strerror(errno));
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
