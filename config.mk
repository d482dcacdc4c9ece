# SPDX-License-Identifier: MIT
# config.mk: build knobs, one place. Override on the command line
# (make CC=clang) or in the environment.

# Compiler for everything; -m32 is added for the i386 worker when it exists.
ifeq ($(origin CC),default)
CC      := gcc
endif
# Optimisation matters little (the timed code is assembly) but keeps the
# harness's own overhead, which differencing cancels anyway, small.
OPT     ?= -O2
# Path names built from --out are bounded at parse time (1024 characters),
# so the truncation warnings GCC raises for them are noise.
WARN    ?= -Wall -Wextra -Wshadow -Wno-format-truncation
CFLAGS  ?= $(OPT) -g
# Extra flags for the test build: sanitizers catch what assertions don't.
SANITIZE ?= -fsanitize=address,undefined -fno-omit-frame-pointer

# Where everything built goes (ignored by git).
BUILD   ?= build
# Where `make bench` writes results, and the options it passes to scbench run.
RESULTS ?= results
BENCH_ARGS ?=
