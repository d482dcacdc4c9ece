/* SPDX-License-Identifier: MIT */
/*
 * html.h: a report's Markdown as one self-contained HTML page, for the
 * run's report (page.h) and the profile lane's (scbench report
 * --html-from). The subset it reads is what those reports write:
 * headings, paragraphs, "- " lists, **bold**, `code`, pictures
 * ![alt](<.../NAME.png>) on a line of their own (embedded as data: URIs),
 * and tables aligned as their separator row says. A table whose first
 * column is "benchmark" gets a class per column and each cell its
 * column's label, for the card layout under 640 px (tests/e2e/test_report.sh
 * measures it at 390 and 1280 px); a "## Machine" section is folded.
 */
#ifndef SCB_HTML_H
#define SCB_HTML_H

#include <stddef.h>
#include <stdio.h>

/* The page for md (len bytes) on out; each picture from images/NAME.png,
 * left out where that is no regular file. 0, or -1 with why (a picture
 * that could not be read). */
int html_page(FILE *out, const char *md, size_t len, const char *images, char *why, size_t wlen);

#endif
