# SPDX-License-Identifier: MIT
# lib.sh: what scbench's scripts share (sourced, not run): one-line messages
# that no field can turn into terminal control, the results marker, and the
# removal of what a dead run left behind.

# scb_line PREFIX MESSAGE...: "PREFIX: MESSAGE" on stderr, one line, control
# bytes shown as ^X (cat -v)
scb_line() {
	local p=$1
	shift
	printf '%s: %s\n' "$p" "$(printf '%s' "$*" | tr '\n' ' ' | cat -v)" >&2
}

# The marker every results folder scbench makes holds first (results.h's
# RESULTS_MARKER and RESULTS_MARKER_LINE): cleanup removes only what has it.
SCB_MARKER=.scbench-results
# scb_mark DIR WHAT: DIR is ours ("scbench WHAT results folder")
scb_mark() { echo "scbench $2 results folder" >"$1/$SCB_MARKER"; }
# scb_marked DIR: a real folder holding a real marker of ours
scb_marked() {
	[ -d "$1" ] && [ ! -L "$1" ] && [ -f "$1/$SCB_MARKER" ] && [ ! -L "$1/$SCB_MARKER" ] &&
		head -n 1 "$1/$SCB_MARKER" | grep -q '^scbench .*results folder$'
}
# scb_clear DIR [PREDICATE]: remove DIR if it is absent, an empty folder, or
# ours by PREDICATE (default scb_marked); else one line and status 2
scb_clear() {
	{ [ -e "$1" ] || [ -L "$1" ]; } || return 0
	if { [ -d "$1" ] && [ ! -L "$1" ] && [ -z "$(ls -A "$1")" ]; } || "${2:-scb_marked}" "$1"; then
		rm -rf -- "$1"
		return
	fi
	scb_line scbench "$1 exists and is not a scbench results folder (no $SCB_MARKER): left alone"
	return 2
}

# scb_sweep_dead PATH...: remove each PATH that is ours (owned by us, not a
# link) and whose writer, the PID that ends its name, is gone
scb_sweep_dead() {
	local s
	for s in "$@"; do
		{ [ -e "$s" ] && [ ! -L "$s" ] && [ -O "$s" ]; } || continue
		kill -0 "${s##*-}" 2>/dev/null || rm -rf -- "$s"
	done
}

# scb_vm_knobs VENDORS TIMEOUT: the QEMU lanes' knobs, or the message why not
scb_vm_knobs() {
	local v
	for v in $1; do
		case $v in intel|amd) ;; *) echo "VM_VENDORS: '$v' is not a vendor (intel, amd)"; return 1 ;; esac
	done
	[[ $2 =~ ^[1-9][0-9]{0,4}$ ]] && [ "$2" -le 86400 ] ||
		{ echo "VM_TIMEOUT='$2': a whole number of seconds, 1 to 86400"; return 1; }
}

# scb_tsv [EXPORT OPTIONS] PATH: a results folder's rows (or another table
# scbench writes) as tab-separated lines under a header, drawn from the
# results model by `scbench export --format tsv` (--columns, --where,
# --empty): scripts read prepared columns by the model's field names
# (name, status, median, lo, hi, ratio, icount, ...) and never parse CSV.
# SCBENCH names the binary (default: the build tree's, beside scripts/).
# scb_env ENV.CSV KEY: one value of an env.csv (nothing when the key, or a
# readable file, is not there)
scb_env() { scb_tsv --columns value --where key="$2" "$1" 2>/dev/null | sed -n 2p; }

scb_tsv() {
	local b=${SCBENCH:-$(dirname "${BASH_SOURCE[0]}")/../build/scbench}
	[ -x "$b" ] || { scb_line scbench "$b: not built, and it reads the results for the scripts (make, or SCBENCH=the binary)"; return 2; }
	"$b" export --format tsv "$@"
}
