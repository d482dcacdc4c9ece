/* SPDX-License-Identifier: MIT */
/*
 * test_disturb.c: which tasks seen runnable on the pinned CPU the
 * disturbance check counts (disturb_task_is_ours), without timing: scbench's
 * own threads, its workers and probe children, and the io_uring SQPOLL
 * pollers ("iou-sqp-N") of its own rings are not a disturbance; another
 * process, or another process's poller, is. And a live look: a SQPOLL-like
 * thread of this process, found through /proc, is ours.
 */
#define _GNU_SOURCE
#include "disturb.h"
#include "tap.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SELF 1000L
#define CHILD 1001L

static long fake_parent(long pid)
{
	return pid == CHILD ? SELF : pid == 2000 ? 1 : 0;
}

static void *idle_thread(void *p)
{
	(void)p;
	pause();
	return NULL;
}

int main(void)
{
	tap_ok(disturb_task_is_ours(SELF, SELF, 1, "scbench", fake_parent), "our main thread is ours");
	tap_ok(disturb_task_is_ours(SELF, SELF, 1, "iou-sqp-1000", fake_parent),
	       "our SQPOLL poller, a thread of our group, is ours");
	tap_ok(disturb_task_is_ours(SELF, 4242, 1, "iou-sqp-1000", fake_parent),
	       "a poller named after our group but listed apart (its own tgid) is ours");
	tap_ok(disturb_task_is_ours(SELF, 4242, 1, "iou-sqp-1001", fake_parent),
	       "the poller of a child of ours (a probe child's ring) is ours");
	tap_ok(disturb_task_is_ours(SELF, CHILD, SELF, "scbench32", fake_parent),
	       "our i386 worker (ppid ours) is ours");
	tap_ok(!disturb_task_is_ours(SELF, 2000, 1, "iou-sqp-2000", fake_parent),
	       "another process's SQPOLL poller is a disturbance");
	tap_ok(!disturb_task_is_ours(SELF, 3000, 1, "yes", fake_parent), "another process is a disturbance");
	tap_ok(!disturb_task_is_ours(SELF, 3000, 1, "iou-sqp-1000x", fake_parent) &&
		       !disturb_task_is_ours(SELF, 3000, 1, "iou-sqp-", fake_parent) &&
		       !disturb_task_is_ours(SELF, 3000, 1, "iou-sqp--1000", fake_parent) &&
		       !disturb_task_is_ours(SELF, 3000, 1, "iou-sqp-99999999999999999999", fake_parent),
	       "a malformed iou-sqp- name is not taken for ours");
	tap_ok(!disturb_task_is_ours(SELF, 2000, 1, "iou-sqp-2000", NULL) &&
		       disturb_task_is_ours(SELF, 2000, 1, "iou-sqp-1000", NULL),
	       "without a parent lookup, only our own group's poller is ours");

	/* live: a second thread of this process, named as the kernel names a
	 * SQPOLL poller, found in /proc/self/task */
	pthread_t t;
	char name[16], path[300], comm[32] = "";
	long self = (long)getpid(), tid = 0;
	snprintf(name, sizeof(name), "iou-sqp-%ld", self % 10000000);
	if (pthread_create(&t, NULL, idle_thread, NULL) == 0 && pthread_setname_np(t, name) == 0) {
		DIR *d = opendir("/proc/self/task");
		struct dirent *e;
		while (d && (e = readdir(d)) && !tid) {
			FILE *f;
			snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
			if (atol(e->d_name) != self && atol(e->d_name) > 0 && (f = fopen(path, "re"))) {
				if (fgets(comm, sizeof(comm), f) && (comm[strcspn(comm, "\n")] = '\0', !strcmp(comm, name)))
					tid = atol(e->d_name);
				fclose(f);
			}
		}
		if (d)
			closedir(d);
	}
	if (!tid)
		tap_skip("no thread named %s found in /proc/self/task", name);
	else
		tap_ok(disturb_task_is_ours(self, self, getppid(), comm, NULL),
		       "a live thread of this process named %s (task %ld) is ours", comm, tid);
	return tap_done();
}
