#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_report.sh BUILD: report.html as a reader sees it, rendered by headless
# Chromium (Debian's chromium): a screenshot that is not blank, at a desktop
# and a phone width, and the rendered page's DOM: results before the machine
# table (folded), numbers right-aligned, tables in scrolling boxes, every
# plot with an alt text that says what it shows.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "ok 1 # SKIP no chromium (make deps installs Debian's chromium)"
	echo "1..1"; exit 0
fi
run=$tmp/run
cp -r "$here/results/sample-qemu-amd" "$run"
"$here/scripts/plots.sh" "$run" >/dev/null 2>&1
ok $? "plots and report rendered"
chrome() { # chrome ARGS...: headless, no network, a fresh profile
	timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$tmp/profile" "$@" 2>/dev/null
}
for w in 1280 390; do
	chrome --window-size=$w,1400 --screenshot="$tmp/shot-$w.png" "file://$run/report.html" >/dev/null
	s=$("$build/tests/pngstat" "$tmp/shot-$w.png" 2>&1)
	read -r pw ph ink col <<<"$s"
	awk -v w="$pw" -v want="$w" -v ink="$ink" -v col="$col" 'BEGIN { exit !(w == want && ink > 0.01 && col >= 8) }'
	ok $? "screenshot at $w px: ${pw}x${ph}, ink $ink, $col colours"
done
chrome --dump-dom "file://$run/report.html" >"$tmp/dom.html"
grep -q '<th>benchmark</th><th class="num">ns per call</th>' "$tmp/dom.html"
ok $? "the rendered page has the results table, numbers right-aligned"
r=$(grep -n '<h2>Results</h2>' "$tmp/dom.html" | cut -d: -f1 | head -1)
m=$(grep -n '<summary><h2>Machine</h2></summary>' "$tmp/dom.html" | cut -d: -f1 | head -1)
[ -n "$r" ] && [ -n "$m" ] && [ "$r" -lt "$m" ] && grep -q '<details>' "$tmp/dom.html"
ok $? "results come first, the machine table after, folded"
[ "$(grep -c '<div class="scroll"><table>' "$tmp/dom.html")" -ge 3 ]
ok $? "every table sits in a scrolling box ($(grep -c '<div class="scroll">' "$tmp/dom.html"))"
nimg=$(grep -o '<img alt="[^"]*"' "$tmp/dom.html" | wc -l)
short=$(grep -o '<img alt="[^"]*"' "$tmp/dom.html" | awk 'length($0) < 40' | wc -l)
[ "$nimg" -ge 4 ] && [ "$short" -eq 0 ]
ok $? "$nimg plots embedded, each with an alt text that describes it"
tap_done
