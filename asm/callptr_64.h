/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 "call a function" loop shared by vdso_64.S, vsyscall_64.S and
 * libc_64.S: those mechanisms differ only in where the call goes, so each
 * file states its target and this macro does the rest.
 *
 *   CALL64_KERNEL name, load
 *
 * `load` is one instruction that puts the call target in R13 (for example
 * `mov KA_FN(%rbx), %r13`). Each call gets A0..A2 from struct kargs in RDI,
 * RSI, RDX, as the SysV ABI wants, reloaded every time because the callee
 * may clobber them.
 *
 * Clobbers: everything the SysV ABI lets a callee clobber (RAX, RCX, RDX,
 * RSI, RDI, R8-R11, flags, vector registers). RBX, R12 and R13 hold the
 * argument block, the loop counter and the target; they are callee-saved, so
 * they are pushed here, which also leaves RSP 16-byte aligned at each call.
 */
#ifndef SCB_CALLPTR_64_H
#define SCB_CALLPTR_64_H

.macro CALL64_BODY name, nargs, load:vararg
KERNEL_BEGIN \name
	push	%rbx
	push	%r12
	push	%r13
	xor	%eax, %eax
	mov	%rsi, %rbx
	mov	%rdi, %r12
	shr	$UNROLL_SHIFT, %r12
	jz	2f
	\load
1:
	.rept UNROLL
	mov	KA_A0(%rbx), %rdi
	mov	KA_A1(%rbx), %rsi
	mov	KA_A2(%rbx), %rdx
	.if \nargs == 5
	mov	KA_A3(%rbx), %rcx
	mov	KA_BUF(%rbx), %r8
	.endif
	call	*%r13
	.endr
	dec	%r12
	jnz	1b
2:
	pop	%r13
	pop	%r12
	pop	%rbx
	ret
KERNEL_END \name
.endm

.macro CALL64_KERNEL name, load:vararg
	CALL64_BODY \name, 3, \load
.endm

/* Five arguments: A3 in RCX and, as the fifth, the first 8 bytes of
 * kargs.buf in R8 (__vdso_getrandom's opaque-state length). */
.macro CALL64_KERNEL5 name, load:vararg
	CALL64_BODY \name, 5, \load
.endm

#endif
