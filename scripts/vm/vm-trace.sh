#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vm-trace.sh BUILD OUTDIR: an independent count of guest instructions per
# call, by QEMU's exec trace, for the rows the icount lane also counts.
#
# Both vendor models (Intel: -cpu max,vendor=GenuineIntel; AMD: -cpu max)
# boot BUILD/vm-trace/initrd.cpio (make trace-images: a libc-free /init and
# /trace32 with straight runs of exactly 16 and 32 calls per row between
# labelled addresses) on the lane's kernel (scripts/vm/vm-kernel.sh), at full
# speed, with an HMP monitor on a unix socket. When a guest program says
# "SCBT-READY" on its second serial port (a socket here) and waits, this
# script sends `logfile`, `singlestep on` (one guest instruction per
# translation block) and `log exec,nochain` (one "Trace" line per block
# executed) and lets it go; at "SCBT-DONE" it sends `log none` and
# `singlestep off`. For each row: (lines between its 32-call markers -
# lines between its 16-call markers) / 16 = instructions per call, from each
# of 3 loops. Two kinds of line are not an instruction executed and are
# subtracted: "Stopped execution of TB chain" (a block logged but left before
# its first instruction: icount budget spent, or an exit request), and the
# first attempt of an instruction that QEMU rewinds with cpu_io_recompile
# (accel/tcg/translate-all.c: under icount an MMIO access may only be the
# last instruction of a block with can_do_io set; elsewhere the attempt is
# undone, its icount given back by cpu_restore_state_from_tb, and the
# instruction runs again alone, logged a second time). The int $0x80 rows
# have one per call: the local APIC ISR read of int80_is_external() (Linux's
# "x86/entry: Do not allow external 0x80 interrupts", in Debian's 6.1), an
# MMIO load. The raw line counts stay in trace-detail.csv.
#
# Why -icount shift=0,sleep=off here too: under it the guest TSC counts
# instructions, so the guest records, for the very same executions, the
# count icount gives (SCBT-TSC lines; trace-detail.csv): the experiment that
# shows where the two counters part; and timer interrupts then come after
# so many instructions, not after so much host time, so the traced window
# (singlestep and logging make it ~100x slower in wall time) draws no more
# interrupts than an untraced run would: a 4 ms tick every 4M instructions,
# against ~0.3M traced per program, so at most one window of a program can
# catch one, and the figure is the value two of the three loops agree on.
# (Where the guest waits for the host, virtual time runs on: the tick's
# phase is not the same from boot to boot.) The guest options are the icount
# lane's.
#
# Output: OUTDIR/trace.csv (vendor,abi,mechanism,syscall,trace_instructions),
# OUTDIR/trace-detail.csv (every loop, its line counts, the guest-TSC counts
# traced and untraced), OUTDIR/trace.log, OUTDIR/<vendor>/ (console,
# results port, qemu.log; the raw traces are deleted unless VM_TRACE_KEEP=1),
# OUTDIR/kernel.id (the guest kernel's package, version, sha256; QEMU).
#
# vm-trace.sh --compare TRACE.CSV ICOUNT-DIR: the table trace vs the icount
# lane's summary.csv (ICOUNT-DIR/{intel,amd}/summary.csv, column icount).
# The lane's figure is path + loop share: 2/8 for the dec/jnz per 8 calls of
# asm/'s loops, plus c/N from harness/measure.c (the 2N half of a sample runs
# c more instructions around its call than the N half: c = 1 on x86_64, 4
# on i386, N = calls_per_sample).
#
# Profile mode (VM_TRACE_PROFILE=full or head, scripts/vm/vm-profile.sh): the
# guest is booted with nokaslr (the kernel's text at the same addresses every
# boot, so its symbols can be cached), scbt_profile=full|head and an
# isa-debugcon port, on which it writes, after the traced runs, the vDSO's
# symbols and all of the kernel's text symbols (full) or the first of them
# (head: the first 2000, the host holds the rest; tests/vm/trace.h) into
# OUTDIR/<vendor>/symbols.txt (nokaslr moves no count: every row the same
# on 6.1.0-57, both vendors). And each window's line count is also written
# per address (OUTDIR/<vendor>/pcs.tsv: window, loop, address, instructions
# executed there: trace lines less the stopped and rewound ones at that
# address), so that every window's addresses sum to its count.
#
# Kernel rows (VM_TRACE_KERNELS=1, with the profile): scbt_kernels=1 makes
# /init run scbench's own x86_64 kernels, called with 16 and 32 calls
# (tests/vm/trace_kern_64.S), under the rows' names: each count is then the
# icount lane's figure less only its c/N. VM_TRACE_DIR names another build
# of the guest (init, trace32, initrd.cpio; default BUILD/vm-trace).
#
# Knobs: VM_VENDORS (intel amd), VM_KERNEL, VM_KERNEL_META, VM_CACHE and
# VM_APPEND (more guest command line: a matrix cell's options) as for
# vm-run.sh, VM_TRACE_ROWS (only the rows whose name starts with it, e.g.
# x86_64/int80/: one mechanism), VM_TIMEOUT (s, default 120), VM_TRACE_PROFILE,
# VM_TRACE_KEEP=1 (keep the raw traces), VM_TRACE_LOG (the log items,
# default exec,nochain; e.g. exec,nochain,in_asm to see each block's code).
set -u
here=$(cd "$(dirname "$0")" && pwd)
# every table (the guests' summaries, trace.csv, trace-detail.csv) is read
# through the project's reader, scb_tsv (scbench export --format tsv)
. "$here/../lib.sh"

compare() { # compare TRACE.CSV DIR
	local trace=$1 dir=$2 v
	for v in intel amd; do
		[ -s "$dir/$v/summary.csv" ] || continue
		scb_tsv --columns name,abi,icount,calls "$dir/$v" |
			awk -F'\t' -v v="$v" 'NR > 1 { print "I", v, $1, $3, $4 }' OFS='\t'
	done >"$tmp/icount.tsv"
	# the raw line counts, where trace-detail.csv lies beside trace.csv
	detail=$(dirname "$trace")/trace-detail.csv
	[ -s "$detail" ] && scb_tsv --columns vendor,row,trace_instructions,lines_per_call "$detail" |
		awk -F'\t' 'NR > 1 && $3 != "" { print "L", $1, $2, $3, $4 }' OFS='\t' >>"$tmp/icount.tsv"
	scb_tsv --columns vendor,abi,mechanism,syscall,trace_instructions "$trace" |
		awk -F'\t' 'NR > 1 { print "T", $1, $2 "/" $3 "/" $4, $5 }' OFS='\t' |
		cat - "$tmp/icount.tsv" | awk -F'\t' '
		$1 == "I" { ic[$2, $3] = $4; n[$2, $3] = $5; next }
		$1 == "L" { lines[$2, $3, $4] = $5; next }
		{ key[++k] = $2 SUBSEP $3; vend[k] = $2; row[k] = $3; tr[k] = $4 }
		END {
			printf "%-30s %-6s %6s %6s %8s %8s %7s\n", "row", "vendor", "lines", "trace", "icount", "icount-", "trace-"
			printf "%-30s %-6s %6s %6s %8s %8s %7s\n", "", "", "", "", "", "loop", "(icount-loop)"
			for (i = 1; i <= k; i++) {
				r = row[i]; v = vend[i]
				l = ((v, r, tr[i]) in lines) ? lines[v, r, tr[i]] : "-"
				if (!((v, r) in ic) || ic[v, r] == "") {
					printf "%-30s %-6s %6s %6s %8s\n", r, v, l, tr[i], "-"
					continue
				}
				c = (r ~ /^i386\//) ? 4 : 1
				share = 2 / 8 + c / n[v, r]
				path = ic[v, r] - share
				# summary.csv rounds icount to 2 decimals: a difference
				# under that rounding is agreement (getrandom_16, N = 8:
				# 2122.375 is written 2122.38)
				e = tr[i] - path; if (e < 0) e = -e
				d = sprintf("%+.2f", tr[i] - path); if (e < 0.006) d = "+0.00"
				if (e >= 0.006) bad++
				printf "%-30s %-6s %6s %6s %8s %8.2f %7s\n", r, v, l, tr[i], ic[v, r], path, d
			}
			print "lines: exec-trace lines per call of blocks that ran; trace: less the attempts QEMU rewound"
			print "(cpu_io_recompile: 1 per int $0x80, the APIC ISR read of int80_is_external)."
			print "icount-loop: the lane figure less its loop share 2/8 + c/N (c = 1 x86_64, 4 i386;"
			print "N = calls_per_sample): the dec/jnz per 8 calls, and the c instructions more around"
			print "the 2N half of harness/measure.c than around the N half."
			if (bad) { printf "%d rows: the trace and icount disagree\n", bad; exit 1 }
		}'
}

tmp=$(mktemp -d /tmp/scbt.XXXXXX)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "${1:-}" = --compare ]; then
	compare "$2" "$3"
	exit
fi

build=$1 out=$2
export SCBENCH=${SCBENCH:-$build/scbench}
# VM_TRACE_DIR: another build of the guest (init, trace32, initrd.cpio:
# mk/vm-profile.mk's one-nop variant)
tdir=${VM_TRACE_DIR:-$build/vm-trace}
img=$tdir/initrd.cpio
vendors=${VM_VENDORS:-intel amd}
timeout_s=${VM_TIMEOUT:-120}
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bad() { scb_line "vm-trace.sh" "$@"; exit 2; }
why=$(scb_vm_knobs "$vendors" "$timeout_s") || bad "$why"
# the log items reach QEMU's monitor: letters, digits, ',' and '_' only
[[ ${VM_TRACE_LOG:-exec,nochain} =~ ^[a-z0-9_,]+$ ]] || bad "VM_TRACE_LOG='$VM_TRACE_LOG': QEMU log items (letters, digits, ',', '_')"
# boot options are words of the guest's command line, nothing else
[[ ${VM_APPEND:-} =~ ^[A-Za-z0-9_.,=+:\ -]*$ ]] || bad "VM_APPEND='$VM_APPEND': kernel parameters (letters, digits, '_.,=+:-', spaces)"
rows=${VM_TRACE_ROWS:-}
[[ $rows =~ ^[a-z0-9_/]*$ ]] || bad "VM_TRACE_ROWS='$rows': a row name's start (letters, digits, '_', '/'), e.g. x86_64/int80/"
kernels=${VM_TRACE_KERNELS:-}
case $kernels in ""|1) ;; *) bad "VM_TRACE_KERNELS='$kernels': 1 or unset" ;; esac
profile=${VM_TRACE_PROFILE:-}
case $profile in ""|full|head) ;; *) bad "VM_TRACE_PROFILE='$profile': full, head or unset" ;; esac
# OUTDIR is made here, exclusively: a folder (or link) already there is refused
[ -n "$out" ] || bad "no OUTDIR"
{ [ -e "$out" ] || [ -L "$out" ]; } && bad "$out exists: give a new folder"
mkdir -p -- "$(dirname -- "$out")" && mkdir -- "$out" || bad "$out: cannot create"
command -v qemu-system-x86_64 >/dev/null || { echo "vm-trace.sh: qemu-system-x86_64 not found (make deps installs qemu-system-x86)" >&2; exit 2; }
command -v perl >/dev/null || { echo "vm-trace.sh: perl not found (it drives the monitor)" >&2; exit 2; }
[ -s "$img" ] || { echo "vm-trace.sh: $img is missing: run make trace-images" >&2; exit 2; }
kernel=$("$here/vm-kernel.sh" "${VM_CACHE:-$build/vm}" "${VM_KERNEL_META:-}") || { echo "vm-trace.sh: no guest kernel" >&2; exit 2; }
log=$out/trace.log
: >"$log"
# the kernel's identity (vm-kernel.sh writes it beside the vmlinuz) and QEMU's
cp "$(dirname "$kernel")/vmlinuz.id" "$out/kernel.id" 2>/dev/null || echo "package=?" >"$out/kernel.id"
qemu-system-x86_64 --version | head -n 1 | sed 's/^/qemu=/' >>"$out/kernel.id"
echo "vm-trace: kernel $(sed -n 's/^package=//p' "$out/kernel.id")=$(sed -n 's/^version=//p' "$out/kernel.id"), $(sed -n 's/^qemu=//p' "$out/kernel.id")" >>"$log"

# The host's half of the handshake: one connection to the guest's port,
# one to the monitor.
driver() { # driver MONITOR-SOCKET PORT-SOCKET DIR SCRATCH: results in DIR, the
	# monitor's log file in SCRATCH (a mktemp folder: no user-given name ever
	# reaches the monitor's command line)
	perl -e '
use strict; use warnings; use IO::Socket::UNIX; use Socket;
my ($monp, $ctlp, $d, $s, $items) = @ARGV;
die "vm-trace: bad scratch folder\n" unless $s =~ m{^/[A-Za-z0-9._/-]+$};
die "vm-trace: bad log items\n" unless $items =~ /^[a-z0-9_,]+$/;
sub conn { my $p = shift; for (1 .. 2000) { my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $p); return $s if $s; select(undef, undef, undef, 0.01); } die "vm-trace: cannot connect to $p\n"; }
my $c = conn($ctlp); my $m = conn($monp);
$c->autoflush(1); $m->autoflush(1);
sub prompt { my $b = ""; while ($b !~ /\(qemu\) /) { my $r = sysread($m, my $x, 4096); die "vm-trace: monitor closed\n" unless $r; $b .= $x; } }
sub hmp { print $m "$_[0]\n"; prompt(); print STDERR "monitor: $_[0]\n"; }
prompt();
open(my $res, ">", "$d/results.txt") or die;
$res->autoflush(1);
my $buf = "";
while (1) {
	my $r = sysread($c, my $x, 65536);
	last unless $r;
	print $res $x;
	$buf .= $x;
	while ($buf =~ s/^([^\n]*)\n//) {
		my $l = $1; $l =~ s/\r//g;
		if ($l =~ /^SCBT-READY (\w+)$/) {
			hmp("logfile $s/trace-$1.log"); hmp("singlestep on"); hmp("log $items");
			print $c "g";
		} elsif ($l =~ /^SCBT-DONE (\S+)/) {
			hmp("log none"); hmp("singlestep off");
			print $c "g";
		}
	}
}
' "$@" "${VM_TRACE_LOG:-exec,nochain}"
}

boot() { # boot VENDOR DIR
	local v=$1 d=$2 cpu=max s=$tmp/$1
	[ "$v" = intel ] && cpu=max,vendor=GenuineIntel
	rm -rf "$d" "$s"
	mkdir -p "$d" "$s"
	local t0=$(date +%s.%N) prof=() pappend=""
	# the symbols file lies in the scratch folder too: a comma in OUTDIR
	# would split QEMU's option
	[ -n "$profile" ] && prof=(-chardev "file,id=syms,path=$s/symbols.txt" -device isa-debugcon,iobase=0xe9,chardev=syms) pappend=" nokaslr scbt_profile=$profile"
	[ -n "$kernels" ] && pappend="$pappend scbt_kernels=1"
	timeout "$timeout_s" qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off -seed 1 \
		-rtc base=2020-01-01T00:00:00,clock=vm -cpu "$cpu" -m 512 -smp 1 \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$kernel" -initrd "$img" \
		-append "console=ttyS0 ia32_emulation=on panic=-1 quiet noapictimer no_timer_check vsyscall=xonly${VM_APPEND:+ $VM_APPEND}$pappend${rows:+ scbt_rows=$rows}" \
		-serial "file:$d/console.log" \
		-chardev "socket,id=port,path=$s/port,server=on,wait=off" -serial chardev:port \
		-monitor "unix:$s/mon,server=on,wait=off" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "${prof[@]}" >"$d/qemu.log" 2>&1 &
	local q=$!
	driver "$s/mon" "$s/port" "$d" "$s" 2>"$d/driver.log"
	wait $q
	echo $? >"$d/rc"
	for f in "$s"/trace-*.log "$s"/symbols.txt; do [ -f "$f" ] && mv -T -- "$f" "$d/${f##*/}"; done
	echo "$(date +%s.%N) - $t0" | bc >"$d/seconds"
}

start=$(date +%s.%N)
for v in $vendors; do
	boot "$v" "$out/$v" &
	pids="$pids $!"
done
wait
pids=""
echo "vm-trace: both guests in $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s wall" >>"$log"

# marker addresses, as the trace prints them (16 hex digits)
for b in init trace32; do
	nm "$tdir/$b" | awk '$3 ~ /^scbt_.*_(16|32)_(begin|end)$/ {
		s = $3; sub(/^scbt_/, "", s)
		kind = s; sub(/^.*_/, "", kind); sub(/_(begin|end)$/, "", s)
		printf "M\t%016s\t%s\t%s\n", $1, s, kind }' | tr ' ' 0
done >"$tmp/markers"

fail=0
# lines16/32: "Trace" lines in the window; stopped16/32: "Stopped execution"
# lines there; rewound16/32: cpu_io_recompile lines there; lines_per_call:
# blocks that ran, per call; trace_instructions = lines_per_call -
# rewound_per_call; tsc_per_call: the guest TSC (icount) over the same
# traced runs; tsc_untraced_per_call: over the warm-up runs, trace off
# windows VENDOR: each window's line counts from VENDOR's traces, into
# $tmp/lines-VENDOR (and pcs.tsv in profile mode); the vendors' run side by
# side, each reads millions of lines
windows() {
	local v=$1 d=$out/$1 pcs=""
	# per row and loop: trace lines between the markers of the 16- and
	# 32-call runs, less the lines that are not an instruction executed:
	# "Stopped execution of TB chain" (a block logged, then left before its
	# first instruction) and the first attempt of an instruction that QEMU
	# rewound with "cpu_io_recompile" (an MMIO access outside an I/O-enabled
	# block under icount: the attempt is undone, icount given back, and the
	# instruction runs again in a block of its own, logged again)
	# (profile mode: the same, per address, into pcs.tsv; a stopped or
	# rewound line names the address of the Trace line it undoes)
	[ -n "$profile" ] && pcs=$d/pcs.tsv
	cat "$tmp/markers" "$d"/trace-*.log | awk -F'\t' -v pcs="$pcs" '
		$1 == "M" { if ($4 == "begin") beg[$2] = $3; else fin[$3] = $2; next }
		/^Trace / {
			pc = $0; sub(/^[^[]*\[[^\/]*\//, "", pc); sub(/\/.*/, "", pc)
			if (cur != "" && pc == fin[cur]) {
				# a kernel row (trace_kern_64.S, k_...) counts as its row
				row = cur; sub(/^k_/, "", row)
				if (pcs != "")
					for (a in at) print row, occ[row] + 0, a, at[a] > pcs
				delete at
				k = row SUBSEP occ[row]++
				lines[k] = cnt; stop[k] = st; rew[k] = rw
				cur = ""
			} else if (cur != "") {
				cnt++; at[pc]++
			}
			if (pc in beg) { cur = beg[pc]; cnt = 1; st = 0; rw = 0; delete at; at[pc] = 1 }
			next
		}
		/^Stopped execution/ { if (cur != "") { st++; a = $0; sub(/^.*\[/, "", a); sub(/\].*/, "", a); at[a]-- } }
		/^cpu_io_recompile: rewound/ { if (cur != "") { rw++; a = $0; sub(/.* /, "", a); at[a]-- } }
		END { for (k in lines) { split(k, p, SUBSEP); print p[1], p[2], lines[k], stop[k], rew[k] } }
	' OFS='\t' | sort >"$tmp/lines-$v"
	for t in "$d"/trace-*.log; do
		[ -s "$t" ] && echo "vm-trace: [$v] $(basename "$t"): $(wc -l <"$t") lines, $(grep -c '^Stopped execution' "$t") stopped-before-start"
	done >"$tmp/loginfo-$v"
}
for v in $vendors; do
	[ "$(cat "$out/$v/rc" 2>/dev/null)" = 33 ] && windows "$v" &
done
wait
echo "vendor,row,loop,lines16,lines32,stopped16,stopped32,rewound16,rewound32,lines_per_call,rewound_per_call,trace_instructions,tsc_per_call,tsc_untraced_per_call,trace_minus_tsc" >"$out/trace-detail.csv"
echo "vendor,abi,mechanism,syscall,trace_instructions" >"$out/trace.csv"
for v in $vendors; do
	d=$out/$v
	rc=$(cat "$d/rc")
	printf 'vm-trace: [%s] QEMU exit %s in %.1f s' "$v" "$rc" "$(cat "$d/seconds")" >>"$log"
	if [ "$rc" != 33 ] || ! grep -q '^SCBT-END' "$d/results.txt" 2>/dev/null; then
		echo " (no pass verdict: see $d/console.log, $d/qemu.log, $d/driver.log)" >>"$log"
		tail -n 5 "$d/console.log" "$d/qemu.log" "$d/driver.log" 2>/dev/null | sed 's/^/  /' >>"$log"
		fail=1
		continue
	fi
	echo "" >>"$log"
	for t in "$d"/trace-*.log; do [ -s "$t" ] || { echo "vm-trace: [$v] empty trace $t" >>"$log"; fail=1; }; done
	cat "$tmp/loginfo-$v" >>"$log"
	tr -d '\r' <"$d/results.txt" | awk '$1 == "SCBT-TSC"' >"$tmp/tsc-$v"
	awk -v v="$v" '
		FILENAME ~ /lines/ { L[$1, $2] = $3; S[$1, $2] = $4; R[$1, $2] = $5; next }
		$1 == "SCBT-TSC" && $3 == "warm" { W[$2, $4] = $5; next }
		$1 == "SCBT-TSC" { T[$2, $3, $4] = $5; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
		END {
			for (i = 1; i <= n; i++) {
				r = order[i]; s = r; gsub(/\//, "_", s)
				for (l = 0; l < 3; l++) {
					a = s "_16" SUBSEP l; b = s "_32" SUBSEP l
					if (!(a in L) || !(b in L)) {
						printf "%s,%s,%d,,,,,,,,,,,,\n", v, r, l
						continue
					}
					raw = ((L[b] - S[b]) - (L[a] - S[a])) / 16
					rwc = (R[b] - R[a]) / 16
					ins = raw - rwc
					ip = (T[r, l, 32] - T[r, l, 16]) / 16
					wp = (W[r, 32] - W[r, 16]) / 16
					printf "%s,%s,%d,%d,%d,%d,%d,%d,%d,%s,%s,%s,%s,%s,%s\n", v, r, l, L[a], L[b], S[a], S[b], R[a], R[b], raw, rwc, ins, ip, wp, ins - ip
				}
			}
		}' "$tmp/lines-$v" "$tmp/tsc-$v" >>"$out/trace-detail.csv"
done
# one figure per row: the value two of the three loops agree on (a timer
# interrupt can land in one window, never in two: they are 4 ms of guest
# time apart, the whole traced part is well under 1 ms)
scb_tsv --columns vendor,row,trace_instructions "$out/trace-detail.csv" |
awk -F'\t' 'NR > 1 { k = $1 "," $2; if (!(k in n)) ord[++m] = k; v[k, n[k]++] = $3 }
	END {
		for (i = 1; i <= m; i++) {
			k = ord[i]; pick = ""
			for (a = 0; a < n[k]; a++) for (b = a + 1; b < n[k]; b++)
				if (pick == "" && v[k, a] != "" && v[k, a] == v[k, b]) pick = v[k, a]
			split(k, p, ","); split(p[2], q, "/")
			if (pick == "") { print "vm-trace: " k ": no two loops agree (" v[k, 0] " " v[k, 1] " " v[k, 2] ")" > "/dev/stderr"; bad = 1; continue }
			printf "%s,%s,%s,%s,%s\n", p[1], q[1], q[2], q[3], pick
		}
		exit bad
	}' >>"$out/trace.csv" 2>>"$log" || fail=1
[ -n "${VM_TRACE_KEEP:-}" ] || rm -f "$out"/*/trace-*.log
echo "vm-trace: $(($(wc -l <"$out/trace.csv") - 1)) rows in $out/trace.csv" >>"$log"
cat "$log" >&2
exit $fail
