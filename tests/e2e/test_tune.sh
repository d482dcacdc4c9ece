#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_tune.sh BUILD: the --tune state is trusted only as far as it can be
# proved scbench's own. Everything in the state file is written back as
# root, so a folder of another user's, a group-writable one or a link, a
# state file that is not a regular file of ours, a line naming a file tune
# never changes, garbage, planted tune.state.tmp / tune.lock links and an
# SCB_TUNE_STATE too long for the buffer are each refused with one line
# (exit 2 from tune --restore), with the victim files untouched and the
# state left as it was; "restored" is said only when something was. The
# SCB_SYSFS tree it writes into is checked the same way (owner, mode, not
# a link), and no link or hard link in it leads a write elsewhere.
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

# SCB_SYSFS is where tune writes as root: the tree's root must be root's
# or ours, writable by nobody else, not a link, and each file is opened
# from it without leaving it (openat2 RESOLVE_BENEATH, O_NOFOLLOW), a
# regular file of root's with one name. The victim, a root-only file
# named like a governor, sits outside every tree.
mkdir -p "$tmp/victimdir2"; victim2=$tmp/victimdir2/scaling_governor
reset_victim2() { echo original >"$victim2"; chmod 600 "$victim2"; }
tuned_quick() { SCB_TUNE_STATE=$st "$bin" run --tune --quick --counter-runs 0 --filter '^x86_64/vdso/time$' --no-table \
	--out "$tmp/r" >/dev/null 2>"$tmp/err"; }
# a tree owned by nobody, who made cpu0/cpufreq a link to the victim's folder
theirs=$tmp/theirs-sys
mkdir -p "$theirs/devices/system/cpu/cpu0"; chown -R nobody "$theirs"
runuser -u nobody -- ln -s "$tmp/victimdir2" "$theirs/devices/system/cpu/cpu0/cpufreq"
reset_victim2
printf 'holders\n%s\tPWNED\n' "$theirs/devices/system/cpu/cpu0/cpufreq/scaling_governor" >"$st/tune.state"
SCB_SYSFS=$theirs restore_refused "tune --restore with an SCB_SYSFS owned by nobody" "$st" 'SCB_SYSFS .* owned by uid'
[ "$(cat "$victim2")" = original ]
ok $? "and the file its link leads to is untouched ($(cat "$victim2"))"
rm -f "$st/tune.state"
SCB_SYSFS=$theirs tuned_quick; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'SCB_SYSFS .* refusing' "$tmp/err" &&
	[ "$(cat "$victim2")" = original ] && [ ! -e "$st/tune.state" ]
ok $? "run --tune with an SCB_SYSFS owned by nobody: exit 2 ($rc), one line, victim untouched: $(cat "$tmp/err")"
mkdir -m 0777 "$tmp/open-sys"; chmod 0777 "$tmp/open-sys"
SCB_SYSFS=$tmp/open-sys tuned_quick; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'writable by nobody else' "$tmp/err"
ok $? "run --tune with a world-writable SCB_SYSFS: exit 2 ($rc): $(cat "$tmp/err")"
ln -s "$fake" "$tmp/sys-link"
SCB_SYSFS=$tmp/sys-link tuned_quick; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'symbolic link' "$tmp/err" && [ "$(cat "$gov")" = powersave ]
ok $? "run --tune with an SCB_SYSFS that is a link: exit 2 ($rc): $(cat "$tmp/err")"
# a tree of root's, but with a link that leads out of it, and a hard link
# to a file elsewhere: neither is written through
ours_sys=$tmp/ours-sys
mkdir -p "$ours_sys/devices/system/cpu/cpu0" "$ours_sys/devices/system/cpu/cpu1/cpufreq"
ln -s "$tmp/victimdir2" "$ours_sys/devices/system/cpu/cpu0/cpufreq"
reset_victim2
ln "$victim" "$ours_sys/devices/system/cpu/cpu1/cpufreq/scaling_governor"; reset_victim
touch -d '2001-01-01' "$victim" "$victim2"; stamps=$(stat -c %y "$victim" "$victim2")
SCB_SYSFS=$ours_sys tuned_quick; rc=$?
# (not written at all: a write restored at exit would leave the text, not the time)
[ $rc -eq 0 ] && [ "$(cat "$victim2")" = original ] && [ "$(cat "$victim")" = original ] &&
	[ "$(stat -c %y "$victim" "$victim2")" = "$stamps" ] && grep -q 'nothing to change' "$tmp/err"
ok $? "run --tune: a link out of SCB_SYSFS and a hard link to a file elsewhere are not written (exit $rc; victims '$(cat "$victim2")', '$(cat "$victim")')"
printf 'holders\n%s\tPWNED\n%s\tPWNED\n' "$ours_sys/devices/system/cpu/cpu0/cpufreq/scaling_governor" \
	"$ours_sys/devices/system/cpu/cpu1/cpufreq/scaling_governor" >"$st/tune.state"
SCB_SYSFS=$ours_sys SCB_TUNE_STATE=$st "$bin" tune --restore >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && [ "$(cat "$victim2")" = original ] && [ "$(cat "$victim")" = original ] &&
	[ "$(stat -c %y "$victim" "$victim2")" = "$stamps" ] && grep -q 'could not write back 2 of the 2' "$tmp/err"
ok $? "tune --restore of those two: neither written, the state kept (exit $rc): $(cat "$tmp/err")"
rm -rf "$st/tune.state" "$ours_sys"
# a link inside the tree, like sysfs's cpuN/cpufreq -> ../cpufreq/policyN, is fine
mkdir -p "$ours_sys/devices/system/cpu/cpufreq/policy0" "$ours_sys/devices/system/cpu/cpu0"
echo powersave >"$ours_sys/devices/system/cpu/cpufreq/policy0/scaling_governor"
ln -s ../cpufreq/policy0 "$ours_sys/devices/system/cpu/cpu0/cpufreq"
SCB_SYSFS=$ours_sys SCB_TUNE_STATE=$st "$bin" run --tune --runs 3000 --filter '^x86_64/empty/' --out "$tmp/r" --no-table \
	>/dev/null 2>"$tmp/err" & pid=$!
for _ in $(seq 100); do [ "$(cat "$ours_sys/devices/system/cpu/cpufreq/policy0/scaling_governor")" = performance ] && break; sleep 0.05; done
during=$(cat "$ours_sys/devices/system/cpu/cpufreq/policy0/scaling_governor")
wait $pid; rc=$?
[ $rc -eq 0 ] && [ "$during" = performance ] && [ "$(cat "$ours_sys/devices/system/cpu/cpufreq/policy0/scaling_governor")" = powersave ]
ok $? "a sysfs-like link inside SCB_SYSFS (cpu0/cpufreq -> ../cpufreq/policy0): tuned ($during) and restored (exit $rc)"

# a folder scbench creates is 0700
SCB_TUNE_STATE=$tmp/new "$bin" run --tune --quick --counter-runs 0 --filter '^x86_64/vdso/time$' --no-table \
	--out "$tmp/r" >/dev/null 2>&1
[ "$(stat -c %a "$tmp/new")" = 700 ]
ok $? "the state folder --tune creates is mode $(stat -c %a "$tmp/new")"
tap_done
