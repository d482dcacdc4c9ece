# SPDX-License-Identifier: MIT
# ---- the profile lane: where each entry path's instructions go ------------
# (included after mk/trace.mk, whose variables it uses: the top Makefile
# includes mk/*.mk in name order)
# scripts/vm/vm-profile.sh boots the trace guest (mk/trace.mk) in both vendor
# models in profile mode and names the function of every traced
# instruction: RESULTS/<host>-profile-<UTC time>/profile.csv (instructions
# per call per function, each row summing to its traced count), env.csv,
# trace.csv, and the functions by group (scripts/vm/profile-report.sh,
# plots/profile-groups.txt): report.md, plots/profile.png. VM_APPEND=OPTIONS
# profiles a boot option cell, VM_KERNEL_META another locked kernel;
# `scbench compare A B` of two such folders is the per-function diff.
bench-profile: $(TRACE_IMAGE) $(BUILD)/scbench
	@scripts/deps.sh vm
	@d="$$RESULTS/$$(hostname 2>/dev/null | tr -c 'A-Za-z0-9._\n-' _)-profile-$$(date -u +%Y%m%dT%H%M%SZ)"; \
	scripts/vm/vm-profile.sh $(BUILD) "$$d" || exit 1; \
	echo "scbench: profile in $$d/profile.csv, the picture and report in $$d/report.md; the per-function diff of two: $(BUILD)/scbench compare $$d OTHER"

.PHONY: bench-profile

# make bench-matrix profiles every cell too (scripts/vm/bench-matrix.sh;
# MATRIX_PROFILE=0 leaves that out): it needs the trace image and scbench
bench-matrix: $(TRACE_IMAGE) $(BUILD)/scbench

# The count gate's one-instruction change, for the profile: /init with
# tests/tools/slow_64.S's one-nop enosys kernel in place of k_syscall_64_enosys
# (-Wl,--wrap, as the test builds of mk/test.mk), booted by
# VM_TRACE_DIR=$(TRACE_NOP) VM_PROFILE_KERNELS=1 scripts/vm/vm-profile.sh
# (tests/e2e/test_profile.sh: its diff must name the user-space loop).
TRACE_NOP := $(BUILD)/vm-trace-nop
$(TRACE_NOP)/init: $(TRACE_INIT_DEPS) tests/tools/slow_64.S
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(TRACE_CFLAGS) -DSLOW_NOP -Wl,--wrap=k_syscall_64_enosys -o $@ $(TRACE_INIT_SRC) tests/tools/slow_64.S

$(TRACE_NOP)/trace32: $(TRACE)/trace32
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(TRACE_NOP)/initrd.cpio: $(VM)/mkcpio $(TRACE_NOP)/init $(TRACE_NOP)/trace32
	$(call say,CPIO,$@)
	$(Q)$(VM)/mkcpio $@ d:dev d:proc d:sys c:dev/console:5:1 c:dev/ttyS1:4:65 \
		f:init=$(TRACE_NOP)/init f:trace32=$(TRACE_NOP)/trace32

trace-images: $(TRACE_NOP)/initrd.cpio
ifeq ($(CAN_M32),yes)
TEST_PREREQS += $(TRACE_NOP)/initrd.cpio
endif
