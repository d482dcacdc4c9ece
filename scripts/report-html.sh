#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# report-html.sh REPORT.md PLOTS_DIR: REPORT.md as one self-contained HTML
# page on stdout, each picture ![alt](…/NAME.png) embedded from
# PLOTS_DIR/NAME.png as a data: URI (left out when there is none). What it
# reads: headings, paragraphs, lists, **bold**, `code`, and tables aligned
# as their separator row says; a table whose first column is "benchmark"
# gets a class per column and each cell its column's label, for the card
# layout under 640 px (tests/test_report.sh measures it at 390 and 1280
# px); a "## Machine" section is folded. Used by scripts/report.sh (a
# run's report) and scripts/profile-report.sh (a profile's).
set -eu
[ $# -eq 2 ] || { echo "usage: report-html.sh REPORT.md PLOTS_DIR" >&2; exit 2; }
md=$1 plots=$2
[ -r "$md" ] || { echo "report-html.sh: $md: not readable" >&2; exit 2; }
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
}
