/* SPDX-License-Identifier: MIT */
/*
 * pngstat.c: what a PNG shows, in numbers, so tests can check that a plot
 * is a real picture: prints "WIDTH HEIGHT INK COLOURS", where INK is the
 * fraction of pixels that differ from the most common colour (the
 * background) and COLOURS the number of distinct colours (capped at 65536).
 * pngstat --edges FILE.png prints "LEFT RIGHT" instead: the pixels of the
 * outermost two columns on each side that are not background, where text
 * that runs past the picture's edge leaves its ink (a plot keeps margins).
 * Reads 8-bit RGB/RGBA/grey, non-interlaced, as pngcairo writes. Exit 2 with
 * a one-line message for anything else or a damaged file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void fail(const char *path, const char *why)
{
	fprintf(stderr, "pngstat: %s: %s\n", path, why);
	exit(2);
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const unsigned char sig[8] = { 137, 'P', 'N', 'G', 13, 10, 26, 10 };
	unsigned char hdr[8], *idat = NULL;
	size_t nidat = 0;
	uint32_t w = 0, h = 0;
	int depth = 0, ctype = -1, interlace = 0, channels = 0;
	FILE *f;
	int edges = argc == 3 && !strcmp(argv[1], "--edges");

	if (argc != 2 && !edges) {
		fprintf(stderr, "usage: pngstat [--edges] FILE.png\n");
		return 2;
	}
	argv += edges;
	f = fopen(argv[1], "rb");
	if (!f)
		fail(argv[1], "cannot open");
	if (fread(hdr, 1, 8, f) != 8 || memcmp(hdr, sig, 8))
		fail(argv[1], "not a PNG (bad signature)");
	for (;;) {
		unsigned char lt[8], crc[4];
		if (fread(lt, 1, 8, f) != 8)
			fail(argv[1], "truncated before IEND");
		uint32_t len = be32(lt);
		if (len > (1u << 30))
			fail(argv[1], "absurd chunk length");
		unsigned char *data = malloc(len ? len : 1);
		if (!data || fread(data, 1, len, f) != len || fread(crc, 1, 4, f) != 4)
			fail(argv[1], "truncated chunk");
		uLong c = crc32(crc32(0, lt + 4, 4), data, len);
		if (c != be32(crc))
			fail(argv[1], "chunk CRC mismatch");
		if (!memcmp(lt + 4, "IHDR", 4) && len == 13) {
			w = be32(data);
			h = be32(data + 4);
			depth = data[8];
			ctype = data[9];
			interlace = data[12];
		} else if (!memcmp(lt + 4, "IDAT", 4)) {
			idat = realloc(idat, nidat + len);
			memcpy(idat + nidat, data, len);
			nidat += len;
		} else if (!memcmp(lt + 4, "IEND", 4)) {
			free(data);
			break;
		}
		free(data);
	}
	fclose(f);
	channels = ctype == 2 ? 3 : ctype == 6 ? 4 : ctype == 0 ? 1 : ctype == 4 ? 2 : 0;
	if (!w || !h || depth != 8 || !channels || interlace)
		fail(argv[1], "unsupported PNG format (want 8-bit grey/RGB/RGBA, not interlaced)");

	size_t stride = (size_t)w * (size_t)channels, rawlen = (stride + 1) * h;
	unsigned char *raw = malloc(rawlen), *img = malloc(stride * h);
	uLongf got = rawlen;
	if (!raw || !img || uncompress(raw, &got, idat, nidat) != Z_OK || got != rawlen)
		fail(argv[1], "image data does not inflate to the declared size");
	for (uint32_t y = 0; y < h; y++) {
		unsigned char ft = raw[y * (stride + 1)], *src = raw + y * (stride + 1) + 1;
		unsigned char *row = img + y * stride, *prev = y ? row - stride : NULL;
		for (size_t x = 0; x < stride; x++) {
			int a = x >= (size_t)channels ? row[x - channels] : 0;
			int b = prev ? prev[x] : 0;
			int cc = prev && x >= (size_t)channels ? prev[x - channels] : 0;
			int v = src[x];
			switch (ft) {
			case 0: break;
			case 1: v += a; break;
			case 2: v += b; break;
			case 3: v += (a + b) / 2; break;
			case 4: v += paeth(a, b, cc); break;
			default: fail(argv[1], "bad scanline filter");
			}
			row[x] = (unsigned char)v;
		}
	}
	size_t n = (size_t)w * h;
	uint32_t *px = malloc(n * sizeof(*px));
	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = img + i * (size_t)channels;
		px[i] = channels >= 3 ? (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2] : p[0];
	}
	qsort(px, n, sizeof(*px), cmp_u32);
	size_t distinct = 0, run = 0, best = 0;
	uint32_t bg = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || px[i] != px[i - 1]) {
			distinct++;
			run = 0;
		}
		if (++run > best) {
			best = run;
			bg = px[i];
		}
	}
	if (edges) {
		size_t side[2] = { 0, 0 };
		for (uint32_t y = 0; y < h; y++)
			for (uint32_t x = 0; x < w; x++) {
				if (x >= 2 && x + 2 < w)
					continue;
				const unsigned char *p = img + ((size_t)y * w + x) * (size_t)channels;
				uint32_t v = channels >= 3 ? (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2] : p[0];
				if (v != bg)
					side[x >= 2]++;
			}
		printf("%zu %zu\n", side[0], side[1]);
		return 0;
	}
	printf("%u %u %.4f %zu\n", w, h, 1.0 - (double)best / (double)n, distinct > 65536 ? 65536 : distinct);
	return 0;
}
