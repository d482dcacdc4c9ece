/* SPDX-License-Identifier: MIT */
/*
 * Constants shared by the assembly kernels and the C harness: the unroll
 * factor and the offsets of struct kargs (harness/kernels.h asserts them).
 */
#ifndef SCB_KERNEL_C_H
#define SCB_KERNEL_C_H

#define UNROLL       8
#define UNROLL_SHIFT 3

#ifdef __x86_64__
#define KA_FN   0
#define KA_A0   8
#define KA_A1   16
#define KA_A2   24
#define KA_A3   32
#define KA_BUF  40
#else
#define KA_FN   0
#define KA_A0   4
#define KA_A1   8
#define KA_A2   12
#define KA_A3   16
#define KA_BUF  20
#endif

#endif
