#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_headers.sh BUILD: tables a person reads name their columns in full:
# scbench list on a terminal has a header (a pipe gets the rows alone), and
# the icount table's columns are the CPU models, not cut folder names.
set -u
. "$(dirname "$0")/tap.sh"
bin=$(cd "$1" && pwd)/scbench
if command -v script >/dev/null; then
	first=$(script -qec "$bin list --filter getppid" /dev/null </dev/null | head -n 1 | tr -d '\r')
	[[ $first == benchmark*needs*"what it measures" ]]
	ok $? "scbench list on a terminal starts with its column names: '$first'"
else
	echo "ok $((n += 1)) # SKIP no script(1) to give scbench list a terminal (util-linux)"
fi
first=$("$bin" list --filter getppid | head -n 1)
[[ $first == x86_64/syscall/getppid* ]]
ok $? "scbench list into a pipe gives the rows alone: '${first:0:40}...'"
head=$("$here/scripts/vm/icount-table.sh" . "$here/results/icount-baseline/intel" "$here/results/icount-baseline/amd" | head -n 1)
[[ $head == *"Intel model"*"AMD model"* ]]
ok $? "the icount table's columns are the CPU models: '$head'"
tap_done
