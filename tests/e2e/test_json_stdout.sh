#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_json_stdout.sh BUILD: `scbench run --json -` keeps standard output for
# the JSON alone (as google/benchmark and hyperfine do), so it can be piped
# into a JSON reader; the table and every message go to stderr. Without
# --json - the table stays on stdout. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh"
bin=$1/scbench
sel=(--quick --runs 20 --counter-runs 0 --filter '^x86_64/(syscall|vdso)/')

if ! command -v python3 >/dev/null; then
	echo "ok 1 # SKIP python3 not found (it reads the JSON)"; echo "1..1"; exit 0
fi

"$bin" run "${sel[@]}" --json - --out "$tmp/res" 2>"$tmp/err" |
	python3 -m json.tool >"$tmp/parsed" 2>"$tmp/jerr"
st=("${PIPESTATUS[@]}")
[ "${st[0]}" -eq 0 ] && [ "${st[1]}" -eq 0 ] && grep -q '"benchmarks"' "$tmp/parsed"
ok $? "run --json - | python3 -m json.tool: exit ${st[0]} and ${st[1]}$( [ -s "$tmp/jerr" ] && echo ": $(head -c 100 "$tmp/jerr")")"

grep -q '^benchmark  *ns/call' "$tmp/err" && grep -q '^x86_64/syscall/getppid ' "$tmp/err"
ok $? "with --json - the table is on stderr"

grep -q '^scbench: results in ' "$tmp/err"
ok $? "with --json - the messages are on stderr"

"$bin" run "${sel[@]}" --out "$tmp/res" >"$tmp/out2" 2>"$tmp/err2"
rc=$?
[ $rc -eq 0 ] && grep -q '^x86_64/syscall/getppid ' "$tmp/out2" && ! grep -q '^x86_64/syscall/getppid ' "$tmp/err2"
ok $? "without --json - the table stays on stdout (exit $rc)"

"$bin" run "${sel[@]}" --json "$tmp/j.json" --out "$tmp/res" >"$tmp/out3" 2>/dev/null
rc=$?
[ $rc -eq 0 ] && grep -q '^x86_64/syscall/getppid ' "$tmp/out3" && python3 -m json.tool "$tmp/j.json" >/dev/null
ok $? "--json FILE: the table on stdout, valid JSON in the file (exit $rc)"
tap_done
