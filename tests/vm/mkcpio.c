/* SPDX-License-Identifier: MIT */
/*
 * mkcpio.c: write an initramfs in the "newc" cpio format the kernel
 * unpacks (Documentation/driver-api/early-userspace/buffer-format.rst),
 * without the cpio tool or root: device nodes are just headers.
 *
 *   mkcpio OUT ENTRY...
 *     d:PATH             a directory (0755)
 *     c:PATH:MAJOR:MINOR a character device (0600)
 *     f:PATH=SOURCE      a regular file (0755) with SOURCE's bytes
 * PATHs are relative to the root ("init", "dev/console").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static FILE *out;
static unsigned long ino = 1, offset;

static void pad4(void)
{
	while (offset % 4) {
		fputc(0, out);
		offset++;
	}
}

static void header(const char *name, unsigned mode, unsigned long size, unsigned rmaj, unsigned rmin)
{
	size_t namesize = strlen(name) + 1;

	offset += (unsigned long)fprintf(out,
		"070701%08lX%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08zX%08X",
		ino++, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, rmaj, rmin, namesize, 0u);
	fwrite(name, 1, namesize, out);
	offset += namesize;
	pad4();
}

static int add_file(const char *name, const char *src)
{
	FILE *in = fopen(src, "rb");
	struct stat st;
	char buf[65536];
	size_t n;

	if (!in || fstat(fileno(in), &st)) {
		fprintf(stderr, "mkcpio: cannot read %s\n", src);
		return -1;
	}
	header(name, S_IFREG | 0755, (unsigned long)st.st_size, 0, 0);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		fwrite(buf, 1, n, out);
		offset += n;
	}
	fclose(in);
	pad4();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mkcpio OUT ENTRY...\n");
		return 2;
	}
	out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		char *e = argv[i], *rest = e + 2;
		unsigned maj, min;
		char path[256];

		if (!strncmp(e, "d:", 2)) {
			header(rest, S_IFDIR | 0755, 0, 0, 0);
		} else if (!strncmp(e, "c:", 2) && sscanf(rest, "%255[^:]:%u:%u", path, &maj, &min) == 3) {
			header(path, S_IFCHR | 0600, 0, maj, min);
		} else if (!strncmp(e, "f:", 2) && strchr(rest, '=')) {
			*strchr(rest, '=') = '\0';
			if (add_file(rest, rest + strlen(rest) + 1))
				return 1;
		} else {
			fprintf(stderr, "mkcpio: bad entry '%s'\n", e);
			return 2;
		}
	}
	header("TRAILER!!!", 0, 0, 0, 0);
	if (fclose(out)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
