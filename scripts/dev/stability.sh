#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# stability.sh [RUNS] [-- SCBENCH-RUN-OPTIONS]: how repeatable are the numbers?
#
# Runs `scbench run --quick` RUNS times (default 5), each immediately followed
# by `perf bench syscall basic` (glibc getppid() in a loop), so both tools see
# the same minute of a noisy machine. Prints per-run figures and, for each
# series, the mean and the coefficient of variation (sd/mean):
#   syscall      scbench x86_64/syscall/getppid median, ns
#   libc         scbench x86_64/libc/getppid median, ns (perf bench's own path)
#   vdso_ratio   scbench vdso/clock_gettime ratio to syscall/getppid
#   perf_bench   perf bench syscall basic, ns per getppid()
# and the relative difference between perf bench and each scbench row.
set -eu
runs=${1:-5}
shift || true
[ "${1:-}" = "--" ] && shift
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/lib.sh"
bin=${SCBENCH:-$here/build/scbench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
have_perf=1
perf bench syscall basic -l 1000 >/dev/null 2>&1 || have_perf=0

col() { # col RUN ROW FIELD: a row's field, from the results model
	SCBENCH=$bin scb_tsv --columns "$3" --where name="$2" "$1" | sed -n 2p
}

printf "%4s %12s %12s %12s %12s\n" run syscall_ns libc_ns vdso_ratio perf_bench_ns
for i in $(seq 1 "$runs"); do
	"$bin" run --quick --no-table --out "$out" "$@" 2>/dev/null
	s="$out/latest"
	sys=$(col "$s" x86_64/syscall/getppid median)
	libc=$(col "$s" x86_64/libc/getppid median)
	ratio=$(col "$s" x86_64/vdso/clock_gettime ratio)
	pb=""
	if [ $have_perf -eq 1 ]; then
		pb=$(perf bench syscall basic -l 300000 2>/dev/null |
			awk '/usecs\/op/ { printf "%.3f", $1 * 1000 }')
	fi
	printf "%4d %12s %12s %12s %12s\n" "$i" "$sys" "$libc" "$ratio" "${pb:--}"
done | tee "$out/table"
awk 'NR > 1 {
	for (c = 2; c <= 5; c++) if ($c != "-") { s[c] += $c; q[c] += $c * $c; n[c]++ }
}
END {
	split("x syscall libc vdso_ratio perf_bench", name, " ")
	for (c = 2; c <= 5; c++) if (n[c] > 1) {
		m[c] = s[c] / n[c]; sd = sqrt((q[c] - n[c] * m[c] * m[c]) / (n[c] - 1))
		printf "%-11s mean %10.4f  cv %5.2f %%\n", name[c], m[c], 100 * sd / m[c]
	}
	if (n[5] > 1) {
		printf "perf bench vs scbench syscall/getppid: %+.1f %%\n", 100 * (m[5] / m[2] - 1)
		printf "perf bench vs scbench libc/getppid:    %+.1f %%\n", 100 * (m[5] / m[3] - 1)
	}
}' "$out/table"
