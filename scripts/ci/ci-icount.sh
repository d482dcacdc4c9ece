#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci-icount.sh: the count gate for CI (doc/github-actions-scbench.yml). Both
# QEMU guests (Intel and AMD models) run the suite under -icount, and two
# runs are compared exactly by `scbench compare`: guest instructions per
# call, row by row. Only like is compared with like: the same guest kernel
# (package, version, vmlinuz sha256) and the same QEMU on both sides.
#
# Modes (ICOUNT_MODE, or chosen from what is set):
#   base-head  (default) the code change: BASE_REF (default: the merge base
#              of HEAD with the default branch; on a push to main give the
#              commit before it, e.g. BASE_REF=${{ github.event.before }})
#              is built from git in a
#              scratch folder; it and this tree run on one kernel
#              (VM_KERNEL_META, a lock name or PACKAGE=VERSION, or VM_KERNEL,
#              a file; default the lock's default). A Debian kernel roll
#              can't reach the verdict: both sides boot the same kernel.
#   kernel     (VM_BASE_KERNEL set) the kernel change: one scbench build,
#              VM_BASE_KERNEL against VM_KERNEL / VM_KERNEL_META. Each is a
#              file (a bzImage) or a package as vm-kernel.sh takes it;
#              VM_BASE_APPEND (default VM_APPEND) is the base's extra guest
#              command line, VM_APPEND the head's. A base path that does not
#              exist is exit 2, unless ICOUNT_BOOTSTRAP=1 (head alone).
#   baseline   (ICOUNT_BASELINE set) this tree against a stored run. Runs
#              whose kernel or QEMU differ are refused (exit 2, naming both)
#              unless ICOUNT_ROLL=1, which writes a kernel-roll report of
#              what moved instead (exit 1 if a row moved by more than
#              ICOUNT_ROLL_TOLERANCE instructions, default 0). A missing
#              baseline is exit 2, unless ICOUNT_BOOTSTRAP=1 makes this run
#              the baseline (said loudly).
# The new run is left in RESULTS/icount-new/<vendor> (the base in
# RESULTS/icount-base/<vendor>); COMPARE_ARGS adds compare options (e.g.
# --tolerance 2); CI_SUMMARY=FILE appends a Markdown summary that starts
# with the verdict.
# When rows moved (base-head mode), the gate also prints where
# their instructions went: each side's scbench kernels profiled per function
# (icount-lib.sh's icl_profile_diff; needs make trace-images on both sides,
# into RESULTS/icount-profile/; ICOUNT_PROFILE=0 leaves it out).
# Exit: 0 no change (beyond the tolerance), 1 a row moved, 2 bad input or a
# lane that could not run.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/vm/icount-lib.sh"
build=${BUILD:-$here/build}
results=${RESULTS:-results}
new=$results/icount-new
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
say() { scb_line "scbench ci-icount" "$@"; }
die() { say "$*"; [ -n "${CI_SUMMARY:-}" ] && printf '## scbench counts: bad input: %s\n' "$*" >>"$CI_SUMMARY"; exit 2; }

mode=${ICOUNT_MODE:-}
if [ -z "$mode" ]; then
	if [ -n "${VM_BASE_KERNEL:-}" ]; then mode=kernel
	elif [ -n "${ICOUNT_BASELINE:-}" ]; then mode=baseline
	else mode=base-head
	fi
fi
case $mode in base-head|kernel|baseline) ;; *) die "ICOUNT_MODE='$mode': base-head, kernel or baseline" ;; esac
[ $mode = kernel ] && [ -z "${VM_BASE_KERNEL:-}" ] && die "ICOUNT_MODE=kernel needs VM_BASE_KERNEL (a file or a package)"
[ $mode = baseline ] && [ -z "${ICOUNT_BASELINE:-}" ] && die "ICOUNT_MODE=baseline needs ICOUNT_BASELINE (a folder with intel/ and amd/ runs)"
tol=${ICOUNT_ROLL_TOLERANCE:-0}
[[ $tol =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "ICOUNT_ROLL_TOLERANCE='$tol': a number of instructions"
[ -x "$build/scbench" ] || die "$build/scbench is missing: make all vm-images first"
[ -n "$results" ] || die "RESULTS is empty"
mkdir -p "$results" || die "$results: cannot create"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/scbench-ci-icount.XXXXXX") || die "cannot make a scratch folder"
trap 'rm -rf "$scratch"' EXIT

# lane_into BUILD DEST KERNEL: KERNEL a file (booted as VM_KERNEL) or a spec
lane_into() {
	if [ -f "$3" ]; then
		VM_KERNEL=$3 icl_lane "$1" "$2" "" "ci"
	else
		VM_KERNEL="" icl_lane "$1" "$2" "$3" "ci"
	fi || { tail -n 15 "$2.log" | sed 's/^/  /' >&2; die "the icount lane failed: $(grep -v '^#' "$2.log" | tail -n 1 | cut -c1-200) (log: $2.log)"; }
	for v in intel amd; do [ -s "$2/$v/summary.csv" ] || die "$2/$v: no results"; done
}
head_kernel=${VM_KERNEL:-${VM_KERNEL_META:-}}
what=""
case $mode in
base-head)
	base_ref=${BASE_REF:-}
	if [ -z "$base_ref" ]; then
		def=$(git -C "$here" symbolic-ref -q --short refs/remotes/origin/HEAD 2>/dev/null) ||
			def=$(git -C "$here" rev-parse -q --verify origin/main >/dev/null && echo origin/main) || def=main
		base_ref=$(git -C "$here" merge-base HEAD "$def" 2>/dev/null) ||
			die "no merge base of HEAD and $def (a shallow clone? fetch-depth: 0, or set BASE_REF)"
	fi
	commit=$(git -C "$here" rev-parse -q --verify "$base_ref^{commit}") || die "BASE_REF='$base_ref' is not a commit here"
	[ "$commit" = "$(git -C "$here" rev-parse HEAD)" ] && [ -z "$(git -C "$here" status --porcelain --untracked-files=no)" ] &&
		say "note: the base ($base_ref) is HEAD itself: this checks that the counts repeat, not a change"
	base_build=$(icl_build_commit "$commit" "$scratch/base") || die "BASE_REF ${commit:0:12} does not build (log: $scratch/base/build.log)"
	lane_into "$base_build" "$results/icount-base" "$head_kernel"
	lane_into "$build" "$new" "$head_kernel"
	base=$results/icount-base
	# one kernel named by a moving name could still differ between the lanes
	icl_same "$base" "$new" || die "the two lanes booted different kernels or QEMU: $(icl_identity "$base/intel") vs $(icl_identity "$new/intel")"
	what="base ${commit:0:12} vs this tree, both on $(icl_identity "$new/intel")"
	;;
kernel)
	if [[ $VM_BASE_KERNEL == */* ]] && [ ! -f "$VM_BASE_KERNEL" ]; then
		[ "${ICOUNT_BOOTSTRAP:-}" = 1 ] ||
			die "no base kernel at $VM_BASE_KERNEL (a missing or expired artifact?): nothing to compare with (ICOUNT_BOOTSTRAP=1 runs the head alone, for a first run)"
		lane_into "$build" "$new" "$head_kernel"
		say "BOOTSTRAP: no base kernel; the head ran alone and nothing was compared"
		[ -n "${CI_SUMMARY:-}" ] && printf '## scbench counts: bootstrap, nothing compared\nNo base kernel at `%s`.\n' "$VM_BASE_KERNEL" >>"$CI_SUMMARY"
		exit 0
	fi
	VM_APPEND=${VM_BASE_APPEND:-${VM_APPEND:-}} lane_into "$build" "$results/icount-base" "$VM_BASE_KERNEL"
	lane_into "$build" "$new" "$head_kernel"
	base=$results/icount-base
	what="kernel $(icl_identity "$base/intel") vs $(icl_identity "$new/intel"), one scbench build"
	;;
baseline)
	base=$ICOUNT_BASELINE
	if [ ! -s "$base/intel/summary.csv" ] || [ ! -s "$base/amd/summary.csv" ]; then
		[ "${ICOUNT_BOOTSTRAP:-}" = 1 ] ||
			die "no baseline in $base (intel/ and amd/ runs): give one, use the default base-head mode, or ICOUNT_BOOTSTRAP=1 to make this run the baseline"
		lane_into "$build" "$new" "$head_kernel"
		icl_clear "$base" || die "$base exists and is not a scbench baseline (no .scbench-results): left alone"
		mkdir -p "$(dirname "$base")" && bt=$(mktemp -d "$base.XXXXXX") && chmod 755 "$bt" && cp -r "$new/." "$bt" &&
			scb_mark "$bt" "icount baseline" && mv -T "$bt" "$base" ||
			die "$base: cannot create"
		say "BOOTSTRAP: no baseline in $base; this run is now the baseline and nothing was compared"
		[ -n "${CI_SUMMARY:-}" ] && printf '## scbench counts: bootstrap, nothing compared\nThis run is now the baseline in `%s`.\n' "$base" >>"$CI_SUMMARY"
		exit 0
	fi
	# the baseline's kernel, unless the user names another (then: a roll)
	[ -z "$head_kernel" ] && [ "$(scb_env "$base/intel/env.csv" vm_kernel_package)" != file ] &&
		head_kernel=$(icl_kernel "$base/intel")
	lane_into "$build" "$new" "$head_kernel"
	if ! icl_same "$base" "$new"; then
		if [ "${ICOUNT_ROLL:-}" != 1 ]; then
			die "not comparable: the baseline ran on $(icl_identity "$base/intel"), this run on $(icl_identity "$new/intel") (ICOUNT_ROLL=1 writes a kernel-roll report instead; base-head mode compares like with like)"
		fi
		mode=roll
		COMPARE_ARGS="${COMPARE_ARGS:-} --tolerance $tol"
	fi
	what="stored baseline $base vs this tree, on $(icl_identity "$new/intel")"
	[ $mode = roll ] && what="kernel roll: $(icl_identity "$base/intel") -> $(icl_identity "$new/intel") (tolerance $tol instructions)"
	;;
esac

say "$what"
rc=0 md=""
for v in intel amd; do
	r=0
	# shellcheck disable=SC2086 # COMPARE_ARGS is a list of options
	out=$(icl_compare "$build/scbench" "$base/$v" "$new/$v" --format markdown ${COMPARE_ARGS:-}) || r=$?
	if [ $mode = roll ]; then
		# the roll report: what moved, not the unchanged rows
		moved=$(printf '%s\n' "$out" | icl_moved)
		out=$(printf '%s\n' "$out" | grep -v '| unchanged |$')$'\n\n'"$moved rows moved on the $v model."
		[ "$moved" -gt 0 ] && [ $r -eq 0 ] && r=1
	fi
	printf '%s\n' "$out"
	md="$md"$'\n'"### $v"$'\n'"$out"
	[ $r -gt $rc ] && rc=$r
	moved_rows="${moved_rows:-}$(printf '%s\n' "$out" | icl_moved_rows)"$'\n'
done
# where the moved rows' instructions went, per function (base-head mode:
# both sides boot the same kernel; each side's trace guest is built here)
if [ $rc -eq 1 ] && [ "${ICOUNT_PROFILE:-1}" != 0 ] && [ $mode = base-head ]; then
	rows=$(printf '%s' "$moved_rows" | sort -u)
	pd=$results/icount-profile
	rm -rf -- "$pd" && mkdir -p -- "$pd"
	for b in "$base_build" "$build"; do
		src=$here
		[ "$b" = "$base_build" ] && src=$(dirname "$base_build")
		MAKEFLAGS= MAKELEVEL= make -C "$src" -s BUILD="$b" SAN= trace-images >>"$pd/build.log" 2>&1 || true
	done
	prof=$(VM_CACHE=${VM_CACHE:-$here/build/vm} icl_profile_diff "$base_build" "$base_build/vm-trace" "$build" "$build/vm-trace" "$pd" "$rows")
	printf '%s\n' "$prof"
	md="$md"$'\n'"### where the instructions went"$'\n'"\`\`\`"$'\n'"$prof"$'\n'"\`\`\`"
fi
if [ -n "${CI_SUMMARY:-}" ]; then
	case $rc in
	0) verdict="no change in guest instructions per call" ;;
	1) verdict="REGRESSION: more guest instructions per call" ;;
	*) verdict="bad input: the comparison could not be made" ;;
	esac
	[ $mode = roll ] && verdict="kernel roll: $([ $rc -eq 0 ] && echo "nothing moved beyond $tol" || echo "rows moved")"
	printf '## scbench counts: %s\n%s\n%s\n' "$verdict" "$what" "$md" >>"$CI_SUMMARY"
fi
exit $rc
