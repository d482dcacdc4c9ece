#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_files.sh BUILD: what scbench creates on disk, as root in a shared
# folder would meet it. Concurrent runs into a parent that does not exist
# yet all succeed; --json's folder is checked before measuring; temporary
# files are created exclusively (planted links are never written through);
# every results folder carries the marker (.scbench-results) and the
# stale-entry sweep removes only what carries it, by descriptor, and only
# in a RESULTS no one else can write. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh"
bin=$1/scbench
quick() { "$bin" run --quick --counter-runs 0 --runs 20 --filter '^x86_64/vdso/time$' --no-table "$@"; }

# three at once, twice, into NEWDIR/sub with NEWDIR missing: none may lose
# its run (the writability check once removed a root another run used)
lost=0 folders=0
for round in 1 2; do
	pids=""
	for i in 1 2 3; do
		quick --out "$tmp/new$round/sub" >/dev/null 2>"$tmp/cc$round-$i.err" &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p" || lost=$((lost + 1)); done
	folders=$((folders + $(find "$tmp/new$round/sub" -mindepth 1 -maxdepth 1 -type d -name '*T*Z*' | wc -l)))
done
[ $lost -eq 0 ] && [ $folders -eq 6 ]
ok $? "6 concurrent runs into a new NEWDIR/sub: $lost lost, $folders folders$(cat "$tmp"/cc*.err | grep -E 'writable|No such|--out' | head -1 | sed 's/^/: /')"

marked=0
for d in "$tmp"/new*/sub/*T*Z*/; do
	[ "$(cat "$d/.scbench-results" 2>/dev/null)" = "scbench $("$bin" --version | awk '{ print $2 }') results folder" ] &&
		marked=$((marked + 1))
done
[ $marked -eq 6 ]
ok $? "every results folder carries .scbench-results naming scbench and its version ($marked of 6: $(cat "$tmp/new1/sub/latest/.scbench-results"))"

# --json into a folder that does not exist: refused before measuring
"$bin" run --quick --json "$tmp/nonexistent/dir/x.json" --out "$tmp/j1" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -e "$tmp/j1" ] && [ ! -s "$tmp/out" ]
ok $? "--json /nonexistent/dir/x.json: exit 2 ($rc) before measuring, one line: $(cat "$tmp/err")"
mkdir "$tmp/adir"
"$bin" run --quick --json "$tmp/adir" --out "$tmp/j1" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ ! -e "$tmp/j1" ]
ok $? "--json naming a folder: exit 2 ($rc) before measuring: $(cat "$tmp/err")"

# --json FILE's temporary: links planted for the next few hundred PIDs
# (its name was FILE.tmp-PID) point at a victim, which stays as it is
echo original >"$tmp/victim"
# (one process plants them all, perl-base being Debian's essential perl,
# so the PIDs run on from here)
next=$(sh -c 'echo $$')
perl -e 'symlink($ARGV[0], "$ARGV[1]/run.json.tmp-$_") for $ARGV[2] .. $ARGV[2] + 300' "$tmp/victim" "$tmp" "$next"
quick --json "$tmp/run.json" --out "$tmp/j2" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ "$(cat "$tmp/victim")" = original ] && grep -q '"benchmarks"' "$tmp/run.json" &&
	[ "$(find "$tmp" -maxdepth 1 -name 'run.json.tmp-*' -type f | wc -l)" -eq 0 ]
ok $? "--json with 301 planted FILE.tmp-PID links: victim untouched, FILE written, no temporary left (exit $rc)"
rm -f "$tmp"/run.json.tmp-*
touch "$tmp/plain"
[ "$(stat -c %a "$tmp/run.json")" = "$(stat -c %a "$tmp/plain")" ]
ok $? "the --json file gets a plain file's mode ($(stat -c %a "$tmp/run.json"), not mkstemp's 600)"

# the stale sweep (each run does it in its --out root): a dead writer's
# marked temporary goes; a user's file or unmarked folder of a like name,
# or a link to elsewhere, stays
root=$tmp/sweep
mkdir -p "$root/.tmp-host-20200101T000000Z-999999" "$root/.tmp-mine" "$root/.tmp-empty-999999" "$tmp/elsewhere"
echo "scbench 0.1.0 results folder" >"$root/.tmp-host-20200101T000000Z-999999/.scbench-results"
echo data >"$root/.tmp-host-20200101T000000Z-999999/summary.csv"
echo keep >"$root/.tmp-mine/notes"; echo keep >"$root/.tmp-notes"; echo keep >"$tmp/elsewhere/file"
ln -s "$tmp/elsewhere" "$root/.tmp-link-999999"
touch -d '3 days ago' "$root/.tmp-notes" "$root/.tmp-mine"
quick --out "$root" >/dev/null 2>&1
[ ! -e "$root/.tmp-host-20200101T000000Z-999999" ] && [ ! -e "$root/.tmp-empty-999999" ] &&
	[ -f "$root/.tmp-mine/notes" ] && [ -f "$root/.tmp-notes" ] && [ -L "$root/.tmp-link-999999" ] &&
	[ -f "$tmp/elsewhere/file" ]
ok $? "the stale sweep removes a dead writer's marked and empty temporaries, keeps a user's .tmp-notes, .tmp-mine/ and a .tmp-* link: $(ls -A "$root" | tr '\n' ' ')"

# the writer's PID in either form: results_write's mkdtemp folder has it
# before the random part (.tmp-HOST-STAMP-PID.XXXXXX), the scripts' mktemp
# --suffix=-$$ after it (.tmp-NAME-XXXXXX-PID): a dead writer's goes, a
# live one's (this shell's) stays
root=$tmp/sweep2
mkdir -p "$root"
for d in .tmp-host-20200101T000000Z-999999.Ab12cd .tmp-host-20200101T000000Z-$$.Ab12cd \
	.tmp-report-Ab12cd-999999 .tmp-report-Ab12cd-$$; do
	mkdir "$root/$d"; echo "scbench 0.1.0 results folder" >"$root/$d/.scbench-results"
done
quick --out "$root" >/dev/null 2>&1
[ ! -e "$root/.tmp-host-20200101T000000Z-999999.Ab12cd" ] && [ ! -e "$root/.tmp-report-Ab12cd-999999" ] &&
	[ -d "$root/.tmp-host-20200101T000000Z-$$.Ab12cd" ] && [ -d "$root/.tmp-report-Ab12cd-$$" ]
ok $? "the sweep reads the PID in .tmp-HOST-STAMP-PID.XXXXXX and .tmp-NAME-XXXXXX-PID: dead ones removed, live ones kept: $(ls -A "$root" | tr '\n' ' ')"

# the run's own temporary is mkdtemp's, not a name anyone can predict:
# .tmp-HOST-STAMP-PID planted (as files, which the sweep leaves alone) for
# the next few hundred PIDs and seconds once made a finished run fail
# with EEXIST; now it writes its folder, and every planted entry stays
root=$tmp/planted
mkdir -p "$root"
host=$(uname -n | tr -c 'a-zA-Z0-9._\n-' '_')
next=$(sh -c 'echo $$')
perl -e 'my ($root, $host, $pid) = @ARGV; for my $s (-1 .. 6) {
	my @t = gmtime(time + $s); my $stamp = sprintf("%04d%02d%02dT%02d%02d%02dZ", $t[5] + 1900, $t[4] + 1, @t[3, 2, 1, 0]);
	for my $p ($pid .. $pid + 300) { my $f; open($f, ">", "$root/.tmp-$host-$stamp-$p") and print $f "planted\n" } }' \
	"$root" "$host" "$next"
planted=$(ls -A "$root" | wc -l)
quick --out "$root" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ -f "$root/latest/summary.csv" ] && [ "$(ls -A "$root" | grep -c '^\.tmp-')" -eq "$planted" ] &&
	[ "$(cat "$root"/.tmp-* | sort -u)" = planted ]
ok $? "a run into a root with $planted planted .tmp-HOST-STAMP-PID names: exit $rc, its folder written, the planted ones untouched$(head -1 "$tmp/err" | sed 's/^/: /')"
mkdir "$tmp/plain-dir"
[ "$(stat -c %a "$tmp/sweep2/latest/")" = "$(stat -c %a "$tmp/plain-dir")" ]
ok $? "the results folder gets a plain folder's mode ($(stat -c %a "$tmp/sweep2/latest/"), not mkdtemp's 700)"

# a RESULTS someone else owns (or can write) is not swept: a rename there
# between the checks and the walk could point root's removal elsewhere.
# One warning; a stale-looking marked folder of ours stays
if id nobody >/dev/null 2>&1; then
	root=$tmp/theirs
	mkdir -p "$root/.tmp-x-999999999"
	echo "scbench 0.1.0 results folder" >"$root/.tmp-x-999999999/.scbench-results"
	chown nobody "$root"; chmod 755 "$root"
	quick --out "$root" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 0 ] && [ -f "$root/.tmp-x-999999999/.scbench-results" ] && [ "$(grep -c 'left alone' "$tmp/err")" -eq 1 ] &&
		grep -q 'owned by uid' "$tmp/err"
	ok $? "a RESULTS owned by nobody: its stale-looking .tmp-x-999999999 left alone, one warning (exit $rc): $(grep 'left alone' "$tmp/err")"
else
	n=$((n + 1)); echo "ok $n # SKIP no user nobody"
fi
root=$tmp/groupw
mkdir -p "$root/.tmp-x-999999999"
echo "scbench 0.1.0 results folder" >"$root/.tmp-x-999999999/.scbench-results"
chmod 775 "$root"
quick --out "$root" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ -d "$root/.tmp-x-999999999" ] && [ "$(grep -c 'writable by others' "$tmp/err")" -eq 1 ]
ok $? "a group-writable RESULTS: its stale-looking folder left alone, one warning (exit $rc): $(grep 'left alone' "$tmp/err")"
chmod 1777 "$root"
quick --out "$root" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ ! -e "$root/.tmp-x-999999999" ] && ! grep -q 'left alone' "$tmp/err"
ok $? "a sticky one (like /tmp) is swept: no one else can rename our entries there (exit $rc)"

# the sweep removes by descriptor (openat/unlinkat), never by a path a
# rename could redirect; a link inside a stale folder is removed, its
# target's contents stay
root=$tmp/walk
mkdir -p "$root/.tmp-x-999999999/sub/deeper" "$tmp/elsewhere2"
echo "scbench 0.1.0 results folder" >"$root/.tmp-x-999999999/.scbench-results"
echo keep >"$tmp/elsewhere2/file"; echo x >"$root/.tmp-x-999999999/sub/deeper/f"
ln -s "$tmp/elsewhere2" "$root/.tmp-x-999999999/link"
ln -s "$tmp/elsewhere2" "$root/.tmp-x-999999999/sub/link"
if command -v strace >/dev/null; then
	strace -f -e trace=unlink,unlinkat,rmdir,openat -o "$tmp/trace" "$bin" run --quick --counter-runs 0 --runs 20 \
		--filter '^x86_64/vdso/time$' --no-table --out "$root" >/dev/null 2>&1
	bypath=$(grep -E '(unlink|rmdir)\(".*\.tmp-x-|unlinkat\(AT_FDCWD, ".*\.tmp-x-' "$tmp/trace" | wc -l)
	byfd=$(grep -cE 'unlinkat\([0-9]+, "' "$tmp/trace")
	[ ! -e "$root/.tmp-x-999999999" ] && [ -f "$tmp/elsewhere2/file" ] && [ "$bypath" -eq 0 ] && [ "$byfd" -ge 5 ]
	ok $? "a stale folder with links and subfolders: removed by descriptor ($byfd unlinkat on a folder fd, $bypath by path), the links' target kept"
else
	quick --out "$root" >/dev/null 2>&1
	[ ! -e "$root/.tmp-x-999999999" ] && [ -f "$tmp/elsewhere2/file" ]
	ok $? "a stale folder with links and subfolders: removed, the links' target kept"
fi

# a results file can't be made through a link: the run folder is created
# fresh and each file in it with O_EXCL|O_NOFOLLOW (seen in strace)
if command -v strace >/dev/null; then
	strace -f -e trace=openat -o "$tmp/trace" "$bin" run --quick --counter-runs 0 --runs 20 \
		--filter '^x86_64/vdso/time$' --no-table --out "$tmp/st" >/dev/null 2>&1
	bad=$(grep -E 'openat\(.*(summary|samples|env)\.csv|\.scbench-results' "$tmp/trace" | grep -vc 'O_EXCL|O_NOFOLLOW')
	made=$(grep -cE 'openat\(.*(summary|samples|env)\.csv|openat\(.*\.scbench-results' "$tmp/trace")
	[ "$made" -ge 4 ] && [ "$bad" -eq 0 ]
	ok $? "results files are created with O_EXCL|O_NOFOLLOW ($made opens, $bad without)"
else
	n=$((n + 1)); echo "ok $n # SKIP strace missing"
fi
tap_done
