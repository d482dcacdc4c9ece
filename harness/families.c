/* SPDX-License-Identifier: MIT */
/* families.c: see families.h. */
#include "families.h"

#include <string.h>

int family_rank(const char *m)
{
	if (!strcmp(m, "syscall") || !strcmp(m, "syscall_x32") || !strcmp(m, "sysenter") ||
	    !strcmp(m, "kernel_vsyscall"))
		return 1;
	if (!strcmp(m, "int80"))
		return 2;
	if (!strcmp(m, "vdso"))
		return 3;
	if (!strcmp(m, "vsyscall_page"))
		return 4;
	if (!strcmp(m, "libc") || !strcmp(m, "libc_syscall"))
		return 5;
	if (!strcmp(m, "seccomp"))
		return 6;
	if (!strcmp(m, "io_uring"))
		return 7;
	if (!strcmp(m, "empty"))
		return 9;
	return 8;
}

const char *family_name(const char *m)
{
	static const char *const names[] = {
		NULL, "Fast system-call instructions", "The legacy interrupt gate, int $0x80",
		"The vDSO: answered in user space", "The legacy vsyscall page", "Through glibc",
		"Under a seccomp filter", "io_uring", NULL, "The floor: the loop alone",
	};
	int r = family_rank(m);

	return r == 8 ? m : names[r];
}

void families_order(const char *const *mech, size_t n, size_t *order)
{
	size_t k = 0;

	for (int r = 1; r <= 9; r++) {
		for (size_t i = 0; i < n; i++) {
			if (family_rank(mech[i]) != r)
				continue;
			if (r != 8) {
				order[k++] = i;
				continue;
			}
			/* an unknown mechanism: at its first row, all of its rows */
			size_t j;
			for (j = 0; j < i && strcmp(mech[j], mech[i]); j++)
				;
			if (j < i)
				continue;
			for (j = i; j < n; j++)
				if (!strcmp(mech[j], mech[i]))
					order[k++] = j;
		}
	}
}
