#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# distclean.sh RESULTS: make distclean's part in a results folder. Removes
# only what scbench made: run folders (and half-written .tmp-* ones) that
# hold the marker file scbench writes first (.scbench-results, a regular
# file whose line names scbench), owned by this user, and the `latest` link.
# Everything else is left alone with one line saying so: RESULTS may be a
# folder of the user's.
#
# Nothing is removed from a folder that someone else owns or can write: a
# marker is easy to forge, and a folder another user can change could be
# swapped for a link between the check and the removal. Names are used
# relative to the folder entered (cd -P), never as paths built twice.
set -u
results=$1
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
say() { scb_line "scbench distclean" "$@"; }
[ -n "$results" ] || { say "RESULTS is empty"; exit 2; }
[ -d "$results" ] || exit 0
# safe FOLDER: ours, and nobody else may write it
safe() { [ -O "$1" ] && [ -z "$(find "$1" -maxdepth 0 -perm /022 2>/dev/null)" ]; }
cd -P -- "$results" || { say "$results: cannot enter"; exit 2; }
safe . || { say "$results: owned or writable by someone else: nothing removed"; exit 2; }
ours() { # ours NAME: a real folder of ours, holding our own marker, that only we can write
	scb_marked "$1" && safe "$1" && [ -O "$1/$SCB_MARKER" ]
}
removed=0
shopt -s nullglob dotglob
for b in *; do
	if [ "$b" = latest ] && [ -L "$b" ]; then
		rm -f -- "$b"
	elif ours "$b"; then
		rm -rf -- "./$b" && removed=$((removed + 1))
	elif [ -d "$b" ] && [ ! -L "$b" ]; then
		# a lane or matrix parent of ours may hold marked folders: clean inside it
		if safe "$b"; then
			n=$( (cd -P -- "$b" && k=0 && for e in *; do ours "$e" && rm -rf -- "./$e" && k=$((k + 1)); done; echo $k) )
			removed=$((removed + ${n:-0}))
		fi
		say "$results/$b: not a scbench results folder (no .scbench-results of ours): left alone"
	fi
done
say "removed $removed results folders from $results"
