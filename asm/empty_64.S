/* SPDX-License-Identifier: MIT */
/*
 * empty_64.S: the floor. The same loop as syscall_64.S with the `syscall`
 * left out: UNROLL loads of the number and one dec/jnz per UNROLL "calls".
 * After differencing it should cost a fraction of a nanosecond per call; if
 * it doesn't, the timer or the differencing is broken, not the kernel.
 *
 * Instruction:  none. Kernel entry: none. Clobbers: RAX, R9. Works: always.
 */
#include "kernel.h"

KERNEL_BEGIN k_empty_64
	xor	%eax, %eax
	mov	%rdi, %r9
	shr	$UNROLL_SHIFT, %r9
	jz	2f
1:
	.rept UNROLL
	mov	$0, %eax
	.endr
	dec	%r9
	jnz	1b
2:
	ret
KERNEL_END k_empty_64

	.section .note.GNU-stack, "", @progbits
