#!/usr/bin/env bash
# distclean.sh RESULTS: make distclean's part in a results folder. Removes
# only what scbench made: run folders (and half-written .tmp-* ones) that
# hold the marker file scbench writes first (.scbench-results, a regular
# file whose line names scbench), and the `latest` link. Everything else is
# left alone with one line saying so: RESULTS may be a folder of the user's.
set -u
results=$1
say() { printf 'scbench distclean: %s\n' "$*" >&2; }
[ -n "$results" ] || { say "RESULTS is empty"; exit 2; }
[ -d "$results" ] || exit 0
ours() { # ours DIR: a real folder holding our marker
	[ -d "$1" ] && [ ! -L "$1" ] && [ -f "$1/.scbench-results" ] && [ ! -L "$1/.scbench-results" ] &&
		head -n 1 "$1/.scbench-results" | grep -q '^scbench .*results folder$'
}
removed=0
shopt -s nullglob dotglob
for d in "$results"/*; do
	b=${d##*/}
	if [ "$b" = latest ] && [ -L "$d" ]; then
		rm -f -- "$d"
	elif ours "$d"; then
		rm -rf -- "$d" && removed=$((removed + 1))
	elif [ -d "$d" ] && [ ! -L "$d" ]; then
		# a matrix or lane folder holds marked folders: clean inside it
		for e in "$d"/*; do ours "$e" && rm -rf -- "$e" && removed=$((removed + 1)); done
		say "$d: not a scbench results folder (no .scbench-results): left alone"
	fi
done
say "removed $removed results folders from $results"
