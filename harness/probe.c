/* SPDX-License-Identifier: MIT */
/* probe.c: see probe.h. */
#define _GNU_SOURCE
#include "probe.h"
#include "guard.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* A probe that has not returned in this time is hung, not slow: one round
 * of the slowest mechanism takes microseconds. */
#define PROBE_TIMEOUT_S 10

/* What the child sends back through the pipe. */
struct probe_msg {
	int kind;			/* 0: ran; 1: fault */
	int sig, code;
	uintptr_t addr;
	long ret;
	int verified;			/* registry_verify() == 0 */
	char why[200];
};

static int report_fd = -1;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	struct probe_msg msg = { .kind = 1, .sig = sig, .code = si->si_code,
				 .addr = (uintptr_t)si->si_addr };
	(void)uc;
	/* write() and _exit() are async-signal-safe; nothing else is used. */
	if (write(report_fd, &msg, sizeof(msg)) < 0)
		_exit(4);
	_exit(3);
}

static void child_run(const struct bench *b, struct kargs *a, int fd)
{
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_ONSTACK };
	static const int sigs[] = { SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP, SIGSYS };
	struct probe_msg msg = { .kind = 0 };

	report_fd = fd;
	sigaltstack(&ss, NULL);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	alarm(PROBE_TIMEOUT_S);
	msg.verified = registry_verify(b, a, KERNEL_UNROLL, &msg.ret, msg.why, sizeof(msg.why)) == 0;
	if (write(fd, &msg, sizeof(msg)) < 0)
		_exit(4);
	_exit(0);
}

/* Whether this kernel was built without 32-bit emulation at all, as far as
 * its config file (if installed) says. */
static int kernel_lacks_ia32_config(void)
{
	struct utsname u;
	char path[300], line[256];
	FILE *f;
	int lacks = 0;

	if (uname(&u))
		return 0;
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "# CONFIG_IA32_EMULATION is not set"))
			lacks = 1;
	fclose(f);
	return lacks;
}

void probe_explain_no_ia32(const char *what, char *why, size_t len)
{
	if (kernel_lacks_ia32_config())
		snprintf(why, len, "%s: this kernel is built without 32-bit emulation "
			 "(CONFIG_IA32_EMULATION is not set)", what);
	else
		snprintf(why, len, "%s: 32-bit emulation is disabled in this kernel "
			 "(boot with ia32_emulation=on)", what);
}

static void explain_fault(const struct bench *b, const struct machine *m,
			  const struct probe_msg *msg, enum bench_status *st,
			  char *why, size_t len)
{
	*st = STATUS_UNSUPPORTED;
	if (b->needs == NEEDS_IA32 && msg->sig == SIGSEGV) {
		probe_explain_no_ia32("int $0x80", why, len);
		return;
	}
	if (b->needs == NEEDS_VSYSCALL && msg->sig == SIGSEGV) {
		snprintf(why, len, "calling the vsyscall page faulted (vsyscall=%s, SIGSEGV at %#lx)",
			 machine_vsyscall_name(m->vsyscall), (unsigned long)msg->addr);
		return;
	}
	if (msg->sig == SIGILL) {
		snprintf(why, len, "%s: illegal instruction on this CPU (%s)",
			 b->mechanism, m->vendor);
		return;
	}
	*st = STATUS_ERROR;
	snprintf(why, len, "%s (%s, si_code %d, address %#lx) on the first call",
		 guard_signal_name(msg->sig), strsignal(msg->sig), msg->code, (unsigned long)msg->addr);
}

struct prep {
	const struct bench *b;
	const struct machine *m;
	struct kargs *a;
	char *why;
	size_t len;
	int rc;
};

static void prepare(void *p)
{
	struct prep *pr = p;

	pr->rc = registry_prepare(pr->b, pr->m, pr->a, pr->why, pr->len);
}

enum bench_status probe_bench(const struct bench *b, const struct machine *m,
			      struct kargs *a, char *why, size_t len)
{
	struct probe_msg msg;
	enum bench_status st;
	int fds[2], wstatus = 0;
	ssize_t got = 0, n;
	pid_t pid;

	/* preparing makes system calls of its own (x32's probe is one): a
	 * fault there is this row's too */
	struct prep pr = { b, m, a, why, len, 0 };
	int sig = guard_call(prepare, &pr);
	if (sig) {
		snprintf(why, len, "%s while preparing the row", guard_signal_name(sig));
		return STATUS_ERROR;
	}
	if (pr.rc)
		return STATUS_UNSUPPORTED;
	if (pipe2(fds, O_CLOEXEC)) {
		snprintf(why, len, "probe: pipe: %s", strerror(errno));
		return STATUS_ERROR;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "probe: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return STATUS_ERROR;
	}
	if (pid == 0) {
		close(fds[0]);
		child_run(b, a, fds[1]);
	}
	close(fds[1]);
	while (got < (ssize_t)sizeof(msg) &&
	       ((n = read(fds[0], (char *)&msg + got, sizeof(msg) - (size_t)got)) > 0 ||
		(n < 0 && errno == EINTR)))
		if (n > 0)
			got += n;
	close(fds[0]);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;

	if (got == (ssize_t)sizeof(msg) && msg.kind == 1) {
		explain_fault(b, m, &msg, &st, why, len);
		return st;
	}
	if (got == (ssize_t)sizeof(msg) && msg.kind == 0) {
		if (msg.verified)
			return STATUS_OK;
		snprintf(why, len, "wrong result: %s", msg.why);
		return STATUS_ERROR;
	}
	if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGALRM)
		snprintf(why, len, "the first call did not return within %d s", PROBE_TIMEOUT_S);
	else if (WIFSIGNALED(wstatus))
		snprintf(why, len, "probe child killed by %s", guard_signal_name(WTERMSIG(wstatus)));
	else
		snprintf(why, len, "probe child exited with status %d and no report",
			 WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
	return STATUS_ERROR;
}

const char *probe_status_name(enum bench_status s)
{
	switch (s) {
	case STATUS_OK:          return "ok";
	case STATUS_UNSUPPORTED: return "unsupported";
	case STATUS_NOISY:       return "noisy";
	default:                 return "error";
	}
}

enum bench_status probe_status_of(const char *name)
{
	return !strcmp(name, "ok") ? STATUS_OK : !strcmp(name, "unsupported") ? STATUS_UNSUPPORTED :
	       !strcmp(name, "noisy") ? STATUS_NOISY : STATUS_ERROR;
}

void probe_ia32_emulation(const struct machine *m, char *buf, size_t len)
{
	char why[256];
	struct kargs a;

#ifndef __x86_64__
	(void)m;
	(void)why;
	(void)a;
	snprintf(buf, len, "enabled (this is an i386 process)");
	return;
#endif
	for (size_t i = 0; i < registry_count; i++) {
		const struct bench *b = &registry[i];
		if (b->needs != NEEDS_IA32 || !registry_native(b))
			continue;
		if (probe_bench(b, m, &a, why, sizeof(why)) == STATUS_OK)
			snprintf(buf, len, "enabled");
		else
			snprintf(buf, len, "disabled: %s", why);
		return;
	}
	snprintf(buf, len, "unknown");
}
