/* SPDX-License-Identifier: MIT */
/*
 * plots.c: see plots.h. What the plots need, drawn from the results model
 * and staged as TSV and vars.gp in a private folder; gnuplot run on it;
 * the pictures and the report moved into place.
 *
 * The staged numbers and texts are the ones the pictures always had: a
 * row's fields as summary.csv writes them (results_field), texts with
 * their tabs and line breaks as spaces (a TSV field holds neither), the
 * box plots' figures as awk printed them (six significant digits), so the
 * same folder gives the same pictures, byte for byte.
 */
#define _GNU_SOURCE
#include "plots.h"
#include "env.h"
#include "families.h"
#include "page.h"
#include "results.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- small helpers ------------------------------------------------------- */

static int say(char *why, size_t len, int rc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int say(char *why, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return rc;
}

/* A number as awk's print writes it (mawk, OFMT "%.6g"): whole numbers in
 * full, others to six significant digits. The box plots' figures were
 * computed in awk; these are its digits. */
static void awk_num(char *buf, size_t len, double v)
{
	if (v == floor(v) && fabs(v) < 2147483647.0)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.6g", v);
}

/* v in the fewest decimals that read back as v exactly (a sample, a
 * history median: "839.1", "100"), so gnuplot gets the very number the
 * model read; "" for NaN (an empty field). */
static void exact_num(char *buf, size_t len, double v)
{
	if (isnan(v)) {
		buf[0] = '\0';
		return;
	}
	for (int d = 0; d <= 17; d++) {
		snprintf(buf, len, "%.*f", d, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, len, "%.17g", v);
}

/* A folder or file named prefix + six random letters or digits + "-PID",
 * made exclusively (mkdir, or open O_EXCL: nothing planted can take the
 * name), as mktemp --suffix=-PID made them: the PID ends the name, so the
 * stale-entry sweeps (here, results_clean_stale) know a dead writer's.
 * A folder is 0700, a file 0600. Returns 0 (a folder) or the file's
 * descriptor; -1 with errno. */
static int make_unique(char *path, size_t len, const char *prefix, int dir)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[6];
		char x[7];
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
			struct timespec t;
			clock_gettime(CLOCK_MONOTONIC, &t);
			for (size_t i = 0; i < sizeof(r); i++)
				r[i] = (unsigned char)((unsigned long)t.tv_nsec >> (5 * i)) ^ (unsigned char)tries;
		}
		for (size_t i = 0; i < sizeof(r); i++)
			x[i] = set[r[i] % (sizeof(set) - 1)];
		x[6] = '\0';
		if ((size_t)snprintf(path, len, "%s%s-%ld", prefix, x, (long)getpid()) >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (dir) {
			if (mkdir(path, 0700) == 0)
				return 0;
		} else {
			int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
			if (fd >= 0)
				return fd;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

static int unlink_entry(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb, (void)f;
	if (flag == FTW_DP)
		rmdir(p);
	else
		unlink(p);
	return 0;
}

/* rm -rf path: depth first, a link removed, never followed. */
static void remove_tree(const char *path)
{
	nftw(path, unlink_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Stages that killed runs left in tmpd: the PID ends each name, so one
 * that is ours (a real folder of our euid) and whose writer is gone goes,
 * at the next run. A live one (a concurrent scbench plots) stays. */
static void sweep_dead(const char *tmpd)
{
	DIR *d = opendir(tmpd);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char p[PATH_MAX];
		struct stat st;
		unsigned long pid;

		if (fnmatch("scbench-plots.*-[0-9]*", e->d_name, 0))
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", tmpd, e->d_name) >= sizeof(p))
			continue;
		if (lstat(p, &st) || S_ISLNK(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (!util_parse_ulong(strrchr(e->d_name, '-') + 1, 1, INT_MAX, &pid) && kill((pid_t)pid, 0) == 0)
			continue;
		remove_tree(p);
	}
	closedir(d);
}

/* prog on $PATH, as the shell (and execvp) would find it. */
static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char cand[PATH_MAX];
	struct stat st;

	if (!path)
		path = "/bin:/usr/bin";
	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		int n = (int)(end - p);
		snprintf(cand, sizeof(cand), "%.*s/%s", n ? n : 1, n ? p : ".", prog);
		if (!stat(cand, &st) && S_ISREG(st.st_mode) && !access(cand, X_OK))
			return 1;
		if (!*end)
			return 0;
		p = end;
	}
}

/* A whole file into memory (NUL-terminated); NULL on error. */
static char *slurp(const char *file, size_t *n)
{
	FILE *f = fopen(file, "re");
	char *buf = NULL;
	size_t cap = 0, len = 0, got;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = 2 * cap + 8192;
			buf = util_realloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	*n = len;
	return buf;
}

/* path made absolute and its links resolved, as realpath -m does: the part
 * that exists resolved by realpath(), the rest (no need to exist) taken
 * as written, "." and ".." lexically. */
static void resolve_m(const char *path, char *out, size_t len)
{
	char abs[2 * PATH_MAX], cwd[PATH_MAX], *save = NULL;

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		snprintf(abs, sizeof(abs), "%s", path);
	else
		snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
	snprintf(out, len, "/");
	for (char *c = strtok_r(abs, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		char cand[2 * PATH_MAX], real[PATH_MAX];
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			char *s = strrchr(out, '/');
			*(s == out ? s + 1 : s) = '\0';
			continue;
		}
		snprintf(cand, sizeof(cand), "%s%s%s", out, strcmp(out, "/") ? "/" : "", c);
		if (realpath(cand, real))
			snprintf(out, len, "%s", real);
		else
			snprintf(out, len, "%s", cand);
	}
}

/* `realpath -m --relative-to=from to`: where report.md's links to the
 * pictures point, from the run folder. */
static void relative_to(const char *from, const char *to, char *out, size_t len)
{
	char f[PATH_MAX], t[PATH_MAX];
	size_t i = 0, common = 0, o = 0;

	resolve_m(from, f, sizeof(f));
	resolve_m(to, t, sizeof(t));
	if (!strcmp(f, "/"))
		f[0] = '\0';
	if (!strcmp(t, "/"))
		t[0] = '\0';
	/* the longest shared run of whole components */
	for (i = 0;; i++) {
		if ((f[i] == '/' || !f[i]) && (t[i] == '/' || !t[i]))
			common = i;
		if (!f[i] || !t[i] || f[i] != t[i])
			break;
	}
	out[0] = '\0';
	for (const char *p = f + common; *p; p++)
		if (*p == '/')
			o += (size_t)snprintf(out + o, o < len ? len - o : 0, "%s..", o ? "/" : "");
	/* t's rest starts with its '/': kept after "..", dropped alone */
	if (t[common])
		snprintf(out + o, o < len ? len - o : 0, "%s", o ? t + common : t + common + 1);
	if (!out[0])
		snprintf(out, len, ".");
}

/* ---- gnuplot's strings ----------------------------------------------------- */

void plots_gpstr(FILE *f, const char *name, const char *value)
{
	int esc = 0;

	fprintf(f, "%s = \"", name);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		unsigned c = *p == '\t' || *p == '\r' ? ' ' : *p;
		if (c == '\n') {
			fputs("\\n", f);
			esc = 0;
		} else if ((c >= '0' && c <= '9' && !esc) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			   (c && strchr(" ._,:/+-", (int)c))) {
			fputc((int)c, f);
			esc = 0;
		} else {
			fprintf(f, "\\%03o", c);
			esc = 1;
		}
	}
	fputs("\"\n", f);
}

static void gpnum(FILE *f, const char *name, long v)
{
	fprintf(f, "%s = %ld\n", name, v);
}

/* ---- the stage ------------------------------------------------------------- */

struct stage {
	char dir[PATH_MAX];		/* the private folder */
	char out[PATH_MAX + 8];		/* dir/out: the finished pictures */
	char err[PATH_MAX + 16];	/* dir/gnuplot.err */
	char plots[PATH_MAX];		/* plots/, where the scripts are */
	int icount;			/* an icount run: the titles count instructions */
};

/* gnuplot on PATH, plots/ beside this program, a private folder under
 * $TMPDIR (absolute: gnuplot takes a file name starting with '<' as a
 * command) or /tmp. 0, or 2 with why. */
static int stage_open(struct stage *st, char *why, size_t len)
{
	static const char *const where[] = { "%s/../plots/cost.gp", "%s/../share/scbench/plots/cost.gp" };
	const char *tmpd = getenv("TMPDIR");
	char prefix[PATH_MAX];

	memset(st, 0, sizeof(*st));
	if (!on_path("gnuplot"))
		return say(why, len, 2, "gnuplot not found (make deps installs gnuplot-nox)");
	if (util_find_beside_self(where, 2, R_OK, st->plots, sizeof(st->plots)))
		return say(why, len, 2, "plots/*.gp not found beside this program (a build tree or an "
			   "installed share/scbench)");
	*strrchr(st->plots, '/') = '\0';
	if (!tmpd || tmpd[0] != '/')
		tmpd = "/tmp";
	sweep_dead(tmpd);
	snprintf(prefix, sizeof(prefix), "%s/scbench-plots.", tmpd);
	if (make_unique(st->dir, sizeof(st->dir), prefix, 1))
		return say(why, len, 2, "cannot create a folder under %s", tmpd);
	snprintf(st->out, sizeof(st->out), "%s/out", st->dir);
	snprintf(st->err, sizeof(st->err), "%s/gnuplot.err", st->dir);
	if (mkdir(st->out, 0700)) {
		remove_tree(st->dir);
		return say(why, len, 2, "cannot create a folder under %s", tmpd);
	}
	return 0;
}

static FILE *stage_file(const struct stage *st, const char *name, const char *mode)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", st->dir, name);
	return fopen(p, mode);
}

/* Close a staged file: 0, or 2 with why (a full /tmp, say). */
static int stage_close(const struct stage *st, FILE *f, const char *name, char *why, size_t len)
{
	int bad = ferror(f);

	if (fclose(f) || bad)
		return say(why, len, 2, "%s/%s: cannot write", st->dir, name);
	return 0;
}

/* The last line of gnuplot's stderr that is not blank (its error). */
static void last_line(const char *file, char *line, size_t len)
{
	size_t n = 0;
	char *buf = slurp(file, &n), *best = NULL, *s, *e;

	line[0] = '\0';
	if (!buf)
		return;
	for (s = buf; s < buf + n; s = e + 1) {
		e = strchrnul(s, '\n');
		for (char *c = s; c < e; c++)
			if (*c != ' ') {
				best = s;
				break;
			}
		if (!*e)
			break;
	}
	if (best)
		snprintf(line, len, "%.*s", (int)(strchrnul(best, '\n') - best), best);
	free(buf);
}

/* Wait for pid: its exit status, or 128 + the signal that ended it (what
 * a shell's $? says). */
static int wait_for(pid_t pid)
{
	int ws;

	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return 127;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

/* `gnuplot -c NAME.gp STAGE OUTFILE` in plots/, by fork and exec (no
 * shell), its stderr into the stage: 0, or 1 with why "plots/NAME.gp
 * failed: <its last line>". */
static int gnuplot(const struct stage *st, const char *name, const char *outfile, char *why, size_t len)
{
	char script[64], line[512];
	int fd = open(st->err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	pid_t pid;

	if (fd < 0)
		return say(why, len, 2, "%s: cannot write", st->err);
	snprintf(script, sizeof(script), "%s.gp", name);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "gnuplot", "-c", script, (char *)st->dir, (char *)outfile, NULL };
		if (chdir(st->plots) || dup2(fd, 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		dprintf(2, "gnuplot: %s\n", strerror(errno));
		_exit(127);
	}
	close(fd);
	if (pid < 0)
		return say(why, len, 2, "cannot start gnuplot: %s", strerror(errno));
	if (wait_for(pid) == 0)
		return 0;
	last_line(st->err, line, sizeof(line));
	return say(why, len, 1, "plots/%s.gp failed: %s", name, line);
}

/* What each picture shows: the SVG's own title (its tooltip). */
static const char *svg_title(const char *name, int icount)
{
	if (!strcmp(name, "cost"))
		return icount ? "Guest instructions per call per benchmark"
			      : "Cost of one call per benchmark, with its 95 percent interval";
	if (!strcmp(name, "ratio"))
		return "Cost relative to syscall getppid, with its 95 percent interval";
	if (!strcmp(name, "dist"))
		return "Distribution of each benchmark's samples";
	if (!strcmp(name, "counters"))
		return "Counts per call";
	return "Median cost across runs";
}

/* "<title>gnuplot_plot_N</title>" at s: its length, or 0. */
static size_t plot_title_at(const char *s)
{
	static const char open[] = "<title>gnuplot_plot_", close[] = "</title>";
	size_t n = sizeof(open) - 1, d = 0;

	if (strncmp(s, open, n))
		return 0;
	while (s[n + d] >= '0' && s[n + d] <= '9')
		d++;
	return d && !strncmp(s + n + d, close, sizeof(close) - 1) ? n + d + sizeof(close) - 1 : 0;
}

/* Tooltips that say something: gnuplot titles an SVG "Gnuplot" and each
 * element drawn without a key entry "gnuplot_plot_N"; the picture gets
 * what it shows, such elements no tooltip. Line by line, the first of
 * each on a line, as the sed that did it. 0, or 2 with why. */
static int svgtips(const struct stage *st, const char *name, char *why, size_t len)
{
	static const char gp[] = "<title>Gnuplot</title>";
	char file[PATH_MAX + 64], tmp[PATH_MAX + 72];
	size_t n = 0;
	char *buf;
	FILE *f;

	snprintf(file, sizeof(file), "%s/%s.svg", st->out, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	if (!(buf = slurp(file, &n)))
		return say(why, len, 2, "cannot write %s.svg", name);
	if (!(f = fopen(tmp, "we"))) {
		free(buf);
		return say(why, len, 2, "cannot write %s.svg", name);
	}
	for (char *s = buf, *e; s < buf + n; s = e + 1) {
		e = strchrnul(s, '\n');
		char *t = memmem(s, (size_t)(e - s), gp, sizeof(gp) - 1), *from = s;
		if (t) {
			fwrite(s, 1, (size_t)(t - s), f);
			fprintf(f, "<title>%s</title>", svg_title(name, st->icount));
			from = t + sizeof(gp) - 1;
		}
		/* the second substitution sees the line the first made: the new
		 * title is no plot title, so searching on from here is the same */
		for (char *c = from; c < e; c++) {
			size_t k = plot_title_at(c);
			if (k && c + k <= e) {
				fwrite(from, 1, (size_t)(c - from), f);
				from = c + k;
				break;
			}
		}
		fwrite(from, 1, (size_t)(e - from), f);
		if (!*e && e == buf + n)
			break;
		fputc('\n', f);
	}
	free(buf);
	if (ferror(f) | fclose(f) || rename(tmp, file)) {
		unlink(tmp);
		return say(why, len, 2, "cannot write %s.svg", name);
	}
	return 0;
}

/* One picture as PNG and SVG into the stage's out/. */
static int render(const struct stage *st, const char *name, char *why, size_t len)
{
	static const char *const ext[] = { "png", "svg" };
	char out[PATH_MAX + 64];
	int rc;

	for (int i = 0; i < 2; i++) {
		snprintf(out, sizeof(out), "%s/%s.%s", st->out, name, ext[i]);
		if ((rc = gnuplot(st, name, out, why, len)))
			return rc;
	}
	return svgtips(st, name, why, len);
}

/* ---- the texts ------------------------------------------------------------- */

/* (the pictures' second title line is env_title's, the report's too) */

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The k-th (from 1) piece of list cut at ", " (as awk's split() cut it:
 * a name holding ", " is two pieces), its length in *n; "" past the end. */
static const char *piece(const char *list, size_t k, size_t *n)
{
	const char *p = list, *e;

	for (size_t i = 1; i < k && p; i++)
		p = (p = strstr(p, ", ")) ? p + 2 : NULL;
	if (!p) {
		*n = 0;
		return "";
	}
	e = strstr(p, ", ");
	*n = e ? (size_t)(e - p) : strlen(p);
	return p;
}

/* The rows that did not run, one line per reason: "a, b, c: reason", or
 * "N rows (first ... last): reason" past three; sorted. *lines gets how
 * many. The caller frees the text. */
static char *unsupported_of(const struct results *m, size_t *lines)
{
	char **reason = util_calloc(m->n + 1, sizeof(char *)), **names = util_calloc(m->n + 1, sizeof(char *));
	size_t *count = util_calloc(m->n + 1, sizeof(size_t)), ng = 0, tlen = 0;
	char **line, *text;

	for (size_t i = 0; i < m->n; i++) {
		const struct results_row *r = &m->row[i];
		char rs[sizeof(r->reason)], nm[sizeof(r->name)];
		size_t g;
		if (!strcmp(r->status, "ok"))
			continue;
		util_flat(rs, sizeof(rs), r->reason);
		util_flat(nm, sizeof(nm), r->name);
		for (g = 0; g < ng && strcmp(reason[g], rs); g++)
			;
		if (g == ng) {
			reason[ng] = strdup(rs);
			names[ng++] = strdup(nm);
		} else if (asprintf(&text, "%s, %s", names[g], nm) > 0) {
			free(names[g]);
			names[g] = text;
		}
		count[g]++;
	}
	line = util_calloc(ng + 1, sizeof(char *));
	for (size_t g = 0; g < ng; g++) {
		int rc;
		if (count[g] > 3) {
			size_t n1, nk;
			const char *p1 = piece(names[g], 1, &n1), *pk = piece(names[g], count[g], &nk);
			rc = asprintf(&line[g], "%zu rows (%.*s ... %.*s): %s", count[g], (int)n1, p1, (int)nk, pk,
				      reason[g]);
		} else {
			rc = asprintf(&line[g], "%s: %s", names[g], reason[g]);
		}
		if (rc < 0)
			line[g] = strdup("");
		tlen += strlen(line[g]) + 1;
		free(reason[g]);
		free(names[g]);
	}
	qsort(line, ng, sizeof(char *), by_text);
	text = util_calloc(tlen + 1, 1);
	for (size_t g = 0; g < ng; g++) {
		if (g)
			strcat(text, "\n");
		strcat(text, line[g]);
		free(line[g]);
	}
	free(line);
	free(reason);
	free(names);
	free(count);
	*lines = ng;
	return text;
}

static size_t adjust_column(size_t col, unsigned char c)
{
	if (c == '\b')
		return col ? col - 1 : 0;
	if (c == '\r')
		return 0;
	if (c == '\t')
		return col + 8 - col % 8;
	return col + 1;
}

/* s as `fold -s -w width` folds it (GNU coreutils, columns counted in
 * bytes): each line broken after its last blank that keeps it within
 * width, or at width where it has none; trailing line breaks dropped.
 * The caller frees it. */
static char *fold_spaces(const char *s, size_t width)
{
	size_t n = strlen(s), o = 0, off = 0, col = 0;
	char *out = util_calloc(2 * n + 4, 1), *line = util_calloc(n + 4, 1);

	for (size_t k = 0; k <= n; k++) {
		unsigned char c = k < n ? (unsigned char)s[k] : '\n';
		if (c == '\n') {
			memcpy(out + o, line, off);
			o += off;
			out[o++] = '\n';
			col = off = 0;
			continue;
		}
	rescan:
		col = adjust_column(col, c);
		if (col > width) {
			size_t end = off;
			int found = 0;
			while (end)
				if (line[--end] == ' ' || line[end] == '\t') {
					found = 1;
					break;
				}
			if (found) {
				end++;
				memcpy(out + o, line, end);
				o += end;
				out[o++] = '\n';
				memmove(line, line + end, off - end);
				off -= end;
				col = 0;
				for (size_t i = 0; i < off; i++)
					col = adjust_column(col, (unsigned char)line[i]);
				goto rescan;
			}
			if (off == 0) {
				line[off++] = (char)c;
				continue;
			}
			line[off++] = '\n';
			memcpy(out + o, line, off);
			o += off;
			col = off = 0;
			goto rescan;
		}
		line[off++] = (char)c;
	}
	while (o && out[o - 1] == '\n')
		o--;
	out[o] = '\0';
	free(line);
	return out;
}

/* ---- the data ------------------------------------------------------------- */

/* The columns of summary.tsv, by the model's field names (results_field),
 * then family (its heading) and y (the height it is drawn at). */
static const char *const summary_fields[] = {
	"abi", "mechanism", "syscall", "median", "lo", "hi", "ratio", "ratio_lo", "ratio_hi",
	"cycles_user", "cycles_kernel", "branch_misses_user", "branch_misses_kernel", "syscalls_per_call",
	"page_faults",
};
#define NSUMMARY (sizeof(summary_fields) / sizeof(summary_fields[0]))

struct sample {
	char name[128];		/* abi/mechanism/syscall, flat */
	double v;
};

struct samples {
	struct sample *s;
	size_t n, cap;
};

static int add_sample(void *ctx, const struct results_sample *s, const char *file, char *why, size_t len)
{
	struct samples *a = ctx;

	(void)file, (void)why, (void)len;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 4096;
		a->s = util_realloc(a->s, a->cap * sizeof(*a->s));
	}
	util_flat(a->s[a->n].name, sizeof(a->s[0].name), s->name);
	a->s[a->n++].v = s->ns;
	return 0;
}

static int by_name_value(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->v > y->v) - (x->v < y->v);
}

/* The measured rows' places in family order (families.h), each with its
 * height y; a slot above each family for its heading. */
struct layout {
	size_t *row;		/* indexes into m->row */
	int *y;
	size_t n;
	int ny;			/* NY: the slots, headings included */
};

/* summary.tsv and families.tsv: the measured rows family by family. */
static int stage_summary(const struct stage *st, const struct results *m, struct layout *l, char *why,
			 size_t len)
{
	char **mech = util_calloc(m->n + 1, sizeof(char *)), fam[128] = "", val[1100];
	size_t *ok = util_calloc(m->n + 1, sizeof(size_t)), *order = util_calloc(m->n + 1, sizeof(size_t));
	FILE *s = stage_file(st, "summary.tsv", "we"), *h = stage_file(st, "families.tsv", "we");
	int y = 0, rc;

	l->row = util_calloc(m->n + 1, sizeof(size_t));
	l->y = util_calloc(m->n + 1, sizeof(int));
	l->n = 0;
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->row[i].status, "ok")) {
			mech[l->n] = util_calloc(1, sizeof(m->row[i].mechanism));
			util_flat(mech[l->n], sizeof(m->row[i].mechanism), m->row[i].mechanism);
			ok[l->n++] = i;
		}
	families_order((const char *const *)mech, l->n, order);
	if (s && h) {
		for (size_t c = 0; c < NSUMMARY; c++)
			fprintf(s, "%s\t", summary_fields[c]);
		fprintf(s, "family\ty\n");
		fprintf(h, "y\tfamily\n");
	}
	for (size_t k = 0; k < l->n && s && h; k++) {
		const struct results_row *r = &m->row[ok[order[k]]];
		const char *f = family_name(mech[order[k]]);
		if (!k || strcmp(f, fam)) {
			snprintf(fam, sizeof(fam), "%s", f);
			fprintf(h, "%d\t%s\n", y++, fam);
		}
		for (size_t c = 0; c < NSUMMARY; c++) {
			char raw[1100];
			if (results_field(m, r, summary_fields[c], raw, sizeof(raw)) || !raw[0])
				snprintf(raw, sizeof(raw), "NaN");
			util_flat(val, sizeof(val), raw);
			fprintf(s, "%s\t", val);
		}
		fprintf(s, "%s\t%d\n", fam, y);
		l->row[k] = ok[order[k]];
		l->y[k] = y++;
	}
	l->ny = y;
	for (size_t i = 0; i < l->n; i++)
		free(mech[i]);
	free(mech);
	free(ok);
	free(order);
	if (!s || !h) {
		if (s)
			fclose(s);
		if (h)
			fclose(h);
		return say(why, len, 2, "%s: cannot write", st->dir);
	}
	rc = stage_close(st, s, "summary.tsv", why, len);
	return rc ? rc : stage_close(st, h, "families.tsv", why, len);
}

/* q-th quantile of x[0..n-1] (sorted) by linear interpolation. */
static double quantile(const double *x, size_t n, double p)
{
	double h = (double)(n - 1) * p + 1;
	size_t i = (size_t)h;

	return i >= n ? x[n - 1] : x[i - 1] + (h - (double)i) * (x[i] - x[i - 1]);
}

/* samples.tsv; and each row's samples (those above 0: a log axis) as a box
 * plot's numbers, drawn at its row's height (boxes.tsv): quartiles by
 * linear interpolation, whiskers at the farthest samples within 1.5 IQR
 * of the box, and the samples beyond them (outliers.tsv) each where it
 * lies. Computed here, not by gnuplot's boxplot style, which spreads
 * outliers of near-equal value sideways, across the neighbouring rows. A
 * row with samples but not measured cleanly (noisy, say) goes under a
 * heading of its own, at the end (dheads.tsv: families.tsv and that).
 * *nyd: the slots. *neg: the samples <= 0, not shown. */
static int stage_samples(const struct stage *st, const struct results *m, const struct samples *a,
			 const struct layout *l, int *nyd, long *neg, char *why, size_t len)
{
	FILE *t = stage_file(st, "samples.tsv", "we"), *b = stage_file(st, "boxes.tsv", "we"),
	     *o = stage_file(st, "outliers.tsv", "we"), *d = stage_file(st, "dheads.tsv", "we");
	struct sample *s = util_calloc(a->n + 1, sizeof(*s));
	double *x = util_calloc(a->n + 1, sizeof(double));
	size_t n = 0, fl = 0;
	char num[64], path[PATH_MAX + 16], *heads = NULL;
	int ny = l->ny, extra = 0, rc = 0;

	*neg = 0;
	if (!t || !b || !o || !d) {
		rc = say(why, len, 2, "%s: cannot write", st->dir);
		goto out;
	}
	fprintf(t, "name\tns\n");
	for (size_t i = 0; i < a->n; i++) {
		exact_num(num, sizeof(num), a->s[i].v);
		fprintf(t, "%s\t%s\n", a->s[i].name, num);
		*neg += a->s[i].v <= 0;
		if (a->s[i].v > 0)
			s[n++] = a->s[i];
	}
	qsort(s, n, sizeof(*s), by_name_value);
	snprintf(path, sizeof(path), "%s/families.tsv", st->dir);
	if (!(heads = slurp(path, &fl))) {
		rc = say(why, len, 2, "%s: cannot read", path);
		goto out;
	}
	fwrite(heads, 1, fl, d);
	fprintf(o, "y\tv\n");
	fprintf(b, "bench\ti386\ty\tq1\tmed\tq3\tlo\thi\n");
	for (size_t i = 0, j; i < n; i = j) {
		char q1s[32], meds[32], q3s[32], los[32] = "", his[32] = "", flatname[128];
		double q1, q3, lo = NAN, hi = NAN;
		int yy = -1;
		size_t k = 0;
		for (j = i; j < n && !strcmp(s[j].name, s[i].name); j++)
			x[k++] = s[j].v;
		/* a name given twice: its last row's (as the script's table was) */
		for (size_t r = 0; r < l->n; r++) {
			util_flat(flatname, sizeof(flatname), m->row[l->row[r]].name);
			if (!strcmp(flatname, s[i].name))
				yy = l->y[r];
		}
		if (yy < 0) {
			if (!extra) {
				fprintf(d, "%d\tsamples of rows not measured cleanly\n", ny++);
				extra = 1;
			}
			yy = ny++;
		}
		q1 = quantile(x, k, 0.25);
		q3 = quantile(x, k, 0.75);
		for (size_t r = 0; r < k; r++) {
			if (x[r] < q1 - 1.5 * (q3 - q1) || x[r] > q3 + 1.5 * (q3 - q1)) {
				awk_num(num, sizeof(num), x[r]);
				fprintf(o, "%d\t%s\n", yy, num);
				continue;
			}
			if (isnan(lo))
				lo = x[r];
			hi = x[r];
		}
		awk_num(q1s, sizeof(q1s), q1);
		awk_num(meds, sizeof(meds), quantile(x, k, 0.5));
		awk_num(q3s, sizeof(q3s), q3);
		if (!isnan(lo)) {
			awk_num(los, sizeof(los), lo);
			awk_num(his, sizeof(his), hi);
		}
		fprintf(b, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", s[i].name, !strncmp(s[i].name, "i386/", 5), yy, q1s,
			meds, q3s, los, his);
	}
	*nyd = ny;
out:
	free(heads);
	free(s);
	free(x);
	const char *names[] = { "samples.tsv", "boxes.tsv", "outliers.tsv", "dheads.tsv" };
	FILE *fs[] = { t, b, o, d };
	for (int i = 0; i < 4; i++)
		if (fs[i]) {
			if (rc)
				fclose(fs[i]);
			else
				rc = stage_close(st, fs[i], names[i], why, len);
		}
	return rc;
}

/* vars.gp: the texts as gnuplot strings, the counts as numbers. */
static int stage_vars(const struct stage *st, const struct results *m, const struct layout *l, int nyd,
		      long neg, char *why, size_t len)
{
	FILE *v = stage_file(st, "vars.gp", "we");
	long n = 0, n32 = 0, hw = 0, sw = 0;
	const char *reason = NULL;
	char title[4400], cr[sizeof(m->row[0].counters_reason)];
	size_t nu;
	char *unsup, *folded;

	if (!v)
		return say(why, len, 2, "%s/vars.gp: cannot write", st->dir);
	for (size_t i = 0; i < m->n; i++) {
		const struct results_row *r = &m->row[i];
		int ok = !strcmp(r->status, "ok");
		n += ok && !isnan(r->median);
		n32 += !strcmp(r->abi, "i386") && !isnan(r->median);
		hw += ok && !isnan(results_count(m, r, "cycles_kernel"));
		sw += ok && !isnan(results_count(m, r, "syscalls_per_call"));
		if (ok && !reason)
			reason = r->counters_reason;
	}
	env_title(&m->env, title, sizeof(title));
	unsup = unsupported_of(m, &nu);
	plots_gpstr(v, "title", title);
	plots_gpstr(v, "unsup", unsup);
	gpnum(v, "nu", (long)nu);
	gpnum(v, "N", n);
	gpnum(v, "N32", n32);
	gpnum(v, "HW", hw);
	gpnum(v, "SW", sw);
	/* wrapped: it names the counters it lacks, which can run past the
	 * picture's width */
	util_flat(cr, sizeof(cr), reason ? reason : "");
	folded = fold_spaces(cr, 64);
	plots_gpstr(v, "reason", folded);
	gpnum(v, "neg", neg);
	/* the rows' slots, headings included (the box plots may add some) */
	gpnum(v, "NY", l->ny);
	gpnum(v, "NYD", nyd);
	gpnum(v, "icount", m->icount);
	free(unsup);
	free(folded);
	return stage_close(st, v, "vars.gp", why, len);
}

/* ---- the history ------------------------------------------------------------ */

struct history {
	struct results_history *h;
	size_t n, cap;
};

static int add_history(void *ctx, const struct results_history *h, const char *file, char *why, size_t len)
{
	struct history *a = ctx;

	if (!isnan(h->median) && h->median <= 0) {
		char v[64];
		exact_num(v, sizeof(v), h->median);
		return say(why, len, -1, "%s:%zu: %s: the median is %s; it must be above 0", file, h->line,
			   h->name, v);
	}
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->h = util_realloc(a->h, a->cap * sizeof(*a->h));
	}
	a->h[a->n++] = *h;
	return 0;
}

/* The index of s in list[0..*n-1], added at the end if new. */
static size_t intern(char **list, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return i;
	list[*n] = strdup(s);
	return (*n)++;
}

/* history.tsv: one gnuplot block per row whose name re matches, in the
 * order they first appear, separated by two blank lines: "run median lo
 * hi label" lines, run the run's place in the file (the order ci-bench
 * appended them), label its date and commit; the first line "# names: a
 * b c". vars.gp gets hnames, hK, hruns, hre and hhost (up to three hosts). */
static int stage_history(const struct stage *st, const char *file, const regex_t *re, const char *re_src,
			 char *why, size_t len)
{
	struct history a = { 0 };
	size_t rows = 0, nruns = 0, nkeys = 0, nhosts = 0, words = 0;
	char **runs, **keys, **hosts, *names = NULL, host[1024] = "";
	size_t *runno, *key;
	FILE *t, *v;
	int rc = 0;

	if (results_read_history(file, add_history, &a, &rows, why, len)) {
		free(a.h);
		return 2;
	}
	runs = util_calloc(a.n + 1, sizeof(char *));
	keys = util_calloc(a.n + 1, sizeof(char *));
	hosts = util_calloc(a.n + 1, sizeof(char *));
	runno = util_calloc(a.n + 1, sizeof(size_t));
	key = util_calloc(a.n + 1, sizeof(size_t));
	for (size_t i = 0; i < a.n; i++) {
		char fl[sizeof(a.h[0].host)];
		util_flat(fl, sizeof(fl), a.h[i].run);
		runno[i] = intern(runs, &nruns, fl) + 1;
		util_flat(fl, sizeof(fl), a.h[i].host);
		intern(hosts, &nhosts, fl);
		key[i] = (size_t)-1;
		if (!isnan(a.h[i].median) && !regexec(re, a.h[i].name, 0, NULL, 0)) {
			util_flat(fl, sizeof(fl), a.h[i].name);
			key[i] = intern(keys, &nkeys, fl);
		}
	}
	t = stage_file(st, "history.tsv", "we");
	v = stage_file(st, "vars.gp", "ae");
	if (!t || !v) {
		rc = say(why, len, 2, "%s: cannot write", st->dir);
		goto out;
	}
	fprintf(t, "# names:");
	for (size_t k = 0; k < nkeys; k++)
		fprintf(t, " %s", keys[k]);
	fprintf(t, "\n");
	for (size_t k = 0; k < nkeys; k++) {
		for (size_t i = 0; i < a.n; i++) {
			char med[64], lo[64], hi[64], when[sizeof(a.h[0].time_utc)], commit[sizeof(a.h[0].commit)];
			if (key[i] != k)
				continue;
			exact_num(med, sizeof(med), a.h[i].median);
			exact_num(lo, sizeof(lo), a.h[i].lo);
			exact_num(hi, sizeof(hi), a.h[i].hi);
			util_flat(when, sizeof(when), a.h[i].time_utc);
			util_flat(commit, sizeof(commit), a.h[i].commit);
			for (char *c = commit; *c; c++)
				if (*c == ' ')
					*c = '_';
			fprintf(t, "%zu\t%s\t%s\t%s\t%.10s %.9s\n", runno[i], med, lo, hi, when, commit);
		}
		fprintf(t, "\n\n");
	}
	/* hnames: the names line after "# names:", its leading space kept;
	 * hK: its words */
	size_t nl = 1;
	for (size_t k = 0; k < nkeys; k++)
		nl += strlen(keys[k]) + 1;
	names = util_calloc(nl, 1);
	for (size_t k = 0; k < nkeys; k++) {
		strcat(names, " ");
		strcat(names, keys[k]);
	}
	for (const char *c = names; *c; c++)
		words += *c != ' ' && (c == names || c[-1] == ' ');
	/* the first three hosts in sorted order, ", " between (and for any
	 * comma in a host's name, as the script's sed had it) */
	qsort(hosts, nhosts, sizeof(char *), by_text);
	for (size_t i = 0, o = 0; i < nhosts && i < 3; i++) {
		if (i && o + 2 < sizeof(host))
			o += (size_t)sprintf(host + o, ", ");
		for (const char *c = hosts[i]; *c && o + 2 < sizeof(host); c++) {
			host[o++] = *c;
			if (*c == ',')
				host[o++] = ' ';
			host[o] = '\0';
		}
	}
	plots_gpstr(v, "hnames", names);
	gpnum(v, "hK", (long)words);
	gpnum(v, "hruns", (long)nruns);
	plots_gpstr(v, "hre", re_src);
	plots_gpstr(v, "hhost", host);
out:
	if (t) {
		if (rc)
			fclose(t);
		else
			rc = stage_close(st, t, "history.tsv", why, len);
	}
	if (v) {
		if (rc)
			fclose(v);
		else
			rc = stage_close(st, v, "vars.gp", why, len);
	}
	for (size_t i = 0; i < nruns; i++)
		free(runs[i]);
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	for (size_t i = 0; i < nhosts; i++)
		free(hosts[i]);
	free(runs);
	free(keys);
	free(hosts);
	free(runno);
	free(key);
	free(names);
	free(a.h);
	return rc;
}

/* ---- the move into place ----------------------------------------------------- */

/* src into dst (created here with src's mode, as cp makes a new file; or
 * the descriptor dfd, already made): 0, or -1. */
static int copy_file(const char *src, const char *dst, int dfd)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out = dfd, rc = 0;
	struct stat sb;
	char buf[65536];
	ssize_t n;

	if (in < 0 || fstat(in, &sb)) {
		if (in >= 0)
			close(in);
		return -1;
	}
	if (out < 0)
		out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, sb.st_mode & 0777);
	if (out < 0) {
		close(in);
		return -1;
	}
	while (!rc && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			rc = errno == EINTR ? 0 : -1;
			continue;
		}
		for (ssize_t w = 0, k; !rc && w < n; w += k)
			if ((k = write(out, buf + w, (size_t)(n - w))) < 0)
				rc = -1;
	}
	close(in);
	if (dfd < 0 && close(out))
		rc = -1;
	return rc;
}

/* mkdir -p dir */
static int make_parents(const char *dir)
{
	char p[PATH_MAX];
	struct stat sb;

	if ((size_t)snprintf(p, sizeof(p), "%s", dir) >= sizeof(p))
		return -1;
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0777);
			*s = '/';
		}
	mkdir(p, 0777);
	return stat(p, &sb) || !S_ISDIR(sb.st_mode) ? -1 : 0;
}

/* The stage's pictures into out in one rename: a sibling temporary
 * folder, filled, then renamed over the old one (which goes after). */
static int place(const struct stage *st, const char *out, char *why, size_t len)
{
	char parent[PATH_MAX], prefix[PATH_MAX + 16], fresh[PATH_MAX + 40], old[PATH_MAX + 40];
	char src[PATH_MAX + 320], dst[PATH_MAX + 320];
	struct dirent *e;
	struct stat sb;
	int had, bad = 0;
	DIR *d;

	snprintf(src, sizeof(src), "%s", out);
	snprintf(parent, sizeof(parent), "%s", dirname(src));
	if (make_parents(parent))
		return say(why, len, 2, "%s: cannot create", out);
	snprintf(prefix, sizeof(prefix), "%s/.tmp-plots-", parent);
	if (make_unique(fresh, sizeof(fresh), prefix, 1))
		return say(why, len, 2, "%s: cannot write", out);
	snprintf(old, sizeof(old), "%s/.old-plots-%s", parent, fresh + strlen(prefix));
	if (chmod(fresh, 0755) || !(d = opendir(st->out))) {
		remove_tree(fresh);
		return say(why, len, 2, "%s: cannot write", out);
	}
	while (!bad && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(src, sizeof(src), "%s/%s", st->out, e->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", fresh, e->d_name);
		bad = copy_file(src, dst, -1);
	}
	closedir(d);
	if (bad) {
		remove_tree(fresh);
		return say(why, len, 2, "%s: cannot write", out);
	}
	had = stat(out, &sb) == 0;
	if (had && rename(out, old)) {
		remove_tree(fresh);
		return say(why, len, 2, "%s: cannot replace", out);
	}
	if (rename(fresh, out)) {
		if (had)
			rename(old, out);
		remove_tree(fresh);
		return say(why, len, 2, "%s: cannot replace", out);
	}
	if (had)
		remove_tree(old);
	return 0;
}

/* ---- the commands ------------------------------------------------------------ */

/* The medians go on log axes, so a measured row's median, its ratio and
 * their intervals' upper ends must be above 0. An interval's lower end
 * need only be finite (the model checked that): where some process's
 * median is not above 0 (the empty loop on a noisy run) the interval is
 * taken linearly and can reach below 0; its whisker is then drawn to the
 * axis' left edge, the label giving the interval as it is. */
static int check_positive(const struct results *m, const char *file, char *why, size_t len)
{
	static const char *const pos[] = { "median", "hi", "ratio", "ratio_hi" };

	for (size_t i = 0; i < m->n; i++) {
		const struct results_row *r = &m->row[i];
		const double v[] = { r->median, r->hi, r->ratio, r->ratio_hi };
		char text[64];
		if (strcmp(r->status, "ok"))
			continue;
		for (size_t k = 0; k < 4; k++)
			if (!isnan(v[k]) && v[k] <= 0) {
				results_field(m, r, pos[k], text, sizeof(text));
				return say(why, len, 2, "%s:%zu: %s: %s is %s; it must be above 0", file, r->line,
					   r->name, pos[k], text);
			}
	}
	return 0;
}

int plots_write(const char *run, const char *out, char *why, size_t len)
{
	static const char *const files[] = { "summary.csv", "samples.csv", "env.csv" };
	static const char *const pictures[] = { "cost", "ratio", "dist", "counters" };
	struct results m;
	struct samples a = { 0 };
	struct layout l = { 0 };
	char path[PATH_MAX + 64], hist[PATH_MAX + 64], link[PATH_MAX];
	struct stage st;
	struct stat sb;
	size_t rows = 0;
	int rc, loaded = 0, has_hist, nyd = 0;
	long neg = 0;
	regex_t re;

	if ((rc = stage_open(&st, why, len)))
		return rc;
	if (stat(run, &sb) || !S_ISDIR(sb.st_mode)) {
		rc = say(why, len, 2, "%s: no such results folder", run);
		goto out;
	}
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", run, files[i]);
		if (access(path, R_OK)) {
			rc = say(why, len, 2, "%s: missing", path);
			goto out;
		}
	}
	rc = 2;
	if (results_load(&m, run, why, len))
		goto out;
	loaded = 1;
	/* the model reads what it can of env.csv; the pictures want all of it:
	 * where it did not read, read it again for the reason */
	snprintf(path, sizeof(path), "%s/env.csv", run);
	if (!m.has_env && results_read_env(path, &m.env, why, len))
		goto out;
	snprintf(path, sizeof(path), "%s/summary.csv", run);
	if (check_positive(&m, path, why, len))
		goto out;
	snprintf(path, sizeof(path), "%s/samples.csv", run);
	if (results_read_samples(path, add_sample, &a, &rows, why, len))
		goto out;
	st.icount = m.icount;
	if ((rc = stage_summary(&st, &m, &l, why, len)) || (rc = stage_samples(&st, &m, &a, &l, &nyd, &neg, why, len)) ||
	    (rc = stage_vars(&st, &m, &l, nyd, neg, why, len)))
		goto out;
	/* the results root's history.csv (make ci-bench appends to it) */
	snprintf(path, sizeof(path), "%s", run);
	snprintf(hist, sizeof(hist), "%s/history.csv", dirname(path));
	has_hist = access(hist, R_OK) == 0;
	if (has_hist) {
		if (regcomp(&re, PLOTS_HISTORY_RE, REG_EXTENDED | REG_NOSUB)) {
			rc = say(why, len, 2, "the history's pattern does not compile");
			goto out;
		}
		rc = stage_history(&st, hist, &re, PLOTS_HISTORY_RE, why, len);
		regfree(&re);
		if (rc)
			goto out;
	}
	for (size_t i = 0; i < 4 + (size_t)has_hist; i++)
		if ((rc = render(&st, i < 4 ? pictures[i] : "history", why, len)))
			goto out;
	relative_to(run, out, link, sizeof(link));
	/* the report beside them (page.h), pointing at where they will be */
	if (page_write_model(run, &m, st.out, link, why, len)) {
		rc = 2;
		goto out;
	}
	rc = place(&st, out, why, len);
out:
	if (loaded)
		results_free(&m);
	free(a.s);
	free(l.row);
	free(l.y);
	remove_tree(st.dir);
	return rc;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && !strcmp(s + n - k, tail);
}

int plots_history(const char *hist, const char *dest, const regex_t *re, const char *re_src, char *why,
		  size_t len)
{
	const char *ext = ends_with(dest, ".png") ? "png" : "svg";
	char out[PATH_MAX + 64], dir[PATH_MAX], prefix[PATH_MAX + 16], tmp[PATH_MAX + 40];
	struct stage st;
	struct stat sb;
	int rc, fd;

	if ((rc = stage_open(&st, why, len)))
		return rc;
	rc = 2;
	if (!ends_with(dest, ".png") && !ends_with(dest, ".svg")) {
		say(why, len, 2, "%s: the output must end in .png or .svg", dest);
		goto out;
	}
	if (stat(hist, &sb) || !S_ISREG(sb.st_mode)) {
		say(why, len, 2, "%s: no such file", hist);
		goto out;
	}
	if ((rc = stage_history(&st, hist, re, re_src, why, len)))
		goto out;
	snprintf(out, sizeof(out), "%s/history.%s", st.out, ext);
	if ((rc = gnuplot(&st, "history", out, why, len)) || (*ext == 's' && (rc = svgtips(&st, "history", why, len))))
		goto out;
	snprintf(dir, sizeof(dir), "%s", dest);
	snprintf(prefix, sizeof(prefix), "%s/.tmp-history-", dirname(dir));
	rc = 2;
	if ((fd = make_unique(tmp, sizeof(tmp), prefix, 0)) < 0) {
		say(why, len, 2, "%s: cannot write", dest);
		goto out;
	}
	if (fchmod(fd, 0644) || copy_file(out, NULL, fd) | close(fd) || rename(tmp, dest)) {
		unlink(tmp);
		say(why, len, 2, "%s: cannot write", dest);
		goto out;
	}
	rc = 0;
out:
	remove_tree(st.dir);
	return rc;
}
