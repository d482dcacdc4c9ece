/* SPDX-License-Identifier: MIT */
/*
 * trace_runs_64.S: the x86-64 marked runs of the trace guest (trace_init.c).
 *
 * Each run is a straight line of exactly 16 or 32 calls of one mechanism,
 * between two global labels, scbt_ROW_N_begin and scbt_ROW_N_end, whose
 * addresses scripts/vm/vm-trace.sh reads with nm. The host counts the exec
 * trace's lines between them; (lines(32) - lines(16)) / 16 is one call.
 *
 * Every call's instructions are the same instructions, with the same
 * registers, as the loop body of the scbench kernel of that row, so the
 * counts are comparable with the icount lane's:
 *   BODY_SYSCALL  = asm/syscall_64.S   (mov $nr, %eax; syscall)
 *   BODY_INT80    = asm/int80_64.S     (mov $nr, %eax; int $0x80)
 *   BODY_CALL64   = asm/callptr_64.h   (three argument loads from kargs in
 *                   RBX, call *%r13), for asm/vdso_64.S and
 *                   asm/vsyscall_64.S
 * Only the loop around them is gone (scbench's dec/jnz per 8 calls).
 *
 * long scbt_ROW_N(struct kargs *a, uint64_t tsc[2]): tsc[0] and tsc[1] get
 * the guest TSC just before the first call's setup and after the last call.
 */
#include "kernel_c.h"
#include "sysnr.h"

#define VSYSCALL_BASE 0xffffffffff600000

.macro TSC_TO slot
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, \slot(%r14)
.endm

/* the registers each kernel loads before its loop */
.macro SETUP_SYSCALL
	mov	KA_A0(%rbx), %rdi
	mov	KA_A1(%rbx), %rsi
	mov	KA_A2(%rbx), %rdx
	mov	KA_A3(%rbx), %r10
.endm
.macro SETUP_INT80
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
.endm
.macro SETUP_FN
	mov	KA_FN(%rbx), %r13
.endm
.macro SETUP_VSYSCALL_TIME
	mov	$(VSYSCALL_BASE + 0x400), %r13
.endm
.macro SETUP_VSYSCALL_GTOD
	mov	$(VSYSCALL_BASE + 0x000), %r13
.endm
.macro SETUP_VSYSCALL_GETCPU
	mov	$(VSYSCALL_BASE + 0x800), %r13
.endm

/* one call, as in the kernels' .rept bodies */
.macro BODY_SYSCALL nr
	mov	$\nr, %eax
	syscall
.endm
.macro BODY_INT80 nr
	mov	$\nr, %eax
	int	$0x80
.endm
.macro BODY_CALL64 unused
	mov	KA_A0(%rbx), %rdi
	mov	KA_A1(%rbx), %rsi
	mov	KA_A2(%rbx), %rdx
	call	*%r13
.endm

.macro RUN name, n, setup, body, nr
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
	sub	$8, %rsp		/* RSP 16-byte aligned at each call */
	mov	%rsi, %r14		/* tsc[2] */
	mov	%rdi, %rbx		/* struct kargs * (the int80 setup zeroes it after use) */
	TSC_TO	0
	\setup
	.globl	scbt_\name\()_\n\()_begin
scbt_\name\()_\n\()_begin:
	.rept	\n
	\body	\nr
	.endr
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

.macro ROW name, setup, body, nr=0
	RUN	\name, 16, \setup, \body, \nr
	RUN	\name, 32, \setup, \body, \nr
.endm

ROW x86_64_syscall_getppid,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_syscall_enosys,	SETUP_SYSCALL, BODY_SYSCALL, NR_ENOSYS
ROW x86_64_int80_getppid,	SETUP_INT80,   BODY_INT80,   NR32_GETPPID
ROW x86_64_int80_enosys,	SETUP_INT80,   BODY_INT80,   NR_ENOSYS
ROW x86_64_vdso_clock_gettime,	SETUP_FN,      BODY_CALL64
ROW x86_64_vsyscall_page_time,	SETUP_VSYSCALL_TIME, BODY_CALL64
/* the profile's own rows (scripts/vm/vm-profile.sh; trace_init.c runs them
 * only there); getrandom_256 is not one: 8464 instructions a call, it would
 * double the profile's trace for a path getrandom_16 shows (the ChaCha
 * blocks repeat) */
ROW x86_64_syscall_clock_gettime, SETUP_SYSCALL, BODY_SYSCALL, NR64_CLOCK_GETTIME
ROW x86_64_syscall_getrandom_16, SETUP_SYSCALL, BODY_SYSCALL, NR64_GETRANDOM
ROW x86_64_vdso_clock_gettime_cputime, SETUP_FN, BODY_CALL64
ROW x86_64_vdso_gettimeofday,	SETUP_FN,      BODY_CALL64
ROW x86_64_vdso_time,		SETUP_FN,      BODY_CALL64
ROW x86_64_vdso_getcpu,		SETUP_FN,      BODY_CALL64
ROW x86_64_vsyscall_page_gettimeofday, SETUP_VSYSCALL_GTOD, BODY_CALL64
ROW x86_64_vsyscall_page_getcpu, SETUP_VSYSCALL_GETCPU, BODY_CALL64
/* the seccomp rows: syscall getppid (asm/syscall_64.S), each in a child
 * process under its row's filters (trace_init.c) */
ROW x86_64_seccomp_getppid_cache_1,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_seccomp_getppid_cache_16,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_seccomp_getppid_cache_64,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_seccomp_getppid_cache_256,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_seccomp_getppid_arg_2,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_seccomp_getppid_arg_16,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_seccomp_getppid_arg_64,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_seccomp_getppid_arg_256,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_seccomp_getppid_stack_2,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID
ROW x86_64_seccomp_getppid_stack_8,	SETUP_SYSCALL, BODY_SYSCALL, NR64_GETPPID

	.section .note.GNU-stack, "", @progbits
