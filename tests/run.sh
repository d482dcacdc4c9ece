#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh BUILD: run every test (C programs in BUILD/tests, built from
# tests/unit/; shell scripts in tests/e2e/), show their TAP, and end with
# the line CI reads:
#   N passed, N failed, N skipped
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
# the binary the scripts read tables with (scripts/lib.sh: scb_tsv)
export SCBENCH=${SCBENCH:-$(cd "$build" 2>/dev/null && pwd)/scbench}
pass=0 fail=0 skip=0 broken=0 times=""

run_one() { # run_one NAME COMMAND...
	local name=$1; shift
	local log rc
	log=$(mktemp)
	echo "# --- $name"
	local t0=$SECONDS
	"$@" >"$log" 2>&1; rc=$?
	times="$times $name:$((SECONDS - t0))s"
	# An i386 test binary on a kernel without 32-bit emulation: exec fails
	# with ENOEXEC. Its checks run in the VM lane instead; say so.
	if [ $rc -eq 126 ] && grep -q 'Exec format error' "$log"; then
		echo "ok 1 # SKIP $name: this kernel cannot run i386 programs (32-bit emulation off); the VM lane runs it"
		echo "1..1"
		skip=$((skip + 1))
		rm -f "$log"
		return
	fi
	cat "$log"
	local p f s
	p=$(grep -cE '^ok [0-9]+' "$log")
	s=$(grep -cE '^ok [0-9]+ # SKIP' "$log")
	f=$(grep -cE '^not ok [0-9]+' "$log")
	pass=$((pass + p - s)); skip=$((skip + s)); fail=$((fail + f))
	# a crash or a non-zero exit without a failing line still counts as a failure
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		fail=$((fail + 1)); broken=$((broken + 1))
	fi
	if ! grep -qE '^1\.\.[0-9]+' "$log"; then
		echo "not ok - $name printed no plan (it stopped early)"
		fail=$((fail + 1))
	fi
	rm -f "$log"
}

for t in "$build"/tests/test_*; do
	case $t in *.*) continue ;; esac
	[ -x "$t" ] && run_one "$(basename "$t")" "$t"
done
for t in "$here"/e2e/test_*.sh; do
	run_one "$(basename "$t")" "$t" "$build"
done
echo "# seconds per test:$times"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
