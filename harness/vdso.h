/* SPDX-License-Identifier: MIT */
/*
 * Finding functions in the vDSO without the dynamic linker.
 *
 * The kernel maps the vDSO into every process and passes its ELF header's
 * address in the auxiliary vector (AT_SYSINFO_EHDR). It is a small shared
 * object: a dynamic section with a symbol table, a string table, DT_HASH
 * and/or DT_GNU_HASH, and symbol versions (every x86 symbol is LINUX_2.6).
 * This module parses that image directly, so a lookup is exactly what the
 * kernel exports, not what libc's dlsym chooses to show.
 */
#ifndef SCB_VDSO_H
#define SCB_VDSO_H

#include <stddef.h>
#include <stdint.h>

enum vdso_hash { VDSO_HASH_ANY, VDSO_HASH_SYSV, VDSO_HASH_GNU };

struct vdso_image {
	uintptr_t base;		/* where the ELF header is mapped */
	uintptr_t bias;		/* runtime address minus link-time address */
	const void *symtab;	/* ElfW(Sym)[] */
	const char *strtab;
	const uint32_t *sysv_hash;	/* DT_HASH, or NULL */
	const uint32_t *gnu_hash;	/* DT_GNU_HASH, or NULL */
	const uint16_t *versym;		/* DT_VERSYM, or NULL */
	const void *verdef;		/* DT_VERDEF, or NULL */
	size_t nsyms;
};

/* Parse the image at base (0: this process's vDSO). 0, or -1 with why. */
int vdso_open(struct vdso_image *img, uintptr_t base, char *why, size_t len);

/* Address of name@version (version NULL: any), through the given table;
 * NULL when absent or when that table is missing. */
void *vdso_lookup(const struct vdso_image *img, const char *name,
		  const char *version, enum vdso_hash how);

/* Symbol i's name, or NULL when i is out of range or not a defined
 * function; lets a caller walk every export. */
const char *vdso_symbol_name(const struct vdso_image *img, size_t i);

/* The version every x86 vDSO symbol carries. */
#define VDSO_VERSION "LINUX_2.6"

#endif
