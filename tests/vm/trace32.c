/* SPDX-License-Identifier: MIT */
/*
 * trace32.c: /trace32 of the trace guest, a static i386 program without a
 * C library (-m32 -nostdlib -static -no-pie), exec'd by /init
 * (trace_init.c): the i386 marked runs (trace_runs_32.S) under the same
 * handshake with the host (trace.h); in profile mode it then writes the
 * i386 vDSO's symbols on the debugcon port.
 *
 * Which of sysenter and 32-bit syscall runs is decided from CPUID, as
 * scbench does: 32-bit `syscall` is never run on an Intel-vendor model
 * (QEMU 7.2 panics the guest), sysenter never on an AMD-vendor one (#UD on
 * real AMD silicon; scbench reports it unsupported there).
 */
#include <stdint.h>
#include <elf.h>

/* i386 syscall numbers */
#define NR_EXIT   1
#define NR_READ   3
#define NR_WRITE  4
#define NR_OPEN   5
#define NR_IOCTL  54
#define NR_CLOSE  6
#define NR_NANOSLEEP 162
#define NR_IOPERM 101

static long sc3(long n, long a, long b, long c)
{
	long r;
	/* EBX may be the PIC register in other builds: move it by hand */
	__asm__ volatile("xchg %%ebx, %k2\n\tint $0x80\n\txchg %%ebx, %k2"
			 : "=a"(r) : "a"(n), "r"(a), "c"(b), "d"(c) : "memory");
	return r;
}

typedef Elf32_Ehdr ElfW_Ehdr;
typedef Elf32_Phdr ElfW_Phdr;
typedef Elf32_Shdr ElfW_Shdr;
typedef Elf32_Sym ElfW_Sym;
typedef Elf32_auxv_t ElfW_auxv;

#include "trace.h"

#define DECL(row) long scbt_##row##_16(struct kargs *, uint64_t *), scbt_##row##_32(struct kargs *, uint64_t *)
DECL(i386_int80_getppid);
DECL(i386_int80_enosys);
DECL(i386_sysenter_getppid);
DECL(i386_syscall_getppid);
DECL(i386_kernel_vsyscall_getppid);
DECL(i386_kernel_vsyscall_enosys);
DECL(i386_vdso_clock_gettime);
DECL(i386_int80_clock_gettime);
DECL(i386_vdso_clock_gettime64);
DECL(i386_vdso_gettimeofday);
DECL(i386_vdso_time);
#define RUNS(row) scbt_##row##_16, scbt_##row##_32

static char ts[64] __attribute__((aligned(16)));
static struct kargs none, sysinfo, mono = { .a0 = 1 /* CLOCK_MONOTONIC */, .a1 = (long)ts },
	kmono = { .a0 = 1, .a1 = (long)ts }, mono64 = { .a0 = 1, .a1 = (long)ts }, tv = { .a0 = (long)ts }, vt;

__attribute__((used)) void cmain(long *sp)
{
	long argc = sp[0];
	char **e = (char **)(sp + 1 + argc + 1);
	ElfW_auxv *av;
	int intel = cpu_is_intel();

	while (*e)
		e++;
	av = (ElfW_auxv *)(e + 1);
	open_port();
	sysinfo.fn = (void *)auxval(av, AT_SYSINFO);
	unsigned long vdso = auxval(av, AT_SYSINFO_EHDR);
	mono.fn = vdso_sym(vdso, "__vdso_clock_gettime");
	mono64.fn = vdso_sym(vdso, "__vdso_clock_gettime64");
	int p = !env_get((char **)(sp + 1 + argc + 1), "scbt_profile=");	/* the profile's rows */
	row_prefix = env_get((char **)(sp + 1 + argc + 1), "scbt_rows=");
	tv.fn = vdso_sym(vdso, "__vdso_gettimeofday");
	vt.fn = vdso_sym(vdso, "__vdso_time");
	struct row rows[] = {
		{ "i386/int80/getppid", RUNS(i386_int80_getppid), &none, 0 },
		{ "i386/int80/enosys", RUNS(i386_int80_enosys), &none, 0 },
		{ "i386/sysenter/getppid", RUNS(i386_sysenter_getppid), &none, !intel },
		{ "i386/syscall/getppid", RUNS(i386_syscall_getppid), &none, intel },
		{ "i386/kernel_vsyscall/getppid", RUNS(i386_kernel_vsyscall_getppid), &sysinfo, !sysinfo.fn },
		{ "i386/kernel_vsyscall/enosys", RUNS(i386_kernel_vsyscall_enosys), &sysinfo, !sysinfo.fn },
		{ "i386/vdso/clock_gettime", RUNS(i386_vdso_clock_gettime), &mono, !mono.fn },
		{ "i386/int80/clock_gettime", RUNS(i386_int80_clock_gettime), &kmono, p },
		{ "i386/vdso/clock_gettime64", RUNS(i386_vdso_clock_gettime64), &mono64, p || !mono64.fn },
		{ "i386/vdso/gettimeofday", RUNS(i386_vdso_gettimeofday), &tv, p || !tv.fn },
		{ "i386/vdso/time", RUNS(i386_vdso_time), &vt, p || !vt.fn },
	};
	run_rows("i386", rows, (int)(sizeof(rows) / sizeof(rows[0])));
	/* profile mode (trace.h): the i386 vDSO's symbols, after the trace */
	if (env_get((char **)(sp + 1 + argc + 1), "scbt_profile=") && sc3(NR_IOPERM, DEBUGCON, 1, 1) == 0)
		vdso_dump("i386", auxval(av, AT_SYSINFO_EHDR));
	sc3(NR_EXIT, 0, 0, 0);
	for (;;)
		;
}

/* the i386 psABI wants ESP 16-byte aligned at a call */
__asm__(".text\n.globl _start\n_start:\n\txor %ebp, %ebp\n\tmov %esp, %eax\n\tand $-16, %esp\n"
	"\tsub $12, %esp\n\tpush %eax\n\tcall cmain\n\thlt\n");
