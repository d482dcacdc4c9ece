/* SPDX-License-Identifier: MIT */
/* test_csv.c: RFC 4180 writing and reading round-trip, and the reader
 * rejects malformed input with a reason instead of guessing. */
#include "csv.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static FILE *from_string(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

int main(void)
{
	static const char *const fields[] = {
		"plain", "", "with,comma", "with \"quotes\"", "two\nlines", "cr\r\nlf",
		"\"", ",", "trailing space ", "ünïcödé",
	};
	size_t nf = sizeof(fields) / sizeof(fields[0]);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct csv_out o = { .f = f };
	struct csv_in in;

	for (int row = 0; row < 2; row++) {
		for (size_t i = 0; i < nf; i++)
			csv_field(&o, fields[i]);
		csv_end_row(&o);
	}
	fclose(f);
	tap_ok(strstr(buf, "plain,,\"with,comma\",\"with \"\"quotes\"\"\"") == buf,
	       "quoting and doubled quotes as RFC 4180 says");

	f = from_string(buf);
	csv_in_init(&in, f);
	for (int row = 0; row < 2; row++) {
		int rc = csv_read_row(&in);
		int same = rc == 1 && in.nfields == nf;
		for (size_t i = 0; same && i < nf; i++)
			same = !strcmp(csv_get(&in, i), fields[i]);
		tap_ok(same, "row %d round-trips all %zu awkward fields", row + 1, nf);
	}
	tap_ok(in.row_line == 4, "line numbers count embedded newlines (row 2 starts on line 4, got %lu)",
	       in.row_line);
	tap_ok(csv_read_row(&in) == 0, "end of file after two rows");
	csv_in_free(&in);
	fclose(f);
	free(buf);

	/* CRLF line ends and a last line without a newline */
	f = from_string("a,b\r\nc,d");
	csv_in_init(&in, f);
	tap_ok(csv_read_row(&in) == 1 && in.nfields == 2 && !strcmp(csv_get(&in, 1), "b"), "CRLF row");
	tap_ok(csv_read_row(&in) == 1 && !strcmp(csv_get(&in, 1), "d"), "last row without newline");
	tap_ok(csv_get(&in, 2) == NULL, "field past the end is NULL");
	csv_in_free(&in);
	fclose(f);

	static const struct { const char *text, *err; } bad[] = {
		{ "a,\"unterminated\n", "unterminated quoted field" },
		{ "a,\"x\"y\n", "text after a closing quote" },
		{ "a,b\"c\n", "quote inside an unquoted field" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = from_string(bad[i].text);
		csv_in_init(&in, f);
		int rc = csv_read_row(&in);
		tap_ok(rc == -1 && in.err && !strcmp(in.err, bad[i].err), "malformed: %s", bad[i].err);
		csv_in_free(&in);
		fclose(f);
	}
	return tap_done();
}
