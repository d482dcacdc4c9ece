#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench-matrix.sh BUILD RESULTS [CELLS]: guest kernel x boot options x CPU
# vendor under QEMU's instruction counter. Every cell of CELLS (default
# bench/matrix.cells) runs the full suite in both vendors' guests
# (scripts/vm/vm-run.sh icount); all of it goes into one new folder
# RESULTS/<host>-matrix-<UTC time>/ (made with mktemp, so two matrices
# started in the same second never share it):
#   cells/NN/{intel,amd}/   each cell's results folders (NN: its line)
#   matrix.csv              kernel,options,cpu_vendor,abi,mechanism,syscall,
#                           status,icount,delta (icount minus the same
#                           kernel's default cell on the same vendor)
#   plots/matrix.png, .svg  the deltas as a heatmap, default counts labelled
#   report.md, report.html  the tables and the plot
#   cells/NN/profile/       each cell's per-function profile (scripts/vm/vm-profile.sh:
#                           profile.csv, both vendors), and in every option
#                           cell profile-diff.txt and .csv: scbench compare of
#                           its kernel's default cell's profile with its own,
#                           per function, summing to each row's delta
#                           (MATRIX_PROFILE=0 leaves the profiles out)
set -u
build=$1 results=$2
export SCBENCH=${SCBENCH:-$build/scbench}
here=$(cd "$(dirname "$0")/../.." && pwd)
cells=${3:-$here/bench/matrix.cells}
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
die() { echo "scbench matrix: $*" >&2; exit 2; }
[ -r "$cells" ] || die "$cells: not readable"
mkdir -p "$results" || die "$results: cannot create"
host=$(hostname 2>/dev/null | tr -c 'A-Za-z0-9._\n-' _)
out=$(mktemp -d "$results/${host:-host}-matrix-$(date -u +%Y%m%dT%H%M%SZ)-XXXX") || die "cannot create a folder in $results"
chmod 755 "$out"
scb_mark "$out" matrix
start=$(date +%s)
k=0 failed=0
# the profiles need the trace guest's image and scbench (make bench-matrix builds both)
profile=${MATRIX_PROFILE:-1}
if [ "$profile" != 0 ] && { [ ! -s "$build/vm-trace/initrd.cpio" ] || [ ! -x "$build/scbench" ]; }; then
	echo "scbench matrix: no profiles: $build/vm-trace/initrd.cpio or $build/scbench is missing (make trace-images all)" >&2
	profile=0
fi
while read -r kernel options; do
	case $kernel in ""|\#*) continue ;; esac
	k=$((k + 1))
	[ "$options" = - ] && options=""
	cell=$out/cells/$(printf %02d $k)
	mkdir -p "$cell"
	printf '%s\n' "$kernel" >"$cell/kernel"
	printf '%s\n' "$options" >"$cell/options"
	t0=$(date +%s)
	VM_DEST=$cell VM_TAG=matrix-$k VM_KERNEL_META=$kernel VM_APPEND=$options \
		"$here/scripts/vm/vm-run.sh" "$build" icount >"$cell/lane.log" 2>&1 || failed=$((failed + 1))
	pt=""
	if [ "$profile" != 0 ]; then
		t1=$(date +%s)
		if VM_KERNEL_META=$kernel VM_APPEND=$options VM_TRACE_KEEP= \
			"$here/scripts/vm/vm-profile.sh" "$build" "$cell/profile" >"$cell/profile.log" 2>&1; then
			pt=", profiled in $(( $(date +%s) - t1 )) s"
		else
			pt=", the profile failed (see $cell/profile.log)"
			failed=$((failed + 1))
		fi
	fi
	echo "scbench matrix: cell $k: $kernel ${options:-(default)}: $(grep -c '^ok' "$cell/lane.log") of 2 guests ok, $(( $(date +%s) - t0 )) s$pt" >&2
done <"$cells"
[ $k -gt 0 ] || die "$cells: no cells"

# each option cell's per-function diff against its kernel's default cell
# (scbench compare of two profiles: each row's functions sum to its delta)
if [ "$profile" != 0 ]; then
	for c in "$out"/cells/*/; do
		c=${c%/}
		{ [ -n "$(cat "$c/options")" ] && [ -s "$c/profile/profile.csv" ]; } || continue
		def=""
		for d in "$out"/cells/*/; do
			d=${d%/}
			if [ "$(cat "$d/kernel")" = "$(cat "$c/kernel")" ] && [ -z "$(cat "$d/options")" ] && [ -s "$d/profile/profile.csv" ]; then
				def=$d
				break
			fi
		done
		[ -n "$def" ] || { echo "scbench matrix: $(cat "$c/kernel") has no default cell with a profile: no diff for $c" >&2; continue; }
		"$build/scbench" compare "$def/profile" "$c/profile" >"$c/profile-diff.txt" 2>&1
		rc=$?
		"$build/scbench" compare --format csv "$def/profile" "$c/profile" >"$c/profile-diff.csv" 2>/dev/null
		"$build/scbench" compare --filter '^x86_64/syscall/getppid$' "$def/profile" "$c/profile" >"$c/profile-diff-ref.txt" 2>/dev/null
		[ $rc -le 1 ] || { echo "scbench matrix: the profile diff of $c failed: $(tail -n 1 "$c/profile-diff.txt")" >&2; failed=$((failed + 1)); }
	done
fi

# matrix.csv: every cell's rows, with the delta against its kernel's default
for c in "$out"/cells/*/; do
	for v in intel amd; do
		[ -s "$c/$v/summary.csv" ] || continue
		pkg=$(scb_env "$c/$v/env.csv" vm_kernel_package)
		scb_tsv --columns abi,mechanism,syscall,status,icount "$c/$v" |
			awk -F'\t' -v k="$pkg" -v o="$(cat "$c/options")" -v v=$v 'NR > 1 { print k "\t" o "\t" v "\t" $0 }'
	done
done | awk -F'\t' '
	{ line[NR] = $0; if ($2 == "" && $8 != "") base[$1, $3, $4 "/" $5 "/" $6] = $8 }
	END {
		print "kernel,options,cpu_vendor,abi,mechanism,syscall,status,icount,delta"
		for (i = 1; i <= NR; i++) {
			split(line[i], f, "\t")
			key = f[1] SUBSEP f[3] SUBSEP f[4] "/" f[5] "/" f[6]
			d = (f[8] != "" && (key in base)) ? sprintf("%.2f", f[8] - base[key]) : ""
			printf "%s,\"%s\",%s,%s,%s,%s,%s,%s,%s\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], d
		}
	}' >"$out/matrix.csv"
elapsed=$(( $(date +%s) - start ))

# the plot: benchmarks x cells, colour = delta against the default cell
mkdir -p "$out/plots"
scb_tsv --columns kernel,options,cpu_vendor,abi,mechanism,syscall,status,icount,delta "$out/matrix.csv" |
	awk -F'\t' -v out="$out" 'NR > 1 {
		col = $1 " " ($2 == "" ? "default" : $2) " " $3; row = $4 "/" $5 "/" $6
		if (!(col in ci)) { ci[col] = nc++; cname[nc - 1] = col }
		if (!(row in ri)) { ri[row] = nr++; rname[nr - 1] = row }
		lab = $7 != "ok" ? "-" : $2 == "" ? sprintf("%d", $8) : ($9 == "" ? "?" : sprintf("%+d", $9))
		val = ($7 == "ok" && $2 != "" && $9 != "") ? $9 : 0
		print ci[col] "\t" ri[row] "\t" val "\t" lab > (out "/plots/matrix.dat")
	}
	END {
		for (i = 0; i < nc; i++) { sub(/^linux-image-/, "", cname[i]); sub(/-cloud-amd64/, "", cname[i]); print i "\t" cname[i] > (out "/plots/matrix.cols") }
		for (i = 0; i < nr; i++) print i "\t" rname[i] > (out "/plots/matrix.rows")
	}'
if command -v gnuplot >/dev/null; then
	for ext in png svg; do
		# names relative to the plots folder: gnuplot runs a file name that
		# starts with '<' as a command, and RESULTS is the user's to name
		(cd "$out/plots" && gnuplot -c "$here/plots/matrix.gp" matrix.dat matrix.cols matrix.rows "matrix.$ext") \
			2>"$out/plots/gnuplot.err" ||
			echo "scbench matrix: plots/matrix.gp failed: $(tail -1 "$out/plots/gnuplot.err")" >&2
	done
	rm -f "$out/plots/gnuplot.err"
fi

# the report: the x86_64 and i386 entry rows, cells side by side
{
	echo "# scbench matrix: guest instructions per call"
	echo
	echo "Kernel x boot options x CPU vendor, each cell a QEMU TCG guest under \`-icount shift=0\`:"
	echo "exact guest instructions per call, user and kernel, of the TCG CPU model (not time; a CR3"
	echo "switch or a VERW counts as one instruction whatever it costs on silicon). In brackets: the"
	echo "change against the same kernel's default cell on the same vendor. $k cells, ${elapsed} s."
	echo
	scb_tsv --columns kernel,options,cpu_vendor,abi,mechanism,syscall,status,icount,delta "$out/matrix.csv" |
		awk -F'\t' 'NR > 1 {
			col = $1 " " ($2 == "" ? "default" : $2) " " $3; row = $4 "/" $5 "/" $6
			if (!(col in seen)) { seen[col] = 1; cols[++nc] = col }
			if (!(row in rseen)) { rseen[row] = 1; rows[++nr] = row }
			v[row, col] = $7 != "ok" ? $7 : ($2 == "" || $9 == "" ? $8 : sprintf("%s (%+g)", $8, $9))
		}
		END {
			printf "| benchmark |"; for (j = 1; j <= nc; j++) printf " %s |", cols[j]; printf "\n|---|"
			for (j = 1; j <= nc; j++) printf "---:|"; printf "\n"
			for (i = 1; i <= nr; i++) {
				printf "| %s |", rows[i]; for (j = 1; j <= nc; j++) printf " %s |", v[rows[i], cols[j]]; printf "\n"
			}
		}' | sed 's/|/\|/g'
	echo
	[ -f "$out/plots/matrix.png" ] && echo "![instructions per call: change against each kernel's default cell](plots/matrix.png)"
	# where the reference row's instructions went, per option cell
	first=1
	for c in "$out"/cells/*/; do
		c=${c%/}
		[ -s "$c/profile-diff-ref.txt" ] || continue
		if [ $first -eq 1 ]; then
			echo
			echo "## Where the instructions went: x86_64/syscall/getppid, per function"
			echo
			echo "Each option cell's profile against its kernel's default cell (scbench compare of the two"
			echo "profile folders; cells/NN/profile-diff.txt has every row). Per row, the functions' changes"
			echo "sum to the row's change."
			first=0
		fi
		echo
		sed -e 's/^/    /' "$c/profile-diff-ref.txt"
	done
} >"$out/report.md"
{
	echo '<!doctype html><html><head><meta charset="utf-8"><title>scbench matrix</title><style>'
	echo 'body{font-family:sans-serif;margin:2em;color:#222}div.t{overflow-x:auto}table{border-collapse:collapse;font-size:80%}'
	echo 'td,th{border:1px solid #ccc;padding:2px 6px;text-align:right;white-space:nowrap}td:first-child{text-align:left}th{background:#f0f0f0}</style></head><body>'
	sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' "$out/report.md" | awk '
		/^    / { if (!inpre) { print "<pre>"; inpre = 1 } print substr($0, 5); next }
		{ if (inpre) { print "</pre>"; inpre = 0 } }
		/^## / { sub(/^## /, ""); print "<h2>" $0 "</h2>"; next }
		/^\|---/ { next }
		/^\| / { sub(/^\| /, ""); sub(/ \|$/, ""); n = split($0, a, / \| /); t = intable ? "td" : "th"
			if (!intable) { print "<div class=t><table>"; intable = 1 }
			printf "<tr>"; for (i = 1; i <= n; i++) printf "<%s>%s</%s>", t, a[i], t; print "</tr>"; next }
		{ if (intable) { print "</table></div>"; intable = 0 } }
		/^# / { sub(/^# /, ""); print "<h1>" $0 "</h1>"; next }
		/^!\[/ { next }
		/./ { print "<p>" $0 "</p>" }'
	if [ -f "$out/plots/matrix.png" ]; then
		printf '<img alt="heatmap: change in guest instructions per call of each boot option against the default, per kernel and vendor" style="max-width:100%%" src="data:image/png;base64,'
		base64 -w0 "$out/plots/matrix.png"
		echo '">'
	fi
	echo '</body></html>'
} >"$out/report.html"
ln -sfn -- "$(basename "$out")" "$results/latest-matrix"
echo "scbench matrix: $k cells in ${elapsed} s: $out/matrix.csv, $out/report.html" >&2
[ $failed -eq 0 ]
