#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# compare-scale.sh [BIN]: how long `scbench compare` takes on big inputs:
# 100k samples of one benchmark (raw and --normalize) and 100k distinct
# benchmarks of one sample each; peak memory from /usr/bin/time when there.
# Targets (issue 13): 100k samples <= 2 s, 100k rows <= 5 s.
set -u
bin=${1:-build/scbench}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gen() { # gen DIR SEED ROWS SAMPLES: one row of SAMPLES samples (with the
	# reference beside it, the same values, for --normalize), or ROWS rows
	mkdir -p "$1"
	awk -v seed="$2" -v rows="$3" -v n="$4" 'BEGIN { srand(seed); print "schema,abi,mechanism,syscall,round,ns_per_call"
		for (b = 0; b < rows; b++) for (r = 0; r < n; r++) {
			v = sprintf("%.3f", 100 + rand() * 10)
			if (rows == 1) { printf "1,x86_64,syscall,getppid,%d,%s\n1,x86_64,vdso,time,%d,%s\n", r, v, r, v }
			else printf "1,x86_64,m%d,getppid,%d,%s\n", b, r, v
		} }' >"$1/samples.csv"
}
gen "$tmp/a" 1 1 100000; gen "$tmp/b" 2 1 100000; gen "$tmp/many" 3 100000 1
clock() { local s=$(date +%s%N); "$@" >/dev/null 2>&1; echo "$(( ($(date +%s%N) - s) / 1000000 )) ms"; }
echo "100k samples x 2 benchmarks:        $(clock "$bin" compare "$tmp/a" "$tmp/b")"
echo "100k samples x 2, --normalize:      $(clock "$bin" compare --normalize "$tmp/a" "$tmp/b")"
echo "100k distinct benchmarks:           $(clock "$bin" compare "$tmp/many" "$tmp/many")"
echo "100k distinct benchmarks, json:     $(clock "$bin" compare --format json "$tmp/many" "$tmp/many")"
