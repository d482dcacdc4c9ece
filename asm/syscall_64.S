/* SPDX-License-Identifier: MIT */
/*
 * syscall_64.S: the `syscall` instruction from a 64-bit process.
 *
 * Instruction:  syscall, number in RAX, arguments in RDI, RSI, RDX, R10.
 * Kernel entry: entry_SYSCALL_64 (arch/x86/entry/entry_64.S), then
 *               do_syscall_64(); returns with SYSRET, or IRET when the
 *               fast-return checks fail.
 * Clobbers:     RAX (result), RCX (the CPU saves RIP there), R11 (RFLAGS).
 *               Everything else survives, so the arguments are loaded once,
 *               outside the loop, and only RAX is reloaded per call.
 * Works:        every x86-64 CPU and kernel.
 *
 * Three kernels:
 *   k_syscall_64_getppid        getppid (110): the usual "null" syscall; it
 *                               does almost nothing and glibc never caches it.
 *   k_syscall_64_enosys         an out-of-range number: the kernel rejects it
 *                               with -ENOSYS after the full entry and exit,
 *                               the cheapest possible round trip.
 *   k_syscall_64_clock_gettime  clock_gettime (228) as a real syscall, the
 *                               kernel-side twin of the vDSO call.
 *   k_syscall_64_getrandom      getrandom(buf, len, 0) (318): the kernel-side
 *                               twin of __vdso_getrandom; kargs give buf, len.
 *   k_syscall_64_x32_getppid    getppid with __X32_SYSCALL_BIT set: the x32
 *                               ABI's path through the same entry
 *                               (do_syscall_64 -> do_syscall_x32), -ENOSYS
 *                               where the kernel has no x32 or disables it.
 *                               Made from this 64-bit process: the kernel
 *                               path is the one an x32 process takes.
 */
#include "kernel.h"
#include "sysnr.h"

.macro SYSCALL64_KERNEL name, nr
KERNEL_BEGIN \name
	xor	%eax, %eax
	mov	%rdi, %r9
	shr	$UNROLL_SHIFT, %r9
	jz	2f
	mov	%rsi, %r8		/* r8, r9 survive syscall */
	mov	KA_A0(%r8), %rdi
	mov	KA_A1(%r8), %rsi
	mov	KA_A2(%r8), %rdx
	mov	KA_A3(%r8), %r10
1:
	.rept UNROLL
	mov	$\nr, %eax
	syscall
	.endr
	dec	%r9
	jnz	1b
2:
	ret
KERNEL_END \name
.endm

SYSCALL64_KERNEL k_syscall_64_getppid,       NR64_GETPPID
SYSCALL64_KERNEL k_syscall_64_enosys,        NR_ENOSYS
SYSCALL64_KERNEL k_syscall_64_clock_gettime, NR64_CLOCK_GETTIME
SYSCALL64_KERNEL k_syscall_64_getrandom,     NR64_GETRANDOM
SYSCALL64_KERNEL k_syscall_64_x32_getppid,   NRX32_GETPPID

	.section .note.GNU-stack, "", @progbits
