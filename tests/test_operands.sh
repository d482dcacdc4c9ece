#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_operands.sh BUILD: "--" ends the options, as getopt has it: after it
# every word is an operand, so a folder named like an option can be given.
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
tap_done
