#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# plot-text.sh MODE ARG...: text the plots and the report need, from the CSVs.
#   title DIR        "host · CPU · kernel · mitigations" from DIR/env.csv
#   unsupported DIR  the rows that did not run, grouped by reason, one line each
#   count FILE COL [WHERE]  rows of FILE with a non-empty COL (WHERE: col=value)
#   history FILE RE  history.csv as gnuplot blocks, one per benchmark matching
#                    RE: "run ns lo hi label" lines (label: date and commit),
#                    blocks separated by two blank lines; the first line is
#                    "# names: a b c"
# Every file is read through scripts/csv.sh; RE reaches awk through the
# environment, never as program text.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sel() { local f=${!#}; "$here/csv.sh" "$f" "${@:1:$#-1}"; }

case $1 in
title)
	sel -v want=key,value "$2/env.csv" | awk -F'\t' '
		NR > 1 { v[$1] = $2 }
		END {
			mit = ""; vul = 0
			for (k in v) if (k ~ /^vuln_/ && v[k] ~ /^Vulnerable/) vul++
			if (v["vuln_meltdown"] ~ /PTI/) mit = "PTI on"; else if ("vuln_meltdown" in v) mit = "PTI off"
			s2 = v["vuln_spectre_v2"]
			if (s2 ~ /^Mitigation: /) { sub(/^Mitigation: /, "", s2); sub(/[;,].*/, "", s2); mit = mit ", spectre_v2: " s2 }
			if (vul) mit = mit ", " vul " vulnerable"
			host = ("vm_guest" in v) ? v["hostname"] " (QEMU TCG guest)" : v["hostname"]
			printf "%s · %s · Linux %s · %s", host, v["cpu_model"], v["kernel_release"], mit
		}'
	;;
unsupported)
	sel -v want=abi,mechanism,syscall,status,reason -v where=status!=ok "$2/summary.csv" | awk -F'\t' '
		NR > 1 { n[$5]++; names[$5] = names[$5] (n[$5] > 1 ? ", " : "") $1 "/" $2 "/" $3 }
		END {
			for (r in n) {
				list = names[r]
				if (n[r] > 3) { split(names[r], a, ", "); list = n[r] " rows (" a[1] " ... " a[n[r]] ")" }
				printf "%s: %s\n", list, r
			}
		}' | sort
	;;
count)
	sel -v want="$3" ${4:+-v where="$4"} "$2" | awk 'NR > 1 && $0 != "" && $0 != "NaN"' | wc -l
	;;
history)
	# x is the run's place in the file (runs in the order ci-bench appended them)
	sel -v bench=1 -v want=run,ns_median,ns_ci_lo,ns_ci_hi,time_utc,commit "$2" | RE=$3 awk -F'\t' '
		NR > 1 && !($2 in runno) { runno[$2] = ++nr }
		NR > 1 && $1 ~ ENVIRON["RE"] && $3 != "" { k = $1; if (!(k in seen)) { seen[k] = ++nk; key[nk] = k }
			gsub(/ /, "_", $7)
			i = ++cnt[k]; row[k, i] = runno[$2] "\t" $3 "\t" $4 "\t" $5 "\t" substr($6, 1, 10) " " substr($7, 1, 9) }
		END {
			printf "# names:"; for (j = 1; j <= nk; j++) printf " %s", key[j]; printf "\n"
			for (j = 1; j <= nk; j++) {
				for (i = 1; i <= cnt[key[j]]; i++) print row[key[j], i]
				printf "\n\n"
			}
		}'
	;;
*) echo "plot-text.sh: unknown mode '$1'" >&2; exit 2 ;;
esac
