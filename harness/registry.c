/* registry.c: see registry.h. */
#define _GNU_SOURCE
#include "registry.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

const struct bench registry[] = {
#define BENCH(abi_, mech_, sc_, kernel_, target_, args_, check_, needs_, nsys_, desc_) \
	{ .abi = #abi_, .mechanism = #mech_, .syscall = #sc_, .kernel_name = #kernel_, \
	  .kernel = KERNEL_OF_##abi_(kernel_), .target = target_, .args = args_, .check = check_, \
	  .needs = needs_, .syscalls = nsys_, .description = desc_ },
#include "../bench/benchmarks.def"
#undef BENCH
};
const size_t registry_count = sizeof(registry) / sizeof(registry[0]);

const char *registry_needs_text(const struct bench *b)
{
	int is_i386 = !strcmp(b->abi, "i386");

	switch (b->needs) {
	case NEEDS_IA32:      return "32-bit emulation";
	case NEEDS_VDSO:      return is_i386 ? "32-bit emulation, vDSO" : "vDSO";
	case NEEDS_VSYSCALL:  return "vsyscall page";
	case NEEDS_SYSENTER:  return "32-bit emulation, Intel-like CPU";
	case NEEDS_SYSCALL32: return "32-bit emulation, AMD-like CPU";
	case NEEDS_SYSINFO:   return "32-bit emulation";
	default:              return is_i386 ? "32-bit emulation" : "-";
	}
}

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
	if (b->needs == NEEDS_SYSENTER && m->vendor_kind == VENDOR_AMD_LIKE) {
		snprintf(why, len, "sysenter raises #UD in 32-bit code on AMD/Hygon CPUs (%s); "
			 "their __kernel_vsyscall uses syscall instead", m->vendor);
		return -1;
	}
	if (b->needs == NEEDS_SYSCALL32 && m->vendor_kind == VENDOR_INTEL_LIKE) {
		snprintf(why, len, "syscall raises #UD in 32-bit code on Intel-like CPUs (%s); "
			 "their __kernel_vsyscall uses sysenter instead", m->vendor);
		return -1;
	}
	if ((b->needs == NEEDS_SYSENTER || b->needs == NEEDS_SYSCALL32) && !m->have_vdso) {
		snprintf(why, len, "%s returns through the vDSO's landing pad, and there is no vDSO (%s)",
			 b->mechanism, m->vdso_why);
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
	case ARGS_SYSINFO:
#ifdef AT_SYSINFO
		a->fn = (void *)(uintptr_t)getauxval(AT_SYSINFO);
#endif
		if (!a->fn) {
			snprintf(why, len, "no AT_SYSINFO in the auxiliary vector (no 32-bit vDSO)");
			return -1;
		}
		break;
	}
	return 0;
}

void registry_detail(const struct bench *b, const struct kargs *a, char *buf, size_t len)
{
	buf[0] = '\0';
	if (b->args == ARGS_SYSINFO && a->fn)
		snprintf(buf, len, "__kernel_vsyscall uses %s", machine_stub_instruction(a->fn));
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
	case CHECK_TIMESPEC64_MONOTONIC:
	case CHECK_TIMESPEC_CPUTIME:
		if (*ret != 0)
			goto bad_value;
		if (b->check == CHECK_TIMESPEC64_MONOTONIC) {
			int64_t t64[2];
			memcpy(t64, a->buf, sizeof(t64));
			got.tv_sec = (time_t)t64[0];
			got.tv_nsec = (long)t64[1];
		} else {
			memcpy(&got, a->buf, sizeof(got));
		}
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
