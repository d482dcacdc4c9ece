#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_docs.sh BUILD: the man page and the bash completion can't drift from
# the option tables: every option a command's --help lists is offered by
# the completion for that command (the real completion function, run as
# bash runs it) and named in the man page.
set -u
. "$(dirname "$0")/tap.sh"
bin=$1/scbench
. "$here/scripts/scbench.bash-completion"
man=$(MANWIDTH=200 man -l "$here/doc/scbench.1" 2>/dev/null || cat "$here/doc/scbench.1")
for c in run compare export report list tune; do
	opts=$("$bin" "$c" --help 2>&1 | grep -oE -- '--[a-z][a-z-]+' | sort -u | grep -vx -- '--version')
	COMP_WORDS=(scbench "$c" --) COMP_CWORD=2 COMPREPLY=()
	_scbench
	offered=" ${COMPREPLY[*]} "
	miss_c="" miss_m=""
	for o in $opts; do
		[[ $offered == *" $o "* ]] || miss_c="$miss_c $o"
		[ "$o" = --help ] || grep -qF -- "$o" <<<"$man" || miss_m="$miss_m $o"
	done
	[ -z "$miss_c" ]
	ok $? "completion offers every option of scbench $c --help ($(echo $opts | wc -w))${miss_c:+; missing:$miss_c}"
	[ -z "$miss_m" ]
	ok $? "the man page names every option of scbench $c --help${miss_m:+; missing:$miss_m}"
done
for c in run compare export plots report list tune; do
	grep -qE "^ +$c( |$)" <<<"$man"
	ok $? "the man page lists the $c command"
done
tap_done
