/* SPDX-License-Identifier: MIT */
/*
 * guard.h: a fault in one benchmark's kernel costs that row, not the run.
 *
 * Every call into a kernel after its probe (sizing N, timing, counting)
 * runs through guard_call: SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP and
 * SIGSYS raised by the kernel (si_code > 0: a fault, or a signal the kernel
 * or a tracer such as strace's inject= delivers) while it runs jump back
 * out of it (sigsetjmp/siglongjmp, the handler on an alternate stack, as
 * the kernel's x86 selftests do), and the caller marks the row an error
 * naming the signal. The same signal sent with kill() (si_code <= 0), or
 * one outside guard_call, goes to whatever handled it before (tune's
 * restore-then-die), so `kill -SEGV` still ends the run. Like probe.c, one
 * of the two modules that install signal handlers.
 */
#ifndef SCB_GUARD_H
#define SCB_GUARD_H

typedef void (*guard_fn)(void *arg);

/* fn(arg) under the handlers (installed on the first call): 0 when it
 * returned, else the signal that stopped it where it was. */
int guard_call(guard_fn fn, void *arg);

/* "SIGSEGV" for SIGSEGV: the name a person greps for. */
const char *guard_signal_name(int sig);

#endif
