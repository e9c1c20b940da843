#!/bin/sh
# Smoke test: the guest really has every kernel feature and device the
# project's tests rely on, and the project's tools run in it.
. /tests/lib.sh

is_chardev() {
	[ -c "$1" ]
}

has_line() {
	grep -qx "$2" "$1"
}

has_word() {
	tr ' ' '\n' <"$1" | grep -qx "$2"
}

mounted() {
	awk -v t="$1" -v m="$2" '$3 == t && $2 == m { found = 1 } END { exit !found }' /proc/mounts
}

sysattr() {
	cat "/sys/bus/pci/devices/$1/$2" 2>/dev/null
}

drm_driver() {
	local minor=${1#renderD} name
	if [ -r "/sys/kernel/debug/dri/$minor/name" ]; then
		name=$(cut -d' ' -f1 "/sys/kernel/debug/dri/$minor/name")
	elif [ -e "/sys/class/drm/$1/device/driver" ]; then
		name=$(basename "$(readlink "/sys/class/drm/$1/device/driver")")
	fi
	echo "${name:-unknown}"
}

test_mounts() {
	check "debugfs is mounted on /sys/kernel/debug" mounted debugfs /sys/kernel/debug
	check "securityfs is mounted on /sys/kernel/security" mounted securityfs /sys/kernel/security
	# securityfs files report size 0: read them.
	check "LSM list is readable (/sys/kernel/security/lsm)" grep -q . /sys/kernel/security/lsm
	[ -r /sys/kernel/security/lsm ] && diag "active LSMs: $(cat /sys/kernel/security/lsm)"
}

test_heaps() {
	check "/dev/dma_heap/system is a character device" is_chardev /dev/dma_heap/system
	check "/dev/dma_heap/reserved (CMA) is a character device" is_chardev /dev/dma_heap/reserved
}

test_cgroup() {
	local cg=/sys/fs/cgroup/smoke-$$
	check "cgroup2 is mounted on /sys/fs/cgroup" mounted cgroup2 /sys/fs/cgroup
	check "cgroup2 offers the memory controller" has_word /sys/fs/cgroup/cgroup.controllers memory
	check "memory controller enabled for children" \
		has_word /sys/fs/cgroup/cgroup.subtree_control memory
	check "a child cgroup can be created" mkdir "$cg"
	check "child cgroup takes memory.max" sh -c "echo 64M > $cg/memory.max"
	check "child memory.max reads back 67108864" has_line "$cg/memory.max" 67108864
	check "child has memory.current" test -r "$cg/memory.current"
	rmdir "$cg" 2>/dev/null
}

test_sync() {
	check "SW_SYNC: /sys/kernel/debug/sync/sw_sync exists" test -e /sys/kernel/debug/sync/sw_sync
	check "udmabuf: /dev/udmabuf is a character device" is_chardev /dev/udmabuf
}

test_drm() {
	local drivers=
	check "/dev/dri/renderD128 is a character device" is_chardev /dev/dri/renderD128
	check "/dev/dri/renderD129 is a character device" is_chardev /dev/dri/renderD129
	drivers="$(drm_driver renderD128) $(drm_driver renderD129)"
	diag "render node drivers: $drivers"
	case " $drivers " in
	*" virtio_gpu "*) ok "a render node is virtio_gpu" ;;
	*) not_ok "a render node is virtio_gpu" "drivers: $drivers" ;;
	esac
	case " $drivers " in
	*" vgem "*) ok "a render node is vgem" ;;
	*) not_ok "a render node is vgem" "drivers: $drivers" ;;
	esac
}

test_pci_id() {
	local bdf=$1 vendor=$2 device=$3 what=$4
	if [ "$(sysattr "$bdf" vendor)" = "$vendor" ] && [ "$(sysattr "$bdf" device)" = "$device" ]; then
		ok "$what at $bdf is $vendor:$device"
	else
		not_ok "$what at $bdf is $vendor:$device" \
			"found $(sysattr "$bdf" vendor):$(sysattr "$bdf" device)"
	fi
}

test_vfio() {
	local node
	test_pci_id 0000:00:03.0 0x1234 0x11e8 edu
	check "/dev/vfio/vfio is a character device" is_chardev /dev/vfio/vfio
	if node=$(bind_vfio 0000:00:03.0 2>"$RUN_ERR"); then
		ok "edu binds to vfio-pci via driver_override"
	else
		not_ok "edu binds to vfio-pci via driver_override" "$(cat "$RUN_ERR")"
	fi
	check "/dev/vfio/noiommu-0 is a character device" is_chardev /dev/vfio/noiommu-0
	[ "$node" = /dev/vfio/noiommu-0 ] || diag "edu group node: $node"
	check "edu can be given back" unbind_vfio 0000:00:03.0
}

test_ivshmem() {
	test_pci_id 0000:00:05.0 0x1af4 0x1110 ivshmem
	check "ivshmem BAR2 resource exists" test -e /sys/bus/pci/devices/0000:00:05.0/resource2
	check "ivshmem host file named on the kernel command line" \
		grep -q "dmabuf_utils.ivshmem=$IVSHMEM_FILE" /proc/cmdline
}

test_tools() {
	local tool
	if [ ! -s /etc/dmabuf-utils-tools ]; then
		skip "project tools run" "no tools in the initramfs (run-vm --bindir)"
		return
	fi
	for tool in $(cat /etc/dmabuf-utils-tools); do
		check "$tool --version" "$tool" --version
		# features exits 3 when a kernel feature is missing: still a report.
		run "$tool" features
		if { [ "$RUN_STATUS" -eq 0 ] || [ "$RUN_STATUS" -eq 3 ]; } && [ -s "$RUN_OUT" ]; then
			ok "$tool features reports (status $RUN_STATUS)"
			sed "s/^/# $tool: /" "$RUN_OUT"
		else
			not_ok "$tool features reports"
			_show_run "$tool" features
		fi
	done
}

diag "kernel: $(uname -r) $(cut -d' ' -f4- /proc/version | cut -c1-60)"
test_mounts
test_heaps
test_cgroup
test_sync
test_drm
test_vfio
test_ivshmem
test_tools
done_testing
