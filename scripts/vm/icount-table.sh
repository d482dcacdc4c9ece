#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# icount-table.sh RESULTS [DIR...]: the newest icount run of each vendor
# under RESULTS (or the folders named) side by side: guest instructions per
# call, as counted by QEMU, never shown as time.
set -u
results=$1; shift
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
	for v in intel amd; do
		d=$(ls -d "$results"/*-icount-$v-* 2>/dev/null | sort | tail -n 1)
		[ -n "$d" ] && dirs+=("$d")
	done
fi
[ ${#dirs[@]} -gt 0 ] || { echo "icount-table.sh: no icount results under $results" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
for d in "${dirs[@]}"; do
	scb_tsv --columns name,status,icount "$d" || exit 2
	# the column is the CPU model's vendor (the folder's name would be cut)
	v=$(scb_env "$d/env.csv" vm_cpu_vendor)
	case $v in intel) echo "=== Intel model" ;; amd) echo "=== AMD model" ;; *) echo "=== $(basename "$d")" ;; esac
done | awk -F'\t' '
	/^=== / { label[++nf] = substr($0, 5); next }
	$1 == "name" { next }
	{
		if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
		val[$1, nf + 1] = ($2 == "ok" || $2 == "noisy") ? $3 : $2
	}
	END {
		printf "%-36s", "guest instructions per call"
		for (k = 1; k <= nf; k++) printf " %14s", substr(label[k], 1, 14)
		printf "\n"
		for (i = 1; i <= n; i++) {
			printf "%-36s", order[i]
			for (k = 1; k <= nf; k++) printf " %14s", val[order[i], k]
			printf "\n"
		}
		print "icount: every guest instruction, user and kernel, of the TCG CPU model (the loop adds ~0.25); not time."
	}'
