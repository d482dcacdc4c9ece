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
#include <ftw.h>
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

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

/* The writer's PID: the digits after the name's last '-' (or a ".md"/".html"
 * report temporary's), 0 when there are none. */
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

/* Whether the entry's writer (the PID that ends its name) is gone, or it
 * is older than RESULTS_STALE_S. */
static int gone_or_old(const char *name, const char *path)
{
	long pid = writer_pid(name);
	struct stat st;

	if (pid > 0 && kill((pid_t)pid, 0) && errno == ESRCH)
		return 1;
	return lstat(path, &st) == 0 && time(NULL) - st.st_mtime >= RESULTS_STALE_S;
}

/* Whether dir holds our marker, a regular file (not a link). */
static int has_marker(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, RESULTS_MARKER);
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int results_clean_stale(const char *root)
{
	static const char *const prefixes[] = { ".tmp-", ".latest-", ".scbench-probe-", ".old-plots-" };
	DIR *d = opendir(root);
	struct dirent *e;
	int removed = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;
		int ours = 0;

		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			ours |= !strncmp(e->d_name, prefixes[i], strlen(prefixes[i]));
		if (!ours)
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, e->d_name);
		/* only ours: of our euid, a folder nobody else can write (so
		 * nothing in it changes under the walk), and results_write's
		 * .tmp-* carry the marker from their first file on (ci-bench's
		 * .tmp-ci-* hold run folders that do) */
		int needs_marker = !strncmp(e->d_name, ".tmp-", 5) && strncmp(e->d_name, ".tmp-ci-", 8);
		if (needs_marker && !has_marker(path) && gone_or_old(e->d_name, path) && rmdir(path) == 0) {
			removed++;	/* empty: killed before its first file */
			continue;
		}
		/* and what we leave there is a folder or a .latest-PID link: a
		 * user's regular file of a like name is not ours */
		if (lstat(path, &st) || st.st_uid != geteuid() ||
		    (S_ISDIR(st.st_mode) ? (st.st_mode & (S_IWGRP | S_IWOTH)) || (needs_marker && !has_marker(path)) :
					   !S_ISLNK(st.st_mode) || strncmp(e->d_name, ".latest-", 8)))
			continue;
		if (!gone_or_old(e->d_name, path))
			continue;
		if (S_ISDIR(st.st_mode))
			nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
		else
			unlink(path);
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
	snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%s-%ld", root, host, stamp, (long)getpid());
	/* root may vanish between ensure_dir and mkdir (a run that failed and
	 * took back the folder it made): make it again, a few times */
	int tries = 0, rc;
	do {
		if (ensure_dir(root, made, &created)) {
			snprintf(why, wlen, "%s: %s", root, strerror(errno));
			return -1;
		}
		rc = mkdir(tmp, 0777);
	} while (rc && errno == ENOENT && ++tries < 5);
	if (rc) {
		snprintf(why, wlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s", tmp);
	if (dfd < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, outputs[i].name);
		FILE *f = create_in(dfd, outputs[i].name);
		if (!f)
			goto fail;
		outputs[i].write(f, r);
		if (ferror(f) | fclose(f))
			goto fail;
	}
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
