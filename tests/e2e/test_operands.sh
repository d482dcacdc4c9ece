#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_operands.sh BUILD: the command line behaves as getopt_long has it,
# since every command parses its own options with it (harness/options.c):
# "--" ends the options (a folder named like an option can be given), -o
# is --out, --opt=V and unambiguous abbreviations work, an ambiguous one, a
# missing value or a value given to a switch is one line and exit 2; each
# command's --help shows its operands and its options alone.
set -u
. "$(dirname "$0")/tap.sh"
bin=$(cd "$1" && pwd)/scbench
cp -r "$here/results/sample" "$tmp/-x"
(cd "$tmp" && "$bin" compare -- -x -x >"$tmp/out" 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q 'unchanged' "$tmp/out"
ok $? "scbench compare -- -x -x compares the folder named -x with itself (exit $rc)"
(cd "$tmp" && "$bin" compare -x -x >/dev/null 2>"$tmp/err"); rc=$?
[ $rc -eq 2 ] && grep -q "unknown option '-x'" "$tmp/err"
ok $? "without --, -x is an option, refused: exit $rc"
"$bin" compare -- "$tmp/-x" "$tmp/-x" extra >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "unexpected argument 'extra'" "$tmp/err"
ok $? "a third operand after -- is one line and exit 2: $(cat "$tmp/err")"
(cd "$tmp" && "$bin" export -- -x >"$tmp/json" 2>/dev/null); rc=$?
[ $rc -eq 0 ] && python3 -m json.tool "$tmp/json" >/dev/null
ok $? "scbench export -- -x writes valid JSON (exit $rc)"
sel=(--quick --runs 20 --processes 2 --counter-runs 0 --no-table -q --filter '^x86_64/empty/none$')
"$bin" run "${sel[@]}" -o "$tmp/short" 2>/dev/null && [ -L "$tmp/short/latest" ]
ok $? "run -o DIR writes DIR/latest"
"$bin" run "${sel[@]}" --out="$tmp/eq" 2>/dev/null && [ -L "$tmp/eq/latest" ]
ok $? "run --out=DIR writes DIR/latest"
"$bin" run --quic --runs 20 --processes 2 --counter-runs 0 --no-tab -q --filter '^x86_64/empty/none$' --out "$tmp/ab" 2>/dev/null &&
	[ "$(awk -F, '$2 == "runs" { print $3 }' "$tmp/ab/latest/env.csv")" = 20 ]
ok $? "unambiguous abbreviations (--quic, --no-tab) are the options they start"
for args in "run --qu" "run --quick=3" "run --warmup" "compare --for"; do
	set -- $args
	"$bin" "$@" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^scbench: .*(see scbench '"$1"' --help)$' "$tmp/err"
	ok $? "scbench $args: exit $rc, one line: $(cat "$tmp/err")"
done
"$bin" plots --help >"$tmp/h" 2>&1 && grep -q '^Usage: scbench plots RESULTS \[OUT_DIR\]$' "$tmp/h"
ok $? "plots --help names its RESULTS operand (and the optional OUT_DIR)"
"$bin" compare --help >"$tmp/h" 2>&1 && grep -q -- '--threshold' "$tmp/h" && ! grep -q -- '--quick\|TSC ticks' "$tmp/h"
ok $? "compare --help shows compare's options, not run's nor the run's methodology"
tap_done
