/* SPDX-License-Identifier: MIT */
/* util.c: see util.h. */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int util_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int util_parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void *check_alloc(void *p)
{
	if (!p) {
		fprintf(stderr, "scbench: out of memory\n");
		exit(1);
	}
	return p;
}

void *util_calloc(size_t n, size_t size)
{
	return check_alloc(calloc(n ? n : 1, size ? size : 1));
}

void *util_realloc(void *p, size_t size)
{
	return check_alloc(realloc(p, size ? size : 1));
}

int util_self_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int util_find_beside_self(const char *const *patterns, size_t n, int mode, char *buf, size_t len)
{
	char self[PATH_MAX];

	if (util_self_path(self, sizeof(self)))
		return -1;
	*strrchr(self, '/') = '\0';
	for (size_t i = 0; i < n; i++) {
		snprintf(buf, len, patterns[i], self);
		if (access(buf, mode) == 0)
			return 0;
	}
	return 1;
}

/* The length of the valid UTF-8 sequence at s (2 to 4 bytes: no overlong
 * form, no surrogate, nothing past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

size_t util_escape(char *dst, size_t cap, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t at = 0;

	if (!cap)
		return 0;
	while (*s) {
		char e[4];
		size_t n = 0, len = *s < 0x80 ? 1 : utf8_len(s);
		/* UTF-8's C1 controls (U+0080..U+009F: 0xc2 0x80..0x9f; CSI is
		 * U+009B) act like ESC [ on some terminals, and so does a lone
		 * byte 0x80..0x9f on an 8-bit one (0x9b is CSI there): every
		 * byte that is not part of valid UTF-8 is written \xHH */
		int c1 = len == 2 && s[0] == 0xc2 && s[1] <= 0x9f;
		if (*s == '\n' || *s == '\t' || *s == '\r') {
			e[n++] = '\\';
			e[n++] = *s == '\n' ? 'n' : *s == '\t' ? 't' : 'r';
		} else if (*s < 0x20 || *s == 0x7f || c1 || len == 0) {
			unsigned char b = c1 ? s[1] : *s;
			e[n++] = '\\';
			e[n++] = 'x';
			e[n++] = hex[b >> 4];
			e[n++] = hex[b & 15];
		} else {
			for (size_t i = 0; i < len; i++)
				e[n++] = (char)s[i];
		}
		s += len ? len : 1;
		if (at + n >= cap)
			break;
		for (size_t i = 0; i < n; i++)
			dst[at++] = e[i];
	}
	dst[at] = '\0';
	return at;
}

void util_error(const char *fmt, ...)
{
	char msg[8192], esc[4 * sizeof(msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	util_escape(esc, sizeof(esc), msg);
	fprintf(stderr, "scbench: %s\n", esc);
}

void util_flat(char *dst, size_t cap, const char *src)
{
	size_t i;

	if (!cap)
		return;
	for (i = 0; src[i] && i + 1 < cap; i++)
		dst[i] = src[i] == '\t' || src[i] == '\n' || src[i] == '\r' ? ' ' : src[i];
	dst[i] = '\0';
}
