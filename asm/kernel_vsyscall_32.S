/* SPDX-License-Identifier: MIT */
/*
 * kernel_vsyscall_32.S: `call *AT_SYSINFO`, the system call an i386 glibc
 * program makes (glibc: call *%gs:0x10, a copy of AT_SYSINFO).
 *
 * Instruction:  call to __kernel_vsyscall in the 32-bit vDSO, whose address
 *               the kernel passes in the auxiliary vector (AT_SYSINFO; the
 *               harness puts it in kargs.fn). The kernel patches the stub at
 *               boot (alternatives) to the best instruction for the CPU:
 *               sysenter on Intel-like CPUs, syscall on AMD-like ones, with
 *               int $0x80 as the fallback. The harness reads the patched
 *               bytes and names the instruction in the row's detail column.
 * Kernel entry: that of the instruction chosen (see sysenter_32.S,
 *               syscall_32.S, int80_32.S).
 * Clobbers:     EAX only: the stub saves and restores ECX, EDX and EBP.
 *               ESI (loop counter) and EDI (argument block) are callee-saved.
 * Works:        every i386 process on a kernel with 32-bit emulation. The
 *               kernel's own advice (vdso32/system_call.S) is to use this
 *               rather than a raw sysenter.
 */
#include "kernel.h"
#include "frame_32.h"
#include "sysnr.h"

.macro KERNEL_VSYSCALL_32_KERNEL name, nr
KERNEL_BEGIN \name
	KERNEL32_ENTER			/* EDI: struct kargs *, kargs.fn = AT_SYSINFO */
	xor	%ebx, %ebx
1:
	.rept UNROLL
	mov	$\nr, %eax
	call	*KA_FN(%edi)
	.endr
	dec	%esi
	jnz	1b
	KERNEL32_LEAVE
KERNEL_END \name
.endm

KERNEL_VSYSCALL_32_KERNEL k_kernel_vsyscall_32_getppid, NR32_GETPPID
KERNEL_VSYSCALL_32_KERNEL k_kernel_vsyscall_32_enosys,  NR_ENOSYS

	.section .note.GNU-stack, "", @progbits
