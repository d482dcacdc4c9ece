/* SPDX-License-Identifier: MIT */
/* fuzz_export.c: libFuzzer target for export's whole path, its env.csv
 * reader included: the input is cut at a NUL byte into summary.csv and
 * env.csv of one results folder (a missing part: no such file), both
 * exported in both formats (google-benchmark, bencher), and read as the
 * TSV view (the folder through the model, and summary.csv as a plain
 * table by its header, with a --where). Whatever the bytes:
 * no crash, no leak, no undefined behaviour; a refusal says why; and what
 * an accepted folder exports holds no non-finite number (a JSON parser
 * rejects "inf" and "nan"), nor a raw control byte outside a string's
 * escapes; and a TSV line never holds a raw line break inside a field (each
 * line has as many tabs as the header). */
#define _GNU_SOURCE
#include "export.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_folder.h"

/* A bare inf or nan where a JSON value goes: after ':' or '[' or ',' and
 * blanks, outside strings. */
static int has_nonfinite(const char *s, size_t n)
{
	int in_string = 0;

	for (size_t i = 0; i < n; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = 0;
			else if ((unsigned char)s[i] < 0x20)
				return 1;	/* a raw control byte inside a string */
			continue;
		}
		if (s[i] == '"') {
			in_string = 1;
		} else if (s[i] == ':' || s[i] == ',' || s[i] == '[') {
			size_t j = i + 1;
			while (j < n && (s[j] == ' ' || s[j] == '\n'))
				j++;
			if (j < n && (s[j] == '-' || s[j] == '+'))
				j++;
			if (j + 3 <= n && (!strncasecmp(s + j, "inf", 3) || !strncasecmp(s + j, "nan", 3)))
				return 1;
		}
	}
	return 0;
}

/* Each accepted TSV line is as wide as the header: no field's line break
 * or tab got through. */
static int tsv_ragged(const char *s, size_t n)
{
	size_t tabs = 0, head = (size_t)-1;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\t') {
			tabs++;
		} else if (s[i] == '\n') {
			if (head == (size_t)-1)
				head = tabs;
			else if (tabs != head)
				return 1;
			tabs = 0;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "summary.csv", "env.csv" };
	const uint8_t *p = data, *end = data + size;
	char why[4400], file[4200];

	fuzz_split(p, end, names, 2);
	snprintf(file, sizeof(file), "%s/summary.csv", fuzz_folder());
	/* the two JSON formats, then the TSV view of the folder and of
	 * summary.csv as a plain table */
	for (int way = 0; way < 4; way++) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		int rc;
		if (!out)
			abort();
		why[0] = '\0';
		if (way < 2)
			rc = export_write(fuzz_folder(), way ? EXPORT_BENCHER : EXPORT_GOOGLE_BENCHMARK, out, why,
					  sizeof(why));
		else if (way == 2)
			rc = export_tsv(fuzz_folder(), "name,median,lo,hi,unit,status", "status=ok", NULL, out, why,
					sizeof(why));
		else
			rc = export_tsv(file, NULL, "status!=ok", "NaN", out, why, sizeof(why));
		fclose(out);
		if (rc && !why[0])
			abort();	/* refused without saying why */
		if (rc == 0 && (way < 2 ? has_nonfinite(text, len) : tsv_ragged(text, len)))
			abort();	/* accepted, and wrote what its reader can't take */
		free(text);
	}
	return 0;
}
