/* SPDX-License-Identifier: MIT */
/*
 * sysenter_32.S: the `sysenter` instruction issued directly from i386 code,
 * bypassing __kernel_vsyscall but building exactly the frame it builds.
 *
 * Instruction:  sysenter. The CPU loads the kernel's stack and entry point
 *               from MSRs and forgets the caller's EIP and ESP, so the
 *               convention (arch/x86/entry/vdso/vdso32/system_call.S) is:
 *                 push return address; push ECX; push EDX; push EBP;
 *                 mov %esp, %ebp; sysenter
 *               The kernel takes the user stack from EBP, reloads EBP from
 *               (%esp), and always returns to the vDSO's landing pad
 *               (int80_landing_pad), which does pop EBP; pop EDX; pop ECX;
 *               ret: back to the pushed return address, here the next
 *               instruction. So this needs the vDSO mapped, as every i386
 *               process has it.
 * Kernel entry: entry_SYSENTER_compat (entry_64_compat.S), then
 *               do_SYSENTER_32() / do_fast_syscall_32(); returns with
 *               SYSRETL, or IRET when the fast path can't be used.
 * Clobbers:     EAX (result); ECX, EDX, EBP come back from the pushed copies.
 *               ESI (loop counter), EBX, EDI, EBP saved and restored.
 * Works:        Intel, Centaur and Zhaoxin CPUs. On AMD and Hygon sysenter
 *               raises #UD in compat mode (SIGILL); the harness decides that
 *               from CPUID before running this.
 * Built without PIE: the pushed return address is an absolute address.
 */
#include "kernel.h"
#include "frame_32.h"
#include "sysnr.h"

.macro SYSENTER_ONE nr
	mov	$\nr, %eax
	push	$.Lret\@
	push	%ecx
	push	%edx
	push	%ebp
	mov	%esp, %ebp
	sysenter
.Lret\@:
.endm

.macro SYSENTER_32_KERNEL name, nr
KERNEL_BEGIN \name
	KERNEL32_ENTER
	xor	%ebx, %ebx
1:
	.rept UNROLL
	SYSENTER_ONE \nr
	.endr
	dec	%esi
	jnz	1b
	KERNEL32_LEAVE
KERNEL_END \name
.endm

SYSENTER_32_KERNEL k_sysenter_32_getppid, NR32_GETPPID

	.section .note.GNU-stack, "", @progbits
