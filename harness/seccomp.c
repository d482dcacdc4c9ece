/* SPDX-License-Identifier: MIT */
/* seccomp.c: see seccomp.h. The filters follow the kernel's
 * tools/testing/selftests/seccomp/seccomp_benchmark.c in idea (allow-all
 * programs of growing length, one that the bitmap cache can prove constant
 * and one it can't); written here from the BPF definitions in
 * <linux/filter.h> and <linux/seccomp.h>. */
#define _GNU_SOURCE
#include "seccomp.h"
#include "util.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SPEC_MAX_INSNS 4096
#define SPEC_MAX_STACK 64

static int install_one(struct sock_filter *insns, unsigned n, char *why, size_t wlen)
{
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	if (errno == ENOSYS || errno == EINVAL)
		snprintf(why, wlen, "seccomp(SECCOMP_SET_MODE_FILTER): %s (a kernel without "
			 "CONFIG_SECCOMP_FILTER?)", strerror(errno));
	else
		snprintf(why, wlen, "seccomp(SECCOMP_SET_MODE_FILTER): %s", strerror(errno));
	return -1;
}

/* n instructions allowing everything; reading args[0] first when uncacheable */
static unsigned build(struct sock_filter *f, unsigned n, int uncacheable)
{
	unsigned k = 0;

	if (uncacheable && n >= 2)
		f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						       offsetof(struct seccomp_data, args[0]));
	while (k + 1 < n)
		f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						       offsetof(struct seccomp_data, nr));
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return k;
}

int seccomp_install(const char *spec, char *detail, size_t dlen, char *why, size_t wlen)
{
	static struct sock_filter insns[SPEC_MAX_INSNS];
	unsigned long n;
	const char *colon = strchr(spec, ':');
	int stack = 1, uncacheable;

	detail[0] = '\0';
	if (!colon || util_parse_ulong(colon + 1, 1, SPEC_MAX_INSNS, &n)) {
		snprintf(why, wlen, "bad seccomp spec '%s'", spec);
		return -1;
	}
	if (!strncmp(spec, "cache:", 6)) {
		uncacheable = 0;
	} else if (!strncmp(spec, "arg:", 4) && n >= 2) {
		uncacheable = 1;
	} else if (!strncmp(spec, "stack:", 6) && n <= SPEC_MAX_STACK) {
		uncacheable = 1;
		stack = (int)n;
		n = 2;
	} else {
		snprintf(why, wlen, "bad seccomp spec '%s'", spec);
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(why, wlen, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		return -1;
	}
	unsigned len = build(insns, (unsigned)n, uncacheable);
	for (int i = 0; i < stack; i++)
		if (install_one(insns, len, why, wlen))
			return -1;

	/* what the kernel says is in force */
	char line[256], mode[16] = "?", filters[16] = "?";
	FILE *f = fopen("/proc/self/status", "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Seccomp:", 8))
			sscanf(line + 8, "%15s", mode);
		else if (!strncmp(line, "Seccomp_filters:", 16))
			sscanf(line + 16, "%15s", filters);
	}
	if (f)
		fclose(f);
	snprintf(detail, dlen, "seccomp mode %s, %s filter(s) of %u BPF instructions%s", mode, filters,
		 len, uncacheable ? ", reading args[0] (not cacheable)" : ", constant verdict (cacheable)");
	return 0;
}
