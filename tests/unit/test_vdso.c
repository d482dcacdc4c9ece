/* SPDX-License-Identifier: MIT */
/* test_vdso.c: the vDSO parser finds what the dynamic linker finds, through
 * both hash tables, and nothing that isn't there. */
#define _GNU_SOURCE
#include "vdso.h"
#include "tap.h"

#include <dlfcn.h>
#include <string.h>

int main(void)
{
	struct vdso_image img;
	char why[200];

	if (!tap_ok(vdso_open(&img, 0, why, sizeof(why)) == 0, "vDSO parses (%s)", why))
		return tap_done();
	tap_ok(img.sysv_hash || img.gnu_hash, "has a hash table (DT_HASH %s, DT_GNU_HASH %s)",
	       img.sysv_hash ? "yes" : "no", img.gnu_hash ? "yes" : "no");

	/* glibc's own view: the vDSO is loaded as linux-vdso.so.1 */
	void *h = dlopen("linux-vdso.so.1", RTLD_NOW | RTLD_NOLOAD);
	size_t checked = 0, agree = 0, both = 0;
	for (size_t i = 0; i < img.nsyms; i++) {
		const char *name = vdso_symbol_name(&img, i);
		if (!name)
			continue;
		void *any = vdso_lookup(&img, name, VDSO_VERSION, VDSO_HASH_ANY);
		void *sysv = vdso_lookup(&img, name, VDSO_VERSION, VDSO_HASH_SYSV);
		void *gnu = vdso_lookup(&img, name, VDSO_VERSION, VDSO_HASH_GNU);
		void *ld = h ? dlvsym(h, name, VDSO_VERSION) : NULL;
		checked++;
		if (any && (!img.sysv_hash || sysv == any) && (!img.gnu_hash || gnu == any))
			agree++;
		if (img.sysv_hash && img.gnu_hash && sysv == gnu)
			both++;
		if (h)
			tap_ok(ld == any, "%s@%s: parser %p, dlvsym %p", name, VDSO_VERSION, any, ld);
	}
	tap_ok(checked >= 4, "at least the four x86-64 functions are exported (%zu)", checked);
	tap_ok(agree == checked, "every export found through every hash table present (%zu/%zu)",
	       agree, checked);
	if (img.sysv_hash && img.gnu_hash)
		tap_ok(both == checked, "DT_HASH and DT_GNU_HASH agree on all %zu", checked);
	else
		tap_skip("only one hash table in this vDSO");
	if (!h)
		tap_skip("dlopen(linux-vdso.so.1, RTLD_NOLOAD) failed: no cross-check with dlvsym");

	static const char *const wanted[] = {
		"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu",
	};
	for (size_t i = 0; i < 4; i++)
		tap_ok(vdso_lookup(&img, wanted[i], VDSO_VERSION, VDSO_HASH_ANY) != NULL,
		       "%s found", wanted[i]);
	tap_ok(vdso_lookup(&img, "__vdso_no_such_thing", VDSO_VERSION, VDSO_HASH_ANY) == NULL,
	       "a missing name is not found");
	tap_ok(vdso_lookup(&img, "__vdso_time", "LINUX_9.9", VDSO_HASH_ANY) == NULL,
	       "a wrong version is not found");
	tap_ok(vdso_lookup(&img, "__vdso_time", NULL, VDSO_HASH_ANY) != NULL,
	       "no version asked: found");
	return tap_done();
}
