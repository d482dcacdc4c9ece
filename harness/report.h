/* SPDX-License-Identifier: MIT */
/*
 * report.h: the terminal table of a run, and compare's outcome in its four
 * formats. (The run's CSV files are the results model's: results.h.)
 */
#ifndef SCB_REPORT_H
#define SCB_REPORT_H

#include <stdio.h>
#include "compare.h"
#include "run.h"

void report_table(FILE *f, const struct run *r);

enum compare_format { FORMAT_TABLE, FORMAT_MARKDOWN, FORMAT_CSV, FORMAT_JSON };
void report_compare(FILE *f, const struct cmp_outcome *o, enum compare_format fmt);

/* str as a JSON string, whatever its bytes: valid UTF-8 passes, control
 * characters are escaped, any other byte becomes U+FFFD. */
void report_json_string(FILE *f, const char *str);

#endif
