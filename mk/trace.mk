# SPDX-License-Identifier: MIT
# ---- the trace lane: an independent count by QEMU's exec trace -------------
# A libc-free static /init (tests/vm/trace_init.c, trace_runs_64.S) and i386
# /trace32 (trace32.c, trace_runs_32.S) with straight runs of 16 and 32 calls
# between labelled addresses; scripts/vm/vm-trace.sh boots them in both vendor
# models, switches `singlestep on` and `log exec,nochain` on through the
# monitor at the marker, and counts trace lines: (lines(32) - lines(16)) / 16
# guest instructions per call. make bench-trace compares them with icount.

TRACE := $(BUILD)/vm-trace
TRACE_CFLAGS := -std=gnu11 $(WARN) -Wno-unused-function -O2 -nostdlib -static -ffreestanding \
	-fno-stack-protector -fno-pie -no-pie -fcf-protection=none -Iasm
TRACE_IMAGE := $(TRACE)/initrd.cpio

# /init also links scbench's own x86_64 kernels for its kernel rows
# (tests/vm/trace_kern_64.S, the profile's VM_PROFILE_KERNELS=1)
TRACE_INIT_SRC := tests/vm/trace_init.c tests/vm/trace_runs_64.S tests/vm/trace_kern_64.S \
	asm/syscall_64.S asm/int80_64.S asm/vdso_64.S
TRACE_INIT_DEPS := $(TRACE_INIT_SRC) tests/vm/trace.h asm/kernel.h asm/kernel_c.h asm/sysnr.h asm/callptr_64.h
$(TRACE)/init: $(TRACE_INIT_DEPS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(TRACE_CFLAGS) -o $@ $(TRACE_INIT_SRC)

$(TRACE)/trace32: tests/vm/trace32.c tests/vm/trace_runs_32.S tests/vm/trace.h asm/kernel_c.h asm/sysnr.h
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -m32 $(TRACE_CFLAGS) -o $@ tests/vm/trace32.c tests/vm/trace_runs_32.S

# ttyS1 is the handshake port; /dev is devtmpfs once /init mounts it, the
# nodes here serve before that
$(TRACE_IMAGE): $(VM)/mkcpio $(TRACE)/init $(TRACE)/trace32
	$(call say,CPIO,$@)
	$(Q)$(VM)/mkcpio $@ d:dev d:proc d:sys c:dev/console:5:1 c:dev/ttyS1:4:65 \
		f:init=$(TRACE)/init f:trace32=$(TRACE)/trace32

trace-images: $(TRACE_IMAGE)

# RESULTS/<host>-trace-<UTC time>/trace.csv, then the table trace vs the
# icount lane (run here, into that folder's icount/).
bench-trace: $(TRACE_IMAGE) vm-images
	@scripts/deps.sh vm
	@d="$$RESULTS/$$(hostname 2>/dev/null | tr -c 'A-Za-z0-9._\n-' _)-trace-$$(date -u +%Y%m%dT%H%M%SZ)"; \
	t0=$$(date +%s.%N); \
	scripts/vm/vm-trace.sh $(BUILD) "$$d" || exit 1; \
	t1=$$(date +%s.%N); \
	VM_DEST="$$d/icount" VM_TAG=trace scripts/vm/vm-run.sh $(BUILD) icount >"$$d/icount.log" 2>&1 || \
		{ echo "scbench: the icount lane failed (see $$d/icount.log)" >&2; exit 1; }; \
	t2=$$(date +%s.%N); \
	scripts/vm/vm-trace.sh --compare "$$d/trace.csv" "$$d/icount" >"$$d/compare.txt"; rc=$$?; cat "$$d/compare.txt"; \
	echo "scbench: trace $$(echo "$$t1 - $$t0" | bc | cut -c1-5) s, icount lane $$(echo "$$t2 - $$t1" | bc | cut -c1-5) s; results in $$d"; exit $$rc

.PHONY: trace-images bench-trace
ifeq ($(CAN_M32),yes)
TEST_PREREQS += $(TRACE_IMAGE)
endif
