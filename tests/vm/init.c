/* SPDX-License-Identifier: MIT */
/*
 * init.c: /init of the scbench test guest (a static x86-64 program; the
 * initramfs holds nothing else but scbench's own static binaries).
 *
 * Mounts what the binaries need (proc, sysfs, devtmpfs, tracefs for the
 * syscall counts), runs them with all their output on the second serial
 * port (ttyS1, raw, so kernel messages on ttyS0 never interleave), sends
 * results files between "=== FILE name" / "=== END name" lines, prints
 * "SCB-END failures=N", and reports the verdict to QEMU's isa-debug-exit
 * device (port 0xf4: 0x10 pass, 0x11 fail; QEMU exits with (v << 1) | 1).
 *
 * Switches come from the kernel command line (unknown key=value words
 * become /init's environment): scb_mode=test|bench|icount|probe, scb_vendor=NAME,
 * scb_args="..." (extra options for `scbench run` in bench mode, '+' for
 * spaces).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define DEBUG_EXIT_PORT 0xf4

static int out = 1;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdprintf(out, fmt, ap);
	va_end(ap);
}

static int run(char *const argv[])
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
		execv(argv[0], argv);
		say("# init: cannot execute %s\n", argv[0]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	if (WIFSIGNALED(st)) {
		say("# init: %s killed by signal %d\n", argv[0], WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	return WEXITSTATUS(st);
}

static int dump_as(const char *dir, const char *name, const char *as);

static int dump(const char *dir, const char *name)
{
	return dump_as(dir, name, name);
}

/* Send dir/name between "=== FILE as" and "=== END as" lines. */
static int dump_as(const char *dir, const char *name, const char *as)
{
	char path[256], buf[65536];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		say("# init: no %s\n", path);
		return 1;
	}
	say("=== FILE %s\n", as);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	close(fd);
	say("=== END %s\n", as);
	return 0;
}

static void finish(int failures)
{
	say("SCB-END failures=%d\n", failures);
	tcdrain(out);
	if (ioperm(DEBUG_EXIT_PORT, 4, 1) == 0)
		outb(failures ? 0x11 : 0x10, DEBUG_EXIT_PORT);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

int main(void)
{
	const char *mode = getenv("scb_mode"), *vendor = getenv("scb_vendor");
	const char *extra = getenv("scb_args");
	int failures = 0, fd;
	struct termios tio;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	fd = open("/dev/ttyS1", O_WRONLY | O_NOCTTY);
	if (fd >= 0) {
		out = fd;
		if (tcgetattr(out, &tio) == 0) {
			cfmakeraw(&tio);
			tcsetattr(out, TCSANOW, &tio);
		}
	}
	if (!mode)
		mode = "test";
	say("SCB-BEGIN mode=%s vendor=%s\n", mode, vendor ? vendor : "?");
	if (!strcmp(mode, "probe"))	/* the lane asking whether this accelerator boots */
		finish(0);

	if (!strcmp(mode, "test")) {
		char *k64[] = { "/test_kernels", NULL };
		char *k32[] = { "/test_kernels32", NULL };
		char *quick[] = { "/scbench", "run", "--quick", "--runs", "30", "--warmup", "2", "--processes", "3",
				  "--out", "/results", "--no-table", NULL };
		say("# guest: test_kernels (x86_64)\n");
		failures += run(k64) != 0;
		say("# guest: test_kernels32 (i386)\n");
		failures += run(k32) != 0;
		say("# guest: scbench run --quick\n");
		failures += run(quick) != 0;
		failures += dump("/results/latest", "summary.csv");
		failures += dump("/results/latest", "env.csv");
	} else {
		char *argv[32] = { "/scbench", "run", "--out", "/results", NULL };
		int argc = 4;
		static char buf[512];
		if (extra) {
			snprintf(buf, sizeof(buf), "%s", extra);
			for (char *p = buf; *p; p++)
				if (*p == '+')
					*p = ' ';
			for (char *tok = strtok(buf, " "); tok && argc < 30; tok = strtok(NULL, " "))
				argv[argc++] = tok;
		}
		argv[argc] = NULL;
		failures += run(argv) != 0;
		failures += dump("/results/latest", "summary.csv");
		failures += dump("/results/latest", "samples.csv");
		failures += dump("/results/latest", "env.csv");
		if (!strcmp(mode, "icount")) {
			/* Clean timing, exactly: the x86_64 syscall row alone, then
			 * beside the i386 worker, with counting on in both. A
			 * counter (tracepoint) open while timing would show as
			 * extra instructions per syscall. */
			char *alone[] = { "/scbench", "run", "--icount", "--runs", "10", "--warmup", "0",
					  "--target-us", "10", "--counter-runs", "3", "--no-table",
					  "--filter", "^x86_64/syscall/getppid$", "--out", "/check1", NULL };
			char *beside[] = { "/scbench", "run", "--icount", "--runs", "10", "--warmup", "0",
					   "--target-us", "10", "--counter-runs", "3", "--no-table",
					   "--filter", "^x86_64/syscall/getppid$|^i386/int80/getppid$",
					   "--out", "/check2", NULL };
			failures += run(alone) != 0;
			failures += dump_as("/check1/latest", "summary.csv", "check-alone.csv");
			failures += run(beside) != 0;
			failures += dump_as("/check2/latest", "summary.csv", "check-worker.csv");
			/* the test build with one added instruction per enosys call */
			char *nop[] = { "/scbench-nop", "run", "--icount", "--runs", "10", "--warmup", "0",
					"--target-us", "10", "--counter-runs", "0", "--no-table",
					"--filter", "^x86_64/syscall/enosys$", "--out", "/check3", NULL };
			if (access(nop[0], X_OK) == 0) {
				failures += run(nop) != 0;
				failures += dump_as("/check3/latest", "summary.csv", "nop-summary.csv");
				failures += dump_as("/check3/latest", "samples.csv", "nop-samples.csv");
				failures += dump_as("/check3/latest", "env.csv", "nop-env.csv");
			}
		}
	}
	finish(failures);
}
