/* results.c: see results.h. */
#define _GNU_SOURCE
#include "results.h"
#include "env.h"
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Create dir if missing; *created says whether we did. */
static int ensure_dir(const char *dir, int *created)
{
	struct stat st;

	*created = 0;
	if (mkdir(dir, 0777) == 0) {
		*created = 1;
		return 0;
	}
	if (errno != EEXIST || stat(dir, &st))
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int results_check_writable(const char *root, char *why, size_t wlen)
{
	char probe[PATH_MAX];
	int created;

	if (ensure_dir(root, &created)) {
		snprintf(why, wlen, "--out %s: %s", root, strerror(errno));
		return -1;
	}
	snprintf(probe, sizeof(probe), "%s/.scbench-probe-%ld", root, (long)getpid());
	if (mkdir(probe, 0777)) {
		int e = errno;
		if (created)
			rmdir(root);
		snprintf(why, wlen, "--out %s is not writable: %s", root, strerror(e));
		return -1;
	}
	rmdir(probe);
	if (created)
		rmdir(root);
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

int results_clean_stale(const char *root)
{
	static const char *const prefixes[] = { ".tmp-", ".latest-", ".scbench-probe-", ".old-plots-" };
	DIR *d = opendir(root);
	struct dirent *e;
	time_t now = time(NULL);
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
		if (lstat(path, &st))
			continue;
		long pid = writer_pid(e->d_name);
		int gone = pid > 0 && kill((pid_t)pid, 0) && errno == ESRCH;
		if (!gone && now - st.st_mtime < RESULTS_STALE_S)
			continue;
		if (S_ISDIR(st.st_mode))
			nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
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

static const struct {
	const char *name;
	writer_fn write;
} outputs[] = {
	{ "summary.csv", report_summary_csv },
	{ "samples.csv", report_samples_csv },
	{ "env.csv", write_env },
};

static void remove_partial(const char *dir, int root_created, const char *root)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, outputs[i].name);
		unlink(path);
	}
	rmdir(dir);
	if (root_created)
		rmdir(root);
}

int results_write(const char *root, const struct run *r, char *final, size_t flen,
		  char *why, size_t wlen)
{
	char tmp[PATH_MAX], path[PATH_MAX], stamp[32], host[64], lpath[PATH_MAX];
	const char *h = env_get(&r->env, "hostname");
	time_t now = time(NULL);
	struct tm tm;
	int root_created;

	snprintf(host, sizeof(host), "%s", h ? h : "host");
	for (char *p = host; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p))
			*p = '_';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);

	if (ensure_dir(root, &root_created)) {
		snprintf(why, wlen, "%s: %s", root, strerror(errno));
		return -1;
	}
	results_clean_stale(root);
	snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%s-%ld", root, host, stamp, (long)getpid());
	if (mkdir(tmp, 0777)) {
		snprintf(why, wlen, "%s: %s", tmp, strerror(errno));
		if (root_created)
			rmdir(root);
		return -1;
	}
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, outputs[i].name);
		FILE *f = fopen(path, "we");
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
		if (rename(tmp, final) == 0)
			break;
		if (errno != EEXIST && errno != ENOTEMPTY)
			goto fail;
	}
	/* latest -> the folder's own name, relative, so the tree can move */
	snprintf(path, sizeof(path), "%s/.latest-%ld", root, (long)getpid());
	unlink(path);
	snprintf(lpath, sizeof(lpath), "%s/latest", root);
	if (symlink(strrchr(final, '/') + 1, path) || rename(path, lpath)) {
		fprintf(stderr, "scbench: warning: could not update %s: %s\n", lpath, strerror(errno));
		unlink(path);
	}
	return 0;
fail:
	snprintf(why, wlen, "writing %s: %s", path, strerror(errno));
	remove_partial(tmp, root_created, root);
	return -1;
}
