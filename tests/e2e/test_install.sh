#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_install.sh BUILD: the CLI's conventions and the install. Options
# belong to commands; help per command; the table's intervals hold their
# medians; run --json is google/benchmark's JSON and export writes it and
# Bencher's format; make install into a DESTDIR gives a working scbench
# (worker, plots, man page) and uninstall takes it all away; make bench on
# a built tree prints at most 40 lines before its table.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
bin=$build/scbench

"$bin" run --format json >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "scbench run: unknown option '--format' (it belongs to compare" "$tmp/err"
ok $? "run --format json: exit $rc, names the command it belongs to: $(cat "$tmp/err")"
"$bin" compare --tune a b >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "belongs to run" "$tmp/err"
ok $? "compare --tune: exit $rc: $(cat "$tmp/err")"
"$bin" run --help >"$tmp/h1"; "$bin" help compare >"$tmp/h2"
grep -q -- '--runs' "$tmp/h1" && ! grep -q -- '--threshold' "$tmp/h1" && grep -q -- '--threshold' "$tmp/h2" && ! grep -q -- '--runs' "$tmp/h2"
ok $? "run --help and help compare each show their own options"

# every printed interval holds its printed median
"$bin" run --quick --counter-runs 0 --out "$tmp/r" --json "$tmp/run.json" >"$tmp/table" 2>"$tmp/err"
rc=$?
awk '$3 ~ /^\[/ { lo = $3; hi = $4; gsub(/[\[,]/, "", lo); gsub(/\]/, "", hi); n++
	if (!(lo + 0 <= $2 + 0 && $2 + 0 <= hi + 0)) { print "outside: " $0; bad++ } }
	END { if (!n) print "no rows"; exit (bad || !n) }' "$tmp/table" >"$tmp/bad"
ok $? "every interval in the table contains its median (exit $rc; $(head -1 "$tmp/bad"))"

# google-benchmark JSON: the shape github-action-benchmark and Bencher read
if command -v python3 >/dev/null; then
	python3 - "$tmp/run.json" "$tmp/r/latest/summary.csv" <<'PY' >"$tmp/schema" 2>&1
import csv, json, sys
d = json.load(open(sys.argv[1]))
ctx = d["context"]
for k, t in [("date", str), ("host_name", str), ("executable", str), ("num_cpus", int), ("mhz_per_cpu", (int, float)),
             ("cpu_scaling_enabled", bool), ("caches", list), ("load_avg", list), ("library_build_type", str)]:
    assert isinstance(ctx[k], t), k
ok = [r for r in csv.DictReader(open(sys.argv[2])) if r["status"] in ("ok", "noisy")]
runs = [b for b in d["benchmarks"] if b["run_type"] == "iteration"]
aggs = [b for b in d["benchmarks"] if b["run_type"] == "aggregate"]
for b in d["benchmarks"]:
    for k, t in [("name", str), ("run_name", str), ("run_type", str), ("iterations", int), ("real_time", (int, float)),
                 ("cpu_time", (int, float)), ("time_unit", str), ("threads", int), ("repetitions", int)]:
        assert isinstance(b[k], t), (b["name"], k)
    assert b["time_unit"] == "ns" and b["iterations"] > 0
    assert b["real_time"] > 0 or b.get("aggregate_name") in ("stddev", "cv"), b["name"]
# per row, what google/benchmark writes with --benchmark_repetitions=P: P
# iteration entries (repetition_index 0..P-1), then mean, median, stddev, cv
names = ["%s/%s/%s" % (r["abi"], r["mechanism"], r["syscall"]) for r in ok]
# summary.csv writes ns_median to 3 decimals: half of its last digit, by
# which it may differ from a figure the export keeps to 6 significant ones
# (the empty loop's 0.0854 ns is written 0.085)
HALF = 0.0005
assert [b["run_name"] for b in runs if b["repetition_index"] == 0] == names, "one row, one family, in order"
for r, name in zip(ok, names):
    reps = [b for b in runs if b["run_name"] == name]
    P = int(r["processes"])
    assert len(reps) == P and all(b["repetitions"] == P and b["name"] == name for b in reps), (name, len(reps), P)
    assert [b["repetition_index"] for b in reps] == list(range(P)), name
    agg = {b["aggregate_name"]: b for b in aggs if b["run_name"] == name}
    if P == 1:
        assert not agg and abs(reps[0]["real_time"] - float(r["ns_median"])) <= 1e-3 * float(r["ns_median"]) + HALF
        continue
    assert sorted(agg) == ["cv", "mean", "median", "stddev"], (name, sorted(agg))
    assert all(a["name"] == name + "_" + k for k, a in agg.items())
    v = sorted(b["real_time"] for b in reps)
    med = (v[(P - 1) // 2] + v[P // 2]) / 2
    assert abs(agg["median"]["real_time"] - med) <= 1e-4 * med, (name, agg["median"]["real_time"], med)
    # the run's median of all samples lies between its processes' medians
    # (as summary.csv writes it: to 3 decimals, so within half of the last)
    assert v[0] * 0.999 - HALF <= float(r["ns_median"]) <= v[-1] * 1.001 + HALF, (name, v[0], r["ns_median"], v[-1])
print("%d rows, %d repetitions, %d aggregates" % (len(ok), len(runs), len(aggs)))
PY
	ok $? "run --json: google-benchmark schema ($(tail -1 "$tmp/schema"))"
	"$bin" export --format bencher "$tmp/r/latest" >"$tmp/bmf.json" 2>"$tmp/err"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d and all(set(v) <= {"latency", "instructions"} and v["latency"]["lower_value"] <= v["latency"]["value"] <= v["latency"]["upper_value"] for v in d.values())
print(len(d))' "$tmp/bmf.json" >"$tmp/n" 2>&1
	ok $? "export --format bencher: Bencher Metric Format, $(cat "$tmp/n") benchmarks with latency in its interval"
else
	ok 0 "# SKIP python3 not installed: JSON shapes not checked"
fi
"$bin" export "$tmp/nope" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
ok $? "export of a folder that isn't one: exit $rc, one line"

# make install into a DESTDIR, used from there, then uninstalled
d=$tmp/dest
make -C "$here" -s BUILD="$(cd "$build" && pwd)" install DESTDIR="$d" PREFIX=/usr >"$tmp/log" 2>&1
ok $? "make install DESTDIR=... PREFIX=/usr ($(tail -1 "$tmp/log"))"
(cd "$tmp" && "$d/usr/bin/scbench" run --quick --counter-runs 0 --filter 'getppid' --out "$tmp/inst" --no-table) 2>"$tmp/err"
rc=$?
worker=$(csv_sel "$tmp/inst/latest/summary.csv" -v want=abi,status,reason -v where=abi=i386 | awk -F'\t' 'NR == 2 { print $2 ": " $3 }')
[ $rc -eq 0 ] && [ -n "$worker" ] && ! echo "$worker" | grep -q 'not built\|cannot find'
ok $? "the installed scbench runs, its i386 rows through the installed worker ($worker)"
"$d/usr/bin/scbench" plots "$tmp/inst/latest" >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] && [ -s "$tmp/inst/latest/report.html" ] && [ -s "$tmp/inst/latest/plots/cost.png" ]
ok $? "scbench plots from the installed copy ($(tail -1 "$tmp/err"))"
rm -f "$tmp/inst/latest/report.md"
"$d/usr/bin/scbench" report "$tmp/inst/latest" 2>"$tmp/err" && grep -q '^## At a glance' "$tmp/inst/latest/report.md" &&
	[ -z "$(find "$d" -name 'report*.sh')" ]
ok $? "the installed scbench writes the report itself, no report script installed ($(tail -1 "$tmp/err"))"
if command -v man >/dev/null; then
	man -l "$d/usr/share/man/man1/scbench.1" 2>/dev/null | grep -q 'compare'
	ok $? "man -l scbench.1 renders"
else
	ok 0 "# SKIP man not installed"
fi
bash -c ". '$d/usr/share/bash-completion/completions/scbench'; COMP_WORDS=(scbench run --qu); COMP_CWORD=2; _scbench; echo \${COMPREPLY[*]}" >"$tmp/comp" 2>&1
tr ' ' '\n' <"$tmp/comp" | grep -qx -- '--quick'
ok $? "bash completion completes 'scbench run --qu' ($(cat "$tmp/comp"))"
make -C "$here" -s BUILD="$(cd "$build" && pwd)" uninstall DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1
[ -z "$(find "$d" -type f)" ]
ok $? "make uninstall removes every file it installed"

# make bench on a built tree: at most 40 lines before the table, no compiler
# or apt lines, and it names the report once
(cd "$here" && make bench RESULTS="$tmp/mb" BUILD="$(cd "$build" && pwd)" \
	BENCH_ARGS="--quick --counter-runs 0 --filter ^x86_64/(syscall|vdso)/") >"$tmp/bench.out" 2>&1
rc=$?
before=$(awk '/^benchmark +(ns|instr)\/call/ { print NR - 1; exit }' "$tmp/bench.out")
[ $rc -eq 0 ] && [ -n "$before" ] && [ "$before" -le 40 ] && ! grep -qE '^(gcc|cc|clang) |^(Get|Setting up|Unpacking)' "$tmp/bench.out" &&
	grep -q 'report in .*report.html' "$tmp/bench.out" && [ "$(grep -c 'report\.html' "$tmp/bench.out")" -eq 1 ]
ok $? "make bench: $before lines before the table, no compiler or apt lines, names the report once (exit $rc)"
tap_done
