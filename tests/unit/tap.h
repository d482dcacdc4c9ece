/* SPDX-License-Identifier: MIT */
/*
 * tap.h: the smallest TAP producer. Each test program prints "ok N - what"
 * or "not ok N - what" per check and a plan at the end; tests/run.sh adds
 * them up.
 */
#ifndef SCB_TAP_H
#define SCB_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

#define TAP_FN static __attribute__((unused))

TAP_FN __attribute__((format(printf, 2, 3)))
int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

TAP_FN __attribute__((format(printf, 1, 2)))
void tap_skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %d # SKIP ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

TAP_FN __attribute__((format(printf, 1, 2)))
void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

TAP_FN int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#define TAP_NEAR(a, b, eps) ((a) - (b) < (eps) && (b) - (a) < (eps))

#endif
