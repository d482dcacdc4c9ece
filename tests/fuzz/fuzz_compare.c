/* SPDX-License-Identifier: MIT */
/* fuzz_compare.c: libFuzzer target for compare's whole path: the input is
 * cut at NUL bytes into samples.csv, summary.csv and env.csv of one run
 * (a missing part: no such file), the first byte chooses --normalize and a
 * tolerance; the run is loaded as BASE and NEW, compared, and reported in
 * every format. Whatever the bytes: no crash, no leak, no undefined
 * behaviour, and a run that fails to load says why. */
#define _GNU_SOURCE
#include "compare.h"
#include "outcome.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_folder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "samples.csv", "summary.csv", "env.csv" };
	static FILE *sink;
	const uint8_t *p = data, *end = data + size;
	struct cmp_run base, new_;
	struct cmp_outcome out;
	char why[4200];

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (size == 0)
		return 0;
	unsigned flags = *p++;
	fuzz_split(p, end, names, 3);
	why[0] = '\0';
	if (compare_load(&base, fuzz_folder(), why, sizeof(why))) {
		if (!why[0])
			abort();
		return 0;
	}
	if (compare_load(&new_, fuzz_folder(), why, sizeof(why)))
		abort();	/* the same files loaded once already */
	int normalize = flags & 1;
	if (normalize && (compare_normalize(&base, why, sizeof(why)) || compare_normalize(&new_, why, sizeof(why)))) {
		compare_free(&base);
		compare_free(&new_);
		return 0;
	}
	compare_runs(&base, &new_, 0.10, 0.05, normalize, (double)(flags >> 4), &out);
	for (int fmt = FORMAT_TABLE; fmt <= FORMAT_JSON; fmt++)
		outcome_write(sink, &out, (enum compare_format)fmt);
	compare_outcome_free(&out);
	compare_free(&base);
	compare_free(&new_);
	return 0;
}
