/* SPDX-License-Identifier: MIT */
/*
 * The frame every i386 kernel except the empty one shares, so each file
 * shows only its mechanism.
 *
 *   KERNEL32_ENTER   saves EBP, EBX, ESI, EDI (callee-saved in the i386
 *                    ABI: every kernel here uses some of them), loads
 *                    ESI = calls / UNROLL (the loop counter) and
 *                    EDI = struct kargs *, zeroes EAX, and jumps to the
 *                    exit when there is nothing to do.
 *   KERNEL32_LEAVE   the exit (local label 2): restores the four and returns
 *                    EAX, the last call's result.
 *
 * Between them a kernel loops with `1: ... dec %esi; jnz 1b`. The kernel
 * may use EBX and EBP freely; it must leave ESI and EDI alone.
 */
#ifndef SCB_FRAME_32_H
#define SCB_FRAME_32_H

.macro KERNEL32_ENTER
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	mov	20(%esp), %esi		/* calls */
	mov	24(%esp), %edi		/* struct kargs * */
	xor	%eax, %eax
	shr	$UNROLL_SHIFT, %esi
	jz	2f
.endm

.macro KERNEL32_LEAVE
2:
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret
.endm

#endif
