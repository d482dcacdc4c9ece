# SPDX-License-Identifier: MIT
# ---- the history lane: counts across every kernel the archive offers ------
# scripts/vm/bench-history.sh runs the icount lane (both vendors) on every
# kernel of each series in bench/history.series (HISTORY_SERIES=NAME for
# one), pinned by exact package and version, kernels cached and verified in
# build/vm/kernels/ as the other lanes' are: RESULTS/<host>-history-<UTC
# time>/ with history.csv, changes.csv (the change points), a trend plot per
# mechanism and report.md. HISTORY_PROFILE=1 adds the per-function diff of
# the two kernels at each change point (the profile lane, mk/profile.mk).
HISTORY_PROFILE ?= 0
# (the trace guest through make trace-images: mk/trace.mk is read after this file)
bench-history: vm-images $(BUILD)/scbench
	@scripts/deps.sh vm plots
	@if [ "$(HISTORY_PROFILE)" = 1 ]; then $(MAKE) --no-print-directory BUILD=$(BUILD) trace-images; fi
	@HISTORY_PROFILE=$(HISTORY_PROFILE) scripts/vm/bench-history.sh $(BUILD) "$$RESULTS"

.PHONY: bench-history
