#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_license.sh [BUILD]: LICENSE is there and MIT, and every tracked source
# file (C, asm, shell, awk, gnuplot, make, the CI entry point, the bash
# completion, the man page, the example workflow) carries the SPDX line, as a
# comment on its first line (its second after a shebang). Files under results/
# and binary files are left out. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh"

[ -f "$here/LICENSE" ] && grep -q '^MIT License' "$here/LICENSE" &&
	grep -q 'Copyright (c) 2026 the scbench authors' "$here/LICENSE"
ok $? "LICENSE is present and is the MIT licence"

if ! git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
	n=$((n + 1)); echo "ok $n # SKIP not a git checkout: no list of tracked files"
	tap_done; exit
fi

spdx='SPDX-License-Identifier: MIT'
checked=0 missing=""
while IFS= read -r f; do
	case $f in
	results/*) continue ;;
	*.c | *.h | *.S | *.sh | *.awk | *.gp | *.mk | *.yml | *.yaml | Makefile | */Makefile | \
		.ci/run | scripts/scbench.bash-completion | doc/*.1) ;;
	*) continue ;;
	esac
	p=$here/$f
	[ -f "$p" ] || continue
	grep -qI . "$p" || continue # binary (or empty): no comment to carry
	checked=$((checked + 1))
	if head -n 1 "$p" | grep -q '^#!'; then top=$(sed -n 2p "$p"); else top=$(head -n 1 "$p"); fi
	case $top in *"$spdx"*) ;; *) missing="$missing $f" ;; esac
done < <(git -C "$here" ls-files)

[ -n "$missing" ] && echo "# without '$spdx' on line 1 (2 after a shebang):$missing"
[ "$checked" -gt 100 ] && [ -z "$missing" ]
ok $? "$checked tracked source files carry '$spdx' at the top$( [ -n "$missing" ] && echo "; missing: $(echo $missing | wc -w)")"
tap_done
