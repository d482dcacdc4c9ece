/* SPDX-License-Identifier: MIT */
/*
 * syscall_32.S: the `syscall` instruction issued from i386 (compat-mode)
 * code: AMD's fast system call, which Intel CPUs do not allow there.
 *
 * Instruction:  syscall. It saves EIP in ECX, so argument 2 cannot travel
 *               in ECX: the convention (vdso32/system_call.S) is
 *                 push return address; push ECX; push EDX; push EBP;
 *                 mov %ecx, %ebp; syscall
 *               The kernel reads argument 2 from EBP, reloads EBP from
 *               (%esp), and returns to the vDSO landing pad (pop EBP; pop
 *               EDX; pop ECX; ret), as for sysenter.
 * Kernel entry: entry_SYSCALL_compat (entry_64_compat.S), then
 *               do_fast_syscall_32(); returns with SYSRETL.
 * Clobbers:     EAX (result); ECX, EDX, EBP restored by the landing pad.
 *               ESI (loop counter), EBX, EDI, EBP saved and restored.
 * Works:        AMD and Hygon CPUs only. On Intel it raises #UD (SIGILL);
 *               the harness decides from CPUID and never runs it there
 *               (QEMU 7.2 under TCG even panics an Intel-model guest).
 * Built without PIE: the pushed return address is an absolute address.
 */
#include "kernel.h"
#include "frame_32.h"
#include "sysnr.h"

.macro SYSCALL32_ONE nr
	mov	$\nr, %eax
	push	$.Lret\@
	push	%ecx
	push	%edx
	push	%ebp
	mov	%ecx, %ebp
	syscall
.Lret\@:
.endm

.macro SYSCALL_32_KERNEL name, nr
KERNEL_BEGIN \name
	KERNEL32_ENTER
	xor	%ebx, %ebx
	xor	%ecx, %ecx
1:
	.rept UNROLL
	SYSCALL32_ONE \nr
	.endr
	dec	%esi
	jnz	1b
	KERNEL32_LEAVE
KERNEL_END \name
.endm

SYSCALL_32_KERNEL k_syscall_32_getppid, NR32_GETPPID

	.section .note.GNU-stack, "", @progbits
