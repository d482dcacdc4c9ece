#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_processes.sh BUILD: a run measures in fresh processes (harness/
# process.h). Real runs, no mocks: every ok row's samples come from each of
# the processes asked for, in their share of the rounds, processes.csv has
# each one's median, summary.csv and env.csv say how many; the processes
# were really distinct (different PIDs, seen by the syscall tracepoint-free
# way: strace's own log of execs); --processes is checked; a measuring
# process that dies gives nothing and the run goes on with the others'
# results (every one dying: every row an error, exit 1); the export carries the processes as google/benchmark
# repetitions, and Debian's compare.py (libbenchmark-tools) runs its U test
# on two such exports. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh"
bin=$1/scbench
csv() { csv_sel "$@"; }
sel=(--quick --runs 40 --counter-runs 0 --no-table -q --filter '^x86_64/(syscall/getppid|vdso/time|empty/none)$')

"$bin" run "${sel[@]}" --processes 4 --out "$tmp/r" 2>"$tmp/err"
rc=$?
d=$tmp/r/latest
bad=$(csv "$d/samples.csv" -v bench=1 -v want=round,process | awk -F'\t' 'NR > 1 {
		n[$1]++; if ($3 != int($2 / 10)) wrong++; p[$1, $3]++ }
	END { for (b in n) { rows++; for (q = 0; q < 4; q++) if (p[b, q] != 10) wrong++ }
	      if (rows != 3) wrong++; print wrong + 0 }')
[ $rc -eq 0 ] && [ "$bad" = 0 ]
ok $? "--processes 4 --runs 40: each row's rounds 0-9 from process 0, 10-19 from 1, ... (exit $rc, $bad wrong)"

nproc=$(csv "$d/summary.csv" -v want=processes -v where=status=ok | tail -n +2 | sort -u)
p=$(csv "$d/env.csv" -v want=key,value | awk -F'\t' '$1 == "processes" { print $2 }')
lines=$(tail -n +2 "$d/processes.csv" | wc -l)
[ "$nproc" = 4 ] && [ "$p" = 4 ] && [ "$lines" -eq 12 ]
ok $? "summary.csv processes $nproc, env.csv processes $p, processes.csv $lines lines (3 rows x 4)"

# each process's median, recomputed from its valid samples
bad=$(csv "$d/samples.csv" -v bench=1 -v want=process,ns_per_call,valid -v where=valid=1 |
	awk -F'\t' 'NR > 1 { print $1 "\t" $2 "\t" $3 }' | sort -t$'\t' -k1,1 -k2,2n -k3,3g |
	awk -F'\t' '{ k = $1 "\t" $2; v[k, ++c[k]] = $3 }
		END { for (k in c) { m = c[k]; med = (v[k, int((m + 1) / 2)] + v[k, int(m / 2) + 1]) / 2; print k "\t" med } }' |
	sort >"$tmp/mine"
	csv "$d/processes.csv" -v bench=1 -v want=process,ns_median | tail -n +2 | sort >"$tmp/theirs"
	join -t$'\t' <(awk -F'\t' '{ print $1 "/" $2 "\t" $3 }' "$tmp/mine" | sort) \
		<(awk -F'\t' '{ print $1 "/" $2 "\t" $3 }' "$tmp/theirs" | sort) |
	awk -F'\t' '{ n++; if (($2 - $3) ^ 2 > (0.001 + 1e-4 * $2) ^ 2) { print "  " $0; w++ } }
		END { if (n != 12) print "  joined " n " of 12"; exit w || n != 12 }')
[ -z "$bad" ]
ok $? "processes.csv: each process's median is the median of its valid samples$bad"

# really fresh processes: strace sees four execs of `scbench process`
if command -v strace >/dev/null; then
	strace -f -qq -e trace=execve -o "$tmp/st" "$bin" run "${sel[@]}" --processes 4 --out "$tmp/s" 2>/dev/null
	execs=$(grep -c 'execve(.*"process"' "$tmp/st")
	pids=$(grep 'execve(.*"process"' "$tmp/st" | awk '{ print $1 }' | sort -u | wc -l)
	[ "$execs" -eq 4 ] && [ "$pids" -eq 4 ]
	ok $? "four fresh processes: $execs execs of scbench process by $pids PIDs"
else
	ok 0 "# SKIP strace not installed: fresh PIDs not checked (make test installs it)"
fi
# one of them killed (the second, once it is measuring): it gives nothing,
# its rounds are left out and said, the other processes' results stand
abs=$(readlink -f "$bin")
kill_children() { # kill_children RUNPID WHICH: kill the WHICH-th child (all: every one)
	local runpid=$1 which=$2 seen="" nth=0 kids killed=""
	for _ in $(seq 1 1500); do
		kids=$(pgrep -P "$runpid" -f "^$abs process " || true)
		if [ -n "$kids" ] && [ "$kids" != "$seen" ]; then
			nth=$((nth + 1)) seen=$kids
			if [ "$which" = all ] || [ "$nth" = "$which" ]; then
				# once it is measuring (its own children started), not before
				sleep 0.05; kill -9 "$kids" 2>/dev/null && killed="$killed $kids"
			fi
		fi
		kill -0 "$runpid" 2>/dev/null || break
		sleep 0.01
	done
	echo "$killed"
}
"$bin" run --runs 3000 --warmup 0 --counter-runs 0 --no-table -q --processes 3 \
	--filter '^x86_64/(syscall/getppid|empty/none)$' --out "$tmp/k" 2>"$tmp/kerr" >/dev/null &
runpid=$!
killed=$(kill_children "$runpid" 2)
wait "$runpid"; rc=$?
# ok, or noisy on a busy machine: measured either way, by the 2 left
st=$(csv "$tmp/k/latest/summary.csv" -v want=status,processes | tail -n +2 | sed 's/^noisy/ok/' | sort -u | tr '\t\n' ': ')
pf=$(csv "$tmp/k/latest/env.csv" -v want=key,value | awk -F'\t' '$1 == "process_failed" { print $2 }')
[ -n "$killed" ] && [ $rc -eq 0 ] && [ "$st" = "ok:2 " ] && echo "$pf" | grep -q '^process 2 of 3: it stopped before reporting (killed by SIGKILL)' &&
	grep -q 'warning: a measuring process failed' "$tmp/kerr"
ok $? "the second measuring process killed: its rounds left out, the rows measured by the other 2 (exit $rc; $st; $pf)"
"$bin" run --runs 3000 --warmup 0 --counter-runs 0 --no-table -q --processes 3 \
	--filter '^x86_64/(syscall/getppid|empty/none)$' --out "$tmp/k2" 2>"$tmp/kerr" >/dev/null &
runpid=$!
killed=$(kill_children "$runpid" all)
wait "$runpid"; rc=$?
why=$(csv "$tmp/k2/latest/summary.csv" -v want=status,reason | tail -n +2 | sort -u | head -1)
[ $rc -eq 1 ] && echo "$why" | grep -q '^error.every measuring process failed' && grep -q 'every benchmark failed' "$tmp/kerr"
ok $? "every measuring process killed: the rows are errors that say so, exit 1 (exit $rc: $why)"

for a in 0 x -1; do
	"$bin" run --processes "$a" --out "$tmp/bad" >/dev/null 2>"$tmp/perr"; rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/perr")" -eq 1 ] && [ ! -e "$tmp/bad" ]
	ok $? "--processes '$a': exit $rc, one line ($(head -c 90 "$tmp/perr"))"
done
"$bin" run --runs 10 --processes 11 --out "$tmp/bad" >/dev/null 2>"$tmp/perr"; rc=$?
[ $rc -eq 2 ] && grep -q 'more than the 10 rounds' "$tmp/perr"
ok $? "--processes 11 --runs 10: refused, exit $rc ($(head -c 90 "$tmp/perr"))"
"$bin" run --icount --runs 10 --warmup 0 --counter-runs 0 --no-table -q --filter '^x86_64/empty' --out "$tmp/ic" 2>/dev/null
p=$(csv "$tmp/ic/latest/env.csv" -v want=key,value | awk -F'\t' '$1 == "processes" { print $2 }')
[ "$p" = 1 ]
ok $? "--icount measures in one process, as the count gate expects (processes $p)"

# the export: processes as repetitions, and google/benchmark's compare.py
# running its U test on them
sel2=(--quick --runs 40 --counter-runs 0 --no-table -q --filter '^x86_64/(syscall/getppid|vdso/clock_gettime)$')
"$bin" run "${sel2[@]}" --processes 10 --out "$tmp/g1" 2>/dev/null &&
	"$bin" run "${sel2[@]}" --processes 10 --out "$tmp/g2" 2>/dev/null &&
	"$bin" export "$tmp/g1/latest" >"$tmp/g1.json" && "$bin" export "$tmp/g2/latest" >"$tmp/g2.json"
ok $? "two runs of 10 processes exported"
cmp=/usr/share/benchmark/compare.py
if [ -f "$cmp" ] && /usr/bin/python3 -c 'import scipy, numpy' 2>/dev/null; then
	/usr/bin/python3 "$cmp" benchmarks "$tmp/g1.json" "$tmp/g2.json" >"$tmp/cmp" 2>&1; rc=$?
	sed 's/\x1b\[[0-9;]*m//g' "$tmp/cmp" >"$tmp/cmp.txt"
	pv=$(grep -c '_pvalue .*U Test, Repetitions: 10 vs 10' "$tmp/cmp.txt")
	[ $rc -eq 0 ] && [ "$pv" -eq 2 ]
	ok $? "compare.py: a U-test p-value for each of the 2 rows, 10 vs 10 repetitions (exit $rc, $pv p-values)"
	grep -E '^x86_64/syscall/getppid_pvalue' "$tmp/cmp.txt" | head -1 | sed 's/^/# /'
else
	ok 0 "# SKIP google/benchmark's compare.py (libbenchmark-tools) or python3-scipy not installed: make test installs them"
fi
tap_done
