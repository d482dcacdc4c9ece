#!/usr/bin/env bash
# icount-baseline.sh BUILD BASELINE: renew the count gate's baseline (make
# icount-baseline): both vendors' guests under icount on the lock's default
# kernel into BASELINE/{intel,amd}, and BASELINE/commit naming the commit
# measured. Refused when the tree has uncommitted changes: the gate rebuilds
# that commit from git when the baseline's kernel leaves the archive, so it
# must be a real commit (commit first, make the baseline, commit it).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/icount-lib.sh"
build=$1 baseline=$2
say() { printf 'scbench icount-baseline: %s\n' "$*" >&2; }
[ -n "$baseline" ] || { say "ICOUNT_BASELINE is empty"; exit 2; }
case $baseline in */) baseline=${baseline%/} ;; esac
commit=$(git -C "$here" rev-parse -q --verify HEAD) || { say "not a git checkout: a baseline names its commit"; exit 2; }
dirty=$(git -C "$here" status --porcelain -- . ':(exclude)results' ':(exclude)build*' | head -n 5)
[ -z "$dirty" ] || { say "refused: uncommitted changes ($(echo $dirty)); commit them first"; exit 2; }
new=$baseline.new
rm -rf "$new"
icl_lane "$build" "$new" "" baseline || { say "the icount lane failed: see $new.log"; exit 1; }
for v in intel amd; do
	got=$(icl_field "$new/$v/env.csv" git_commit)
	[ "$got" = "${commit:0:12}" ] || { say "$build was built from '$got', not HEAD ${commit:0:12}: make all vm-images first"; exit 2; }
	rm -rf "$new/$v/nop"
done
echo "$commit" >"$new/commit"
rm -rf "$baseline.old"
[ -e "$baseline" ] && mv "$baseline" "$baseline.old"
mv "$new" "$baseline" && rm -rf "$baseline.old" "$new.log"
say "baseline of commit ${commit:0:12} on $(icl_identity "$baseline/intel") in $baseline: commit it"
