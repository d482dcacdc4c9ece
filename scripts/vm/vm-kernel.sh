#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vm-kernel.sh DIR [SPEC]: make sure the guest kernel SPEC names is cached
# under DIR/kernels/ and verified, print its vmlinuz path, and write beside
# it vmlinuz.id: the kernel's identity (package, version, sha256 of the
# vmlinuz booted, where the name came from).
# vm-kernel.sh --resolve SPEC: print "PACKAGE VERSION" as the archive has it
# now, ignoring the lock (make kernels-update uses it); nothing is fetched.
#
# SPEC, one of:
#   (empty)              the lock's first entry: the lane's default kernel
#   NAME                 a name in bench/kernels.lock (a metapackage such as
#                        linux-image-6.12-cloud-amd64): the exact package,
#                        version and checksum the lock pins
#   PACKAGE=VERSION      exactly that (linux-image-6.1.0-56-cloud-amd64=6.1.192-2)
#   PACKAGE              a versioned image package at the archive's candidate
#                        version, or a metapackage not in the lock, resolved
#                        once to the versioned package it depends on
# VM_KERNEL=FILE boots that file instead: its identity is its sha256 (the
# guest's `uname -rv` lands in env.csv as kernel_release/kernel_version).
# SCB_KERNELS_LOCK names another lock file.
#
# Why a lock: Debian renames the cloud kernel at every ABI bump (6.1.0-56 ->
# -57), so a metapackage is a moving name, and a count gate keyed on it
# switches itself off a week after it was made. The lock changes only
# through make kernels-update, which shows what the new kernel moved.
#
# Only ./boot/vmlinuz-* is taken out of the .deb with dpkg-deb: installing a
# kernel would pull in initramfs-tools and change this machine. apt-get
# download verifies the .deb against the archive's signed index; the sha256
# of the vmlinuz is checked again on every use of the cache.
#
# Exit: 0 ok, 1 could not fetch or verify, 2 bad input, 3 that exact
# package or version is not in the archive (the count gate falls back on it).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
lock=${SCB_KERNELS_LOCK:-$here/bench/kernels.lock}
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
say() { scb_line "scbench" "$@"; }

resolve_only=0
if [ "${1:-}" = --resolve ]; then
	resolve_only=1
	shift
	[ $# -eq 1 ] || { say "usage: vm-kernel.sh --resolve SPEC"; exit 2; }
	dir=""
	spec=$1
else
	[ $# -ge 1 ] && [ $# -le 2 ] || { say "usage: vm-kernel.sh DIR [SPEC]"; exit 2; }
	dir=$1 spec=${2:-}
fi
# Debian package names and versions: nothing else may reach a path or apt
valid_name() { [[ $1 =~ ^[a-z0-9][a-z0-9.+-]*$ ]]; }
valid_version() { [[ $1 =~ ^[0-9A-Za-z.+~:-]+$ ]]; }

if [ -n "${VM_KERNEL:-}" ] && [ $resolve_only -eq 0 ]; then
	[ -f "$VM_KERNEL" ] && [ -r "$VM_KERNEL" ] || { say "VM_KERNEL=$VM_KERNEL is not a readable file"; exit 2; }
	# a copy, hashed as copied: the file booted is the file identified
	mkdir -p "$dir/kernels" || exit 1
	t=$(mktemp -d "$dir/kernels/.file.XXXXXX") || exit 1
	cp -- "$VM_KERNEL" "$t/vmlinuz" || { rm -rf "$t"; say "VM_KERNEL=$VM_KERNEL: cannot copy"; exit 1; }
	sum=$(sha256sum <"$t/vmlinuz" | cut -d' ' -f1)
	printf 'package=file\nversion=\nsha256=%s\nsource=VM_KERNEL=%s\n' "$sum" "$VM_KERNEL" >"$t/vmlinuz.id"
	echo "$sum" >"$t/vmlinuz.sha256"
	chmod 755 "$t"
	# another lane may have put the same file there first: keep it if it is
	# that file (a regular file with this checksum), else replace it
	f=$dir/kernels/file-$sum
	if ! mv -T "$t" "$f" 2>/dev/null; then
		if [ -f "$f/vmlinuz" ] && [ ! -L "$f/vmlinuz" ] && [ "$(sha256sum <"$f/vmlinuz" | cut -d' ' -f1)" = "$sum" ]; then
			rm -rf "$t"
		else
			rm -rf -- "$f" && mv -T "$t" "$f" || { rm -rf "$t"; say "$f: cannot write"; exit 1; }
		fi
	fi
	echo "$f/vmlinuz"
	exit 0
fi

sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null && sudo="sudo -n"
updated=0
apt_update() { [ $updated -eq 1 ] || { $sudo apt-get update -qq >&2 2>/dev/null || true; updated=1; }; }

# lock_entry NAME: "PACKAGE VERSION SHA256" of NAME, or of the first entry
lock_entry() {
	[ -r "$lock" ] || return 1
	awk -v n="$1" '/^[ \t]*(#|$)/ { next } n == "" || $1 == n { print $2, $3, $4; f = 1; exit } END { exit !f }' "$lock"
}
# candidate PACKAGE: the archive's candidate version of PACKAGE, or nothing
candidate() {
	apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2; f = 1 } END { exit !f }'
}
# has_version PACKAGE VERSION: is that version listed by the archive?
has_version() {
	apt-cache madison "$1" 2>/dev/null | awk -F'|' -v v="$2" '{ gsub(/ /, "", $2) } $2 == v { f = 1 } END { exit !f }'
}
# meta_target PACKAGE: the versioned image package a metapackage depends on
meta_target() {
	apt-cache depends "$1" 2>/dev/null |
		awk '/^ *Depends: linux-image-[0-9]/ { print $2; f = 1; exit } END { exit !f }'
}
# resolve SPEC (not in the lock) -> "PACKAGE VERSION"
resolve() {
	local p=$1 v="" t
	case $p in *=*) v=${p#*=}; p=${p%%=*} ;; esac
	valid_name "$p" || { say "'$p' is not a Debian package name"; return 2; }
	[ -z "$v" ] || valid_version "$v" || { say "'$v' is not a Debian version"; return 2; }
	if [ -z "$v" ] && t=$(meta_target "$p"); then
		p=$t
	fi
	if [ -z "$v" ]; then
		v=$(candidate "$p") || { apt_update; v=$(candidate "$p"); } ||
			{ say "$p: no such kernel package in the archive (apt-cache policy $p lists none)"; return 3; }
	fi
	echo "$p $v"
}

want_sum="" source=""
if [ -z "$spec" ] || { [[ $spec != *=* ]] && lock_entry "$spec" >/dev/null 2>&1; }; then
	entry=$(lock_entry "$spec") || { say "${spec:-the default kernel}: not in $lock"; exit 2; }
	read -r pkg ver want_sum <<<"$entry"
	source="lock:${spec:-default}"
	if [ $resolve_only -eq 1 ]; then
		# --resolve follows the archive, not the lock: what the name means
		# today, so the package lists are renewed first
		apt_update
		r=$(resolve "$spec") || exit $?
		echo "$r"
		exit 0
	fi
else
	[ $resolve_only -eq 1 ] && apt_update
	r=$(resolve "$spec") || exit $?
	read -r pkg ver <<<"$r"
	source=$spec
	[ $resolve_only -eq 1 ] && { echo "$pkg $ver"; exit 0; }
	# an exact kernel the lock pins is held to the lock's checksum too
	want_sum=$([ -r "$lock" ] && awk -v p="$pkg" -v v="$ver" '!/^[ \t]*#/ && $2 == p && $3 == v { print $4; exit }' "$lock")
fi
valid_name "$pkg" && valid_version "$ver" || { say "$lock: bad entry '$pkg $ver'"; exit 2; }

cache=$dir/kernels/$pkg=$ver
write_id() {
	local t
	t=$(mktemp "$cache/.id.XXXXXX") || return 1
	printf 'package=%s\nversion=%s\nsha256=%s\nsource=%s\n' "$pkg" "$ver" "$1" "$source" >"$t"
	chmod 644 "$t"
	mv -T "$t" "$cache/vmlinuz.id"
}
# one fetcher at a time per kernel: a second lane waits, then finds it cached
locked=0
lock_cache() {
	[ $locked -eq 1 ] && return 0
	mkdir -p "$cache" && exec 9<"$cache" && flock 9 && locked=1
}
if [ -d "$cache" ]; then
	lock_cache || { say "$cache: cannot lock"; exit 1; }
fi
if [ -s "$cache/vmlinuz" ] && [ -s "$cache/vmlinuz.sha256" ]; then
	have=$(sha256sum <"$cache/vmlinuz" | cut -d' ' -f1)
	recorded=$(cat "$cache/vmlinuz.sha256")
	if [ "$have" = "$recorded" ] && { [ -z "$want_sum" ] || [ "$have" = "$want_sum" ]; }; then
		write_id "$have"
		echo "$cache/vmlinuz"
		exit 0
	fi
	say "cached $cache/vmlinuz fails its checksum (sha256 $have, want ${want_sum:-$recorded}): fetching it again"
elif [ -e "$cache/vmlinuz" ]; then
	say "cached $cache/vmlinuz is incomplete (no checksum recorded): fetching it again"
fi

if ! has_version "$pkg" "$ver"; then
	apt_update
	has_version "$pkg" "$ver" || {
		say "$pkg=$ver is not in the archive (apt-cache madison $pkg lists: $(apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); printf "%s%s", s, $2; s = " " }')${lock:+; make kernels-update renews $lock})"
		exit 3
	}
fi
# only now, with the version known to the archive, is the cache folder made
if [ $locked -eq 0 ]; then
	lock_cache || { say "$cache: cannot create"; exit 1; }
	# the lane that waited on the lock may find it fetched by the other
	if [ -s "$cache/vmlinuz" ] && [ "$(sha256sum <"$cache/vmlinuz" | cut -d' ' -f1)" = "$(cat "$cache/vmlinuz.sha256" 2>/dev/null)" ] &&
		{ [ -z "$want_sum" ] || [ "$(cat "$cache/vmlinuz.sha256")" = "$want_sum" ]; }; then
		write_id "$(cat "$cache/vmlinuz.sha256")"
		echo "$cache/vmlinuz"
		exit 0
	fi
fi
rm -f "$cache/vmlinuz" "$cache/vmlinuz.sha256"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sandbox=""
[ "$(id -u)" -eq 0 ] && sandbox="-o APT::Sandbox::User=root"
# shellcheck disable=SC2086 # sandbox is one option or none
(cd "$tmp" && apt-get download -qq $sandbox "$pkg=$ver" >&2) || { say "apt-get download $pkg=$ver failed"; exit 1; }
dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' ||
	{ say "$pkg=$ver: no ./boot/vmlinuz-* in the package (not a kernel image package?)"; exit 1; }
sum=$(sha256sum <"$tmp"/boot/vmlinuz-* | cut -d' ' -f1)
if [ -n "$want_sum" ] && [ "$sum" != "$want_sum" ]; then
	say "$pkg=$ver from the archive has vmlinuz sha256 $sum, but $lock pins $want_sum: refused"
	exit 1
fi
# the checksum first, then the kernel, each by rename: a reader never sees
# a vmlinuz without its checksum, nor a half-written one
echo "$sum" >"$tmp/vmlinuz.sha256" && mv -T "$tmp/vmlinuz.sha256" "$cache/vmlinuz.sha256" &&
	mv -T "$tmp"/boot/vmlinuz-* "$cache/vmlinuz" || { say "$cache: cannot write"; exit 1; }
write_id "$sum"
say "fetched $pkg=$ver (vmlinuz sha256 ${sum:0:16}...) into $cache"
echo "$cache/vmlinuz"
