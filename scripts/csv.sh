#!/bin/sh
# SPDX-License-Identifier: MIT
# csv.sh FILE [awk options]: scripts/csv.awk on FILE, fed on stdin so that no
# file name (one with '=', a leading '-', quotes, newlines) is ever read as
# anything but a name; CSV_FILE names it in the messages.
[ $# -ge 1 ] || { echo "usage: csv.sh FILE [-v want=COLS ...]" >&2; exit 2; }
f=$1; shift
[ -r "$f" ] && [ ! -d "$f" ] || { printf 'csv.awk: %s: not a readable file\n' "$f" >&2; exit 2; }
CSV_FILE=$f exec awk -f "$(dirname "$0")/csv.awk" "$@" <"$f"
