/* SPDX-License-Identifier: MIT */
/*
 * int80_32.S: the legacy `int $0x80` gate from an i386 process, the way
 * Linux system calls were made before 2.5 and still are by static binaries
 * and hand-written assembly.
 *
 * Instruction:  int $0x80; number in EAX (i386 table: getppid 64,
 *               clock_gettime 265 with a 32-bit timespec), arguments in EBX,
 *               ECX, EDX, ESI, EDI, EBP.
 * Kernel entry: entry_INT80_compat on a 64-bit kernel (entry_INT80_32 on a
 *               32-bit one), do_int80_syscall_32(); returns with IRET.
 * Clobbers:     EAX only. ESI (loop counter) and EDI (argument block) are
 *               callee-saved and restored, with EBX and EBP.
 * Works:        every x86 CPU, when the kernel runs i386 programs at all
 *               (32-bit emulation on a 64-bit kernel).
 */
#include "kernel.h"
#include "frame_32.h"
#include "frame_32.h"
#include "sysnr.h"

.macro INT80_32_KERNEL name, nr
KERNEL_BEGIN \name
	KERNEL32_ENTER
	mov	KA_A0(%edi), %ebx
	mov	KA_A1(%edi), %ecx
	mov	KA_A2(%edi), %edx
1:
	.rept UNROLL
	mov	$\nr, %eax
	int	$0x80
	.endr
	dec	%esi
	jnz	1b
	KERNEL32_LEAVE
KERNEL_END \name
.endm

INT80_32_KERNEL k_int80_32_getppid,       NR32_GETPPID
INT80_32_KERNEL k_int80_32_enosys,        NR_ENOSYS
INT80_32_KERNEL k_int80_32_clock_gettime, NR32_CLOCK_GETTIME

	.section .note.GNU-stack, "", @progbits
