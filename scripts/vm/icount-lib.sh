# SPDX-License-Identifier: MIT
# icount-lib.sh: what the count gate's scripts share (sourced, not run):
# tests/e2e/test_icount.sh, scripts/ci/ci-icount.sh, scripts/ci/icount-baseline.sh and
# scripts/vm/kernels-update.sh. Needs $here (the repository root).
#
# Two icount runs are comparable when they booted the same guest kernel
# (package, version and the sha256 of the vmlinuz) under the same QEMU: then
# every difference in guest instructions per call comes from the code being
# measured. Anything else is a kernel roll, reported as such, never blamed on
# a change.

. "$here/scripts/lib.sh"

# icl_kernel RUN: the kernel a run booted, as vm-kernel.sh takes it back
# (PACKAGE=VERSION), or file:SHA256 for a VM_KERNEL file
icl_kernel() {
	local p
	p=$(scb_env "$1/env.csv" vm_kernel_package)
	if [ "$p" = file ]; then
		echo "file:$(scb_env "$1/env.csv" vm_kernel_sha256)"
	else
		echo "$p=$(scb_env "$1/env.csv" vm_kernel_version)"
	fi
}
# icl_identity RUN: kernel and QEMU identity of a run, one line
icl_identity() {
	local s
	s=$(scb_env "$1/env.csv" vm_kernel_sha256)
	printf '%s (vmlinuz sha256 %s, guest %s) under %s' "$(icl_kernel "$1")" "${s:0:12}" \
		"$(scb_env "$1/env.csv" kernel_release)" "$(scb_env "$1/env.csv" vm_qemu | sed 's/^QEMU emulator version //')"
}
# icl_same RUN-A RUN-B: the same kernel (package, version, sha256), QEMU,
# guest command line and compiler (the loop's share and the libc rows move
# with the compiler)? RUN-A/B are lane folders (intel/ and amd/ inside) or
# one vendor's run.
icl_same() {
	local k a b v
	for v in intel amd .; do
		a=$1/$v b=$2/$v
		[ -f "$a/env.csv" ] || continue
		[ -f "$b/env.csv" ] || return 1
		[ -n "$(scb_env "$a/env.csv" vm_kernel_sha256)" ] || return 1
		for k in vm_kernel_package vm_kernel_version vm_kernel_sha256 vm_qemu vm_cmdline compiler; do
			[ "$(scb_env "$a/env.csv" $k)" = "$(scb_env "$b/env.csv" $k)" ] || return 1
		done
		[ "$v" = . ] && return 0
	done
	return 0
}

# icl_ours DIR: a real folder holding scbench's marker, or a baseline made
# before baselines carried one (nothing but intel/, amd/ and commit in it)
icl_ours() {
	scb_marked "$1" && return 0
	[ -d "$1" ] && [ ! -L "$1" ] && [ -z "$(ls -A "$1" | grep -vxE 'intel|amd|commit')" ]
}
# icl_clear DIR: remove DIR if it is absent, empty or ours; else say so and fail
icl_clear() { scb_clear "$1" icl_ours; }

# icl_lane BUILD DEST [KERNEL] [TAG]: both vendors' guests under icount into
# DEST/{intel,amd}; KERNEL as vm-kernel.sh takes it (file:... is not: set
# VM_KERNEL for that). Guest kernels are cached in the head's build/vm
# (VM_CACHE), so a base build shares them. Lane output in DEST.log.
icl_lane() {
	local b=$1 dest=$2 k=${3:-} tag=${4:-gate}
	icl_clear "$dest" || return 2
	mkdir -p "$dest" && scb_mark "$dest" "icount lane" || return 2
	VM_CACHE=${VM_CACHE:-$here/build/vm} VM_DEST=$dest VM_TAG=$tag VM_KERNEL_META=$k \
		"$here/scripts/vm/vm-run.sh" "$b" icount >"$dest.log" 2>&1
}

# icl_build_commit COMMIT DIR: export COMMIT (a commit of this repository)
# into DIR/src and build its harness and guest images there; prints the
# build folder. The export names its commit (GIT_COMMIT), so its env.csv does.
icl_build_commit() {
	local c=$1 d=$2 full
	full=$(git -C "$here" rev-parse --verify -q "$c^{commit}") || return 1
	rm -rf "$d/src"
	mkdir -p "$d/src"
	git -C "$here" archive "$full" | tar -x -C "$d/src" || return 1
	# its own build folder, whatever BUILD the caller has in its environment
	# (and a plain build, whatever make flags the caller runs under: SAN=1)
	MAKEFLAGS= MAKELEVEL= make -C "$d/src" -s -j2 BUILD="$d/src/build" SAN= GIT_COMMIT="${full:0:12}" all vm-images >"$d/build.log" 2>&1 || return 1
	echo "$d/src/build"
}

# Rows whose count is exact for one build on one kernel but moves with the
# harness's code layout: io_uring's. Measured (README): batch64 reads 283.56
# or 284.11 instructions per operation on the Intel model, same kernel and
# QEMU, for two builds whose only difference is unrelated C code in the
# harness; 4 of 4 boots of each build repeat it to the last digit. Those
# rows are compared within 1 instruction, every other row exactly.
ICOUNT_LOOSE=${ICOUNT_LOOSE:-'^x86_64/io_uring/'}

# icl_has_loose RUN: does RUN have an ok row of ICOUNT_LOOSE's?
icl_has_loose() {
	scb_tsv --columns name,status --where status=ok "$1" |
		LOOSE=$ICOUNT_LOOSE awk -F'\t' 'NR > 1 && $1 ~ ENVIRON["LOOSE"] { f = 1 } END { exit !f }'
}
# icl_moved: how many rows of compare's Markdown table (stdin) moved either way
icl_moved() { grep -cE '^\| .* \| (\*\*REGRESSION\*\*|improvement) \|$'; }
# icl_lost BASE NEW: the rows ok in BASE that are missing or not ok in NEW,
# one "row base-status -> new-status" line each (compare reports them as not
# compared and exits 0; a gate must not: a row that broke is a change)
icl_lost() {
	local s
	s=$(scb_tsv --columns name,status "$2" | tail -n +2) || return 2
	scb_tsv --columns name,status --where status=ok "$1" | tail -n +2 |
		NEW=$s awk -F'\t' 'BEGIN { n = split(ENVIRON["NEW"], l, "\n"); for (i = 1; i <= n; i++) { split(l[i], f, "\t"); st[f[1]] = f[2] } }
			!($1 in st) { print $1 " ok -> gone"; next } st[$1] != "ok" { print $1 " ok -> " st[$1] }'
}
# icl_compare SCBENCH BASE NEW [COMPARE OPTIONS...]: every row exactly but
# ICOUNT_LOOSE's (within 1), and no row that was ok may be lost. Prints
# compare's output (and the lost rows); returns the worst status (0 same,
# 1 a row moved or was lost, 2 bad input).
icl_compare() {
	local bin=$1 a=$2 b=$3 r1=0 r2=0 r3=0 lost
	shift 3
	"$bin" compare --exclude "$ICOUNT_LOOSE" "$@" "$a" "$b" 2>&1 || r1=$?
	if icl_has_loose "$a"; then
		echo
		"$bin" compare --filter "$ICOUNT_LOOSE" "$@" --tolerance 1 "$a" "$b" 2>&1 || r2=$?
		# no loose row in NEW is no comparison: compare says so (exit 2),
		# and the lost rows below say which
		[ $r2 -eq 2 ] && ! icl_has_loose "$b" && r2=1
	fi
	lost=$(icl_lost "$a" "$b") || r3=2
	if [ -n "$lost" ]; then
		printf '\nLOST (ok in the base, not in the new run):\n%s\n' "$(printf '%s\n' "$lost" | sed 's/^/  /')"
		r3=1
	fi
	local r=$r1
	[ $r2 -gt $r ] && r=$r2
	[ $r3 -gt $r ] && r=$r3
	return $r
}
# icl_moved_rows: the names of the rows that moved, from compare's Markdown
# table on stdin (as icl_moved counts them), one a line
icl_moved_rows() {
	grep -E '^\| .* \| (\*\*REGRESSION\*\*|improvement) \|$' | awk -F' [|] ' '{ sub(/^[|] /, "", $1); print $1 }'
}
# icl_profile_diff BASE-BUILD BASE-TRACE-DIR HEAD-BUILD HEAD-TRACE-DIR DEST ROWS:
# where the moved rows' instructions went. Profiles scbench's own x86_64
# kernels (scripts/vm/vm-profile.sh, VM_PROFILE_KERNELS=1: the code the icount
# lane times, so a change to a kernel shows) with each side's trace guest
# (a BUILD/vm-trace folder) into DEST/base and DEST/head, then prints
# scbench compare of the two restricted to ROWS (names, one a line): per
# function, the change in instructions per call. VM_KERNEL_META,
# VM_APPEND and VM_VENDORS apply to both sides (VM_BASE_APPEND to the base).
# Rows the kernel rows do not cover are named as such. 0 printed, 1 not.
icl_profile_diff() {
	local bb=$1 bt=$2 hb=$3 ht=$4 dest=$5 rows=$6 re r cov="" miss=""
	for d in "$bt" "$ht"; do
		if ! nm "$d/init" 2>/dev/null | grep -q ' scbt_k_'; then
			echo "(no per-function profile: $d/init has no kernel rows; make trace-images on both sides)"
			return 1
		fi
	done
	for r in $rows; do
		case $r in
		x86_64/syscall/getppid|x86_64/syscall/enosys|x86_64/int80/getppid|x86_64/vdso/clock_gettime) cov="$cov|$r" ;;
		*) miss="$miss $r" ;;
		esac
	done
	[ -n "$miss" ] && echo "(not profiled: the profile's kernel rows cover x86_64 syscall getppid and enosys, int80 getppid, vdso clock_gettime; moved too:$miss)"
	[ -n "$cov" ] || return 1
	re="^(${cov#|})\$"
	VM_APPEND=${VM_BASE_APPEND:-${VM_APPEND:-}} VM_TRACE_DIR=$bt VM_PROFILE_KERNELS=1 \
		"$here/scripts/vm/vm-profile.sh" "$bb" "$dest/base" >"$dest/base.log" 2>&1 &&
		VM_TRACE_DIR=$ht VM_PROFILE_KERNELS=1 "$here/scripts/vm/vm-profile.sh" "$hb" "$dest/head" >"$dest/head.log" 2>&1 || {
		echo "(no per-function profile: vm-profile.sh failed, see $dest/base.log and $dest/head.log)"
		return 1
	}
	echo "Where the instructions went (per function, instructions per call; scbench's kernels profiled):"
	"$hb/scbench" compare --filter "$re" "$dest/base" "$dest/head"
	[ $? -le 1 ]
}
