/* counters.c: see counters.h. */
#define _GNU_SOURCE
#include "counters.h"
#include "util.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

static int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group,
			   unsigned long flags)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group, flags);
}

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
		if (attempt == 0 && geteuid() == 0 &&
		    mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) != 0 &&
		    errno != EBUSY)
			break;
		if (geteuid() != 0)
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

int counters_open_syscalls(char *why, size_t len)
{
	struct perf_event_attr attr;
	long id = tracepoint_id("raw_syscalls/sys_enter", why, len);
	int fd;

	if (id < 0)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = (uint64_t)id;
	attr.disabled = 1;
	/* pid 0, cpu -1: this thread, wherever it runs */
	fd = perf_event_open(&attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		snprintf(why, len, "perf_event_open(raw_syscalls:sys_enter): %s", strerror(errno));
	return fd;
}

void counters_start(int fd)
{
	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
}

void counters_stop(int fd)
{
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
}

int counters_read(int fd, uint64_t *value)
{
	return read(fd, value, sizeof(*value)) == (ssize_t)sizeof(*value) ? 0 : -1;
}
