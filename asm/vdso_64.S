/*
 * vdso_64.S: a call into the 64-bit vDSO.
 *
 * Instruction:  call, to a function the kernel maps into every process (the
 *               vDSO, found through AT_SYSINFO_EHDR; harness/vdso.c parses
 *               its ELF symbol table and puts the address in kargs.fn).
 * Kernel entry: none when the vDSO can serve the request in user space
 *               (clock_gettime on a vDSO-capable clock source reads the TSC
 *               and the vvar page; time and getcpu never enter). When it
 *               can't (CLOCK_THREAD_CPUTIME_ID, an unstable or non-vDSO clock
 *               source) the vDSO silently makes the real syscall itself:
 *               the harness counts syscalls to show which happened.
 * Clobbers:     the SysV caller-saved set (see callptr_64.h).
 * Works:        any x86-64 kernel with a vDSO (not booted with vdso=0).
 *
 * One kernel serves __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time
 * and __vdso_getcpu: the registry (bench/benchmarks.def) names the symbol and
 * the arguments.
 */
#include "kernel.h"
#include "callptr_64.h"

CALL64_KERNEL k_vdso_64, mov KA_FN(%rbx), %r13

	.section .note.GNU-stack, "", @progbits
