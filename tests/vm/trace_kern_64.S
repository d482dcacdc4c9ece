/* SPDX-License-Identifier: MIT */
/*
 * trace_kern_64.S: the trace guest's kernel rows (trace_init.c runs them
 * instead of trace_runs_64.S's when booted with scbt_kernels=1,
 * scripts/vm/vm-profile.sh with VM_PROFILE_KERNELS=1).
 *
 * trace_runs_64.S repeats each scbench kernel's loop body in a straight
 * line; these call the kernels themselves (asm/, linked in), k(16, a) and
 * k(32, a): the same code the icount lane times, loop and all, so a change
 * to a kernel shows here, where it shows in the count gate. Between the
 * markers, around the call: (lines(32) - lines(16)) / 16 per call = the
 * body plus the loop's 2/8 (dec/jnz per 8 calls); the call, the kernel's
 * set-up and its ret are the same in both and cancel. That is the icount
 * lane's figure less only its c/N (harness/measure.c). The count gate's
 * test links tests/tools/slow_64.S's one-nop kernel in place of
 * k_syscall_64_enosys (-Wl,--wrap, as mk/test.mk does: mk/profile.mk).
 *
 * long scbt_ROW_N(struct kargs *a, uint64_t tsc[2]) as trace_runs_64.S.
 */
#include "kernel_c.h"

.macro TSC_TO slot
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, \slot(%r14)
.endm

.macro KRUN name, n, kernel
	.text
	.globl	scbt_\name\()_\n
	.type	scbt_\name\()_\n, @function
	.p2align 5
scbt_\name\()_\n:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$8, %rsp
	mov	%rsi, %r14		/* tsc[2] */
	mov	%rdi, %rbx		/* struct kargs * */
	TSC_TO	0
	mov	$\n, %edi
	mov	%rbx, %rsi
	.globl	scbt_\name\()_\n\()_begin
scbt_\name\()_\n\()_begin:
	call	\kernel
	.globl	scbt_\name\()_\n\()_end
scbt_\name\()_\n\()_end:
	mov	%rax, %r15
	TSC_TO	8
	mov	%r15, %rax
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret
	.size	scbt_\name\()_\n, . - scbt_\name\()_\n
.endm

.macro KROW name, kernel
	KRUN	\name, 16, \kernel
	KRUN	\name, 32, \kernel
.endm

KROW k_x86_64_syscall_getppid,	k_syscall_64_getppid
KROW k_x86_64_syscall_enosys,	k_syscall_64_enosys
KROW k_x86_64_int80_getppid,	k_int80_64_getppid
KROW k_x86_64_vdso_clock_gettime, k_vdso_64

	.section .note.GNU-stack, "", @progbits
