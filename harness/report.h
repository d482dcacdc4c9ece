/* SPDX-License-Identifier: MIT */
/*
 * report.h: the terminal table of a run. (The run's CSV files are the
 * results model's, results.h; compare's outcome is written by outcome.h.)
 */
#ifndef SCB_REPORT_H
#define SCB_REPORT_H

#include <stdio.h>
#include "run.h"

void report_table(FILE *f, const struct run *r);

#endif
