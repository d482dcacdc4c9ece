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

# HTML: the same content, self-contained (scripts/report-html.sh)
"$here/report-html.sh" "$md" "$plots" >"$html" || die "$run: cannot write report.html"
mv -fT "$md" "$run/report.md"
mv -fT "$html" "$run/report.html"
