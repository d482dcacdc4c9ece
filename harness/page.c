/* SPDX-License-Identifier: MIT */
/* page.c: see page.h. Every figure comes from the results model as a
 * number and is printed here at the precision the run's tables carry it
 * (ratios to four decimals, counts per call to three, guest instructions
 * to two), the medians and intervals as the terminal prints them. */
#define _GNU_SOURCE
#include "page.h"
#include "families.h"
#include "html.h"
#include "results.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REF_ROW "x86_64/syscall/getppid"

/* The machine table's keys, in its order; then every vuln_* that is not
 * "Not affected". */
static const char *const machine_keys[] = {
	"hostname", "time_utc", "kernel_release", "kernel_cmdline", "cpu_vendor", "cpu_model",
	"cpu_microcode", "hypervisor", "virtualization", "fred", "vm_guest", "vm_kernel_package",
	"disturbance_before", "disturbance_after", "ia32_emulation", "vsyscall_mode", "clocksource", "pmu",
	"perf_event_paranoid", "governor", "smt_active", "pinned_cpu", "tsc_ghz", "runs",
	"counter_read_method", "counter_read_ns", "counters_missing", "tune", "git_commit",
	"scbench_version",
};

/* What each plot shows, for its alt text (%s: the unit). */
static const struct {
	const char *name, *alt;
} plots[] = {
	{ "cost", "Cost of one call per benchmark: median %s with its 95% interval, log scale, x86-64 and i386 processes in two colours" },
	{ "ratio", "Each benchmark's cost relative to syscall getppid, with its 95% interval" },
	{ "dist", "Distribution of every benchmark's samples (%s per call) as box plots" },
	{ "counters", "Counts per call: syscalls and page faults, or cycles and branch misses where there is a PMU" },
	{ "history", "Median cost of selected benchmarks across earlier runs" },
};

static int starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* s as one line of Markdown: a tab or line break in a field is a space
 * (it would end the line or the paragraph); in a table cell a '|' is
 * escaped too, so it can't split the row. */
static void put_text(FILE *out, const char *s, int cell)
{
	for (; *s; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			fputc(' ', out);
		else if (*s == '|' && cell)
			fputs("\\|", out);
		else
			fputc(*s, out);
	}
}

/* " | " and the cell, escaped */
static void put_cell(FILE *out, const char *s)
{
	fputs(" | ", out);
	put_text(out, s, 1);
}

/* " | " and the number in fmt; nothing after the bar where there is none */
static void put_num(FILE *out, const char *fmt, double v)
{
	fputs(" | ", out);
	if (!isnan(v))
		fprintf(out, fmt, v);
}

/* dst: s as put_text(s, 0) writes it */
static void clean(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s);
	for (char *p = dst; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
}

static int measured(const struct results_row *r)
{
	return !strcmp(r->status, "ok");
}

static const char *env_or(const struct env *e, const char *key, const char *none)
{
	const char *v = env_get(e, key);

	return v ? v : none;
}

/* "host · CPU · Linux release · mitigations", as the plots' title has it.
 * A run that recorded no vuln_meltdown reads "PTI off" there too (so the
 * page and the pictures say the same). */
static void title(FILE *out, const struct env *e)
{
	char t[4400];

	env_title(e, t, sizeof(t));
	fputs(t, out);
	fputc('\n', out);
}

/* The disturbances recorded around timing: "disturbance_before: X; ..." */
static int disturbed(FILE *out, const struct env *e)
{
	int n = 0;

	for (size_t i = 0; i < e->n; i++) {
		const struct env_item *it = &e->item[i];
		if ((strcmp(it->key, "disturbance_before") && strcmp(it->key, "disturbance_after")) ||
		    !strcmp(it->value, "none"))
			continue;
		if (out) {
			fprintf(out, "%s%s: ", n ? "; " : "", it->key);
			put_text(out, it->value, 0);
		}
		n++;
	}
	return n;
}

/* A ratio no bare-metal reader expects, explained by what the run knows:
 * int $0x80 over 5x a syscall (as rounded to one decimal) under a
 * hypervisor. */
static void int80_advice(FILE *out, const struct results *m)
{
	const char *virt = env_or(&m->env, "virtualization", "");
	char r[64] = "";

	for (size_t i = 0; i < m->n; i++)
		if (measured(&m->row[i]) && !strcmp(m->row[i].name, "x86_64/int80/getppid") &&
		    !isnan(m->row[i].ratio)) {
			snprintf(r, sizeof(r), "%.1f", m->row[i].ratio);
			break;
		}
	if (!*r || !(strtod(r, NULL) > 5) || starts(virt, "bare"))
		return;
	fprintf(out, "**Why int $0x80 costs %s× a syscall here:** ", r);
	if (strstr(virt, "PVM") || strstr(virt, "Firecracker")) {
		fputs("this is a ", out);
		put_text(out, virt, 0);
		fputs(" guest. Under PVM the guest kernel runs in user mode and the host handles its interrupt "
		      "gates: an `int $0x80` is a trap into the hypervisor and back, while `syscall` is switched "
		      "by the paravirtual entry code without leaving the guest. On bare metal the gap is far "
		      "smaller: compare with a bare-metal run.\n\n", out);
	} else {
		fputs("this run was under a hypervisor (", out);
		put_text(out, virt, 0);
		fputs("); software interrupts may be intercepted there. Compare with a bare-metal run before "
		      "drawing conclusions about the kernel.\n\n", out);
	}
}

/* The headline, from the measured rows (families.h). */
static void glance(FILE *out, const struct results *m, const char *unit)
{
	struct glance_row *g = util_calloc(m->n + 1, sizeof(*g));
	struct {
		char name[128], abi[16], mechanism[64], syscall[64], detail[256];
	} *t = util_calloc(m->n + 1, sizeof(*t));
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++) {
		const struct results_row *r = &m->row[i];
		if (!measured(r))
			continue;
		clean(t[n].name, sizeof(t[n].name), r->name);
		clean(t[n].abi, sizeof(t[n].abi), r->abi);
		clean(t[n].mechanism, sizeof(t[n].mechanism), r->mechanism);
		clean(t[n].syscall, sizeof(t[n].syscall), r->syscall);
		clean(t[n].detail, sizeof(t[n].detail), r->detail);
		g[n] = (struct glance_row){
			.name = t[n].name, .abi = t[n].abi, .mechanism = t[n].mechanism,
			.syscall = t[n].syscall, .detail = t[n].detail,
			.value = m->icount ? r->icount : r->median, .ratio = r->ratio,
			.sys = results_count(m, r, "syscalls_per_call"), .pf = results_count(m, r, "page_faults"),
		};
		n++;
	}
	families_glance(out, g, n, unit);
	free(g);
	free(t);
}

/* The measured rows family by family (families.h), a "### family"
 * heading and a table each. */
static void results_tables(FILE *out, const struct results *m, int levels)
{
	const char **mech = util_calloc(m->n + 1, sizeof(*mech));
	size_t *idx = util_calloc(m->n + 1, sizeof(*idx)), *order = util_calloc(m->n + 1, sizeof(*order));
	size_t n = 0;
	const char *fam = NULL;

	for (size_t i = 0; i < m->n; i++)
		if (measured(&m->row[i])) {
			idx[n] = i;
			mech[n++] = m->row[i].mechanism;
		}
	families_order(mech, n, order);
	for (size_t j = 0; j < n; j++) {
		const struct results_row *r = &m->row[idx[order[j]]];
		const char *f = family_name(r->mechanism);

		if (!fam || strcmp(f, fam)) {
			if (fam)
				fputc('\n', out);
			fam = f;
			fputs("### ", out);
			put_text(out, f, 1);
			fputs("\n\n", out);
			if (m->icount)
				fprintf(out, "| benchmark | guest instructions per call | × reference |%s detail |\n"
					"|---|---:|---:|%s---|\n", levels ? " levels (fresh processes) |" : "",
					levels ? "---|" : "");
			else
				fprintf(out, "| benchmark | ns per call | 95%% repeat interval | × reference | syscalls per "
					"call |%s detail |\n|---|---:|---|---:|---:|%s---|\n",
					levels ? " levels (fresh processes) |" : "", levels ? "---|" : "");
		}
		fputs("| ", out);
		put_text(out, r->name, 1);
		if (m->icount) {
			put_num(out, "%.2f", r->icount);
		} else {
			/* the median and its interval at one precision, as the
			 * terminal prints them (three decimals under 1 ns, two
			 * above) */
			const char *prec = !isnan(r->median) && r->median >= 1 ? "%.2f" : "%.3f";
			put_num(out, prec, r->median);
			put_num(out, prec, r->lo);
			fputs(" – ", out);
			if (!isnan(r->hi))
				fprintf(out, prec, r->hi);
		}
		put_num(out, "%.4f", r->ratio);
		if (!m->icount)
			put_num(out, "%.3f", results_count(m, r, "syscalls_per_call"));
		if (levels)
			put_cell(out, r->levels);
		put_cell(out, r->detail);
		fputs(" |\n", out);
	}
	free(mech);
	free(idx);
	free(order);
}

/* The machine table: the keys above, then the vulnerabilities that are
 * not "Not affected". */
static void machine(FILE *out, const struct results *m)
{
	const struct env *e = &m->env;

	fputs("## Machine\n\n| key | value |\n|---|---|\n", out);
	for (size_t k = 0; k < sizeof(machine_keys) / sizeof(machine_keys[0]); k++) {
		const char *v = env_get(e, machine_keys[k]);
		if (!v)
			continue;
		fprintf(out, "| %s | ", machine_keys[k]);
		if (m->icount && !strcmp(machine_keys[k], "time_utc")) {
			/* an icount guest's clock starts at a fixed date (QEMU
			 * -rtc base): the run's date is the host's, which the lane
			 * records as vm_time_utc */
			const char *host = env_get(e, "vm_time_utc");
			if (host) {
				put_text(out, host, 1);
				fputs(" (the host's clock; the guest's reads ", out);
				put_text(out, v, 1);
				fputs(", fixed for repeatable counts)", out);
			} else {
				fputs("not recorded (the guest's clock reads ", out);
				put_text(out, v, 1);
				fputs(", fixed for repeatable counts; lanes from now on record the host's)", out);
			}
		} else {
			put_text(out, v, 1);
		}
		fputs(" |\n", out);
	}
	for (size_t i = 0; i < e->n; i++) {
		const struct env_item *it = &e->item[i];
		if (!starts(it->key, "vuln_") || starts(it->value, "Not affected"))
			continue;
		fputs("| ", out);
		put_text(out, it->key, 0);
		put_cell(out, it->value);
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

void page_markdown(FILE *out, const struct results *m, const char *plots_dir, const char *plots_link)
{
	const char *unit = m->icount ? "guest instructions" : "ns";
	int levels = 0, unmeasured = 0;

	/* a levels column where some row has fresh-process levels */
	for (size_t i = 0; i < m->n; i++) {
		levels |= measured(&m->row[i]) && m->row[i].levels[0];
		unmeasured |= !measured(&m->row[i]);
	}
	fputs("# scbench report\n\n", out);
	title(out, &m->env);
	fputc('\n', out);
	if (disturbed(NULL, &m->env)) {
		fputs("**Warning: the machine was disturbed while timing** (syscalls on the kernel's slow path, or "
		      "the CPU shared): ", out);
		disturbed(out, &m->env);
		fputs(". Stop that and run again, or compare only with runs made the same way.\n\n", out);
	}
	fputs("## At a glance\n\n", out);
	glance(out, m, unit);
	fputc('\n', out);
	int80_advice(out, m);

	fputs("## Results\n\n", out);
	if (m->icount)
		/* a QEMU -icount guest: exact counts, never shown as time */
		fputs("Per call, in guest instructions (QEMU -icount: exact and repeatable, not time); grouped by the "
		      "way in, registry order inside each group.\n\n", out);
	else
		fputs("Per call, in ns; grouped by the way in, registry order inside each group.\n\n", out);
	results_tables(out, m, levels);
	fputc('\n', out);

	if (unmeasured) {
		fputs("## Not measured, or not to be trusted\n\n| benchmark | status | reason |\n|---|---|---|\n", out);
		for (size_t i = 0; i < m->n; i++) {
			const struct results_row *r = &m->row[i];
			if (measured(r))
				continue;
			fputs("| ", out);
			put_text(out, r->name, 1);
			put_cell(out, r->status);
			put_cell(out, r->reason);
			fputs(" |\n", out);
		}
		fputc('\n', out);
	}

	fputs("## Plots\n\n", out);
	for (size_t p = 0; p < sizeof(plots) / sizeof(plots[0]); p++) {
		char path[PATH_MAX + 32];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s.png", plots_dir, plots[p].name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		/* the alt text, with the unit where it has a %s */
		const char *alt = plots[p].alt, *at = strstr(alt, "%s");
		fputs("![", out);
		if (at) {
			fprintf(out, "%.*s%s", (int)(at - alt), alt, unit);
			alt = at + 2;
		}
		for (; *alt; alt++)
			fputc(*alt, out);
		fprintf(out, "](<%s/%s.png>)\n\n", plots_link, plots[p].name);
	}
	if (m->icount)
		fputs("Counts are every guest instruction, user and kernel, of QEMU's TCG CPU model (the loop adds "
		      "~0.25 a call): not time.\n\n", out);
	else
		fputs("ns are TSC ticks converted with the calibrated TSC rate; ticks are reference ticks, not core "
		      "cycles. The interval is where a repeat run's median should fall.\n\n", out);
	machine(out, m);
}

/* ---- the files ------------------------------------------------------------ */

/* path absolute and canonical as realpath -m has it: each component that
 * exists resolved (links followed), the rest taken as written, "." and
 * ".." applied to what is resolved so far. */
static void canonical(const char *path, char *out, size_t len)
{
	char buf[PATH_MAX * 2], res[PATH_MAX], next[PATH_MAX * 2], *save = NULL;

	if (path[0] == '/' || !getcwd(buf, PATH_MAX))
		snprintf(buf, sizeof(buf), "%s", path);
	else
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "/%s", path);
	snprintf(res, sizeof(res), "/");
	for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			char *up = strrchr(res, '/');
			if (up == res)
				up++;		/* the parent of "/a" is "/" */
			*up = '\0';
			continue;
		}
		snprintf(next, sizeof(next), "%s%s%s", res, strcmp(res, "/") ? "/" : "", c);
		if (!realpath(next, res))
			snprintf(res, sizeof(res), "%s", next);
	}
	snprintf(out, len, "%s", res);
}

/* path's components (cut up in place) */
static size_t components(char *path, char **c, size_t max)
{
	size_t n = 0;
	char *save = NULL;

	for (char *p = strtok_r(path, "/", &save); p && n < max; p = strtok_r(NULL, "/", &save))
		c[n++] = p;
	return n;
}

/* to relative to from, both canonical: "plots", "../elsewhere/plots", "." */
static void relative(const char *from, const char *to, char *out, size_t len)
{
	enum { MAXC = 512 };
	char f[PATH_MAX], t[PATH_MAX], *fc[MAXC], *tc[MAXC];
	size_t nf, nt, c = 0, used = 0;

	snprintf(f, sizeof(f), "%s", from);
	snprintf(t, sizeof(t), "%s", to);
	nf = components(f, fc, MAXC);
	nt = components(t, tc, MAXC);
	while (c < nf && c < nt && !strcmp(fc[c], tc[c]))
		c++;
	out[0] = '\0';
	for (size_t i = c; i < nf; i++)
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s..", used ? "/" : "");
	for (size_t i = c; i < nt; i++)
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s%s", used ? "/" : "", tc[i]);
	if (!used)
		snprintf(out, len, ".");
}

/* A new file beside the target: made exclusively (mkstemps' O_EXCL) as
 * DIR/.tmp-report-XXXXXX-PID.EXT, its writer's PID where the stale sweep
 * reads it (results_clean_stale), holding buf, mode 0644. */
static int put_temp(const char *dir, const char *ext, const char *buf, size_t n, char *path, size_t plen)
{
	char suffix[64];
	int fd;

	snprintf(suffix, sizeof(suffix), "-%ld.%s", (long)getpid(), ext);
	if ((size_t)snprintf(path, plen, "%s/.tmp-report-XXXXXX%s", dir, suffix) >= plen) {
		errno = ENAMETOOLONG;
		path[0] = '\0';
		return -1;
	}
	if ((fd = mkstemps(path, (int)strlen(suffix))) < 0) {
		path[0] = '\0';
		return -1;
	}
	for (size_t done = 0; done < n;) {
		ssize_t w = write(fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	if (fchmod(fd, 0644) || close(fd))
		return -1;
	return 0;
}

int page_write(const char *run_dir, const char *plots_dir, const char *plots_link, char *why, size_t len)
{
	struct results *m = util_calloc(1, sizeof(*m));
	int rc = -1;

	if (results_load(m, run_dir, why, len) == 0) {
		rc = page_write_model(run_dir, m, plots_dir, plots_link, why, len);
		results_free(m);
	}
	free(m);
	return rc;
}

int page_write_model(const char *run_dir, const struct results *m, const char *plots_dir, const char *plots_link,
		     char *why, size_t len)
{
	char plots_buf[PATH_MAX], link[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
	char tmd[PATH_MAX], thtml[PATH_MAX], dest[PATH_MAX + 16];
	char *md = NULL, *html = NULL;
	size_t mdlen = 0, htmllen = 0;
	FILE *f;
	int rc = -1;

	tmd[0] = thtml[0] = '\0';
	if (!plots_dir) {
		snprintf(plots_buf, sizeof(plots_buf), "%s/plots", run_dir);
		plots_dir = plots_buf;
	}
	if (!plots_link) {
		canonical(run_dir, a, sizeof(a));
		canonical(plots_dir, b, sizeof(b));
		relative(a, b, link, sizeof(link));
		plots_link = link;
	}
	if (!(f = open_memstream(&md, &mdlen)))
		goto nomem;
	page_markdown(f, m, plots_dir, plots_link);
	if (fclose(f))
		goto nomem;
	if (!(f = open_memstream(&html, &htmllen)))
		goto nomem;
	char err[512] = "";
	int bad = html_page(f, md, mdlen, plots_dir, err, sizeof(err));
	if (fclose(f))
		goto nomem;
	if (bad) {
		snprintf(why, len, "%s: cannot write report.html: %s", run_dir, err);
		goto out;
	}
	if (put_temp(run_dir, "md", md, mdlen, tmd, sizeof(tmd)) ||
	    put_temp(run_dir, "html", html, htmllen, thtml, sizeof(thtml))) {
		snprintf(why, len, "%s: cannot write: %s", run_dir, strerror(errno));
		goto out;
	}
	snprintf(dest, sizeof(dest), "%s/report.md", run_dir);
	if (rename(tmd, dest)) {
		snprintf(why, len, "%s: cannot write: %s", dest, strerror(errno));
		goto out;
	}
	tmd[0] = '\0';
	snprintf(dest, sizeof(dest), "%s/report.html", run_dir);
	if (rename(thtml, dest)) {
		snprintf(why, len, "%s: cannot write: %s", dest, strerror(errno));
		goto out;
	}
	thtml[0] = '\0';
	rc = 0;
	goto out;
nomem:
	snprintf(why, len, "%s: cannot write the report: %s", run_dir, strerror(errno));
out:
	if (tmd[0])
		unlink(tmd);
	if (thtml[0])
		unlink(thtml);
	free(md);
	free(html);
	return rc;
}
