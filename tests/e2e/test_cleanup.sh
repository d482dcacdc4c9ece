#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_cleanup.sh BUILD: root writes only where it should and removes only
# what it made (issue 20's reproductions, on scratch folders): make never
# expands a name as make code, distclean leaves a user's files alone, bad
# knobs are one line and exit 2 before anything is written.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
bin=$build/scbench

# a $ in a name given to make is only a name (command line and environment)
make -s -C "$here" plots RUN="x\$(shell touch $tmp/pwn.make)" >/dev/null 2>&1
RESULTS="y\$(shell touch $tmp/pwn.make)" make -s -C "$here" plots >/dev/null 2>&1
[ ! -e "$tmp/pwn.make" ]
ok $? "make plots RUN='x\$(shell touch ...)' and RESULTS= in the environment run no make code"

# distclean: a user's files survive, scbench's own run folders go
v=$tmp/victim
mkdir -p "$v/proj"
touch "$v/my-Tax-Zurich.pdf" "$v/important-TZ" "$v/proj/.tmp-notes"
"$bin" run --quick --filter '^x86_64/empty/' --counter-runs 0 --no-table --out "$v" >/dev/null 2>&1
runs=$(find "$v" -mindepth 1 -maxdepth 1 -type d -name '*-*T*Z*' | wc -l)
make -s -C "$here" distclean RESULTS="$v" BUILD="$tmp/no-build" >"$tmp/dc.log" 2>&1
left=$(find "$v" -mindepth 1 -maxdepth 1 -type d -name '*-*T*Z*' | wc -l)
[ -f "$v/my-Tax-Zurich.pdf" ] && [ -f "$v/important-TZ" ] && [ -f "$v/proj/.tmp-notes" ] && [ "$runs" -ge 1 ] && [ "$left" -eq 0 ] &&
	grep -q "proj: not a scbench results folder" "$tmp/dc.log"
ok $? "make distclean RESULTS=<a user's folder>: its files stay, $runs scbench run folder(s) removed, the rest named and left alone"

# a make variable nobody listed is text too (every command-line variable)
make -s -C "$here" help FOO="\$(shell touch $tmp/pwn.foo)" >/dev/null 2>&1
[ ! -e "$tmp/pwn.foo" ] && [ ! -e "$here/x/.git-commit" ]
ok $? "make help FOO='\$(shell touch ...)' runs no make code, and make help writes nothing"

# as root, in a folder another user owns: a forged marker gets nothing removed
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	f=$tmp/foreign
	mkdir -p "$f/sub/target" && echo "scbench 0.1 results folder" >"$f/sub/target/.scbench-results" && touch "$f/sub/target/keep"
	chown -R nobody "$f"
	"$here/scripts/distclean.sh" "$f" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] && [ -f "$f/sub/target/keep" ] && grep -q 'owned or writable by someone else' "$tmp/err"
	ok $? "distclean as root in a folder owned by nobody, with a forged marker: exit $rc, nothing removed"
	# a planted history.csv link in a RESULTS of ours: refused, the victim untouched
	mkdir -p "$tmp/ci2" && printf 'victim\n' >"$tmp/victim.csv" && ln -s "$tmp/victim.csv" "$tmp/ci2/history.csv"
	# and what a SIGKILLed ci-bench left (its PID ends the name): gone at the next run
	mkdir -p "$tmp/ci2/.tmp-ci-AbC123-999999999/run" "$tmp/ci2/.tmp-ci-live01-$$"
	RESULTS=$tmp/ci2 BENCH_ARGS="--runs 20 --counter-runs 0 --filter ^x86_64/empty/" "$here/scripts/ci/ci-bench.sh" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] && [ "$(cat "$tmp/victim.csv")" = victim ] && grep -q 'history.csv is not a regular file' "$tmp/err"
	ok $? "ci-bench with history.csv a planted link: exit $rc, the link's target untouched"
	[ ! -e "$tmp/ci2/.tmp-ci-AbC123-999999999" ] && [ -d "$tmp/ci2/.tmp-ci-live01-$$" ]
	ok $? "ci-bench removes a killed ci-bench's private folder at its next run, and keeps a live one's"
else
	echo "ok $((n += 1)) # SKIP the foreign-folder cases need root and a user 'nobody'"
	echo "ok $((n += 1)) # SKIP the planted history link case is run with the foreign-folder cases (root)"
	echo "ok $((n += 1)) # SKIP the killed ci-bench case is run with the foreign-folder cases (root)"
fi

# ci-bench's knobs: checked before the run, history untouched
mkdir -p "$tmp/ci"
printf 'schema,time_utc,run\n1,t,keep-me\n' >"$tmp/ci/history.csv"
for bad in abc '1;id' 0 -3; do
	RESULTS=$tmp/ci HISTORY_MAX_RUNS=$bad "$here/scripts/ci/ci-bench.sh" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] && grep -q 'keep-me' "$tmp/ci/history.csv" && [ "$(wc -l <"$tmp/err")" -eq 1 ]
	ok $? "HISTORY_MAX_RUNS='$bad': exit $rc, one line ($(head -c 80 "$tmp/err")), history untouched"
done
RESULTS=$tmp/ci SCBENCH=/bin/false "$here/scripts/ci/ci-bench.sh" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'the run failed' "$tmp/err"
ok $? "SCBENCH=/bin/false: exit $rc with a message: $(head -c 80 "$tmp/err")"
printf 'mine\n' >"$tmp/mine.txt"
RESULTS=$tmp/ci BASELINE=$tmp/mine.txt "$here/scripts/ci/ci-bench.sh" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(cat "$tmp/mine.txt")" = mine ] && [ -z "$(ls "$tmp" | grep 'mine.txt.broken')" ]
ok $? "BASELINE=<a regular file>: exit $rc, the file left where it was: $(head -c 90 "$tmp/err")"

# a plot stage left by a killed scbench plots goes at the next run; a live one stays
stale=$(mktemp -d "${TMPDIR:-/tmp}/scbench-plots.XXXXXX")
mv "$stale" "$stale-999999999" && stale=$stale-999999999
live=$(mktemp -d --suffix=-$$ "${TMPDIR:-/tmp}/scbench-plots.XXXXXX")
"$bin" plots "$tmp/no-such-run" >/dev/null 2>&1
[ ! -e "$stale" ] && [ -d "$live" ]
ok $? "scbench plots removes a dead writer's stage ($(basename "$stale")) and keeps a live one's"
rm -rf "$live" "$stale"

# error lines carry no raw control bytes
"$bin" plots "$tmp/esc"$'\e[31m'"red" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && ! grep -q $'\e' "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ]
ok $? "scbench plots on a name with an ESC sequence: exit $rc, one line, no raw ESC: $(cat "$tmp/err")"

# scbench plots on a read-only folder: "cannot write", one line
ro=$tmp/ro
mkdir -p "$ro"
if mount -t tmpfs -o size=8m tmpfs "$ro" 2>/dev/null; then
	cp -r "$here/results/sample" "$ro/s" && mount -o remount,ro "$ro"
	"$bin" plots "$ro/s" >/dev/null 2>"$tmp/err"; rc=$?
	umount "$ro"
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'cannot write' "$tmp/err"
	ok $? "scbench plots on a read-only folder: exit $rc, one line: $(cat "$tmp/err")"
else
	echo "ok $((n += 1)) # SKIP scbench plots on a read-only folder: cannot mount a tmpfs here (not root?); root ignores file modes, so only a read-only mount shows it"
fi

# the VM lane's knobs: names are names, numbers are numbers
for knob in "VM_VENDORS=intel ../../x" VM_TIMEOUT=0 VM_TIMEOUT=abc "VM_TAG=a/../b"; do
	env "$knob" "$here/scripts/vm/vm-run.sh" "$build" icount >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
	ok $? "vm-run.sh with $knob: exit $rc, $(head -c 90 "$tmp/err")"
done
tap_done
