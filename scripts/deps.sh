#!/bin/bash
# Install the Debian 12 packages the build, the kernel and the VM need.
# Idempotent and quiet when everything is present, so every entry point
# (README commands, CI, kernel/build) can call it first.
set -euo pipefail

packages=(
	# userspace build
	build-essential cmake pkg-config libdrm-dev libcgroup-dev libsmartcols-dev
	clang libclang-rt-14-dev clang-format
	# kernel build
	linux-source-6.1 bc flex bison libelf-dev libssl-dev xz-utils cpio kmod ccache
	# VM
	qemu-system-x86 busybox-static
	# SELinux policy compiler for the dma-heap tests
	checkpolicy
	# tests and CI checks
	jq python3 perl
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
