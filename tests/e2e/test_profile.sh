#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_profile.sh BUILD: the per-function profile (scripts/vm/vm-profile.sh,
# make bench-profile) and its diff (scbench compare of two profiles).
#   - both vendors' guests are profiled, and vm-profile.sh's own check
#     passes: every row's functions sum to the guest's icount over the same
#     calls (its TSC under -icount around each run); the folder gets its
#     picture and report.md (scripts/vm/profile-report.sh);
#   - scbench loads the profile, which checks every row's sum against the
#     trace lane's count in trace.csv beside it (a row missing or off is
#     refused), for the reference row and one row of every mechanism of
#     each vendor;
#   - a profile with one function row added (its row then sums to more
#     than its count) is refused, naming the row; a guest icount that does
#     not match the trace fails vm-profile.sh, naming the row; naming a
#     kept trace again gives the same profile.csv, byte for byte;
#   - the Intel model's mitigations=off profile against the default: the
#     reference row's count moves, and its per-function changes, as
#     printed, sum to exactly that move.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
if [ -n "${SCB_SKIP_VM:-}" ]; then
	echo "ok 1 # SKIP profile skipped: SCB_SKIP_VM is set"
	echo "1..1"
	exit 0
fi
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "ok 1 # SKIP no qemu-system-x86_64 (make deps installs qemu-system-x86): the profile boots QEMU guests"
	echo "1..1"
	exit 0
fi
if [ ! -s "$build/vm-trace/initrd.cpio" ] || [ ! -x "$build/scbench" ]; then
	ok 1 "$build/vm-trace/initrd.cpio or $build/scbench is missing (make trace-images all; the images need gcc-multilib)"
	tap_done
	exit
fi
scb=$build/scbench
p=$tmp/default

t0=$SECONDS
VM_TRACE_KEEP=1 "$here/scripts/vm/vm-profile.sh" "$build" "$p" >"$tmp/log" 2>&1
rc=$?
ok $rc "both vendors profiled in $((SECONDS - t0)) s; every row's functions sum to the guest's icount over the same calls (vm-profile.sh exit $rc)"
[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/log"
# the picture and report (scripts/vm/profile-report.sh; the picture itself is
# checked on a fixture by tests/e2e/test_profile_plot.sh)
if command -v gnuplot >/dev/null; then
	[ -s "$p/report.md" ] && grep -q '^## The reference row: x86_64/syscall/getppid' "$p/report.md" &&
		[ -s "$p/plots/profile.png" ] && [ -s "$p/plots/profile.svg" ] && [ -s "$p/profile-groups.csv" ]
	ok $? "vm-profile.sh wrote report.md, plots/profile.png and .svg, profile-groups.csv"
else
	n=$((n + 1)); echo "ok $n # SKIP no gnuplot (make deps installs gnuplot-nox): vm-profile.sh writes no picture or report.md"
fi

"$scb" compare "$p" "$p" >"$tmp/self" 2>&1
rc=$?
ok $rc "scbench compare loads the profile: every row sums to trace.csv's count (exit $rc)"
[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/self"

# the reference row and one row of every mechanism each vendor can run
rows_intel="x86_64/syscall/getppid x86_64/int80/getppid x86_64/vdso/clock_gettime x86_64/vsyscall_page/time x86_64/seccomp/getppid_arg_16
	i386/int80/getppid i386/sysenter/getppid i386/kernel_vsyscall/getppid i386/vdso/clock_gettime"
rows_amd="x86_64/syscall/getppid x86_64/int80/getppid x86_64/vdso/clock_gettime x86_64/vsyscall_page/time x86_64/seccomp/getppid_arg_16
	i386/int80/getppid i386/syscall/getppid i386/kernel_vsyscall/getppid i386/vdso/clock_gettime"
for v in intel amd; do
	[ "$v" = intel ] && rows=$rows_intel || rows=$rows_amd
	for r in $rows; do
		got=$(awk -v k="$v $r:" '$1 " " $2 == k && $4 == "no" { sub(/,$/, "", $3); print $3 }' "$tmp/self")
		[[ $got =~ ^[1-9][0-9]*$ ]]
		ok $? "[$v] $r: profiled, ${got:-no} instructions per call, its functions summing to the traced count"
	done
done

# a function row more: its row sums to more than trace.csv counts
mkdir "$tmp/bad" && cp "$p/trace.csv" "$tmp/bad/" &&
	sed '2{p;s/,\([^,]*\),\([^,]*\)$/,[injected],\2/}' "$p/profile.csv" >"$tmp/bad/profile.csv"
row=$(sed -n '2p' "$p/profile.csv" | awk -F, '{ print $3 " " $4 "/" $5 "/" $6 }')
"$scb" compare "$p" "$tmp/bad" >"$tmp/badout" 2>&1
rc=$?
grep -qF "$row: the functions sum to" "$tmp/badout"
ok $(( rc != 2 || $? )) "a profile whose row ($row) sums to more than its trace count is refused (exit $rc: $(head -n 1 "$tmp/badout"))"

# the same kept trace named again: the same profile
cp "$p/profile.csv" "$tmp/first.csv"
"$here/scripts/vm/vm-profile.sh" --from "$p" >"$tmp/from" 2>&1 && cmp -s "$tmp/first.csv" "$p/profile.csv"
ok $? "vm-profile.sh --from the kept trace writes the same profile.csv"

# a guest icount that disagrees with the trace (the reference row's 32-call
# runs 16 instructions longer in every loop) fails the profile
for v in intel amd; do
	[ -f "$p/$v/results.txt" ] && cp "$p/$v/results.txt" "$tmp/results-$v.txt" &&
		awk '$1 == "SCBT-TSC" && $2 == "x86_64/syscall/getppid" && $3 != "warm" && $4 == 32 { $5 += 16 } { print }' \
			"$tmp/results-$v.txt" >"$p/$v/results.txt"
done
"$here/scripts/vm/vm-profile.sh" --from "$p" >"$tmp/from2" 2>&1
rc=$?
grep -q 'x86_64/syscall/getppid: .* no loop of it has that guest icount' "$tmp/from2"
ok $(( rc == 0 || $? )) "a guest icount off by one per call fails vm-profile.sh, naming the row (exit $rc)"
for v in intel amd; do [ -f "$tmp/results-$v.txt" ] && cp "$tmp/results-$v.txt" "$p/$v/results.txt"; done
cp "$tmp/first.csv" "$p/profile.csv"

# the Intel model, mitigations=off: where the reference row's instructions went
t0=$SECONDS
VM_VENDORS=intel VM_APPEND=mitigations=off "$here/scripts/vm/vm-profile.sh" "$build" "$tmp/off" >"$tmp/offlog" 2>&1
rc=$?
ok $rc "the Intel model profiled with mitigations=off in $((SECONDS - t0)) s (exit $rc)"
[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/offlog"
"$scb" compare --filter '^x86_64/syscall/getppid$' "$p" "$tmp/off" >"$tmp/diff" 2>&1
rc=$?
sed 's/^/# /' "$tmp/diff"
# the row's header says "A -> B instructions per call (D)"; each function
# line after it "  D  NAME  A -> B"; "  D  in all" ends it
awk '
	$1 == "intel" && $2 == "x86_64/syscall/getppid:" { on = 1; a = $3; b = $5; d = $9; gsub(/[()+]/, "", d); next }
	on && $2 == "in" && $3 == "all" { on = 0; all = $1; next }
	on { s += $1; f++ }
	END { printf "%s %s %s %s %s\n", a, b, d, s + 0, f + 0; exit !(f > 0 && d != 0 && b - a == d && s == d && all + 0 == d) }
' "$tmp/diff" >"$tmp/sums"
st=$?
read -r a b d s f <"$tmp/sums"
ok $(( st || rc > 1 )) "mitigations=off on the Intel model: x86_64/syscall/getppid $a -> $b ($d), $f functions changed, their changes sum to $s (compare exit $rc)"

# The count gate's per-function diff (scripts/ci/ci-icount.sh on a failure,
# icount-lib.sh's icl_profile_diff): scbench's own kernels profiled on both
# sides; here the head is the one-nop enosys kernel (mk/vm-profile.mk's
# vm-trace-nop: tests/tools/slow_64.S, one added nop per call), Intel model only
if [ -s "$build/vm-trace-nop/initrd.cpio" ]; then
	. "$here/scripts/vm/icount-lib.sh"
	mkdir "$tmp/gate"
	t0=$SECONDS
	VM_VENDORS=intel icl_profile_diff "$build" "$build/vm-trace" "$build" "$build/vm-trace-nop" "$tmp/gate" \
		"x86_64/syscall/enosys" >"$tmp/gatediff" 2>&1
	rc=$?
	sed 's/^/# /' "$tmp/gatediff"
	# the row moves by +1, all of it in [user]: the kernel's loop, not Linux
	awk '
		$1 == "intel" && $2 == "x86_64/syscall/enosys:" { on = 1; d = $9; gsub(/[()+]/, "", d); next }
		on && $2 == "in" && $3 == "all" { on = 0; next }
		on { n++; if ($2 == "[user]") u = $1 + 0 }
		END { exit !(d == 1 && n == 1 && u == 1) }' "$tmp/gatediff"
	ok $(( rc || $? )) "the count gate's per-function diff of a one-nop kernel change: x86_64/syscall/enosys +1, all in [user], no kernel function ($((SECONDS - t0)) s, exit $rc)"
else
	ok 1 "$build/vm-trace-nop/initrd.cpio is missing (make trace-images)"
fi
tap_done
