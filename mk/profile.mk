# SPDX-License-Identifier: MIT
# ---- the profile lane: where each entry path's instructions go -------------
# scripts/vm-profile.sh boots the trace guest (mk/trace.mk) in both vendor
# models in profile mode and names the function of every traced
# instruction: RESULTS/<host>-profile-<UTC time>/profile.csv (instructions
# per call per function, each row summing to its traced count), env.csv,
# trace.csv. VM_APPEND=OPTIONS profiles a boot option cell, VM_KERNEL_META
# another locked kernel; `scbench compare A B` of two such folders is the
# per-function diff.
bench-profile: $(TRACE_IMAGE) $(BUILD)/scbench
	@scripts/deps.sh vm
	@d="$$RESULTS/$$(hostname 2>/dev/null | tr -c 'A-Za-z0-9._\n-' _)-profile-$$(date -u +%Y%m%dT%H%M%SZ)"; \
	scripts/vm-profile.sh $(BUILD) "$$d" || exit 1; \
	echo "scbench: profile in $$d/profile.csv; the per-function diff of two: $(BUILD)/scbench compare $$d OTHER"

.PHONY: bench-profile

# make bench-matrix profiles every cell too (scripts/bench-matrix.sh;
# MATRIX_PROFILE=0 leaves that out): it needs the trace image and scbench
bench-matrix: $(TRACE_IMAGE) $(BUILD)/scbench
