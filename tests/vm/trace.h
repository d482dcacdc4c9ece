/* SPDX-License-Identifier: MIT */
/*
 * trace.h: what the trace guest's two programs share (tests/vm/trace_init.c,
 * x86-64, and tests/vm/trace32.c, i386). Both are built -nostdlib -static:
 * no C library runs between the marked addresses, or anywhere near them.
 *
 * The including file defines, for its ABI: sc1()..sc4() (raw syscalls), the
 * numbers NR_READ, NR_WRITE, NR_OPEN, NR_CLOSE, NR_IOCTL, NR_NANOSLEEP, and ElfW_Ehdr/ElfW_Phdr/
 * ElfW_Shdr/ElfW_Sym/ElfW_auxv (the ELF types of its width).
 *
 * The protocol with scripts/vm/vm-trace.sh, on the second serial port (ttyS1,
 * raw): the guest prints "SCBT-READY TAG" and blocks reading one byte; the
 * host switches QEMU's exec trace on through the monitor and sends the byte;
 * the guest runs the marked runs, prints "SCBT-DONE TAG" and blocks again
 * while the host switches the trace off; then the guest prints its own
 * guest-TSC figures ("SCBT-TSC ...", under -icount the TSC counts guest
 * instructions) and the results of each row's calls ("SCBT-RET ...").
 */
#ifndef SCB_TRACE_H
#define SCB_TRACE_H

#include <stdint.h>
#include <elf.h>
#include <asm/termbits.h>
#include <asm/ioctls.h>

#define O_RDWR_    02
#define O_NOCTTY_  0400

struct kargs {			/* asm/kernel_c.h's layout (KA_FN, KA_A0...) */
	void *fn;
	long a0, a1, a2, a3;
	char *buf;
};

/* One row: its scbench name and its runs of 16 and 32 calls
 * (trace_runs_64.S / trace_runs_32.S). A run stores the guest TSC just
 * before its first call and just after its last into tsc[0], tsc[1], and
 * returns the last call's result. */
typedef long (*scbt_run)(struct kargs *a, uint64_t *tsc);
struct row {
	const char *name;	/* abi/mechanism/syscall, as `scbench list` */
	scbt_run run16, run32;
	struct kargs *args;
	int skip;		/* not on this vendor, or nothing to call */
};

#define LOOPS 3

/* scbt_rows=PREFIX on the kernel command line: only the rows whose name
 * starts with it run (one mechanism: x86_64/int80/); set by each program */
static const char *row_prefix;

static int row_wanted(const char *name)
{
	const char *p = row_prefix;
	if (!p || !*p)
		return 1;
	while (*p && *p == *name)
		p++, name++;
	return !*p;
}

static int port = 1;		/* ttyS1 once opened */

static unsigned long slen(const char *s)
{
	unsigned long n = 0;
	while (s[n])
		n++;
	return n;
}

static int seq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void put(const char *s)
{
	sc3(NR_WRITE, port, (long)s, (long)slen(s));
}

static void putu(uint64_t v)
{
	char b[24];
	int i = 23;
	b[i] = 0;
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(b + i);
}

static void puti(long v)
{
	if (v < 0) {
		put("-");
		putu((uint64_t)-v);
	} else {
		putu((uint64_t)v);
	}
}

static void open_port(void)
{
	struct termios t;
	long fd = sc3(NR_OPEN, (long)"/dev/ttyS1", O_RDWR_ | O_NOCTTY_, 0);

	if (fd < 0)
		return;
	port = (int)fd;
	if (sc3(NR_IOCTL, port, TCGETS, (long)&t) == 0) {	/* cfmakeraw */
		t.c_iflag &= ~(unsigned)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
		t.c_oflag &= ~(unsigned)OPOST;
		t.c_lflag &= ~(unsigned)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
		t.c_cflag &= ~(unsigned)(CSIZE | PARENB);
		t.c_cflag |= CS8;
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		sc3(NR_IOCTL, port, TCSETS, (long)&t);
	}
}

static void wait_host(void)
{
	char c;
	while (sc3(NR_READ, port, (long)&c, 1) != 1)
		;
}

static unsigned long auxval(ElfW_auxv *av, unsigned long type)
{
	for (; av->a_type; av++)
		if (av->a_type == type)
			return av->a_un.a_val;
	return 0;
}

/* A symbol of the vDSO image at base (its section headers are mapped with
 * it): the address it is loaded at, or 0. */
static void *vdso_sym(unsigned long base, const char *name)
{
	ElfW_Ehdr *eh = (ElfW_Ehdr *)base;
	ElfW_Phdr *ph;
	ElfW_Shdr *sh;
	unsigned long load = 0;

	if (!base)
		return 0;
	ph = (ElfW_Phdr *)(base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			load = base + ph[i].p_offset - ph[i].p_vaddr;
			break;
		}
	sh = (ElfW_Shdr *)(base + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		ElfW_Sym *sym = (ElfW_Sym *)(base + sh[i].sh_offset);
		const char *str = (const char *)(base + sh[sh[i].sh_link].sh_offset);
		unsigned long n = sh[i].sh_size / sizeof(ElfW_Sym);
		for (unsigned long k = 0; k < n; k++)
			if (sym[k].st_name && sym[k].st_shndx != SHN_UNDEF && seq(str + sym[k].st_name, name))
				return (void *)(load + sym[k].st_value);
	}
	return 0;
}

/*
 * Profile mode (scripts/vm/vm-profile.sh boots with scbt_profile=full or
 * scbt_profile=head, which the kernel hands to /init's environment): after
 * the traced runs the guest writes the symbols the host needs to name each
 * traced address, on QEMU's isa-debugcon port 0xe9 (a byte per OUT, no
 * UART, no interrupts): "SCBD-VDSO ABI BASE END" and one "V ADDR SIZE
 * NAME" per defined vDSO symbol, then "SCBD-KALLSYMS full" and all of
 * /proc/kallsyms' text lines, or "SCBD-KALLSYMS head" and about the first
 * 2000 of them (trace_init.c). Generating and sending all of /proc/kallsyms
 * costs ~1.6 s of host CPU per guest (measured: 7.7 against 6.1 s for the
 * Intel guest's whole run), so the host caches a kernel's table (the guest boots nokaslr: the
 * same addresses every boot) and asks for the head, to check it against
 * the cache. Addresses are 16 hex digits, as the exec trace prints them.
 */
#define DEBUGCON 0xe9

/* The value of NAME=VALUE in the environment (name given with its '='),
 * or 0. */
static const char *env_get(char **envp, const char *name)
{
	for (; envp && *envp; envp++) {
		const char *e = *envp, *n = name;
		while (*n && *e == *n)
			e++, n++;
		if (!*n)
			return e;
	}
	return 0;
}

static void dbg_write(const char *s, unsigned long n)
{
	__asm__ volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(DEBUGCON) : "memory");
}

static void dbg_put(const char *s)
{
	dbg_write(s, slen(s));
}

static void dbg_hex(uint64_t v)
{
	char b[16];
	for (int i = 15; i >= 0; i--, v >>= 4)
		b[i] = "0123456789abcdef"[v & 15];
	dbg_write(b, 16);
}

/* Every defined symbol of the vDSO image at base, with its loaded address
 * and size, and the image's extent (its PT_LOAD segments). */
static void vdso_dump(const char *abi, unsigned long base)
{
	ElfW_Ehdr *eh = (ElfW_Ehdr *)base;
	ElfW_Phdr *ph;
	ElfW_Shdr *sh;
	unsigned long load = 0, end = 0;
	int have = 0;

	if (!base)
		return;
	ph = (ElfW_Phdr *)(base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			if (!have)
				load = base + ph[i].p_offset - ph[i].p_vaddr;
			have = 1;
			if (load + ph[i].p_vaddr + ph[i].p_memsz > end)
				end = load + ph[i].p_vaddr + ph[i].p_memsz;
		}
	dbg_put("SCBD-VDSO ");
	dbg_put(abi);
	dbg_put(" ");
	dbg_hex(base);
	dbg_put(" ");
	dbg_hex(end);
	dbg_put("\n");
	sh = (ElfW_Shdr *)(base + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		ElfW_Sym *sym = (ElfW_Sym *)(base + sh[i].sh_offset);
		const char *str = (const char *)(base + sh[sh[i].sh_link].sh_offset);
		unsigned long n = sh[i].sh_size / sizeof(ElfW_Sym);
		for (unsigned long k = 0; k < n; k++) {
			if (!sym[k].st_name || sym[k].st_shndx == SHN_UNDEF || sym[k].st_shndx >= SHN_LORESERVE)
				continue;
			dbg_put("V ");
			dbg_hex(load + sym[k].st_value);
			dbg_put(" ");
			dbg_hex(sym[k].st_size);
			dbg_put(" ");
			dbg_put(str + sym[k].st_name);
			dbg_put("\n");
		}
	}
}

static int cpu_is_intel(void)
{
	unsigned a = 0, b, c, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;	/* GenuineIntel */
}

/* The jiffies /proc/stat's "cpu" line counts busy (all but idle and
 * iowait); 0 if it can't be read. */
static uint64_t busy_jiffies(void)
{
	char b[256];
	uint64_t v[10] = { 0 }, busy = 0;
	long fd = sc3(NR_OPEN, (long)"/proc/stat", 0, 0), n;
	int k = -1;

	if (fd < 0)
		return 0;
	n = sc3(NR_READ, fd, (long)b, sizeof(b) - 1);
	sc3(NR_CLOSE, fd, 0, 0);
	for (long i = 0; i < n && b[i] != '\n' && k < 10; i++) {
		if (b[i] >= '0' && b[i] <= '9') {
			if (k < 0 || (i > 0 && !(b[i - 1] >= '0' && b[i - 1] <= '9')))
				k++;
			if (k < 10)
				v[k] = v[k] * 10 + (uint64_t)(b[i] - '0');
		}
	}
	for (int i = 0; i < 10; i++)
		if (i != 3 && i != 4)
			busy += v[i];
	return busy;
}

/* Wait (in 20 ms sleeps, at most 400) until the kernel's own start-up work
 * is done: a sleep during which no tick found the CPU busy. The trace
 * logs every instruction while this program waits for the host, whoever
 * runs them: on 6.12 the crypto self-tests (cryptomgr_test: ffdhe's
 * mpi_powm) were still running and took 4.2M of the trace's 4.4M lines
 * (over 100 s on a busy host). Booting with cryptomgr.notests instead
 * changed the vDSO rows' counts (64 -> 70 instructions), so the guest
 * waits. Sleeping is free under -icount sleep=off: an idle guest's clock
 * jumps to its next timer; a busy one's 20 ms are 20M instructions.
 * Returns the sleeps taken. */
static int settle(void)
{
	struct { long s, ns; } t = { 0, 20000000 };
	int i;

	for (i = 1; i <= 400; i++) {
		uint64_t a = busy_jiffies();
		sc3(NR_NANOSLEEP, (long)&t, 0, 0);
		if (busy_jiffies() - a <= 1)	/* this program's own wake-up */
			break;
	}
	return i;
}

/* Warm up (untraced), hand over to the host, run every row LOOPS times
 * under the trace, hand back, then report. */
static void run_rows(const char *tag, struct row *rows, int n)
{
	static uint64_t warm[64][2][2], tsc[64][LOOPS][2][2];
	static long ret[64][2];

	for (int r = 0; r < n; r++)
		if (!row_wanted(rows[r].name))
			rows[r].skip = 1;
	for (int r = 0; r < n; r++)
		if (!rows[r].skip) {
			rows[r].run16(rows[r].args, warm[r][0]);
			rows[r].run32(rows[r].args, warm[r][1]);
			/* the untraced figures come from this second pass */
			rows[r].run16(rows[r].args, warm[r][0]);
			rows[r].run32(rows[r].args, warm[r][1]);
		}
	int s = settle();
	put("SCBT-SETTLE ");
	put(tag);
	put(" ");
	putu((uint64_t)s);
	put("\n");
	put("SCBT-READY ");
	put(tag);
	put("\n");
	wait_host();
	for (int l = 0; l < LOOPS; l++)
		for (int r = 0; r < n; r++)
			if (!rows[r].skip) {
				ret[r][0] = rows[r].run16(rows[r].args, tsc[r][l][0]);
				ret[r][1] = rows[r].run32(rows[r].args, tsc[r][l][1]);
			}
	put("SCBT-DONE ");
	put(tag);
	put("\n");
	wait_host();
	for (int r = 0; r < n; r++) {
		if (rows[r].skip) {
			put("SCBT-SKIP ");
			put(rows[r].name);
			put("\n");
			continue;
		}
		/* SCBT-TSC name pass N delta: pass "warm" ran without the
		 * trace, passes 0..LOOPS-1 with it */
		for (int k = 0; k < 2; k++) {
			put("SCBT-TSC ");
			put(rows[r].name);
			put(" warm ");
			putu(k ? 32 : 16);
			put(" ");
			putu(warm[r][k][1] - warm[r][k][0]);
			put("\n");
		}
		for (int l = 0; l < LOOPS; l++)
			for (int k = 0; k < 2; k++) {
				put("SCBT-TSC ");
				put(rows[r].name);
				put(" ");
				putu((uint64_t)l);
				put(" ");
				putu(k ? 32 : 16);
				put(" ");
				putu(tsc[r][l][k][1] - tsc[r][l][k][0]);
				put("\n");
			}
		put("SCBT-RET ");
		put(rows[r].name);
		put(" ");
		puti(ret[r][0]);
		put(" ");
		puti(ret[r][1]);
		put("\n");
	}
}

#endif
