# SPDX-License-Identifier: MIT
# tap.sh: sourced by the shell tests (tests/test_*.sh): a scratch folder
# removed on exit ($tmp), the repository root ($here), and the TAP helpers.
#   ok STATUS DESCRIPTION   "ok N - ..." when STATUS is 0, else "not ok N - ..."
#   tap_done                the plan line; fails if any check failed
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
tap_done() {
	echo "1..$n"
	[ $failed -eq 0 ]
}
