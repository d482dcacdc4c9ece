#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_results.sh BUILD: each results file agrees with what it was computed
# from. samples.csv's per-call figures with its tick pairs and env.csv's
# tsc_ghz; summary.csv's counts, ns_median, ns_p90 and ns_p99 recomputed
# from the valid samples (run.c summarise: stats_summarize of the valid
# ns_per_call, linear-interpolated quantiles, stats.c), ns_min and
# ticks_min from all the tick pairs (README: the best case, min t(2N) -
# min t(N) over N, so not a sample and not bound to lie below the median);
# the ordering ns_median <= ns_p90 <= ns_p99, the intervals holding their
# estimate, ticks = ns x tsc_ghz. The checker is first shown to catch a
# summary with ns_p90 and ns_p99 swapped and one with a shifted median.
# Then the exports: never a non-finite number (tsc_ghz=1e306, samples x
# calls_per_sample of 1e300 are bad input: one line, exit 2, nothing on
# stdout). Prints TAP.
set -u
. "$(dirname "$0")/tap.sh"
bin=$1/scbench
csv() { csv_sel "$@"; }

# check DIR: one line per disagreement on stdout; exit status the count
check() {
	local d=$1
	csv "$d/samples.csv" -v want=abi,mechanism,syscall,calls,ticks_n,ticks_2n,ticks_per_call,ns_per_call,valid,process \
		>"$tmp/s.tsv" || return 99
	csv "$d/summary.csv" -v want=abi,mechanism,syscall,status,samples,calls_per_sample,ns_median,ns_ci_lo,ns_ci_hi,ns_min,ns_p90,ns_p99,ticks_median,ticks_min,ratio_to_ref,ratio_ci_lo,ratio_ci_hi,samples_rejected,rejected_nonpositive,rejected_outliers \
		>"$tmp/m.tsv" || return 99
	local ghz; ghz=$(csv "$d/env.csv" -v want=key,value | awk -F'\t' '$1 == "tsc_ghz" { print $2 }')
	# per sample: the figures from the tick pairs
	awk -F'\t' -v ghz="$ghz" 'NR > 1 {
		t = ($6 - $5) / $4
		if (t - $7 > 0.0006 || $7 - t > 0.0006) printf "%s/%s/%s: ticks_per_call %s, the pair gives %.4f\n", $1, $2, $3, $7, t
		if ((t / ghz - $8) ^ 2 > (0.0006 + 1e-5 * (t < 0 ? -t : t) / ghz) ^ 2) printf "%s/%s/%s: ns_per_call %s, the pair / tsc_ghz gives %.4f\n", $1, $2, $3, $8, t / ghz
	}' "$tmp/s.tsv"
	# per measured row: what the summary says against its samples
	local problems=0
	while IFS=$'\t' read -r abi mech sys status samples calls med lo hi min p90 p99 ticks tmin ratio rlo rhi rej rnp rout; do
		case $status in ok|noisy) ;; *) continue ;; esac
		local name=$abi/$mech/$sys
		awk -F'\t' -v a="$abi" -v m="$mech" -v s="$sys" '$1 == a && $2 == m && $3 == s && $9 == 1 { print $8 }' \
			"$tmp/s.tsv" | sort -g >"$tmp/v"
		local taken; taken=$(awk -F'\t' -v a="$abi" -v m="$mech" -v s="$sys" '$1 == a && $2 == m && $3 == s' "$tmp/s.tsv" | wc -l)
		# the best case from every pair: (min t(2N) - min t(N)) / N in each
		# fresh process (each sized its own N), the lowest of them
		local best; best=$(awk -F'\t' -v a="$abi" -v m="$mech" -v s="$sys" '$1 == a && $2 == m && $3 == s {
				p = $10; if (!(p in k) || $5 < mn[p]) mn[p] = $5; if (!(p in k) || $6 < m2[p]) m2[p] = $6
				k[p]++; c[p] = $4 }
			END { for (p in k) { v = (m2[p] - mn[p]) / c[p]; if (!n++ || v < b) b = v }; printf "%.6f", b }' "$tmp/s.tsv")
		awk -v name="$name" -v taken="$taken" -v samples="$samples" -v calls="$calls" -v med="$med" -v lo="$lo" \
			-v hi="$hi" -v min="$min" -v p90="$p90" -v p99="$p99" -v ticks="$ticks" -v ghz="$ghz" -v ratio="$ratio" \
			-v rlo="$rlo" -v rhi="$rhi" -v rej="$rej" -v rnp="$rnp" -v rout="$rout" -v best="$best" -v tmin="$tmin" '
			function q(p,   h, i) { h = (n - 1) * p; i = int(h); return i + 1 < n ? x[i] + (h - i) * (x[i + 1] - x[i]) : x[i] }
			function near(a, b) { return (a - b) ^ 2 <= (0.002 + 2e-5 * (a < 0 ? -a : a)) ^ 2 }
			function bad(what) { printf "%s: %s\n", name, what; nbad++ }
			{ x[n++] = $1 }
			END {
				if (taken != samples) bad("samples " samples ", samples.csv has " taken)
				if (rej != rnp + rout) bad("samples_rejected " rej " is not " rnp " + " rout)
				if (taken - n != rej) bad("samples_rejected " rej ", samples.csv marks " taken - n " invalid")
				if (n == 0) { bad("no valid sample"); exit nbad }
				if (!(med + 0 <= p90 + 0 && p90 + 0 <= p99 + 0))
					bad("not ns_median <= ns_p90 <= ns_p99: " med ", " p90 ", " p99)
				if ((best - tmin) ^ 2 > (0.006 + 1e-5 * (best < 0 ? -best : best)) ^ 2) bad("ticks_min " tmin ", the tick pairs give " best)
				if (!near(best / ghz, min)) bad("ns_min " min ", the tick pairs / tsc_ghz give " best / ghz)
				if (!near(q(0.5), med)) bad("ns_median " med ", the valid samples give " q(0.5))
				if (!near(q(0.9), p90)) bad("ns_p90 " p90 ", the valid samples give " q(0.9))
				if (!near(q(0.99), p99)) bad("ns_p99 " p99 ", the valid samples give " q(0.99))
				if (!(lo + 0 <= med + 0 && med + 0 <= hi + 0)) bad("interval [" lo ", " hi "] does not hold the median " med)
				if ((ticks - med * ghz) ^ 2 > (0.01 + 1e-3 * ticks) ^ 2) bad("ticks_median " ticks " is not ns_median x tsc_ghz " med * ghz)
				if (ratio != "" && !(rlo + 0 <= ratio + 0 && ratio + 0 <= rhi + 0)) bad("ratio interval [" rlo ", " rhi "] does not hold " ratio)
				exit nbad
			}' "$tmp/v" || problems=$((problems + 1))
	done < <(tail -n +2 "$tmp/m.tsv")
	return $problems
}

out=$tmp/run
"$bin" run --quick --counter-runs 0 --filter '^x86_64/(syscall/getppid|vdso/time|vdso/clock_gettime|empty/none)$' \
	--no-table --out "$out" >/dev/null 2>&1
d=$out/latest
rows=$(tail -n +2 "$d/summary.csv" | wc -l)
check "$d" >"$tmp/problems"; rc=$?
[ "$rows" -eq 4 ] && [ $rc -eq 0 ] && [ ! -s "$tmp/problems" ]
ok $? "a quick run's $rows rows agree with their samples and env.csv$(head -3 "$tmp/problems" | tr '\n' ';' | sed 's/^./: &/')"

# the checker catches what it is for: p90 and p99 swapped, a median moved
mkdir "$tmp/swapped" "$tmp/moved"
cp "$d"/*.csv "$tmp/swapped/"; cp "$d"/*.csv "$tmp/moved/"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR > 1 && $5 == "ok" { t = $c["ns_p90"]; $c["ns_p90"] = $c["ns_p99"]; $c["ns_p99"] = t } 1' \
	"$d/summary.csv" >"$tmp/swapped/summary.csv"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR > 1 && $5 == "ok" && !done { $c["ns_median"] = $c["ns_median"] * 1.01; done = 1 } 1' \
	"$d/summary.csv" >"$tmp/moved/summary.csv"
check "$tmp/swapped" >"$tmp/p1"; rc1=$?
check "$tmp/moved" >"$tmp/p2"; rc2=$?
[ $rc1 -ne 0 ] && grep -q 'ns_p90 .*the valid samples give' "$tmp/p1" && [ $rc2 -ne 0 ] && grep -q 'ns_median' "$tmp/p2"
ok $? "the check finds ns_p90/ns_p99 swapped ($rc1 rows) and a median moved by 1% ($rc2): $(head -1 "$tmp/p1")"

# exports never write a non-finite number
export_refused() { # DESCRIPTION DIR [FORMAT]
	"$bin" export ${3:+--format "$3"} "$2" >"$tmp/eout" 2>"$tmp/eerr"; local rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/eerr")" -eq 1 ] && [ ! -s "$tmp/eout" ]
	ok $? "$1: exit 2 ($rc), one line, nothing on stdout: $(cat "$tmp/eerr")"
}
mkdir "$tmp/ghz" "$tmp/iter"
cp "$d"/*.csv "$tmp/ghz/"; cp "$d"/*.csv "$tmp/iter/"
sed -i 's/^1,tsc_ghz,.*/1,tsc_ghz,1e306/' "$tmp/ghz/env.csv"
export_refused "export with env.csv tsc_ghz=1e306" "$tmp/ghz"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR > 1 && $5 == "ok" { $c["samples"] = "1e300"; $c["calls_per_sample"] = "1e10" } 1' \
	"$d/summary.csv" >"$tmp/iter/summary.csv"
export_refused "export with samples 1e300 x calls_per_sample 1e10 (inf)" "$tmp/iter"
export_refused "the same, --format bencher" "$tmp/iter" bencher
"$bin" export "$d" >"$tmp/good.json" 2>/dev/null && "$bin" export --format bencher "$d" >"$tmp/good.bmf" 2>/dev/null
rc=$?
! grep -qiE '(^|[^a-z])(inf|nan)([^a-z]|$)' "$tmp/good.json" "$tmp/good.bmf" && [ $rc -eq 0 ] &&
	{ ! command -v python3 >/dev/null || python3 -c 'import json,sys; [json.load(open(f)) for f in sys.argv[1:]]' "$tmp/good.json" "$tmp/good.bmf"; }
ok $? "a good folder exports as JSON without inf or nan (exit $rc)"

# errors print fields escaped: one line, no raw control byte, whatever a
# CSV field or an argument holds (util_error escapes every line it prints)
mkdir "$tmp/nl"
cp "$d"/*.csv "$tmp/nl/"
awk -F, -v OFS=, 'NR == 2 { $5 = "\"a\nb\"" } 1' "$d/samples.csv" >"$tmp/nl/samples.csv"
"$bin" compare "$d" "$tmp/nl" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qF "'a\nb'" "$tmp/err" && ! grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$tmp/err"
ok $? "compare on a round 'a<newline>b': exit 2 ($rc), one line: $(head -c 160 "$tmp/err")"
for arg in $'--filter=\e[2J(' $'--frob\e]0;x\a' $'--cpu=1\n2'; do
	"$bin" run "$arg" --out "$tmp/none" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ! grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$tmp/err"
	ok $? "an argument with control bytes is echoed escaped: exit $rc, $(wc -l <"$tmp/err") line: $(head -c 120 "$tmp/err")"
done
# and no byte that is not valid UTF-8: a lone 0x9b is CSI on an 8-bit
# terminal (as U+009B, 0xc2 0x9b, is on a UTF-8 one); valid UTF-8 stays
# as it is
utf8_clean() { # FILE: valid UTF-8, no C0 control but the newline, no C1
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 && ! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' "$1"
}
for arg in $'--filter=\x9b2J(' $'--frob\x9d0;x\x9c' $'--cpu=\xc2\x9b1m' $'--cpu=\xed\xa0\x80\xc0'; do
	"$bin" run "$arg" --out "$tmp/none" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && utf8_clean "$tmp/err" && grep -q '\\x' "$tmp/err"
	ok $? "an argument with 8-bit controls or bytes that are not UTF-8 is echoed escaped: exit $rc: $(head -c 120 "$tmp/err" | cat -v)"
done
awk -F, -v OFS=, 'NR == 2 { $5 = "a\233[2Jb" } 1' "$d/samples.csv" >"$tmp/nl/samples.csv"
"$bin" compare "$d" "$tmp/nl" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qF "'a\x9b[2Jb'" "$tmp/err" && utf8_clean "$tmp/err"
ok $? "compare on a round 'a<0x9b>[2Jb': exit 2 ($rc), echoed escaped: $(head -c 160 "$tmp/err" | cat -v)"
"$bin" run $'--cpu=\xc3\xa9\xe2\x82\xac' --out "$tmp/none" >/dev/null 2>"$tmp/err"
grep -q $'\xc3\xa9\xe2\x82\xac' "$tmp/err"
ok $? "valid UTF-8 in an argument is echoed as it is: $(head -c 100 "$tmp/err")"
tap_done
