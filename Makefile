# scbench: see README.md. `make help` lists the targets.
include config.mk

GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) -DSCB_GIT_COMMIT='"$(GIT_COMMIT)"'
LDLIBS     := -lm

HARNESS_SRC := $(filter-out harness/main.c,$(wildcard harness/*.c))
ASM_SRC_64  := $(wildcard asm/*_64.S)
HEADERS     := $(wildcard harness/*.h asm/*.h) bench/benchmarks.def

OBJ64_LIB := $(patsubst %.c,$(BUILD)/64/%.o,$(HARNESS_SRC)) \
             $(patsubst %.S,$(BUILD)/64/%.o,$(ASM_SRC_64))

.PHONY: all help bench test test-unit test-cli deps clean distclean

all: $(BUILD)/scbench

help:
	@echo "scbench targets:"
	@echo "  make bench      install missing packages, build, run the full suite, print the table"
	@echo "                  (BENCH_ARGS='--quick' or any 'scbench run' options)"
	@echo "  make test       build and run every test (what CI runs)"
	@echo "  make all        build build/scbench"
	@echo "  make deps       install the packages the project needs (apt-get, via sudo if not root)"
	@echo "  make clean      remove build/"
	@echo "  make help       this list"

# ---- objects ---------------------------------------------------------------

$(BUILD)/64/%.o: %.c $(HEADERS) | $(BUILD)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/64/%.o: %.S $(HEADERS) | $(BUILD)
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(BUILD)/libscb64.a: $(OBJ64_LIB)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/scbench: $(BUILD)/64/harness/main.o $(BUILD)/libscb64.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD):
	@mkdir -p $@

# ---- running ---------------------------------------------------------------

deps:
	@scripts/deps.sh build bench test

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	$(BUILD)/scbench run --out $(RESULTS) $(BENCH_ARGS)

# ---- tests -----------------------------------------------------------------
# Unit and kernel tests are C programs printing TAP; tests/run.sh runs them
# and the shell tests and prints the closing "N passed, N failed" line.

TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))

$(BUILD)/tests/%: tests/%.c tests/tap.h $(BUILD)/libscb64.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iharness -o $@ $< $(BUILD)/libscb64.a $(LDLIBS)

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/scbench $(TEST_BINS)
	@tests/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf $(RESULTS)/*-*T*Z* $(RESULTS)/latest
