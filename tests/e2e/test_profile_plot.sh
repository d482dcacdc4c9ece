#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_profile_plot.sh BUILD: the profile's picture and report
# (scripts/vm/profile-report.sh, plots/profile.gp, plots/profile-groups.txt)
# from the committed fixture tests/fixtures/profile/ (20 rows of a real
# make bench-profile: 6.1.0-57, both vendor models, every mechanism's
# drawn row and getrandom_16), no VM needed:
#   - a real picture (PNG 1200 wide, ink, colours, nothing past its edges;
#     SVG with every used group's colour and a key entry each);
#   - every row's groups sum exactly to its functions (profile-groups.csv
#     against profile.csv, summed here), every group one of the table's,
#     and spot checks of the rules (the ITS thunk and the divider clear are
#     the Intel reference row's mitigation group, [bpf-jit] its own);
#   - "other" holds only the fixture's native_apic_mem_read;
#   - report.md: the picture, the reference row's functions with both
#     vendors' totals as the fixture sums them, each drawn row's groups;
#   - a function no rule knows (a later kernel's) lands in "other", is
#     drawn and named, and its row's total moves by exactly its count;
#   - a bad groups table or a profile.csv without a column: exit 2, one
#     line, nothing written.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
fix=$here/tests/fixtures/profile
csv=csv_sel
if ! command -v gnuplot >/dev/null; then
	echo "not ok 1 - gnuplot is not installed (make deps installs gnuplot-nox): the profile picture cannot be checked"
	echo "1..1"; exit 1
fi
if [ ! -x "$build/tests/pngstat" ]; then
	echo "not ok 1 - $build/tests/pngstat is missing (make test builds it)"
	echo "1..1"; exit 1
fi

p=$tmp/p
mkdir "$p" && cp "$fix/profile.csv" "$fix/env.csv" "$p/"
"$here/scripts/vm/profile-report.sh" "$p" >"$tmp/log" 2>&1
ok $? "profile-report.sh renders the fixture ($(tail -1 "$tmp/log"))"

s=$("$build/tests/pngstat" "$p/plots/profile.png" 2>&1)
read -r w h ink col <<<"$s"
awk -v w="$w" -v h="$h" -v ink="$ink" -v col="$col" 'BEGIN { exit !(w == 1200 && h >= 500 && ink > 0.05 && ink < 0.7 && col >= 20) }'
ok $? "plots/profile.png: ${w:-?}x${h:-?}, ink ${ink:-?}, ${col:-?} colours (want 1200 wide, >= 500 high, ink 0.05-0.7, >= 20 colours)"
e=$("$build/tests/pngstat" --edges "$p/plots/profile.png" 2>&1)
[ "$e" = "0 0" ]
ok $? "nothing runs past the picture's edges (ink in the outer columns, left right: $e)"
grep -q '<svg' "$p/plots/profile.svg" && ! grep -qE '<title>(Gnuplot|gnuplot_plot_[0-9]+)</title>' "$p/plots/profile.svg"
ok $? "plots/profile.svg is SVG with tooltips that say something"

# every group: declared in the table; the used ones drawn in their colour
# with a key entry
awk '$1 == "group" { print $2, $3; l = $0; sub(/^group[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", l); print l >"/dev/stderr" }' \
	"$here/plots/profile-groups.txt" >"$tmp/colours" 2>"$tmp/labels"
$csv "$p/profile-groups.csv" -v want=group | tail -n +2 | sort -u >"$tmp/used"
unknown=$(cut -d' ' -f1 "$tmp/colours" | sort | comm -13 - "$tmp/used" | paste -sd' ')
[ -s "$tmp/used" ] && [ -z "$unknown" ]
ok $? "every group in profile-groups.csv is one of plots/profile-groups.txt's ($(wc -l <"$tmp/used") used${unknown:+; unknown: $unknown})"
missing=""
while read -r k c; do
	grep -qx "$k" "$tmp/used" || continue
	r=$((16#${c:1:2})) g=$((16#${c:3:2})) b=$((16#${c:5:2}))
	grep -qE "rgb\( *$r, *$g, *$b\)" "$p/plots/profile.svg" || missing="$missing $k"
	l=$(sed -n "$(grep -n "^$k " "$tmp/colours" | cut -d: -f1)p" "$tmp/labels")
	grep -qF "<title>$l</title>" "$p/plots/profile.svg" || missing="$missing $k(key)"
done <"$tmp/colours"
[ -z "$missing" ]
ok $? "the SVG draws every used group in its colour, with its key entry${missing:+; missing:$missing}"

# the sums, here: per row, profile.csv's functions and profile-groups.csv's groups
rowsum() { $csv "$1" -v want=cpu_vendor,abi,mechanism,syscall,instructions | awk -F'\t' 'NR > 1 { s[$1 " " $2 "/" $3 "/" $4] += $5 } END { for (r in s) printf "%s %.10g\n", r, s[r] }' | sort; }
rowsum "$p/profile.csv" >"$tmp/f"
rowsum "$p/profile-groups.csv" >"$tmp/g"
nrow=$(wc -l <"$tmp/f")
[ "$nrow" -eq 20 ] && cmp -s "$tmp/f" "$tmp/g"
ok $? "every row's groups sum exactly to its functions ($nrow rows; first difference: $(diff "$tmp/f" "$tmp/g" | sed -n 2p))"
gsum() { # gsum DIR VENDOR ROW GROUP: that row's group total in DIR/profile-groups.csv
	$csv "$1/profile-groups.csv" -v want=cpu_vendor,abi,mechanism,syscall,group,instructions |
		awk -F'\t' -v k="$2 $3 $4" '$1 " " $2 "/" $3 "/" $4 " " $5 == k { print $6 }'
}
fsum() { # fsum VENDOR ROW REGEX: the fixture's functions of that row matching REGEX, summed
	$csv "$fix/profile.csv" -v want=cpu_vendor,abi,mechanism,syscall,function,instructions |
		awk -F'\t' -v k="$1 $2" -v re="$3" '$1 " " $2 "/" $3 "/" $4 == k && $5 ~ re { s += $6 } END { print s + 0 }'
}
m=$(gsum "$p" intel x86_64/syscall/getppid mitig) mf=$(fsum intel x86_64/syscall/getppid '^(its_return_thunk|amd_clear_divider)$')
b=$(gsum "$p" intel x86_64/seccomp/getppid_arg_16 bpf) bf=$(fsum intel x86_64/seccomp/getppid_arg_16 '^\[bpf-jit\]$')
u=$(gsum "$p" amd x86_64/syscall/getrandom_16 body) uf=$(fsum amd x86_64/syscall/getrandom_16 '^(__x64_sys_getrandom|get_random_bytes_user|chacha_|crng_|_copy_to_iter|copy_user_|__memcpy|memcpy_|import_single_range)')
[ "$m" = "$mf" ] && [ "$mf" -gt 0 ] && [ "$b" = "$bf" ] && [ "$bf" -gt 0 ] && [ "${u:-0}" -ge "$uf" ] && [ "$uf" -gt 100 ]
ok $? "the rules place what they say: Intel getppid's mitigation group $m (ITS thunk + divider clear: $mf), seccomp's BPF JIT group $b ([bpf-jit]: $bf), AMD getrandom_16's own work ${u:-none} >= its random-pool functions' $uf"

# what the table leaves to "other" in this kernel: only the APIC read of
# the int $0x80 rows (README: the one the trace lane discounts); a rule
# lost or broken shows here as a function more
oth=$(sed -n 's/^No rule of .* places these (they are drawn as "other"): \(.*\)\.$/\1/p' "$p/report.md")
[ "$oth" = '`native_apic_mem_read`' ]
ok $? "the table places every function of the fixture but native_apic_mem_read (report.md's \"other\": ${oth:-none listed})"

# the report
ref() { fsum "$1" x86_64/syscall/getppid .; }
ti=$(ref intel) ta=$(ref amd)
nf=$($csv "$fix/profile.csv" -v want=abi,mechanism,syscall,function | awk -F'\t' '$1 "/" $2 "/" $3 == "x86_64/syscall/getppid" { print $4 }' | sort -u | wc -l)
awk -v ti="$ti" -v ta="$ta" -v nf="$nf" '
	/^## The reference row: x86_64\/syscall\/getppid/ { on = 1; next }
	/^## / { on = 0 }
	on && /^\| `/ { n++ }
	on && /^\| \*\*total\*\*/ { tot = $0 }
	/^!\[.*\]\(<plots\/profile\.png>\)$/ { img = 1 }
	/^## Each drawn row, by group/ { drawn = 1 }
	END { exit !(img && drawn && n == nf && tot == "| **total** | | **" ti "** | **" ta "** |") }' "$p/report.md"
ok $? "report.md shows the picture, each drawn row's groups, and the reference row's $nf functions with the totals the fixture sums to (Intel $ti, AMD $ta)"
grep -q 'data:image/png;base64,' "$p/report.html" && ! grep -q 'src="plots/' "$p/report.html" && grep -q '<h2>The reference row: x86_64/syscall/getppid</h2>' "$p/report.html"
ok $? "report.html is the same report, self-contained (the picture embedded)"

# a function no rule knows: "other", drawn, named, counted
q=$tmp/q
mkdir "$q" && cp "$fix/env.csv" "$q/" &&
	awk -F, -v OFS=, '{ print } $3 == "intel" && $4 "/" $5 "/" $6 == "x86_64/syscall/getppid" && !done { $7 = "a_function_of_a_later_kernel"; $8 = 7; print; done = 1 }' \
		"$fix/profile.csv" >"$q/profile.csv"
"$here/scripts/vm/profile-report.sh" "$q" >"$tmp/qlog" 2>&1
rc=$?
o0=$(gsum "$p" intel x86_64/syscall/getppid other) o=$(gsum "$q" intel x86_64/syscall/getppid other)
qt=$(awk -F'|' '$2 ~ /x86_64\/syscall\/getppid/ && $3 ~ /Intel/ { print $NF $(NF - 1) }' "$q/report.md" | tr -dc '0-9')
[ $rc -eq 0 ] && [ -z "$o0" ] && [ "$o" = 7 ] &&
	[ "$qt" = $((ti + 7)) ] && grep -q 'drawn as "other".*`a_function_of_a_later_kernel`' "$q/report.md"
ok $? "a function no rule knows lands in \"other\" (${o:-none}; none before), its row's total is $ti + 7 = ${qt:-?}, and report.md names it (exit $rc)"

# bad input: one line, exit 2, nothing written
r=$tmp/r
mkdir "$r" && cp "$fix/profile.csv" "$r/"
printf '# SPDX-License-Identifier: MIT\ngroup other #55555 other\n' >"$tmp/bad-groups"
SCB_PROFILE_GROUPS=$tmp/bad-groups "$here/scripts/vm/profile-report.sh" "$r" >"$tmp/rlog" 2>&1
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/rlog")" -eq 1 ] && grep -q 'bad-groups:2: want: group KEY #RRGGBB LABEL' "$tmp/rlog" && [ ! -e "$r/report.md" ] && [ ! -e "$r/plots" ]
ok $? "a bad line in the groups table is refused, naming its line, nothing written (exit $rc: $(head -1 "$tmp/rlog"))"
printf '# SPDX-License-Identifier: MIT\ngroup entry #4477aa entry\nentry entry_.*\n' >"$tmp/no-other"
SCB_PROFILE_GROUPS=$tmp/no-other "$here/scripts/vm/profile-report.sh" "$r" >"$tmp/rlog" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'no group "other"' "$tmp/rlog" && [ ! -e "$r/report.md" ]
ok $? "a groups table without \"other\" is refused (exit $rc: $(head -1 "$tmp/rlog"))"
sed '1s/,instructions$/,count/' "$fix/profile.csv" >"$r/profile.csv"
"$here/scripts/vm/profile-report.sh" "$r" >"$tmp/rlog" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'instructions' "$tmp/rlog" && [ ! -e "$r/report.md" ]
ok $? "a profile.csv without an instructions column is refused (exit $rc: $(head -1 "$tmp/rlog"))"
tap_done
