/* SPDX-License-Identifier: MIT */
/*
 * slow_64.S: a test-only kernel that does measurably more kernel work than
 * it claims, so that `scbench compare` can be shown a real slowdown.
 * Linked only into build/tests/scbench-slow-P* (never into scbench), where it
 * replaces x86_64/syscall/enosys by the linker, not by the registry: the
 * test builds link with -Wl,--wrap=k_syscall_64_enosys, so the registry's
 * reference to that kernel resolves to __wrap_k_syscall_64_enosys, this
 * file's, and nothing of the production tree knows a test build exists
 * (mk/test.mk). Every SLOW_PERIOD-th group of 8 ENOSYS
 * calls starts with SLOW_EXTRA (default 1) extra getppid calls. With an
 * ENOSYS call costing ~0.94 of a getppid, P=1 adds ~13% per call, P=2
 * ~6.6%, P=4 ~3.3%; P=1 with 3 extra ~40%.
 *
 * Instruction: syscall. Clobbers: RAX, RCX, R11, R8, R9. RBX (group
 * counter) is saved. The last call is an ENOSYS, so the result checks pass.
 *
 * With SLOW_NOP defined it is instead the real enosys kernel plus exactly
 * one nop per call: one added instruction, for the icount gate's test
 * (build/vm/scbench-nop).
 */
#include "../../asm/kernel.h"
#include "../../asm/sysnr.h"

#ifndef SLOW_PERIOD
#define SLOW_PERIOD 1
#endif
#ifndef SLOW_EXTRA
#define SLOW_EXTRA 1
#endif

#ifdef SLOW_NOP
KERNEL_BEGIN __wrap_k_syscall_64_enosys
	mov	%rdi, %r9
	shr	$UNROLL_SHIFT, %r9
	jz	2f
1:
	.rept UNROLL
	nop
	mov	$NR_ENOSYS, %eax
	syscall
	.endr
	dec	%r9
	jnz	1b
2:
	ret
KERNEL_END __wrap_k_syscall_64_enosys
#else
KERNEL_BEGIN __wrap_k_syscall_64_enosys
	push	%rbx
	xor	%eax, %eax
	xor	%ebx, %ebx
	mov	%rdi, %r9
	shr	$UNROLL_SHIFT, %r9
	jz	2f
1:
	test	%rbx, %rbx
	jnz	3f
	.rept SLOW_EXTRA
	mov	$NR64_GETPPID, %eax
	syscall
	.endr
3:
	inc	%rbx
	cmp	$SLOW_PERIOD, %rbx
	jb	4f
	xor	%ebx, %ebx
4:
	.rept UNROLL
	mov	$NR_ENOSYS, %eax
	syscall
	.endr
	dec	%r9
	jnz	1b
2:
	pop	%rbx
	ret
KERNEL_END __wrap_k_syscall_64_enosys
#endif

	.section .note.GNU-stack, "", @progbits
