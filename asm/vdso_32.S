/* SPDX-License-Identifier: MIT */
/*
 * vdso_32.S: a call into the 32-bit vDSO from an i386 process.
 *
 * Instruction:  call, cdecl: arguments on the stack, the vDSO function's
 *               address in kargs.fn (found by harness/vdso.c in the ELF32
 *               image at AT_SYSINFO_EHDR). Symbols: __vdso_clock_gettime
 *               (32-bit time_t timespec), __vdso_clock_gettime64 (64-bit
 *               timespec, the y2038-safe one glibc now prefers),
 *               __vdso_gettimeofday, __vdso_time.
 * Kernel entry: none when the clock source is readable from user space;
 *               otherwise the vDSO makes the real syscall itself, through
 *               int $0x80 (the 32-bit vDSO's fallback), which the harness's
 *               syscall count reveals.
 * Clobbers:     EAX, ECX, EDX (cdecl caller-saved), flags. EBX (the
 *               target), ESI, EDI, EBP are saved here (frame_32.h); the
 *               callee may overwrite its argument slots, so they are
 *               rewritten before every call.
 * Works:        any i386 process with a vDSO.
 * Stack:        after four pushes and 12 bytes of argument space, ESP is
 *               16-byte aligned at each call, as the i386 psABI now asks.
 */
#include "kernel.h"
#include "frame_32.h"

KERNEL_BEGIN k_vdso_32
	KERNEL32_ENTER			/* (the early exit skips the sub and the add) */
	sub	$12, %esp
	mov	KA_FN(%edi), %ebx
1:
	.rept UNROLL
	mov	KA_A0(%edi), %eax
	mov	%eax, 0(%esp)
	mov	KA_A1(%edi), %eax
	mov	%eax, 4(%esp)
	mov	KA_A2(%edi), %eax
	mov	%eax, 8(%esp)
	call	*%ebx
	.endr
	dec	%esi
	jnz	1b
	add	$12, %esp
	KERNEL32_LEAVE
KERNEL_END k_vdso_32

	.section .note.GNU-stack, "", @progbits
