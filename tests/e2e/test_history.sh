#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_history.sh BUILD: scripts/vm/bench-history.sh on a two-kernel series
# (the archived 6.1 cloud kernels -56 and -57, which the other VM tests
# fetch too) and a version the archive lacks: history.csv has both vendors'
# rows of the two kernels and one row per vendor saying why the third is
# missing; changes.csv and the report exist; SHARD=1/2 and 2/2 merged with
# --merge give the unsharded run's kernels.csv, history.csv and changes.csv
# byte for byte; a shard of another setup, a shard given twice and a
# missing shard are refused; bad SHARD values are one line and exit 2.
set -u
. "$(dirname "$0")/tap.sh"
build=$(cd "$1" && pwd) || exit 1
if [ -n "${SCB_SKIP_VM:-}" ] || ! command -v qemu-system-x86_64 >/dev/null || ! command -v apt-cache >/dev/null; then
	echo "ok 1 # SKIP bench-history: the VM lane is off here (SCB_SKIP_VM, no QEMU or no apt-cache)"
	echo "1..1"
	exit 0
fi
export VM_CACHE=$here/build/vm
a=linux-image-6.1.0-56-cloud-amd64=6.1.192-2 b=linux-image-6.1.0-57-cloud-amd64=6.1.192-3
gone=linux-image-6.1.0-57-cloud-amd64=0.0-left-the-archive
for k in "$a" "$b"; do
	if ! "$here/scripts/vm/vm-kernel.sh" "$VM_CACHE" "$k" >/dev/null 2>"$tmp/err"; then
		echo "ok 1 # SKIP bench-history: $k can't be fetched any more ($(head -c 120 "$tmp/err"))"
		echo "1..1"
		exit 0
	fi
done
h=$here/scripts/vm/bench-history.sh
# the kernel the archive lacks sits between the two: a missing kernel must
# not end the run, nor join the two around it into a change of its own
printf '# SPDX-License-Identifier: MIT\npair exact %s %s %s\n' "$a" "$gone" "$b" >"$tmp/series"
one() { ls -d "$1"/*-history-* 2>/dev/null | head -n 1; }

"$h" "$build" "$tmp/all" "$tmp/series" >"$tmp/all.out" 2>&1; rc=$?
d=$(one "$tmp/all")
rows() { csv_sel "$d/history.csv" -v want=package,version,cpu_vendor,status -v where="$1" | tail -n +2 | wc -l; }
nok=$(rows status=ok)
ngone=$(csv_sel "$d/history.csv" -v want=version,status,reason -v where=status=not-in-archive 2>/dev/null | tail -n +2)
[ $rc -eq 0 ] && [ "$nok" -gt 60 ] && [ "$(printf '%s\n' "$ngone" | grep -c '^0.0-left-the-archive	not-in-archive	.*not in the archive')" -eq 2 ]
ok $? "history.csv: $nok ok rows of two kernels and both vendors, and the missing kernel one row per vendor with why (exit $rc: $(tail -n 1 "$tmp/all.out"))"
for v in intel amd; do
	kn=$(csv_sel "$d/history.csv" -v want=version,cpu_vendor,status -v where=cpu_vendor=$v | awk -F'\t' 'NR > 1 && $3 == "ok" { print $1 }' | sort -u | wc -l)
	[ "$kn" -eq 2 ]
	ok $? "the $v model has ok rows on both kernels ($kn)"
done
# -56 and -57 count alike (README): no change point; the report says so
[ "$(wc -l <"$d/changes.csv")" -eq 1 ] && grep -q '^No row moved' "$d/report.md" && ls "$d"/plots/x86_64-syscall.png >/dev/null
ok $? "changes.csv has no move between -56 and -57, the report says so, the plots exist ($(($(wc -l <"$d/changes.csv") - 1)) moves)"

SHARD=1/2 "$h" "$build" "$tmp/s1" "$tmp/series" >"$tmp/s1.out" 2>&1; r1=$?
SHARD=2/2 "$h" "$build" "$tmp/s2" "$tmp/series" >"$tmp/s2.out" 2>&1; r2=$?
s1=$(one "$tmp/s1") s2=$(one "$tmp/s2")
k1=$(($(wc -l <"$s1/kernels.csv") - 1)) k2=$(($(wc -l <"$s2/kernels.csv") - 1))
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ "$k1" -eq 2 ] && [ "$k2" -eq 1 ]
ok $? "SHARD=1/2 runs kernels 1 and 3, SHARD=2/2 kernel 2, the one the archive lacks: not a failure ($k1 and $k2; exit $r1, $r2)"
"$h" --merge "$tmp/merged" "$s2" "$s1" --build "$build" >"$tmp/m.out" 2>&1; rc=$?
same=0 differ=""
for f in kernels.csv history.csv changes.csv; do
	cmp -s "$d/$f" "$tmp/merged/$f" || { same=1; differ="$differ $f"; }
done
[ $rc -eq 0 ] && [ $same -eq 0 ]
ok $? "the two shards merged (given in either order) equal the unsharded run byte for byte in kernels.csv, history.csv, changes.csv (exit $rc${differ:+; differ:$differ})"

# refusals: another setup, a shard twice, a missing one
cp -r "$s2" "$tmp/other"
sed -i 's/^qemu=.*/qemu=QEMU emulator version 0.0 (another)/' "$tmp/other/identity.txt"
"$h" --merge "$tmp/m2" "$s1" "$tmp/other" --build "$build" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q 'another setup' "$tmp/out" && [ ! -e "$tmp/m2" ]
ok $? "a shard made under another QEMU is refused, nothing written (exit $rc: $(head -c 160 "$tmp/out"))"
cp -r "$s2" "$tmp/otherbuild"
sed -i 's/^guest_image_sha256=.*/guest_image_sha256=0000/' "$tmp/otherbuild/identity.txt"
"$h" --merge "$tmp/m3" "$s1" "$tmp/otherbuild" --build "$build" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q 'guest_image' "$tmp/out"
ok $? "a shard of another scbench build (guest image) is refused (exit $rc)"
"$h" --merge "$tmp/m4" "$s1" "$s1" --build "$build" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q 'twice' "$tmp/out"
ok $? "a shard given twice is refused (exit $rc: $(head -c 100 "$tmp/out"))"
"$h" --merge "$tmp/m5" "$s1" --build "$build" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q 'shard 2/2 is missing' "$tmp/out"
ok $? "a missing shard is refused (exit $rc: $(head -c 100 "$tmp/out"))"

for bad in 0/2 3/2 x 1/0 "1/2 " "-1/2"; do
	SHARD=$bad "$h" "$build" "$tmp/bad" "$tmp/series" >"$tmp/out" 2>&1; rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/out")" -eq 1 ] && [ ! -e "$tmp/bad" ]
	ok $? "SHARD='$bad' is one line and exit 2 ($(head -n 1 "$tmp/out"))"
done

# the workflow template runs what this test ran: N shards, 1..N, then the merge
yml=$here/doc/github-actions-history.yml
ns=$(sed -n 's/^  SHARDS: \([0-9]*\).*/\1/p' "$yml")
mx=$(sed -n 's/^ *shard: \[\(.*\)\]$/\1/p' "$yml" | tr -d ' ')
[ -n "$ns" ] && [ "$mx" = "$(seq -s, 1 "$ns")" ] &&
	grep -q 'SHARD=${{ matrix.shard }}/$SHARDS scripts/vm/bench-history.sh build results' "$yml" &&
	grep -q 'scripts/vm/bench-history.sh --merge results/history shards/\*/\*-history-\* --build build' "$yml"
ok $? "doc/github-actions-history.yml: a matrix of shards 1..$ns ($mx), each SHARD=I/$ns, then --merge"
tap_done
