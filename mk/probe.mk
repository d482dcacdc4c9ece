# SPDX-License-Identifier: MIT
# mk/probe.mk: what this machine can build with (libpfm4, liburing, -m32), the quiet/verbose switch, the commit stamp, SAN=1 and the flags every variant starts from (included by the top Makefile, in order).

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
# The binary the scripts read tables with (scripts/lib.sh: scb_tsv, which is
# `scbench export --format tsv`) and ci-bench runs: this build's, unless
# the environment names another.
export SCBENCH ?= $(abspath $(BUILD))/scbench
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
