/* SPDX-License-Identifier: MIT */
/*
 * trace_init.c: /init of the trace guest (scripts/vm/vm-trace.sh), a static
 * x86-64 program without a C library (-nostdlib -static): an independent
 * count of guest instructions per call, by QEMU's exec trace.
 *
 * It runs the x86-64 marked runs (trace_runs_64.S) under the host's trace
 * handshake (trace.h), then execs /trace32 (the i386 rows, trace32.c) and
 * waits for it, prints "SCBT-END", and reports to QEMU's isa-debug-exit
 * port (0x10: QEMU exits 33) before powering off. In profile mode
 * (scbt_profile=full or head, trace.h) it also writes, after the traced runs, the
 * vDSO's symbols and, once /trace32 is done, the kernel's text symbols
 * from /proc/kallsyms (read as root: kptr_restrict is 0 in an initramfs
 * without sysctl.d, so the addresses are real, KASLR's included) on the
 * debugcon port.
 */
#include <stdint.h>
#include <elf.h>

/* x86-64 syscall numbers */
#define NR_READ     0
#define NR_WRITE    1
#define NR_OPEN     2
#define NR_IOCTL    16
#define NR_CLOSE    3
#define NR_NANOSLEEP 35
#define NR_FORK     57
#define NR_EXECVE   59
#define NR_EXIT     60
#define NR_WAIT4    61
#define NR_IOPERM   173
#define NR_REBOOT   169
#define NR_MOUNT    165
#define NR_PRCTL    157
#define NR_SECCOMP  317

static long sc3(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
}
static long sc4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return r;
}
static long sc5(long n, long a, long b, long c, long d, long e)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

typedef Elf64_Ehdr ElfW_Ehdr;
typedef Elf64_Phdr ElfW_Phdr;
typedef Elf64_Shdr ElfW_Shdr;
typedef Elf64_Sym ElfW_Sym;
typedef Elf64_auxv_t ElfW_auxv;

#include "trace.h"

#define DECL(row) long scbt_##row##_16(struct kargs *, uint64_t *), scbt_##row##_32(struct kargs *, uint64_t *)
DECL(x86_64_syscall_getppid);
DECL(x86_64_syscall_enosys);
DECL(x86_64_int80_getppid);
DECL(x86_64_int80_enosys);
DECL(x86_64_vdso_clock_gettime);
DECL(x86_64_vsyscall_page_time);
DECL(x86_64_syscall_clock_gettime);
DECL(x86_64_syscall_getrandom_16);
DECL(x86_64_vdso_clock_gettime_cputime);
DECL(x86_64_vdso_gettimeofday);
DECL(x86_64_vdso_time);
DECL(x86_64_vdso_getcpu);
DECL(x86_64_vsyscall_page_gettimeofday);
DECL(x86_64_vsyscall_page_getcpu);
DECL(x86_64_seccomp_getppid_cache_1);
DECL(x86_64_seccomp_getppid_cache_16);
DECL(x86_64_seccomp_getppid_cache_64);
DECL(x86_64_seccomp_getppid_cache_256);
DECL(x86_64_seccomp_getppid_arg_2);
DECL(x86_64_seccomp_getppid_arg_16);
DECL(x86_64_seccomp_getppid_arg_64);
DECL(x86_64_seccomp_getppid_arg_256);
DECL(x86_64_seccomp_getppid_stack_2);
DECL(x86_64_seccomp_getppid_stack_8);
DECL(k_x86_64_syscall_getppid);	/* trace_kern_64.S: scbench's own kernels */
DECL(k_x86_64_syscall_enosys);
DECL(k_x86_64_int80_getppid);
DECL(k_x86_64_vdso_clock_gettime);
#define RUNS(row) scbt_##row##_16, scbt_##row##_32

/* /proc/kallsyms' text symbols ("ADDR t NAME", t or T) onto debugcon:
 * the only kernel symbols an executed instruction can lie in */
static void kallsyms_dump(int full)
{
	static char buf[65536];
	unsigned long have = 0, text = 0;
	long fd, n;

	dbg_put(full ? "SCBD-KALLSYMS full\n" : "SCBD-KALLSYMS head\n");
	sc5(NR_MOUNT, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	fd = sc3(NR_OPEN, (long)"/proc/kallsyms", 0, 0);
	if (fd < 0) {
		dbg_put("SCBD-ERROR cannot open /proc/kallsyms\n");
		return;
	}
	while ((n = sc3(NR_READ, fd, (long)(buf + have), (long)(sizeof(buf) - have))) > 0) {
		unsigned long len = have + (unsigned long)n, start = 0;
		for (unsigned long i = 0; i < len; i++) {
			if (buf[i] != '\n')
				continue;
			/* ADDR (16 hex digits), a space, the type letter */
			if (i - start > 18 && (buf[start + 17] == 't' || buf[start + 17] == 'T')) {
				dbg_write(buf + start, i + 1 - start);
				text++;
			}
			start = i + 1;
		}
		have = len - start;
		for (unsigned long i = 0; i < have; i++)
			buf[i] = buf[start + i];
		if (have == sizeof(buf))
			have = 0;	/* no line is 64 KB long: drop it */
		/* the head: enough to tell one kernel's layout from another's
		 * (the per-CPU symbols, type A at 0, come first) */
		if (!full && text >= 2000)
			break;
	}
}

/* The seccomp rows (profile mode): each in a child of its own, under the
 * filters harness/seccomp.c installs for that row (the same BPF: n
 * instructions allowing everything, loading args[0] first when the verdict
 * must not be cacheable; stack:N is N such 2-instruction filters), with
 * its own handshake (tag). */
struct bpf_insn_ { unsigned short code; unsigned char jt, jf; unsigned k; };
struct bpf_prog_ { unsigned short len; struct bpf_insn_ *filter; };
struct seccomp_row {
	const char *name, *tag;
	scbt_run r16, r32;
	int n, uncacheable, stack;
};
#define SC_ROW(spec, n, u, st) { "x86_64/seccomp/getppid_" #spec, "seccomp_" #spec, \
	scbt_x86_64_seccomp_getppid_##spec##_16, scbt_x86_64_seccomp_getppid_##spec##_32, n, u, st }

static void seccomp_rows(void)
{
	static const struct seccomp_row sr[] = {
		SC_ROW(cache_1, 1, 0, 1), SC_ROW(cache_16, 16, 0, 1), SC_ROW(cache_64, 64, 0, 1),
		SC_ROW(cache_256, 256, 0, 1), SC_ROW(arg_2, 2, 1, 1), SC_ROW(arg_16, 16, 1, 1),
		SC_ROW(arg_64, 64, 1, 1), SC_ROW(arg_256, 256, 1, 1), SC_ROW(stack_2, 2, 1, 2),
		SC_ROW(stack_8, 2, 1, 8),
	};
	static struct bpf_insn_ f[256];
	static struct kargs none0;
	int st;

	for (unsigned i = 0; i < sizeof(sr) / sizeof(sr[0]); i++) {
		if (!row_wanted(sr[i].name))
			continue;
		long pid = sc3(NR_FORK, 0, 0, 0);
		if (pid == 0) {
			unsigned k = 0;
			struct bpf_prog_ prog;
			if (sr[i].uncacheable && sr[i].n >= 2)	/* BPF_LD|BPF_W|BPF_ABS args[0] */
				f[k++] = (struct bpf_insn_){ 0x20, 0, 0, 16 };
			while (k + 1 < (unsigned)sr[i].n)	/* ... nr */
				f[k++] = (struct bpf_insn_){ 0x20, 0, 0, 0 };
			f[k++] = (struct bpf_insn_){ 0x06, 0, 0, 0x7fff0000 };	/* RET ALLOW */
			prog.len = (unsigned short)k;
			prog.filter = f;
			int bad = sc5(NR_PRCTL, 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0, 0, 0) != 0;
			for (int s = 0; s < sr[i].stack && !bad; s++)
				bad = sc3(NR_SECCOMP, 1 /* SECCOMP_SET_MODE_FILTER */, 0, (long)&prog) != 0;
			struct row r = { sr[i].name, sr[i].r16, sr[i].r32, &none0, bad };
			run_rows(sr[i].tag, &r, 1);
			sc3(NR_EXIT, 0, 0, 0);
		}
		if (pid > 0)
			sc4(NR_WAIT4, pid, (long)&st, 0, 0);
	}
}

static char ts[64] __attribute__((aligned(16))), rbuf[16];
/* each row's arguments, as harness/registry.c's ARGS_* fill them */
static struct kargs none, mono = { .a0 = 1 /* CLOCK_MONOTONIC */, .a1 = (long)ts }, vtime,
	rand16 = { .a0 = (long)rbuf, .a1 = 16 },
	cputime = { .a0 = 3 /* CLOCK_THREAD_CPUTIME_ID */, .a1 = (long)ts },
	tv = { .a0 = (long)ts }, vtv = { .a0 = (long)ts }, cpu = { .a0 = (long)ts, .a1 = (long)(ts + 4) },
	vcpu = { .a0 = (long)ts, .a1 = (long)(ts + 4) }, vt = { 0 };

__attribute__((used)) void cmain(long *sp)
{
	long argc = sp[0];
	char **envp = (char **)(sp + 1 + argc + 1);
	char **e = envp;
	ElfW_auxv *av;
	int st;

	while (*e)
		e++;
	av = (ElfW_auxv *)(e + 1);
	sc5(NR_MOUNT, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
	sc5(NR_MOUNT, (long)"proc", (long)"/proc", (long)"proc", 0, 0);	/* settle() reads /proc/stat */
	open_port();
	put("SCBT-BEGIN vendor=");
	put(cpu_is_intel() ? "intel" : "amd");
	put("\n");

	unsigned long vdso = auxval(av, AT_SYSINFO_EHDR);
	/* The rows after the trace lane's six are the profile's only: traced,
	 * they would triple the trace lane's time (each line of the exec log
	 * costs host time) */
	int p = !env_get(envp, "scbt_profile=");
	row_prefix = env_get(envp, "scbt_rows=");
	mono.fn = cputime.fn = vdso_sym(vdso, "__vdso_clock_gettime");
	tv.fn = vdso_sym(vdso, "__vdso_gettimeofday");
	vt.fn = vdso_sym(vdso, "__vdso_time");
	cpu.fn = vdso_sym(vdso, "__vdso_getcpu");
	struct row rows[] = {
		{ "x86_64/syscall/getppid", RUNS(x86_64_syscall_getppid), &none, 0 },
		{ "x86_64/syscall/enosys", RUNS(x86_64_syscall_enosys), &none, 0 },
		{ "x86_64/int80/getppid", RUNS(x86_64_int80_getppid), &none, 0 },
		{ "x86_64/int80/enosys", RUNS(x86_64_int80_enosys), &none, 0 },
		{ "x86_64/vdso/clock_gettime", RUNS(x86_64_vdso_clock_gettime), &mono, !mono.fn },
		{ "x86_64/vsyscall_page/time", RUNS(x86_64_vsyscall_page_time), &vtime, 0 },
		{ "x86_64/syscall/clock_gettime", RUNS(x86_64_syscall_clock_gettime), &mono, p },
		{ "x86_64/syscall/getrandom_16", RUNS(x86_64_syscall_getrandom_16), &rand16, p },
		{ "x86_64/vdso/clock_gettime_cputime", RUNS(x86_64_vdso_clock_gettime_cputime), &cputime, p || !cputime.fn },
		{ "x86_64/vdso/gettimeofday", RUNS(x86_64_vdso_gettimeofday), &tv, p || !tv.fn },
		{ "x86_64/vdso/time", RUNS(x86_64_vdso_time), &vt, p || !vt.fn },
		{ "x86_64/vdso/getcpu", RUNS(x86_64_vdso_getcpu), &cpu, p || !cpu.fn },
		{ "x86_64/vsyscall_page/gettimeofday", RUNS(x86_64_vsyscall_page_gettimeofday), &vtv, p },
		{ "x86_64/vsyscall_page/getcpu", RUNS(x86_64_vsyscall_page_getcpu), &vcpu, p },
	};
	/* scbt_kernels=1: scbench's kernels themselves (trace_kern_64.S),
	 * x86_64 only, under the same names */
	struct row krows[] = {
		{ "x86_64/syscall/getppid", RUNS(k_x86_64_syscall_getppid), &none, 0 },
		{ "x86_64/syscall/enosys", RUNS(k_x86_64_syscall_enosys), &none, 0 },
		{ "x86_64/int80/getppid", RUNS(k_x86_64_int80_getppid), &none, 0 },
		{ "x86_64/vdso/clock_gettime", RUNS(k_x86_64_vdso_clock_gettime), &mono, !mono.fn },
	};
	const char *km = env_get(envp, "scbt_kernels=");
	int kernels = km && seq(km, "1");
	if (kernels)
		run_rows("x86_64", krows, (int)(sizeof(krows) / sizeof(krows[0])));
	else
		run_rows("x86_64", rows, (int)(sizeof(rows) / sizeof(rows[0])));
	if (!kernels && !p)
		seccomp_rows();

	/* the i386 rows, in a process of their own */
	long pid = kernels ? -1 : sc3(NR_FORK, 0, 0, 0);
	if (pid == 0) {
		char *argv[] = { "/trace32", 0 };
		sc3(NR_EXECVE, (long)argv[0], (long)argv, (long)envp);
		put("SCBT-ERROR cannot execute /trace32\n");
		sc3(NR_EXIT, 127, 0, 0);
	}
	if (pid > 0)
		sc4(NR_WAIT4, pid, (long)&st, 0, 0);
	/* Only now: a process holding an I/O bitmap (ioperm, TIF_IO_BITMAP)
	 * pays for it on every return to user space, and a child inherits it
	 * (with it before the fork, /trace32's int $0x80 getppid took 441
	 * instructions, not 385), so /trace32 must be done first. */
	const char *prof = env_get(envp, "scbt_profile=");
	if (prof && sc3(NR_IOPERM, DEBUGCON, 1, 1) == 0) {
		vdso_dump("x86_64", auxval(av, AT_SYSINFO_EHDR));
		kallsyms_dump(seq(prof, "full"));
		dbg_put("SCBD-END\n");
	}
	put("SCBT-END\n");
	sc3(NR_IOCTL, port, TCSBRK, 1);		/* tcdrain */
	if (sc3(NR_IOPERM, 0xf4, 4, 1) == 0)
		__asm__ volatile("outb %b0, %w1" : : "a"(0x10), "Nd"(0xf4));
	sc4(NR_REBOOT, 0xfee1dead, 672274793, 0x4321fedc /* POWER_OFF */, 0);
	for (;;)
		;
}

__asm__(".text\n.globl _start\n_start:\n\txor %ebp, %ebp\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall cmain\n\thlt\n");
