/* SPDX-License-Identifier: MIT */
/*
 * empty_32.S: the i386 floor: the loop of int80_32.S without the gate.
 * Instruction: none. Kernel entry: none. Clobbers: EAX, ECX. Works: always.
 */
#include "kernel.h"

KERNEL_BEGIN k_empty_32
	mov	4(%esp), %ecx		/* calls */
	xor	%eax, %eax
	shr	$UNROLL_SHIFT, %ecx
	jz	2f
1:
	.rept UNROLL
	mov	$0, %eax
	.endr
	dec	%ecx
	jnz	1b
2:
	ret
KERNEL_END k_empty_32

	.section .note.GNU-stack, "", @progbits
