#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kernels-update.sh BUILD RESULTS: make kernels-update. Re-resolve every
# kernel of bench/kernels.lock against the archive (its name, a metapackage,
# as Debian means it today), and for each that moved: fetch the new one,
# boot old and new in both vendors' guests under icount, and write a roll
# report of the rows whose counts moved, by how much, per vendor. Then the
# lock is rewritten in place: review the report and `git diff bench/kernels.lock`,
# and commit both to accept the roll (the count gate's baseline too, if the
# default kernel moved: make icount-baseline after the commit).
# Report: RESULTS/kernels-update-<UTC time>/roll.md, also printed.
# Exit: 0 done (moved or not), 1 a kernel could not be fetched or booted,
# 2 bad input.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/vm/icount-lib.sh"
build=$1 results=$2
lock=${SCB_KERNELS_LOCK:-$here/bench/kernels.lock}
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
say() { scb_line "scbench kernels-update" "$@"; }
[ -r "$lock" ] || { say "$lock: not readable"; exit 2; }
[ -n "$results" ] || { say "RESULTS is empty"; exit 2; }
mkdir -p "$results" || { say "$results: cannot create"; exit 2; }
out=$(mktemp -d "$results/kernels-update-$(date -u +%Y%m%dT%H%M%SZ)-XXXX") || { say "$results: cannot create a folder"; exit 2; }
chmod 755 "$out"
scb_mark "$out" kernels-update
cache=${VM_CACHE:-$here/build/vm}
report=$out/roll.md
printf '# Kernel roll: %s\n\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$report"
cp "$lock" "$out/kernels.lock.new"
rc=0 moved_any=0
while read -r name pkg ver sum; do
	case $name in ""|\#*) continue ;; esac
	r=$("$here/scripts/vm/vm-kernel.sh" --resolve "$name") || { say "$name: cannot resolve"; rc=1; continue; }
	read -r npkg nver <<<"$r"
	if [ "$npkg" = "$pkg" ] && [ "$nver" = "$ver" ]; then
		printf '## %s: unchanged (%s=%s)\n\n' "$name" "$pkg" "$ver" >>"$report"
		continue
	fi
	moved_any=1
	say "$name: $pkg=$ver -> $npkg=$nver"
	new=$("$here/scripts/vm/vm-kernel.sh" "$cache" "$npkg=$nver") || { say "$npkg=$nver: cannot fetch"; rc=1; continue; }
	nsum=$(sed -n 's/^sha256=//p' "$(dirname "$new")/vmlinuz.id")
	printf '## %s: %s=%s -> %s=%s\n\nvmlinuz sha256 %s -> %s\n\n' "$name" "$pkg" "$ver" "$npkg" "$nver" "$sum" "$nsum" >>"$report"
	k=$(echo "$name" | tr -c 'A-Za-z0-9._\n-' _)
	if icl_lane "$build" "$out/$k-old" "$name" upd-old; then
		if icl_lane "$build" "$out/$k-new" "$npkg=$nver" upd-new; then
			for v in intel amd; do
				c=$(icl_compare "$build/scbench" "$out/$k-old/$v" "$out/$k-new/$v" --format markdown)
				m=$(printf '%s\n' "$c" | icl_moved)
				printf '### %s model: %s rows moved\n\n%s\n\n' "$v" "$m" "$(printf '%s\n' "$c" | grep -v '| unchanged |$')" >>"$report"
			done
		else
			printf 'The new kernel did not boot (%s): see %s\n\n' "$(tail -n 3 "$out/$k-new.log" | tr '\n' ' ')" "$out/$k-new.log" >>"$report"
			rc=1
			continue
		fi
	else
		# a roll nobody compared is not accepted unless asked for
		printf 'The old kernel could not be booted (left the archive?): no comparison; see %s\n\n' "$out/$k-old.log" >>"$report"
		if [ "${KERNELS_UPDATE_FORCE:-}" != 1 ]; then
			say "$name: the old kernel did not boot, so nothing was compared: not renewed (KERNELS_UPDATE_FORCE=1 renews it anyway)"
			rc=1
			continue
		fi
	fi
	awk -v n="$name" -v p="$npkg" -v v="$nver" -v s="$nsum" \
		'$1 == n && !/^[ \t]*#/ { printf "%-31s %-39s %-20s %s\n", n, p, v, s; next } { print }' \
		"$out/kernels.lock.new" >"$out/lock.tmp" && mv -T "$out/lock.tmp" "$out/kernels.lock.new"
done <"$lock"
cat "$report"
if [ $moved_any -eq 1 ]; then
	t=$(mktemp "$lock.XXXXXX") && cp "$out/kernels.lock.new" "$t" && chmod 644 "$t" && mv -T "$t" "$lock"
	say "$lock rewritten; the roll report is $report: review both, then commit (and make icount-baseline if the default kernel moved)"
else
	say "every kernel of $lock is Debian's newest: nothing to do"
fi
exit $rc
