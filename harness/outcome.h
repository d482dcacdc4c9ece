/* SPDX-License-Identifier: MIT */
/* outcome.h: `scbench compare`'s outcome (compare.h) written out, in the
 * format asked for: the table a person reads, Markdown for a CI summary,
 * CSV (the README's schema) and JSON. */
#ifndef SCB_OUTCOME_H
#define SCB_OUTCOME_H

#include <stdio.h>
#include "compare.h"

enum compare_format { FORMAT_TABLE, FORMAT_MARKDOWN, FORMAT_CSV, FORMAT_JSON };
void outcome_write(FILE *f, const struct cmp_outcome *o, enum compare_format fmt);

#endif
