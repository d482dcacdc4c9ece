#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_gpstr.sh BUILD: plots.sh hands every text to gnuplot as an escaped
# string (gpstr); gnuplot must read back exactly the text given, whatever
# follows an escape (an octal escape swallows a digit after it: "\0506" was
# read as one character, and cost.png said "kernel F.1.0-57").
set -u
. "$(dirname "$0")/tap.sh"
if ! command -v gnuplot >/dev/null; then
	echo "ok 1 # SKIP gnuplot not found (make deps installs gnuplot-nox)"
	echo "1..1"
	exit 0
fi
eval "$(sed -n '/^gpstr() {/,/^}/p' "$here/scripts/plots.sh")"
for s in 'this kernel (6.1.0-57) and 100% of it' '"quoted" $HOME \back\slash' '(1)(2)[3]{4}' "q'\$(touch x)'7" 'tab	end'; do
	gpstr x "$s" >"$tmp/v.gp"
	got=$(printf 'set print "-"\nload "%s"\nprint x\n' "$tmp/v.gp" | gnuplot 2>&1)
	want=${s//$'\t'/ }
	[ "$got" = "$want" ]
	ok $? "gnuplot reads back '$want' (got '$got')"
done
tap_done
