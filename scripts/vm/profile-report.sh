#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# profile-report.sh DIR: the picture and the report of a profile folder
# (scripts/vm/vm-profile.sh's, make bench-profile's): DIR/profile.csv's
# functions grouped by plots/profile-groups.txt (SCB_PROFILE_GROUPS names
# another table) into DIR/profile-groups.csv (kernel, options, cpu_vendor,
# abi, mechanism, syscall, group, instructions: per call, every row's groups
# summing exactly to its functions), DIR/plots/profile.png and .svg
# (plots/profile.gp: one stacked bar per mechanism and vendor) and
# DIR/report.md: the picture, each drawn row's group totals, the reference
# row's (x86_64/syscall/getppid) functions for every vendor, and the
# functions no rule placed ("other"), by name; and DIR/report.html, the same
# with the picture embedded (scbench report --html-from, as a run's report;
# SCBENCH names the binary, default the build tree's).
#
# As scbench plots does: the CSV is read by column name (scb_tsv, the
# project's one reader: scbench export --format tsv),
# the data staged as TSV and the text as checked strings in a private
# folder under /tmp, and gnuplot given only that folder's path; the
# results appear by rename. Bad input (no profile.csv, a malformed one, a
# count that is not a number, a bad line in the groups table, no gnuplot)
# is one line on stderr and exit 2, nothing written; gnuplot failing is 1.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/lib.sh"
die() { scb_line "scbench profile report" "$@"; exit 2; }
[ $# -eq 1 ] || die "usage: profile-report.sh PROFILE_DIR"
dir=$1
groups=${SCB_PROFILE_GROUPS:-$here/plots/profile-groups.txt}
[ -r "$dir/profile.csv" ] || die "$dir/profile.csv: missing (make bench-profile writes one)"
[ -r "$groups" ] || die "$groups: not readable"
command -v gnuplot >/dev/null || die "gnuplot not found (make deps installs gnuplot-nox)"
tmpd=${TMPDIR:-/tmp}
[[ $tmpd == /* ]] || tmpd=/tmp
scb_sweep_dead "$tmpd"/scbench-profile.*-[0-9]*
stage=$(mktemp -d --suffix=-$$ "$tmpd/scbench-profile.XXXXXX") || die "cannot create a folder under $tmpd"
trap 'rm -rf "$stage"' EXIT

cols=kernel,options,cpu_vendor,abi,mechanism,syscall,function,instructions
scb_tsv --columns "$cols" "$dir/profile.csv" >"$stage/profile.tsv" 2>"$stage/err" ||
	die "$(head -1 "$stage/err")"
[ "$(wc -l <"$stage/profile.tsv")" -gt 1 ] || die "$dir/profile.csv: no function rows"
# the folder's identity, for the title: kernel, version, options, QEMU
envval() { scb_env "$dir/env.csv" "$1"; }
kpkg=$(envval vm_kernel_package) kver=$(envval vm_kernel_version) qemu=$(envval vm_qemu)
[ -n "$kpkg" ] || kpkg=$(awk -F'\t' 'NR == 2 { print $1 }' "$stage/profile.tsv")
opts=$(awk -F'\t' 'NR == 2 { print $2 }' "$stage/profile.tsv")
qemu=$(printf '%s' "$qemu" | sed -n 's/^QEMU emulator version \([^ ]*\).*/QEMU \1/p')
[ -n "$opts" ] || opts="the kernel's default options"
title="${kpkg}${kver:+ ($kver)} · ${opts}${qemu:+ · $qemu}"

# One pass: the groups table checked and applied, every function placed
# (the first matching rule, else "other"), and staged:
#   groups.tsv  the long table of every row's group totals (-> profile-groups.csv)
#   funcs.tsv   function, group (the report's tables)
#   bars.tsv    one line a bar: y, label, total, note, then s<k> and v<k>
#               (where group k starts and how wide it is; NaN when 0)
#   heads.tsv   the ABI headings' y and text
#   drawn.tsv   the drawn rows (vendor, abi, mechanism, syscall), in order
#   vars.gp     the groups' keys, labels, colours and text colours, NG, NY,
#               xmax, the title: checked strings only
awk -F'\t' -v OFS='\t' -v gfile="$groups" -v st="$stage" -v title="$title" '
	function bad(m) { printf "%s%s: %s\n", gfile, ln ? ":" ln : "", m >"/dev/stderr"; err = 1; exit 2 }
	function hex(s,    i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
	# black text on a light colour, white on a dark one (relative luminance)
	function ink(c) { return 0.2126 * hex(substr(c, 2, 2)) + 0.7152 * hex(substr(c, 4, 2)) + 0.0722 * hex(substr(c, 6, 2)) > 140 ? "#000000" : "#ffffff" }
	function place(f,    i) {
		if (f in grp) return grp[f]
		for (i = 1; i <= nr; i++) if (f ~ ("^(" rx[i] ")$")) return grp[f] = rk[i]
		return grp[f] = "other"
	}
	function safe(s) { gsub(/·/, "-", s); gsub(/[^A-Za-z0-9 ._,:\/+=()\047-]/, "?", s); return s }
	function vendor(v) { return v == "intel" ? "Intel" : v == "amd" ? "AMD" : v }
	BEGIN {
		while ((r = getline line <gfile) > 0) {
			ln++
			sub(/[ \t]+$/, "", line)
			if (line ~ /^[ \t]*#/) continue
			if (line ~ /^[ \t]*$/) continue
			n = split(line, w, /[ \t]+/)
			if (w[1] == "group") {
				if (n < 4 || w[2] !~ /^[a-z][a-z0-9_]*$/ || w[3] !~ /^#[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/) bad("want: group KEY #RRGGBB LABEL")
				if (w[2] in gi) bad("group " w[2] " twice")
				lab = line; sub(/^[ \t]*group[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", lab)
				if (lab ~ /[^A-Za-z0-9 ._,:\/+()\047-]/) bad("a label of letters, digits, spaces and ._,:/+()- only")
				gi[w[2]] = ++ng; gk[ng] = w[2]; gc[ng] = w[3]; gl[ng] = lab
			} else if (w[1] == "rows") {
				for (i = 2; i <= n; i++) pref[w[i]] = i - 1
			} else {
				if (n != 2) bad("want: KEY ERE (no spaces in the ERE)")
				if (!(w[1] in gi)) bad("no group " w[1] " above this line")
				rk[++nr] = w[1]; rx[nr] = w[2]
			}
		}
		if (r < 0) { printf "%s: cannot read\n", gfile >"/dev/stderr"; err = 1; exit 2 }
		if (!("other" in gi)) { ln = 0; bad("no group \"other\" (where unplaced functions go)") }
	}
	NR == 1 { next }
	{
		if ($8 !~ /^([0-9]+\.?[0-9]*|\.[0-9]+)$/) { printf "profile.csv line %d: instructions \"%s\" is not a count\n", NR, substr($8, 1, 30) >"/dev/stderr"; err = 1; exit 2 }
		row = $3 SUBSEP $4 SUBSEP $5 SUBSEP $6
		if (!(row in seen)) { seen[row] = 1; rows[++nrow] = row; kern[row] = $1; opt[row] = $2 }
		g = place($7)
		sum[row, g] += $8; tot[row] += $8; used[g] = 1
		if (!($7 in fseen)) { fseen[$7] = 1; print $7, g >(st "/funcs.tsv") }
	}
	END {
		if (err) exit 2
		print "kernel", "options", "cpu_vendor", "abi", "mechanism", "syscall", "group", "instructions" >(st "/groups.tsv")
		for (i = 1; i <= nrow; i++) {
			split(rows[i], f, SUBSEP)
			for (k = 1; k <= ng; k++) if ((rows[i], gk[k]) in sum)
				print kern[rows[i]], opt[rows[i]], f[1], f[2], f[3], f[4], gk[k], sprintf("%.10g", sum[rows[i], gk[k]]) >(st "/groups.tsv")
			# the row drawn for its vendor, ABI and mechanism
			m = f[1] SUBSEP f[2] SUBSEP f[3]
			p = (f[4] in pref) ? pref[f[4]] : 1000
			if (!(m in pick) || p < pp[m] || (p == pp[m] && tot[rows[i]] < tot[pick[m]])) { pick[m] = rows[i]; pp[m] = p }
			abis[f[2]] = 1; vends[f[1]] = 1; mechs[f[2], f[3]] = 1
		}
		# x86-64 first; the mechanisms in the order a reader meets them;
		# Intel above AMD; a vendor without the mechanism gets its slot
		na = 0
		if ("x86_64" in abis) al[++na] = "x86_64"
		for (a in abis) if (a != "x86_64") al[++na] = a
		nm = split("syscall int80 sysenter kernel_vsyscall vdso vsyscall_page seccomp", mo, " ")
		for (k = 1; k <= nm; k++) mr[mo[k]] = k
		nv = 0
		if ("intel" in vends) vl[++nv] = "intel"
		if ("amd" in vends) vl[++nv] = "amd"
		for (v in vends) if (v != "intel" && v != "amd") vl[++nv] = v
		hdr = "y\tlabel\ttotal\tnote"
		for (k = 1; k <= ng; k++) hdr = hdr "\ts" k "\tv" k
		print hdr >(st "/bars.tsv")
		print "y\ttext" >(st "/heads.tsv")
		y = 0; xm = 0
		for (ai = 1; ai <= na; ai++) {
			a = al[ai]
			print y++, (a == "x86_64" ? "from an x86-64 process" : a == "i386" ? "from an i386 process" : a) >(st "/heads.tsv")
			# the mechanisms of this ABI, known ones first
			delete ml; n = 0
			for (k = 1; k <= nm; k++) if ((a, mo[k]) in mechs) ml[++n] = mo[k]
			for (mk in mechs) { split(mk, q, SUBSEP); if (q[1] == a && !(q[2] in mr)) ml[++n] = q[2] }
			for (mi = 1; mi <= n; mi++) {
				for (vi = 1; vi <= nv; vi++) {
					m = vl[vi] SUBSEP a SUBSEP ml[mi]
					if (m in pick) {
						split(pick[m], f, SUBSEP); r = pick[m]
						line = y "\t" ml[mi] "/" f[4] "  " vendor(vl[vi]) "\t" sprintf("%.10g", tot[r]) "\t"
						s = 0
						for (k = 1; k <= ng; k++) {
							v = ((r, gk[k]) in sum) ? sum[r, gk[k]] : 0
							line = line "\t" (v > 0 ? sprintf("%.10g\t%.10g", s, v) : "NaN\tNaN")
							s += v
						}
						if (tot[r] > xm) xm = tot[r]
						print f[1], f[2], f[3], f[4] >(st "/drawn.tsv")
					} else {
						line = y "\t" ml[mi] "  " vendor(vl[vi]) "\tNaN\t(no such path on this model)"
						for (k = 1; k <= ng; k++) line = line "\tNaN\tNaN"
					}
					print line >(st "/bars.tsv")
					y++
				}
				y += 0.3
			}
		}
		for (k = 1; k <= ng; k++) {
			printf "gkey%d = \"%s\"\nglab%d = \"%s\"\ngcol%d = \"%s\"\ngink%d = \"%s\"\nguse%d = %d\n", k, gk[k], k, gl[k], k, gc[k], k, ink(gc[k]), k, (gk[k] in used) >(st "/vars.gp")
			nu += (gk[k] in used)
			print gk[k], gl[k] >(st "/labels.tsv")
		}
		# the axis: past the longest bar by room for its total
		printf "NG = %d\nNU = %d\nNY = %.1f\nxmax = %d\ntitle = \"%s\"\n", ng, nu, y - 0.3, (int(xm * 1.1 / 100) + 1) * 100, safe(title) >(st "/vars.gp")
	}' "$stage/profile.tsv" 2>"$stage/err" || die "$(head -1 "$stage/err")"

# DIR/profile-groups.csv: RFC 4180, a field quoted only when it must be
awk -F'\t' -v OFS=, '
	function q(s) { if (s ~ /[,"]/) { gsub(/"/, "\"\"", s); s = "\"" s "\"" } return s }
	{ for (i = 1; i <= NF; i++) $i = q($i); print }' "$stage/groups.tsv" >"$stage/profile-groups.csv"

mkdir "$stage/out"
for ext in png svg; do
	if ! (cd "$here/plots" && gnuplot -c profile.gp "$stage" "$stage/out/profile.$ext") 2>"$stage/gnuplot.err"; then
		echo "scbench profile report: plots/profile.gp failed: $(grep -v '^ *$' "$stage/gnuplot.err" | tail -1)" >&2
		exit 1
	fi
done
sed -E -e "s#<title>Gnuplot</title>#<title>Where each path's instructions go, per call, by group</title>#" \
	-e 's#<title>gnuplot_plot_[0-9]+</title>##' "$stage/out/profile.svg" >"$stage/out/profile.svg.tmp" &&
	mv -f "$stage/out/profile.svg.tmp" "$stage/out/profile.svg" || die "cannot write profile.svg"

# report.md
gkeys=$(sed -n 's/^gkey[0-9]* = "\(.*\)"$/\1/p' "$stage/vars.gp")
glabel() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$stage/labels.tsv"; }
ref=x86_64/syscall/getppid
vendors=$(awk -F'\t' 'NR > 1 && !s[$3]++ { print $3 }' "$stage/profile.tsv")
Vname() { case $1 in intel) echo Intel ;; amd) echo AMD ;; *) echo "$1" ;; esac; }
{
	echo "# scbench profile"
	echo
	echo "$title"
	echo
	echo "Guest instructions per call, exact (QEMU's exec trace, each function's count in the 32-call window less the 16-call one, over 16; every row sums to its traced count: scripts/vm/vm-profile.sh). Functions are grouped by \`plots/profile-groups.txt\`; one bar per mechanism and vendor, its row named on the left."
	echo
	echo "![Instructions per call of each mechanism's path, by group of functions, Intel and AMD models side by side](<plots/profile.png>)"
	echo
	echo "The page-table switches (PTI's CR3 writes) and MDS's VERW are inline in the entry and return assembly and count there; only mitigations that are functions of their own (return and indirect thunks, amd_clear_divider) are a group. A CR3 write or a VERW is one instruction here, however long it takes on silicon."
	echo
	echo "## Each drawn row, by group"
	echo
	hdr="| row | vendor |" sep="|---|---|"
	for g in $gkeys; do
		grep -q "	$g	" "$stage/groups.tsv" || continue
		hdr="$hdr $(glabel "$g") |" sep="$sep---:|"
	done
	echo "$hdr total |"
	echo "$sep---:|"
	# the drawn rows, in the picture's order
	awk -F'\t' -v keys="$gkeys" '
		BEGIN { ng = split(keys, gk, /[ \n]+/) }
		FILENAME ~ /groups.tsv$/ { if (FNR > 1) { r = $3 "\t" $4 "\t" $5 "\t" $6; v[r, $7] = $8; t[r] += $8; has[$7] = 1 } next }
		{
			r = $0
			gsub(/\|/, "\\|")
			line = "| " $2 "/" $3 "/" $4 " | " ($1 == "intel" ? "Intel" : $1 == "amd" ? "AMD" : $1) " |"
			for (i = 1; i <= ng; i++) if (gk[i] in has) line = line " " ((r, gk[i]) in v ? v[r, gk[i]] : "") " |"
			print line " **" t[r] "** |"
		}' "$stage/groups.tsv" "$stage/drawn.tsv"
	echo
	echo "Every row's group totals, all rows: \`profile-groups.csv\`."
	echo
	echo "## The reference row: $ref"
	echo
	h="| function | group |" s="|---|---|"
	for v in $vendors; do h="$h $(Vname "$v") |" s="$s---:|"; done
	echo "$h"
	echo "$s"
	awk -F'\t' -v vs="$(echo $vendors)" -v ref="$ref" '
		BEGIN { nv = split(vs, vl, " ") }
		FILENAME ~ /labels.tsv$/ { lab[$1] = $2; next }
		FILENAME ~ /funcs.tsv$/ { g[$1] = lab[$2]; next }
		FNR == 1 { next }
		$4 "/" $5 "/" $6 == ref {
			if (!($7 in c)) { c[$7] = 1; fl[++nf] = $7 }
			n[$7, $3] = $8; t[$3] += $8; has[$3] = 1
		}
		END {
			# largest first, by the first vendor that has the row
			for (i = 1; i <= nf; i++) for (j = i + 1; j <= nf; j++) {
				a = 0; b = 0
				for (k = 1; k <= nv; k++) { a = a * 1e6 + n[fl[i], vl[k]]; b = b * 1e6 + n[fl[j], vl[k]] }
				if (b > a || (b == a && fl[j] < fl[i])) { x = fl[i]; fl[i] = fl[j]; fl[j] = x }
			}
			for (i = 1; i <= nf; i++) {
				f = fl[i]; gsub(/\|/, "\\|", f)
				line = "| `" f "` | " g[fl[i]] " |"
				for (k = 1; k <= nv; k++) line = line " " (has[vl[k]] ? n[fl[i], vl[k]] + 0 : "") " |"
				print line
			}
			line = "| **total** | |"
			for (k = 1; k <= nv; k++) line = line " " (has[vl[k]] ? "**" t[vl[k]] "**" : "not profiled") " |"
			print line
		}' "$stage/labels.tsv" "$stage/funcs.tsv" "$stage/profile.tsv"
	echo
	echo "## Functions in \"other\""
	echo
	other=$(awk -F'\t' '$2 == "other" { printf "%s`%s`", s, $1; s = ", " }' "$stage/funcs.tsv")
	if [ -n "$other" ]; then
		echo "No rule of \`plots/profile-groups.txt\` places these (they are drawn as \"other\"): $other."
	else
		echo "None: every function of this profile is placed by a rule of \`plots/profile-groups.txt\`."
	fi
} >"$stage/report.md" || die "cannot write the report"

# report.html: the same, self-contained, as a run's report is made
"${SCBENCH:-$here/build/scbench}" report --html-from "$stage/report.md" --images "$stage/out" >"$stage/report.html" ||
	die "cannot write report.html"

# into place, each file by rename
mkdir -p "$dir/plots" || die "$dir/plots: cannot create"
put() { # put SRC DEST
	local t
	t=$(mktemp --suffix=-$$ "$(dirname "$2")/.tmp-profile-XXXXXX") && chmod 644 "$t" && cp "$1" "$t" && mv -fT "$t" "$2" ||
		{ rm -f "${t:-}"; die "$2: cannot write"; }
}
put "$stage/out/profile.png" "$dir/plots/profile.png"
put "$stage/out/profile.svg" "$dir/plots/profile.svg"
put "$stage/profile-groups.csv" "$dir/profile-groups.csv"
put "$stage/report.md" "$dir/report.md"
put "$stage/report.html" "$dir/report.html"
printf 'scbench: profile report in %s/report.md, picture in %s/plots/profile.png\n' "$dir" "$dir" >&2
