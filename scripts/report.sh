#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# report.sh RUN_DIR [PLOTS_DIR [PLOTS_LINK]]: RUN_DIR/report.md and a
# self-contained RUN_DIR/report.html (plots embedded as data: URIs): the
# machine, the results table, the rows that did not run and why, and the
# plots. PLOTS_DIR holds the PNGs now; PLOTS_LINK is where report.md should
# point for them, relative to RUN_DIR (scripts/plots.sh renders elsewhere
# and moves the pictures into place after). Every table cell is escaped
# (a '|' in a field can't split a row); both files appear by rename.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
run=$1
plots=${2:-$run/plots}
sel() { local f=${!#}; "$here/csv.sh" "$f" "${@:1:$#-1}"; }
# one line, no raw control bytes (cat -v), exit 2: plots.sh's "cannot write"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
die() { scb_line "scbench report" "$@"; exit 2; }
title=$("$here/plot-text.sh" title "$run")
envkeys="hostname time_utc kernel_release kernel_cmdline cpu_vendor cpu_model cpu_microcode hypervisor virtualization fred vm_guest vm_kernel_package disturbance_before disturbance_after ia32_emulation vsyscall_mode clocksource pmu perf_event_paranoid governor smt_active pinned_cpu tsc_ghz runs counter_read_method counter_read_ns counters_missing tune git_commit scbench_version"
rel=${3:-$(realpath -m --relative-to="$run" "$plots" 2>/dev/null || echo plots)}
# row CELLS...: one markdown table row from tab-separated input, '|' escaped
row() { awk -F'\t' -v fmt="$1" 'NR > 1 { for (i = 1; i <= NF; i++) gsub(/\|/, "\\|", $i); printf fmt, $1, $2, $3, $4, $5, $6, $7 }'; }
# what each plot shows, for its alt text
alt() {
	case $1 in
	cost) echo "Cost of one call per benchmark: median ns with its 95% interval, log scale, x86-64 and i386 processes in two colours" ;;
	ratio) echo "Each benchmark's cost relative to syscall getppid, with its 95% interval" ;;
	dist) echo "Distribution of every benchmark's samples as box plots" ;;
	counters) echo "Counts per call: syscalls and page faults, or cycles and branch misses where there is a PMU" ;;
	history) echo "Median cost of selected benchmarks across earlier runs" ;;
	esac
}
# made exclusively (mktemp) in the run folder, then renamed into place
md=$(mktemp --suffix=-$$.md "$run/.tmp-report-XXXXXX" 2>/dev/null) || die "$run: cannot write"
html=$(mktemp --suffix=-$$.html "$run/.tmp-report-XXXXXX" 2>/dev/null) || { rm -f "$md"; die "$run: cannot write"; }
chmod 644 "$md" "$html"
trap 'rm -f "$md" "$html"' EXIT
# an icount run (make bench-icount) counts instructions; its env.csv says so
icount=$(sel -v want=key,value "$run/env.csv" | awk -F'\t' '$1 == "clock" && $2 ~ /^icount/ { print "yes" }')
disturbed=$(sel -v want=key,value "$run/env.csv" | awk -F'\t' '($1 == "disturbance_before" || $1 == "disturbance_after") && $2 != "none" { printf "%s%s: %s", sep, $1, $2; sep = "; " }')
{
	echo "# scbench report"
	echo
	echo "$title"
	echo
	if [ -n "$disturbed" ]; then
		echo "**Warning: the machine was disturbed while timing** (syscalls on the kernel's slow path, or the CPU shared): $disturbed. Stop that and run again, or compare only with runs made the same way."
		echo
	fi
	# a ratio no bare-metal reader expects, explained by what the run knows
	virt=$(sel -v want=key,value "$run/env.csv" | awk -F'\t' '$1 == "virtualization" { print $2 }')
	int80=$(sel -v bench=1 -v want=ratio_to_ref -v where=status=ok "$run/summary.csv" | awk -F'\t' '$1 == "x86_64/int80/getppid" && $2 != "" { printf "%.1f", $2 }')
	if [ -n "$int80" ] && awk -v r="$int80" 'BEGIN { exit !(r > 5) }'; then
		case $virt in
		*PVM*|*Firecracker*)
			echo "**Why int \$0x80 costs ${int80}× a syscall here:** this is a $virt guest. Under PVM the guest kernel runs in user mode and the host handles its interrupt gates: an \`int \$0x80\` is a trap into the hypervisor and back, while \`syscall\` is switched by the paravirtual entry code without leaving the guest. On bare metal the gap is far smaller: compare with a bare-metal run." ;;
		bare*) ;;
		*)
			echo "**Why int \$0x80 costs ${int80}× a syscall here:** this run was under a hypervisor ($virt); software interrupts may be intercepted there. Compare with a bare-metal run before drawing conclusions about the kernel." ;;
		esac
		echo
	fi
	echo "## Results"
	echo
	if [ "$icount" ]; then
		# a QEMU -icount guest: exact counts, never shown as time
		echo "| benchmark | guest instructions per call | × reference | detail |"
		echo "|---|---:|---:|---|"
		sel -v bench=1 -v want=icount,ratio_to_ref,detail -v where=status=ok "$run/summary.csv" |
			row '| %s | %s | %s | %s |\n'
	else
		echo "| benchmark | ns per call | 95% repeat interval | × reference | syscalls per call | detail |"
		echo "|---|---:|---|---:|---:|---|"
		sel -v bench=1 -v want=ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref,syscalls_per_call,detail -v where=status=ok "$run/summary.csv" |
			row '| %s | %s | %s – %s | %s | %s | %s |\n'
	fi
	echo
	unsup=$(sel -v bench=1 -v want=status,reason -v where=status!=ok "$run/summary.csv" | row '| %s | %s | %s |\n')
	if [ -n "$unsup" ]; then
		echo "## Not measured"
		echo
		echo "| benchmark | status | reason |"
		echo "|---|---|---|"
		echo "$unsup"
		echo
	fi
	echo "## Plots"
	echo
	for p in cost ratio dist counters history; do
		[ -f "$plots/$p.png" ] && echo "![$(alt "$p")](<$rel/$p.png>)" && echo
	done
	if [ "$icount" ]; then
		echo "Counts are every guest instruction, user and kernel, of QEMU's TCG CPU model (the loop adds ~0.25 a call): not time."
	else
		echo "ns are TSC ticks converted with the calibrated TSC rate; ticks are reference ticks, not core cycles. The interval is where a repeat run's median should fall."
	fi
	echo
	echo "## Machine"
	echo
	echo "| key | value |"
	echo "|---|---|"
	sel -v want=key,value "$run/env.csv" | awk -F'\t' -v keys="$envkeys" '
		BEGIN { n = split(keys, k, " ") } NR > 1 { v[$1] = $2 }
		END { for (i = 1; i <= n; i++) if (k[i] in v) { gsub(/\|/, "\\|", v[k[i]]); printf "| %s | %s |\n", k[i], v[k[i]] } }'
	sel -v want=key,value "$run/env.csv" | awk -F'\t' 'NR > 1 && $1 ~ /^vuln_/ && $2 !~ /^Not affected/ { gsub(/\|/, "\\|", $2); printf "| %s | %s |\n", $1, $2 }'
	echo
} >"$md"

# HTML: the same content, self-contained
html_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
md_table_to_html() { # the markdown above as HTML: tables aligned as the
	# separator row says, in a scrolling box; the machine section folded;
	# image lines become "@@IMG name alt" for the embedding below
	awk '
		function cells(line, tag,    n, i, a, out, st) {
			sub(/^\| /, "", line); sub(/ \|$/, "", line); n = split(line, a, / \| /)
			out = "<tr>"
			for (i = 1; i <= n; i++) {
				gsub(/\\\|/, "|", a[i]); st = align[i] ? " class=\"num\"" : ""
				out = out "<" tag st ">" a[i] "</" tag ">"
			}
			return out "</tr>"
		}
		/^\| / && !intable && !head { head = $0; next }
		/^\|[-:|]+\|$/ && head != "" {
			n = split($0, sep, "|"); delete align
			for (i = 2; i < n; i++) align[i - 1] = (sep[i] ~ /:$/)
			print "<div class=\"scroll\"><table>"; print cells(head, "th"); head = ""; intable = 1; next
		}
		/^\| / && intable { print cells($0, "td"); next }
		{ if (intable) { print "</table></div>"; intable = 0 } }
		/^# / { sub(/^# /, ""); print "<h1>" $0 "</h1>"; next }
		/^## Machine$/ { print "<details><summary><h2>Machine</h2></summary>"; folded = 1; next }
		/^## / { sub(/^## /, ""); print "<h2>" $0 "</h2>"; next }
		/^!\[/ { name = $0; sub(/.*\//, "", name); sub(/\.png&gt;\)$/, "", name)
			t = $0; sub(/^!\[/, "", t); sub(/\]\(.*$/, "", t); print "@@IMG " name " " t; next }
		/./ { line = $0
			while (match(line, /\*\*[^*]+\*\*/)) line = substr(line, 1, RSTART - 1) "<b>" substr(line, RSTART + 2, RLENGTH - 4) "</b>" substr(line, RSTART + RLENGTH)
			print "<p>" line "</p>" }
		END { if (intable) print "</table></div>"; if (folded) print "</details>" }'
}
{
	echo '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>scbench report</title>'
	echo '<style>body{font-family:sans-serif;max-width:1250px;margin:2em auto;padding:0 1em;color:#222}'
	echo '.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:1em 0;font-size:90%}'
	echo 'td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}'
	echo 'td{overflow-wrap:anywhere}th{background:#f0f0f0}summary h2{display:inline}img{max-width:100%;border:1px solid #eee;margin:1em 0}</style></head><body>'
	html_escape <"$md" | md_table_to_html | while IFS= read -r line; do
		case $line in
		"@@IMG "*)
			set -- $line
			[ -f "$plots/$2.png" ] || continue
			printf '<img alt="%s" src="data:image/png;base64,' "${line#@@IMG $2 }"
			base64 -w0 "$plots/$2.png"
			echo '">' ;;
		*) printf '%s\n' "$line" ;;
		esac
	done
	echo '</body></html>'
} >"$html"
mv -fT "$md" "$run/report.md"
mv -fT "$html" "$run/report.html"
