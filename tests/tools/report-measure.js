// SPDX-License-Identifier: MIT
// report-measure.js: what a reader of report.html sees of its benchmark
// tables, measured by the browser that laid the page out. tests/e2e/test_report.sh
// appends it to a copy of the page, shows that in a frame of the width under
// test (headless Chromium lays a page out no narrower than ~500 px, whatever
// --window-size says), and reads the lines it posts to the page around it
// from Chromium's --dump-dom:
//   page SCROLLWIDTH CLIENTWIDTH    the page's own width and the viewport's
//   cut N FIRST                     benchmark tables wider than their box (or
//                                   a x reference cell outside the viewport)
//   midword N FIRST                 benchmark names broken inside a word: a
//                                   line break anywhere but after a "/" or
//                                   at a space ("getrandom_25" / "6")
//   tallest LINES NAME              the tallest results row (a table with a
//                                   x reference column), in lines of text:
//                                   the distinct heights its characters sit at
//   rows N                          benchmark rows measured
// A benchmark table is one whose first header cell reads "benchmark", so the
// same script measures the old report and the new.
(function () {
	var out = [];
	var de = document.documentElement;
	var vw = de.clientWidth;
	out.push("page " + de.scrollWidth + " " + vw);
	var tables = Array.prototype.filter.call(document.querySelectorAll("table"), function (t) {
		var h = t.querySelector("th");
		return h && h.textContent.trim() === "benchmark";
	});
	var cut = 0, cutFirst = "-", mid = 0, midFirst = "-", tallest = 0, tallName = "-", rows = 0;
	// the top of each character of a cell, in reading order
	function charTops(cell) {
		var tops = [], w = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT), n, r = document.createRange();
		while ((n = w.nextNode())) {
			for (var i = 0; i < n.data.length; i++) {
				r.setStart(n, i); r.setEnd(n, i + 1);
				var rc = r.getClientRects();
				if (rc.length) tops.push({ c: n.data[i], top: rc[0].top, h: rc[0].height });
			}
		}
		return tops;
	}
	tables.forEach(function (t) {
		var box = t.parentElement;
		if (box.scrollWidth > box.clientWidth + 1 || t.getBoundingClientRect().right > vw + 1) {
			if (!cut) cutFirst = "table-wider-than-its-box";
			cut++;
		}
		var heads = Array.prototype.map.call(t.rows[0].cells, function (c) { return c.textContent.trim(); });
		var refAt = heads.indexOf("× reference");
		for (var i = 1; i < t.rows.length; i++) {
			var tr = t.rows[i], name = tr.cells[0];
			if (!name) continue;
			rows++;
			var label = name.textContent.trim();
			// lines tall: the distinct heights at which the row's text sits
			var all = charTops(tr).map(function (x) { return x; }).sort(function (a, b) { return a.top - b.top; });
			var lines = 0, last = -1e9;
			all.forEach(function (x) { if (x.top - last > x.h / 2) { lines++; last = x.top; } });
			// the results tables (they have the x reference column); the
			// rows that did not run hold a sentence of reason, prose
			if (refAt >= 0 && lines > tallest) { tallest = lines; tallName = label; }
			var tops = charTops(name);
			for (var k = 1; k < tops.length; k++) {
				if (tops[k].top - tops[k - 1].top > tops[k - 1].h / 2) {
					var before = tops[k - 1].c, after = tops[k].c;
					if (before !== "/" && !/\s/.test(before) && !/\s/.test(after)) {
						if (!mid) midFirst = label.slice(0, k) + "|" + label.slice(k);
						mid++;
					}
				}
			}
			if (refAt >= 0 && tr.cells[refAt]) {
				var rr = tr.cells[refAt].getBoundingClientRect(), br = box.getBoundingClientRect();
				if (rr.right > vw + 1 || rr.left < -1 || rr.right > br.right + 1) {
					if (!cut) cutFirst = label + ":x-reference-outside-the-view";
					cut++;
				}
			}
		}
	});
	out.push("cut " + cut + " " + cutFirst.replace(/\s+/g, "_"));
	out.push("midword " + mid + " " + midFirst.replace(/\s+/g, "_"));
	out.push("tallest " + tallest + " " + tallName.replace(/\s+/g, "_"));
	out.push("rows " + rows);
	var pre = document.createElement("pre");
	pre.id = "scb-measure";
	pre.textContent = out.join("\n");
	document.body.appendChild(pre);
	// in a frame (the test's way to lay the page out at an exact width):
	// tell the page around it, which Chromium's --dump-dom prints
	if (window.parent !== window) window.parent.postMessage(pre.textContent, "*");
})();
