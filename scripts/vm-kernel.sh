#!/usr/bin/env bash
# vm-kernel.sh DIR [META]: make sure DIR/vmlinuz is a kernel the VM lane can
# boot, and print its path. VM_KERNEL=/path/to/bzImage uses that one instead.
# META names the Debian metapackage to follow (e.g. linux-image-6.12-cloud-amd64
# for the matrix's second kernel); its kernel is cached in DIR/kernels/META/.
# Beside each vmlinuz, vmlinuz.package names the versioned package it came from.
#
# Debian's cloud kernel (linux-image-cloud-amd64 -> linux-image-<ver>-cloud-amd64)
# is small and boots in about 2 s under QEMU's TCG. Only ./boot/vmlinuz-* is
# taken out of the package with dpkg-deb: installing a kernel would pull in
# initramfs-tools and change this machine. Cached in DIR.
set -eu
dir=$1 meta=${2:-}
[ -n "$meta" ] && dir=$dir/kernels/$meta
mkdir -p "$dir"
if [ -n "${VM_KERNEL:-}" ]; then
	[ -r "$VM_KERNEL" ] || { echo "scbench: VM_KERNEL=$VM_KERNEL is not readable" >&2; exit 1; }
	echo "$VM_KERNEL"
	exit 0
fi
[ -s "$dir/vmlinuz" ] && { echo "$dir/vmlinuz"; exit 0; }

sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null && sudo="sudo -n"

resolve() { # the versioned image package behind a metapackage, or nothing
	for m in ${meta:-linux-image-cloud-amd64 linux-image-amd64 linux-image-kvm linux-image-virtual}; do
		apt-cache depends "$m" 2>/dev/null |
			awk '/Depends: linux-image-[0-9]/ { print $2; found = 1; exit } END { exit !found }' &&
			return 0
	done
	return 1
}
pkg=$(resolve) || { $sudo apt-get update -qq >&2 || true; pkg=$(resolve); } || {
	echo "scbench: no kernel package found with apt-cache (set VM_KERNEL=/path/to/bzImage)" >&2
	exit 1
}
tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sandbox=""
[ "$(id -u)" -eq 0 ] && sandbox="-o APT::Sandbox::User=root"
(cd "$tmp" && apt-get download -qq $sandbox "$pkg" >&2) || {
	echo "scbench: apt-get download $pkg failed" >&2
	exit 1
}
dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*'
mv "$tmp"/boot/vmlinuz-* "$dir/vmlinuz"
echo "$pkg" >"$dir/vmlinuz.package"
echo "$dir/vmlinuz"
