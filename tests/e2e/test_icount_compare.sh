#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_icount_compare.sh BUILD: the count gate's comparison (icl_compare in
# scripts/vm/icount-lib.sh, shared by the gate and scripts/ci/ci-icount.sh) on
# copies of the committed baseline, without a guest: every row exact, the
# io_uring rows within 1, and a row that was ok and is lost or broken is a
# failure. Each case edits one vendor's copy and expects compare's verdict.
set -u
. "$(dirname "$0")/tap.sh"
. "$here/scripts/vm/icount-lib.sh"
build=$1
bin=$build/scbench
b=$here/results/icount-baseline/intel

# edit OUT PYTHON: a copy of the baseline with summary.csv's rows changed
edit() {
	rm -rf "$1" && mkdir -p "$1" && cp "$b"/*.csv "$1"/
	python3 - "$1/summary.csv" "$2" <<'PY'
import csv, sys
path, code = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(path, newline="")))
fields = list(rows[0].keys())
out = []
for r in rows:
    name = "/".join((r["abi"], r["mechanism"], r["syscall"]))
    keep = True
    exec(code)
    if keep:
        out.append(r)
w = csv.DictWriter(open(path, "w", newline=""), fieldnames=fields, lineterminator="\n")
w.writeheader()
w.writerows(out)
PY
}
case_() { # case_ DESCRIPTION WANT-EXIT [GREP] : compare $b with $tmp/c
	local out rc
	out=$(icl_compare "$bin" "$b" "$tmp/c"); rc=$?
	[ $rc -eq "$2" ] && { [ -z "${3:-}" ] || printf '%s\n' "$out" | grep -q -- "$3"; }
	ok $? "$1: exit $rc (want $2)"
	[ $rc -eq "$2" ] || printf '%s\n' "$out" | tail -n 5 | sed 's/^/# /'
}
add() { echo "if name == '$1': r['icount'] = '%.2f' % (float(r['icount']) + $2)"; }

edit "$tmp/c" ""
case_ "the baseline against itself" 0
edit "$tmp/c" "$(add x86_64/syscall/getppid 1)"
case_ "syscall getppid one instruction more" 1 'x86_64/syscall/getppid .*+1.00 instr.*REGRESSION'
edit "$tmp/c" "$(add x86_64/syscall/getppid -1)"
case_ "syscall getppid one instruction less (an improvement, not a failure)" 0 'improvement'
edit "$tmp/c" "$(add x86_64/io_uring/nop_batch1 5)"
case_ "io_uring nop_batch1 five instructions more (beyond its tolerance of 1)" 1 'x86_64/io_uring/nop_batch1 .*REGRESSION'
edit "$tmp/c" "$(add x86_64/io_uring/nop_batch64 0.55)"
case_ "io_uring nop_batch64 +0.55 (the measured layout effect, within 1)" 0
edit "$tmp/c" "if name == 'x86_64/syscall/enosys': keep = False"
case_ "a row gone from the new run" 1 'x86_64/syscall/enosys ok -> gone'
edit "$tmp/c" "if name == 'i386/int80/getppid': r['status'] = 'error'; r['icount'] = ''"
case_ "a row that broke (ok -> error)" 1 'i386/int80/getppid ok -> error'
edit "$tmp/c" "if name.startswith('x86_64/io_uring/'): keep = False"
case_ "every io_uring row gone (no loose rows left to compare)" 1 'x86_64/io_uring/nop_batch1 ok -> gone'
edit "$tmp/c" "if name.startswith('i386/'): r['status'] = 'unsupported'; r['icount'] = ''"
case_ "every i386 row unsupported (a kernel without 32-bit emulation)" 1 'i386/int80/getppid ok -> unsupported'
tap_done
