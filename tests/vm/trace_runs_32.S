/* SPDX-License-Identifier: MIT */
/*
 * trace_runs_32.S: the i386 marked runs of the trace guest (trace32.c).
 * As trace_runs_64.S: straight lines of exactly 16 or 32 calls between the
 * global labels scbt_ROW_N_begin and scbt_ROW_N_end.
 *
 * Every call is the loop body of the scbench kernel of that row, the same
 * instructions with the same registers:
 *   BODY_INT80     = asm/int80_32.S            (mov $nr, %eax; int $0x80)
 *   BODY_SYSENTER  = asm/sysenter_32.S         (SYSENTER_ONE: the frame
 *                    __kernel_vsyscall builds, push return address, ECX,
 *                    EDX, EBP; mov %esp, %ebp; sysenter; back through the
 *                    vDSO landing pad)
 *   BODY_SYSCALL32 = asm/syscall_32.S          (SYSCALL32_ONE: the same
 *                    frame, mov %ecx, %ebp; syscall; AMD model only)
 *   BODY_VSYSCALL  = asm/kernel_vsyscall_32.S  (mov $nr, %eax;
 *                    call *KA_FN(%edi), KA_FN = AT_SYSINFO)
 *   BODY_VDSO32    = asm/vdso_32.S             (three argument stores to the
 *                    stack from kargs in EDI, call *%ebx)
 * EDI holds struct kargs * as in frame_32.h; ESI holds the tsc pointer
 * here (scbench's loop counter there).
 *
 * long scbt_ROW_N(struct kargs *a, uint64_t tsc[2]), cdecl. Built without
 * PIE: the frames push absolute return addresses.
 */
#include "kernel_c.h"
#include "sysnr.h"

.macro TSC_TO slot
	rdtsc
	mov	%eax, \slot(%esi)
	mov	%edx, \slot+4(%esi)
.endm

.macro SETUP_INT80
	mov	KA_A0(%edi), %ebx
	mov	KA_A1(%edi), %ecx
	mov	KA_A2(%edi), %edx
.endm
.macro SETUP_EBX0
	xor	%ebx, %ebx
.endm
.macro SETUP_SYSCALL32
	xor	%ebx, %ebx
	xor	%ecx, %ecx
.endm
.macro SETUP_VDSO32
	sub	$12, %esp
	mov	KA_FN(%edi), %ebx
.endm
.macro DONE_NONE
.endm
.macro DONE_VDSO32
	add	$12, %esp
.endm

.macro BODY_INT80 nr
	mov	$\nr, %eax
	int	$0x80
.endm
.macro BODY_SYSENTER nr
	mov	$\nr, %eax
	push	$.Lret\@
	push	%ecx
	push	%edx
	push	%ebp
	mov	%esp, %ebp
	sysenter
.Lret\@:
.endm
.macro BODY_SYSCALL32 nr
	mov	$\nr, %eax
	push	$.Lret\@
	push	%ecx
	push	%edx
	push	%ebp
	mov	%ecx, %ebp
	syscall
.Lret\@:
.endm
.macro BODY_VSYSCALL nr
	mov	$\nr, %eax
	call	*KA_FN(%edi)
.endm
.macro BODY_VDSO32 unused
	mov	KA_A0(%edi), %eax
	mov	%eax, 0(%esp)
	mov	KA_A1(%edi), %eax
	mov	%eax, 4(%esp)
	mov	KA_A2(%edi), %eax
	mov	%eax, 8(%esp)
	call	*%ebx
.endm

.macro RUN name, n, setup, body, nr, done
	.text
	.globl	scbt_\name\()_\n
	.type	scbt_\name\()_\n, @function
	.p2align 5
scbt_\name\()_\n:
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	mov	20(%esp), %edi		/* struct kargs * */
	mov	24(%esp), %esi		/* tsc[2] */
	TSC_TO	0
	\setup
	.globl	scbt_\name\()_\n\()_begin
scbt_\name\()_\n\()_begin:
	.rept	\n
	\body	\nr
	.endr
	.globl	scbt_\name\()_\n\()_end
scbt_\name\()_\n\()_end:
	\done
	push	%eax
	TSC_TO	8
	pop	%eax
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret
	.size	scbt_\name\()_\n, . - scbt_\name\()_\n
.endm

.macro ROW name, setup, body, nr=0, done=DONE_NONE
	RUN	\name, 16, \setup, \body, \nr, \done
	RUN	\name, 32, \setup, \body, \nr, \done
.endm

ROW i386_int80_getppid,		SETUP_INT80,     BODY_INT80,     NR32_GETPPID
ROW i386_int80_enosys,		SETUP_INT80,     BODY_INT80,     NR_ENOSYS
ROW i386_sysenter_getppid,	SETUP_EBX0,      BODY_SYSENTER,  NR32_GETPPID
ROW i386_syscall_getppid,	SETUP_SYSCALL32, BODY_SYSCALL32, NR32_GETPPID
ROW i386_kernel_vsyscall_getppid, SETUP_EBX0,    BODY_VSYSCALL,  NR32_GETPPID
ROW i386_kernel_vsyscall_enosys, SETUP_EBX0,     BODY_VSYSCALL,  NR_ENOSYS
ROW i386_vdso_clock_gettime,	SETUP_VDSO32,    BODY_VDSO32,    0, DONE_VDSO32
/* the profile's own rows (scripts/vm/vm-profile.sh; trace32.c runs them only there) */
ROW i386_int80_clock_gettime,	SETUP_INT80,     BODY_INT80,     NR32_CLOCK_GETTIME
ROW i386_vdso_clock_gettime64,	SETUP_VDSO32,    BODY_VDSO32,    0, DONE_VDSO32
ROW i386_vdso_gettimeofday,	SETUP_VDSO32,    BODY_VDSO32,    0, DONE_VDSO32
ROW i386_vdso_time,		SETUP_VDSO32,    BODY_VDSO32,    0, DONE_VDSO32

	.section .note.GNU-stack, "", @progbits
