/* SPDX-License-Identifier: MIT */
/* fuzz_spec.c: libFuzzer target for the counter spec the parent hands the
 * i386 worker (counters_define_spec): any string parses into at most
 * COUNTERS_MAX counters, and writing the set back out and parsing that
 * again gives the same set. */
#include "counters.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct counter_set a, b;
	static char spec[65536], again[65536], twice[65536];

	if (size >= sizeof(spec))
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	counters_define_spec(&a, spec);
	if (a.n > COUNTERS_MAX)
		abort();
	counters_spec(&a, again, sizeof(again));
	counters_define_spec(&b, again);
	counters_spec(&b, twice, sizeof(twice));
	if (a.n != b.n || strcmp(again, twice))
		abort();
	return 0;
}
