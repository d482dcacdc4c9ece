#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_kernels_update.sh BUILD: make kernels-update on a lock one Debian
# roll behind (its default pinned to 6.1.0-56, which the archive still
# holds): the lock is rewritten to the archive's newest with that kernel's
# checksum, the roll report names both kernels and what moved per vendor,
# and an up-to-date lock is left as it is.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
if [ -n "${SCB_SKIP_VM:-}" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	echo "ok 1 # SKIP kernels-update: the VM lane is off here (SCB_SKIP_VM or no QEMU)"
	echo "1..1"
	exit 0
fi
export VM_CACHE=$here/build/vm
old=linux-image-6.1.0-56-cloud-amd64 oldver=6.1.192-2
lock=$tmp/kernels.lock
if ! "$here/scripts/vm/vm-kernel.sh" "$VM_CACHE" "$old=$oldver" >/dev/null 2>"$tmp/err"; then
	echo "ok 1 # SKIP kernels-update: $old=$oldver can't be fetched any more ($(head -c 120 "$tmp/err")); the roll is tested by hand then"
	echo "1..1"
	exit 0
fi
oldsum=$(cat "$VM_CACHE/kernels/$old=$oldver/vmlinuz.sha256")
# the lock's default one roll behind; the other kernels dropped to keep it short
{ grep '^#' "$here/bench/kernels.lock"; printf 'linux-image-cloud-amd64 %s %s %s\n' "$old" "$oldver" "$oldsum"; } >"$lock"
want=$("$here/scripts/vm/vm-kernel.sh" --resolve linux-image-cloud-amd64)
SCB_KERNELS_LOCK=$lock "$here/scripts/vm/kernels-update.sh" "$build" "$tmp/res" >"$tmp/out" 2>"$tmp/err"; rc=$?
read -r npkg nver <<<"$want"
got=$(awk '!/^#/ { print $2, $3, $4 }' "$lock")
nsum=$(sha256sum <"$VM_CACHE/kernels/$npkg=$nver/vmlinuz" | cut -d' ' -f1)
[ $rc -eq 0 ] && [ "$got" = "$npkg $nver $nsum" ]
ok $? "a lock one roll behind is renewed to $npkg=$nver with its vmlinuz sha256 (exit $rc)"
report=$(ls "$tmp"/res/kernels-update-*/roll.md 2>/dev/null | head -1)
[ -n "$report" ] && grep -q "^## linux-image-cloud-amd64: $old=$oldver -> $npkg=$nver" "$report" &&
	grep -q '^### intel model: [0-9]* rows moved' "$report" && grep -q '^### amd model: [0-9]* rows moved' "$report"
ok $? "the roll report names both kernels and the rows moved per vendor: $(grep -h '^###' "$report" 2>/dev/null | tr '\n' ' ')"
# the old kernel's lane recorded exactly what it booted
e=$(ls "$tmp"/res/kernels-update-*/linux-image-cloud-amd64-old/intel/env.csv 2>/dev/null | head -1)
[ -n "$e" ] && grep -qx "1,vm_kernel_package,$old" "$e" && grep -qx "1,vm_kernel_version,$oldver" "$e" &&
	grep -qx "1,vm_kernel_sha256,$oldsum" "$e"
ok $? "an exact package ($old=$oldver) boots that kernel; env.csv records its package, version and sha256"

# a truncated cached copy is found out and fetched again, saying so
c=$tmp/cache
mkdir -p "$c/kernels" && cp -r "$VM_CACHE/kernels/$old=$oldver" "$c/kernels/" &&
	truncate -s 1000000 "$c/kernels/$old=$oldver/vmlinuz"
"$here/scripts/vm/vm-kernel.sh" "$c" "$old=$oldver" >"$tmp/kout" 2>"$tmp/kerr"; rc=$?
[ $rc -eq 0 ] && grep -q 'fails its checksum' "$tmp/kerr" &&
	[ "$(sha256sum <"$c/kernels/$old=$oldver/vmlinuz" | cut -d' ' -f1)" = "$oldsum" ]
ok $? "a truncated cached vmlinuz is detected and fetched again (exit $rc): $(head -c 100 "$tmp/kerr")..."

cp "$lock" "$tmp/lock.before"
SCB_KERNELS_LOCK=$lock "$here/scripts/vm/kernels-update.sh" "$build" "$tmp/res2" >"$tmp/out2" 2>&1; rc=$?
[ $rc -eq 0 ] && cmp -s "$lock" "$tmp/lock.before" && grep -q 'unchanged' "$tmp/out2"
ok $? "an up-to-date lock is left as it is (exit $rc)"
tap_done
