# SPDX-License-Identifier: MIT
# mk/fuzz.mk: libFuzzer targets (included by the top Makefile, in order).

# libFuzzer targets (tests/fuzz/fuzz_*.c) on the harness built with clang
# under ASan and UBSan; `make fuzz` runs each FUZZ_SECONDS (scripts/ci/fuzz.sh),
# make test a few seconds each (tests/e2e/test_fuzz.sh). Only where clang can
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
	@scripts/ci/fuzz.sh $(FUZZ) $(FUZZ_SECONDS)
