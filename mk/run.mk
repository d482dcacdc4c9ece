# SPDX-License-Identifier: MIT
# mk/run.mk: running the suite: deps, bench, crosscheck, ci-bench, plots, and how names given to make reach the recipes (included by the top Makefile, in order).

# ---- running ---------------------------------------------------------------

deps:
	@scripts/deps.sh build bench test

# The build's "CC file" lines go to $(BUILD)/build.log (warnings and errors
# still show); then the run, the plots and report, and what to do next.
bench:
	@scripts/deps.sh bench
	@mkdir -p $(BUILD)
	@$(MAKE) --no-print-directory all >$(BUILD)/build.log || \
		{ echo "scbench: the build failed; its log: $(BUILD)/build.log" >&2; exit 1; }
	@$(BUILD)/scbench run --out "$$RESULTS" $$BENCH_ARGS
	@$(BUILD)/scbench plots "$$RESULTS/latest"
	@scripts/next-steps.sh "$$RESULTS/latest"

# ---- whole-process cross-checks ----------------------------------------------
# One static program per mechanism and ABI (bench/calls.c), named
# <mechanism>_<abi-bits>, each making N calls of one registry row.
CROSS_64 := syscall_64:x86_64/syscall/getppid int80_64:x86_64/int80/getppid \
            vdso_64:x86_64/vdso/clock_gettime libc_64:x86_64/libc/getppid
CROSS_32 := int80_32:i386/int80/getppid sysenter_32:i386/sysenter/getppid \
            kernel_vsyscall_32:i386/kernel_vsyscall/getppid syscall_32:i386/syscall/getppid \
            vdso_32:i386/vdso/clock_gettime
cross_name = $(word 1,$(subst :, ,$(1)))
cross_row  = $(word 2,$(subst :, ,$(1)))
CROSS_PROGS := $(foreach p,$(CROSS_64),$(BUILD)/bench/$(call cross_name,$(p)))
ifeq ($(CAN_M32),yes)
CROSS_PROGS += $(foreach p,$(CROSS_32),$(BUILD)/bench/$(call cross_name,$(p)))
endif
define cross_rule
$(BUILD)/bench/$(call cross_name,$(1)): bench/calls.c $(PLAIN)/libscb$(2).a $(HEADERS)
	@mkdir -p $$(dir $$@)
	$$(call say,LD,$$@)
	$$(Q)$$(CC) $(3) $$(PLAIN_CFLAGS) -static -Iharness -DBENCH_NAME='"$(call cross_row,$(1))"' -o $$@ $$< $(PLAIN)/libscb$(2).a $(if $(filter 64,$(2)),$$(LIBS64)) $$(LDLIBS)
endef
$(foreach p,$(CROSS_64),$(eval $(call cross_rule,$(p),64,)))
$(foreach p,$(CROSS_32),$(eval $(call cross_rule,$(p),32,$(M32_FLAGS))))
cross-progs: $(CROSS_PROGS)

# harness vs hyperfine vs perf stat vs perf bench, into results/crosscheck/
crosscheck:
	@scripts/deps.sh crosscheck
	@$(MAKE) --no-print-directory all cross-progs
	@scripts/dev/crosscheck.sh $(BUILD) "$$RESULTS/crosscheck"

# CI gate: quick run vs BASELINE (default results/baseline), history, plot.
ci-bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	@scripts/ci/ci-bench.sh

# Plots and report of a results folder (default: the newest).
RUN ?= $(RESULTS)/latest
# The count gate's baseline (make icount-baseline renews it).
ICOUNT_BASELINE ?= results/icount-baseline
# Folder names reach the recipes through the environment and are quoted
# there ("$$RESULTS"): a name with spaces, quotes or $(...) is only a name.
# A value given on the command line or in the environment is taken as
# text, never as make code ($(value ...) into a simple variable): a branch
# or folder name with a $ in it is expanded by nobody.
# Every variable given on the command line, and these from the environment;
# each stays exported to the recipes and scripts as given.
NAME_VARS := RUN RESULTS BASELINE ICOUNT_BASELINE BENCH_ARGS COMPARE_ARGS CI_SUMMARY HISTORY_MAX_RUNS \
	VM_DEST VM_KERNEL VM_KERNEL_META VM_APPEND VM_TAG VM_VENDORS VM_TIMEOUT VM_CACHE VM_BASE_KERNEL BASE_REF
LITERAL_VARS := $(sort $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v))) \
	$(foreach v,$(NAME_VARS),$(if $(filter environment,$(origin $(v))),$(v))))
$(foreach v,$(filter-out MAKEFLAGS MAKEOVERRIDES MFLAGS,$(LITERAL_VARS)),$(eval override $(v) := $$(value $(v))))
export RESULTS RUN BENCH_ARGS ICOUNT_BASELINE $(filter-out MAKEFLAGS MAKEOVERRIDES MFLAGS,$(LITERAL_VARS))
plots: $(BUILD)/scbench
	@scripts/deps.sh plots
	@$(BUILD)/scbench plots "$$RUN"
