/* SPDX-License-Identifier: MIT */
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

/*
 * k_vdso_64_getrandom: __vdso_getrandom(buffer, len, flags, opaque_state,
 * opaque_len) (Linux 6.11+, lib/vdso/getrandom.c): five arguments, so A3 goes
 * to RCX and the opaque state's length, kept in the first 8 bytes of
 * kargs.buf, to R8. Fills the buffer from a per-state ChaCha20 key without
 * entering the kernel, until the kernel's generation counter says reseed.
 * (callptr_64.h's loop with five arguments.)
 */
CALL64_KERNEL5 k_vdso_64_getrandom, mov KA_FN(%rbx), %r13

	.section .note.GNU-stack, "", @progbits
