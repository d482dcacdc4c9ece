# SPDX-License-Identifier: MIT
# mk/vm.mk: the VM lane: the guest images and the lane targets (included by the top Makefile, in order).

# ---- the VM lane: i386 paths for real, in a QEMU guest ---------------------
# Static copies of the real binaries, a tiny /init, and an initramfs built by
# our own cpio writer; the kernel is Debian's cloud kernel (scripts/vm/vm-kernel.sh).

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
$(VM)/scbench-nop: $(PLAIN)/64/harness/main.o $(BUILD)/tests/slow-nop/slow_64.o $(PLAIN)/libscb64.a
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -static $(SLOW_WRAP) -o $@ $^ $(LIBS64) $(LDLIBS)
$(VM)/scbench32: $(PLAIN)/32/harness/main.o $(PLAIN)/libscb32.a
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(M32_FLAGS) -static -o $@ $^ $(LDLIBS)
$(VM)/test_kernels: tests/unit/test_kernels.c tests/unit/tap.h $(PLAIN)/libscb64.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(PLAIN_CFLAGS) -static -Iharness -o $@ $< $(PLAIN)/libscb64.a $(LIBS64) $(LDLIBS)
$(VM)/test_kernels32: tests/unit/test_kernels.c tests/unit/tap.h $(PLAIN)/libscb32.a $(HEADERS)
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
	@scripts/vm/vm-run.sh $(BUILD) test

# The full suite inside both guests; results/<...>-qemu-<vendor>-<time>/.
bench-vm: vm-images
	@scripts/deps.sh vm
	@scripts/vm/vm-run.sh $(BUILD) bench "$$RESULTS"

# The full suite in both guests under QEMU's instruction counter: exact
# guest instructions per call; results/<...>-icount-<vendor>-<time>/.
bench-icount: vm-images
	@scripts/deps.sh vm
	@scripts/vm/vm-run.sh $(BUILD) icount "$$RESULTS"
	@scripts/vm/icount-table.sh "$$RESULTS"

# Kernel x boot options x vendor under icount (cells: bench/matrix.cells):
# results/<host>-matrix-<time>/ with matrix.csv, a heatmap and a report.
bench-matrix: vm-images
	@scripts/deps.sh vm plots
	@scripts/vm/bench-matrix.sh $(BUILD) "$$RESULTS"

# Re-resolve bench/kernels.lock against Debian's archive: boots old and new
# kernels and writes a roll report of the counts that moved; the lock is
# rewritten for review (git diff), and accepted by committing it.
kernels-update: vm-images
	@scripts/deps.sh vm
	@scripts/vm/kernels-update.sh $(BUILD) "$$RESULTS"

# Re-baseline the count gate after an intended change (a changed kernel in
# asm/, a new QEMU): commit, then this, then commit the baseline. Both
# vendors on the lock's default kernel into ICOUNT_BASELINE, which names
# the commit measured (scripts/ci/icount-baseline.sh refuses a dirty tree).
icount-baseline: vm-images
	@scripts/deps.sh vm
	@scripts/ci/icount-baseline.sh $(BUILD) "$$ICOUNT_BASELINE"
	@scripts/vm/icount-table.sh . "$$ICOUNT_BASELINE/intel" "$$ICOUNT_BASELINE/amd"
