/* SPDX-License-Identifier: MIT */
/*
 * machine.h: the facts about this machine that decide what can run, read
 * before anything risky is tried.
 */
#ifndef SCB_MACHINE_H
#define SCB_MACHINE_H

#include "vdso.h"

enum vendor_kind {
	VENDOR_INTEL_LIKE,	/* Intel, Centaur, Zhaoxin: sysenter in compat mode */
	VENDOR_AMD_LIKE,	/* AMD, Hygon: syscall in compat mode */
	VENDOR_OTHER,
};

enum vsyscall_mode {
	VSYSCALL_NONE,		/* not mapped: vsyscall=none */
	VSYSCALL_XONLY,		/* mapped --xp: every call faults and is emulated */
	VSYSCALL_EMULATE,	/* mapped r-xp: readable, calls still emulated */
	VSYSCALL_UNKNOWN,
};

struct machine {
	char vendor[13];		/* CPUID leaf 0 string */
	enum vendor_kind vendor_kind;
	enum vsyscall_mode vsyscall;
	int have_vdso;
	struct vdso_image vdso;
	char vdso_why[160];		/* why have_vdso is 0 */
};

void machine_probe(struct machine *m);
const char *machine_vsyscall_name(enum vsyscall_mode mode);

/* The CPU a run should pin to when the user names none: the highest one we
 * may use, since CPU 0 usually takes the most interrupts. -1 if unknown. */
int machine_default_cpu(void);
/* Whether cpu is in this process's affinity mask. */
int machine_cpu_allowed(int cpu);
/* Describe the allowed CPUs as "0-1,4" into buf. */
void machine_allowed_cpus(char *buf, size_t len);
int machine_pin(int cpu);

/* Which entry instruction the (boot-patched) __kernel_vsyscall stub at code
 * uses: "sysenter", "syscall", "int $0x80", or "an unrecognised sequence". */
const char *machine_stub_instruction(const void *code);

#endif
