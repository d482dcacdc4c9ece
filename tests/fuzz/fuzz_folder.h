/* SPDX-License-Identifier: MIT */
/* fuzz_folder.h: what the fuzz targets that read a whole results folder
 * share: a private folder made once (mkdtemp), and the input cut at NUL
 * bytes into the named files of that folder, a missing part being no such
 * file (part k exists when k == 0 or a NUL ended part k - 1). */
#ifndef SCB_FUZZ_FOLDER_H
#define SCB_FUZZ_FOLDER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[64];

/* The folder, made on the first call. */
static const char *fuzz_folder(void)
{
	if (!fuzz_dir[0]) {
		snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/scbench-fuzz.XXXXXX");
		if (!mkdtemp(fuzz_dir))
			abort();
	}
	return fuzz_dir;
}

static void fuzz_put(const char *name, const uint8_t *p, size_t n)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", fuzz_folder(), name);
	if (!p) {
		unlink(path);
		return;
	}
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(p, 1, n, f);
	fclose(f);
}

/* Cut [p, end) into the k names' files. */
static void fuzz_split(const uint8_t *p, const uint8_t *end, const char *const *names, int k)
{
	for (int i = 0, more = 1; i < k; i++) {
		if (!more) {
			fuzz_put(names[i], NULL, 0);
			continue;
		}
		const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
		fuzz_put(names[i], p, (size_t)((nul ? nul : end) - p));
		more = nul != NULL;
		if (nul)
			p = nul + 1;
	}
}

#endif
