/* SPDX-License-Identifier: MIT */
/*
 * registry.h: the table of benchmarks, expanded from bench/benchmarks.def,
 * and the two things every benchmark needs before it is timed: its argument
 * block (registry_prepare) and a check that one call gives the right answer
 * (registry_verify).
 */
#ifndef SCB_REGISTRY_H
#define SCB_REGISTRY_H

#include <stddef.h>
#include "kernels.h"
#include "machine.h"

enum bench_args {
	ARGS_NONE,
	ARGS_CLOCK_MONOTONIC,		/* a0 = CLOCK_MONOTONIC, a1 = &buf */
	ARGS_CLOCK_THREAD_CPUTIME,	/* a0 = CLOCK_THREAD_CPUTIME_ID, a1 = &buf */
	ARGS_TIMEVAL,			/* a0 = &buf, a1 = NULL (timezone) */
	ARGS_TIME,			/* a0 = NULL: the result is the return value */
	ARGS_GETCPU,			/* a0 = &cpu, a1 = &node, a2 = NULL */
	ARGS_SYSNR_GETPPID,		/* a0 = SYS_getppid, for syscall(3) */
	ARGS_SYSINFO,			/* fn = AT_SYSINFO (__kernel_vsyscall) */
	ARGS_GETRANDOM_16,		/* a0 = buffer, a1 = 16, a2 = 0 (flags) */
	ARGS_GETRANDOM_256,		/* the same, 256 bytes */
	ARGS_VGETRANDOM_16,		/* as above, a3 = opaque state, buf[0..7] = its length */
	ARGS_VGETRANDOM_256,
	ARGS_URING_1,			/* fn = ring state, a0 = batch (1, 8, 64), a1 = SQPOLL */
	ARGS_URING_8,
	ARGS_URING_64,
	ARGS_URING_SQPOLL,		/* batch 8, SQPOLL */
};

enum bench_check {
	CHECK_NONE,			/* returns 0 */
	CHECK_GETPPID,			/* returns getppid() */
	CHECK_ENOSYS,			/* returns -ENOSYS */
	CHECK_TIMESPEC_MONOTONIC,	/* 0, timespec between two CLOCK_MONOTONIC reads */
	CHECK_TIMESPEC64_MONOTONIC,	/* the same with a 64-bit timespec on i386 */
	CHECK_TIMESPEC_CPUTIME,		/* 0, timespec between two thread CPU-time reads */
	CHECK_TIMEVAL,			/* 0, timeval between two wall-clock reads */
	CHECK_TIME,			/* seconds between two time() reads */
	CHECK_GETCPU,			/* 0, cpu == sched_getcpu() */
	CHECK_LENGTH,			/* returns a1 (bytes filled) */
	CHECK_CALLS,			/* returns the number of calls (operations completed) */
};

enum bench_needs {
	NEEDS_NOTHING,
	NEEDS_IA32,		/* int $0x80 from 64-bit code: 32-bit emulation */
	NEEDS_VDSO,
	NEEDS_VSYSCALL,		/* the legacy page mapped */
	NEEDS_SYSENTER,		/* an Intel-like CPU (sysenter in compat mode) */
	NEEDS_SYSCALL32,	/* an AMD-like CPU (syscall in compat mode) */
	NEEDS_SYSINFO,		/* AT_SYSINFO in the auxiliary vector */
	NEEDS_VGETRANDOM,	/* __vdso_getrandom (Linux 6.11+) */
	NEEDS_X32,		/* the kernel takes x32 syscalls (CONFIG_X86_X32_ABI, syscall.x32) */
	NEEDS_URING,		/* io_uring usable by this process */
	NEEDS_SECCOMP,		/* a seccomp filter (the target field names it): the row
				 * runs in a child process of its own (seccomp.h) */
};

/* syscalls field: depends on the clock source (see benchmarks.def). */
#define SC_CLOCK (-1)
/* syscalls field: one per batch of kargs.a0 calls, none with SQPOLL (a1). */
#define SC_PER_BATCH (-2)

struct bench {
	const char *abi, *mechanism, *syscall;
	const char *kernel_name;
	scb_kernel_fn kernel;
	const char *target;		/* vDSO symbol, or NULL */
	enum bench_args args;
	enum bench_check check;
	enum bench_needs needs;
	int syscalls;			/* 0, 1 or SC_CLOCK */
	const char *description;
};

extern const struct bench registry[];
extern const size_t registry_count;

/* Whether this build can run b itself (b is of its own ABI). */
static inline int registry_native(const struct bench *b)
{
	return b->kernel != NULL;
}

/* Whether b runs in a child process of its own (a seccomp filter can't be
 * taken back), never in the process that runs the other rows. */
static inline int registry_in_child(const struct bench *b)
{
	return b->needs == NEEDS_SECCOMP;
}

/* What b needs from the machine, in words ("32-bit emulation, AMD-like CPU"). */
const char *registry_needs_text(const struct bench *b);

/* "abi/mechanism/syscall" into buf; returns buf. */
const char *registry_name(const struct bench *b, char *buf, size_t len);

/* Fill a for b (a native row). 0, or -1 with a reason when this machine
 * can't offer what b needs (no vDSO, symbol missing, vsyscall=none, the
 * wrong CPU vendor for sysenter or 32-bit syscall). */
int registry_prepare(const struct bench *b, const struct machine *m,
		     struct kargs *a, char *why, size_t len);

/* What a row should say beyond its numbers, e.g. which instruction
 * __kernel_vsyscall uses; "" when nothing. a as prepared. */
void registry_detail(const struct bench *b, const struct kargs *a, char *buf, size_t len);

/* Run b's kernel for `calls` calls (a multiple of KERNEL_UNROLL) and check
 * the result. 0 if right, -1 with what was wrong. *ret gets the value. */
int registry_verify(const struct bench *b, struct kargs *a, unsigned long calls,
		    long *ret, char *why, size_t len);

#endif
