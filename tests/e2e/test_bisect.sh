#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_bisect.sh BUILD: scripts/vm/bisect-count.sh under `git bisect run`,
# without a kernel tree. A scratch git repository stands in for a kernel's
# history: each commit names a Debian kernel package (the file `kernel`) and
# the boot options it runs with (`append`). The archived 6.1 cloud kernels
# -56 and -57 count alike in every row, so the change is injected: the first
# commits boot with mitigations=off, and from commit $first on the kernel's
# defaults, which cost the Intel model's x86_64 syscall more (the ITS return
# thunk, PTI's CR3 switches). git bisect run with the helper must name that
# commit, from the counts a --record step took on the oldest commit (--good)
# and from a threshold; a kernel the archive lacks and an image that does
# not boot are exit 125, bad usage 128, as git bisect run expects.
set -u
. "$(dirname "$0")/tap.sh"
build=$(cd "$1" && pwd) || exit 1
if [ -n "${SCB_SKIP_VM:-}" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	echo "ok 1 # SKIP bisect: the VM lane is off here (SCB_SKIP_VM or no QEMU)"
	echo "1..1"
	exit 0
fi
command -v git >/dev/null || { echo "ok 1 # SKIP bisect: no git"; echo "1..1"; exit 0; }
export VM_CACHE=$here/build/vm
helper=$here/scripts/vm/bisect-count.sh
a=linux-image-6.1.0-56-cloud-amd64=6.1.192-2 b=linux-image-6.1.0-57-cloud-amd64=6.1.192-3
for k in "$a" "$b"; do
	if ! "$here/scripts/vm/vm-kernel.sh" "$VM_CACHE" "$k" >/dev/null 2>"$tmp/err"; then
		echo "ok 1 # SKIP bisect: $k can't be fetched any more ($(head -c 120 "$tmp/err")); bench/history.series lists what the archive has"
		echo "1..1"
		exit 0
	fi
done
row=x86_64/syscall/getppid

# the scratch history: 8 commits, alternating the two kernels; the first
# three boot with mitigations=off
first=4
repo=$tmp/history
git init -q "$repo" && git -C "$repo" config user.email t@example.invalid && git -C "$repo" config user.name test
for i in 1 2 3 4 5 6 7 8; do
	k=$a; [ $((i % 2)) -eq 0 ] && k=$b
	echo "$k" >"$repo/kernel"
	if [ $i -lt $first ]; then echo mitigations=off; else echo; fi >"$repo/append"
	git -C "$repo" add kernel append && git -C "$repo" commit -q -m "step $i: $k" || exit 1
done
tip=$(git -C "$repo" rev-parse HEAD)
commit() { git -C "$repo" rev-list --reverse "$tip" | sed -n "$1p"; }
step() { # what git bisect run runs: the helper on the checked-out commit
	printf '#!/bin/sh\nexec "%s" --scbench-build "%s" --package "$(cat kernel)" --append "$(cat append)" --row %s --vendor intel "$@"\n' \
		"$helper" "$build" "$row" >"$tmp/step.sh"
	chmod +x "$tmp/step.sh"
}
step

# the known-good counts, from the oldest commit
git -C "$repo" checkout -q "$(commit 1)"
(cd "$repo" && "$tmp/step.sh" --record "$tmp/good.csv") >"$tmp/rec.out" 2>&1; rc=$?
gc=$(csv_sel "$tmp/good.csv" -v bench=1 -v want=status,icount 2>/dev/null | awk -F'\t' -v r="$row" '$1 == r { print $2, $3 }')
[ $rc -eq 0 ] && [ "${gc%% *}" = ok ] && [ -n "${gc#* }" ]
ok $? "--record on commit 1 ($a, mitigations=off) writes the row's count: ${gc:-nothing} (exit $rc: $(tail -n 1 "$tmp/rec.out"))"

# the bisection against those counts
bisect() { # bisect LOG VERDICT-OPTIONS...: git bisect run from commit 1 (good) to 8 (bad)
	local log=$1
	shift
	(cd "$repo" && git bisect start "$(commit 8)" "$(commit 1)" >/dev/null &&
		git bisect run "$tmp/step.sh" "$@" >"$log" 2>&1; rc=$?; git bisect reset >/dev/null 2>&1; exit $rc)
}
t0=$(date +%s)
bisect "$tmp/bisect-good.log" --good "$tmp/good.csv"; rc=$?
t1=$(date +%s)
steps=$(grep -c '^bisect-count: \(good\|bad\):' "$tmp/bisect-good.log")
grep -q "^$(commit $first) is the first bad commit" "$tmp/bisect-good.log"
found=$?
[ $rc -eq 0 ] && [ $found -eq 0 ]
ok $? "git bisect run with --good finds commit $first, where mitigations=off stops ($steps steps in $((t1 - t0)) s, exit $rc): $(grep -m1 'is the first bad commit' "$tmp/bisect-good.log")"
grep '^bisect-count: bad:' "$tmp/bisect-good.log" | head -n 1 | grep -q 'the good kernel'
ok $? "a bad step names its count and the good one: $(grep -m1 '^bisect-count: bad:' "$tmp/bisect-good.log")"
[ "${TEST_BISECT_LOG:-}" ] && cp "$tmp/bisect-good.log" "$TEST_BISECT_LOG"

# the same with a threshold: half-way between the good count and the first
# bad step's, both as measured above
bad_count=$(sed -n 's/^bisect-count: bad: .*: \([0-9.]*\) ([0-9]* s), the good kernel.*/\1/p' "$tmp/bisect-good.log" | head -n 1)
thr=$(awk -v g="${gc#* }" -v b="${bad_count:-0}" 'BEGIN { printf "%.2f", (g + b) / 2 }')
if [ -n "$bad_count" ]; then
	bisect "$tmp/bisect-thr.log" --threshold "$thr"; rc=$?
	grep -q "^$(commit $first) is the first bad commit" "$tmp/bisect-thr.log"
	ok $? "git bisect run with --threshold $thr finds commit $first too (exit $rc)"
else
	ok 1 "no bad step's count to set a threshold from"
fi

# exit 125: this commit cannot be tested
"$helper" --scbench-build "$build" --package linux-image-6.1.0-57-cloud-amd64=0.0-left-the-archive --row "$row" \
	--threshold 1000 >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 125 ] && grep -q 'not in the archive' "$tmp/out"
ok $? "a kernel the archive lacks is exit 125 (exit $rc: $(head -c 150 "$tmp/out"))"
head -c 2000000 /dev/urandom >"$tmp/garbage"
"$helper" --scbench-build "$build" --kernel "$tmp/garbage" --row "$row" --threshold 1000 --timeout 20 >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 125 ] && grep -q 'gave no results' "$tmp/out"
ok $? "an image that does not boot is exit 125 (exit $rc: $(head -c 200 "$tmp/out"))"
"$helper" --scbench-build "$build" --kernel "$tmp/none" --build false --row "$row" --threshold 1000 >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 125 ] && grep -q 'build command failed' "$tmp/out"
ok $? "a failed build command is exit 125 (exit $rc)"

# exit 128: bad usage stops the bisection, one line saying why
for args in "--row x86_64/syscall/getppid --threshold 1" \
	"--package $a --row nonsense --threshold 1" \
	"--package $a --row $row --threshold 1 --good $tmp/good.csv" \
	"--package $a --row $row --threshold many" \
	"--package $a --row $row --good $tmp/nothing.csv" \
	"--package $a --row $row --vendor via --threshold 1"; do
	# shellcheck disable=SC2086 # the words are the arguments
	"$helper" --scbench-build "$build" $args >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc -eq 128 ] && [ "$(grep -vc '^usage:' "$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ]
	ok $? "bad usage is exit 128 with one line ($args: exit $rc, $(head -n 1 "$tmp/err"))"
done
tap_done
