/* SPDX-License-Identifier: MIT */
/* env.c: see env.h. Every value is read from the system as it is now;
 * what can't be read is recorded as "unreadable", never guessed. */
#define _GNU_SOURCE
#include "env.h"
#include "probe.h"
#include "util.h"
#include "version.h"

#include <cpuid.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

void env_set(struct env *e, const char *key, const char *fmt, ...)
{
	struct env_item *it = NULL;
	va_list ap;

	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->item[i].key, key))
			it = &e->item[i];
	if (!it) {
		if (e->n == ENV_MAX)
			return;
		it = &e->item[e->n++];
		snprintf(it->key, sizeof(it->key), "%s", key);
	}
	va_start(ap, fmt);
	vsnprintf(it->value, sizeof(it->value), fmt, ap);
	va_end(ap);
	for (char *p = it->value; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

const char *env_get(const struct env *e, const char *key)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->item[i].key, key))
			return e->item[i].value;
	return NULL;
}

/* key = first line of path, or "unreadable". */
static void set_from_file(struct env *e, const char *key, const char *path)
{
	char buf[1024];

	if (util_read_line(path, buf, sizeof(buf)))
		env_set(e, key, "unreadable");
	else
		env_set(e, key, "%s", buf);
}

/* The value of "field : value" lines in /proc/cpuinfo (first CPU). */
static void cpuinfo_field(const char *field, char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[4096];
	size_t fl = strlen(field);

	snprintf(out, len, "unreadable");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, field, fl) || (line[fl] != ' ' && line[fl] != '\t' && line[fl] != ':'))
			continue;
		char *v = strchr(line, ':');
		if (!v)
			continue;
		v += 1 + (v[1] == ' ');
		v[strcspn(v, "\n")] = '\0';
		snprintf(out, len, "%s", v);
		break;
	}
	fclose(f);
}

static int cpuinfo_has_flag(const char *flag)
{
	char flags[4096], pat[64];

	cpuinfo_field("flags", flags, sizeof(flags));
	snprintf(pat, sizeof(pat), " %s ", flag);
	size_t n = strlen(flags);
	if (n + 2 < sizeof(flags)) {
		memmove(flags + 1, flags, n + 1);
		flags[0] = ' ';
		strcat(flags, " ");
	}
	return strstr(flags, pat) != NULL;
}

/* What kind of machine this is, in words: the CPUID signature says which
 * hypervisor's interface the guest sees (Firecracker and PVM both show
 * KVM's), DMI and the kernel command line tell them apart. It explains
 * ratios a bare-metal user would never see (int $0x80 trapped to the host). */
static void collect_virt(struct env *e)
{
	static const struct { const char *sig, *name; } sigs[] = {
		{ "KVMKVMKVM", "KVM" }, { "TCGTCGTCGTCG", "QEMU TCG" }, { "Microsoft Hv", "Hyper-V" },
		{ "VMwareVMware", "VMware" }, { "XenVMMXenVMM", "Xen" }, { "bhyve bhyve ", "bhyve" },
		{ "ACRNACRNACRN", "ACRN" }, { " lrpepyh  vr", "Parallels" }, { "VBoxVBoxVBox", "VirtualBox" },
	};
	char kind[256] = "bare metal (no hypervisor bit in CPUID)", dmi[128] = "", cmd[4096] = "";
	const char *sig = env_get(e, "hypervisor");
	FILE *f;

	if (sig && strcmp(sig, "none")) {
		const char *name = NULL;
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]) && sig; i++)
			if (!strncmp(sig, sigs[i].sig, strlen(sigs[i].sig)))
				name = sigs[i].name;
		snprintf(kind, sizeof(kind), "%s", name ? name : "a hypervisor");
		if ((f = fopen("/sys/class/dmi/id/product_name", "re"))) {
			if (fgets(dmi, sizeof(dmi), f))
				dmi[strcspn(dmi, "\n")] = '\0';
			fclose(f);
		}
		if ((f = fopen("/proc/cmdline", "re"))) {
			if (!fgets(cmd, sizeof(cmd), f))
				cmd[0] = '\0';
			fclose(f);
		}
		size_t used = strlen(kind);
		if (strstr(cmd, "firecracker"))
			used += (size_t)snprintf(kind + used, sizeof(kind) - used, ", Firecracker microVM");
		if (strstr(cmd, "pvm=1") || strstr(cmd, "nested_pvm"))
			used += (size_t)snprintf(kind + used, sizeof(kind) - used, ", PVM (paravirtualised)");
		if (dmi[0] && used < sizeof(kind))
			snprintf(kind + used, sizeof(kind) - used, ", DMI product '%s'", dmi);
		else if (!dmi[0] && used < sizeof(kind))
			snprintf(kind + used, sizeof(kind) - used, ", no DMI");
	}
	env_set(e, "virtualization", "%s", kind);
}

/* Which entry path the kernel really takes: FRED (Flexible Return and
 * Event Delivery, Intel, Linux 6.9+ with CONFIG_X86_FRED, on with fred=on)
 * replaces the IDT and the syscall/sysenter MSR entries with one event
 * delivery. The CPU announces it in CPUID.(7,1):EAX[17]; the kernel shows
 * "fred" in /proc/cpuinfo only when it enabled it. */
static void collect_fred(struct env *e)
{
	unsigned a = 0, b, c, d, max = __get_cpuid_max(0, NULL);
	int cpu = 0, kernel = cpuinfo_has_flag("fred");

	if (max >= 7) {
		__cpuid_count(7, 1, a, b, c, d);
		cpu = (a >> 17) & 1;
	}
	env_set(e, "fred", "%s", kernel ? "in use: the kernel enters through FRED" :
		cpu ? "the CPU has FRED, the kernel does not use it (Linux 6.9+, CONFIG_X86_FRED, fred=on): "
		      "IDT and syscall/sysenter entry" :
		"not in this CPU (CPUID.7.1:EAX[17] clear): IDT and syscall/sysenter entry");
}

static void collect_cpu(struct env *e, const struct machine *m)
{
	char buf[1024];
	unsigned a, b, c, d;

	env_set(e, "cpu_vendor", "%s", m->vendor);
	cpuinfo_field("model name", buf, sizeof(buf));
	env_set(e, "cpu_model", "%s", buf);
	__cpuid(1, a, b, c, d);
	{
		unsigned fam = (a >> 8) & 0xf, model = (a >> 4) & 0xf, step = a & 0xf;
		if (fam == 0xf)
			fam += (a >> 20) & 0xff;
		if (fam >= 6)
			model |= ((a >> 16) & 0xf) << 4;
		env_set(e, "cpu_family_model_stepping", "%u/%u/%u (%#x/%#x/%#x)",
			fam, model, step, fam, model, step);
	}
	cpuinfo_field("microcode", buf, sizeof(buf));
	env_set(e, "cpu_microcode", "%s", buf);
	env_set(e, "cpus_online", "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	if (c & (1u << 31)) {	/* CPUID.1:ECX[31], "running under a hypervisor" */
		char sig[13];
		__cpuid(0x40000000, a, b, c, d);
		memcpy(sig + 0, &b, 4);
		memcpy(sig + 4, &c, 4);
		memcpy(sig + 8, &d, 4);
		sig[12] = '\0';
		env_set(e, "hypervisor", "%s", sig);
	} else {
		env_set(e, "hypervisor", "none");
	}
	collect_virt(e);
	collect_fred(e);
	env_set(e, "tsc_flags", "constant_tsc=%s nonstop_tsc=%s rdtscp=%s",
		cpuinfo_has_flag("constant_tsc") ? "yes" : "no",
		cpuinfo_has_flag("nonstop_tsc") ? "yes" : "no",
		cpuinfo_has_flag("rdtscp") ? "yes" : "no");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every /sys/devices/system/cpu/vulnerabilities/ entry, sorted by name. */
static void collect_vulnerabilities(struct env *e)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	DIR *d = opendir(dir);
	char *names[64];
	size_t n = 0;
	struct dirent *de;

	if (!d) {
		env_set(e, "vulnerabilities", "unreadable");
		return;
	}
	while ((de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char path[512], key[64];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(key, sizeof(key), "vuln_%s", names[i]);
		set_from_file(e, key, path);
		free(names[i]);
	}
}

static void collect_kernel(struct env *e)
{
	struct utsname u;
	char buf[1024];

	if (uname(&u) == 0) {
		env_set(e, "hostname", "%s", u.nodename);
		env_set(e, "kernel_release", "%s", u.release);
		env_set(e, "kernel_version", "%s", u.version);
		env_set(e, "machine", "%s", u.machine);
	}
	set_from_file(e, "kernel_cmdline", "/proc/cmdline");
	FILE *f = fopen("/etc/os-release", "re");
	while (f && fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "PRETTY_NAME=", 12)) {
			char *v = buf + 12;
			v[strcspn(v, "\n")] = '\0';
			if (*v == '"') {
				v++;
				v[strcspn(v, "\"")] = '\0';
			}
			env_set(e, "os", "%s", v);
		}
	if (f)
		fclose(f);
	set_from_file(e, "clocksource", "/sys/devices/system/clocksource/clocksource0/current_clocksource");
	set_from_file(e, "clocksource_available", "/sys/devices/system/clocksource/clocksource0/available_clocksource");
}

/* A hardware PMU shows up as a "cpu" event source (or cpu_core/cpu_atom on
 * hybrid Intel parts); VMs without a virtual PMU have none. */
static void collect_perf(struct env *e)
{
	static const char *const pmus[] = { "cpu", "cpu_core", "cpu_atom" };
	struct stat st;
	const char *found = NULL;

	for (size_t i = 0; i < sizeof(pmus) / sizeof(pmus[0]) && !found; i++) {
		char path[128];
		snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s", pmus[i]);
		if (stat(path, &st) == 0)
			found = pmus[i];
	}
	if (found)
		env_set(e, "pmu", "present (%s)", found);
	else
		env_set(e, "pmu", "absent (no hardware PMU under /sys/bus/event_source/devices)");
	set_from_file(e, "perf_event_paranoid", "/proc/sys/kernel/perf_event_paranoid");
	set_from_file(e, "nmi_watchdog", "/proc/sys/kernel/nmi_watchdog");
}

static void collect_cpu_policy(struct env *e, int cpu)
{
	char path[256];

	env_set(e, "pinned_cpu", "%d", cpu);
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
	set_from_file(e, "governor", path);
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_cur_freq", cpu);
	set_from_file(e, "cpu_khz_now", path);
	set_from_file(e, "intel_no_turbo", "/sys/devices/system/cpu/intel_pstate/no_turbo");
	set_from_file(e, "cpufreq_boost", "/sys/devices/system/cpu/cpufreq/boost");
	set_from_file(e, "smt_control", "/sys/devices/system/cpu/smt/control");
	set_from_file(e, "smt_active", "/sys/devices/system/cpu/smt/active");
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list", cpu);
	set_from_file(e, "smt_siblings_of_pinned", path);
	set_from_file(e, "isolated_cpus", "/sys/devices/system/cpu/isolated");
	set_from_file(e, "nohz_full", "/sys/devices/system/cpu/nohz_full");
	set_from_file(e, "loadavg", "/proc/loadavg");
}

/* Seccomp filters and tracers add to every syscall; record them. */
static void collect_process(struct env *e)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];

	env_set(e, "seccomp", "unreadable");
	env_set(e, "tracer_pid", "unreadable");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "Seccomp:", 8))
			env_set(e, "seccomp", "%s", line + 8 + strspn(line + 8, " \t"));
		else if (!strncmp(line, "TracerPid:", 10))
			env_set(e, "tracer_pid", "%s", line + 10 + strspn(line + 10, " \t"));
	}
	if (f)
		fclose(f);
	env_set(e, "running_as_root", "%s", geteuid() == 0 ? "yes" : "no");
}

void env_collect(struct env *e, const struct machine *m, int cpu)
{
	char buf[512];
	time_t now = time(NULL);
	struct tm tm;

	e->n = 0;
	env_set(e, "scbench_version", "%s", SCB_VERSION);
	env_set(e, "git_commit", "%s", SCB_GIT_COMMIT);
	env_set(e, "compiler", "%s", __VERSION__);
#ifdef __x86_64__
	env_set(e, "abi", "x86_64");
#else
	env_set(e, "abi", "i386");
#endif
	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	env_set(e, "time_utc", "%s", buf);
	collect_kernel(e);
	collect_cpu(e, m);
	collect_vulnerabilities(e);
	probe_ia32_emulation(m, buf, sizeof(buf));
	env_set(e, "ia32_emulation", "%s", buf);
	env_set(e, "vsyscall_mode", "%s", machine_vsyscall_name(m->vsyscall));
	env_set(e, "vdso", "%s", m->have_vdso ? "present" : m->vdso_why);
	collect_perf(e);
	collect_cpu_policy(e, cpu);
	collect_process(e);
	env_set(e, "timer", "rdtsc between lfences, calibrated against CLOCK_MONOTONIC_RAW");
}

/* the value, one line (util_flat), appended to buf */
static void append_flat(char *buf, size_t len, const char *v)
{
	size_t n = strlen(buf);

	if (v)
		util_flat(buf + n, len - n, v);
}

void env_title(const struct env *e, char *buf, size_t len)
{
	const char *melt = env_get(e, "vuln_meltdown"), *s2 = env_get(e, "vuln_spectre_v2");
	char part[1100];
	int vul = 0;

	for (size_t i = 0; i < e->n; i++)
		vul += !strncmp(e->item[i].key, "vuln_", 5) && !strncmp(e->item[i].value, "Vulnerable", 10);
	buf[0] = '\0';
	append_flat(buf, len, env_get(e, "hostname"));
	if (env_get(e, "vm_guest"))
		append_flat(buf, len, " (QEMU TCG guest)");
	append_flat(buf, len, " \xc2\xb7 ");
	append_flat(buf, len, env_get(e, "cpu_model"));
	append_flat(buf, len, " \xc2\xb7 Linux ");
	append_flat(buf, len, env_get(e, "kernel_release"));
	/* a run that did not record vuln_meltdown says "PTI off", as the
	 * plots' title always has */
	append_flat(buf, len, melt && strstr(melt, "PTI") ? " \xc2\xb7 PTI on" : " \xc2\xb7 PTI off");
	if (s2 && !strncmp(s2, "Mitigation: ", 12)) {
		s2 += 12;
		snprintf(part, sizeof(part), ", spectre_v2: %.*s", (int)strcspn(s2, ";,"), s2);
		append_flat(buf, len, part);
	}
	if (vul) {
		snprintf(part, sizeof(part), ", %d vulnerable", vul);
		append_flat(buf, len, part);
	}
}
