/* SPDX-License-Identifier: MIT */
/*
 * The assembly kernels (files in asm/) as C sees them, and their argument block.
 *
 * Every kernel: long k(unsigned long calls, struct kargs *a), calls a multiple
 * of KERNEL_UNROLL. The layout of struct kargs is shared with asm/kernel.h;
 * the static assertions below keep the two in step.
 */
#ifndef SCB_KERNELS_H
#define SCB_KERNELS_H

#include <stddef.h>
#include "../asm/kernel_c.h"

struct kargs {
	void *fn;		/* call target (vDSO symbol), when the kernel calls one */
	long a0, a1, a2, a3;	/* arguments, in the ABI's argument registers */
	unsigned char buf[64];	/* output buffer: timespec, timeval, cpu/node */
};

_Static_assert(offsetof(struct kargs, fn) == KA_FN, "kargs.fn");
_Static_assert(offsetof(struct kargs, a0) == KA_A0, "kargs.a0");
_Static_assert(offsetof(struct kargs, a1) == KA_A1, "kargs.a1");
_Static_assert(offsetof(struct kargs, a2) == KA_A2, "kargs.a2");
_Static_assert(offsetof(struct kargs, a3) == KA_A3, "kargs.a3");
_Static_assert(offsetof(struct kargs, buf) == KA_BUF, "kargs.buf");

typedef long (*scb_kernel_fn)(unsigned long calls, struct kargs *a);

/* The io_uring kernel's state (asm/io_uring_64.c): the ring (liburing's
 * struct io_uring, held as bytes so this header needs no liburing),
 * created by the kernel's first call in the process that makes it. */
struct scb_uring {
	int ready;
	_Alignas(16) unsigned char ring[512];
};
#ifdef __x86_64__
void scb_uring_close(struct scb_uring *u);
/* Create and destroy a ring like the kernel's: 0, or the negative errno
 * that tells why io_uring is unavailable here. */
int scb_uring_try(int sqpoll);
#endif

#define KERNEL_UNROLL UNROLL

/* The ABI this program is built for; registry rows of the other ABI have no
 * kernel here (KERNEL_OF) and are run by the other ABI's worker. */
#ifdef __x86_64__
#define NATIVE_ABI "x86_64"
#define KERNEL_OF_x86_64(k) k
#define KERNEL_OF_i386(k)   NULL
#define DECLARE_x86_64(k)   long k(unsigned long, struct kargs *);
#define DECLARE_i386(k)
#else
#define NATIVE_ABI "i386"
#define KERNEL_OF_x86_64(k) NULL
#define KERNEL_OF_i386(k)   k
#define DECLARE_x86_64(k)
#define DECLARE_i386(k)     long k(unsigned long, struct kargs *);
#endif

/* One declaration per native kernel named in the registry. */
#define BENCH(abi, mech, sc, kernel, ...) DECLARE_##abi(kernel)
#include "../bench/benchmarks.def"
#undef BENCH

#endif
