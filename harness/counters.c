/* SPDX-License-Identifier: MIT */
/*
 * counters.c: see counters.h. The perf_event sequence follows libpfm4's
 * perf_examples (self_count.c, perf_util.c): encode the event, open it
 * disabled with TOTAL_TIME_ENABLED|RUNNING, enable, read, scale by
 * enabled/running; rdpmc under the mmapped page's sequence lock.
 */
#define _GNU_SOURCE
#include "counters.h"
#include "util.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef SCB_HAVE_PFM
#include <perfmon/pfmlib_perf_event.h>
#endif

#define TRACEPOINT_SYSCALLS "raw_syscalls/sys_enter"

/* libpfm4's header defines perf_event_open(); this module's own wrapper
 * has another name so the file builds with and without it. */
static int sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group,
			       unsigned long flags)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group, flags);
}

/* ---- tracepoints -------------------------------------------------------- */

/* The tracepoint's id, from tracefs. If tracefs is not mounted (common in
 * containers and minimal VMs) and we are root, mount it where the kernel
 * expects it. */
static long tracepoint_id(const char *event, char *why, size_t len)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256], buf[32];
	unsigned long id;

	for (int attempt = 0; attempt < 2; attempt++) {
		for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
			snprintf(path, sizeof(path), "%s/events/%s/id", roots[i], event);
			if (util_read_line(path, buf, sizeof(buf)) == 0 &&
			    util_parse_ulong(buf, 0, ~0ul, &id) == 0)
				return (long)id;
		}
		if (geteuid() != 0 || attempt == 1)
			break;
		if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) != 0 && errno != EBUSY)
			break;
	}
	if (geteuid() != 0)
		snprintf(why, len, "tracepoint %s: tracefs ids are readable by root only "
			 "(run as root to count syscalls)", event);
	else
		snprintf(why, len, "tracepoint %s not found: no tracefs at /sys/kernel/tracing "
			 "(kernel without CONFIG_FTRACE?)", event);
	return -1;
}

/* ---- defining the set --------------------------------------------------- */

/* perf's generic names, for builds without libpfm4 (the i386 worker) and as
 * the fallback when libpfm4 doesn't know a name. */
static const struct {
	const char *name;
	uint32_t type;
	uint64_t config;
} generic[] = {
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "cpu-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "bus-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES },
	{ "ref-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES },
	{ "stalled-cycles-frontend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
	{ "stalled-cycles-backend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "minor-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
};

/* Encode name (no :u/:k) for one privilege level into c. */
static int encode(struct counter *c, const char *name, int user, char *why, size_t len)
{
	c->exclude_user = !user;
	c->exclude_kernel = user;
#ifdef SCB_HAVE_PFM
	static int pfm_ready;
	if (!pfm_ready)
		pfm_ready = pfm_initialize() == PFM_SUCCESS ? 1 : -1;
	if (pfm_ready == 1) {
		struct perf_event_attr attr;
		pfm_perf_encode_arg_t arg;
		char full[160];

		memset(&attr, 0, sizeof(attr));
		memset(&arg, 0, sizeof(arg));
		arg.attr = &attr;
		arg.size = sizeof(arg);
		snprintf(full, sizeof(full), "%s:%s", name, user ? "u" : "k");
		int rc = pfm_get_os_event_encoding(full, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
		if (rc == PFM_SUCCESS) {
			c->type = attr.type;
			c->config = attr.config;
			c->exclude_user = attr.exclude_user;
			c->exclude_kernel = attr.exclude_kernel;
			return 0;
		}
		if (rc != PFM_ERR_NOTFOUND) {
			snprintf(why, len, "--events: '%s': %s", name, pfm_strerror(rc));
			return -1;
		}
	}
#endif
	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (!strcmp(generic[i].name, name)) {
			c->type = generic[i].type;
			c->config = generic[i].config;
			return 0;
		}
	snprintf(why, len, "--events: unknown event '%s' (scbench list-events shows what this "
		 "machine offers)", name);
	return -1;
}

static struct counter *add(struct counter_set *s, const char *column, const char *name)
{
	if (s->n == COUNTERS_MAX)
		return NULL;
	struct counter *c = &s->c[s->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->column, sizeof(c->column), "%s", column);
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->fd = -1;
	c->group = -1;
	return c;
}

static int is_hardware(const struct counter *c)
{
	return c->type == PERF_TYPE_HARDWARE || c->type == PERF_TYPE_HW_CACHE ||
	       c->type == PERF_TYPE_RAW || c->type >= PERF_TYPE_MAX;
}

/* Hardware counters go in two groups, user and kernel, so the events of
 * one privilege level are always scheduled together and ratios between them
 * (instructions per cycle) are consistent even when multiplexed. */
static void assign_groups(struct counter_set *s)
{
	int leader[2] = { -1, -1 };

	for (size_t i = 0; i < s->n; i++) {
		struct counter *c = &s->c[i];
		if (!is_hardware(c)) {
			c->group = (int)i;
			continue;
		}
		int k = c->exclude_user ? 1 : 0;
		if (leader[k] < 0)
			leader[k] = (int)i;
		c->group = leader[k];
	}
}

/* CSV-safe column stem from an event name: lower case, [a-z0-9_]. */
static void column_stem(const char *name, char *out, size_t len)
{
	size_t j = 0;

	for (const char *p = name; *p && j + 1 < len; p++) {
		char ch = *p;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
			ch = '_';
		if (ch == '_' && j > 0 && out[j - 1] == '_')
			continue;
		out[j++] = ch;
	}
	out[j] = '\0';
}

static int add_event(struct counter_set *s, const char *spec, const char *column_base,
		     char *why, size_t len)
{
	char name[96], stem[64], column[80];
	int want_user = 1, want_kernel = 1;
	size_t l;

	snprintf(name, sizeof(name), "%s", spec);
	l = strlen(name);
	if (l > 2 && !strcmp(name + l - 2, ":u")) {
		want_kernel = 0;
		name[l - 2] = '\0';
	} else if (l > 2 && !strcmp(name + l - 2, ":k")) {
		want_user = 0;
		name[l - 2] = '\0';
	}
	if (!name[0]) {
		snprintf(why, len, "--events: empty event name");
		return -1;
	}
	column_stem(column_base ? column_base : name, stem, sizeof(stem));
	for (int user = 1; user >= 0; user--) {
		if ((user && !want_user) || (!user && !want_kernel))
			continue;
		snprintf(column, sizeof(column), "%s_%s", stem, user ? "user" : "kernel");
		for (size_t i = 0; i < s->n; i++)
			if (!strcmp(s->c[i].column, column)) {
				snprintf(why, len, "--events: '%s' is counted already (%s)", spec, column);
				return -1;
			}
		struct counter *c = add(s, column, spec);
		if (!c) {
			snprintf(why, len, "--events: more than %d counters", COUNTERS_MAX);
			return -1;
		}
		if (encode(c, name, user, why, len))
			return -1;
	}
	return 0;
}

static void add_plain(struct counter_set *s, const char *column, const char *name,
		      uint32_t type, uint64_t config)
{
	struct counter *c = add(s, column, name);

	c->type = type;
	c->config = config;
}

int counters_define(struct counter_set *s, const char *events, char *why, size_t len)
{
	static const char *const hw[] = { "cycles", "instructions", "branch-misses" };
	static const char *const hw_col[] = { "cycles", "instructions", "branch_misses" };
	char tp_why[200];
	long id;

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < 3; i++)
		if (add_event(s, hw[i], hw_col[i], why, len))
			return -1;
	id = tracepoint_id(TRACEPOINT_SYSCALLS, tp_why, sizeof(tp_why));
	add_plain(s, "syscalls_per_call", "raw_syscalls:sys_enter", PERF_TYPE_TRACEPOINT,
		  id < 0 ? 0 : (uint64_t)id);
	if (id < 0)
		snprintf(s->c[s->n - 1].why, sizeof(s->c[0].why), "%s", tp_why);
	add_plain(s, "task_clock_ns", "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK);
	add_plain(s, "context_switches", "context-switches", PERF_TYPE_SOFTWARE,
		  PERF_COUNT_SW_CONTEXT_SWITCHES);
	add_plain(s, "page_faults", "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS);

	if (events && *events) {
		char *copy = strdup(events), *p = copy, *tok;
		while ((tok = strsep(&p, ",")) != NULL) {
			size_t before = s->n;
			if (add_event(s, tok, NULL, why, len)) {
				free(copy);
				return -1;
			}
			s->npairs += (int)(s->n - before);
		}
		free(copy);
	}
	assign_groups(s);
	return 0;
}

void counters_spec(const struct counter_set *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n && used < len; i++) {
		const struct counter *c = &s->c[i];
		used += (size_t)snprintf(buf + used, len - used, "%s%s,%s,%u,%llu,%d,%d", i ? ";" : "",
					 c->column, c->name, c->type, (unsigned long long)c->config,
					 c->exclude_user, c->exclude_kernel);
	}
}

int counters_define_spec(struct counter_set *s, const char *spec)
{
	char *copy = strdup(spec), *p = copy, *entry;

	memset(s, 0, sizeof(*s));
	while ((entry = strsep(&p, ";")) != NULL) {
		char column[64], name[96];
		unsigned type;
		unsigned long long config;
		int xu, xk;
		if (sscanf(entry, "%63[^,],%95[^,],%u,%llu,%d,%d", column, name, &type, &config, &xu, &xk) != 6)
			continue;
		struct counter *c = add(s, column, name);
		if (!c)
			break;
		c->type = type;
		c->config = config;
		c->exclude_user = xu;
		c->exclude_kernel = xk;
		if (type == PERF_TYPE_TRACEPOINT && config == 0)
			snprintf(c->why, sizeof(c->why), "tracepoint unavailable in the parent");
	}
	free(copy);
	assign_groups(s);
	return 0;
}

/* ---- opening and reading ------------------------------------------------ */

static int have_hardware_pmu(void)
{
	static const char *const pmus[] = { "cpu", "cpu_core", "cpu_atom" };
	struct stat st;
	char path[96];

	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s", pmus[i]);
		if (stat(path, &st) == 0)
			return 1;
	}
	return 0;
}

static void paranoid_level(char *buf, size_t len)
{
	snprintf(buf, len, "?");
	util_read_line("/proc/sys/kernel/perf_event_paranoid", buf, len);
}

/* Why an open failed, with the setting that would allow it: per
 * Documentation/admin-guide/perf-security.rst, counting kernel mode takes
 * perf_event_paranoid <= 1 and user mode alone <= 2 (or CAP_PERFMON). */
static void explain_open_error(struct counter *c, int err)
{
	char paranoid[16];

	paranoid_level(paranoid, sizeof(paranoid));
	if (is_hardware(c) && !have_hardware_pmu())
		snprintf(c->why, sizeof(c->why), "no hardware PMU");
	else if (err == EACCES || err == EPERM)
		snprintf(c->why, sizeof(c->why), "not permitted: perf_event_paranoid=%s (counting %s "
			 "needs <= %d, or CAP_PERFMON)", paranoid,
			 c->exclude_kernel ? "user mode" : "kernel mode", c->exclude_kernel ? 2 : 1);
	else
		snprintf(c->why, sizeof(c->why), "perf_event_open(%s): %s", c->name, strerror(err));
}

/* Software events whose user-mode-only count still means what the column
 * says: time on the CPU, and page faults (taken on user accesses). A
 * context switch always happens in kernel mode, so it has no such count. */
static int user_mode_meaningful(const struct counter *c)
{
	return c->type == PERF_TYPE_SOFTWARE &&
	       (c->config == PERF_COUNT_SW_TASK_CLOCK || c->config == PERF_COUNT_SW_PAGE_FAULTS);
}

size_t counters_open_all(struct counter_set *s)
{
	size_t opened = 0;
	long page = sysconf(_SC_PAGESIZE);

	for (size_t i = 0; i < s->n; i++) {
		struct counter *c = &s->c[i];
		struct perf_event_attr attr;
		int group_fd = -1;

		c->fd = -1;
		if (c->type == PERF_TYPE_TRACEPOINT && c->config == 0)
			continue;	/* why was set when the id could not be read */
		if (c->group >= 0 && c->group != (int)i) {
			group_fd = s->c[c->group].fd;
			if (group_fd < 0) {
				memcpy(c->why, s->c[c->group].why, sizeof(c->why));
				continue;
			}
		}
		memset(&attr, 0, sizeof(attr));
		attr.size = sizeof(attr);
		attr.type = c->type;
		attr.config = c->config;
		attr.disabled = 1;
		attr.exclude_hv = 1;
		attr.exclude_user = (unsigned)c->exclude_user;
		attr.exclude_kernel = (unsigned)c->exclude_kernel;
		attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
		c->fd = sys_perf_event_open(&attr, 0, -1, group_fd, PERF_FLAG_FD_CLOEXEC);
		if (c->fd < 0 && (errno == EACCES || errno == EPERM) && !c->exclude_kernel &&
		    user_mode_meaningful(c)) {
			/* perf_event_paranoid=2 allows this process's user mode */
			attr.exclude_kernel = 1;
			c->fd = sys_perf_event_open(&attr, 0, -1, group_fd, PERF_FLAG_FD_CLOEXEC);
			c->user_only = c->fd >= 0;
		}
		if (c->fd < 0) {
			explain_open_error(c, errno);
			continue;
		}
		opened++;
		c->opened = 1;
		c->why[0] = '\0';
		if (is_hardware(c)) {
			void *p = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, c->fd, 0);
			c->page = p == MAP_FAILED ? NULL : p;
			c->use_rdpmc = c->page != NULL;
		}
	}
	return opened;
}

void counters_enable_all(struct counter_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->c[i].fd >= 0)
			ioctl(s->c[i].fd, PERF_EVENT_IOC_ENABLE, 0);
}

void counters_close_all(struct counter_set *s)
{
	long page = sysconf(_SC_PAGESIZE);

	for (size_t i = 0; i < s->n; i++) {
		if (s->c[i].page)
			munmap(s->c[i].page, (size_t)page);
		if (s->c[i].fd >= 0)
			close(s->c[i].fd);
		s->c[i].page = NULL;
		s->c[i].fd = -1;
	}
}

static inline uint64_t rdpmc(uint32_t counter)
{
	uint32_t lo, hi;

	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(counter));
	return ((uint64_t)hi << 32) | lo;
}

/* The user-space read of include/uapi/linux/perf_event.h's comment on
 * struct perf_event_mmap_page: retry while the kernel updates the page.
 * 0 with the raw count, or -1 when the counter isn't on a PMU counter now
 * (multiplexed out) or the kernel doesn't allow rdpmc. */
static int read_rdpmc(const struct perf_event_mmap_page *pc, uint64_t *value)
{
	uint32_t seq, idx;
	uint64_t count;

	do {
		seq = pc->lock;
		__asm__ volatile("" ::: "memory");
		idx = pc->index;
		count = (uint64_t)pc->offset;
		if (!pc->cap_user_rdpmc || idx == 0)
			return -1;
		uint16_t width = pc->pmc_width;
		int64_t pmc = (int64_t)rdpmc(idx - 1);
		pmc <<= 64 - width;	/* sign-extend the counter's width */
		pmc >>= 64 - width;
		count += (uint64_t)pmc;
		__asm__ volatile("" ::: "memory");
	} while (pc->lock != seq);
	*value = count;
	return 0;
}

void counters_read_all(struct counter_set *s, uint64_t *vals)
{
	for (size_t i = 0; i < s->n; i++) {
		struct counter *c = &s->c[i];
		uint64_t v[3];

		vals[i] = 0;
		if (c->fd < 0)
			continue;
		if (c->use_rdpmc && !c->multiplexed && read_rdpmc(c->page, &vals[i]) == 0) {
			c->scheduled = 1;
			continue;
		}
		if (read(c->fd, v, sizeof(v)) != (ssize_t)sizeof(v))
			continue;
		if (v[2] == 0)
			continue;	/* never on a counter yet */
		c->scheduled = 1;
		if (v[2] < v[1]) {
			/* multiplexed: scale, and from now on read() only, so that
			 * every reading of this counter is scaled the same way */
			c->multiplexed = 1;
			vals[i] = (uint64_t)((double)v[0] * (double)v[1] / (double)v[2]);
		} else {
			vals[i] = v[0];
		}
	}
}

void counters_method(const struct counter_set *s, char *buf, size_t len)
{
	int hw_open = 0, rdpmc_ok = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct counter *c = &s->c[i];
		if (c->fd < 0 || !is_hardware(c))
			continue;
		hw_open = 1;
		if (c->page && ((const struct perf_event_mmap_page *)c->page)->cap_user_rdpmc)
			rdpmc_ok = 1;
	}
	if (rdpmc_ok)
		snprintf(buf, len, "rdpmc for hardware counters (mmapped page, sequence lock), "
			 "read() for software counters and tracepoints");
	else if (hw_open)
		snprintf(buf, len, "read(); rdpmc not allowed by the kernel "
			 "(/sys/bus/event_source/devices/cpu/rdpmc)");
	else
		snprintf(buf, len, "read(); rdpmc needs a hardware counter and none is open");
}

/* What to say about counter c, or "" when it was counted in full. */
static void counter_note(const struct counter *c, char *buf, size_t len)
{
	char paranoid[16];

	buf[0] = '\0';
	if (c->opened && c->user_only) {
		paranoid_level(paranoid, sizeof(paranoid));
		snprintf(buf, len, "user mode only (perf_event_paranoid=%s; <= 1, or CAP_PERFMON, "
			 "counts kernel mode too)", paranoid);
	} else if (c->opened && c->multiplexed) {
		snprintf(buf, len, "multiplexed (scaled)");
	} else if (c->fd >= 0 && !c->scheduled) {
		snprintf(buf, len, "never scheduled on a counter (all busy? NMI watchdog?)");
	} else if (!c->opened && c->why[0]) {
		snprintf(buf, len, "%s", c->why);
	}
}

void counters_reasons(const struct counter_set *s, char *buf, size_t len)
{
	size_t used = 0;
	int done[COUNTERS_MAX] = { 0 };

	buf[0] = '\0';
	for (size_t i = 0; i < s->n && used < len; i++) {
		char note[300], other[300];
		if (done[i])
			continue;
		counter_note(&s->c[i], note, sizeof(note));
		if (!note[0])
			continue;
		/* every column with the same note, in one group */
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "; " : "", s->c[i].column);
		for (size_t j = i + 1; j < s->n && used < len; j++) {
			counter_note(&s->c[j], other, sizeof(other));
			if (done[j] || strcmp(note, other))
				continue;
			done[j] = 1;
			used += (size_t)snprintf(buf + used, len - used, ", %s", s->c[j].column);
		}
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, ": %s", note);
	}
}

void counters_counted(const struct counter_set *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n && used < len; i++)
		if (s->c[i].opened)
			used += (size_t)snprintf(buf + used, len - used, "%s%s%s", used ? ", " : "",
						 s->c[i].column, s->c[i].user_only ? " (user mode)" : "");
}

/* ---- listing ------------------------------------------------------------ */

int counters_next_event(int *cursor, char *name, size_t nlen, char *desc, size_t dlen)
{
	size_t ngeneric = sizeof(generic) / sizeof(generic[0]);

	/* first perf's generic names, then the tracepoint, then libpfm4's PMUs */
	if (*cursor < (int)ngeneric) {
		snprintf(name, nlen, "%s", generic[*cursor].name);
		snprintf(desc, dlen, "%s", generic[*cursor].type == PERF_TYPE_HARDWARE ?
			 "generic hardware event (needs a PMU)" : "software event");
		(*cursor)++;
		return 1;
	}
	if (*cursor == (int)ngeneric) {
		char why[200];
		snprintf(name, nlen, "raw_syscalls:sys_enter");
		snprintf(desc, dlen, "%s", tracepoint_id(TRACEPOINT_SYSCALLS, why, sizeof(why)) >= 0 ?
			 "tracepoint: syscalls entered (counted as syscalls_per_call)" : why);
		(*cursor)++;
		return 1;
	}
#ifdef SCB_HAVE_PFM
	static int pmu = -1, idx = -1;
	if (*cursor == (int)ngeneric + 1) {
		if (pfm_initialize() != PFM_SUCCESS)
			return 0;
		pmu = PFM_PMU_NONE;
		idx = -1;
	}
	for (;;) {
		if (idx < 0) {
			pfm_pmu_info_t pinfo;
			if (++pmu >= PFM_PMU_MAX)
				return 0;
			memset(&pinfo, 0, sizeof(pinfo));
			pinfo.size = sizeof(pinfo);
			if (pfm_get_pmu_info(pmu, &pinfo) != PFM_SUCCESS || !pinfo.is_present)
				continue;
			idx = pinfo.first_event;
		} else {
			idx = pfm_get_event_next(idx);
		}
		if (idx < 0)
			continue;
		pfm_event_info_t info;
		pfm_pmu_info_t pinfo;
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		memset(&pinfo, 0, sizeof(pinfo));
		pinfo.size = sizeof(pinfo);
		if (pfm_get_event_info(idx, PFM_OS_PERF_EVENT_EXT, &info) != PFM_SUCCESS ||
		    pfm_get_pmu_info(info.pmu, &pinfo) != PFM_SUCCESS)
			continue;
		snprintf(name, nlen, "%s::%s", pinfo.name, info.name);
		snprintf(desc, dlen, "%s", info.desc ? info.desc : "");
		for (char *p = desc; *p; p++)
			if (*p == '\n')
				*p = ' ';
		(*cursor)++;
		return 1;
	}
#else
	return 0;
#endif
}
