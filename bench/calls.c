/* SPDX-License-Identifier: MIT */
/*
 * calls.c: the whole-process twin of a harness row. `PROGRAM N` makes N
 * calls (rounded up to a multiple of 8) of one benchmark through the same
 * assembly kernel and registry line the harness uses, and exits, so that
 * hyperfine and `perf stat` can time and count it from outside.
 *
 * Built once per mechanism and ABI (Makefile: CROSS_PROGS), statically, so
 * process start-up is short and the same at N and 2N calls; BENCH_NAME is
 * the row, e.g. "x86_64/syscall/getppid". Exit 0 done, 2 usage, 3 this
 * machine can't run it (the reason on stderr).
 */
#include "machine.h"
#include "registry.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#ifndef BENCH_NAME
#error "build with -DBENCH_NAME='\"abi/mechanism/syscall\"'"
#endif

int main(int argc, char **argv)
{
	unsigned long n;
	char name[128], why[256];
	struct machine m;
	struct kargs a;
	const struct bench *b = NULL;

	if (argc != 2 || util_parse_ulong(argv[1], 1, ULONG_MAX / 2, &n)) {
		fprintf(stderr, "usage: %s CALLS  (makes CALLS %s calls)\n", argv[0], BENCH_NAME);
		return 2;
	}
	for (size_t i = 0; i < registry_count; i++)
		if (registry_native(&registry[i]) &&
		    !strcmp(registry_name(&registry[i], name, sizeof(name)), BENCH_NAME))
			b = &registry[i];
	if (!b) {
		fprintf(stderr, "%s: no benchmark %s in this build\n", argv[0], BENCH_NAME);
		return 2;
	}
	machine_probe(&m);
	if (registry_prepare(b, &m, &a, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", argv[0], why);
		return 3;
	}
	n = (n + KERNEL_UNROLL - 1) / KERNEL_UNROLL * KERNEL_UNROLL;
	while (n) {
		unsigned long chunk = n > (1ul << 24) ? (1ul << 24) : n;
		b->kernel(chunk, &a);
		n -= chunk;
	}
	return 0;
}
