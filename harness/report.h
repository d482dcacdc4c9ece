/*
 * report.h: the only code that formats results. CSV files (schema in the
 * README) and the terminal table.
 */
#ifndef SCB_REPORT_H
#define SCB_REPORT_H

#include <stdio.h>
#include "run.h"

#define REPORT_SCHEMA 1

void report_summary_csv(FILE *f, const struct run *r);
void report_samples_csv(FILE *f, const struct run *r);
void report_env_csv(FILE *f, const struct env *e);
void report_table(FILE *f, const struct run *r);

#endif
