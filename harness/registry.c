/* registry.c: see registry.h. */
#define _GNU_SOURCE
#include "registry.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

const struct bench registry[] = {
#define BENCH(abi_, mech_, sc_, kernel_, target_, args_, check_, needs_, nsys_, desc_) \
	{ .abi = #abi_, .mechanism = #mech_, .syscall = #sc_, .kernel_name = #kernel_, \
	  .kernel = kernel_, .target = target_, .args = args_, .check = check_, \
	  .needs = needs_, .syscalls = nsys_, .description = desc_ },
#include "../bench/benchmarks.def"
#undef BENCH
};
const size_t registry_count = sizeof(registry) / sizeof(registry[0]);

const char *registry_name(const struct bench *b, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s", b->abi, b->mechanism, b->syscall);
	return buf;
}

int registry_prepare(const struct bench *b, const struct machine *m,
		     struct kargs *a, char *why, size_t len)
{
	memset(a, 0, sizeof(*a));
	if (b->needs == NEEDS_VSYSCALL && m->vsyscall == VSYSCALL_NONE) {
		snprintf(why, len, "vsyscall=none: the legacy vsyscall page is not mapped "
			 "(boot with vsyscall=xonly or vsyscall=emulate to measure it)");
		return -1;
	}
	if (b->needs == NEEDS_VDSO) {
		if (!m->have_vdso) {
			snprintf(why, len, "%s", m->vdso_why);
			return -1;
		}
		a->fn = vdso_lookup(&m->vdso, b->target, VDSO_VERSION, VDSO_HASH_ANY);
		if (!a->fn) {
			snprintf(why, len, "the vDSO does not export %s@%s", b->target, VDSO_VERSION);
			return -1;
		}
	}
	switch (b->args) {
	case ARGS_NONE:
	case ARGS_TIME:
		break;
	case ARGS_CLOCK_MONOTONIC:
		a->a0 = CLOCK_MONOTONIC;
		a->a1 = (long)a->buf;
		break;
	case ARGS_CLOCK_THREAD_CPUTIME:
		a->a0 = CLOCK_THREAD_CPUTIME_ID;
		a->a1 = (long)a->buf;
		break;
	case ARGS_TIMEVAL:
		a->a0 = (long)a->buf;
		break;
	case ARGS_GETCPU:
		a->a0 = (long)a->buf;
		a->a1 = (long)(a->buf + sizeof(unsigned));
		break;
	case ARGS_SYSNR_GETPPID:
		a->a0 = SYS_getppid;
		break;
	}
	return 0;
}

static long long ts_ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* The check brackets the kernel's run with reference reads of the same
 * quantity through libc, so a right answer must fall between them. */
int registry_verify(const struct bench *b, struct kargs *a, unsigned long calls,
		    long *ret, char *why, size_t len)
{
	struct timespec before, after, got;
	struct timeval tv;
	time_t t0;
	clockid_t clk = b->check == CHECK_TIMESPEC_CPUTIME ? CLOCK_THREAD_CPUTIME_ID :
			b->check == CHECK_TIMEVAL ? CLOCK_REALTIME : CLOCK_MONOTONIC;

	t0 = time(NULL);
	clock_gettime(clk, &before);
	*ret = b->kernel(calls, a);
	clock_gettime(clk, &after);

	switch (b->check) {
	case CHECK_NONE:
		if (*ret != 0)
			goto bad_value;
		return 0;
	case CHECK_GETPPID:
		if (*ret != (long)getppid()) {
			snprintf(why, len, "returned %ld, but getppid() is %ld", *ret, (long)getppid());
			return -1;
		}
		return 0;
	case CHECK_ENOSYS:
		if (*ret != -ENOSYS) {
			snprintf(why, len, "returned %ld, expected -ENOSYS (%d)", *ret, -ENOSYS);
			return -1;
		}
		return 0;
	case CHECK_TIMESPEC_MONOTONIC:
	case CHECK_TIMESPEC_CPUTIME:
		if (*ret != 0)
			goto bad_value;
		memcpy(&got, a->buf, sizeof(got));
		if (ts_ns(&got) < ts_ns(&before) || ts_ns(&got) > ts_ns(&after)) {
			snprintf(why, len, "clock read %lld ns, outside [%lld, %lld] read around it",
				 ts_ns(&got), ts_ns(&before), ts_ns(&after));
			return -1;
		}
		return 0;
	case CHECK_TIMEVAL:
		if (*ret != 0)
			goto bad_value;
		memcpy(&tv, a->buf, sizeof(tv));
		/* gettimeofday truncates to microseconds */
		if ((long long)tv.tv_sec * 1000000 + tv.tv_usec < ts_ns(&before) / 1000 ||
		    (long long)tv.tv_sec * 1000000 + tv.tv_usec > ts_ns(&after) / 1000) {
			snprintf(why, len, "gettimeofday gave %lld.%06ld s, outside the wall-clock reads around it",
				 (long long)tv.tv_sec, (long)tv.tv_usec);
			return -1;
		}
		return 0;
	case CHECK_TIME:
		if (*ret < (long)t0 || *ret > (long)time(NULL)) {
			snprintf(why, len, "time gave %ld, outside [%ld, %ld]", *ret, (long)t0, (long)time(NULL));
			return -1;
		}
		return 0;
	case CHECK_GETCPU: {
		unsigned cpu;
		int now = sched_getcpu();
		if (*ret != 0)
			goto bad_value;
		memcpy(&cpu, a->buf, sizeof(cpu));
		if ((int)cpu != now) {
			snprintf(why, len, "getcpu said CPU %u, sched_getcpu() says %d", cpu, now);
			return -1;
		}
		return 0;
	}
	}
bad_value:
	snprintf(why, len, "returned %ld, expected 0", *ret);
	return -1;
}
