#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# report.sh RUN_DIR [PLOTS_DIR [PLOTS_LINK]]: RUN_DIR/report.md and a
# self-contained RUN_DIR/report.html (plots embedded as data: URIs): a
# headline computed from the run (scripts/families.awk: cheapest and
# dearest way in, the reference, the ratios far from 1 and why), the
# results family by family, the rows that did not run and why, the plots
# and the machine. report.html reads on a phone: each row a card under
# 640 px (tests/test_report.sh measures it at 390 and 1280 px). PLOTS_DIR holds the PNGs now; PLOTS_LINK is where report.md should
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
	cost) echo "Cost of one call per benchmark: median $unit with its 95% interval, log scale, x86-64 and i386 processes in two colours" ;;
	ratio) echo "Each benchmark's cost relative to syscall getppid, with its 95% interval" ;;
	dist) echo "Distribution of every benchmark's samples ($unit per call) as box plots" ;;
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
# a ratio no bare-metal reader expects, explained by what the run knows
virt=$(sel -v want=key,value "$run/env.csv" | awk -F'\t' '$1 == "virtualization" { print $2 }')
int80=$(sel -v bench=1 -v want=ratio_to_ref -v where=status=ok "$run/summary.csv" | awk -F'\t' '$1 == "x86_64/int80/getppid" && $2 != "" { printf "%.1f", $2 }')
# a row's fresh-process levels ("63.1 | 69.0"), where summary.csv has the
# column (newer runs) and some row fills it
levels=
if sel -v want=levels "$run/summary.csv" >/dev/null 2>&1; then
	[ -n "$(sel -v want=levels -v where=status=ok "$run/summary.csv" | awk 'NR > 1 && $0 != ""')" ] && levels=yes
fi
unit=ns valcol=ns_median
[ "$icount" ] && unit="guest instructions" valcol=icount
# grouped COLS: the measured rows (bench, abi, mechanism, then COLS), family
# by family (scripts/families.awk), a family column last
grouped() { sel -v bench=1 -v want="abi,mechanism,$1" -v where=status=ok "$run/summary.csv" | awk -F'\t' -v mode=group -f "$here/families.awk"; }
# tables HEAD SEP FMT: a "### family" heading and a table for each family
# of grouped's rows; FMT takes the columns after bench, abi and mechanism
tables() {
	awk -F'\t' -v head="$1" -v sep="$2" -v fmt="$3" '
		NR == 1 { next }
		{ for (i = 1; i <= NF; i++) gsub(/\|/, "\\|", $i) }
		$NF != fam { if (fam != "") print ""; fam = $NF; print "### " fam; print ""; print head; print sep }
		{ printf fmt, $1, $4, $5, $6, $7, $8, $9, $10 }'
}
# glance: the headline (scripts/families.awk), from the measured rows
glance() {
	sel -v bench=1 -v want=abi,mechanism,syscall,$valcol,ratio_to_ref,syscalls_per_call,page_faults,detail -v where=status=ok "$run/summary.csv" |
		awk -F'\t' 'NR == 1 { $0 = "bench\tabi\tmechanism\tsyscall\tvalue\tratio\tsys\tpf\tdetail" } 1' |
		awk -F'\t' -v mode=glance -v unit="$unit" -f "$here/families.awk"
}
{
	echo "# scbench report"
	echo
	echo "$title"
	echo
	if [ -n "$disturbed" ]; then
		echo "**Warning: the machine was disturbed while timing** (syscalls on the kernel's slow path, or the CPU shared): $disturbed. Stop that and run again, or compare only with runs made the same way."
		echo
	fi
	echo "## At a glance"
	echo
	glance
	echo
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
		echo "Per call, in guest instructions (QEMU -icount: exact and repeatable, not time); grouped by the way in, registry order inside each group."
		echo
		grouped icount,ratio_to_ref${levels:+,levels},detail |
			tables "| benchmark | guest instructions per call | × reference |${levels:+ levels (fresh processes) |} detail |" "|---|---:|---:|${levels:+---|}---|" \
				"| %s | %s | %s | %s |${levels:+ %s |}\n"
	else
		echo "Per call, in ns; grouped by the way in, registry order inside each group."
		echo
		# the median and its interval at one precision, as the terminal
		# prints them (three decimals under 1 ns, two above)
		grouped ns_median,ns_ci_lo,ns_ci_hi,ratio_to_ref,syscalls_per_call${levels:+,levels},detail |
			awk -F'\t' -v OFS='\t' 'NR > 1 && $4 != "" { f = $4 + 0 < 1 ? "%.3f" : "%.2f"; $4 = sprintf(f, $4); if ($5 != "") $5 = sprintf(f, $5); if ($6 != "") $6 = sprintf(f, $6) } 1' |
			tables "| benchmark | ns per call | 95% repeat interval | × reference | syscalls per call |${levels:+ levels (fresh processes) |} detail |" "|---|---:|---|---:|---:|${levels:+---|}---|" \
				"| %s | %s | %s – %s | %s | %s | %s |${levels:+ %s |}\n"
	fi
	echo
	unsup=$(sel -v bench=1 -v want=status,reason -v where=status!=ok "$run/summary.csv" | row '| %s | %s | %s |\n')
	if [ -n "$unsup" ]; then
		echo "## Not measured, or not to be trusted"
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
	# an icount guest's clock starts at a fixed date (QEMU -rtc base): its
	# time_utc is the host's, which the lane records as vm_time_utc
	sel -v want=key,value "$run/env.csv" | awk -F'\t' -v keys="$envkeys" -v icount="$icount" '
		BEGIN { n = split(keys, k, " ") } NR > 1 { v[$1] = $2 }
		END {
			if (icount && ("time_utc" in v))
				v["time_utc"] = ("vm_time_utc" in v) ? v["vm_time_utc"] " (the host'"'"'s clock; the guest'"'"'s reads " v["time_utc"] ", fixed for repeatable counts)" : "not recorded (the guest'"'"'s clock reads " v["time_utc"] ", fixed for repeatable counts; lanes from now on record the host'"'"'s)"
			for (i = 1; i <= n; i++) if (k[i] in v) { gsub(/\|/, "\\|", v[k[i]]); printf "| %s | %s |\n", k[i], v[k[i]] } }'
	sel -v want=key,value "$run/env.csv" | awk -F'\t' 'NR > 1 && $1 ~ /^vuln_/ && $2 !~ /^Not affected/ { gsub(/\|/, "\\|", $2); printf "| %s | %s |\n", $1, $2 }'
	echo
} >"$md"

# HTML: the same content, self-contained
html_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
md_table_to_html() { # the markdown above as HTML: tables aligned as the
	# separator row says, in a scrolling box; a table of benchmarks (first
	# column "benchmark") gets a class per column and each cell its column's
	# label, for the card layout on narrow screens; names break only after a
	# '/'; lists, **bold** and `code`; the machine section folded; image
	# lines become "@@IMG name alt" for the embedding below
	awk '
		function inline(t) {
			while (match(t, /\*\*[^*]+\*\*/)) t = substr(t, 1, RSTART - 1) "<b>" substr(t, RSTART + 2, RLENGTH - 4) "</b>" substr(t, RSTART + RLENGTH)
			while (match(t, /`[^`]+`/)) t = substr(t, 1, RSTART - 1) "<code>" substr(t, RSTART + 1, RLENGTH - 2) "</code>" substr(t, RSTART + RLENGTH)
			return t
		}
		# the class of a column of a benchmark table, by its header
		function kind(h) {
			if (h == "benchmark") return "name"
			if (h == "× reference") return "ref"
			if (h == "detail" || h == "reason") return "det"
			if (h ~ /interval/) return "ci"
			if (h == "syscalls per call") return "sys"
			if (h == "status" || h ~ /^levels/) return "txt"
			return "val"
		}
		# the short label a card shows before a value
		function short(h) {
			if (h == "benchmark" || h == "× reference") return ""
			if (h == "ns per call") return "ns"
			if (h ~ /instructions per call/) return "instructions"
			if (h ~ /interval/) return "95%"
			if (h == "syscalls per call") return "sys"
			if (h ~ /^levels/) return "levels"
			if (h == "detail" || h == "reason") return ""
			return h
		}
		function cells(line, tag,    n, i, a, out, st, c) {
			sub(/^\| /, "", line); sub(/ \|$/, "", line); n = split(line, a, / \| /)
			out = "<tr>"
			for (i = 1; i <= n; i++) {
				gsub(/\\\|/, "|", a[i]); c = ""
				if (rows) c = cls[i]
				if (align[i]) c = c (c != "" ? " " : "") "num"
				st = c != "" ? " class=\"" c "\"" : ""
				if (rows && tag == "td") {
					if (lab[i] != "") st = st " data-label=\"" lab[i] "\""
					if (cls[i] == "name") gsub(/\//, "/<wbr>", a[i])
				}
				out = out "<" tag st ">" inline(a[i]) "</" tag ">"
			}
			return out "</tr>"
		}
		/^\| / && !intable && !head { head = $0; next }
		/^\|[-:|]+\|$/ && head != "" {
			n = split($0, sep, "|"); delete align
			for (i = 2; i < n; i++) align[i - 1] = (sep[i] ~ /:$/)
			h = head; sub(/^\| /, "", h); sub(/ \|$/, "", h); nh = split(h, hc, / \| /)
			rows = hc[1] == "benchmark"; unsup = rows && hc[2] == "status"; delete cls; delete lab
			for (i = 1; i <= nh; i++) { cls[i] = kind(hc[i]); lab[i] = short(hc[i]) }
			print "<div class=\"scroll\"><table" (unsup ? " class=\"rows unsup\"" : rows ? " class=\"rows\"" : "") ">"; print cells(head, "th"); head = ""; intable = 1; next
		}
		/^\| / && intable { print cells($0, "td"); next }
		{ if (intable) { print "</table></div>"; intable = 0 } }
		/^- / && !inlist { print "<ul>"; inlist = 1 }
		!/^- / && inlist { print "</ul>"; inlist = 0 }
		/^- / { sub(/^- /, ""); print "<li>" inline($0) "</li>"; next }
		/^# / { sub(/^# /, ""); print "<h1>" $0 "</h1>"; next }
		/^## Machine$/ { print "<details><summary><h2>Machine</h2></summary>"; folded = 1; next }
		/^## / { sub(/^## /, ""); print "<h2>" $0 "</h2>"; next }
		/^### / { sub(/^### /, ""); print "<h3>" inline($0) "</h3>"; next }
		/^!\[/ { name = $0; sub(/.*\//, "", name); sub(/\.png&gt;\)$/, "", name)
			t = $0; sub(/^!\[/, "", t); sub(/\]\(.*$/, "", t); print "@@IMG " name " " t; next }
		/./ { print "<p>" inline($0) "</p>" }
		END { if (intable) print "</table></div>"; if (inlist) print "</ul>"; if (folded) print "</details>" }'
}
{
	echo '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>scbench report</title>'
	echo '<style>body{font-family:sans-serif;max-width:1250px;margin:2em auto;padding:0 1em;color:#222;line-height:1.35}'
	echo 'h3{font-size:105%;margin:1.4em 0 .2em}code{font-size:92%;overflow-wrap:anywhere}li{margin:.25em 0}'
	echo '.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:.5em 0 1em;font-size:90%}'
	echo 'td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}'
	echo 'td{overflow-wrap:anywhere}th{background:#f0f0f0}summary h2{display:inline}img{max-width:100%;border:1px solid #eee;margin:1em 0}'
	# benchmark tables: one width for every family, so their columns line
	# up; a name breaks only at the <wbr> after a "/"
	echo 'table.rows{width:100%;table-layout:fixed}table.rows td.name{overflow-wrap:normal;word-break:normal}'
	echo 'th.name{width:23%}th.val,th.ref,th.sys{width:8%}th.ci{width:13%}th.txt{width:9%}th.det{width:auto}'
	# narrow screens: a plot at three quarters of its size in a box that
	# scrolls sideways (shrunk to the screen its text can't be read), and
	# each row a card: the name alone on the first line, its
	# ratio and figures on the second, the syscall count and the detail
	# (or the status and the reason) under them; the header row hidden
	echo '@media (max-width:640px){body{margin:1em auto;padding:0 .6em}ul{padding-left:1.2em}.plot{overflow-x:auto}.plot img{width:880px;max-width:none}table.rows{font-size:86%}table.rows,table.rows tbody{display:block}'
	echo 'table.rows tr:first-child{display:none}table.rows tr{display:flex;flex-wrap:wrap;align-items:baseline;column-gap:.7em;border:1px solid #ccc;border-radius:4px;margin:0 0 .4em;padding:3px 8px}'
	echo 'table.rows td{display:block;border:0;padding:0;text-align:left}table.rows td:empty{display:none}'
	echo 'table.rows td.name{order:0;flex:1 1 100%;font-weight:bold}table.rows td.ref{order:1}table.rows td.val,table.rows td.ci{order:2}'
	echo 'table.rows tr::before{content:"";order:3;flex-basis:100%;height:0}table.rows td.sys,table.rows td.txt{order:4}'
	echo 'table.rows td.det{order:5;flex:1 1 0;min-width:50%;font-size:90%;color:#444}'
	# the rows that did not run: the status beside the name, the reason under
	echo 'table.unsup td.name{flex:0 1 auto}table.unsup td.txt{order:1}table.unsup td.txt::before{content:none}table.unsup td.det{flex-basis:100%}'
	echo 'table.rows td[data-label]::before{content:attr(data-label) " ";color:#777;font-weight:normal}table.rows td.ref::before{content:"× ";color:#777}}</style></head><body>'
	html_escape <"$md" | md_table_to_html | while IFS= read -r line; do
		case $line in
		"@@IMG "*)
			set -- $line
			[ -f "$plots/$2.png" ] || continue
			printf '<div class="plot"><img alt="%s" src="data:image/png;base64,' "${line#@@IMG $2 }"
			base64 -w0 "$plots/$2.png"
			echo '"></div>' ;;
		*) printf '%s\n' "$line" ;;
		esac
	done
	echo '</body></html>'
} >"$html"
mv -fT "$md" "$run/report.md"
mv -fT "$html" "$run/report.html"
