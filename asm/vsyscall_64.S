/* SPDX-License-Identifier: MIT */
/*
 * vsyscall_64.S: the legacy vsyscall page, the vDSO's fixed-address ancestor.
 *
 * Instruction:  call to a fixed address in the page at 0xffffffffff600000:
 *               +0x000 gettimeofday, +0x400 time, +0x800 getcpu.
 * Kernel entry: the page is never executed. A call there takes a page fault
 *               (instruction fetch from a non-executable or absent page) and
 *               the fault handler emulates the call (emulate_vsyscall() in
 *               arch/x86/entry/vsyscall/vsyscall_64.c): it runs the syscall
 *               function directly and fakes a `ret`. So every call costs a
 *               fault, not a syscall entry.
 * Clobbers:     the SysV caller-saved set (see callptr_64.h).
 * Works:        vsyscall=emulate or vsyscall=xonly (the default since 5.3;
 *               the page is then execute-only and only the fault handler can
 *               "run" it). With vsyscall=none the page is not mapped and the
 *               call is SIGSEGV; the harness reads the mode from the
 *               [vsyscall] line of /proc/self/maps before running anything.
 */
#include "kernel.h"
#include "callptr_64.h"

#define VSYSCALL_BASE 0xffffffffff600000

CALL64_KERNEL k_vsyscall_64_gettimeofday, mov $(VSYSCALL_BASE + 0x000), %r13
CALL64_KERNEL k_vsyscall_64_time,         mov $(VSYSCALL_BASE + 0x400), %r13
CALL64_KERNEL k_vsyscall_64_getcpu,       mov $(VSYSCALL_BASE + 0x800), %r13

	.section .note.GNU-stack, "", @progbits
