/* SPDX-License-Identifier: MIT */
/* vdso.c: ELF parsing of the vDSO image (see vdso.h). */
#include "vdso.h"

#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

#if __SIZEOF_POINTER__ == 8
#define BLOOM_BITS 64
#else
#define BLOOM_BITS 32
#endif

static uint32_t sysv_hash_of(const char *s)
{
	uint32_t h = 0, g;

	for (; *s; s++) {
		h = (h << 4) + (unsigned char)*s;
		g = h & 0xf0000000u;
		if (g)
			h ^= g >> 24;
		h &= ~g;
	}
	return h;
}

static uint32_t gnu_hash_of(const char *s)
{
	uint32_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* Number of symbols when only DT_GNU_HASH is present: the highest chain
 * index reachable from any bucket, walked to its end marker. */
static size_t gnu_hash_nsyms(const uint32_t *gh)
{
	uint32_t nbuckets = gh[0], symoffset = gh[1], bloom_size = gh[2];
	const uint32_t *buckets = (const uint32_t *)((const ElfW(Addr) *)(gh + 4) + bloom_size);
	const uint32_t *chain = buckets + nbuckets;
	uint32_t last = 0;

	for (uint32_t b = 0; b < nbuckets; b++)
		if (buckets[b] > last)
			last = buckets[b];
	if (last < symoffset)
		return symoffset;
	while (!(chain[last - symoffset] & 1))
		last++;
	return (size_t)last + 1;
}

int vdso_open(struct vdso_image *img, uintptr_t base, char *why, size_t len)
{
	memset(img, 0, sizeof(*img));
	if (!base)
		base = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	if (!base) {
		snprintf(why, len, "no vDSO: AT_SYSINFO_EHDR is absent (kernel booted with vdso=0?)");
		return -1;
	}
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) {
		snprintf(why, len, "vDSO at %#lx has no ELF header", (unsigned long)base);
		return -1;
	}
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
	const ElfW(Dyn) *dyn = NULL;
	int have_load = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			img->bias = base + ph[i].p_offset - ph[i].p_vaddr;
			have_load = 1;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const ElfW(Dyn) *)(base + ph[i].p_offset);
		}
	}
	if (!have_load || !dyn) {
		snprintf(why, len, "vDSO image lacks PT_LOAD or PT_DYNAMIC");
		return -1;
	}
	for (; dyn->d_tag != DT_NULL; dyn++) {
		const void *p = (const void *)(img->bias + dyn->d_un.d_ptr);
		switch (dyn->d_tag) {
		case DT_SYMTAB:   img->symtab = p; break;
		case DT_STRTAB:   img->strtab = p; break;
		case DT_HASH:     img->sysv_hash = p; break;
		case DT_GNU_HASH: img->gnu_hash = p; break;
		case DT_VERSYM:   img->versym = p; break;
		case DT_VERDEF:   img->verdef = p; break;
		}
	}
	if (!img->symtab || !img->strtab || (!img->sysv_hash && !img->gnu_hash)) {
		snprintf(why, len, "vDSO dynamic section lacks a symbol table, string table or hash table");
		return -1;
	}
	img->nsyms = img->sysv_hash ? img->sysv_hash[1] : gnu_hash_nsyms(img->gnu_hash);
	img->base = base;
	return 0;
}

/* The name of the version definition with index ndx. */
static const char *version_name(const struct vdso_image *img, unsigned ndx)
{
	const ElfW(Verdef) *vd = img->verdef;

	while (vd) {
		if (!(vd->vd_flags & VER_FLG_BASE) && vd->vd_ndx == ndx) {
			const ElfW(Verdaux) *aux = (const void *)((const char *)vd + vd->vd_aux);
			return img->strtab + aux->vda_name;
		}
		vd = vd->vd_next ? (const void *)((const char *)vd + vd->vd_next) : NULL;
	}
	return NULL;
}

static int symbol_matches(const struct vdso_image *img, size_t i,
			  const char *name, const char *version)
{
	const char *n = vdso_symbol_name(img, i);

	if (!n || strcmp(n, name) != 0)
		return 0;
	if (!version || !img->versym || !img->verdef)
		return 1;
	const char *v = version_name(img, img->versym[i] & 0x7fff);
	return v && strcmp(v, version) == 0;
}

static void *symbol_address(const struct vdso_image *img, size_t i)
{
	const ElfW(Sym) *sym = (const ElfW(Sym) *)img->symtab + i;
	return (void *)(img->bias + sym->st_value);
}

static void *lookup_sysv(const struct vdso_image *img, const char *name, const char *version)
{
	const uint32_t *h = img->sysv_hash;
	uint32_t nbucket = h[0], nchain = h[1];
	const uint32_t *bucket = h + 2, *chain = bucket + nbucket;

	for (uint32_t i = bucket[sysv_hash_of(name) % nbucket]; i != STN_UNDEF && i < nchain; i = chain[i])
		if (symbol_matches(img, i, name, version))
			return symbol_address(img, i);
	return NULL;
}

static void *lookup_gnu(const struct vdso_image *img, const char *name, const char *version)
{
	const uint32_t *gh = img->gnu_hash;
	uint32_t nbuckets = gh[0], symoffset = gh[1], bloom_size = gh[2], shift = gh[3];
	const ElfW(Addr) *bloom = (const ElfW(Addr) *)(gh + 4);
	const uint32_t *buckets = (const uint32_t *)(bloom + bloom_size);
	const uint32_t *chain = buckets + nbuckets;
	uint32_t h = gnu_hash_of(name);
	ElfW(Addr) word = bloom[(h / BLOOM_BITS) % bloom_size];
	ElfW(Addr) mask = ((ElfW(Addr))1 << (h % BLOOM_BITS)) |
			  ((ElfW(Addr))1 << ((h >> shift) % BLOOM_BITS));

	if ((word & mask) != mask)
		return NULL;	/* the Bloom filter says: certainly absent */
	uint32_t i = buckets[h % nbuckets];
	if (i < symoffset)
		return NULL;
	for (;; i++) {
		uint32_t h2 = chain[i - symoffset];
		if ((h | 1) == (h2 | 1) && symbol_matches(img, i, name, version))
			return symbol_address(img, i);
		if (h2 & 1)
			return NULL;
	}
}

void *vdso_lookup(const struct vdso_image *img, const char *name,
		  const char *version, enum vdso_hash how)
{
	if (!img->base)
		return NULL;
	switch (how) {
	case VDSO_HASH_SYSV:
		return img->sysv_hash ? lookup_sysv(img, name, version) : NULL;
	case VDSO_HASH_GNU:
		return img->gnu_hash ? lookup_gnu(img, name, version) : NULL;
	default:
		return img->gnu_hash ? lookup_gnu(img, name, version)
				     : lookup_sysv(img, name, version);
	}
}

const char *vdso_symbol_name(const struct vdso_image *img, size_t i)
{
	if (!img->base || i >= img->nsyms)
		return NULL;
	const ElfW(Sym) *sym = (const ElfW(Sym) *)img->symtab + i;
	int type = ELF64_ST_TYPE(sym->st_info), bind = ELF64_ST_BIND(sym->st_info);

	if (sym->st_shndx == SHN_UNDEF || type != STT_FUNC ||
	    (bind != STB_GLOBAL && bind != STB_WEAK))
		return NULL;
	return img->strtab + sym->st_name;
}
