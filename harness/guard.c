/* SPDX-License-Identifier: MIT */
/* guard.c: see guard.h. */
#define _GNU_SOURCE
#include "guard.h"

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const int guarded[] = { SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP, SIGSYS };
#define NGUARDED (sizeof(guarded) / sizeof(guarded[0]))

static struct sigaction before[NGUARDED];	/* what handled them before us */
static sigjmp_buf *volatile active;		/* set only inside guard_call */
static int installed;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (active && si->si_code > 0)
		siglongjmp(*active, sig);
	/* Not a row's fault: hand it to the previous disposition. A kill()ed
	 * signal is raised again (delivered once this handler returns); a
	 * real fault outside guard_call recurs when its instruction does. */
	for (size_t i = 0; i < NGUARDED; i++)
		if (guarded[i] == sig)
			sigaction(sig, &before[i], NULL);
	if (si->si_code <= 0)
		raise(sig);
}

static void install(void)
{
	/* a fault from a broken stack pointer still gets a stack to run on */
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_ONSTACK };

	sigaltstack(&ss, NULL);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NGUARDED; i++)
		sigaction(guarded[i], &sa, &before[i]);
	installed = 1;
}

int guard_call(guard_fn fn, void *arg)
{
	sigjmp_buf env;
	int sig;

	if (!installed)
		install();
	/* savemask 0: no sigprocmask syscall per call (this runs once per
	 * sample); the one path that needs the mask put right does it */
	if ((sig = sigsetjmp(env, 0)) != 0) {
		sigset_t s;
		active = NULL;
		sigemptyset(&s);
		sigaddset(&s, sig);
		sigprocmask(SIG_UNBLOCK, &s, NULL);
		return sig;
	}
	active = &env;
	fn(arg);
	active = NULL;
	return 0;
}

const char *guard_signal_name(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{ SIGSEGV, "SIGSEGV" }, { SIGILL, "SIGILL" }, { SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
		{ SIGTRAP, "SIGTRAP" }, { SIGSYS, "SIGSYS" }, { SIGABRT, "SIGABRT" }, { SIGALRM, "SIGALRM" },
		{ SIGKILL, "SIGKILL" }, { SIGTERM, "SIGTERM" }, { SIGINT, "SIGINT" }, { SIGHUP, "SIGHUP" },
		{ SIGQUIT, "SIGQUIT" }, { SIGPIPE, "SIGPIPE" }, { SIGUSR1, "SIGUSR1" }, { SIGUSR2, "SIGUSR2" },
		{ SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
	};
	static char other[32];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			return names[i].name;
	snprintf(other, sizeof(other), "signal %d", sig);
	return other;
}
