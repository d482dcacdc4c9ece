#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# crosscheck.sh BUILD OUTDIR: the same work measured independently.
#
# For each whole-process program (build/bench/<mechanism>_<abi>, N calls of
# one harness row):
#   hyperfine    wall time at N and 2N calls: (t(2N) - t(N)) / N per call
#   perf stat    task-clock, the raw_syscalls:sys_enter count (which must be
#                exactly the calls made: again by N vs 2N differencing, so
#                process start-up cancels), cycles and branch misses where
#                the PMU exists
#   scbench      the harness's own median for that row, and its mean: a
#                whole process pays for every interrupt and preemption,
#                which the median leaves out, so the mean is its like
# The programs run pinned to the harness's CPU (taskset), as the harness is.
# and `perf bench syscall basic` (glibc getppid() in a loop) as the outside
# reference for a null syscall. A shared VM drifts by ~10% from one minute to
# the next, so the timings are interleaved: each of ROUNDS rounds runs the
# harness, perf bench and hyperfine on every program, and each figure is the
# median over the rounds. Writes OUTDIR/crosscheck.csv and prints a table.
# CROSSCHECK_QUICK=1: one round, few runs, small N (the tests).
set -u
build=$1
out=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
quick=${CROSSCHECK_QUICK:-0}
runs=5 warmup=1 rounds=5 scale=1 pb_loops=500000 stat_runs=10
if [ "$quick" = 1 ]; then runs=3 warmup=1 rounds=1 scale=20 pb_loops=100000 stat_runs=3; fi
mkdir -p "$out" || { echo "scbench crosscheck: cannot create $out" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" ${ctmp:+"$ctmp"}' EXIT
. "$here/scripts/lib.sh"
# every table through the project's reader (scbench export --format tsv)
export SCBENCH=$build/scbench

# program : harness row : calls (about 50 ms of work at N on a ~1 us syscall)
progs="syscall_64:x86_64/syscall/getppid:50000
libc_64:x86_64/libc/getppid:50000
int80_64:x86_64/int80/getppid:50000
vdso_64:x86_64/vdso/clock_gettime:2000000
int80_32:i386/int80/getppid:50000
sysenter_32:i386/sysenter/getppid:50000
kernel_vsyscall_32:i386/kernel_vsyscall/getppid:50000
syscall_32:i386/syscall/getppid:50000
vdso_32:i386/vdso/clock_gettime:2000000"
rows_re="^($(echo "$progs" | cut -d: -f2 | paste -sd'|'))\$"

have_hf=0; command -v hyperfine >/dev/null && have_hf=1
have_perf=0; perf stat -e task-clock true >/dev/null 2>&1 && have_perf=1

pin=""
hyperfine_round() { # hyperfine_round NAME PROG N ROUND: one per-call estimate
	hyperfine -N --runs "$runs" --warmup "$warmup" --export-json "$tmp/$1.$4.json" \
		"$pin$2 $3" "$pin$2 $((2 * $3))" >/dev/null 2>&1 || return
	grep -o '"median": *[0-9.eE+-]*' "$tmp/$1.$4.json" | awk -F: '{ print $2 }' | tr -d ' ' | paste -sd' ' |
		awk -v n="$3" '{ printf "%.4f\n", ($2 - $1) * 1e9 / n }'
}

# 1. rounds: the harness, perf bench, and hyperfine on every runnable program
pb=""
for r in $(seq 1 "$rounds"); do
	"$build/scbench" run --quick --no-table --counter-runs 0 --filter "$rows_re" --out "$tmp/h$r" >/dev/null 2>&1 ||
		{ echo "scbench crosscheck: scbench run failed" >&2; exit 1; }
	cpu=$(scb_env "$tmp/h$r/latest/env.csv" pinned_cpu)
	command -v taskset >/dev/null && [ -n "$cpu" ] && pin="taskset -c $cpu "
	if [ $have_perf = 1 ]; then
		v=$(perf bench syscall basic -l "$pb_loops" 2>/dev/null | awk '/usecs\/op/ { printf "%.3f", $1 * 1000 }')
		pb="$pb $v"
	fi
	[ $have_hf = 1 ] || continue
	echo "$progs" | while IFS=: read -r name row n; do
		ok=$(scb_tsv --columns status --where name="$row" "$tmp/h$r/latest" | sed -n 2p)
		# noisy rows are measured too (the run lost some samples to a busy CPU)
		{ [ "$ok" = ok ] || [ "$ok" = noisy ]; } && [ -x "$build/bench/$name" ] &&
			hyperfine_round "$name" "$build/bench/$name" $((n / scale / 8 * 8)) "$r" >>"$tmp/$name.hf"
	done
done
median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
harness() { # harness ROW FIELD: median over the rounds
	for r in $(seq 1 "$rounds"); do
		scb_tsv --columns "$2" --where name="$1" "$tmp/h$r/latest" | sed -n 2p
	done | median
}
row_status() { scb_tsv --columns status,reason --where name="$1" "$tmp/h1/latest" | sed -n 2p; }

perf_counts() { # perf_counts PROG N -> "task_clock_ms syscalls cycles branch_misses" (NA if unsupported)
	# perf's separated output with a tab: its fields never hold one
	perf stat -x "$(printf '\t')" -r "$stat_runs" -e task-clock,raw_syscalls:sys_enter,cycles,branch-misses -- $pin"$1" "$2" 2>&1 >/dev/null |
		awk -F'\t' '
			$3 == "task-clock" { t = $1 } $3 == "raw_syscalls:sys_enter" { s = $1 }
			$3 ~ /^cycles/ { c = $1 } $3 ~ /^branch-misses/ { b = $1 }
			END { for (k = 1; k <= 4; k++) { v = (k == 1 ? t : k == 2 ? s : k == 3 ? c : b); if (v == "" || v ~ /not/) v = "NA"; printf "%s%s", v, (k < 4 ? " " : "\n") } }'
}
per_call() { awk -v a="$1" -v b="$2" -v n="$3" -v k="${4:-1}" 'BEGIN { if (a == "NA" || b == "NA" || a == "" || b == "") print ""; else printf "%.4f", (b - a) * k / n }'; }
rel() { awk -v x="$1" -v h="$2" 'BEGIN { if (x == "" || h == "" || h == 0) print ""; else printf "%+.1f%%", 100 * (x / h - 1) }'; }

# written into a file of our own (mktemp) and renamed into place at the end:
# never through a name in OUTDIR that could be a planted link
final=$out/crosscheck.csv
ctmp=$(mktemp --suffix=-$$ "$out/.tmp-crosscheck-XXXXXX") || { echo "scbench crosscheck: cannot write in $out" >&2; exit 2; }
chmod 644 "$ctmp"
csv=$ctmp
echo "schema,abi,mechanism,syscall,program,status,reason,calls,harness_ns,harness_mean_ns,hyperfine_ns,perf_task_clock_ns,perf_syscalls_per_call,perf_cycles_per_call,perf_branch_misses_per_call,hyperfine_vs_harness,hyperfine_vs_harness_mean,perf_task_clock_vs_harness,note" >"$csv"
q() { local s=$1; case $s in *[\",]*) s=\"${s//\"/\"\"}\" ;; esac; printf '%s' "$s"; }

echo "$progs" | while IFS=: read -r name row n; do
	n=$((n / scale / 8 * 8))	# the programs make a multiple of 8 calls
	prog=$build/bench/$name
	IFS=/ read -r abi mech sc <<<"$row"
	st=$(row_status "$row"); status=${st%%$'\t'*}; reason=${st#*$'\t'}
	hns=$(harness "$row" median)
	hmean=$(harness "$row" mean)
	hf="" tc="" sys="" cyc="" bm="" note=""
	if [ ! -x "$prog" ]; then
		status=unsupported reason="$prog not built (\$(CC) -m32 unavailable?)"
	elif [ "$status" != ok ] && [ "$status" != noisy ]; then
		:	# the harness's probe said why; the program would fault or fail to exec
	else
		if [ $have_hf = 1 ]; then
			hf=$(median <"$tmp/$name.hf" 2>/dev/null)
		else
			note="hyperfine not installed;"
		fi
		if [ $have_perf = 1 ]; then
			read -r tc1 s1 c1 b1 <<<"$(perf_counts "$prog" "$n")"
			read -r tc2 s2 c2 b2 <<<"$(perf_counts "$prog" $((2 * n)))"
			tc=$(per_call "$tc1" "$tc2" "$n" 1e6)
			sys=$(per_call "$s1" "$s2" "$n")
			cyc=$(per_call "$c1" "$c2" "$n")
			bm=$(per_call "$b1" "$b2" "$n")
			[ -z "$cyc" ] && note="$note cycles and branch misses: not supported here (no hardware PMU?);"
		else
			note="$note perf stat unavailable;"
		fi
	fi
	printf '1,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$abi" "$mech" "$sc" "$name" "$status" \
		"$(q "$([ "$status" = ok ] && echo || echo "$reason")")" "$n" "$hns" "$hmean" "$hf" "$tc" "$sys" "$cyc" "$bm" \
		"$(rel "$hf" "$hns")" "$(rel "$hf" "$hmean")" "$(rel "$tc" "$hns")" "$(q "${note% }")" >>"$csv"
done

# perf bench syscall basic against the harness's raw syscall and glibc rows
pbm=$(echo "$pb" | median)
for row in x86_64/syscall/getppid x86_64/libc/getppid; do
	hns=$(harness "$row" median)
	hmean=$(harness "$row" mean)
	what="perf bench syscall basic (a glibc getppid() loop) against harness $row"
	if [ -z "$pbm" ]; then
		printf '1,x86_64,perf_bench,getppid,vs %s,unsupported,perf bench unavailable,,%s,%s,,,,,,,,,%s\n' \
			"$row" "$hns" "$hmean" "$(q "$what")" >>"$csv"
	else
		printf '1,x86_64,perf_bench,getppid,vs %s,ok,,%s,%s,%s,,%s,,,,,,%s,%s\n' "$row" "$pb_loops" "$hns" "$hmean" \
			"$pbm" "$(rel "$pbm" "$hns")" "$(q "$what; rounds:$pb")" >>"$csv"
	fi
done

mv -fT "$csv" "$final" || { echo "scbench crosscheck: cannot write $final" >&2; exit 2; }
csv=$final
# the table
scb_tsv --columns abi,mechanism,syscall,program,status,harness_ns,harness_mean_ns,hyperfine_ns,perf_task_clock_ns,perf_syscalls_per_call,hyperfine_vs_harness,hyperfine_vs_harness_mean,perf_task_clock_vs_harness,reason "$csv" |
	awk -F'\t' 'NR == 1 { printf "%-30s %9s %9s %10s %10s %5s %8s %8s %8s\n", "benchmark", "median", "mean", "hyperfine", "perf", "sys", "hf/med", "hf/mean", "perf/med"; next }
		{ name = ($2 == "perf_bench") ? "perf bench " $4 : $1 "/" $2 "/" $3 }
		$5 != "ok" && $5 != "noisy" { printf "%-30s %s: %s\n", name, $5, $14; next }
		{ printf "%-30s %9.1f %9.1f %10s %10s %5s %8s %8s %8s\n", name, $6, $7, $8, $9, $10, $11, $12, $13 }'
echo "ns per call. median, mean: the harness; hyperfine: (t(2N)-t(N))/N of whole processes pinned to the"
echo "harness's CPU; perf: task-clock under perf stat (its syscall tracepoint slows every syscall), or perf"
echo "bench syscall basic on the perf_bench rows (glibc getppid(): compare it with libc/getppid). $csv"
