/* SPDX-License-Identifier: MIT */
/*
 * libc_64.S: the C library's wrappers, for reference: what an ordinary
 * program pays, wrapper included.
 *
 * Instruction:  call into glibc: getppid() (its inline `syscall`) or
 *               syscall(SYS_getppid) (the generic wrapper, which shuffles six
 *               arguments first), or clock_gettime() (glibc goes to the vDSO).
 *               The address comes from the GOT, as a PIE program's call would.
 * Kernel entry: as for syscall_64.S or vdso_64.S, plus the wrapper's code.
 * Clobbers:     the SysV caller-saved set (see callptr_64.h).
 * Works:        everywhere. getppid is used, not getpid, because glibc up to
 *               2.24 cached getpid() and never entered the kernel.
 */
#include "kernel.h"
#include "callptr_64.h"

CALL64_KERNEL k_libc_64_getppid,        mov getppid@GOTPCREL(%rip), %r13
CALL64_KERNEL k_libc_64_syscall,        mov syscall@GOTPCREL(%rip), %r13
CALL64_KERNEL k_libc_64_clock_gettime,  mov clock_gettime@GOTPCREL(%rip), %r13

	.section .note.GNU-stack, "", @progbits
