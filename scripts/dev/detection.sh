#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# detection.sh [REPEATS]: which real slowdowns does `scbench compare` catch?
# Compares quick runs of build/scbench against the test-only builds
# build/tests/scbench-slow-{1,2,4}, whose x86_64/syscall/enosys row makes
# one extra getppid every 1, 2 or 4 calls, REPEATS times each (default 5),
# raw and --normalize, at the default settings. The slowdown that adds is
# getppid/enosys / (8 x period), with getppid/enosys measured by the base
# runs themselves (it is ~1.6 on some machines, not the 1.06 of others).
set -eu
reps=${1:-5}
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/lib.sh"
bin=$here/build/scbench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
filter='^x86_64/(syscall|vdso|empty)/'
printf "%-8s %-9s %-11s %s\n" period injected mode "flagged / repeats (enosys ratio each time)"
for p in 1 2 4; do
	slow=$here/build/tests/scbench-slow-$p
	[ -x "$slow" ] || { echo "detection.sh: $slow not built (make test builds it)" >&2; exit 2; }
	for i in $(seq 1 "$reps"); do
		"$bin" run --quick --no-table --counter-runs 0 --filter "$filter" --out "$out/b$p-$i" >/dev/null 2>&1
		"$slow" run --quick --no-table --counter-runs 0 --filter "$filter" --out "$out/s$p-$i" >/dev/null 2>&1
	done
	# what the extra getppid adds: the base runs' getppid / enosys medians
	inj=$(for i in $(seq 1 "$reps"); do
		scb_tsv --columns name,median "$out/b$p-$i/latest" | awk -F'\t' '
			$1 == "x86_64/syscall/getppid" { g = $2 }
			$1 == "x86_64/syscall/enosys" { e = $2 }
			END { if (g > 0 && e > 0) print g / e }'
	done | sort -n | awk -v p="$p" '{ v[NR] = $1 } END { printf "+%.1f%%", 100 * v[int((NR + 1) / 2)] / (8 * p) }')
	for mode in raw normalized; do
		opt=""; [ $mode = normalized ] && opt=--normalize
		hits=0 ratios=""
		for i in $(seq 1 "$reps"); do
			"$bin" compare $opt --format csv "$out/b$p-$i/latest" "$out/s$p-$i/latest" >"$out/c.csv" 2>/dev/null || true
			line=$(scb_tsv --columns verdict,ratio --where benchmark=x86_64/syscall/enosys "$out/c.csv" | sed -n 2p)
			v=${line%%$'\t'*} r=${line#*$'\t'}
			[ "$v" = REGRESSION ] && hits=$((hits + 1))
			ratios="$ratios $r"
		done
		printf "%-8s %-9s %-11s %d / %d  (%s )\n" "$p" "$inj" "$mode" "$hits" "$reps" "$ratios"
	done
done
