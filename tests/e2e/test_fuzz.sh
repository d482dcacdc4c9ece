#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_fuzz.sh BUILD: every libFuzzer target (tests/fuzz) runs a few
# seconds (FUZZ_TEST_SECONDS, default 4) from its seeds: no crash, leak or
# UBSan report. `make fuzz FUZZ_SECONDS=N` runs them for longer.
set -u
. "$(dirname "$0")/tap.sh"
build=$1
if ! ls "$build"/fuzz/fuzz_* >/dev/null 2>&1; then
	echo "ok 1 # SKIP no fuzz targets built (clang with libFuzzer missing: make deps installs clang)"
	echo "1..1"; exit 0
fi
"$here/scripts/ci/fuzz.sh" "$build/fuzz" "${FUZZ_TEST_SECONDS:-4}" >"$tmp/log" 2>&1
rc=$?
while read -r line; do
	case $line in
	"fuzz: fuzz_"*": FAILED"*) ok 1 "$line" ;;
	"fuzz: fuzz_"*) ok 0 "$line" ;;
	esac
done <"$tmp/log"
[ $rc -eq 0 ]
ok $? "$(tail -1 "$tmp/log")"
tap_done
