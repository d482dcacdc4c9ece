/* SPDX-License-Identifier: MIT */
/* test_page.c: the report from a small results folder written here: the
 * headline (families_glance), every family's heading once and in order,
 * the int $0x80 advice under a hypervisor, the rows that did not run,
 * every '|' in a cell escaped, the pictures named and embedded, both
 * files in place (mode 0644, no temporary left), an icount run in guest
 * instructions; html_page's subset on its own; bad input refused. */
#define _GNU_SOURCE
#include "families.h"
#include "html.h"
#include "page.h"
#include "tap.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char summary[] =
	"schema,abi,mechanism,syscall,status,reason,ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref,levels,icount,"
	"syscalls_per_call,page_faults,detail\n"
	"1,x86_64,syscall,getppid,ok,,100.000,99.000,101.000,1.0000,,100.00,1.000,0.000,\n"
	"1,x86_64,int80,getppid,ok,,2600.000,2500.000,2700.000,26.0000,,2600.00,1.000,0.000,\n"
	"1,x86_64,vdso,time,ok,,2.000,1.900,2.100,0.0200,,2.00,0.000,0.000,\"a | b\"\n"
	"1,x86_64,vdso,clock_gettime_cputime,ok,,300.000,290.000,310.000,3.0000,,300.00,1.000,0.000,\n"
	"1,x86_64,vsyscall_page,time,ok,,700.000,690.000,710.000,7.0000,,700.00,0.000,1.000,\n"
	"1,x86_64,empty,none,ok,,0.200,0.150,0.250,0.0020,,0.20,0.000,0.000,\n"
	"1,i386,sysenter,getppid,unsupported,\"no 32-bit | emulation\",,,,,,,,,\n";

static const char env[] =
	"schema,key,value\n"
	"1,hostname,testhost\n"
	"1,cpu_model,Test CPU\n"
	"1,kernel_release,6.1.0\n"
	"1,vuln_meltdown,Mitigation: PTI\n"
	"1,virtualization,KVM\n"
	"1,disturbance_before,none\n"
	"1,disturbance_after,none\n";

static void put(const char *dir, const char *name, const char *text)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

static char *slurp(const char *dir, const char *name)
{
	char path[4200], *buf = NULL;
	size_t len = 0;
	FILE *f, *m;
	int c;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "r")))
		return calloc(1, 1);
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* where line (a whole line of text) starts, or -1 */
static long line_at(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return p - text;
	return -1;
}

static int count_of(const char *text, const char *s)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

static int mode_of(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) ? -1 : (int)(st.st_mode & 07777);
}

static int temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, ".tmp-", 5);
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	char root[] = "/tmp/scb-test-page-XXXXXX", run[4200], plots[4200], why[512];
	char *md, *html;

	if (!mkdtemp(root)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(run, sizeof(run), "%s/run", root);
	snprintf(plots, sizeof(plots), "%s/plots", run);
	mkdir(run, 0755);
	mkdir(plots, 0755);
	put(run, "summary.csv", summary);
	put(run, "env.csv", env);
	put(plots, "cost.png", "abc");

	umask(077);	/* the files' mode is the report's own, not the umask's */
	tap_ok(page_write(run, NULL, NULL, why, sizeof(why)) == 0, "page_write on a small folder (%s)", why);
	md = slurp(run, "report.md");
	html = slurp(run, "report.html");

	tap_ok(line_at(md, "testhost · Test CPU · Linux 6.1.0 · PTI on") > 0, "the run's title");
	long glance = line_at(md, "## At a glance"), results = line_at(md, "## Results");
	tap_ok(glance > 0 && results > glance, "the headline comes before the results");
	tap_ok(line_at(md, "- **Cheapest call:** `x86_64/vdso/time`, 2 ns a call, 0.02× the reference: a vDSO call "
			   "reads the kernel's clock data in user space and never enters the kernel (0 syscalls a call).") > glance,
	       "headline: the cheapest call, its ratio, why and its syscall count");
	tap_ok(line_at(md, "- **Cheapest way into the kernel, and the reference for every ratio (×):** "
			   "`x86_64/syscall/getppid`, 100 ns a call: the 64-bit `syscall` instruction enters at "
			   "entry_SYSCALL_64 and returns with SYSRET, the kernel's fast path.") > 0,
	       "headline: the cheapest way into the kernel is the reference");
	tap_ok(strstr(md, "- **Dearest way in:** `x86_64/int80/getppid`, 2600 ns a call, 26× the reference: `int $0x80`") != NULL,
	       "headline: the dearest way in, whole numbers from 1000 up");
	tap_ok(line_at(md, "- `x86_64/vsyscall_page/time` costs 7× a syscall here: every call to the legacy vsyscall "
			   "page takes a page fault that the kernel emulates.") > 0,
	       "headline: a ratio far from 1, with why");
	tap_ok(strstr(md, "- `x86_64/vdso/clock_gettime_cputime` enters the kernel all the same (1 syscall a call)") != NULL,
	       "headline: the vDSO call that enters the kernel");
	tap_ok(line_at(md, "- The floor, `x86_64/empty/none` (the loop alone), is 0.2 ns a call: what the loop adds "
			   "to every row.") > 0, "headline: the floor");
	tap_ok(strstr(md, "**Why int $0x80 costs 26.0× a syscall here:** this run was under a hypervisor (KVM)") != NULL,
	       "the int $0x80 advice under a hypervisor");

	static const char *const fam[] = {
		"### Fast system-call instructions", "### The legacy interrupt gate, int $0x80",
		"### The vDSO: answered in user space", "### The legacy vsyscall page",
		"### The floor: the loop alone",
	};
	long last = results;
	int inorder = 1, once = 1;
	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		long at = line_at(md, fam[i]);
		inorder &= at > last;
		once &= count_of(md, fam[i]) == 1;
		last = at;
	}
	tap_ok(inorder && once && count_of(md, "\n### ") == 5, "each family's heading once, in the families' order");
	tap_ok(line_at(md, "| x86_64/vdso/time | 2.00 | 1.90 – 2.10 | 0.0200 | 0.000 | a \\| b |") > 0,
	       "a row: median and interval at one precision, ratio, syscalls, the detail's '|' escaped");
	tap_ok(line_at(md, "| x86_64/empty/none | 0.200 | 0.150 – 0.250 | 0.0020 | 0.000 |  |") > 0,
	       "under 1 ns: three decimals");
	long unsup = line_at(md, "## Not measured, or not to be trusted");
	tap_ok(unsup > results && line_at(md, "| i386/sysenter/getppid | unsupported | no 32-bit \\| emulation |") > unsup,
	       "the rows that did not run, the reason's '|' escaped");
	tap_ok(line_at(md, "![Cost of one call per benchmark: median ns with its 95% interval, log scale, x86-64 and "
			   "i386 processes in two colours](<plots/cost.png>)") > 0 && !strstr(md, "ratio.png"),
	       "the plot that is there, linked relative to the run; no other");
	tap_ok(line_at(md, "| virtualization | KVM |") > line_at(md, "## Machine") && line_at(md, "## Machine") > unsup,
	       "the machine table last");

	tap_ok(strstr(html, "<h2>At a glance</h2>") && strstr(html, "<h3>The legacy interrupt gate, int $0x80</h3>") &&
	       strstr(html, "<details><summary><h2>Machine</h2></summary>"),
	       "report.html: the headline, the families, the machine folded");
	tap_ok(strstr(html, "<div class=\"scroll\"><table class=\"rows unsup\">") &&
	       strstr(html, "<td class=\"det\">no 32-bit | emulation</td>") &&
	       strstr(html, "<td class=\"name\">x86_64/<wbr>vdso/<wbr>time</td><td class=\"val num\" data-label=\"ns\">2.00</td>"),
	       "report.html: the tables as cards' cells, the '|' itself again");
	tap_ok(strstr(html, "src=\"data:image/png;base64,YWJj\"></div>") != NULL, "report.html embeds the picture");
	tap_ok(mode_of(run, "report.md") == 0644 && mode_of(run, "report.html") == 0644 && temporaries(run) == 0,
	       "both files mode 0644 whatever the umask, no temporary left");
	free(md);
	free(html);

	/* an icount run: guest instructions, never ns */
	put(run, "env.csv", "schema,key,value\n1,hostname,g\n1,clock,icount shift=0\n1,time_utc,2020-01-01T00:00:00Z\n");
	tap_ok(page_write(run, NULL, "elsewhere", why, sizeof(why)) == 0, "page_write on an icount run (%s)", why);
	md = slurp(run, "report.md");
	tap_ok(line_at(md, "| benchmark | guest instructions per call | × reference | detail |") > 0 &&
	       line_at(md, "| x86_64/int80/getppid | 2600.00 | 26.0000 |  |") > 0 &&
	       strstr(md, "2600 guest instructions a call") && !strstr(md, " ns a call") &&
	       strstr(md, "](<elsewhere/cost.png>)"),
	       "an icount report counts guest instructions; the plots where --plots-link says");
	tap_ok(strstr(md, "| time_utc | not recorded (the guest's clock reads 2020-01-01T00:00:00Z") != NULL,
	       "an icount run without the host's date says so");
	free(md);

	/* the headline alone, and the HTML subset alone */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	families_glance(f, NULL, 0, "ns");
	fclose(f);
	tap_ok(!strcmp(buf, "- No row was measured.\n"), "no measured row: the headline says so");
	free(buf);
	static const char sub[] = "# T <x>\n**b** & `c`\n- one\n- two\n\n| k | v |\n|---|---:|\n| a \\| b | 1 |\nend\n"
				  "![pic](<p/nothing.png>)\n";
	f = open_memstream(&buf, &len);
	tap_ok(html_page(f, sub, strlen(sub), root, why, sizeof(why)) == 0, "html_page renders the subset");
	fclose(f);
	tap_ok(strstr(buf, "<h1>T &lt;x&gt;</h1>\n<p><b>b</b> &amp; <code>c</code></p>\n<ul>\n<li>one</li>\n<li>two</li>\n"
			   "</ul>\n<div class=\"scroll\"><table>\n<tr><th>k</th><th class=\"num\">v</th></tr>\n"
			   "<tr><td>a | b</td><td class=\"num\">1</td></tr>\n</table></div>\n<p>end</p>\n</body></html>\n") != NULL,
	       "headings, text escaped, bold, code, a list, an aligned table; a missing picture left out");
	free(buf);

	/* bad input: one reason, nothing written */
	char bad[4200];
	snprintf(bad, sizeof(bad), "%s/empty", root);
	mkdir(bad, 0755);
	why[0] = '\0';
	tap_ok(page_write(bad, NULL, NULL, why, sizeof(why)) == -1 && why[0] && !strchr(why, '\n') &&
	       mode_of(bad, "report.md") == -1 && temporaries(bad) == 0,
	       "a folder without summary.csv: refused (%s), nothing written", why);

	char cmd[4300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		tap_diag("could not remove %s", root);
	return tap_done();
}
