#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# icount-layout.sh [REF]: the reproduction behind ICOUNT_LOOSE (the io_uring
# rows compared within 1 instruction, every other row exactly). Builds REF
# (default: the commit results/icount-baseline names) from git and this
# tree, runs both in the icount lane on the lock's default kernel, twice
# each, and prints every row whose count differs: between the two boots of
# one build (expected: none) and between the builds (expected: only
# io_uring's, by under 1 instruction per operation, when the harness's code
# layout differs).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/vm/icount-lib.sh"
ref=${1:-$(cat "$here/results/icount-baseline/commit" 2>/dev/null)}
[ -n "$ref" ] || { echo "icount-layout.sh: no REF and no baseline commit" >&2; exit 2; }
s=$(mktemp -d "${TMPDIR:-/tmp}/scbench-layout.XXXXXX") || exit 2
trap 'rm -rf "$s"' EXIT
b=$(icl_build_commit "$ref" "$s/ref") || { echo "icount-layout.sh: $ref does not build" >&2; exit 2; }
for i in 1 2; do
	icl_lane "$b" "$s/ref-$i" "" layout-ref || { echo "icount-layout.sh: lane failed" >&2; exit 1; }
	icl_lane "$here/build" "$s/head-$i" "" layout-head || { echo "icount-layout.sh: lane failed" >&2; exit 1; }
done
rows() { scb_tsv --columns name,icount --where status=ok "$1" | tail -n +2; }
diffrows() { # diffrows A B LABEL
	join -t $'\t' <(rows "$1" | sort) <(rows "$2" | sort) | awk -F'\t' -v l="$3" '$2 != $3 { printf "  %-34s %10s %10s  %s\n", $1, $2, $3, l; n++ } END { if (!n) print "  (no row differs)  " l }'
}
echo "rows whose guest instructions per call differ ($ref vs $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD || echo -dirty)):"
for v in intel amd; do
	echo "[$v]"
	diffrows "$s/ref-1/$v" "$s/ref-2/$v" "two boots of $ref"
	diffrows "$s/head-1/$v" "$s/head-2/$v" "two boots of this tree"
	diffrows "$s/ref-1/$v" "$s/head-1/$v" "$ref vs this tree"
done
