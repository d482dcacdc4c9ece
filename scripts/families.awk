# SPDX-License-Identifier: MIT
# families.awk: the mechanism families that the report and the plots group
# rows by, and the report's headline. Reads tab-separated rows with a header
# (scripts/csv.sh's output) and finds every column by name, so summary.csv
# can grow. Plain POSIX awk (Debian's default is mawk).
#
#   awk -F'\t' -v mode=group -f families.awk   the rows reordered family by
#       family (registry order kept inside each), a "family" column appended
#   awk -F'\t' -v mode=glance -v unit=ns -f families.awk   the headline, as
#       Markdown list items: cheapest and dearest way in, the reference, the
#       ratios far from 1 and why. Wants the columns bench, abi, mechanism,
#       syscall, value (per call, in unit), ratio; uses sys (syscalls per
#       call), pf (page faults per call), detail and virt (the
#       virtualization, one value for the run) where present.
#
# The families follow the kernel's entry paths (shared notes, mechanisms.md):
# a mechanism the table below does not know gets a family of its own, named
# after it, before the floor; nothing is dropped.
function fam_rank(abi, mech) {
	if (mech == "syscall" || mech == "syscall_x32" || mech == "sysenter" || mech == "kernel_vsyscall") return 1
	if (mech == "int80") return 2
	if (mech == "vdso") return 3
	if (mech == "vsyscall_page") return 4
	if (mech == "libc" || mech == "libc_syscall") return 5
	if (mech == "seccomp") return 6
	if (mech == "io_uring") return 7
	if (mech == "empty") return 9
	return 8
}
function fam_name(abi, mech,    r) {
	r = fam_rank(abi, mech)
	if (r == 1) return "Fast system-call instructions"
	if (r == 2) return "The legacy interrupt gate, int $0x80"
	if (r == 3) return "The vDSO: answered in user space"
	if (r == 4) return "The legacy vsyscall page"
	if (r == 5) return "Through glibc"
	if (r == 6) return "Under a seccomp filter"
	if (r == 7) return "io_uring"
	if (r == 9) return "The floor: the loop alone"
	return mech
}
# why a mechanism costs what it does: the kernel path it takes (entry: whether
# the row enters the kernel, see enters())
function why(abi, mech, detail, entry) {
	if (mech == "syscall" && abi == "x86_64") return "the 64-bit `syscall` instruction enters at entry_SYSCALL_64 and returns with SYSRET, the kernel's fast path"
	if (mech == "syscall") return "AMD's `syscall` from 32-bit code enters at entry_SYSCALL_compat and returns with SYSRETL"
	if (mech == "syscall_x32") return "the x32 ABI's syscalls take the 64-bit entry with `__X32_SYSCALL_BIT` set, then do_syscall_x32"
	if (mech == "sysenter") return "Intel's `sysenter` enters at entry_SYSENTER_compat and returns through the vDSO's landing pad"
	if (mech == "kernel_vsyscall") return "`call *AT_SYSINFO` runs the vDSO stub glibc uses, which issues the instruction the kernel chose" (detail != "" ? " (" detail ")" : "")
	if (mech == "int80") return "`int $0x80` is a software interrupt: entry_INT80_compat through the interrupt gate, back with IRET, which the fast instructions avoid"
	if (mech == "vdso") return "a vDSO call reads the kernel's clock data in user space and never enters the kernel"
	if (mech == "vsyscall_page") return "every call to the legacy vsyscall page takes a page fault that the kernel emulates"
	if (mech == "libc" && !entry) return "glibc's wrapper calls into the vDSO, without entering the kernel"
	if (mech == "libc") return "glibc's wrapper adds a call and errno handling around the same `syscall`"
	if (mech == "libc_syscall") return "glibc's generic `syscall()` shuffles the arguments into place first"
	if (mech == "seccomp") return "a seccomp filter sends every syscall down the kernel's slow entry path, and runs there unless the kernel's bitmap has cached its verdict"
	if (mech == "io_uring") return "one io_uring_enter serves a whole batch, so the syscall's cost is shared out (SQPOLL: a kernel thread polls, no syscall at all)"
	return ""
}
# three significant digits, whole numbers from 1000 up
function num(v) { return v >= 1000 ? sprintf("%.0f", v) : sprintf("%.3g", v) }
function times(r) { return num(r) "×" }
function count(v, what) { return num(v) " " what (num(v) == "1" ? "" : "s") }
function col(name) { return (name in at) ? $(at[name]) : "" }
NR == 1 {
	for (i = 1; i <= NF; i++) at[$i] = i
	if (mode == "group") print $0 "\tfamily"
	next
}
mode == "group" {
	r = fam_rank(col("abi"), col("mechanism"))
	key = r == 8 ? "8 " col("mechanism") : r ""
	if (!(key in n)) { keys[++nk] = key; n[key] = 0 }
	line[key, ++n[key]] = $0 "\t" fam_name(col("abi"), col("mechanism"))
	next
}
mode == "glance" {
	b = col("bench"); a = col("abi"); m = col("mechanism"); s = col("syscall")
	v = col("value"); rt = col("ratio"); sy = col("sys"); p = col("pf")
	if (col("virt") != "") virt = col("virt")
	if (v == "") next
	if (b == "x86_64/syscall/getppid") refv = v
	if (m == "vdso" && sy != "" && sy + 0 >= 0.5) fallback[++nf] = b SUBSEP sy
	if (m == "empty") { if (floor == "") { floor = b; floorv = v }; next }
	# one row speaks for each way in (abi/mechanism): its null call,
	# getppid, where it has one; else its cheapest row
	k = a "/" m
	score = rt != "" ? rt + 0 : v + 0
	if (!(k in rep) || (s == "getppid" && rs[k] != "getppid") || (s != "getppid" && rs[k] != "getppid" && score < rsc[k])) {
		if (!(k in rep)) order[++nr] = k
		rep[k] = b; rs[k] = s; rsc[k] = score; rv[k] = v; rr[k] = rt; rsys[k] = sy; rpf[k] = p
		rabi[k] = a; rmech[k] = m; rdet[k] = col("detail")
	}
}
# does a way in enter the kernel on every call? As counted (a syscall or a
# page fault a call) where the run counted; else by what it is: not the
# vDSO, not io_uring's batches (one entry shared out), not glibc's clock
# and time calls (glibc serves them from the vDSO)
function enters(k) {
	if (rsys[k] != "" && rsys[k] != "NaN") return rsys[k] + 0 >= 0.5 || (rpf[k] != "" && rpf[k] + 0 >= 0.5)
	if (rmech[k] == "vdso" || rmech[k] == "io_uring") return 0
	if (rmech[k] == "libc" && rs[k] ~ /^(clock_gettime|gettimeofday|time|getcpu)$/) return 0
	return 1
}
function line_for(k, what,    t) {
	t = "**" what ":** `" rep[k] "`, " num(rv[k]) " " unit " a call"
	if (rr[k] != "" && rep[k] != "x86_64/syscall/getppid") t = t ", " times(rr[k]) " the reference"
	if (why(rabi[k], rmech[k], rdet[k], enters(k)) != "") t = t ": " why(rabi[k], rmech[k], rdet[k], enters(k))
	if (rmech[k] == "vdso" && rsys[k] != "") t = t " (" count(rsys[k], "syscall") " a call)"
	if (rmech[k] == "vsyscall_page" && rpf[k] != "") t = t " (" count(rpf[k], "page fault") " a call)"
	return t "."
}
END {
	if (mode == "group") {
		# known families in their order, then the unknown, then the floor
		for (r = 1; r <= 9; r++)
			for (j = 1; j <= nk; j++) {
				if (r == 8 ? substr(keys[j], 1, 2) != "8 " : keys[j] != r "") continue
				for (i = 1; i <= n[keys[j]]; i++) print line[keys[j], i]
			}
		exit
	}
	if (nr == 0) { print "- No row was measured."; exit }
	# cheapest and dearest by the paired ratio where there is one (steadier
	# than the medians on a machine whose speed drifts), else by the median
	lo = hi = ""; klo = khi = ""
	for (j = 1; j <= nr; j++) {
		k = order[j]
		if (lo == "" || rsc[k] < lo) { lo = rsc[k]; cheap = k }
		if (hi == "" || rsc[k] > hi) { hi = rsc[k]; dear = k }
		if (enters(k) && (klo == "" || rsc[k] < klo)) { klo = rsc[k]; kcheap = k }
	}
	print "- " line_for(cheap, "Cheapest call")
	isref = kcheap != "" && rep[kcheap] == "x86_64/syscall/getppid"
	if (kcheap != "" && kcheap != cheap) print "- " line_for(kcheap, isref ? "Cheapest way into the kernel, and the reference for every ratio (×)" : "Cheapest way into the kernel")
	if (dear != cheap) print "- " line_for(dear, "Dearest way in")
	if (refv == "") print "- **No reference:** `x86_64/syscall/getppid` was not measured in this run, so there are no ratios."
	else if (!isref) printf "- **The reference:** `x86_64/syscall/getppid`, %s %s a call: the null syscall, which every ratio (×) is relative to.\n", num(refv), unit
	# the ways in whose ratio is far from 1, farthest first (at most six)
	ns = 0
	for (j = 1; j <= nr; j++) {
		k = order[j]
		if (k == cheap || k == dear || k == kcheap || rr[k] == "" || rep[k] == "x86_64/syscall/getppid") continue
		# told already: the mechanism of a line above
		if (rmech[k] == rmech[cheap] || rmech[k] == rmech[dear]) continue
		d = rr[k] + 0 >= 1 ? rr[k] + 0 : (rr[k] + 0 > 0 ? 1 / rr[k] : 0)
		if (d < 1.5) continue
		sk[++ns] = k; sd[ns] = d
	}
	for (i = 2; i <= ns; i++)
		for (j = i; j > 1 && sd[j] > sd[j - 1]; j--) { t = sd[j]; sd[j] = sd[j - 1]; sd[j - 1] = t; t = sk[j]; sk[j] = sk[j - 1]; sk[j - 1] = t }
	# one line a mechanism: its farthest row, the other ABI's after it
	shown = 0
	for (i = 1; i <= ns; i++) {
		k = sk[i]; mk = rmech[k]
		if (mk in said) { also[said[mk]] = also[said[mk]] "; `" rep[k] "`: " times(rr[k]); continue }
		if (shown == 6) continue
		said[mk] = ++shown; first[shown] = k
	}
	for (i = 1; i <= shown; i++) {
		k = first[i]
		t = "`" rep[k] "` costs " times(rr[k]) " a syscall here"
		if (rr[k] + 0 < 1) t = t " (" num(1 / rr[k]) " times cheaper)"
		if (also[i] != "") t = t " (" substr(also[i], 3) ")"
		if (why(rabi[k], rmech[k], rdet[k], enters(k)) != "") t = t ": " why(rabi[k], rmech[k], rdet[k], enters(k))
		print "- " t "."
	}
	for (i = 1; i <= nf; i++) {
		split(fallback[i], f, SUBSEP)
		printf "- `%s` enters the kernel all the same (%s a call): the vDSO falls back to a real syscall for what it cannot answer.\n", f[1], count(f[2], "syscall")
	}
	if (floor != "") printf "- The floor, `%s` (the loop alone), is %s %s a call: what the loop adds to every row.\n", floor, num(floorv), unit
}
