#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vm-profile.sh BUILD OUTDIR: where each entry path's instructions go, per
# function, exact: the trace lane's count (scripts/vm/vm-trace.sh) split by the
# function each traced instruction lies in.
#
# The trace lane boots both vendor models in profile mode (VM_TRACE_PROFILE=1:
# the guest's straight runs of 16 and 32 calls per row under QEMU's exec
# trace, one line per instruction with singlestep, then the guest's own
# symbols on the debugcon port) and leaves, per vendor, pcs.tsv (every
# traced address of every window with the instructions executed there) and
# symbols.txt (the vDSO's dynamic symbols with their sizes, and
# /proc/kallsyms' text symbols, read as root in the same boot, so KASLR's
# offsets are the ones traced). Here each address is named:
#   kernel half (>= ffff800000000000)  the nearest kallsyms text symbol at or
#                                      below it; the vsyscall page (only user
#                                      code may execute there) "[vsyscall]";
#                                      the module area past every symbol
#                                      "[bpf-jit]" (seccomp's JIT'ed filters)
#   inside the vDSO image              the vDSO symbol whose [addr, addr+size)
#                                      holds it ("[vdso]" when none does;
#                                      aliases: the __vdso_ / __kernel_ name)
#   anything else                      "[user]" (the marked runs' own code)
# and a function's instructions per call are (its count in the 32-call
# window - in the 16-call window) / 16, from the loop whose total is the
# row's figure (two of the three loops agree on it: vm-trace.sh). So a row's
# functions sum exactly to its traced count; the guest's icount over the
# same executions (its TSC under -icount, SCBT-TSC lines) must equal that
# sum, or this script fails. The icount lane's summary.csv figure is that
# count plus its loop share, 2/8 + c/N (vm-trace.sh --compare).
#
# Output, in OUTDIR (made here; one that exists is refused, as vm-trace.sh
# does): profile.csv (kernel,options,cpu_vendor,abi,mechanism,syscall,
# function,instructions: per call, largest first), env.csv (schema,key,value:
# the lane, kernel package, version and sha256, options, QEMU, the guest's
# command line), trace.csv and trace-detail.csv (vm-trace.sh's), profile.log,
# and scripts/vm/profile-report.sh's report.md, profile-groups.csv and
# plots/profile.png and .svg (the functions by group; VM_PROFILE_REPORT=0
# leaves them out).
# The raw traces, pcs.tsv and symbols.txt are deleted unless VM_TRACE_KEEP=1;
# vm-profile.sh --from OUTDIR names a kept one's addresses again.
# Knobs: those of vm-trace.sh (VM_TRACE_DIR: another build of the guest);
# VM_APPEND are the boot options profiled ("options" in profile.csv; empty:
# the kernel's defaults); VM_PROFILE_KERNELS=1 profiles scbench's own
# x86_64 kernels instead of the straight runs (vm-trace.sh: kernel rows;
# [user] then holds the loop's 2/8 too), as the count gate's test does;
# VM_PROFILE_ROWS=PREFIX only the rows whose name starts with it (one
# mechanism: x86_64/int80/).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
bad() { scb_line "vm-profile.sh" "$@"; exit 2; }
from=0
if [ "${1:-}" = --from ] && [ $# -eq 2 ]; then
	from=1 out=$2
	{ [ -s "$out/kernel.id" ] && [ -f "$out/options" ] && ls "$out"/*/pcs.tsv >/dev/null 2>&1; } ||
		bad "$out: not a kept profile trace (VM_TRACE_KEEP=1 vm-profile.sh BUILD OUTDIR keeps one)"
else
	[ $# -eq 2 ] || bad "usage: vm-profile.sh BUILD OUTDIR, or vm-profile.sh --from OUTDIR"
	build=$1 out=$2
fi
keep=${VM_TRACE_KEEP:-}
tmp=$(mktemp -d /tmp/scbp.XXXXXX) || bad "cannot make a scratch folder"
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s.%N)
fail=0
if [ $from -eq 1 ]; then
	# again from the kept trace: the options it was made with, its vendors
	options=$(cat "$out/options")
	syms=$(cat "$out/symbols-cache" 2>/dev/null)
	vendors=$(cd "$out" && for v in intel amd; do [ -f "$v/pcs.tsv" ] && printf '%s ' "$v"; done)
	log=$out/profile.log
	: >"$log"
	keep=1
else
	options=${VM_APPEND:-}
	vendors=${VM_VENDORS:-intel amd}
	# The kernel's text symbols are cached per vmlinuz (the guest boots
	# nokaslr): all of /proc/kallsyms costs a guest ~1.6 s of host CPU
	# (a quarter of its run), so after the first boot it sends only the
	# head of it, checked against the cache below.
	cache=${VM_CACHE:-$build/vm}
	kernel=$("$here/vm-kernel.sh" "$cache" "${VM_KERNEL_META:-}") || bad "no guest kernel (see above)"
	sha=$(sed -n 's/^sha256=//p' "$(dirname "$kernel")/vmlinuz.id")
	[[ $sha =~ ^[0-9a-f]{64}$ ]] || bad "$(dirname "$kernel")/vmlinuz.id names no sha256"
	syms=$cache/profile-symbols/$sha.kallsyms
	mode=full
	[ -s "$syms" ] && mode=head
	kr=${VM_PROFILE_KERNELS:-}
	case $kr in ""|1) ;; *) bad "VM_PROFILE_KERNELS='$kr': 1 or unset" ;; esac
	VM_TRACE_ROWS=${VM_PROFILE_ROWS:-} VM_TRACE_KERNELS=$kr VM_TRACE_PROFILE=$mode VM_TRACE_KEEP=1 "$here/vm-trace.sh" "$build" "$out" 2>"$tmp/trace.err"
	rc=$?
	# vm-trace.sh refuses a bad knob or an existing OUTDIR before it makes one
	{ [ -d "$out" ] && [ -f "$out/trace.log" ]; } || { cat "$tmp/trace.err" >&2; exit 2; }
	printf '%s\n' "$options" >"$out/options"
	printf '%s\n' "$syms" >"$out/symbols-cache"
	printf '%s\n' "$mode" >"$out/mode"
	printf '%s\n' "${kr:+kernels}" >"$out/rows"
	printf '%s\n' "${VM_PROFILE_ROWS:-}" >"$out/row-prefix"
	log=$out/profile.log
	cat "$tmp/trace.err" >"$log"
	[ $rc -eq 0 ] || { echo "vm-profile: the trace lane failed (exit $rc)" >>"$log"; fail=1; }
fi

kid() { sed -n "s/^$1=//p" "$out/kernel.id"; }
kpkg=$(kid package) kver=$(kid version) ksha=$(kid sha256) qemu=$(kid qemu)
# one CSV field, quoted when it must be (RFC 4180, as harness/csv.c writes)
q() { case $1 in *[,\"$'\n\r']*) printf '"%s"' "${1//\"/\"\"}" ;; *) printf '%s' "$1" ;; esac; }
tab=$(printf '\t')

echo "kernel,options,cpu_vendor,abi,mechanism,syscall,function,instructions" >"$out/profile.csv"
for v in $vendors; do
	d=$out/$v
	# a row prefix this vendor has no row of (i386/sysenter/ on the AMD model)
	if [ -s "$out/row-prefix" ] && grep -q '^SCBT-END' "$d/results.txt" 2>/dev/null &&
		! grep -q '^SCBT-TSC' "$d/results.txt"; then
		echo "vm-profile: [$v] no row starts with $(cat "$out/row-prefix") on this model" >>"$log"
		continue
	fi
	if [ ! -s "$d/pcs.tsv" ] || ! grep -q '^SCBD-END' "$d/symbols.txt" 2>/dev/null; then
		echo "vm-profile: [$v] no traced addresses or no symbols (see $d/console.log)" >>"$log"
		fail=1
		continue
	fi
	awk '/^SCBD-KALLSYMS/ { k = 1; next } /^SCBD-/ { k = 0 } k' "$d/symbols.txt" >"$tmp/ks-$v"
	# all-zero addresses: kallsyms hid them (kptr_restrict, no CAP_SYSLOG)
	real=$(awk '$1 !~ /^0+$/ { n++ } END { print n + 0 }' "$tmp/ks-$v")
	if [ "$real" -lt 100 ]; then
		echo "vm-profile: [$v] /proc/kallsyms gave $real real addresses: not readable as root in the guest?" >>"$log"
		fail=1
		continue
	fi
	if grep -q '^SCBD-KALLSYMS head' "$d/symbols.txt"; then
		# this boot's first symbols must be the cached table's first
		n=$(wc -l <"$tmp/ks-$v")
		if ! head -n "$n" -- "$syms" 2>/dev/null | cmp -s - "$tmp/ks-$v"; then
			rm -f -- "$syms"
			echo "vm-profile: [$v] this boot's kernel symbols differ from the cached ones (removed: $syms); run again" >>"$log"
			fail=1
			continue
		fi
		cp -- "$syms" "$tmp/ks-$v"
	elif [ $from -eq 0 ] && [ ! -s "$syms" ]; then
		mkdir -p -- "$(dirname -- "$syms")" && cp -- "$tmp/ks-$v" "$syms.$$" && mv -f -- "$syms.$$" "$syms"
	fi
	# Kernel addresses are 64-bit, past awk's exact integers (2^53): they
	# are named by a sorted merge of fixed-width hex strings (16 lower-case
	# digits: string order is numeric order), a symbol before an address
	# at the same place. One place can have several names (getppid's body
	# is __do_sys_getppid, t, and __x64_sys_getppid and __ia32_sys_getppid,
	# T: aliases the compiler made; swapgs_restore_regs_and_return_to_usermode
	# shares its place with the linker's __irqentry_text_end); kept: a
	# global name (T) before a local one before a section bound (__*_start,
	# __*_end, _s*/_e* as _stext), then the shortest, then the first in
	# kallsyms' order (a stable sort).
	{
		awk '$1 ~ /^[0-9a-f]+$/ && length($1) == 16 { print $1 "\t0\t" ($3 ~ /^(__.*_(start|end)|_[se][a-z]*)$/ ? 2 : $2 == "T" ? 0 : 1) "\t" length($3) "\t" $3 }' "$tmp/ks-$v"
		awk -F'\t' '$3 ~ /^ffff[89a-f]/ { print $3 "\t1\t" $1 "\t" $2 "\t" $4 }' "$d/pcs.tsv"
	} | LC_ALL=C sort -s -t "$tab" -k1,1 -k2,2 -k3,3n -k4,4n | awk -F'\t' '
		$2 == 0 { if ($1 != last) { sym = $5; last = $1 } next }
		{
			f = sym == "" ? "[kernel]" : sym
			if ($1 ~ /^ffffffffff600/) f = "[vsyscall]"
			# the module area past every kallsyms symbol: no module is
			# loaded in the guest, so this is the BPF JIT (the seccomp
			# filters), whose images kallsyms does not list
			else if ($1 >= "ffffffffc0000000" && last < "ffffffffc0000000") f = "[bpf-jit]"
			print $3, $4, f, $5
		}
	' OFS='\t' >"$tmp/named-$v"
	# vDSO and user addresses are below 2^47: compared as numbers
	awk -F'\t' '
		function num(h,   n, i) { n = 0; for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return n }
		# the name a reader knows an alias by: the __vdso_ / __kernel_ one
		function better(a, b,   pa, pb) { pa = (a ~ /^__(vdso|kernel)_/); pb = (b ~ /^__(vdso|kernel)_/); return pa != pb ? pa > pb : a < b }
		FILENAME ~ /symbols\.txt$/ {
			split($0, w, " ")
			if (w[1] == "SCBD-VDSO") { vb[++nv] = num(w[3]); ve[nv] = num(w[4]) }
			else if (w[1] == "V") { sa[++ns] = num(w[2]); sz[ns] = num(w[3]); sn[ns] = w[4] }
			else if (w[1] == "SCBD-KALLSYMS") nextfile
			next
		}
		$3 ~ /^ffff[89a-f]/ { next }
		{
			a = num($3); f = "[user]"
			for (i = 1; i <= nv; i++)
				if (a >= vb[i] && a < ve[i]) {
					f = ""
					for (j = 1; j <= ns; j++)
						if (a >= sa[j] && a < sa[j] + sz[j] && (f == "" || better(sn[j], f)))
							f = sn[j]
					if (f == "") f = "[vdso]"
				}
			print $1, $2, f, $4
		}' OFS='\t' "$d/symbols.txt" "$d/pcs.tsv" >>"$tmp/named-$v"
	# Per row, the functions of the loop whose total two loops agree on,
	# checked against the guest's icount over the same calls (SCBT-TSC:
	# the guest TSC around each run, which under -icount counts
	# instructions); rows in the guest's order, functions largest first.
	tr -d '\r' <"$d/results.txt" | awk '$1 == "SCBT-TSC" && $3 != "warm" { print "T", $2, $3, $4, $5 }' >"$tmp/tsc-$v"
	awk -F'\t' -v kernel="$(q "$kpkg")" -v options="$(q "$options")" -v v="$v" -v ref="$tmp/ref-$v" '
		function fmt(x,   s) { s = sprintf("%.4f", x); sub(/0+$/, "", s); sub(/\.$/, "", s); return s == "-0" ? "0" : s }
		FILENAME ~ /tsc-/ {
			split($0, t, " ")
			T[t[2], t[3], t[4]] = t[5]
			if (!(t[2] in seen)) { seen[t[2]] = 1; order[++nr] = t[2]; s = t[2]; gsub(/\//, "_", s); row[s] = t[2] }
			next
		}
		{
			w = $1; n = w; sub(/_(16|32)$/, "", w); sub(/^.*_/, "", n)
			if (!(w in row)) next
			k = row[w] SUBSEP $2
			c = (n == 32 ? $4 : -$4) / 16
			tot[k] += c
			if (!((k, $3) in fc)) fn[k, ++nf[k]] = $3
			fc[k, $3] += c
		}
		END {
			for (i = 1; i <= nr; i++) {
				# The figure: the total two loops agree on (an interrupt in a
				# window adds to that loop only). The loop profiled: the first
				# with that total whose guest icount is the same; the guest
				# reads its TSC a few instructions outside the window, so an
				# interrupt there moves the icount of that loop alone (seen:
				# the first run after the handshake, on some boots).
				r = order[i]; fig = ""; pick = -1
				for (a = 0; a < 3 && fig == ""; a++)
					for (b = a + 1; b < 3; b++)
						if (((r, a) in tot) && ((r, b) in tot) && fmt(tot[r, a]) == fmt(tot[r, b])) { fig = fmt(tot[r, a]); break }
				if (fig == "") { print "vm-profile: [" v "] " r ": no two loops agree" > "/dev/stderr"; bad = 1; continue }
				for (a = 0; a < 3 && pick < 0; a++)
					if (((r, a) in tot) && fmt(tot[r, a]) == fig && fmt((T[r, a, 32] - T[r, a, 16]) / 16) == fig) pick = a
				if (pick < 0) {
					print "vm-profile: [" v "] " r ": " fig " traced, but no loop of it has that guest icount" > "/dev/stderr"
					bad = 1
					for (a = 0; a < 3 && pick < 0; a++) if (((r, a) in tot) && fmt(tot[r, a]) == fig) pick = a
				}
				k = r SUBSEP pick
				icount = (T[r, pick, 32] - T[r, pick, 16]) / 16
				# largest first, then by name (insertion sort: tens of names)
				m = 0
				for (j = 1; j <= nf[k]; j++) {
					f = fn[k, j]
					if (fmt(fc[k, f]) == "0") continue
					x = fc[k, f]
					for (p = ++m; p > 1 && (L[p - 1] < x || (L[p - 1] == x && N[p - 1] > f)); p--) { L[p] = L[p - 1]; N[p] = N[p - 1] }
					L[p] = x; N[p] = f
				}
				split(r, id, "/")
				for (p = 1; p <= m; p++) {
					printf "%s,%s,%s,%s,%s,%s,%s,%s\n", kernel, options, v, id[1], id[2], id[3], N[p], fmt(L[p])
					if (r == "x86_64/syscall/getppid") print N[p] "\t" fmt(L[p]) > ref
				}
				print "vm-profile: [" v "] " r ": " fmt(tot[k]) " instructions per call in " m " functions (loop " pick "; the guest icount over the same calls: " fmt(icount) ")" > "/dev/stderr"
			}
			exit bad
		}' "$tmp/tsc-$v" "$tmp/named-$v" >>"$out/profile.csv" 2>>"$log" || fail=1
done
{
	echo "schema,key,value"
	echo "1,lane,profile"
	echo "1,method,$(q "QEMU exec trace (singlestep; log exec,nochain via the monitor) of straight runs of 16 and 32 calls; addresses named by the guest's /proc/kallsyms and vDSO symbols")"
	echo "1,vm_kernel_package,$(q "$kpkg")"
	echo "1,vm_kernel_version,$(q "$kver")"
	echo "1,vm_kernel_sha256,$(q "$ksha")"
	echo "1,vm_options,$(q "$options")"
	if [ "$(cat "$out/rows" 2>/dev/null)" = kernels ]; then
		echo "1,profile_rows,$(q "scbench's x86_64 kernels called with 16 and 32 calls (tests/vm/trace_kern_64.S): each row's count is the icount lane's less c/N")"
	else
		echo "1,profile_rows,$(q "straight runs of each kernel's loop body (tests/vm/trace_runs_*.S): each row's count is the icount lane's less its loop share 2/8 + c/N")"
	fi
	echo "1,vm_qemu,$(q "$qemu")"
	echo "1,vm_accelerator,$(q "tcg -icount shift=0,sleep=off -seed 1 -rtc base=2020-01-01T00:00:00,clock=vm")"
	echo "1,vm_cmdline,$(q "console=ttyS0 ia32_emulation=on panic=-1 quiet noapictimer no_timer_check vsyscall=xonly${options:+ $options} nokaslr scbt_profile=$(cat "$out/mode" 2>/dev/null)$([ "$(cat "$out/rows" 2>/dev/null)" = kernels ] && echo " scbt_kernels=1")$([ -s "$out/row-prefix" ] && echo " scbt_rows=$(cat "$out/row-prefix")")")"
	echo "1,vm_vendors,$(q "${vendors% }")"
	echo "1,profile_row_prefix,$(q "$(cat "$out/row-prefix" 2>/dev/null)")"
	echo "1,git_commit,$(q "$(git -C "$here/../.." rev-parse --short=12 HEAD 2>/dev/null || echo unknown)")"
} >"$out/env.csv"
# the reference row, vendors side by side, for the terminal
set -- $vendors
if [ -s "$tmp/ref-${1:-x}" ]; then
	for v in $vendors; do [ -s "$tmp/ref-$v" ] && sed "s/^/$v\t/" "$tmp/ref-$v"; done | awk -F'\t' -v vs="$vendors" '
		{ if (!($2 in seen)) { seen[$2] = 1; o[++n] = $2 } c[$1, $2] = $3; t[$1] += $3 }
		END {
			k = split(vs, V, " ")
			printf "%-46s", "x86_64/syscall/getppid, instructions per call"; for (j = 1; j <= k; j++) printf " %6s", V[j]; print ""
			for (i = 1; i <= n; i++) {
				printf "  %-44s", o[i]
				for (j = 1; j <= k; j++) printf " %6s", ((V[j], o[i]) in c) ? c[V[j], o[i]] : "-"
				print ""
			}
			printf "  %-44s", "total"; for (j = 1; j <= k; j++) printf " %6s", t[V[j]]; print ""
		}' >>"$log"
fi
# the picture and report.md (scripts/vm/profile-report.sh: the functions by
# group, plots/profile-groups.txt); VM_PROFILE_REPORT=0 leaves them out
if [ $fail -eq 0 ] && [ "${VM_PROFILE_REPORT:-1}" != 0 ]; then
	if ! command -v gnuplot >/dev/null; then
		echo "vm-profile: no picture or report.md: gnuplot not found (make deps installs gnuplot-nox)" >>"$log"
	elif ! "$here/profile-report.sh" "$out" 2>>"$log"; then
		echo "vm-profile: scripts/vm/profile-report.sh failed on $out (above)" >>"$log"
		fail=1
	fi
fi
scb_mark "$out" profile
[ -n "$keep" ] || rm -f "$out"/*/trace-*.log "$out"/*/pcs.tsv "$out"/*/symbols.txt
echo "vm-profile: $(($(wc -l <"$out/profile.csv") - 1)) function rows in $out/profile.csv, $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5) s wall" >>"$log"
cat "$log" >&2
exit $fail
