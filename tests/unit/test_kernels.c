/* SPDX-License-Identifier: MIT */
/*
 * test_kernels.c: every kernel in the registry does what it claims.
 *
 *  - It returns the right value (registry_verify, plus independent checks
 *    here for the simplest ones).
 *  - It makes exactly the number of syscalls its registry line claims per
 *    call, counted by the raw_syscalls:sys_enter tracepoint over N and 2N
 *    calls and differenced: the harness's own counting path
 *    (counters_define, measure_count_sample).
 *  - A mechanism the machine lacks is "unsupported" for the right reason,
 *    decided here independently of the harness's probe.
 */
#define _GNU_SOURCE
#include "counters.h"
#include "measure.h"
#include "probe.h"
#include "registry.h"
#include "util.h"
#include "tap.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/utsname.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CALLS (8 * KERNEL_UNROLL)

/* Raw int $0x80 in a child: does this kernel have the gate? 1 yes, 0 no.
 * (An i386 process runs only where it has.) */
static int int80_works(void)
{
#ifndef __x86_64__
	return 1;
#endif
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		long ret;
		signal(SIGSEGV, SIG_DFL);
#ifdef __x86_64__
		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory", "r8", "r9", "r10", "r11");
#else
		ret = 1;
#endif
		_exit(ret > 0 ? 0 : 1);	/* i386 getpid */
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(void)
{
	struct machine m;
	char why[256], name[128], clocksource[64] = "";
	int sc = -1, have_int80, clock_syscalls = -1;
	struct counter_set cs;

	/* pin, so getcpu answers are stable */
	machine_pin(machine_default_cpu());
	machine_probe(&m);
	util_read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		       clocksource, sizeof(clocksource));
	have_int80 = int80_works();
	tap_diag("vendor %s, vsyscall=%s, clocksource %s, int $0x80 %s", m.vendor,
		 machine_vsyscall_name(m.vsyscall), clocksource, have_int80 ? "works" : "faults");

	counters_define(&cs, NULL, why, sizeof(why));
	counters_open_all(&cs);
	counters_enable_all(&cs);
	for (size_t i = 0; i < cs.n; i++)
		if (!strcmp(cs.c[i].column, "syscalls_per_call"))
			sc = (int)i;
	const char *no_count = sc < 0 ? "no syscall counter in the set" : cs.c[sc].fd < 0 ? cs.c[sc].why : NULL;
	if (no_count)
		tap_diag("syscall counting unavailable: %s", no_count);

	for (size_t i = 0; i < registry_count; i++) {
		const struct bench *b = &registry[i];
		struct kargs a;
		if (!registry_native(b))
			continue;	/* the other ABI's test binary checks those */
		enum bench_status st = probe_bench(b, &m, &a, why, sizeof(why));
		registry_name(b, name, sizeof(name));

		if (b->needs == NEEDS_SYSENTER && m.vendor_kind == VENDOR_AMD_LIKE) {
			tap_ok(st == STATUS_UNSUPPORTED && strstr(why, "AMD"),
			       "%s: unsupported on an AMD-like CPU, decided without running it (%s)",
			       name, st == STATUS_OK ? "ok" : why);
			continue;
		}
		if (b->needs == NEEDS_SYSCALL32 && m.vendor_kind == VENDOR_INTEL_LIKE) {
			tap_ok(st == STATUS_UNSUPPORTED && strstr(why, "Intel"),
			       "%s: unsupported on an Intel-like CPU, decided without running it (%s)",
			       name, st == STATUS_OK ? "ok" : why);
			continue;
		}
		if (b->needs == NEEDS_IA32 && !have_int80) {
			tap_ok(st == STATUS_UNSUPPORTED && strstr(why, "32-bit emulation"),
			       "%s: unsupported because 32-bit emulation is off (%s)", name,
			       st == STATUS_OK ? "ok" : why);
			continue;
		}
		if (b->needs == NEEDS_VSYSCALL && m.vsyscall == VSYSCALL_NONE) {
			tap_ok(st == STATUS_UNSUPPORTED && strstr(why, "vsyscall=none"),
			       "%s: unsupported under vsyscall=none", name);
			continue;
		}
#ifdef __x86_64__
		/* the newer ways in, decided independently of the harness */
		if (b->needs == NEEDS_X32) {
			errno = 0;
			int x32 = !(syscall(0x40000000 + 110) == -1 && errno == ENOSYS);
			if (!x32) {
				tap_ok(st == STATUS_UNSUPPORTED && strstr(why, "x32"),
				       "%s: unsupported: a raw x32 syscall gives ENOSYS (%s)", name,
				       st == STATUS_OK ? "ok" : why);
				continue;
			}
		}
		if (b->needs == NEEDS_URING) {
			unsigned char params[120] = { 0 };	/* struct io_uring_params */
			long fd = syscall(425 /* io_uring_setup */, 4, params);
			if (fd < 0) {
				tap_ok(st == STATUS_UNSUPPORTED, "%s: unsupported: io_uring_setup fails here (%s; %s)",
				       name, strerror(errno), st == STATUS_OK ? "ok" : why);
				continue;
			}
			close((int)fd);
			if (b->args == ARGS_URING_SQPOLL && sysconf(_SC_NPROCESSORS_ONLN) < 2) {
				tap_ok(st == STATUS_UNSUPPORTED && strstr(why, "CPU"),
				       "%s: unsupported with one CPU: the poller would share it (%s)", name,
				       st == STATUS_OK ? "ok" : why);
				continue;
			}
		}
		if (b->needs == NEEDS_VGETRANDOM) {
			struct utsname u;
			int major = 0, minor = 0;
			uname(&u);
			sscanf(u.release, "%d.%d", &major, &minor);
			if (major < 6 || (major == 6 && minor < 11)) {
				tap_ok(st == STATUS_UNSUPPORTED && strstr(why, "6.11"),
				       "%s: unsupported before Linux 6.11 (this is %s: %s)", name, u.release,
				       st == STATUS_OK ? "ok" : why);
				continue;
			}
		}
#endif
		if (!tap_ok(st == STATUS_OK, "%s: probe ok%s%s", name, st ? ": " : "", st ? why : ""))
			continue;

		if (b->args == ARGS_SYSINFO) {
			char detail[128];
			const char *want = m.vendor_kind == VENDOR_INTEL_LIKE ? "sysenter" :
					   m.vendor_kind == VENDOR_AMD_LIKE ? "syscall" : "";
			registry_detail(b, &a, detail, sizeof(detail));
			tap_ok(strstr(detail, want) != NULL, "%s: %s (expected %s on %s)", name, detail,
			       *want ? want : "anything", m.vendor);
		}

		long ret;
		int verified = registry_verify(b, &a, CALLS, &ret, why, sizeof(why)) == 0;
		tap_ok(verified, "%s: right result after %d calls (returned %ld%s%s)", name, CALLS,
		       ret, verified ? "" : ": ", verified ? "" : why);
		if (b->check == CHECK_GETPPID)
			tap_ok(ret == getppid(), "%s: returns getppid() = %ld", name, ret);
		if (b->check == CHECK_ENOSYS)
			tap_ok(ret == -38, "%s: returns -38 (ENOSYS)", name);
		if (b->check == CHECK_TIMESPEC_MONOTONIC) {
			struct timespec t1, t2, ref;
			b->kernel(KERNEL_UNROLL, &a);
			memcpy(&t1, a.buf, sizeof(t1));
			b->kernel(KERNEL_UNROLL, &a);
			memcpy(&t2, a.buf, sizeof(t2));
			clock_gettime(CLOCK_MONOTONIC, &ref);
			long long d12 = (t2.tv_sec - t1.tv_sec) * 1000000000LL + (t2.tv_nsec - t1.tv_nsec);
			long long dref = (ref.tv_sec - t2.tv_sec) * 1000000000LL + (ref.tv_nsec - t2.tv_nsec);
			tap_ok(d12 >= 0 && dref >= 0 && dref < 10000000,
			       "%s: monotonic (+%lld ns) and within 10 ms of libc (%lld ns)", name, d12, dref);
		}

		if (no_count) {
			tap_skip("%s: syscall count (%s)", name, no_count);
			continue;
		}
		struct measure_item it = { .kernel = b->kernel, .args = &a, .calls = CALLS };
		double counts[COUNTERS_MAX];
		measure_count_sample(&it, &cs, counts);
		long long diff = llround(counts[sc] * CALLS);
		if (b->syscalls == SC_CLOCK) {
			int per = diff == 0 ? 0 : diff == CALLS ? 1 : -1;
			tap_ok(per >= 0, "%s: %lld syscalls per %d calls: exactly 0 or 1 per call "
			       "(0 = served in user space)", name, diff, CALLS);
			/* always a line, so the plan does not move with the clock
			 * source a (guest) boot happened to settle on */
			if (!strcmp(clocksource, "tsc"))
				tap_ok(per == 0, "%s: clocksource tsc is vDSO-capable: no syscall", name);
			else
				tap_skip("%s: clocksource %s, not tsc: the vDSO may fall back", name, clocksource);
			if (per >= 0 && clock_syscalls >= 0 && !strcmp(b->mechanism, "vdso"))
				tap_ok(per == clock_syscalls, "%s: same clock path as the other vDSO clock calls",
				       name);
			if (!strcmp(b->mechanism, "vdso") && per >= 0)
				clock_syscalls = per;
		} else if (b->syscalls == SC_PER_BATCH) {
			/* io_uring: one io_uring_enter per batch of a0 operations,
			 * none when a kernel thread polls the ring (a1: SQPOLL) */
			long long want = a.a1 ? 0 : CALLS / a.a0;
			tap_ok(diff == want, "%s: exactly %lld syscalls per %d operations (%s; counted %lld)",
			       name, want, CALLS, a.a1 ? "SQPOLL: none" : "one per batch", diff);
		} else {
			tap_ok(diff == (long long)b->syscalls * CALLS,
			       "%s: exactly %d syscall(s) per call (counted %lld over %d calls)", name,
			       b->syscalls, diff, CALLS);
		}
	}
	if (no_count)
		tap_skip("counting syscalls needs the raw_syscalls tracepoint: %s", no_count);
	counters_close_all(&cs);
	return tap_done();
}
