/* SPDX-License-Identifier: MIT */
/* registry.c: see registry.h. */
#define _GNU_SOURCE
#include "registry.h"
#include "../asm/sysnr.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/utsname.h>
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

/* getrandom's output: bigger than kargs.buf; rows run one at a time. */
static unsigned char random_buf[256];

/* __vdso_getrandom's opaque state (lib/vdso/getrandom.c): the kernel says
 * how big and how to map it; one per process, made on first use. */
struct vgetrandom_opaque_params {
	uint32_t size_of_opaque_state, mmap_prot, mmap_flags, reserved[13];
};
typedef long (*vgetrandom_fn)(void *, size_t, unsigned, void *, size_t);

static int vgetrandom_state(vgetrandom_fn fn, void **state, size_t *len, char *why, size_t wlen)
{
	static void *st;
	static size_t stlen;
	struct vgetrandom_opaque_params p;

	if (!st) {
		memset(&p, 0, sizeof(p));
		if (fn(NULL, 0, 0, &p, ~0UL) != 0 || !p.size_of_opaque_state) {
			snprintf(why, wlen, "__vdso_getrandom did not describe its state");
			return -1;
		}
		long page = sysconf(_SC_PAGESIZE);
		size_t size = ((size_t)p.size_of_opaque_state + (size_t)page - 1) & ~((size_t)page - 1);
		void *m = mmap(NULL, size, (int)p.mmap_prot, (int)p.mmap_flags, -1, 0);
		if (m == MAP_FAILED) {
			snprintf(why, wlen, "mapping __vdso_getrandom's state: %s", strerror(errno));
			return -1;
		}
		st = m;
		stlen = p.size_of_opaque_state;
	}
	*state = st;
	*len = stlen;
	return 0;
}

#ifdef __x86_64__
/* page-aligned each, so the count of the io_uring rows under icount does
 * not move with the layout of the rest of the program */
static _Alignas(4096) struct scb_uring rings[4];	/* one per io_uring row: ARGS_URING_* */
#endif

#ifdef __x86_64__
/* Why io_uring is unusable, from the error and kernel.io_uring_disabled. */
static void explain_uring(int err, char *why, size_t len)
{
	char dis[16] = "";
	FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "re");

	if (f) {
		if (fgets(dis, sizeof(dis), f))
			dis[strcspn(dis, "\n")] = '\0';
		fclose(f);
	}
#ifndef SCB_HAVE_URING
	(void)err;
	snprintf(why, len, "scbench was built without liburing (install liburing-dev and rebuild)");
#else
	if (err == -ENOSYS)
		snprintf(why, len, "io_uring_setup: ENOSYS: this kernel has no io_uring (CONFIG_IO_URING off)");
	else if ((err == -EPERM || err == -EACCES) && dis[0] && strcmp(dis, "0"))
		snprintf(why, len, "io_uring is disabled: kernel.io_uring_disabled=%s (0 allows it; 1 only "
			 "for members of kernel.io_uring_group)", dis);
	else if (err == -EPERM || err == -EACCES)
		snprintf(why, len, "io_uring_setup: %s with kernel.io_uring_disabled=%s: a seccomp filter "
			 "or an LSM forbids it", strerror(-err), dis[0] ? dis : "absent");
	else
		snprintf(why, len, "io_uring_setup: %s", strerror(-err));
#endif
}
#endif

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
	case NEEDS_VGETRANDOM: return "vDSO getrandom (Linux 6.11+)";
	case NEEDS_X32:       return "x32 ABI (CONFIG_X86_X32_ABI, syscall.x32=y)";
	case NEEDS_URING:     return "io_uring";
	case NEEDS_SECCOMP:   return "seccomp filters (a child process)";
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
	if (b->needs == NEEDS_X32) {
#ifdef __x86_64__
		errno = 0;
		if (syscall(X32_SYSCALL_BIT + SYS_getppid) == -1 && errno == ENOSYS) {
			snprintf(why, len, "the kernel rejects x32 syscalls (ENOSYS): built without "
				 "CONFIG_X86_X32_ABI, or x32 is off (boot with syscall.x32=y where it is built in)");
			return -1;
		}
#endif
	}
	if (b->needs == NEEDS_URING) {
#ifdef __x86_64__
		/* online CPUs, not this (pinned) process's affinity: the poller
		 * is bound to another CPU (asm/io_uring_64.c) */
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		if (b->args == ARGS_URING_SQPOLL && ncpu < 2) {
			snprintf(why, len, "SQPOLL's poller thread needs a CPU of its own beside the measured "
				 "one, and this machine has %ld online", ncpu);
			return -1;
		}
		int rc = scb_uring_try(b->args == ARGS_URING_SQPOLL);
		if (rc < 0) {
			explain_uring(rc, why, len);
			return -1;
		}
#endif
	}
	if (b->needs == NEEDS_VDSO || b->needs == NEEDS_VGETRANDOM) {
		if (!m->have_vdso) {
			snprintf(why, len, "%s", m->vdso_why);
			return -1;
		}
		a->fn = vdso_lookup(&m->vdso, b->target, VDSO_VERSION, VDSO_HASH_ANY);
		if (!a->fn && b->needs == NEEDS_VGETRANDOM) {
			struct utsname u;
			uname(&u);
			snprintf(why, len, "the vDSO does not export %s@%s: this kernel (%s) predates it "
				 "(Linux 6.11+)", b->target, VDSO_VERSION, u.release);
			return -1;
		}
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
	case ARGS_GETRANDOM_16:
	case ARGS_GETRANDOM_256:
	case ARGS_VGETRANDOM_16:
	case ARGS_VGETRANDOM_256:
		a->a0 = (long)random_buf;
		a->a1 = b->args == ARGS_GETRANDOM_16 || b->args == ARGS_VGETRANDOM_16 ? 16 : 256;
		if (b->args == ARGS_VGETRANDOM_16 || b->args == ARGS_VGETRANDOM_256) {
			void *state;
			size_t stlen;
			if (vgetrandom_state((vgetrandom_fn)a->fn, &state, &stlen, why, len))
				return -1;
			a->a3 = (long)state;
			memcpy(a->buf, &stlen, sizeof(stlen));
		}
		break;
	case ARGS_URING_1:
	case ARGS_URING_8:
	case ARGS_URING_64:
	case ARGS_URING_SQPOLL:
#ifdef __x86_64__
		a->fn = &rings[b->args - ARGS_URING_1];
		a->a0 = b->args == ARGS_URING_1 ? 1 : b->args == ARGS_URING_64 ? 64 : 8;
		a->a1 = b->args == ARGS_URING_SQPOLL;
#endif
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
	case CHECK_LENGTH:
		if (*ret != a->a1) {
			snprintf(why, len, "returned %ld, expected %ld bytes", *ret, a->a1);
			return -1;
		}
		return 0;
	case CHECK_CALLS:
		if (*ret != (long)calls) {
			snprintf(why, len, "returned %ld, expected %lu operations completed", *ret, calls);
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
