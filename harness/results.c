/* SPDX-License-Identifier: MIT */
/* results.c: see results.h. */
#define _GNU_SOURCE
#include "results.h"
#include "env.h"
#include "report.h"
#include "util.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Create dir and any missing parents (mkdir -p). *created counts the
 * folders this call made, made[] their path lengths in dir, innermost last,
 * so a failure can take back exactly those. Another run creating the same
 * folders at the same moment is no error: EEXIST is success here. */
#define RESULTS_DEPTH 64
static int ensure_dir(const char *dir, size_t made[RESULTS_DEPTH], int *created)
{
	char path[PATH_MAX];
	struct stat st;
	size_t len = strlen(dir);

	*created = 0;
	if (len >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		if (i < len && path[i - 1] == '/')
			continue;
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, 0777) == 0) {
			if (*created < RESULTS_DEPTH)
				made[(*created)++] = i;
		} else if (errno != EEXIST || stat(path, &st)) {
			return -1;
		} else if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		path[i] = c;
	}
	return 0;
}

/* Take back the folders ensure_dir made, innermost first; one that another
 * run has put something in stays (rmdir fails on it). */
static void undo_dirs(const char *dir, const size_t made[RESULTS_DEPTH], int created)
{
	char path[PATH_MAX];

	while (created-- > 0) {
		snprintf(path, sizeof(path), "%.*s", (int)made[created], dir);
		rmdir(path);
	}
}

int results_check_writable(const char *root, char *why, size_t wlen)
{
	char probe[PATH_MAX];
	size_t made[RESULTS_DEPTH];
	int created;

	if (ensure_dir(root, made, &created)) {
		snprintf(why, wlen, "--out %s: %s", root, strerror(errno));
		undo_dirs(root, made, created);
		return -1;
	}
	snprintf(probe, sizeof(probe), "%s/.scbench-probe-%ld", root, (long)getpid());
	if (mkdir(probe, 0777)) {
		int e = errno;
		undo_dirs(root, made, created);
		snprintf(why, wlen, "--out %s is not writable: %s", root, strerror(e));
		return -1;
	}
	rmdir(probe);
	/* root stays: the run writes into it, and another run may be using
	 * it already (removing a folder this run made raced with them) */
	return 0;
}

/* The writer's PID: the digits after the name's last '-', ended by the
 * name's end or a '.'; 0 when there are none. The scripts' mktemp
 * --suffix=-$$ names end in it (.tmp-NAME-XXXXXX-PID, a report's
 * .tmp-report-XXXXXX-PID.md); results_write's mkdtemp folder has it before
 * its random part (.tmp-HOST-STAMP-PID.XXXXXX: mkdtemp's letters and
 * digits hold no '-' or '.'). */
static long writer_pid(const char *name)
{
	const char *dash = strrchr(name, '-');
	char *end;
	long pid;

	if (!dash)
		return 0;
	pid = strtol(dash + 1, &end, 10);
	return end != dash + 1 && (*end == '\0' || *end == '.') ? pid : 0;
}

/* Whether the entry's writer (the PID in its name) is gone, or the entry
 * (st: its own, not a link's target) is older than RESULTS_STALE_S. */
static int gone_or_old(const char *name, const struct stat *st)
{
	long pid = writer_pid(name);

	if (pid > 0 && kill((pid_t)pid, 0) && errno == ESRCH)
		return 1;
	return time(NULL) - st->st_mtime >= RESULTS_STALE_S;
}

/* Whether the folder dfd holds our marker, a regular file (not a link). */
static int has_marker(int dfd)
{
	struct stat st;

	return fstatat(dfd, RESULTS_MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* Empty the folder dfd (consumed), by descriptor only: each level opened
 * with O_DIRECTORY|O_NOFOLLOW from its parent's descriptor and every name
 * removed with unlinkat relative to it, so a link is removed, never
 * followed, and a folder renamed meanwhile takes nothing outside it with
 * it. Another filesystem (a mount inside) is not entered. */
#define RESULTS_WALK_DEPTH 32
static void empty_dir(int dfd, dev_t dev, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dfd, e->d_name, 0) == 0 || (errno != EISDIR && errno != EPERM))
			continue;
		int sub = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (sub < 0)
			continue;
		if (depth >= RESULTS_WALK_DEPTH || fstat(sub, &st) || st.st_dev != dev) {
			close(sub);
			continue;
		}
		empty_dir(sub, dev, depth + 1);
		unlinkat(dfd, e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* Whether root (its descriptor) is safe to sweep: ours, and no one else
 * can rename or swap entries in it (not group- or other-writable, or
 * sticky). Otherwise one warning says why nothing is removed. */
static int sweepable(int rfd, const char *root)
{
	struct stat st;

	if (fstat(rfd, &st))
		return 0;
	if (st.st_uid != geteuid()) {
		util_error("warning: %s is owned by uid %ld, not by this user (%ld): its stale temporaries "
			   "are left alone", root, (long)st.st_uid, (long)geteuid());
		return 0;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
		util_error("warning: %s is writable by others (mode %03o, not sticky): its stale temporaries "
			   "are left alone", root, (unsigned)(st.st_mode & 0777));
		return 0;
	}
	return 1;
}

int results_clean_stale(const char *root)
{
	static const char *const prefixes[] = { ".tmp-", ".latest-", ".scbench-probe-", ".old-plots-" };
	int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int removed = 0;

	if (rfd < 0)
		return 0;
	if (!sweepable(rfd, root) || !(d = fdopendir(rfd))) {
		close(rfd);
		return 0;
	}
	while ((e = readdir(d))) {
		struct stat st, fst;
		int ours = 0;

		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			ours |= !strncmp(e->d_name, prefixes[i], strlen(prefixes[i]));
		if (!ours || fstatat(rfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		/* only ours: of our euid, a folder nobody else can write (so
		 * nothing in it changes under the walk), and results_write's
		 * .tmp-* carry the marker from their first file on (ci-bench's
		 * .tmp-ci-* hold run folders that do) */
		int needs_marker = !strncmp(e->d_name, ".tmp-", 5) && strncmp(e->d_name, ".tmp-ci-", 8);
		if (!S_ISDIR(st.st_mode)) {
			/* what we leave there besides folders is a .latest-PID
			 * link: a user's regular file of a like name is not ours */
			if (S_ISLNK(st.st_mode) && st.st_uid == geteuid() && !strncmp(e->d_name, ".latest-", 8) &&
			    gone_or_old(e->d_name, &st) && unlinkat(rfd, e->d_name, 0) == 0)
				removed++;
			continue;
		}
		int fd = openat(rfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* the checks on the folder opened, the same one as stat'ed */
		if (fstat(fd, &fst) || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
			close(fd);
			continue;
		}
		int marked = has_marker(fd);
		if (needs_marker && !marked && gone_or_old(e->d_name, &fst)) {
			close(fd);
			if (unlinkat(rfd, e->d_name, AT_REMOVEDIR) == 0)
				removed++;	/* empty: killed before its first file */
			continue;
		}
		if (fst.st_uid != geteuid() || (fst.st_mode & (S_IWGRP | S_IWOTH)) || (needs_marker && !marked) ||
		    !gone_or_old(e->d_name, &fst)) {
			close(fd);
			continue;
		}
		empty_dir(fd, fst.st_dev, 0);
		if (unlinkat(rfd, e->d_name, AT_REMOVEDIR) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

typedef void (*writer_fn)(FILE *f, const struct run *r);

static void write_env(FILE *f, const struct run *r)
{
	report_env_csv(f, &r->env);
}

static void write_marker(FILE *f, const struct run *r)
{
	(void)r;
	fputs(RESULTS_MARKER_LINE "\n", f);
}

/* The marker first: a folder cut short by a crash is still known ours. */
static const struct {
	const char *name;
	writer_fn write;
} outputs[] = {
	{ RESULTS_MARKER, write_marker },
	{ "summary.csv", report_summary_csv },
	{ "samples.csv", report_samples_csv },
	{ "processes.csv", report_processes_csv },
	{ "env.csv", write_env },
};

static void remove_partial(int dfd, const char *dir)
{
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
		unlinkat(dfd, outputs[i].name, 0);
	rmdir(dir);
}

/* A file in the private folder dfd, created: never an existing one nor a
 * link (O_EXCL|O_NOFOLLOW), whatever happened to the folder's name. */
static FILE *create_in(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "w")))
		close(fd);
	return f;
}

int results_write(const char *root, const struct run *r, char *final, size_t flen,
		  char *why, size_t wlen)
{
	char tmp[PATH_MAX], path[PATH_MAX], stamp[32], host[64], lpath[PATH_MAX];
	const char *h = env_get(&r->env, "hostname");
	time_t now = time(NULL);
	struct tm tm;
	size_t made[RESULTS_DEPTH];
	int created, dfd = -1;

	snprintf(host, sizeof(host), "%s", h ? h : "host");
	for (char *p = host; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p))
			*p = '_';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);

	results_clean_stale(root);
	/* a fresh name, made by mkdtemp (never an existing entry, whatever
	 * was planted in a shared root); the writer's PID before its random
	 * part, where the stale sweep (writer_pid) reads it */
	char templ[PATH_MAX];
	if ((size_t)snprintf(templ, sizeof(templ), "%s/.tmp-%s-%s-%ld.XXXXXX", root, host, stamp, (long)getpid()) >=
	    sizeof(templ)) {
		snprintf(why, wlen, "%s: %s", root, strerror(ENAMETOOLONG));
		return -1;
	}
	/* root may vanish between ensure_dir and mkdtemp (a run that failed
	 * and took back the folder it made): make it again, a few times */
	int tries = 0, rc;
	do {
		if (ensure_dir(root, made, &created)) {
			snprintf(why, wlen, "%s: %s", root, strerror(errno));
			return -1;
		}
		memcpy(tmp, templ, strlen(templ) + 1);
		rc = mkdtemp(tmp) ? 0 : -1;
	} while (rc && errno == ENOENT && ++tries < 5);
	if (rc) {
		snprintf(why, wlen, "%s: %s", templ, strerror(errno));
		return -1;
	}
	dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s", tmp);
	if (dfd < 0)
		goto fail;
	/* mkdtemp's 0700 while it is written; a results folder then gets
	 * the mode mkdir(0777) gave it before (the umask's) */
	mode_t mask = umask(077);
	umask(mask);
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, outputs[i].name);
		FILE *f = create_in(dfd, outputs[i].name);
		if (!f)
			goto fail;
		outputs[i].write(f, r);
		if (ferror(f) | fclose(f))
			goto fail;
	}
	if (fchmod(dfd, 0777 & ~mask))
		goto fail;
	for (int n = 1; n < 100; n++) {
		if (n == 1)
			snprintf(final, flen, "%s/%s-%s", root, host, stamp);
		else
			snprintf(final, flen, "%s/%s-%s-%d", root, host, stamp, n);
		/* RENAME_NOREPLACE: an empty folder of that name (another run's,
		 * or the user's) is not silently replaced */
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
			break;
		if (errno == EINVAL || errno == ENOSYS) {	/* a filesystem without it */
			if (rename(tmp, final) == 0)
				break;
		}
		if (errno != EEXIST && errno != ENOTEMPTY) {
			snprintf(path, sizeof(path), "%s", final);
			goto fail;
		}
	}
	close(dfd);
	/* latest -> the folder's own name, relative, so the tree can move;
	 * symlink() creates (never follows), rename() replaces the link */
	snprintf(path, sizeof(path), "%s/.latest-%ld", root, (long)getpid());
	unlink(path);
	snprintf(lpath, sizeof(lpath), "%s/latest", root);
	if (symlink(strrchr(final, '/') + 1, path) || rename(path, lpath)) {
		util_error("warning: could not update %s: %s", lpath, strerror(errno));
		unlink(path);
	}
	return 0;
fail:
	snprintf(why, wlen, "writing %s: %s", path, strerror(errno));
	if (dfd >= 0) {
		remove_partial(dfd, tmp);
		close(dfd);
	} else {
		rmdir(tmp);
	}
	return -1;
}
