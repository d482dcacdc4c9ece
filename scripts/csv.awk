# csv.awk: columns of an RFC 4180 CSV file by name, printed tab-separated
# with a header line, for gnuplot (whose strcol() cuts strings at quoted
# commas) and the report scripts.
#
#   awk -f csv.awk -v want=abi,mechanism,ns_median [-v where=status=ok] [-v empty=NaN] FILE
#
# want   the columns, in order ("*" for all)
# where  keep only rows whose column equals the value (col=value; col!=value)
# empty  what to print for an empty field (default: empty)
# bench  1: prepend a column "bench" = abi/mechanism/syscall
# check  1: also insist that every row has the header's number of fields and
#        schema 1, naming the file and line of the first that doesn't
# A missing column is an error naming the file: exit 2. Tabs inside fields
# become spaces. Fields spanning lines are not supported (scbench writes none).
function parse(line,    n, i, c, f, q, len) {
	n = 0; f = ""; q = 0; len = length(line)
	sub(/\r$/, "", line)
	for (i = 1; i <= len; i++) {
		c = substr(line, i, 1)
		if (q) {
			if (c == "\"") {
				if (substr(line, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0
			} else f = f c
		} else if (c == "\"") q = 1
		else if (c == ",") { F[++n] = f; f = "" }
		else f = f c
	}
	F[++n] = f
	return n
}
BEGIN {
	if (empty == "") empty = ""
	neg = 0
	if (where != "") {
		if (index(where, "!=")) { neg = 1; split(where, wp, "!=") } else split(where, wp, "=")
		wcol = wp[1]; wval = wp[2]
	}
}
NR == 1 {
	n = parse($0)
	nhead = n
	for (i = 1; i <= n; i++) idx[F[i]] = i
	if (want == "*") { m = n; for (j = 1; j <= n; j++) W[j] = F[j] } else m = split(want, W, ",")
	for (j = 1; j <= m; j++)
		if (!(W[j] in idx)) { printf "csv.awk: %s has no column '%s'\n", FILENAME, W[j] > "/dev/stderr"; bad = 1; exit 2 }
	if (where != "" && !(wcol in idx)) { printf "csv.awk: %s has no column '%s'\n", FILENAME, wcol > "/dev/stderr"; bad = 1; exit 2 }
	out = bench ? "bench" : ""
	for (j = 1; j <= m; j++) out = out (j > 1 || bench ? "\t" : "") W[j]
	print out
	next
}
{
	nf = parse($0)
	if (check && nf != nhead) { printf "csv.awk: %s line %d: %d fields, the header has %d\n", FILENAME, NR, nf, nhead > "/dev/stderr"; bad = 1; exit 2 }
	if (check && ("schema" in idx) && F[idx["schema"]] != "1") { printf "csv.awk: %s line %d: schema '%s', this version reads schema 1\n", FILENAME, NR, F[idx["schema"]] > "/dev/stderr"; bad = 1; exit 2 }
	if (where != "" && ((F[idx[wcol]] == wval) == neg)) next
	out = bench ? F[idx["abi"]] "/" F[idx["mechanism"]] "/" F[idx["syscall"]] : ""
	for (j = 1; j <= m; j++) {
		v = F[idx[W[j]]]
		gsub(/\t/, " ", v)
		if (v == "") v = empty
		out = out (j > 1 || bench ? "\t" : "") v
	}
	print out
}
END { if (NR == 0 && !bad) { printf "csv.awk: %s is empty\n", FILENAME > "/dev/stderr"; exit 2 } if (bad) exit 2 }
