#!/usr/bin/env bash
# test_tune.sh BUILD: the --tune state is trusted only as far as it can be
# proved scbench's own. Everything in the state file is written back as
# root, so a folder of another user's, a group-writable one or a link, a
# state file that is not a regular file of ours, a line naming a file tune
# never changes, garbage, planted tune.state.tmp / tune.lock links and an
# SCB_TUNE_STATE too long for the buffer are each refused with one line
# (exit 2 from tune --restore), with the victim files untouched and the
# state left as it was; "restored" is said only when something was.
set -u
. "$(dirname "$0")/tap.sh"
bin=$1/scbench
chmod 755 "$tmp"	# another user's folder lives in here
fake=$tmp/sys
gov=$fake/devices/system/cpu/cpu0/cpufreq/scaling_governor
mkdir -p "$(dirname "$gov")" "$tmp/victimdir"
echo powersave >"$gov"
victim=$tmp/victimdir/victim
reset_victim() { echo original >"$victim"; chmod 600 "$victim"; }
export SCB_SYSFS=$fake

# restore_refused DESCRIPTION STATE_DIR [WHAT THE MESSAGE SAYS]: tune
# --restore exits 2 with one line, says nothing was restored, and the
# victim and the state file are as they were.
restore_refused() {
	local what=$1 dir=$2 says=${3:-}
	local before; before=$(ls -lad "$dir" "$dir/tune.state" 2>&1; cat "$dir/tune.state" 2>&1)
	reset_victim
	SCB_TUNE_STATE=$dir "$bin" tune --restore >"$tmp/out" 2>"$tmp/err"; local rc=$?
	local after; after=$(ls -lad "$dir" "$dir/tune.state" 2>&1; cat "$dir/tune.state" 2>&1)
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
		! grep -qi 'restored [0-9]' "$tmp/err" && [ "$(cat "$victim")" = original ] &&
		[ "$before" = "$after" ] && { [ -z "$says" ] || grep -q "$says" "$tmp/err"; }
	ok $? "$what: exit 2 ($rc), one line, victim and state untouched: $(head -c 200 "$tmp/err")"
}

if [ "$(id -u)" -ne 0 ] || ! command -v runuser >/dev/null || ! runuser -u nobody -- true 2>/dev/null; then
	echo "ok 1 # SKIP the ownership cases need root and runuser -u nobody"
	echo "1..1"; exit 0
fi

# the issue's reproduction: a folder owned by nobody, a state naming a
# root-only file
hs=$tmp/hs
mkdir "$hs"; chown nobody "$hs"
runuser -u nobody -- sh -c "printf 'holders\n$victim\tPWNED\n' >'$hs/tune.state'"
restore_refused "a state folder owned by nobody" "$hs" 'owned by uid'
reset_victim
SCB_TUNE_STATE=$hs "$bin" run --quick --counter-runs 0 --filter '^x86_64/vdso/time$' --no-table \
	--out "$tmp/r" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ "$(cat "$victim")" = original ] && [ -f "$hs/tune.state" ] &&
	grep -q '^scbench: warning: tune state folder .* refusing' "$tmp/err"
ok $? "the same state met by a plain run: warned, victim untouched (exit $rc: $(grep tune "$tmp/err"))"

# root's own folder, but group- or world-writable, or a link to one
mkdir -m 0777 "$tmp/open"; chmod 0777 "$tmp/open"
printf 'holders\n%s\tperformance\n' "$gov" >"$tmp/open/tune.state"
restore_refused "a world-writable state folder" "$tmp/open" 'writable by nobody else'
mkdir -m 0700 "$tmp/real"; printf 'holders\n%s\tperformance\n' "$gov" >"$tmp/real/tune.state"
ln -s "$tmp/real" "$tmp/link"
restore_refused "a state folder that is a symbolic link" "$tmp/link" 'symbolic link'
[ "$(cat "$gov")" = powersave ]
ok $? "none of them wrote the governor ($(cat "$gov"))"

# a folder of ours holding what tune never writes
st=$tmp/state
mkdir -m 0700 "$st"
printf 'holders\n%s\tPWNED\n' "$victim" >"$st/tune.state"
restore_refused "a line naming a file tune does not change" "$st" 'not a setting tune changes'
printf 'holders\n%s/../../../../victimdir/victim\tPWNED\n' "$fake/devices/system/cpu/cpu0/cpufreq" >"$st/tune.state"
restore_refused "a path that climbs out with .." "$st" 'not a setting tune changes'
printf 'holders\n%s\tperformance\nrm -rf /\n' "$gov" >"$st/tune.state"
restore_refused "a good line, then garbage (nothing at all is written)" "$st" 'line 3'
[ "$(cat "$gov")" = powersave ]
ok $? "the good line before the garbage was not written either ($(cat "$gov"))"
printf 'hello\n' >"$st/tune.state"
restore_refused "garbage" "$st" 'line 1'
printf 'holders\n%s\tperf\033[2Jormance\n' "$gov" >"$st/tune.state"
restore_refused "a value with an escape sequence (echoed escaped)" "$st" '\\x1b'
printf 'holders\n%s\tperformance\n' "$gov" >"$st/tune.state"; chown nobody "$st/tune.state"
restore_refused "a state file owned by nobody in our folder" "$st" 'owned by uid'
rm -f "$st/tune.state"; mkdir "$st/tune.state"
restore_refused "tune.state a folder" "$st" 'not a regular file'
rmdir "$st/tune.state"

# the state tune writes, restored and said so; an empty one is not
printf 'holders\n%s\tschedutil\n' "$gov" >"$st/tune.state"
SCB_TUNE_STATE=$st "$bin" tune --restore 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ "$(cat "$gov")" = schedutil ] && grep -q 'restored 1 CPU setting ' "$tmp/err" && [ ! -e "$st/tune.state" ]
ok $? "a good state: restored and said (exit $rc, $(cat "$gov")): $(cat "$tmp/err")"
echo powersave >"$gov"
printf 'holders\n' >"$st/tune.state"
SCB_TUNE_STATE=$st "$bin" tune --restore 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && ! grep -q restored "$tmp/err" && grep -q 'nothing to restore' "$tmp/err"
ok $? "a state with nothing in it: exit $rc, nothing claimed: $(cat "$tmp/err")"

# planted links where tune creates its temporary and its lock
reset_victim
ln -s "$victim" "$st/tune.state.tmp"
SCB_TUNE_STATE=$st "$bin" run --tune --quick --counter-runs 0 --filter '^x86_64/vdso/time$' --no-table \
	--out "$tmp/r" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ "$(cat "$victim")" = original ] && [ ! -e "$st/tune.state.tmp" ] && [ "$(cat "$gov")" = powersave ]
ok $? "a tune.state.tmp link to a victim: not written through (exit $rc, victim '$(cat "$victim")', governor back to $(cat "$gov"))"
rm -f "$st/tune.lock"
ln -s "$tmp/victimdir/created" "$st/tune.lock"
SCB_TUNE_STATE=$st "$bin" run --tune --quick --counter-runs 0 --filter '^x86_64/vdso/time$' --no-table \
	--out "$tmp/r" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ ! -e "$tmp/victimdir/created" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ "$(cat "$gov")" = powersave ]
ok $? "a tune.lock link: nothing created where it points, refused (exit $rc): $(cat "$tmp/err")"
rm -f "$st/tune.lock"

# an SCB_TUNE_STATE longer than the buffer is refused, not cut to another folder
long=$tmp/$(printf 'd%.0s' $(seq 300))
SCB_TUNE_STATE=$long "$bin" run --tune --quick --counter-runs 0 --filter '^x86_64/vdso/time$' --no-table \
	--out "$tmp/r" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'SCB_TUNE_STATE is longer than' "$tmp/err" && [ -z "$(find "$tmp" -maxdepth 1 -name 'ddd*')" ]
ok $? "an SCB_TUNE_STATE of $((${#long})) characters: refused (exit $rc), no cut folder made"
SCB_TUNE_STATE=$long "$bin" tune --restore 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
ok $? "and by tune --restore (exit $rc)"

# a folder scbench creates is 0700
SCB_TUNE_STATE=$tmp/new "$bin" run --tune --quick --counter-runs 0 --filter '^x86_64/vdso/time$' --no-table \
	--out "$tmp/r" >/dev/null 2>&1
[ "$(stat -c %a "$tmp/new")" = 700 ]
ok $? "the state folder --tune creates is mode $(stat -c %a "$tmp/new")"
tap_done
