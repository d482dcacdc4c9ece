#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench-history.sh BUILD RESULTS [SERIES]: guest instructions per call across
# every kernel of each series the Debian archive still offers (SERIES,
# default bench/history.series), both vendors' CPU models under QEMU's
# instruction counter (scripts/vm/vm-run.sh icount, one lane per kernel), and
# the change points: where in a series a row's count moved. All of it goes
# into one new folder RESULTS/<host>-history-<UTC time>/:
#   kernels.csv   series, package, version, status, reason, deb_bytes
#   history.csv   series, package, version, cpu_vendor, abi, mechanism,
#                 syscall, status, icount, reason; a kernel that could not be
#                 fetched or whose guest did not finish is one row per vendor
#                 with abi/mechanism/syscall empty, status not-in-archive,
#                 fetch-failed or no-boot, and the reason
#   changes.csv   each change point: series, from/to package and version,
#                 cpu_vendor, row, from/to status and icount, delta
#   kernels/NNN/  each kernel's lane ({intel,amd}/ results folders, NNN.log;
#                 NNN its place in order.tsv) and its fragments of the CSVs
#   profiles/     with HISTORY_PROFILE=1: the per-function profile of the two
#                 kernels at each change point (scripts/vm/vm-profile.sh) and
#                 their diff (scbench compare), for the moved rows it covers
#   plots/        one trend plot per ABI and mechanism (png, svg)
#   report.md     the change points, the plots, the profile diffs
#   timing.csv    what differs from run to run: fetched (1: downloaded by
#                 this run), fetch_s, lane_s
#   order.tsv, identity.txt, run.txt   the kernel list, the setup (build,
#                 guest image, QEMU, lock, vendors, boot options), the totals
# SHARD=I/N runs every Nth kernel from the Ith; bench-history.sh --merge OUT
# DIR... joins such shards (refusing shards of another setup or kernel list)
# and --report DIR redoes the analysis of a folder. Exit: 0, 1 when a kernel
# the archive has could not be fetched or booted, 2 bad input.
# Knobs: HISTORY_SERIES (the series to run, by name; default all),
# HISTORY_PROFILE (1: profile the change points; default 0),
# HISTORY_PROFILE_ROWS (an ERE: the rows whose moves are profiled; default
# the getppid and enosys rows of the entry instructions), VM_VENDORS,
# VM_TIMEOUT (per guest; default 120 s here: a kernel that hangs must not
# eat the budget), VM_CACHE (the shared kernel cache; default build/vm of
# this repository, as the count gate's, so each .deb is fetched once).
#
# A count "moved" when it differs by 0.01 or more (the counts are exact:
# two runs of one build on one kernel agree to the last digit), except the
# rows of ICOUNT_LOOSE (io_uring, scripts/vm/icount-lib.sh), whose count moves
# with code layout and is compared within 1, and getrandom's (HISTORY_RANDOM,
# within 2, below). A status that changes (a row that became unsupported) is
# a change point too; noisy counts as ok (its median is still exact).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/scripts/vm/icount-lib.sh"
say() { scb_line "scbench history" "$@"; }
die() { say "$@"; exit 2; }
usage="usage: bench-history.sh BUILD RESULTS [SERIES], bench-history.sh --report DIR [BUILD], or bench-history.sh --merge OUT SHARD-DIR... [--build BUILD]"
is_history() { scb_marked "$1" && [ -s "$1/history.csv" ] && [ -s "$1/kernels.csv" ] && [ -s "$1/run.txt" ]; }
build=$here/build
if [ "${1:-}" = --report ]; then
	# the analysis again (change points, profiles, plots, report) from a
	# history folder's kernels.csv, history.csv and run.txt: no lane is run
	mode=report
	[ $# -ge 2 ] && [ $# -le 3 ] || die "$usage"
	out=$2 build=${3:-$build}
	is_history "$out" || die "$out: not a bench-history folder (no marker, history.csv, kernels.csv or run.txt)"
	results=$(dirname "$out")
elif [ "${1:-}" = --merge ]; then
	# shards (SHARD=I/N runs) into one folder, as one run would have written it
	mode=merge
	[ $# -ge 3 ] || die "$usage"
	out=$2
	shift 2
	shards=()
	while [ $# -gt 0 ]; do
		if [ "$1" = --build ]; then [ $# -ge 2 ] || die "$usage"; build=$2; shift 2; continue; fi
		is_history "$1" && [ -s "$1/order.tsv" ] && [ -s "$1/identity.txt" ] || die "$1: not a bench-history shard (no marker, history.csv, order.tsv or identity.txt)"
		shards+=("$1")
		shift
	done
	[ ${#shards[@]} -ge 1 ] || die "$usage"
	{ [ -e "$out" ] || [ -L "$out" ]; } && die "$out exists: the merge makes a new folder"
	results=$(dirname "$out")
else
	mode=run
	[ $# -ge 2 ] && [ $# -le 3 ] || die "$usage"
	build=$1 results=$2 series_file=${3:-$here/bench/history.series}
	[ -r "$series_file" ] && [ -f "$series_file" ] || die "$series_file: not a readable file"
	[ -n "$results" ] || die "RESULTS is empty"
	# SHARD=I/N: every Nth kernel of the listed series from the Ith, for
	# machines that share the work; --merge joins their folders
	shard=${SHARD:-1/1}
	[[ $shard =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] && [ "${BASH_REMATCH[1]}" -le "${BASH_REMATCH[2]}" ] ||
		die "SHARD='$shard': I/N with 1 <= I <= N (SHARD=2/8: every 8th kernel from the 2nd)"
	shard_i=${BASH_REMATCH[1]} shard_n=${BASH_REMATCH[2]}
fi
[ -x "$build/scbench" ] || die "$build/scbench: not built (make BUILD=$build)"
# the tables (the guests' summaries, the lane's own CSVs) are read by that
# build (scb_tsv: scbench export --format tsv)
export SCBENCH=${SCBENCH:-$build/scbench}
export VM_CACHE=${VM_CACHE:-$here/build/vm}
export VM_TIMEOUT=${VM_TIMEOUT:-120}
vendors=${VM_VENDORS:-intel amd}
why=$(scb_vm_knobs "$vendors" "$VM_TIMEOUT") || die "$why"
profile=${HISTORY_PROFILE:-0}
case $profile in 0|1) ;; *) die "HISTORY_PROFILE='$profile': 0 or 1" ;; esac
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found (make deps installs qemu-system-x86)"
command -v apt-cache >/dev/null || die "apt-cache not found: the series are listed from the Debian archive"
valid_name() { [[ $1 =~ ^[a-z0-9][a-z0-9.+-]*$ ]]; }
valid_version() { [[ $1 =~ ^[0-9A-Za-z.+~:-]+$ ]]; }
q() { local s=$1; printf '"%s"' "${s//\"/\"\"}"; } # one CSV field, quotes doubled
pid_of() { echo "$1" | tr -c 'A-Za-z0-9.+~_\n-' _; } # PACKAGE=VERSION as a file name

# read_run DIR: the run's totals from DIR/run.txt, each value checked
read_run() {
	local k v
	while IFS='=' read -r k v; do
		case $k in
		vendors) why=$(scb_vm_knobs "$v" 1) || die "$1/run.txt: $why"; vendors=$v ;;
		kernels|elapsed|fetch_s|nfetched|fetched_bytes|lanes_s)
			[[ $v =~ ^[0-9]+$ ]] || die "$1/run.txt: $k='$v' is not a number"
			printf -v "$k" %s "$v" ;;
		esac
	done <"$1/run.txt"
	nk=${kernels:-0}
}
# assemble DIR: kernels.csv, history.csv and timing.csv from the kernels'
# fragments, in the series' order (NNN is the kernel's place in order.tsv).
# Only timing.csv holds what differs from run to run (seconds, whether this
# run downloaded the kernel): the other two are equal, byte for byte, for
# equal counts, sharded or not.
assemble() {
	local d=$1
	{
		echo "series,package,version,status,reason,deb_bytes"
		cat "$d"/kernels/[0-9][0-9][0-9].kern | awk -F'\t' '{ r = $5; gsub(/"/, "\"\"", r); printf "%s,%s,%s,%s,\"%s\",%s\n", $1, $2, $3, $4, r, $6 }'
	} >"$d/kernels.csv"
	{
		echo "series,package,version,cpu_vendor,abi,mechanism,syscall,status,icount,reason"
		cat "$d"/kernels/[0-9][0-9][0-9].hist | awk -F'\t' '{ r = $10; gsub(/"/, "\"\"", r); printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,\"%s\"\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, r }'
	} >"$d/history.csv"
	{
		echo "series,package,version,fetched,fetch_s,lane_s"
		cat "$d"/kernels/[0-9][0-9][0-9].time | tr '\t' ,
	} >"$d/timing.csv"
}
# merge_shards OUT SHARD...: the shards' kernels into OUT, refusing shards
# of another scbench build, guest image, QEMU, lock file, vendors, boot
# options or kernel list, a shard given twice or one missing
merge_shards() {
	local o=$1 d first k v n="" seen=" " i sn
	shift
	first=$1
	for d in "$@"; do
		if ! cmp -s "$first/identity.txt" "$d/identity.txt"; then
			die "$d was made with another setup than $first: $(diff "$first/identity.txt" "$d/identity.txt" | grep '^[<>]' | tr '\n' ' ')"
		fi
		cmp -s "$first/order.tsv" "$d/order.tsv" || die "$d lists other kernels than $first (order.tsv differs: the archive moved between them?)"
		sn=$(sed -n 's/^shard=//p' "$d/run.txt")
		[[ $sn =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] || die "$d/run.txt: no shard=I/N"
		i=${BASH_REMATCH[1]}
		[ -z "$n" ] && n=${BASH_REMATCH[2]}
		[ "${BASH_REMATCH[2]}" = "$n" ] || die "$d is shard $sn, the others of $n"
		[[ $seen == *" $i "* ]] && die "$d: shard $sn given twice"
		seen="$seen$i "
	done
	for ((i = 1; i <= n; i++)); do [[ $seen == *" $i "* ]] || die "shard $i/$n is missing"; done
	mkdir -p "$o" || die "$o: cannot create"
	chmod 755 "$o"
	scb_mark "$o" history
	cp "$first/order.tsv" "$first/identity.txt" "$o/"
	[ -f "$first/history.series" ] && cp "$first/history.series" "$o/"
	mkdir -p "$o/kernels"
	local el=0 fs=0 nf=0 fb=0 ls=0 nk=0
	for d in "$@"; do
		cp -r "$d/kernels/." "$o/kernels/" || die "$d/kernels: cannot copy"
		while IFS='=' read -r k v; do
			[[ $v =~ ^[0-9]+$ ]] || continue
			case $k in
			elapsed) [ "$v" -gt $el ] && el=$v ;; # the shards ran side by side
			fetch_s) fs=$((fs + v)) ;; nfetched) nf=$((nf + v)) ;; fetched_bytes) fb=$((fb + v)) ;;
			lanes_s) ls=$((ls + v)) ;; kernels) nk=$((nk + v)) ;;
			esac
		done <"$d/run.txt"
	done
	assemble "$o"
	printf 'vendors=%s\nkernels=%s\nelapsed=%s\nfetch_s=%s\nnfetched=%s\nfetched_bytes=%s\nlanes_s=%s\nshard=merged %s\n' \
		"$(sed -n 's/^vendors=//p' "$o/identity.txt")" "$nk" "$el" "$fs" "$nf" "$fb" "$ls" "$n" >"$o/run.txt"
	say "merged $# shards of $n into $o"
}

if [ "$mode" = run ]; then
	# ---- the series: name -> its kernels, oldest first ---------------------------
	# ver_sort: "PACKAGE VERSION" lines on stdin, printed in Debian version order
	# (insertion sort by dpkg --compare-versions: a series is tens of kernels,
	# and sort -V gets '~' wrong)
	ver_sort() {
		local -a l=()
		local p v i j
		while read -r p v; do
			i=${#l[@]}
			while [ "$i" -gt 0 ] && dpkg --compare-versions "${l[i - 1]#* }" gt "$v"; do
				l[i]=${l[i - 1]}
				i=$((i - 1))
			done
			l[i]="$p $v"
		done
		for j in "${l[@]}"; do echo "$j"; done
	}
	# list_series KIND ARGS...: "PACKAGE VERSION" of every kernel in the series
	list_series() {
		local kind=$1 p v prefix re
		local -a pk
		shift
		case $kind in
		archive)
			[ $# -eq 2 ] || return 2
			prefix=$1 re=$2
			# one apt-cache madison for the whole series (each apt-cache call
			# reads the package lists: ~0.8 s here)
			mapfile -t pk < <(apt-cache pkgnames "$prefix" 2>/dev/null | LC_ALL=C sort -u |
				while read -r p; do [[ $p =~ ^($re)$ ]] && valid_name "$p" && echo "$p"; done)
			[ ${#pk[@]} -gt 0 ] || return 0
			apt-cache madison "${pk[@]}" 2>/dev/null | awk -F'|' '{ gsub(/ /, ""); print $1, $2 }' | sort -u |
				while read -r p v; do valid_name "$p" && valid_version "$v" && echo "$p $v"; done | ver_sort
			;;
		exact)
			[ $# -ge 1 ] || return 2
			for p in "$@"; do
				[[ $p == *=* ]] || return 2
				v=${p#*=} p=${p%%=*}
				valid_name "$p" && valid_version "$v" || return 2
				echo "$p $v"
			done
			;;
		*) return 2 ;;
		esac
	}

	want_series=" ${HISTORY_SERIES:-} "
	declare -a K_SERIES=() K_PKG=() K_VER=()
	nseries=0
	while read -r name kind args; do
		case $name in ""|\#*) continue ;; esac
		[[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "$series_file: series name '$name': letters, digits, '.', '_' and '-' only"
		[ "$want_series" = "  " ] || [[ $want_series == *" $name "* ]] || continue
		# shellcheck disable=SC2086 # the words of the line are the arguments
		lst=$(list_series "$kind" $args) || die "$series_file: series $name: '$kind $args' is not 'archive PREFIX REGEX' or 'exact PKG=VER...'"
		[ -n "$lst" ] || die "series $name: the archive lists no kernel for '$args' (apt-get update?)"
		nseries=$((nseries + 1))
		while read -r p v; do
			K_SERIES+=("$name") K_PKG+=("$p") K_VER+=("$v")
		done <<<"$lst"
	done <"$series_file"
	[ $nseries -gt 0 ] || die "$series_file: no series${HISTORY_SERIES:+ named '$HISTORY_SERIES'}"
	nk=${#K_PKG[@]}

	# the .deb sizes, one apt-cache show for all (a kernel the archive lacks
	# has none: its row says why below)
	declare -A K_SIZE=()
	specs=()
	for ((i = 0; i < nk; i++)); do specs+=("${K_PKG[i]}=${K_VER[i]}"); done
	while read -r p v sz; do K_SIZE[$p=$v]=$sz; done < <(apt-cache show "${specs[@]}" 2>/dev/null |
		awk '$1 == "Package:" { p = $2 } $1 == "Version:" { v = $2 } $1 == "Size:" { print p, v, $2 }')

	mkdir -p "$results" || die "$results: cannot create"
	host=$(hostname 2>/dev/null | tr -c 'A-Za-z0-9._\n-' _)
	out=$(mktemp -d "$results/${host:-host}-history-$(date -u +%Y%m%dT%H%M%SZ)-XXXX") || die "cannot create a folder in $results"
	chmod 755 "$out"
	scb_mark "$out" history
	cp "$series_file" "$out/history.series"
	say "$nk kernels in $nseries series$([ "$shard_n" -gt 1 ] && echo ", shard $shard_i/$shard_n"), vendors: $vendors; results in $out"

	# order.tsv: every kernel of the series, sharded or not (the merge checks
	# that its shards listed the same); identity.txt: what must be equal for
	# counts to be comparable (the merge refuses shards that differ in it)
	for ((i = 0; i < nk; i++)); do printf '%s\t%s\t%s\n' "${K_SERIES[i]}" "${K_PKG[i]}" "${K_VER[i]}"; done >"$out/order.tsv"
	{
		echo "scbench=$("$build/scbench" --version 2>/dev/null | head -n 1)"
		echo "guest_image_sha256=$(sha256sum <"$build/vm/initrd.cpio" | cut -d' ' -f1)"
		echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
		echo "kernels_lock_sha256=$(sha256sum <"${SCB_KERNELS_LOCK:-$here/bench/kernels.lock}" 2>/dev/null | cut -d' ' -f1)"
		echo "vendors=$vendors"
		echo "boot_options=${VM_APPEND:-}"
	} >"$out/identity.txt"

	# ---- each kernel: fetch (once, into the shared cache), then its lane ---------
	# Each kernel leaves its fragments in kernels/NNN.{kern,hist,time}; the
	# CSVs are assembled from them in order (assemble, below), the same way
	# for one run and for the merge of shards.
	start=$(date +%s)
	fetch_s=0 lanes_s=0 fetched_bytes=0 nfetched=0 nrun=0
	mkdir -p "$out/kernels"
	for ((i = 0; i < nk; i++)); do
		[ $((i % shard_n)) -eq $((shard_i - 1)) ] || continue
		nrun=$((nrun + 1))
		s=${K_SERIES[i]} p=${K_PKG[i]} v=${K_VER[i]}
		nn=$(printf %03d $((i + 1)))
		kdir=$out/kernels/$nn
		hist=$out/kernels/$nn.hist
		: >"$hist"
		size=${K_SIZE[$p=$v]:-}
		cached=0
		[ -s "$VM_CACHE/kernels/$p=$v/vmlinuz" ] && cached=1
		t0=$(date +%s)
		st="" reason="" lane=""
		"$here/scripts/vm/vm-kernel.sh" "$VM_CACHE" "$p=$v" >/dev/null 2>"$out/kernels/$nn.fetch.log"
		rc=$?
		t1=$(date +%s)
		got=0
		if [ $rc -eq 0 ] && [ $cached -eq 0 ]; then
			got=1 nfetched=$((nfetched + 1)) fetched_bytes=$((fetched_bytes + ${size:-0})) fetch_s=$((fetch_s + t1 - t0))
		fi
		case $rc in
		0) ;;
		3) st=not-in-archive ;;
		*) st=fetch-failed ;;
		esac
		[ -n "$st" ] && reason=$(grep -v '^[[:space:]]*$' "$out/kernels/$nn.fetch.log" | tail -n 1 | sed 's/^scbench: //' | cut -c1-200)
		if [ -z "$st" ]; then
			VM_VENDORS=$vendors icl_lane "$build" "$kdir" "$p=$v" "hist-$nn"
			t2=$(date +%s)
			lane=$((t2 - t1)) lanes_s=$((lanes_s + t2 - t1))
			nok=0
			for vd in $vendors; do
				if [ -s "$kdir/$vd/summary.csv" ]; then
					nok=$((nok + 1))
					scb_tsv --columns abi,mechanism,syscall,status,icount,reason "$kdir/$vd/summary.csv" |
						awk -F'\t' -v s="$s" -v p="$p" -v v="$v" -v vd="$vd" 'NR > 1 { print s "\t" p "\t" v "\t" vd "\t" $0 }' >>"$hist"
				else
					# the lane's own verdict line for this vendor: why it gave nothing
					r=$(sed -n "s/^not ok [0-9]* - \[$vd\] guest finished with a pass verdict and its sentinel (\(.*\))\$/\1/p" "$kdir.log" | head -n 1)
					[ -n "$r" ] || r=$(grep '^not ok' "$kdir.log" | head -n 1 | sed 's/^not ok [0-9]* - //')
					printf '%s\t%s\t%s\t%s\t\t\t\tno-boot\t\t%s\n' "$s" "$p" "$v" "$vd" "${r:-the lane gave no results (see kernels/$nn.log)}" >>"$hist"
				fi
			done
			[ $nok -eq 0 ] && st=no-boot reason="no guest finished (see kernels/$nn.log)"
			[ -z "$st" ] && st=ok
			[ $nok -gt 0 ] && [ $nok -lt "$(echo "$vendors" | wc -w)" ] && st=partial
		else
			for vd in $vendors; do
				printf '%s\t%s\t%s\t%s\t\t\t\t%s\t\t%s\n' "$s" "$p" "$v" "$vd" "$st" "$reason" >>"$hist"
			done
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$p" "$v" "$st" "$(printf '%s' "$reason" | tr '\t\n' '  ')" "${size:-}" >"$out/kernels/$nn.kern"
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$p" "$v" "$got" "$([ $got -eq 1 ] && echo $((t1 - t0)))" "$lane" >"$out/kernels/$nn.time"
		say "$((i + 1))/$nk $s $p=$v: $st$([ $got -eq 1 ] && echo ", fetched ${size:-?} bytes in $((t1 - t0)) s")${lane:+, lane $lane s}${reason:+: $reason}"
	done
	elapsed=$(( $(date +%s) - start ))
	assemble "$out"
	# what the report needs from this run, for bench-history.sh --report
	printf 'vendors=%s\nkernels=%s\nelapsed=%s\nfetch_s=%s\nnfetched=%s\nfetched_bytes=%s\nlanes_s=%s\nshard=%s\n' \
		"$vendors" "$nrun" "$elapsed" "$fetch_s" "$nfetched" "$fetched_bytes" "$lanes_s" "$shard_i/$shard_n" >"$out/run.txt"
	nk=$nrun
elif [ "$mode" = merge ]; then
	merge_shards "$out" "${shards[@]}"
	read_run "$out"
else
	read_run "$out"
fi
# ---- the change points -------------------------------------------------------
# getrandom on 6.12 is not repeatable to the instruction: two runs of each
# 6.12 kernel differed by up to 1.5 instructions per call (its batched
# entropy is refilled on a schedule of its own; the trace lane sees the same,
# "no two loops agree"), where 6.1's agreed exactly; its rows move at 2.
HISTORY_RANDOM=${HISTORY_RANDOM:-'^x86_64/syscall/getrandom_'}
# history.csv is in kernel order within each series (the order above); each
# row and vendor is followed along its series, comparing each kernel with
# the last one where that vendor's guest gave results.
scb_tsv --columns series,package,version,cpu_vendor,abi,mechanism,syscall,status,icount "$out/history.csv" |
	LOOSE=$ICOUNT_LOOSE RANDROWS=$HISTORY_RANDOM awk -F'\t' '
	NR == 1 { next }
	$8 == "no-boot" || $8 == "not-in-archive" || $8 == "fetch-failed" { next }
	# a noisy row (a timer tick in too many samples) still has its median
	$8 == "noisy" { $8 = "ok" }
	{
		key = $1 SUBSEP $4 SUBSEP $5 SUBSEP $6 SUBSEP $7; row = $5 "/" $6 "/" $7
		if (key in pst) {
			tol = row ~ ENVIRON["LOOSE"] ? 1 : row ~ ENVIRON["RANDROWS"] ? 2 : 0.005
			moved = pst[key] != $8 || ($8 == "ok" && ($9 - pic[key] > tol || pic[key] - $9 > tol))
			if (moved) {
				d = ($8 == "ok" && pst[key] == "ok") ? sprintf("%+.2f", $9 - pic[key]) : ""
				printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", $1, ppk[key], pvr[key], $2, $3, $4, $5, $6, $7, pst[key], $8, pic[key], $9, d
			}
		}
		pst[key] = $8; pic[key] = $9; ppk[key] = $2; pvr[key] = $3
	}' >"$out/changes.part"
{
	echo "series,from_package,from_version,to_package,to_version,cpu_vendor,abi,mechanism,syscall,from_status,to_status,from_icount,to_icount,delta"
	cat "$out/changes.part"
} >"$out/changes.csv"
rm -f "$out/changes.part"
nchanges=$(($(wc -l <"$out/changes.csv") - 1))
npoints=$(scb_tsv --columns series,from_package,from_version,to_package,to_version "$out/changes.csv" | tail -n +2 | sort -u | wc -l)

# ---- the per-function diff at each change point (HISTORY_PROFILE=1) ----------
# The profile lane covers the trace guest's rows (the entry paths, the vDSO,
# the vsyscall page), and a profile costs two guests under QEMU's exec
# trace (~25 s of CPU): so only the change points where a row matching
# HISTORY_PROFILE_ROWS moved are profiled, each kernel once, and the diff
# (scbench compare of the two profiles) is of the rows that moved there.
prof_s=0 nprof=0
prof_rows=${HISTORY_PROFILE_ROWS:-'^(x86_64|i386)/(syscall|int80|sysenter|kernel_vsyscall)/(getppid|enosys)$'}
if [ "$profile" = 1 ] && [ "$npoints" -gt 0 ]; then
	mkdir -p "$out/profiles"
	tp=$(date +%s)
	scb_tsv --columns from_package,from_version,to_package,to_version,abi,mechanism,syscall "$out/changes.csv" |
		ROWS=$prof_rows awk -F'\t' 'NR > 1 && ($5 "/" $6 "/" $7) ~ ENVIRON["ROWS"] {
			k = $1 "=" $2 "\t" $3 "=" $4; r = "^" $5 "/" $6 "/" $7 "$"
			# (awk makes re[k] on the left of an assignment before the right
			# side is read: so whether k is new is settled first)
			if (!(k in re)) { ks[++n] = k; re[k] = r; next }
			if (!index("|" re[k] "|", "|" r "|")) re[k] = re[k] "|" r
		}
		END { for (i = 1; i <= n; i++) print ks[i] "\t" re[ks[i]] }' >"$out/profiles/points.tsv"
	while IFS=$'\t' read -r ka kb re; do
		for k in "$ka" "$kb"; do
			d=$out/profiles/$(pid_of "$k")
			[ -e "$d" ] && continue
			if ! VM_VENDORS=$vendors VM_KERNEL_META=$k "$here/scripts/vm/vm-profile.sh" "$build" "$d" >"$d.log" 2>&1; then
				# its reason, for the report: vm-profile.sh's own lines
				grep -E '^vm-(trace|profile): .*(fail|agree|differ|refus)' "$d.log" | head -n 3 >"$d.failed"
				say "profile of $k failed (see profiles/$(basename "$d").log)"
			fi
		done
		a=$out/profiles/$(pid_of "$ka") b=$out/profiles/$(pid_of "$kb")
		diff=$out/profiles/$(pid_of "${ka#*=}")..$(pid_of "${kb#*=}")
		if [ -s "$a/profile.csv" ] && [ -s "$b/profile.csv" ]; then
			# compare exits 1 when a row's count rose: a finding, not a failure
			"$build/scbench" compare --filter "$re" "$a" "$b" >"$diff.txt" 2>&1
			[ $? -le 1 ] || say "scbench compare of the profiles of $ka and $kb failed: $(tail -n 1 "$diff.txt")"
			nprof=$((nprof + 1))
		else
			echo "no profile of $([ -s "$a/profile.csv" ] || echo "$ka ")$([ -s "$b/profile.csv" ] || echo "$kb")(see profiles/*.log)" >"$diff.txt"
		fi
	done <"$out/profiles/points.tsv"
	prof_s=$(( $(date +%s) - tp ))
fi

# ---- the trend plots: one per ABI and mechanism ------------------------------
mkdir -p "$out/plots"
pl=$out/plots
# x positions: kernels numbered in order across the series; a gap of one
# between series so that 6.1's last and 6.12's first are not joined
scb_tsv --columns series,package,version "$out/kernels.csv" |
	awk -F'\t' 'NR > 1 { if ($1 != last && NR > 2) x++; last = $1; x++; v = $3; sub(/~deb[0-9]+u[0-9]+$/, "", v); print x "\t" v "\t" $2 "\t" $3 }' >"$pl/ticks.tsv"
cut -f1,2 "$pl/ticks.tsv" >"$pl/ticks.dat"
scb_tsv --columns abi,mechanism --where status=ok "$out/history.csv" | tail -n +2 | sort -u >"$pl/mechanisms"
plotted=0
while IFS=$'\t' read -r abi mech; do
	base=$abi-$mech
	logy=$(scb_tsv --columns series,package,version,cpu_vendor,abi,mechanism,syscall,status,icount "$out/history.csv" |
		awk -F'\t' -v abi="$abi" -v mech="$mech" -v vendors="$vendors" -v tf="$pl/ticks.tsv" -v dat="$pl/$base.dat" '
		BEGIN {
			while ((getline l < tf) > 0) { split(l, t, "\t"); xof[t[3] SUBSEP t[4]] = t[1] }
			nv = split(vendors, V, " ")
		}
		NR == 1 || $5 != abi || $6 != mech { next }
		# a row that never ran on any kernel or vendor has no line to draw
		$8 == "ok" && !($7 in seen) { seen[$7] = 1; rows[++nr] = $7 }
		$8 == "ok" { k = ++n[$7, $4]; val[$7, $4, k] = xof[$2 SUBSEP $3] "\t" $9; ser[$7, $4, k] = $1; if ($9 > max) max = $9; if (min == "" || $9 < min) min = $9 }
		END {
			for (i = 1; i <= nr; i++) for (j = 1; j <= nv; j++) {
				printf "%s %s\n", rows[i], (V[j] == "intel" ? "Intel" : "AMD") > dat
				if (n[rows[i], V[j]] == 0) print "0\tNaN" > dat
				for (k = 1; k <= n[rows[i], V[j]]; k++) {
					# a blank line between series: the line does not join them
					if (k > 1 && ser[rows[i], V[j], k] != ser[rows[i], V[j], k - 1]) print "" > dat
					print val[rows[i], V[j], k] > dat
				}
				printf "\n\n" > dat
			}
			print (min > 0 && max / min > 8) ? 1 : 0
		}')
	# the change points of this mechanism, halfway between the two kernels
	changes=$(scb_tsv --columns from_package,from_version,to_package,to_version,abi,mechanism "$out/changes.csv" |
		awk -F'\t' -v abi="$abi" -v mech="$mech" -v tf="$pl/ticks.tsv" '
		BEGIN { while ((getline l < tf) > 0) { split(l, t, "\t"); xof[t[3] SUBSEP t[4]] = t[1] } }
		NR > 1 && $5 == abi && $6 == mech { x = (xof[$1 SUBSEP $2] + xof[$3 SUBSEP $4]) / 2; if (!(x in s)) { s[x] = 1; printf "%s%s", sep, x; sep = " " } }')
	if command -v gnuplot >/dev/null; then
		for ext in png svg; do
			# names relative to the plots folder: gnuplot runs a file name that
			# starts with '<' as a command, and RESULTS is the user's to name
			(cd "$pl" && gnuplot -c "$here/plots/kernel-history.gp" "$base.dat" ticks.dat "$base.$ext" \
				"$abi $mech (Intel model solid, AMD model dashed)" \
				"$changes" "$logy") 2>"$pl/gnuplot.err" ||
				say "plots/kernel-history.gp failed for $base: $(tail -n 1 "$pl/gnuplot.err")"
		done
		[ -s "$pl/$base.png" ] && plotted=$((plotted + 1))
	fi
done <"$pl/mechanisms"
rm -f "$pl/gnuplot.err"
command -v gnuplot >/dev/null || say "gnuplot not found: no plots (make deps installs it)"

# ---- the report ----------------------------------------------------------------
nkern_ok=$(scb_tsv --columns status --where status=ok "$out/kernels.csv" | tail -n +2 | wc -l)
{
	echo "# scbench history: guest instructions per call across kernels"
	echo
	echo "Every kernel of each series the Debian archive offered on $(date -u +%Y-%m-%d), booted in QEMU TCG"
	echo "guests under \`-icount shift=0\` on the $(echo "$vendors" | sed 's/intel/Intel/; s/amd/AMD/; s/ / and /') CPU models: exact guest"
	echo "instructions per call, user and kernel (not time: a CR3 switch or a VERW counts as one"
	echo "instruction whatever it costs on silicon). $nk kernels ($nkern_ok booted on every vendor), $((elapsed + prof_s)) s"
	echo "(downloads ${fetch_s} s for $nfetched kernels, $((fetched_bytes / 1000000)) MB; lanes ${lanes_s} s; profiles ${prof_s} s)."
	echo "QEMU: $(qemu-system-x86_64 --version | head -n 1 | sed 's/^QEMU emulator version //'). A count moved when it changed by 0.01"
	echo "or more (io_uring's by more than 1: its count moves with code layout; getrandom's by more than 2:"
	echo "on 6.12 two runs differ by up to 1.5)."
	echo
	echo "## Kernels"
	echo
	echo "| series | package | version | status |"
	echo "|---|---|---|---|"
	scb_tsv --columns series,package,version,status,reason "$out/kernels.csv" |
		awk -F'\t' 'NR > 1 { printf "| %s | %s | %s | %s%s |\n", $1, $2, $3, $4, ($5 != "" ? ": " $5 : "") }' | sed 's/\([^ ]\)|\([^ ]\)/\1\\|\2/g'
	echo
	echo "## Change points"
	echo
	if [ "$nchanges" -eq 0 ]; then
		echo "No row moved in any series, on either vendor."
	else
		echo "$npoints change points, $nchanges row moves in all (every moved row and vendor: changes.csv)."
		echo "In brief, with the reference row (x86_64 \`syscall\` getppid) where it moved:"
		echo
		echo "| series | from | to | rows moved, Intel / AMD | x86_64/syscall/getppid, Intel | AMD |"
		echo "|---|---|---|---:|---:|---:|"
		scb_tsv --columns series,from_version,to_version,cpu_vendor,abi,mechanism,syscall,from_icount,to_icount,delta "$out/changes.csv" |
			awk -F'\t' 'NR > 1 {
				k = $1 "\t" $2 "\t" $3
				if (!(k in seen)) { seen[k] = 1; ks[++nk] = k }
				m[k, $4]++
				if ($5 "/" $6 "/" $7 == "x86_64/syscall/getppid") ref[k, $4] = sprintf("%s -> %s (%s)", $8, $9, $10)
			}
			END {
				for (i = 1; i <= nk; i++) {
					split(ks[i], f, "\t")
					printf "| %s | %s | %s | %d / %d | %s | %s |\n", f[1], f[2], f[3], m[ks[i], "intel"], m[ks[i], "amd"],
						((ks[i], "intel") in ref ? ref[ks[i], "intel"] : "-"), ((ks[i], "amd") in ref ? ref[ks[i], "amd"] : "-")
				}
			}'
		scb_tsv --columns series,from_package,from_version,to_package,to_version,cpu_vendor,abi,mechanism,syscall,from_status,to_status,from_icount,to_icount,delta "$out/changes.csv" |
			awk -F'\t' 'NR > 1 {
				k = $1 " " $3 " -> " $5
				if (!(k in seen)) { seen[k] = 1; ks[++nk] = k }
				r = $7 "/" $8 "/" $9
				if (!((k, r) in rs)) { rs[k, r] = 1; rows[k, ++nr[k]] = r }
				cell[k, r, $6] = $14 != "" ? sprintf("%s -> %s (%s)", $12, $13, $14) : sprintf("%s -> %s", ($10 == "ok" ? $12 : $10), ($11 == "ok" ? $13 : $11))
			}
			END {
				for (i = 1; i <= nk; i++) {
					k = ks[i]
					printf "\n### %s\n\n%d rows moved.\n\n| row | Intel model | AMD model |\n|---|---:|---:|\n", k, nr[k]
					for (j = 1; j <= nr[k]; j++) { r = rows[k, j]; printf "| %s | %s | %s |\n", r, ((k, r, "intel") in cell ? cell[k, r, "intel"] : "unchanged"), ((k, r, "amd") in cell ? cell[k, r, "amd"] : "unchanged") }
				}
			}'
	fi
	if [ "$profile" = 1 ] && [ -s "$out/profiles/points.tsv" ]; then
		echo
		echo "## The functions behind them (profile lane)"
		echo
		echo "\`scbench compare\` of the two kernels' profiles (scripts/vm/vm-profile.sh) at each change point where"
		echo "a row matching \`$prof_rows\` moved: the functions that gained or lost instructions in those rows."
		while IFS=$'\t' read -r ka kb re; do
			f=$out/profiles/$(pid_of "${ka#*=}")..$(pid_of "${kb#*=}").txt
			[ -e "$f" ] || continue
			echo
			echo "### ${ka#*=} -> ${kb#*=}"
			echo
			for k in "$ka" "$kb"; do
				[ -s "$out/profiles/$(pid_of "$k").failed" ] || continue
				echo "The profile lane failed on $k (the diff below is of what it wrote):"
				echo
				sed 's/^/    /' "$out/profiles/$(pid_of "$k").failed"
				echo
			done
			echo '```'
			cat "$f"
			echo '```'
		done <"$out/profiles/points.tsv"
	fi
	echo
	echo "## Trends"
	for f in "$pl"/*.png; do
		[ -e "$f" ] || continue
		b=$(basename "$f" .png)
		echo
		echo "![$b: guest instructions per call against the kernel version](plots/$b.png)"
	done
} >"$out/report.md"
ln -sfn -- "$(basename "$out")" "$results/latest-history"
say "$nk kernels, $npoints change points ($nchanges row moves), $plotted plots in $((elapsed + prof_s)) s: $out/report.md"
# exit 1 when a kernel the archive has could not be fetched or booted (its
# rows say why); a kernel the archive no longer has is a fact, not a failure
! scb_tsv --columns status "$out/kernels.csv" | tail -n +2 | grep -qE '^(no-boot|fetch-failed|partial)$'
