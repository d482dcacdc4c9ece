# SPDX-License-Identifier: MIT
# tap.sh: sourced by the shell tests (tests/test_*.sh): a scratch folder
# removed on exit ($tmp), the repository root ($here), and the TAP helpers.
#   ok STATUS DESCRIPTION   "ok N - ..." when STATUS is 0, else "not ok N - ..."
#   tap_done                the plan line; fails if any check failed
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
tap_done() {
	echo "1..$n"
	[ $failed -eq 0 ]
}
# csv_sel FILE [-v want=COLS] [-v where=COL=VAL|COL!=VAL] [-v bench=1]
#         [-v empty=S] [-v check=1]: a CSV table's columns by its header,
# tab-separated under a header line, read by the project's one reader
# (`scbench export --format tsv`, which checks every row; bench=1 puts
# abi/mechanism/syscall first as "bench"). The binary: SCBENCH (run.sh sets
# it), else BUILD/scbench for the test's BUILD ($build).
csv_sel() {
	local f=$1 want="" where="" bench="" out rc
	local -a opt=()
	shift
	while [ $# -gt 0 ]; do
		[ "$1" = -v ] && { shift; continue; }
		case $1 in
		want=\*) want="" ;;
		want=*) want=${1#want=} ;;
		where=*) opt+=(--where "${1#where=}") ;;
		bench=*) bench=${1#bench=} ;;
		empty=*) opt+=(--empty "${1#empty=}") ;;
		esac
		shift
	done
	if [ -n "$bench" ]; then
		opt+=(--columns "abi,mechanism,syscall${want:+,$want}")
	elif [ -n "$want" ]; then
		opt+=(--columns "$want")
	fi
	# into a file, not $(...): an empty last field is a line of its own
	out=$(mktemp "$tmp/csv_sel.XXXXXX") || return 2
	"${SCBENCH:-${build:-$here/build}/scbench}" export --format tsv "${opt[@]}" "$f" >"$out" || { rc=$?; rm -f "$out"; return $rc; }
	if [ -n "$bench" ]; then
		awk -F'\t' -v OFS='\t' '{ s = NR == 1 ? "bench" : $1 "/" $2 "/" $3; for (i = 4; i <= NF; i++) s = s OFS $i; print s }' "$out"
	else
		cat "$out"
	fi
	rm -f "$out"
}
