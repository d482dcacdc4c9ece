/* SPDX-License-Identifier: MIT */
/*
 * io_uring_64.c: IORING_OP_NOP through an io_uring, per operation.
 *
 * Mechanism:    the ring's shared submission and completion queues
 *               (liburing, Debian's liburing-dev); one io_uring_enter(2)
 *               submits a batch and waits for it, so a batch of B costs
 *               1/B syscalls per operation. With IORING_SETUP_SQPOLL a
 *               kernel thread polls the submission queue and no syscall is
 *               made at all while it is awake: submissions are stores to
 *               shared memory, completions are spun on.
 * Kernel entry: entry_SYSCALL_64 -> io_uring_enter (io_uring/io_uring.c)
 *               once per batch; none with SQPOLL (the poller runs
 *               io_submit_sqes on its own CPU).
 * Clobbers:     C code: the SysV caller-saved set.
 * Works:        Linux 5.1+ with CONFIG_IO_URING and kernel.io_uring_disabled
 *               = 0 (or 1 for members of io_uring_group), not forbidden by a
 *               seccomp filter; SQPOLL unprivileged since 5.11.
 *
 * Written in C, not assembly, because liburing's queue handling is inline
 * C (memory barriers on the shared head and tail); the loop around it is
 * the same as every kernel's: `calls` operations, the result of the last.
 *
 * The ring is created by the kernel's first call, not when the row is
 * prepared: the probe runs the first calls in a forked child, and a ring
 * shared across fork would have the child advance queues the parent's
 * liburing state does not know about. Warm-up rounds absorb the setup.
 *
 * kargs: fn -> struct scb_uring (harness/kernels.h), a0 = batch size,
 * a1 = 1 for SQPOLL. Returns calls when every NOP completed with res 0,
 * else the first failure's negative errno.
 */
#define _GNU_SOURCE
#include "../harness/kernels.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#ifdef SCB_HAVE_URING
#include <liburing.h>

static int setup(struct scb_uring *u, int sqpoll)
{
	struct io_uring_params p;
	struct io_uring *ring = (struct io_uring *)u->ring;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu = sched_getcpu();

	_Static_assert(sizeof(struct io_uring) <= sizeof(u->ring), "scb_uring.ring too small");
	memset(&p, 0, sizeof(p));
	if (sqpoll) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 2000;	/* ms awake after the last submission */
		if (ncpu > 1 && cpu >= 0) {	/* the poller off the measured CPU */
			p.flags |= IORING_SETUP_SQ_AFF;
			p.sq_thread_cpu = (unsigned)((cpu + 1) % ncpu);
		}
	}
	int rc = io_uring_queue_init_params(64, ring, &p);
	if (rc == 0)
		u->ready = 1;
	return rc;
}

long k_io_uring_64_nop(unsigned long calls, struct kargs *a)
{
	struct scb_uring *u = a->fn;
	struct io_uring *ring = (struct io_uring *)u->ring;
	unsigned long batch = (unsigned long)a->a0, done = 0;
	int sqpoll = a->a1 != 0;

	if (!u->ready) {
		int rc = setup(u, sqpoll);
		if (rc < 0)
			return rc;
	}
	while (done < calls) {
		unsigned k = (unsigned)(calls - done < batch ? calls - done : batch);
		for (unsigned i = 0; i < k; i++)
			io_uring_prep_nop(io_uring_get_sqe(ring));
		if (sqpoll) {
			/* enters the kernel only when the poller sleeps
			 * (IORING_SQ_NEED_WAKEUP) */
			io_uring_submit(ring);
			while (io_uring_cq_ready(ring) < k)
				;
		} else {
			int rc = io_uring_submit_and_wait(ring, k);
			if (rc < 0)
				return rc;
		}
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		long bad = 0;
		io_uring_for_each_cqe(ring, head, cqe) {
			if (cqe->res < 0 && !bad)
				bad = cqe->res;
			if (++seen == k)
				break;
		}
		io_uring_cq_advance(ring, seen);
		if (bad)
			return bad;
		done += k;
	}
	return (long)done;
}

void scb_uring_close(struct scb_uring *u)
{
	if (u->ready)
		io_uring_queue_exit((struct io_uring *)u->ring);
	u->ready = 0;
}

int scb_uring_try(int sqpoll)
{
	struct scb_uring u = { 0 };
	int rc = setup(&u, sqpoll);

	scb_uring_close(&u);
	return rc;
}
#else
long k_io_uring_64_nop(unsigned long calls, struct kargs *a)
{
	(void)calls, (void)a;
	return -ENOSYS;
}

void scb_uring_close(struct scb_uring *u)
{
	(void)u;
}

int scb_uring_try(int sqpoll)
{
	(void)sqpoll;
	return -ENOSYS;
}
#endif
