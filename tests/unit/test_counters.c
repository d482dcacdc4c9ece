/* SPDX-License-Identifier: MIT */
/*
 * test_counters.c: the counting path, for real, with the events this
 * machine has (software events and the syscall tracepoint always; hardware
 * counters where there is a PMU).
 */
#define _GNU_SOURCE
#include "counters.h"
#include "measure.h"
#include "probe.h"
#include "stats.h"
#include "tsc.h"
#include "tap.h"

#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int column(const struct counter_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].column, name))
			return (int)i;
	return -1;
}

static const struct bench *find(const char *mech, const char *sc)
{
	for (size_t i = 0; i < registry_count; i++)
		if (registry_native(&registry[i]) && !strcmp(registry[i].mechanism, mech) &&
		    !strcmp(registry[i].syscall, sc) && !strcmp(registry[i].abi, NATIVE_ABI))
			return &registry[i];
	return NULL;
}

int main(void)
{
	struct counter_set s, t;
	char why[256], spec[4096];
	struct stat st;
	int have_pmu = stat("/sys/bus/event_source/devices/cpu", &st) == 0;

	static const char *const defaults[] = {
		"cycles_user", "cycles_kernel", "instructions_user", "instructions_kernel",
		"branch_misses_user", "branch_misses_kernel", "syscalls_per_call",
		"task_clock_ns", "context_switches", "page_faults",
	};
	tap_ok(counters_define(&s, NULL, why, sizeof(why)) == 0 && s.n == 10, "default set: 10 counters");
	for (size_t i = 0; i < 10; i++)
		tap_ok(s.n == 10 && !strcmp(s.c[i].column, defaults[i]), "column %zu is %s", i, defaults[i]);
	int cu = column(&s, "cycles_user"), ck = column(&s, "cycles_kernel");
	tap_ok(s.c[cu].type == PERF_TYPE_HARDWARE && s.c[cu].config == PERF_COUNT_HW_CPU_CYCLES &&
	       s.c[cu].exclude_kernel && !s.c[cu].exclude_user, "cycles:u encodes to HW_CPU_CYCLES, user only");
	tap_ok(s.c[ck].exclude_user && !s.c[ck].exclude_kernel, "cycles:k counts the kernel only");
	tap_ok(s.c[cu].group == cu && s.c[ck].group == ck &&
	       s.c[column(&s, "instructions_user")].group == cu &&
	       s.c[column(&s, "branch_misses_kernel")].group == ck,
	       "hardware counters grouped by privilege level");

	/* --events names */
	tap_ok(counters_define(&t, "cache-misses,ref-cycles:k,context-switches:u", why, sizeof(why)) == 0,
	       "--events cache-misses,ref-cycles:k,context-switches:u accepted (%s)", why);
	tap_ok(column(&t, "cache_misses_user") >= 0 && column(&t, "cache_misses_kernel") >= 0,
	       "an unmodified name counts user and kernel apart");
	tap_ok(column(&t, "ref_cycles_kernel") >= 0 && column(&t, "ref_cycles_user") < 0, ":k counts the kernel only");
	tap_ok(column(&t, "context_switches_user") >= 0 && t.npairs == 4, "four extra columns in all");
	int cm = column(&t, "cache_misses_user");
	tap_ok(cm >= 0 && t.c[cm].type == PERF_TYPE_HARDWARE && t.c[cm].config == PERF_COUNT_HW_CACHE_MISSES,
	       "cache-misses encodes to HW_CACHE_MISSES");
	tap_ok(counters_define(&t, "no-such-event", why, sizeof(why)) == -1 && strstr(why, "'no-such-event'") &&
	       !strchr(why, '\n'), "an unknown event is a one-line error naming it: %s", why);
	tap_ok(counters_define(&t, "cycles,cycles", why, sizeof(why)) == -1, "a duplicate event is refused (%s)", why);
	tap_ok(counters_define(&t, "", why, sizeof(why)) == 0 && t.n == 10, "empty --events adds nothing");

	/* the worker's copy of the set */
	counters_spec(&s, spec, sizeof(spec));
	counters_define_spec(&t, spec);
	int same = t.n == s.n;
	for (size_t i = 0; same && i < s.n; i++)
		same = !strcmp(t.c[i].column, s.c[i].column) && t.c[i].type == s.c[i].type &&
		       t.c[i].config == s.c[i].config && t.c[i].exclude_user == s.c[i].exclude_user &&
		       t.c[i].group == s.c[i].group;
	tap_ok(same, "the encoded set survives the trip to the worker (%zu counters)", t.n);

	/* opening: hardware counters depend on the PMU; the rest must open */
	machine_pin(machine_default_cpu());
	counters_open_all(&s);
	counters_enable_all(&s);
	if (!have_pmu)
		tap_ok(s.c[cu].fd < 0 && !strcmp(s.c[cu].why, "no hardware PMU") &&
		       !strcmp(s.c[ck].why, "no hardware PMU"),
		       "no PMU: hardware counters closed with the reason 'no hardware PMU'");
	else
		tap_ok(s.c[cu].fd >= 0 || s.c[cu].why[0], "PMU present: cycles:u open or explained (%s)",
		       s.c[cu].why);
	int tc = column(&s, "task_clock_ns"), sc = column(&s, "syscalls_per_call");
	tap_ok(s.c[tc].fd >= 0, "task-clock opens everywhere");
	int can_trace = s.c[sc].fd >= 0;
	if (!can_trace)
		tap_diag("syscall tracepoint unavailable: %s", s.c[sc].why);

	/* exact syscall counts through the harness's own counting path */
	struct machine m;
	machine_probe(&m);
	static const char *const cases[][3] = {
		{ "syscall", "getppid", "1" }, { "syscall", "enosys", "1" },
		{ "vdso", "time", "0" }, { "vdso", "getcpu", "0" },
		{ "empty", "none", "0" }, { "vdso", "clock_gettime_cputime", "1" },
		{ "int80", "getppid", "1" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bench *b = find(cases[i][0], cases[i][1]);
		struct kargs a;
		if (!b || probe_bench(b, &m, &a, why, sizeof(why)) != STATUS_OK) {
			tap_skip("%s/%s: not runnable here (%s)", cases[i][0], cases[i][1], b ? why : "no row");
			continue;
		}
		struct measure_item it = { .kernel = b->kernel, .args = &a, .calls = 64 };
		double per[COUNTERS_MAX], v[15];
		for (int k = 0; k < 15; k++) {
			measure_count_sample(&it, &s, per);
			v[k] = per[sc];
		}
		stats_sort(v, 15);
		if (can_trace)
			tap_ok(v[7] == atof(cases[i][2]), "%s/%s: syscalls_per_call %s (median of 15: %.3f)",
			       cases[i][0], cases[i][1], cases[i][2], v[7]);
		else
			tap_skip("%s/%s: syscall count needs the tracepoint", cases[i][0], cases[i][1]);
	}
	counters_close_all(&s);

	/* task-clock agrees with the TSC. Counted alone: with the syscall
	 * tracepoint on, every syscall takes the tracing slow path and costs
	 * more, which is why scbench counts and times in separate phases.
	 * The development VM drifts by 10% from one second to the next, so the
	 * comparison is paired, sample by sample, like ratio_to_ref. Measured
	 * paired ratios over many runs: 0.87-1.02 for the syscall, 0.998-1.04
	 * for the vDSO call; the low ones came in busy minutes (this VM
	 * accounts no steal time, so the cause is not that). Tolerances: 20%
	 * and 10%. Counting the wrong thing (user time only, or per-process
	 * instead of per-thread) would be off by far more. */
	static const char *const timed[][2] = { { "syscall", "getppid" }, { "vdso", "clock_gettime" } };
	counters_define_spec(&t, "task_clock_ns,task-clock,1,1,0,0");
	counters_open_all(&t);
	counters_enable_all(&t);
	double rate = tsc_calibrate(50);
	for (size_t i = 0; i < 2; i++) {
		const struct bench *b = find(timed[i][0], timed[i][1]);
		struct kargs a;
		if (!b || probe_bench(b, &m, &a, why, sizeof(why)) != STATUS_OK)
			continue;
		struct measure_item it = { .kernel = b->kernel, .args = &a };
		int fault;
		it.calls = measure_choose_calls(b->kernel, &a, (uint64_t)(200000 * rate), 1ul << 22, &fault);
		double tsc_ns[201], clk_ns[201], per[1], scratch[201], med, lo, hi;
		for (int k = 0; k < 201; k++) {
			uint64_t tn, t2n;
			measure_sample(b->kernel, &a, it.calls, &tn, &t2n);
			tsc_ns[k] = ((double)t2n - (double)tn) / (double)it.calls / rate;
			measure_count_sample(&it, &t, per);
			clk_ns[k] = per[0];
		}
		/* paired: each task-clock sample against the TSC sample taken just
		 * before it, so the machine's drift cancels */
		stats_paired_ratio(clk_ns, tsc_ns, 201, 0.95, scratch, &med, &lo, &hi);
		double d = med - 1, tol = i == 0 ? 0.20 : 0.10;
		tap_ok(d > -tol && d < tol, "%s/%s: task-clock / TSC per call = %.3f [%.3f, %.3f] "
		       "(tolerance %.0f%%)", timed[i][0], timed[i][1], med, lo, hi, 100 * tol);
	}
	counters_close_all(&t);
	return tap_done();
}
