# SPDX-License-Identifier: MIT
# mk/build.mk: the harness and its two ABIs' libraries, the binaries; one rule set per variant directory (lib_rules) (included by the top Makefile, in order).

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
