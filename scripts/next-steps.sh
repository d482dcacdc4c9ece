#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# next-steps.sh RUN_DIR: the closing lines of `make bench` (scbench plots has
# just said where the report is): what this machine could not measure and
# where that runs instead, and how to compare with a later run.
set -u
run=$1
dir=$(cd "$run" 2>/dev/null && pwd -P) || exit 0
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"
n32=$(scb_tsv --columns abi,status --where abi=i386 "$run" 2>/dev/null |
	awk -F'\t' 'NR > 1 { n++; if ($2 != "ok" && $2 != "noisy") u++ } END { print (n && u == n) ? n : 0 }')
[ "${n32:-0}" -gt 0 ] &&
	echo "scbench: the $n32 i386 rows could not run here; make bench-vm (or bench-icount) measures them in QEMU guests"
echo "scbench: to compare a later run with this one: build/scbench compare $dir $(dirname "$dir")/latest"
