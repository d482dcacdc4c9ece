#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# icount-baseline.sh BUILD BASELINE: renew the count gate's baseline (make
# icount-baseline): both vendors' guests under icount on the lock's default
# kernel into BASELINE/{intel,amd}, and BASELINE/commit naming the commit
# measured. Refused when the tree has uncommitted changes: the gate rebuilds
# that commit from git when the baseline's kernel leaves the archive, so it
# must be a real commit (commit first, make the baseline, commit it).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/vm/icount-lib.sh"
build=$1 baseline=$2
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
say() { scb_line "scbench icount-baseline" "$@"; }
[ -n "$baseline" ] || { say "ICOUNT_BASELINE is empty"; exit 2; }
case $baseline in */) baseline=${baseline%/} ;; esac
commit=$(git -C "$here" rev-parse -q --verify HEAD) || { say "not a git checkout: a baseline names its commit"; exit 2; }
dirty=$(git -C "$here" status --porcelain -- . ':(exclude)results' ':(exclude)build*' | head -n 5 | cut -c4- | tr '\n' ' ')
[ -z "$dirty" ] || { say "refused: uncommitted changes ($dirty); commit them first"; exit 2; }
for k in VM_KERNEL VM_KERNEL_META VM_APPEND VM_VENDORS; do
	[ -z "${!k:-}" ] || { say "refused: $k is set; a baseline is made on the lock's default kernel, both vendors, default command line"; exit 2; }
done
new=$baseline.new
icl_clear "$new" && icl_clear "$baseline.old" || exit 2
[ -e "$baseline" ] && ! icl_ours "$baseline" && { say "$baseline exists and is not a baseline folder: left alone"; exit 2; }
icl_lane "$build" "$new" "" baseline || { say "the icount lane failed: see $new.log"; exit 1; }
for v in intel amd; do
	got=$(scb_env "$new/$v/env.csv" git_commit)
	[ "$got" = "${commit:0:12}" ] || { say "$build was built from '$got', not HEAD ${commit:0:12}: make all vm-images first"; exit 2; }
	rm -rf "$new/$v/nop"
done
echo "$commit" >"$new/commit"
[ -e "$baseline" ] && mv -T "$baseline" "$baseline.old"
mv -T "$new" "$baseline" && rm -rf "$baseline.old" && rm -f "$new.log"
say "baseline of commit ${commit:0:12} on $(icl_identity "$baseline/intel") in $baseline: commit it"
