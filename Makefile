# SPDX-License-Identifier: MIT
# scbench: see README.md. `make help` lists the targets.
include config.mk

# libpfm4 turns event names into perf_event encodings (--events). The 64-bit
# harness uses it when its header is installed (Debian: libpfm4-dev); the
# i386 worker never needs it: it counts what the parent encoded.
# Targets that install packages first (scripts/deps.sh) and build in a
# sub-make: a missing tool is only worth a warning there, after deps ran.
DEPS_FIRST := $(filter bench test ci-bench crosscheck deps fuzz plots bench-vm test-vm,$(MAKECMDGOALS))
note_missing = $(if $(and $(filter 0,$(MAKELEVEL)),$(DEPS_FIRST)),,$(shell echo 'scbench: $(1)' >&2))
HASH := \#
, := ,
HAVE_PFM := $(shell printf '$(HASH)include <perfmon/pfmlib_perf_event.h>\nint main(void){return pfm_initialize();}' | $(CC) -x c - -lpfm -o /dev/null 2>/dev/null && echo yes)
# liburing (Debian: liburing-dev) drives the io_uring rows; without it they
# are unsupported with that reason.
HAVE_URING := $(shell printf '$(HASH)include <liburing.h>\nint main(void){struct io_uring r; return io_uring_queue_init(1, &r, 0);}' | $(CC) -x c - -luring -o /dev/null 2>/dev/null && echo yes)
ifeq ($(HAVE_URING),yes)
URING_CFLAGS := -DSCB_HAVE_URING
URING_LIBS   := -luring
else
$(call note_missing,liburing not found$(,) so the io_uring rows are unsupported (install liburing-dev))
endif
ifeq ($(HAVE_PFM),yes)
PFM_CFLAGS := -DSCB_HAVE_PFM
PFM_LIBS   := -lpfm
else
$(call note_missing,libpfm4 not found$(,) so --events takes perf's generic names only (install libpfm4-dev))
endif

# Quiet by default, kernel style: "  CC  harness/run.c"; V=1 shows every
# command in full.
ifeq ($(V),1)
Q :=
say =
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q := @
say =
else
Q := @
say = @printf '  %-5s %s\n' '$(1)' '$(2)'
endif

GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)

# SAN=1: everything that can be sanitized is built with $(SANITIZE) (ASan,
# UBSan, LeakSanitizer) into $(BUILD)-san; the static programs (the VM
# lane's guest binaries, the cross-check programs) can't be, and link a
# plain copy of the library built beside it ($(PLAIN)).
ifeq ($(SAN),1)
override BUILD := $(BUILD)-san
SAN_CFLAGS := $(SANITIZE)
PLAIN := $(BUILD)/plain
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1:exitcode=87
else
PLAIN := $(BUILD)
endif
PLAIN_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) $(URING_CFLAGS) -DSCB_GIT_COMMIT='"$(GIT_COMMIT)"'
LIBS64 := $(PFM_LIBS) $(URING_LIBS)
ALL_CFLAGS := $(PLAIN_CFLAGS) $(SAN_CFLAGS)
LDLIBS     := -lm

HARNESS_SRC := $(filter-out harness/main.c,$(wildcard harness/*.c))
ASM_SRC_64  := $(wildcard asm/*_64.S)
# kernels that must be C (asm/io_uring_64.c: liburing's inline queue code)
KC_SRC_64   := $(wildcard asm/*_64.c)
ASM_SRC_32  := $(wildcard asm/*_32.S)
HEADERS     := $(wildcard harness/*.h asm/*.h) bench/benchmarks.def

OBJ64_LIB := $(patsubst %.c,$(BUILD)/64/%.o,$(HARNESS_SRC) $(KC_SRC_64)) \
             $(patsubst %.S,$(BUILD)/64/%.o,$(ASM_SRC_64))
OBJ32_LIB := $(patsubst %.c,$(BUILD)/32/%.o,$(HARNESS_SRC)) \
             $(patsubst %.S,$(BUILD)/32/%.o,$(ASM_SRC_32))

# The i386 worker needs a compiler that can build and link -m32 programs
# (Debian: gcc-multilib). Probed once per make run, like the kernel's
# selftests/x86 Makefile does; without it only the 64-bit side is built and
# scbench reports the i386 rows as unsupported with this reason.
# -fno-pie: sysenter_32.S and syscall_32.S push absolute return addresses.
M32_FLAGS := -m32 -fno-pie -no-pie
CAN_M32   := $(shell printf 'int main(void){return 0;}' | $(CC) $(M32_FLAGS) -x c - -o /dev/null 2>/dev/null && echo yes)

ifeq ($(CAN_M32),yes)
ALL_BINS := $(BUILD)/scbench $(BUILD)/scbench32
else
ALL_BINS := $(BUILD)/scbench
$(call note_missing,$(CC) cannot build -m32 programs$(,) so the i386 worker is skipped (install gcc-multilib))
endif

.PHONY: all help bench test deps fuzz install uninstall clean distclean vm-images test-vm bench-vm bench-icount icount-baseline kernels-update bench-matrix plots ci-bench crosscheck cross-progs

all: $(ALL_BINS)

help:
	@echo "scbench targets:"
	@echo "  make bench      install missing packages, build, run the full suite, print the table,"
	@echo "                  plots and report (~50 s; BENCH_ARGS='--quick': ~6 s)"
	@echo "  make test       build and run every test, the VM lane included (what CI runs)"
	@echo "  make test-vm    only the VM lane: i386 paths in QEMU guests (Intel and AMD models)"
	@echo "  make bench-vm   the full suite inside both QEMU guests (timings are emulation, not hardware;"
	@echo "                  KVM on the host CPU where a probe guest boots)"
	@echo "  make bench-icount  both guests under QEMU -icount: exact guest instructions per call"
	@echo "  make bench-matrix  guest kernel x boot options x vendor under icount (bench/matrix.cells)"
	@echo "  make icount-baseline  renew results/icount-baseline (the count gate in make test; commit first)"
	@echo "  make kernels-update   re-resolve bench/kernels.lock (the lanes' pinned guest kernels) against"
	@echo "                  Debian's archive: boots old and new, writes a roll report of what moved"
	@echo "  make plots      plots (PNG, SVG) and report.md/.html of RUN=results/<dir> (default: latest)"
	@echo "  make ci-bench   quick run compared with results/baseline (BASELINE=...), appended to"
	@echo "                  results/history.csv, history plot. In CI call scripts/ci-bench.sh"
	@echo "                  (or scripts/ci-icount.sh) directly: they exit 0 no regression,"
	@echo "                  1 regression, 2 bad input; make turns any failure into exit 2"
	@echo "  make crosscheck the same work timed by scbench, hyperfine, perf stat and perf bench"
	@echo "                  (results/crosscheck/crosscheck.csv and a table)"
	@echo "  make all        build build/scbench and, where -m32 works, build/scbench32"
	@echo "  make deps       install the packages the project needs (apt-get, via sudo if not root)"
	@echo "  make install    PREFIX=/usr/local DESTDIR=...: scbench, its worker, plots, man page,"
	@echo "                  bash completion; make uninstall removes them"
	@echo "  make fuzz       libFuzzer targets (tests/fuzz), FUZZ_SECONDS each (default 60; clang)"
	@echo "  make test SAN=1 everything that can be sanitized under ASan/UBSan/LSan, in build-san/"
	@echo "  make clean      remove build/ (distclean: also results' run folders and leftovers)"
	@echo "  V=1             show full compiler commands"
	@echo "  make help       this list"

# ---- objects ---------------------------------------------------------------

# Objects and the two ABIs' libraries under DIR, compiled with CFLAGS:
# $(BUILD) with ALL_CFLAGS, and in a SAN=1 build also $(PLAIN), the
# unsanitized copy the static programs link.
define lib_rules
$(1)/64/%.o: %.c $$(HEADERS) | $$(BUILD)
	@mkdir -p $$(dir $$@)
	$$(call say,CC,$$<)
	$$(Q)$$(CC) $(2) $$(PFM_CFLAGS) -c $$< -o $$@
$(1)/64/%.o: %.S $$(HEADERS) | $$(BUILD)
	@mkdir -p $$(dir $$@)
	$$(call say,CC,$$<)
	$$(Q)$$(CC) -c $$< -o $$@
$(1)/32/%.o: %.c $$(HEADERS) | $$(BUILD)
	@mkdir -p $$(dir $$@)
	$$(call say,CC,$$<)
	$$(Q)$$(CC) $$(M32_FLAGS) $(2) -c $$< -o $$@
$(1)/32/%.o: %.S $$(HEADERS) | $$(BUILD)
	@mkdir -p $$(dir $$@)
	$$(call say,CC,$$<)
	$$(Q)$$(CC) $$(M32_FLAGS) -c $$< -o $$@
$(1)/libscb64.a: $$(patsubst $$(BUILD)/%,$(1)/%,$$(OBJ64_LIB))
	$$(Q)rm -f $$@
	$$(call say,AR,$$@)
	$$(Q)ar rcs $$@ $$^
$(1)/libscb32.a: $$(patsubst $$(BUILD)/%,$(1)/%,$$(OBJ32_LIB))
	$$(Q)rm -f $$@
	$$(call say,AR,$$@)
	$$(Q)ar rcs $$@ $$^
endef
$(eval $(call lib_rules,$(BUILD),$$(ALL_CFLAGS)))
ifneq ($(PLAIN),$(BUILD))
$(eval $(call lib_rules,$(PLAIN),$$(PLAIN_CFLAGS)))
endif

# A binary names the commit it was built from (env.csv git_commit,
# --version): the two files that print it rebuild when the commit changes.
# The stamp is rewritten only when the commit changed, so only then does it
# look newer than the objects.
GIT_STAMP := $(BUILD)/.git-commit
$(GIT_STAMP): FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = '$(GIT_COMMIT)' ] || echo '$(GIT_COMMIT)' >$@
.PHONY: FORCE
FORCE:
$(foreach d,$(sort $(BUILD) $(PLAIN)),$(foreach a,64 32,$(d)/$(a)/harness/env.o $(d)/$(a)/harness/main.o)): $(GIT_STAMP)

$(BUILD)/scbench: $(BUILD)/64/harness/main.o $(BUILD)/libscb64.a
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS64) $(LDLIBS)

$(BUILD)/scbench32: $(BUILD)/32/harness/main.o $(BUILD)/libscb32.a
	$(call say,LD,$@)
	$(Q)$(CC) $(M32_FLAGS) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD):
	@mkdir -p $@

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
	@scripts/plots.sh "$$RESULTS/latest"
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
	@scripts/crosscheck.sh $(BUILD) "$$RESULTS/crosscheck"

# CI gate: quick run vs BASELINE (default results/baseline), history, plot.
ci-bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	@scripts/ci-bench.sh

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
plots:
	@scripts/deps.sh plots
	@scripts/plots.sh "$$RUN"

# ---- tests -----------------------------------------------------------------
# Unit and kernel tests are C programs printing TAP; tests/run.sh runs them
# and the shell tests and prints the closing "N passed, N failed" line.

TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
ifeq ($(CAN_M32),yes)
TEST_BINS += $(BUILD)/tests/test_kernels32
endif
TEST_TOOLS := $(BUILD)/tests/pngstat

$(BUILD)/tests/pngstat: tests/pngstat.c
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -o $@ $< -lz

$(BUILD)/tests/%: tests/%.c tests/tap.h $(BUILD)/libscb64.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(PFM_CFLAGS) -Iharness -o $@ $< $(BUILD)/libscb64.a $(LIBS64) $(LDLIBS)

# Test-only builds of scbench whose x86_64/syscall/enosys row does a known
# amount of extra kernel work (tests/slow_64.S): SLOW_PERIOD 1, 2, 4 with one
# extra getppid (~13%, ~6.6%, ~3.3%), and "heavy": period 1, 3 extra (~40%).
SLOW_BINS := $(foreach p,1 2 4,$(BUILD)/tests/scbench-slow-$(p)) $(BUILD)/tests/scbench-slow-heavy
$(BUILD)/tests/slow-%/registry.o: harness/registry.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -DSCB_TEST_SLOW=$* -c $< -o $@
$(BUILD)/tests/slow-%/slow_64.o: tests/slow_64.S asm/kernel.h asm/kernel_c.h asm/sysnr.h
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) -DSLOW_PERIOD=$* -c $< -o $@
$(BUILD)/tests/scbench-slow-%: $(BUILD)/64/harness/main.o $(BUILD)/tests/slow-%/registry.o $(BUILD)/tests/slow-%/slow_64.o $(BUILD)/libscb64.a
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS64) $(LDLIBS)
$(BUILD)/tests/slow-heavy/registry.o: harness/registry.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -DSCB_TEST_SLOW=1 -c $< -o $@
$(BUILD)/tests/slow-heavy/slow_64.o: tests/slow_64.S asm/kernel.h asm/kernel_c.h asm/sysnr.h
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) -DSLOW_PERIOD=1 -DSLOW_EXTRA=3 -c $< -o $@

# One added instruction per call (tests/slow_64.S with SLOW_NOP), for the
# icount gate's test: a static copy goes into the VM image as /scbench-nop.
$(BUILD)/tests/slow-nop/registry.o: harness/registry.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(PLAIN_CFLAGS) -DSCB_TEST_SLOW=1 -c $< -o $@
$(BUILD)/tests/slow-nop/slow_64.o: tests/slow_64.S asm/kernel.h asm/kernel_c.h asm/sysnr.h
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) -DSLOW_NOP -c $< -o $@

# The whole harness under AddressSanitizer and UBSan, for the malformed-input
# corpus (tests/test_compare.sh).
ASAN_OBJ := $(patsubst %.c,$(BUILD)/asan/%.o,$(HARNESS_SRC) harness/main.c $(KC_SRC_64)) \
            $(patsubst %.S,$(BUILD)/64/%.o,$(ASM_SRC_64))
$(BUILD)/asan/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) $(PFM_CFLAGS) $(SANITIZE) -c $< -o $@
$(BUILD)/asan/scbench: $(ASAN_OBJ)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(SANITIZE) -o $@ $^ $(LIBS64) $(LDLIBS)
TEST_TOOLS += $(SLOW_BINS) $(BUILD)/asan/scbench

# libFuzzer targets (tests/fuzz/fuzz_*.c) on the harness built with clang
# under ASan and UBSan; `make fuzz` runs each FUZZ_SECONDS (scripts/fuzz.sh),
# make test a few seconds each (tests/test_fuzz.sh). Only where clang can
# link -fsanitize=fuzzer (Debian: clang).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ := $(BUILD)/fuzz
CAN_FUZZ := $(shell printf 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' | $(FUZZ_CC) -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null && echo yes)
FUZZ_FLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined $(URING_CFLAGS)
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_OBJ := $(patsubst %.c,$(FUZZ)/obj/%.o,$(HARNESS_SRC) $(KC_SRC_64)) $(patsubst %.S,$(FUZZ)/obj/%.o,$(ASM_SRC_64))
$(FUZZ)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined $(PFM_CFLAGS) -DSCB_GIT_COMMIT='"fuzz"' -c $< -o $@
$(FUZZ)/obj/%.o: %.S $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(FUZZ_CC) -c $< -o $@
$(FUZZ)/libscb.a: $(FUZZ_OBJ)
	$(Q)rm -f $@
	$(call say,AR,$@)
	$(Q)ar rcs $@ $^
$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ)/libscb.a $(wildcard tests/fuzz/*.h)
	$(call say,LD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined -Iharness -o $@ $< $(FUZZ)/libscb.a $(LIBS64) $(LDLIBS)
ifeq ($(CAN_FUZZ),yes)
TEST_TOOLS += $(FUZZ_TARGETS)
endif
fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)
	@scripts/fuzz.sh $(FUZZ) $(FUZZ_SECONDS)

$(BUILD)/tests/test_kernels32: tests/test_kernels.c tests/tap.h $(BUILD)/libscb32.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(M32_FLAGS) $(ALL_CFLAGS) -Iharness -o $@ $< $(BUILD)/libscb32.a $(LDLIBS)

# `make test` = host tests + the VM lane (test-vm). SCB_SKIP_VM=1 leaves the
# VM lane out, reported as skipped with that reason.
test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(ALL_BINS) $(TEST_BINS) $(TEST_TOOLS) $(CROSS_PROGS) vm-images $(TEST_PREREQS)
	@tests/run.sh $(BUILD)

# ---- the VM lane: i386 paths for real, in a QEMU guest ---------------------
# Static copies of the real binaries, a tiny /init, and an initramfs built by
# our own cpio writer; the kernel is Debian's cloud kernel (scripts/vm-kernel.sh).

VM := $(BUILD)/vm
VM_BINS := $(VM)/init $(VM)/scbench $(VM)/test_kernels $(VM)/scbench-nop
ifeq ($(CAN_M32),yes)
VM_BINS += $(VM)/scbench32 $(VM)/test_kernels32
endif

$(VM)/init: tests/vm/init.c
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -static -o $@ $<
$(VM)/mkcpio: tests/vm/mkcpio.c
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -o $@ $<
$(VM)/scbench: $(PLAIN)/64/harness/main.o $(PLAIN)/libscb64.a
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -static -o $@ $^ $(LIBS64) $(LDLIBS)
$(VM)/scbench-nop: $(PLAIN)/64/harness/main.o $(BUILD)/tests/slow-nop/registry.o $(BUILD)/tests/slow-nop/slow_64.o $(PLAIN)/libscb64.a
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -static -o $@ $^ $(LIBS64) $(LDLIBS)
$(VM)/scbench32: $(PLAIN)/32/harness/main.o $(PLAIN)/libscb32.a
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(M32_FLAGS) -static -o $@ $^ $(LDLIBS)
$(VM)/test_kernels: tests/test_kernels.c tests/tap.h $(PLAIN)/libscb64.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(PLAIN_CFLAGS) -static -Iharness -o $@ $< $(PLAIN)/libscb64.a $(LIBS64) $(LDLIBS)
$(VM)/test_kernels32: tests/test_kernels.c tests/tap.h $(PLAIN)/libscb32.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(M32_FLAGS) $(PLAIN_CFLAGS) -static -Iharness -o $@ $< $(PLAIN)/libscb32.a $(LDLIBS)

$(VM)/initrd.cpio: $(VM)/mkcpio $(VM_BINS)
	$(call say,CPIO,$@)
	$(Q)$(VM)/mkcpio $@ d:dev d:proc d:sys d:tmp d:results c:dev/console:5:1 \
		$(foreach b,$(VM_BINS),f:$(notdir $(b))=$(b))

vm-images: $(VM)/initrd.cpio

test-vm: vm-images
	@scripts/deps.sh vm
	@scripts/vm-run.sh $(BUILD) test

# The full suite inside both guests; results/<...>-qemu-<vendor>-<time>/.
bench-vm: vm-images
	@scripts/deps.sh vm
	@scripts/vm-run.sh $(BUILD) bench "$$RESULTS"

# The full suite in both guests under QEMU's instruction counter: exact
# guest instructions per call; results/<...>-icount-<vendor>-<time>/.
bench-icount: vm-images
	@scripts/deps.sh vm
	@scripts/vm-run.sh $(BUILD) icount "$$RESULTS"
	@scripts/icount-table.sh "$$RESULTS"

# Kernel x boot options x vendor under icount (cells: bench/matrix.cells):
# results/<host>-matrix-<time>/ with matrix.csv, a heatmap and a report.
bench-matrix: vm-images
	@scripts/deps.sh vm plots
	@scripts/bench-matrix.sh $(BUILD) "$$RESULTS"

# Re-resolve bench/kernels.lock against Debian's archive: boots old and new
# kernels and writes a roll report of the counts that moved; the lock is
# rewritten for review (git diff), and accepted by committing it.
kernels-update: vm-images
	@scripts/deps.sh vm
	@scripts/kernels-update.sh $(BUILD) "$$RESULTS"

# Re-baseline the count gate after an intended change (a changed kernel in
# asm/, a new QEMU): commit, then this, then commit the baseline. Both
# vendors on the lock's default kernel into ICOUNT_BASELINE, which names
# the commit measured (scripts/icount-baseline.sh refuses a dirty tree).
icount-baseline: vm-images
	@scripts/deps.sh vm
	@scripts/icount-baseline.sh $(BUILD) "$$ICOUNT_BASELINE"
	@scripts/icount-table.sh . "$$ICOUNT_BASELINE/intel" "$$ICOUNT_BASELINE/amd"

# ---- install ----------------------------------------------------------------
# PREFIX/bin/scbench, the i386 worker in PREFIX/libexec/scbench/ (scbench
# looks beside itself, then there), the plot and report scripts under
# PREFIX/share/scbench/ (`scbench plots` finds them relative to itself), the
# man page and bash completion. DESTDIR stages the whole tree elsewhere.
PREFIX ?= /usr/local
INSTALL_SHARE := $(DESTDIR)$(PREFIX)/share/scbench
install: all
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/libexec/scbench" "$(INSTALL_SHARE)/scripts" \
		"$(INSTALL_SHARE)/plots" "$(DESTDIR)$(PREFIX)/share/man/man1" \
		"$(DESTDIR)$(PREFIX)/share/bash-completion/completions"
	install -m 755 $(BUILD)/scbench "$(DESTDIR)$(PREFIX)/bin/scbench"
	$(if $(filter yes,$(CAN_M32)),install -m 755 $(BUILD)/scbench32 "$(DESTDIR)$(PREFIX)/libexec/scbench/scbench32")
	install -m 755 scripts/plots.sh scripts/plot-text.sh scripts/report.sh scripts/csv.sh "$(INSTALL_SHARE)/scripts/"
	install -m 644 scripts/csv.awk scripts/families.awk scripts/lib.sh "$(INSTALL_SHARE)/scripts/"
	install -m 644 plots/*.gp "$(INSTALL_SHARE)/plots/"
	install -m 644 doc/scbench.1 "$(DESTDIR)$(PREFIX)/share/man/man1/scbench.1"
	install -m 644 scripts/scbench.bash-completion "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/scbench"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/scbench" "$(DESTDIR)$(PREFIX)/libexec/scbench/scbench32" \
		"$(DESTDIR)$(PREFIX)/share/man/man1/scbench.1" "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/scbench"
	rm -rf "$(INSTALL_SHARE)"
	-rmdir "$(DESTDIR)$(PREFIX)/libexec/scbench" 2>/dev/null

clean:
	rm -rf $(BUILD)

# only what scbench made: folders holding its marker (scripts/distclean.sh)
distclean: clean
	@scripts/distclean.sh "$$RESULTS"

# Lane pieces kept in files of their own (mk/NAME.mk); each may add to
# TEST_PREREQS what make test must build first.
include $(sort $(wildcard mk/*.mk))
