# SPDX-License-Identifier: MIT
# mk/test.mk: make test: the C tests, the test-only builds, the sanitized harness (included by the top Makefile, in order).

# ---- tests -----------------------------------------------------------------
# Unit and kernel tests are C programs printing TAP; tests/run.sh runs them
# and the shell tests and prints the closing "N passed, N failed" line.

TEST_SRC  := $(wildcard tests/unit/test_*.c)
TEST_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
ifeq ($(CAN_M32),yes)
TEST_BINS += $(BUILD)/tests/test_kernels32
endif
TEST_TOOLS := $(BUILD)/tests/pngstat

$(BUILD)/tests/pngstat: tests/tools/pngstat.c
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -o $@ $< -lz

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(BUILD)/libscb64.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(PFM_CFLAGS) -Iharness -o $@ $< $(BUILD)/libscb64.a $(LIBS64) $(LDLIBS)

# Test-only builds of scbench whose x86_64/syscall/enosys row does a known
# amount of extra kernel work (tests/tools/slow_64.S): SLOW_PERIOD 1, 2, 4 with one
# extra getppid (~13%, ~6.6%, ~3.3%), and "heavy": period 1, 3 extra (~40%).
SLOW_BINS := $(foreach p,1 2 4,$(BUILD)/tests/scbench-slow-$(p)) $(BUILD)/tests/scbench-slow-heavy
# slow_variant NAME, slow_64.S's flags: one way to build every variant. The
# production objects are linked unchanged; -Wl,--wrap=k_syscall_64_enosys
# points the registry's enosys row at tests/tools/slow_64.S's kernel instead (no
# test hook in the registry). "nop" (one added instruction per call, for
# the icount gate's test) goes statically into the VM image as /scbench-nop
# (mk/vm.mk).
SLOW_WRAP := -Wl,--wrap=k_syscall_64_enosys
define slow_variant
$(BUILD)/tests/slow-$(1)/slow_64.o: tests/tools/slow_64.S asm/kernel.h asm/kernel_c.h asm/sysnr.h
	@mkdir -p $$(dir $$@)
	$$(call say,CC,$$<)
	$$(Q)$$(CC) $(2) -c $$< -o $$@
endef
$(foreach p,1 2 4,$(eval $(call slow_variant,$(p),-DSLOW_PERIOD=$(p))))
$(eval $(call slow_variant,heavy,-DSLOW_PERIOD=1 -DSLOW_EXTRA=3))
$(eval $(call slow_variant,nop,-DSLOW_NOP))
$(BUILD)/tests/scbench-slow-%: $(BUILD)/64/harness/main.o $(BUILD)/tests/slow-%/slow_64.o $(BUILD)/libscb64.a
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(SLOW_WRAP) -o $@ $^ $(LIBS64) $(LDLIBS)

# The whole harness under AddressSanitizer and UBSan, for the malformed-input
# corpus (tests/e2e/test_compare.sh).
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

$(BUILD)/tests/test_kernels32: tests/unit/test_kernels.c tests/unit/tap.h $(BUILD)/libscb32.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(M32_FLAGS) $(ALL_CFLAGS) -Iharness -o $@ $< $(BUILD)/libscb32.a $(LDLIBS)

# `make test` = host tests + the VM lane (test-vm). SCB_SKIP_VM=1 leaves the
# VM lane out, reported as skipped with that reason.
test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(ALL_BINS) $(TEST_BINS) $(TEST_TOOLS) $(CROSS_PROGS) vm-images $(TEST_PREREQS)
	@tests/run.sh $(BUILD)
