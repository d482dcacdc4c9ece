/* SPDX-License-Identifier: MIT */
/*
 * Shared definitions for the assembly kernels (included by every file in asm/).
 *
 * Every kernel has the same C signature, for both ABIs:
 *
 *     long kernel(unsigned long calls, struct kargs *a);
 *
 * It makes exactly `calls` calls of its mechanism (calls must be a multiple
 * of UNROLL; the harness guarantees it) and returns the value the last call
 * left in the accumulator, so a caller can check the result. The loop body is
 * the mechanism repeated UNROLL times with `.rept`: the loop's own dec/jnz is
 * then paid once per UNROLL calls, and the empty kernel, which has the same
 * loop, shows what that floor costs.
 *
 * struct kargs (harness/kernels.h) carries the call's target and arguments;
 * the offsets below are checked against the C layout by _Static_assert.
 */
#ifndef SCB_ASM_KERNEL_H
#define SCB_ASM_KERNEL_H

#include "kernel_c.h"

/* Start a global function; 32-byte alignment keeps loop placement stable
 * across builds, so a code change elsewhere does not move a loop across a
 * fetch boundary and shift its timing. */
.macro KERNEL_BEGIN name
	.text
	.globl \name
	.type \name, @function
	.p2align 5
\name:
.endm

.macro KERNEL_END name
	.size \name, . - \name
.endm

#endif
