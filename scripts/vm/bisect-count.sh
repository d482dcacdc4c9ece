#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bisect-count.sh: one step of `git bisect run` on a kernel's path length.
# Boots a kernel in the icount lane (scripts/vm/vm-run.sh icount, one vendor's
# CPU model) and judges one row's guest instructions per call:
#
#   git bisect start BAD GOOD
#   git bisect run /path/to/scbench/scripts/vm/bisect-count.sh \
#       --build 'make -j"$(nproc)" bzImage' --kernel arch/x86/boot/bzImage \
#       --row x86_64/syscall/getppid --vendor intel --good good.csv
#
# The kernel, one of:
#   --kernel FILE       a built image (bzImage; vmlinux boots too, via PVH)
#   --package SPEC      a Debian kernel as scripts/vm/vm-kernel.sh takes it
#                       (PACKAGE=VERSION, a package, a lock name)
#   --build CMD         run CMD (in the current folder, by bash) first: a
#                       failure is exit 125, as is an image it did not make
# The verdict, one of:
#   --good FILE         the counts of a known-good kernel: a summary.csv, a
#                       results folder holding one (or VENDOR/summary.csv),
#                       or what --record wrote; bad when the row's count
#                       differs by more than --tolerance or its status differs
#   --threshold N       bad when the row's count is above N
#   --record FILE       no verdict: measure, write the row's status and
#                       count to FILE (summary.csv's columns), exit 0: the
#                       --good of later steps
# Other options: --row ABI/MECHANISM/SYSCALL (required), --vendor intel|amd
# (default intel), --append OPTS (boot options), --tolerance T (default 0.005:
# the counts are exact; 1 for io_uring, whose count moves with code layout),
# --scbench-build DIR (the scbench build with its guest image, default
# build/ of this repository), --timeout S (per guest, default 120).
#
# Exit, as git bisect run reads it: 0 good, 1 bad, 125 this commit cannot
# be tested (the build failed, no such kernel in the archive, the guest did
# not boot, the row did not run), 128 bad usage (git bisect run stops).
# One line on stdout says what was measured and why the verdict; the lane's
# log is kept in a temporary folder and named when a step could not test.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/vm/icount-lib.sh"
me=bisect-count
usage() { scb_line "$me" "$@"; echo "usage: bisect-count.sh (--kernel FILE | --package SPEC) [--build CMD] --row ROW (--good FILE | --threshold N | --record FILE) [--vendor intel|amd] [--append OPTS] [--tolerance T] [--scbench-build DIR] [--timeout S]" >&2; exit 128; }
skip() { echo "$me: cannot test: $*"; exit 125; }

kernel="" package="" buildcmd="" row="" vendor=intel good="" threshold="" record="" append="" tol="" sbuild=$here/build timeout_s=120
while [ $# -gt 0 ]; do
	case $1 in
	--kernel|--package|--build|--row|--vendor|--good|--threshold|--record|--append|--tolerance|--scbench-build|--timeout)
		[ $# -ge 2 ] || usage "$1 needs a value"
		case $1 in
		--kernel) kernel=$2 ;; --package) package=$2 ;; --build) buildcmd=$2 ;; --row) row=$2 ;;
		--vendor) vendor=$2 ;; --good) good=$2 ;; --threshold) threshold=$2 ;; --record) record=$2 ;;
		--append) append=$2 ;; --tolerance) tol=$2 ;; --scbench-build) sbuild=$2 ;; --timeout) timeout_s=$2 ;;
		esac
		shift 2 ;;
	-h|--help) sed -n '3,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) usage "unknown argument '$1'" ;;
	esac
done
[ -n "$kernel" ] && [ -n "$package" ] && usage "--kernel and --package: one or the other"
[ -n "$kernel$package" ] || usage "no kernel: --kernel FILE or --package SPEC"
[[ $row =~ ^(x86_64|i386|x32)/[a-z0-9_]+/[a-z0-9_]+$ ]] || usage "--row '$row': ABI/MECHANISM/SYSCALL, as in summary.csv (x86_64/syscall/getppid)"
case $vendor in intel|amd) ;; *) usage "--vendor '$vendor': intel or amd" ;; esac
nv=0
for x in "$good" "$threshold" "$record"; do [ -n "$x" ] && nv=$((nv + 1)); done
[ $nv -eq 1 ] ||
	usage "one verdict: --good FILE, --threshold N or --record FILE"
num='^[0-9]+([.][0-9]+)?$'
[ -z "$threshold" ] || [[ $threshold =~ $num ]] || usage "--threshold '$threshold': a number of instructions"
if [ -z "$tol" ]; then
	tol=0.005
	[[ $row =~ $ICOUNT_LOOSE ]] && tol=1
fi
[[ $tol =~ $num ]] || usage "--tolerance '$tol': a number of instructions"
# the tables are read by the scbench build the lane runs (scb_tsv)
export SCBENCH=${SCBENCH:-$sbuild/scbench}
[[ $timeout_s =~ ^[1-9][0-9]{0,4}$ ]] || usage "--timeout '$timeout_s': whole seconds"
[ -x "$sbuild/scbench" ] && [ -s "$sbuild/vm/initrd.cpio" ] ||
	usage "$sbuild: no scbench build with its guest image (make BUILD=$sbuild all vm-images)"

# the known-good row, read before anything is built: a bad --good is usage
good_status="" good_count=""
if [ -n "$good" ]; then
	gf=$good
	if [ -d "$good" ]; then
		for c in "$good/$vendor/summary.csv" "$good/summary.csv"; do [ -f "$c" ] && { gf=$c; break; }; done
	fi
	[ -f "$gf" ] || usage "--good '$good': no summary.csv there"
	g=$(scb_tsv --columns abi,mechanism,syscall,status,icount "$gf" 2>&1) || usage "--good '$gf': $g"
	g=$(printf '%s\n' "$g" | awk -F'\t' -v r="$row" '$1 "/" $2 "/" $3 == r { print $4 "\t" $5; exit }')
	[ -n "$g" ] || usage "--good '$gf' has no row $row"
	good_status=${g%%$'\t'*} good_count=${g#*$'\t'}
fi

if [ -n "$buildcmd" ]; then
	# the build's output is the user's tree's: shown, not judged, but for
	# its status (git bisect run shows it with the step)
	bash -c "$buildcmd" >&2 || skip "the build command failed (exit $?): $buildcmd"
fi
if [ -n "$kernel" ]; then
	[ -f "$kernel" ] && [ -r "$kernel" ] || skip "$kernel: no such image (did the build make it?)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/scb-bisect.XXXXXX") || skip "cannot make a scratch folder"
keep=0
trap '[ $keep -eq 1 ] || rm -rf "$work"' EXIT
# a --kernel image is copied into the cache by its checksum: a scratch cache,
# so that a bisect's dozen images do not pile up in the shared one; Debian
# packages go to the shared cache (fetched once, verified on each use)
if [ -n "$kernel" ]; then
	cache=$work/cache
	kernel=$(cd "$(dirname "$kernel")" && pwd)/$(basename "$kernel")
else
	cache=${VM_CACHE:-$here/build/vm}
fi
t0=$(date +%s)
if [ -n "$package" ]; then
	# fetched first so that a kernel the archive lacks is told apart from
	# one that does not boot
	"$here/scripts/vm/vm-kernel.sh" "$cache" "$package" >/dev/null 2>"$work/fetch.log"
	case $? in
	0) ;;
	2) usage "--package '$package': $(tail -n 1 "$work/fetch.log")" ;;
	*) skip "$(tail -n 1 "$work/fetch.log" | sed 's/^scbench: //')" ;;
	esac
fi
VM_CACHE=$cache VM_VENDORS=$vendor VM_DEST=$work/lane VM_TAG=bisect-$$ VM_TIMEOUT=$timeout_s \
	VM_KERNEL=$kernel VM_KERNEL_META=$package VM_APPEND=$append \
	"$here/scripts/vm/vm-run.sh" "$sbuild" icount >"$work/lane.log" 2>&1
sum=$work/lane/$vendor/summary.csv
if [ ! -s "$sum" ]; then
	keep=1
	why=$(grep -m1 '^not ok' "$work/lane.log" | sed 's/^not ok [0-9]* - //')
	skip "the $vendor guest gave no results (${why:-see the log}; log: $work/lane.log)"
fi
got=$(scb_tsv --columns status,icount --where name="$row" "$(dirname "$sum")" | sed -n 2p)
[ -n "$got" ] || skip "the guest's summary.csv has no row $row"
status=${got%%$'\t'*} count=${got#*$'\t'}
kname=$(icl_kernel "$work/lane/$vendor")
[[ $kname == file:* ]] && kname="$(basename "$kernel") (sha256 $(scb_env "$work/lane/$vendor/env.csv" vm_kernel_sha256 | cut -c1-12))"
what="$row on the $vendor model, $kname${append:+ [$append]}: ${count:-$status} ($(( $(date +%s) - t0 )) s)"

if [ -n "$record" ]; then
	[ "$status" = ok ] || skip "$what: the row did not run, nothing to record"
	# the columns --good reads, in summary.csv's names (scbench export reads it back)
	printf 'schema,abi,mechanism,syscall,status,icount\n1,%s,%s,%s\n' "$(echo "$row" | tr / ,)" "$status" "$count" >"$record.tmp" &&
		mv -f "$record.tmp" "$record" || usage "--record '$record': cannot write"
	echo "$me: recorded $what into $record"
	exit 0
fi
if [ -n "$threshold" ]; then
	[ "$status" = ok ] || skip "$what: the row is $status here"
	if awk -v c="$count" -v t="$threshold" 'BEGIN { exit !(c > t) }'; then
		echo "$me: bad: $what, above the threshold $threshold"
		exit 1
	fi
	echo "$me: good: $what, at most the threshold $threshold"
	exit 0
fi
if [ "$status" != "$good_status" ]; then
	echo "$me: bad: $what: the row is $status, $good_status on the good kernel"
	exit 1
fi
[ "$status" = ok ] || skip "$what: the row is $status here and on the good kernel: no count to compare"
d=$(awk -v c="$count" -v g="$good_count" 'BEGIN { printf "%+.2f", c - g }')
if awk -v c="$count" -v g="$good_count" -v t="$tol" 'BEGIN { d = c - g; exit !(d > t || -d > t) }'; then
	echo "$me: bad: $what, the good kernel's $good_count ($d, tolerance $tol)"
	exit 1
fi
echo "$me: good: $what, the good kernel's $good_count ($d)"
exit 0
