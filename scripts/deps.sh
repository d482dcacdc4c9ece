#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# deps.sh GROUP...: make sure the Debian/Ubuntu packages scbench needs for
# each GROUP are installed, installing the missing ones with apt-get (through
# sudo when not root). Quiet when nothing is missing.
#
# Groups: build (compile the harness, both ABIs), bench (run it and plot),
# plots (gnuplot), vm (the QEMU lane), crosscheck (hyperfine, perf), fuzz
# (clang for libFuzzer), browser (chromium, the report screenshot test),
# gbench (google/benchmark's compare.py), test (make test: all of them).
set -eu

packages_for() {
	case $1 in
	build) echo "gcc make libc6-dev gcc-multilib binutils libpfm4-dev liburing-dev" ;;
	bench) packages_for build; packages_for plots ;;
	plots) echo "gnuplot-nox" ;;
	vm)    echo "qemu-system-x86" ;;
	crosscheck) packages_for build; echo "hyperfine linux-perf" ;;
	fuzz)  packages_for build; echo "clang" ;;
	browser) echo "chromium" ;;
	# google/benchmark's own compare.py (and what its U test needs), the
	# real consumer of the google-benchmark export
	gbench) echo "libbenchmark-tools python3 python3-scipy python3-numpy" ;;
	test)  packages_for build; packages_for plots; packages_for vm; packages_for crosscheck; packages_for fuzz; packages_for browser
	       packages_for gbench; echo "zlib1g-dev" ;;
	*) echo "deps.sh: unknown group '$1' (build, bench, plots, vm, crosscheck, fuzz, browser, gbench, test)" >&2; exit 2 ;;
	esac
}

want=""
for g in "${@:-build}"; do
	want="$want $(packages_for "$g")"
done
want=$(echo $want | tr ' ' '\n' | sort -u | tr '\n' ' ')

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "scbench: not a Debian/Ubuntu system; make sure these (or your distribution's" \
	     "equivalents) are installed: $want" >&2
	command -v "${CC:-gcc}" >/dev/null && command -v make >/dev/null && exit 0
	exit 1
fi

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo -n"
else
	echo "scbench: missing packages:$missing. Install them with:" \
	     "sudo apt-get install$missing" >&2
	exit 1
fi
# apt's own output goes to the log; the terminal gets one line, and the
# log's path when something fails
log=${DEPS_LOG:-$(cd "$(dirname "$0")/.." && pwd)/build/deps.log}
mkdir -p "$(dirname "$log")"
echo "scbench: installing for ${*:-build}:$missing (log: $log)" >&2
export DEBIAN_FRONTEND=noninteractive
{ $sudo apt-get update -qq || true; } >>"$log" 2>&1
if ! $sudo apt-get install -y -qq --no-install-recommends $missing >>"$log" 2>&1; then
	echo "scbench: apt-get could not install$missing; see $log, or install them by hand" >&2
	exit 1
fi
