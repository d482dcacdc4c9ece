/* SPDX-License-Identifier: MIT */
/* util.h: small helpers shared by the harness modules. */
#ifndef SCB_UTIL_H
#define SCB_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* First line of a file without its newline; 0, or -1 if unreadable. */
int util_read_line(const char *path, char *buf, size_t len);

/* Strict decimal parse of a whole string into [lo, hi]; 0 or -1. */
int util_parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out);

/* src into dst (cap bytes, cut to fit), its tabs, CRs and line breaks as
 * spaces: one line of text, or one TSV field. */
void util_flat(char *dst, size_t cap, const char *src);

/* calloc that exits with a one-line message when memory runs out: it
 * never returns NULL (which the compiler is told). */
void *util_calloc(size_t n, size_t size) __attribute__((returns_nonnull));
/* realloc with the same policy. */
void *util_realloc(void *p, size_t size) __attribute__((returns_nonnull));

/* This executable's path (/proc/self/exe); 0, or -1. */
int util_self_path(char *buf, size_t len);

/* Something installed next to this executable: each pattern is a printf
 * format taking this executable's folder ("%s/../plots/cost.gp"). buf
 * gets the first path that access(mode) accepts: 0; or, when none does,
 * the last one tried: 1; -1 when this executable can't be found. */
int util_find_beside_self(const char *const *patterns, size_t n, int mode, char *buf, size_t len);

/* src with every byte a terminal could act on written as an escape (\n,
 * \t, \r, \xHH for the other C0 controls, DEL, UTF-8's C1 controls and
 * every byte that is not part of valid UTF-8, such as a lone 0x9b, CSI on
 * an 8-bit terminal), so a field read from a file or the command line
 * can't split a one-line message or reach the terminal as a control
 * sequence. Valid UTF-8 passes as it is. A backslash stays as it is
 * (regerror's "\(" reads as written). Cut at cap - 1 bytes, never inside
 * an escape or a character; returns the length written. Uses no library
 * calls: safe in a signal handler. */
size_t util_escape(char *dst, size_t cap, const char *src);

/* Every error and warning line goes out here: "scbench: " + the message
 * escaped (util_escape) + a newline, on stderr. One place, so no path can
 * print a raw field. */
void util_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
