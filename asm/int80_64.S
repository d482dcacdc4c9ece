/* SPDX-License-Identifier: MIT */
/*
 * int80_64.S: the legacy `int $0x80` gate used from a 64-bit process.
 *
 * Instruction:  int $0x80 with the i386 calling convention: number in EAX
 *               (i386 numbers: getppid is 64, not 110), arguments in EBX,
 *               ECX, EDX, ESI, EDI, EBP, all cut to 32 bits. A pointer above
 *               4 GiB (any stack address of a 64-bit process) cannot be
 *               passed, so only argument-less calls are measured here.
 * Kernel entry: entry_INT80_compat (arch/x86/entry/entry_64_compat.S), then
 *               do_int80_syscall_32(); returns with IRET.
 * Clobbers:     RAX. R8-R11 are preserved since Linux 4.17 but were zeroed
 *               before, so this kernel keeps nothing in them. The loop counter
 *               lives in R12 (EBX carries argument 1); R12 and RBX are
 *               callee-saved and restored before returning.
 * Works:        only when the kernel has 32-bit emulation
 *               (CONFIG_IA32_EMULATION and, since 6.7, ia32_emulation not
 *               turned off). Without it the gate is not installed and the
 *               instruction raises a general-protection fault: SIGSEGV. The
 *               harness runs it first in a forked child to find out.
 */
#include "kernel.h"
#include "sysnr.h"

.macro INT80_64_KERNEL name, nr
KERNEL_BEGIN \name
	push	%r12
	push	%rbx
	xor	%eax, %eax
	mov	%rdi, %r12
	shr	$UNROLL_SHIFT, %r12
	jz	2f
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
1:
	.rept UNROLL
	mov	$\nr, %eax
	int	$0x80
	.endr
	dec	%r12
	jnz	1b
	movslq	%eax, %rax		/* the gate returns a 32-bit value */
2:
	pop	%rbx
	pop	%r12
	ret
KERNEL_END \name
.endm

INT80_64_KERNEL k_int80_64_getppid, NR32_GETPPID
INT80_64_KERNEL k_int80_64_enosys,  NR_ENOSYS

	.section .note.GNU-stack, "", @progbits
