#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_report.sh BUILD [REPORT.html]: the report as a reader sees it.
# Its headline is computed from the data (a changed summary.csv changes it);
# an icount run speaks in guest instructions; rows come grouped by family.
# Then report.html rendered by headless Chromium (Debian's chromium): a
# screenshot that is not blank at a desktop and a phone width, the page's
# DOM (results before the machine table, folded; numbers right-aligned;
# tables in scrolling boxes; every plot with an alt text), and the layout
# measured in the browser at 390 and 1280 px (tests/tools/report-measure.js): no
# page or benchmark table wider than the screen, the × reference column in
# view, no benchmark name broken inside a word, no results row five lines
# tall. Given REPORT.html, only the layout checks run, on that file (to
# show that an older report fails them).
set -u
. "$(dirname "$0")/tap.sh"
build=$1
scb=$(cd "$build" && pwd)/scbench
given=${2:-}
browser=$(command -v chromium || command -v chromium-browser || true)

chrome() { # chrome ARGS...: headless, no network, a fresh profile
	timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
		--user-data-dir="$tmp/profile" "$@" 2>/dev/null
}
# layout HTML WIDTH NAME: report-measure.js's lines for HTML laid out at
# WIDTH px, in a frame of that width (headless Chromium lays a page out no
# narrower than ~500 px, whatever --window-size says; a frame is exact)
layout() {
	local d=$tmp/measure-$3-$2
	mkdir -p "$d"
	{ sed '$d' "$1"; printf '<script>'; cat "$here/tests/tools/report-measure.js"; printf '</script></body></html>\n'; } >"$d/r.html"
	printf '<!doctype html><html><body style="margin:0"><iframe src="r.html" style="width:%dpx;height:1400px;border:0"></iframe><pre id="scb-out">no answer from the page</pre><script>addEventListener("message", function (e) { document.getElementById("scb-out").textContent = e.data; });</script></body></html>\n' "$2" >"$d/frame.html"
	chrome --window-size=$(($2 + 40)),1500 --virtual-time-budget=2000 --dump-dom "file://$d/frame.html" |
		awk '/<pre id="scb-out">/ { sub(/.*<pre id="scb-out">/, ""); on = 1 } on { if (sub(/<\/pre>.*/, "")) { print; exit } print }'
}
# check_layout HTML NAME: the layout checks at both widths
check_layout() {
	local w m pw vw
	for w in 390 1280; do
		m=$(layout "$1" $w "$2")
		read -r _ pw vw <<<"$(grep '^page ' <<<"$m")"
		[ -n "$pw" ] && [ "$pw" -le "$vw" ]
		ok $? "$2 at $w px: the page is no wider than the screen (${pw:-?} px in ${vw:-?})"
		grep -q '^cut 0 ' <<<"$m"
		ok $? "$2 at $w px: every benchmark table fits its box, × reference in view ($(grep '^cut ' <<<"$m"))"
		grep -q '^midword 0 ' <<<"$m"
		ok $? "$2 at $w px: no benchmark name broken inside a word ($(grep '^midword ' <<<"$m"))"
		awk '$1 == "tallest" && $2 <= 4 { ok = 1 } END { exit !ok }' <<<"$m"
		ok $? "$2 at $w px: no results row five lines tall ($(grep '^tallest ' <<<"$m"))"
		awk '$1 == "rows" && $2 >= 20 { ok = 1 } END { exit !ok }' <<<"$m"
		ok $? "$2 at $w px: the benchmark rows were measured ($(grep '^rows ' <<<"$m"))"
	done
}

if [ -n "$given" ]; then
	[ -n "$browser" ] || { echo "not ok 1 - no chromium to measure $given with"; echo "1..1"; exit 1; }
	check_layout "$given" "$(basename "$(dirname "$given")")"
	tap_done
	exit
fi

# the headline follows the data: a copy of the guest sample in which
# i386 int 0x80 costs 112 syscalls and the vDSO's getcpu almost nothing
render() { cp -r "$here/results/$1" "$tmp/$2" && "$scb" plots "$tmp/$2" >/dev/null 2>"$tmp/err"; }
render sample-qemu-amd qemu
ok $? "plots and report rendered ($(head -c 100 "$tmp/err"))"
md=$tmp/qemu/report.md
r=$(grep -n '^## At a glance' "$md" | cut -d: -f1) s=$(grep -n '^## Results' "$md" | cut -d: -f1)
[ -n "$r" ] && [ -n "$s" ] && [ "$r" -lt "$s" ] && grep -q '^- \*\*Cheapest call:\*\* `x86_64/vdso/time`' "$md" &&
	grep -q '^- \*\*Dearest way in:\*\* `i386/int80/getppid`, 1556 ns a call, 2.76× the reference' "$md"
ok $? "the headline comes first: cheapest x86_64/vdso/time, dearest i386/int80/getppid at 2.76× (the sample's figures)"
cp -r "$here/results/sample-qemu-amd" "$tmp/moved"
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
	$c["abi"] "/" $c["mechanism"] "/" $c["syscall"] == "i386/int80/getppid" { $c["ns_median"] = 57568; $c["ratio_to_ref"] = 112.0 }
	$c["abi"] "/" $c["mechanism"] "/" $c["syscall"] == "x86_64/vdso/getcpu" { $c["ns_median"] = 0.5; $c["ratio_to_ref"] = 0.001 }
	{ print }' "$here/results/sample-qemu-amd/summary.csv" >"$tmp/moved/summary.csv"
"$scb" plots "$tmp/moved" >/dev/null 2>&1
grep -q '^- \*\*Dearest way in:\*\* `i386/int80/getppid`, 57568 ns a call, 112× the reference' "$tmp/moved/report.md" &&
	grep -q '^- \*\*Cheapest call:\*\* `x86_64/vdso/getcpu`, 0.5 ns a call' "$tmp/moved/report.md"
ok $? "changed figures change the headline (int \$0x80 at 112×, getcpu cheapest)"
# rows grouped by family: each family heading once, the reference's first
fams=$(grep '^### ' "$md")
[ "$(sort <<<"$fams" | uniq -d | wc -l)" -eq 0 ] && [ "$(wc -l <<<"$fams")" -ge 5 ] &&
	[ "$(head -1 <<<"$fams")" = "### Fast system-call instructions" ] &&
	awk '/^### The legacy interrupt gate/ { f = 1 } f && /^\| x86_64\/int80\/getppid / { a = 1 } f && /^\| i386\/int80\/getppid / { b = 1 } /^### The vDSO/ { f = 0 } END { exit !(a && b) }' "$md"
ok $? "rows grouped by family, both ABIs' int \$0x80 together ($(wc -l <<<"$fams") families)"

# a row whose fresh processes' medians fall into levels shows them; a
# levels column that no row fills adds nothing
for fill in yes no; do
	rm -rf "$tmp/lv"; cp -r "$here/results/sample-qemu-amd" "$tmp/lv"
	awk -F, -v fill=$fill 'BEGIN { OFS = "," } NR == 1 { print $0 ",levels"; next }
		fill == "yes" && /^1,x86_64,syscall,getppid,/ { print $0 ",\"63.1 | 69.0\""; next } { print $0 "," }' \
		"$here/results/sample-qemu-amd/summary.csv" >"$tmp/lv/summary.csv"
	"$scb" plots "$tmp/lv" >/dev/null 2>&1
	if [ $fill = yes ]; then
		grep -q '^| x86_64/syscall/getppid | .* | 63.1 \\| 69.0 |  |$' "$tmp/lv/report.md" && grep -q 'levels (fresh processes)' "$tmp/lv/report.md"
		ok $? "a row's levels are shown in a column of their own, the '|' escaped"
	else
		[ -s "$tmp/lv/report.md" ] && ! grep -q 'levels' "$tmp/lv/report.md"
		ok $? "no levels column when no row has levels"
	fi
done

# an icount run: guest instructions everywhere, the host's date
render icount-baseline/amd icount
ok $? "the icount baseline renders"
imd=$tmp/icount/report.md
grep -q '| benchmark | guest instructions per call |' "$imd" && grep -q '^- \*\*Cheapest call:\*\* `[^`]*`, [0-9.]* guest instructions a call' "$imd" &&
	! grep -Eq '(^|[^a-z])ns per call| ns a call|median ns' "$imd"
ok $? "an icount report counts guest instructions, in its table and its headline, and says ns nowhere"
grep -q '^| time_utc | not recorded (the guest.s clock reads 2020-01-01' "$imd"
ok $? "an icount report without the host's date doesn't pass the guest's fixed clock off as one"
cp -r "$here/results/icount-baseline/amd" "$tmp/icount-dated"
echo '1,vm_time_utc,2026-12-01T10:00:00Z' >>"$tmp/icount-dated/env.csv"
"$scb" plots "$tmp/icount-dated" >/dev/null 2>&1
grep -q '^| time_utc | 2026-12-01T10:00:00Z (the host.s clock' "$tmp/icount-dated/report.md"
ok $? "with the lane's vm_time_utc, the report dates the run by the host"

if [ -z "$browser" ]; then
	echo "ok $((n + 1)) # SKIP no chromium for the rendered checks (make deps installs Debian's chromium)"
	n=$((n + 1))
	tap_done
	exit
fi
for w in 1280 390; do
	chrome --window-size=$w,1400 --screenshot="$tmp/shot-$w.png" "file://$tmp/qemu/report.html" >/dev/null
	s=$("$build/tests/pngstat" "$tmp/shot-$w.png" 2>&1)
	read -r pw ph ink col <<<"$s"
	awk -v w="$pw" -v want="$w" -v ink="$ink" -v col="$col" 'BEGIN { exit !(w == want && ink > 0.01 && col >= 8) }'
	ok $? "screenshot at $w px: ${pw}x${ph}, ink $ink, $col colours"
done
chrome --dump-dom "file://$tmp/qemu/report.html" >"$tmp/dom.html"
grep -q '<th class="name">benchmark</th><th class="val num">ns per call</th>' "$tmp/dom.html"
ok $? "the rendered page has the results tables, numbers right-aligned"
r=$(grep -n '<h2>Results</h2>' "$tmp/dom.html" | cut -d: -f1 | head -1)
m=$(grep -n '<summary><h2>Machine</h2></summary>' "$tmp/dom.html" | cut -d: -f1 | head -1)
g=$(grep -n '<h2>At a glance</h2>' "$tmp/dom.html" | cut -d: -f1 | head -1)
[ -n "$g" ] && [ -n "$r" ] && [ -n "$m" ] && [ "$g" -lt "$r" ] && [ "$r" -lt "$m" ] && grep -q '<details>' "$tmp/dom.html"
ok $? "the headline first, then the results, the machine table after, folded"
[ "$(grep -c '<div class="scroll"><table' "$tmp/dom.html")" -ge 3 ]
ok $? "every table sits in a scrolling box ($(grep -c '<div class="scroll">' "$tmp/dom.html"))"
nimg=$(grep -o '<img alt="[^"]*"' "$tmp/dom.html" | wc -l)
short=$(grep -o '<img alt="[^"]*"' "$tmp/dom.html" | awk 'length($0) < 40' | wc -l)
[ "$nimg" -ge 4 ] && [ "$short" -eq 0 ]
ok $? "$nimg plots embedded, each with an alt text that describes it"
# the checks can fail: a page laid out as report.html was before the cards
# (one wide table in a scrolling box, cells that break anywhere), three of
# the icount baseline's rows, must fail each of them at 390 px
{
	echo '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><style>body{font-family:sans-serif;max-width:1250px;margin:2em auto;padding:0 1em}'
	echo '.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}'
	echo 'td.num,th.num{text-align:right;white-space:nowrap}td{overflow-wrap:anywhere}</style></head><body><div class="scroll"><table>'
	echo '<tr><th>benchmark</th><th class="num">guest instructions per call</th><th class="num">× reference</th><th>detail</th></tr>'
	csv_sel "$here/results/icount-baseline/amd/summary.csv" -v bench=1 -v want=icount,ratio_to_ref,detail -v where=status=ok |
		awk -F'\t' '$1 ~ /getppid_cache_(1|16|256)$/ { printf "<tr><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td></tr>\n", $1, $2, $3, $4 }'
	echo '</table></div></body></html>'
} >"$tmp/oldstyle.html"
m=$(layout "$tmp/oldstyle.html" 390 oldstyle)
awk '$1 == "cut" && $2 > 0 { c = 1 } $1 == "midword" && $2 > 0 { w = 1 } $1 == "tallest" && $2 > 4 { t = 1 } END { exit !(c && w && t) }' <<<"$m"
ok $? "the layout checks catch the old table at 390 px: $(tr '\n' ' ' <<<"$m")"
check_layout "$tmp/qemu/report.html" sample-qemu-amd
check_layout "$tmp/icount/report.html" icount-baseline/amd
tap_done
