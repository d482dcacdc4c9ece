# SPDX-License-Identifier: MIT
# scbench: see README.md. `make help` lists the targets.
#
# The build is split by concern (issue 21): config.mk (knobs you may set),
# then mk/probe.mk (what this machine can build with), mk/build.mk (the
# harness and binaries), mk/run.mk (bench, crosscheck, ci-bench, plots),
# mk/test.mk, mk/fuzz.mk, mk/vm.mk (the VM lane), mk/install.mk, and each
# further lane's own mk/NAME.mk (trace, profile, ...).
include config.mk
include mk/probe.mk

.PHONY: all help bench test deps fuzz install uninstall clean distclean vm-images test-vm bench-vm bench-icount icount-baseline kernels-update bench-matrix plots ci-bench crosscheck cross-progs

all: $(ALL_BINS)

help:
	@echo "scbench targets:"
	@echo "  make bench      install missing packages, build, run the full suite, print the table,"
	@echo "                  plots and report (~1 min; BENCH_ARGS='--quick': ~7 s)"
	@echo "  make test       build and run every test, the VM lane included (what CI runs)"
	@echo "  make test-vm    only the VM lane: i386 paths in QEMU guests (Intel and AMD models)"
	@echo "  make bench-vm   the full suite inside both QEMU guests (timings are emulation, not hardware;"
	@echo "                  KVM on the host CPU where a probe guest boots)"
	@echo "  make bench-icount  both guests under QEMU -icount: exact guest instructions per call"
	@echo "  make bench-matrix  guest kernel x boot options x vendor under icount (bench/matrix.cells)"
	@echo "  make bench-profile instructions per call in each kernel function, both guests (mk/vm-profile.mk)"
	@echo "  make bench-history every archived kernel of each series (bench/history.series) under icount: trend,"
	@echo "                  change points, SHARD=I/N and --merge (mk/history.mk)"
	@echo "  make icount-baseline  renew results/icount-baseline (the count gate in make test; commit first)"
	@echo "  make kernels-update   re-resolve bench/kernels.lock (the lanes' pinned guest kernels) against"
	@echo "                  Debian's archive: boots old and new, writes a roll report of what moved"
	@echo "  make plots      plots (PNG, SVG) and report.md/.html of RUN=results/<dir> (default: latest)"
	@echo "  make ci-bench   quick run compared with results/baseline (BASELINE=...), appended to"
	@echo "                  results/history.csv, history plot. In CI call scripts/ci/ci-bench.sh"
	@echo "                  (or scripts/ci/ci-icount.sh) directly: they exit 0 no regression,"
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

MK_CORE := mk/probe.mk mk/build.mk mk/run.mk mk/test.mk mk/fuzz.mk mk/vm.mk mk/install.mk
include $(filter-out mk/probe.mk,$(MK_CORE))
# Lane pieces kept in files of their own (mk/NAME.mk); each may add to
# TEST_PREREQS what make test must build first.
include $(filter-out $(MK_CORE),$(sort $(wildcard mk/*.mk)))
