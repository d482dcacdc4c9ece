/* SPDX-License-Identifier: MIT */
/*
 * page.h: a run's one-page report, RUN/report.md and the self-contained
 * RUN/report.html (html.h renders it, the plots embedded), drawn from the
 * results model (results.h) alone: the run's title, a warning when the
 * machine was disturbed while timing, the headline (families.h), the advice
 * on a dear int $0x80 under a hypervisor, the measured rows family by
 * family, the rows that did not run and why, the plots and the machine.
 * Every table cell is escaped (a '|' in a field can't split a row); each
 * file is made beside its target, exclusively, and renamed into place.
 */
#ifndef SCB_PAGE_H
#define SCB_PAGE_H

#include <stddef.h>
#include <stdio.h>

struct results;

/* report.md's text for the run in m on out. plots_dir holds the PNGs now
 * (a picture is named only where its file is there); plots_link is where
 * report.md points for them, relative to the run. */
void page_markdown(FILE *out, const struct results *m, const char *plots_dir, const char *plots_link);

/* Write run_dir/report.md and run_dir/report.html (mode 0644). plots_dir
 * NULL: run_dir/plots; plots_link NULL: plots_dir relative to run_dir (as
 * realpath -m --relative-to resolves them). 0, or -1 with a one-line
 * reason in why (nothing written). */
int page_write(const char *run_dir, const char *plots_dir, const char *plots_link, char *why, size_t len);
/* The same from the folder already loaded into m (scbench plots has it). */
int page_write_model(const char *run_dir, const struct results *m, const char *plots_dir, const char *plots_link,
		     char *why, size_t len);

#endif
