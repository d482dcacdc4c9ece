/* SPDX-License-Identifier: MIT */
/* disturb.c: see disturb.h. */
#define _GNU_SOURCE
#include "disturb.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* Add ", " and printf-formatted text to the list in buf. */
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 3 >= len)
		return;
	if (used) {
		strcpy(buf + used, ", ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ok = f && fgets(buf, (int)len, f);

	if (f)
		fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void comm_of(long pid, char *comm, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	if (read_line(path, comm, len))
		snprintf(comm, len, "?");
}

static int is_number(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* Calls fn for each numeric entry (a pid, a tid, an fd) of folder dir and
 * returns the sum of what it returns. */
typedef long (*entry_fn)(const char *dir, const char *name, void *ctx);

static long each_numbered(const char *dir, entry_fn fn, void *ctx)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long sum = 0;

	while (d && (e = readdir(d)))
		if (is_number(e->d_name))
			sum += fn(dir, e->d_name, ctx);
	if (d)
		closedir(d);
	return sum;
}

static long is_perf_fd(const char *dir, const char *fd, void *ctx)
{
	char path[600], link[64];
	ssize_t m;

	(void)ctx;
	snprintf(path, sizeof(path), "%s/%s", dir, fd);
	m = readlink(path, link, sizeof(link) - 1);
	if (m <= 0)
		return 0;
	link[m] = '\0';
	return !strcmp(link, "anon_inode:[perf_event]");
}

/* A process holding perf_event files: named in the list, counted once. */
static long perf_holder(const char *proc, const char *pid, void *ctx)
{
	struct disturb *d = ctx;
	char path[300], comm[32];
	long n;

	snprintf(path, sizeof(path), "%s/%s/fd", proc, pid);
	n = each_numbered(path, is_perf_fd, NULL);
	if (!n)
		return 0;
	comm_of(atol(pid), comm, sizeof(comm));
	append(d->perf_events, sizeof(d->perf_events), "%s[%s] x%ld", comm, pid, n);
	return 1;
}

/* Every process's open files that are perf_events. */
static void check_perf_events(struct disturb *d)
{
	d->perf_events[0] = '\0';
	long found = each_numbered("/proc", perf_holder, d);
	if (!found)
		snprintf(d->perf_events, sizeof(d->perf_events), "none%s",
			 geteuid() ? " (of this user's processes; others can't be seen)" : "");
	d->findings += found > 0;
}

static void check_ftrace(struct disturb *d)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[512], v[128], on[16] = "", tracer[64] = "";
	const char *root = NULL;

	for (size_t i = 0; i < 2 && !root; i++) {
		snprintf(path, sizeof(path), "%s/tracing_on", roots[i]);
		if (read_line(path, on, sizeof(on)) == 0)
			root = roots[i];
	}
	if (!root) {
		snprintf(d->ftrace, sizeof(d->ftrace), "unknown (tracefs not mounted or not readable)");
		return;
	}
	d->ftrace[0] = '\0';
	snprintf(path, sizeof(path), "%s/current_tracer", root);
	if (read_line(path, tracer, sizeof(tracer)) == 0 && strcmp(tracer, "nop"))
		append(d->ftrace, sizeof(d->ftrace), "tracer %s", tracer);
	snprintf(path, sizeof(path), "%s/events/enable", root);
	if (read_line(path, v, sizeof(v)) == 0 && strcmp(v, "0")) {
		/* "1" or "X" (some): name the subsystems that have any */
		snprintf(path, sizeof(path), "%s/events", root);
		DIR *ev = opendir(path);
		struct dirent *s;
		while (ev && (s = readdir(ev))) {
			char file[800];
			if (s->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), "%s/events/%s/enable", root, s->d_name);
			if (read_line(file, v, sizeof(v)) == 0 && strcmp(v, "0"))
				append(d->ftrace, sizeof(d->ftrace), "events %s", s->d_name);
		}
		if (ev)
			closedir(ev);
	}
	if (!d->ftrace[0]) {
		snprintf(d->ftrace, sizeof(d->ftrace), "off");
		return;
	}
	size_t used = strlen(d->ftrace);
	snprintf(d->ftrace + used, sizeof(d->ftrace) - used, " (tracing_on=%s)", on);
	d->findings++;
}

/* One audit netlink request; the number of replies of type `type` until
 * the kernel says done (or, for AUDIT_GET, the status itself). -1 when
 * audit can't be asked, -2 when this kernel has no audit netlink at all. */
static int audit_ask(int type, struct audit_status *st)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr h;
		char pad[16];
	} req = { .h = { .nlmsg_len = NLMSG_LENGTH(0), .nlmsg_type = (unsigned short)type,
			 .nlmsg_flags = NLM_F_REQUEST | (type == AUDIT_LIST_RULES ? NLM_F_DUMP : 0),
			 .nlmsg_seq = 1 } };
	struct timeval tv = { 0, 300000 };
	static char buf[65536];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT), n = 0;

	if (fd < 0)
		return -2;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);
		if (got <= 0)
			break;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)got);
		     h = NLMSG_NEXT(h, got)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				if (e->error) {
					close(fd);
					return -1;
				}
				continue;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				close(fd);
				return n;
			}
			if (h->nlmsg_type == type) {
				n++;
				if (type == AUDIT_GET) {
					memcpy(st, NLMSG_DATA(h), sizeof(*st) < h->nlmsg_len - NLMSG_HDRLEN ?
					       sizeof(*st) : h->nlmsg_len - NLMSG_HDRLEN);
					close(fd);
					return n;
				}
			}
		}
	}
	close(fd);
	return type == AUDIT_GET ? -1 : n;
}

static void check_audit(struct disturb *d)
{
	struct audit_status st = { 0 };
	int got = audit_ask(AUDIT_GET, &st);

	if (got == -2) {
		snprintf(d->audit, sizeof(d->audit), "not in this kernel (no audit netlink)");
		return;
	}
	if (got < 0) {
		snprintf(d->audit, sizeof(d->audit), "unknown (audit status not readable%s)",
			 geteuid() ? ": needs root" : "");
		return;
	}
	if (!st.enabled) {
		snprintf(d->audit, sizeof(d->audit), "off");
		return;
	}
	int rules = audit_ask(AUDIT_LIST_RULES, &st);
	if (rules < 0)
		snprintf(d->audit, sizeof(d->audit), "enabled, rules unknown");
	else
		snprintf(d->audit, sizeof(d->audit), "enabled, %d rule%s", rules, rules == 1 ? "" : "s");
	d->findings += rules != 0;
}

static void check_process(struct disturb *d)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256], seccomp[32] = "0", tracer[32] = "0";

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "Seccomp:", 8))
			snprintf(seccomp, sizeof(seccomp), "%s", line + 8 + strspn(line + 8, " \t"));
		else if (!strncmp(line, "TracerPid:", 10))
			snprintf(tracer, sizeof(tracer), "%s", line + 10 + strspn(line + 10, " \t"));
	}
	if (f)
		fclose(f);
	d->process[0] = '\0';
	if (strcmp(seccomp, "0"))
		append(d->process, sizeof(d->process), "seccomp mode %s", seccomp);
	if (strcmp(tracer, "0"))
		append(d->process, sizeof(d->process), "traced by pid %s", tracer);
	if (!d->process[0])
		snprintf(d->process, sizeof(d->process), "none");
	else
		d->findings++;
}

/* Whether cpu is in a list like "1-3,7". */
static int in_cpu_list(const char *list, int cpu)
{
	const char *p = list;

	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b = a;
		if (end == p)
			return 0;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		if (cpu >= a && cpu <= b)
			return 1;
		p = *end == ',' ? end + 1 : end;
		if (*p && *p != ',' && (*p < '0' || *p > '9'))
			return 0;
	}
	return 0;
}

static void check_cpu(struct disturb *d, int cpu)
{
	char nohz[256] = "", iso[256] = "";

	read_line("/sys/devices/system/cpu/nohz_full", nohz, sizeof(nohz));
	read_line("/sys/devices/system/cpu/isolated", iso, sizeof(iso));
	int in_nohz = in_cpu_list(nohz, cpu), isolated = in_cpu_list(iso, cpu);
	snprintf(d->cpu, sizeof(d->cpu), "CPU %d: %s, %s", cpu,
		 in_nohz ? "nohz_full (context tracking on every kernel entry)" : "not nohz_full",
		 isolated ? "isolated" : "not isolated");
	d->findings += in_nohz;
}

struct runnable_ctx {
	struct disturb *d;
	int cpu;
	long tgid;	/* the process whose task folder is being walked */
};

/* The parent of process pid, from /proc/PID/stat; 0 if it can't be read. */
static long parent_of(long pid)
{
	char path[64], stat[1024];

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (read_line(path, stat, sizeof(stat)))
		return 0;
	char *q = strrchr(stat, ')');
	long ppid = 0;
	if (!q || sscanf(q + 1, " %*c %ld", &ppid) != 1)
		return 0;
	return ppid;
}

int disturb_task_is_ours(long self, long tgid, long ppid, const char *comm, long (*parent)(long pid))
{
	if (tgid == self || ppid == self)
		return 1;
	/* an io_uring SQPOLL poller is named after its ring's thread group */
	static const char sqp[] = "iou-sqp-";
	if (strncmp(comm, sqp, sizeof(sqp) - 1))
		return 0;
	const char *num = comm + sizeof(sqp) - 1;
	char *end;
	errno = 0;
	long owner = strtol(num, &end, 10);
	if (end == num || *end || errno || owner <= 0)
		return 0;
	return owner == self || (parent && parent(owner) == self);
}

/* One task (a thread) runnable on the pinned CPU: named, counted. */
static long runnable_task(const char *dir, const char *tid, void *p)
{
	struct runnable_ctx *c = p;
	char file[700], stat[1024], comm[32], state = 0;
	int field = 2, last = -1;
	unsigned long flags = 0;
	long ppid = 0;

	snprintf(file, sizeof(file), "%s/%s/stat", dir, tid);
	if (read_line(file, stat, sizeof(stat)))
		return 0;
	/* after "(comm)": state is field 3, flags 9, processor 39 */
	char *q = strrchr(stat, ')');
	if (!q)
		return 0;
	for (char *tok = strtok(q + 1, " "); tok; tok = strtok(NULL, " ")) {
		field++;
		if (field == 3)
			state = tok[0];
		else if (field == 4)
			ppid = atol(tok);
		else if (field == 9)
			flags = strtoul(tok, NULL, 10);
		else if (field == 39) {
			last = atoi(tok);
			break;
		}
	}
	if (state != 'R' || last != c->cpu || (flags & 0x00200000))
		return 0;
	comm_of(atol(tid), comm, sizeof(comm));
	/* our own threads (the SQPOLL poller among them) and workers take
	 * turns with us on the CPU by design */
	if (disturb_task_is_ours(getpid(), c->tgid, ppid, comm, parent_of))
		return 0;
	append(c->d->runnable, sizeof(c->d->runnable), "%s[%ld]", comm, atol(tid));
	return 1;
}

static long runnable_in(const char *proc, const char *pid, void *ctx)
{
	char path[300];
	struct runnable_ctx *c = ctx;

	if (atol(pid) == (long)getpid())
		return 0;	/* our own threads: none is a disturbance */
	c->tgid = atol(pid);
	snprintf(path, sizeof(path), "%s/%s/task", proc, pid);
	return each_numbered(path, runnable_task, ctx);
}

/* Tasks in state R whose last CPU is the pinned one, other than ours
 * (disturb_task_is_ours: our threads, our workers, our SQPOLL pollers).
 * Kernel threads (PF_KTHREAD in the flags field) are passed over: they run
 * for moments, a snapshot would nearly always catch one (our own audit
 * query wakes one), and they say nothing about what shares the CPU for
 * long. */
static void check_runnable(struct disturb *d, int cpu)
{
	struct runnable_ctx c = { d, cpu, 0 };

	d->runnable[0] = '\0';
	long found = each_numbered("/proc", runnable_in, &c);
	if (!found)
		snprintf(d->runnable, sizeof(d->runnable), "none");
	d->findings += found > 0;
}

void disturb_check(struct disturb *d, int cpu)
{
	memset(d, 0, sizeof(*d));
	check_runnable(d, cpu);	/* first: the checks below wake kernel threads */
	check_perf_events(d);
	check_ftrace(d);
	check_audit(d);
	check_process(d);
	check_cpu(d, cpu);

	const char *what[][2] = {
		{ "perf events held by", strncmp(d->perf_events, "none", 4) ? d->perf_events : NULL },
		{ "ftrace", strncmp(d->ftrace, "off", 3) && strncmp(d->ftrace, "unknown", 7) ? d->ftrace : NULL },
		{ "audit", strstr(d->audit, "enabled") && !strstr(d->audit, " 0 rules") ? d->audit : NULL },
		{ "this process:", strcmp(d->process, "none") ? d->process : NULL },
		{ "pinned", strstr(d->cpu, "nohz_full (") ? d->cpu : NULL },
		{ "runnable on the pinned CPU:", strcmp(d->runnable, "none") ? d->runnable : NULL },
	};
	size_t used = 0;
	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++)
		if (what[i][1] && used + 1 < sizeof(d->summary))
			used += (size_t)snprintf(d->summary + used, sizeof(d->summary) - used, "%s%s %s",
						 used ? "; " : "", what[i][0], what[i][1]);
	if (!used)
		snprintf(d->summary, sizeof(d->summary), "none");
}

void disturb_record(struct env *e, const char *when, const struct disturb *d)
{
	const struct { const char *key, *value; } items[] = {
		{ "disturbance", d->summary }, { "perf_events", d->perf_events }, { "ftrace", d->ftrace },
		{ "audit", d->audit }, { "cpu_isolation", d->cpu }, { "runnable_on_cpu", d->runnable },
	};
	char key[64];

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		snprintf(key, sizeof(key), "%s_%s", items[i].key, when);
		env_set(e, key, "%s", items[i].value);
	}
}

void disturb_advice(const struct env *e, char *buf, size_t len)
{
	const char *before = env_get(e, "disturbance_before"), *after = env_get(e, "disturbance_after");
	int b = before && strcmp(before, "none"), a = after && strcmp(after, "none");

	buf[0] = '\0';
	if (!a && !b)
		return;
	snprintf(buf, len, "syscalls may have taken the kernel's slow path or shared the CPU "
		 "(%s: %s%s%s); stop that and run again, or compare only with runs made the same way",
		 b && a ? (strcmp(before, after) ? "before/after timing" : "during timing") :
		 b ? "before timing" : "after timing", b ? before : after,
		 b && a && strcmp(before, after) ? " | " : "", b && a && strcmp(before, after) ? after : "");
}
