/* SPDX-License-Identifier: MIT */
/*
 * report.h: the only code that formats results. CSV files (schema in the
 * README) and the terminal table.
 */
#ifndef SCB_REPORT_H
#define SCB_REPORT_H

#include <stdio.h>
#include "compare.h"
#include "run.h"

#define REPORT_SCHEMA 1

void report_summary_csv(FILE *f, const struct run *r);
void report_samples_csv(FILE *f, const struct run *r);
/* Each row's median in each fresh process (and its paired ratio to the
 * reference there): the two-level model's upper units, which the exports
 * carry as repetitions. */
void report_processes_csv(FILE *f, const struct run *r);
void report_env_csv(FILE *f, const struct env *e);
void report_table(FILE *f, const struct run *r);

enum compare_format { FORMAT_TABLE, FORMAT_MARKDOWN, FORMAT_CSV, FORMAT_JSON };
void report_compare(FILE *f, const struct cmp_outcome *o, enum compare_format fmt);

/* str as a JSON string, whatever its bytes: valid UTF-8 passes, control
 * characters are escaped, any other byte becomes U+FFFD. */
void report_json_string(FILE *f, const char *str);

#endif
