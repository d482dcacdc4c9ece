/* SPDX-License-Identifier: MIT */
/*
 * seccomp.h: the filters behind the x86_64/seccomp rows. A filter can't
 * be removed once installed, so those rows run in a child process of their
 * own (the worker protocol, worker.h), which installs its row's filter
 * before probing and timing getppid under it.
 *
 * A spec names the filter:
 *   cache:N   N instructions that allow everything and read only the
 *             syscall number: the kernel's seccomp cache (a per-syscall
 *             bitmap, 5.11+) proves the verdict constant and skips running
 *             the filter: near free
 *   arg:N     N instructions that read args[0] first: not cacheable, the
 *             BPF program runs on every syscall
 *   stack:K   K filters of arg:2 stacked: each runs on every syscall
 */
#ifndef SCB_SECCOMP_H
#define SCB_SECCOMP_H

#include <stddef.h>

/* Install spec's filter(s) in this process (with no_new_privs). 0, or -1
 * with a one-line reason. detail gets what is in force, read back from
 * /proc/self/status ("mode 2, 8 filters"). */
int seccomp_install(const char *spec, char *detail, size_t dlen, char *why, size_t wlen);

#endif
