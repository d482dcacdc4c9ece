/*
 * counters.h: the one module that talks to perf_event.
 *
 * For now it counts how often this thread enters the kernel's syscall path
 * (the raw_syscalls:sys_enter tracepoint), which tells a real syscall from a
 * vDSO call served in user space. Tracepoints work without a hardware PMU,
 * so in VMs too; reading their ids needs tracefs, which needs root.
 */
#ifndef SCB_COUNTERS_H
#define SCB_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

/* A disabled counter of this thread's syscall entries: fd >= 0, or -1
 * with a reason a person can act on. */
int counters_open_syscalls(char *why, size_t len);

/* Reset and enable / disable; read the count. */
void counters_start(int fd);
void counters_stop(int fd);
int counters_read(int fd, uint64_t *value);

#endif
