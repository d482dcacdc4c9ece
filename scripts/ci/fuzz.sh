#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz.sh FUZZ_DIR SECONDS: run every libFuzzer target in FUZZ_DIR (built by
# make fuzz) for SECONDS each, seeded from tests/corpus and results/sample,
# growing a corpus per target in FUZZ_DIR/corpus/. A crash, leak or UBSan
# report leaves its input in FUZZ_DIR/crashes/ and exits 1. Ends with
#   fuzz: N executions, C crashes
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1 secs=${2:-60}
[ -d "$dir" ] || { echo "fuzz.sh: $dir: no such folder (make fuzz builds it)" >&2; exit 2; }
mkdir -p "$dir/crashes"
total=0 crashes=0
seed() { # seed TARGET CORPUS: the starting inputs
	local t=$1 c=$2 f s
	case $t in
	fuzz_csv)
		cp "$here"/tests/corpus/*.csv "$c"/ 2>/dev/null
		cp "$here/results/sample/summary.csv" "$c/summary.csv" ;;
	fuzz_compare)
		for s in sample sample-qemu-amd; do
			for f in 0 1; do
				{ printf "\\$(printf %o $f)"; head -n 300 "$here/results/$s/samples.csv"; printf '\0'
				  cat "$here/results/$s/summary.csv"; printf '\0'; cat "$here/results/$s/env.csv"; } >"$c/$s-$f"
			done
		done
		for f in "$here"/tests/corpus/*.csv; do { printf '\0'; cat "$f"; } >"$c/$(basename "$f")"; done ;;
	fuzz_export)
		# summary.csv, a NUL, env.csv: the two files export reads
		for s in sample sample-qemu-amd icount-baseline/intel; do
			{ cat "$here/results/$s/summary.csv"; printf '\0'; cat "$here/results/$s/env.csv"; } >"$c/${s//\//-}"
		done ;;
	fuzz_spec)
		printf 'cycles_user,cycles,0,0,0,1;syscalls_per_call,raw_syscalls:sys_enter,2,350,0,0;page_faults,page-faults,1,2,0,0' >"$c/default" ;;
	esac
}
for t in "$dir"/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	c=$dir/corpus/$name
	[ -d "$c" ] || { mkdir -p "$c"; seed "$name" "$c"; }
	log=$dir/$name.log
	"$t" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix="$dir/crashes/$name-" "$c" >"$log" 2>&1
	rc=$?
	n=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log")
	total=$((total + ${n:-0}))
	if [ $rc -ne 0 ]; then
		crashes=$((crashes + 1))
		echo "fuzz: $name: FAILED (exit $rc) after ${n:-?} executions; input in $dir/crashes, log $log"
		grep -m3 -E 'ERROR|runtime error|SUMMARY' "$log" | sed 's/^/  /'
	else
		echo "fuzz: $name: ${n:-?} executions in ${secs}s, corpus $(ls "$c" | wc -l) inputs"
	fi
done
echo "fuzz: $total executions, $crashes crashes"
[ $crashes -eq 0 ]
