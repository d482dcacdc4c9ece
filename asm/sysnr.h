/* SPDX-License-Identifier: MIT */
/*
 * System call numbers used by the kernels, for the assembler and for C.
 * They are spelled out rather than taken from <asm/unistd_*.h> because the
 * kernels of both ABIs are built in one tree and the numbers are part of each
 * kernel's documented ABI.
 */
#ifndef SCB_SYSNR_H
#define SCB_SYSNR_H

/* x86-64 table (arch/x86/entry/syscalls/syscall_64.tbl) */
#define NR64_GETPPID        110
#define NR64_CLOCK_GETTIME  228
#define NR64_GETRANDOM      318

/* The x32 ABI shares the x86-64 entry and most of its numbers, marked by
 * this bit (arch/x86/include/uapi/asm/unistd.h); x32 getppid is 110 | bit. */
#define X32_SYSCALL_BIT     0x40000000
#define NRX32_GETPPID       (X32_SYSCALL_BIT + 110)

/* i386 table (arch/x86/entry/syscalls/syscall_32.tbl), also what int $0x80
 * expects from a 64-bit process */
#define NR32_GETPPID        64
#define NR32_CLOCK_GETTIME  265	/* 32-bit time_t timespec */
#define NR32_CLOCK_GETTIME64 403

/* Far above any table: the entry code rejects it with -ENOSYS. */
#define NR_ENOSYS           100000

#endif
