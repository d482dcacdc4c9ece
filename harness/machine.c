/* SPDX-License-Identifier: MIT */
/* machine.c: see machine.h. */
#define _GNU_SOURCE
#include "machine.h"
#include "util.h"

#include <cpuid.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

static void read_vendor(struct machine *m)
{
	unsigned a, b, c, d;

	__cpuid(0, a, b, c, d);
	memcpy(m->vendor + 0, &b, 4);
	memcpy(m->vendor + 4, &d, 4);
	memcpy(m->vendor + 8, &c, 4);
	m->vendor[12] = '\0';
	if (!strcmp(m->vendor, "GenuineIntel") || !strcmp(m->vendor, "CentaurHauls") ||
	    !strcmp(m->vendor, "  Shanghai  "))
		m->vendor_kind = VENDOR_INTEL_LIKE;
	else if (!strcmp(m->vendor, "AuthenticAMD") || !strcmp(m->vendor, "HygonGenuine"))
		m->vendor_kind = VENDOR_AMD_LIKE;
	else
		m->vendor_kind = VENDOR_OTHER;
}

static enum vsyscall_mode read_vsyscall_mode(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	enum vsyscall_mode mode = VSYSCALL_NONE;

	if (!f)
		return VSYSCALL_UNKNOWN;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "[vsyscall]"))
			continue;
		char perms[8] = "";
		if (sscanf(line, "%*[0-9a-f]-%*[0-9a-f] %7s", perms) == 1)
			mode = perms[0] == 'r' ? VSYSCALL_EMULATE : VSYSCALL_XONLY;
		break;
	}
	fclose(f);
	return mode;
}

const char *machine_vsyscall_name(enum vsyscall_mode mode)
{
	switch (mode) {
	case VSYSCALL_NONE:    return "none";
	case VSYSCALL_XONLY:   return "xonly";
	case VSYSCALL_EMULATE: return "emulate";
	default:               return "unknown";
	}
}

void machine_probe(struct machine *m)
{
	memset(m, 0, sizeof(*m));
	read_vendor(m);
	m->vsyscall = read_vsyscall_mode();
	m->have_vdso = vdso_open(&m->vdso, 0, m->vdso_why, sizeof(m->vdso_why)) == 0;
}

/* This process's affinity mask; empty if it can't be read. */
static void allowed_set(cpu_set_t *set)
{
	if (sched_getaffinity(0, sizeof(*set), set))
		CPU_ZERO(set);
}

int machine_cpu_allowed(int cpu)
{
	cpu_set_t set;

	allowed_set(&set);
	return cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set);
}

int machine_default_cpu(void)
{
	cpu_set_t set;

	allowed_set(&set);
	for (int cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return -1;
}

void machine_allowed_cpus(char *buf, size_t len)
{
	cpu_set_t set;
	size_t used = 0;

	allowed_set(&set);
	buf[0] = '\0';
	for (int cpu = 0; cpu < CPU_SETSIZE && used + 16 < len; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		int end = cpu;
		while (end + 1 < CPU_SETSIZE && CPU_ISSET(end + 1, &set))
			end++;
		used += (size_t)snprintf(buf + used, len - used, "%s%d", used ? "," : "", cpu);
		if (end > cpu)
			used += (size_t)snprintf(buf + used, len - used, "-%d", end);
		cpu = end;
	}
}

int machine_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* The stub is push ECX/EDX/EBP, then an ALTERNATIVE_2 slot that boot-time
 * patching fills with "mov %esp,%ebp; sysenter" or "mov %ecx,%ebp; syscall"
 * or leaves as NOPs, then int $0x80 and the landing pad. The first entry
 * opcode in the bytes is the one that runs. None of the padding NOPs
 * (0x90, 0f 1f ...) contains these byte pairs. */
const char *machine_stub_instruction(const void *code)
{
	const unsigned char *p = code;

	for (int i = 0; i < 48; i++) {
		if (p[i] == 0x0f && p[i + 1] == 0x34)
			return "sysenter";
		if (p[i] == 0x0f && p[i + 1] == 0x05)
			return "syscall";
		if (p[i] == 0xcd && p[i + 1] == 0x80)
			return "int $0x80";
	}
	return "an unrecognised sequence";
}
