# SPDX-License-Identifier: MIT
# csv.awk: columns of an RFC 4180 CSV file by name, printed tab-separated
# with a header line, for gnuplot (whose strcol() cuts strings at quoted
# commas) and the report scripts. Scripts call it through scripts/csv.sh,
# which feeds the file on stdin (so no file name is ever taken for an awk
# assignment or an option) and names it in CSV_FILE for the messages.
#
#   scripts/csv.sh FILE -v want=abi,mechanism,ns_median [-v where=status=ok] [-v empty=NaN]
#
# want   the columns, in order ("*" for all)
# where  keep only rows whose column equals the value (col=value; col!=value)
# empty  what to print for an empty field (default: empty)
# bench  1: prepend a column "bench" = abi/mechanism/syscall
# check  1: also insist that every row has the header's number of fields,
#        schema 1, no repeated column name and no unterminated quote, naming
#        the file and line of the first that doesn't
# A missing column is an error naming the file: exit 2. Quoted fields may
# span lines (the dialect harness/csv.c reads); tabs and line breaks inside
# fields become spaces in the output. Time is linear in the input: fields
# are cut with index() and substr(), never a character at a time.
function fail(msg) {
	printf "csv.awk: %s%s\n", fname, msg > "/dev/stderr"
	bad = 1
	exit 2
}
# parse(line): split one record into F[1..n], reading more lines while a
# quoted field is open; returns n.
function parse(line,    n, p, f, nxt) {
	n = 0
	sub(/\r$/, "", line)
	for (;;) {
		if (substr(line, 1, 1) == "\"") {
			line = substr(line, 2); f = ""
			for (;;) {
				p = index(line, "\"")
				if (p == 0) {
					f = f line " "
					if ((getline nxt) <= 0) fail(sprintf(" line %d: a quoted field is never closed", NR))
					sub(/\r$/, "", nxt); line = nxt
					continue
				}
				f = f substr(line, 1, p - 1); line = substr(line, p + 1)
				if (substr(line, 1, 1) == "\"") { f = f "\""; line = substr(line, 2); continue }
				break
			}
			p = index(line, ",")
			if (p != 1 && line != "") {
				if (check) fail(sprintf(" line %d: text after a closing quote", NR))
				if (p == 0) { f = f line; line = "" } else { f = f substr(line, 1, p - 1); line = substr(line, p) }
			}
			F[++n] = f
			if (line == "") return n
			line = substr(line, 2)
		} else {
			p = index(line, ",")
			if (p == 0) { F[++n] = line; return n }
			F[++n] = substr(line, 1, p - 1); line = substr(line, p + 1)
		}
	}
}
BEGIN {
	fname = ("CSV_FILE" in ENVIRON) ? ENVIRON["CSV_FILE"] : ""
	gsub(/\n/, "\\n", fname)
	neg = 0
	if (where != "") {
		if (index(where, "!=")) { neg = 1; split(where, wp, "!=") } else split(where, wp, "=")
		wcol = wp[1]; wval = wp[2]
	}
}
NR == 1 {
	if (fname == "") fname = FILENAME
	n = parse($0)
	nhead = n
	for (i = 1; i <= n; i++) {
		if (check && (F[i] in idx)) fail(sprintf(" has the column '%s' twice", F[i]))
		idx[F[i]] = i
	}
	if (want == "*") { m = n; for (j = 1; j <= n; j++) W[j] = F[j] } else m = split(want, W, ",")
	for (j = 1; j <= m; j++)
		if (!(W[j] in idx)) fail(sprintf(" has no column '%s'", W[j]))
	if (where != "" && !(wcol in idx)) fail(sprintf(" has no column '%s'", wcol))
	out = bench ? "bench" : ""
	for (j = 1; j <= m; j++) out = out (j > 1 || bench ? "\t" : "") W[j]
	print out
	next
}
{
	line0 = NR
	nf = parse($0)
	if (check && nf != nhead) fail(sprintf(" line %d: %d fields, the header has %d", line0, nf, nhead))
	if (check && ("schema" in idx) && F[idx["schema"]] != "1") fail(sprintf(" line %d: schema '%s', this version reads schema 1", line0, F[idx["schema"]]))
	if (where != "" && ((F[idx[wcol]] == wval) == neg)) next
	out = bench ? F[idx["abi"]] "/" F[idx["mechanism"]] "/" F[idx["syscall"]] : ""
	for (j = 1; j <= m; j++) {
		v = F[idx[W[j]]]
		gsub(/[\t\n\r]/, " ", v)
		if (v == "") v = empty
		out = out (j > 1 || bench ? "\t" : "") v
	}
	print out
}
END {
	if (bad) exit 2
	if (NR == 0) { printf "csv.awk: %s is empty\n", fname > "/dev/stderr"; exit 2 }
}
