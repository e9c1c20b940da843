#!/bin/sh
# Kernel selftest of the vfio-pci dma-buf backport (selftests/vfio,
# vfio_dmabuf_mmap_test): export of BAR ranges, mmap() of the dma-bufs, UC/WC,
# VFIO_DEVICE_PCI_DMABUF_REVOKE, revocation on device close, the dma-buf
# backed BAR mmap() of the device fd, and the errno of every bad input.
#
# Binds edu ($EDU_BDF) and ivshmem-plain ($IVSHMEM_BDF) to vfio-pci through
# driver_override (no-IOMMU groups: the kernel runs with
# vfio.enable_unsafe_noiommu_mode=1), mounts debugfs for the x86 PAT memtype
# list, runs the selftest and turns its results into this script's TAP.  In
# this VM every device the test needs is present, so a skipped selftest case
# is a failure here.
. /tests/lib.sh

bin=$VM_SELFTESTS/vfio/vfio_dmabuf_mmap_test
edu=${EDU_BDF:-0000:00:03.0}
ivshmem=${IVSHMEM_BDF:-0000:00:05.0}

[ -x "$bin" ] || bail_out "$bin missing: is vfio listed in kernel/selftests?"
grep -q '[Y1]' /sys/module/vfio/parameters/enable_unsafe_noiommu_mode 2>/dev/null ||
	bail_out "vfio no-IOMMU mode is off (vfio.enable_unsafe_noiommu_mode=1)"

grep -qs ' /sys/kernel/debug ' /proc/mounts ||
	mount -t debugfs none /sys/kernel/debug ||
	bail_out "cannot mount debugfs"

for bdf in "$edu" "$ivshmem"; do
	if node=$(bind_vfio "$bdf"); then
		ok "$bdf bound to vfio-pci, group $node"
	else
		not_ok "$bdf bound to vfio-pci"
	fi
done

out=/tmp/vfio-selftest.out
status=0
VFIO_EDU_BDF=$edu VFIO_IVSHMEM_BDF=$ivshmem "$bin" >"$out" 2>&1 || status=$?

# "ok N name", "ok N [name] # SKIP why", "not ok N name"; "#" lines are
# kept as diagnostics, "#  RUN  name ..." names the case a SKIP line may
# leave unnamed.
cases=0
current=
while IFS= read -r line; do
	case "$line" in
	"#  RUN "*)
		current=$(echo "$line" | sed -n 's/^#  RUN  *\([^ ]*\) .*/\1/p')
		echo "$line"
		;;
	"not ok "*)
		cases=$((cases + 1))
		name=${line#not ok }
		not_ok "selftest ${name#* }"
		;;
	"ok "*"# SKIP"*)
		cases=$((cases + 1))
		rest=${line#ok }
		rest=${rest#* }
		name=${rest%%# SKIP*}
		name=${name% }
		not_ok "selftest ${name:-$current}" "skipped:${rest#*# SKIP}"
		;;
	"ok "*)
		cases=$((cases + 1))
		name=${line#ok }
		ok "selftest ${name#* }"
		;;
	"#"*)
		echo "$line"
		;;
	esac
done <"$out"

if [ "$cases" -gt 0 ] && [ "$status" -eq 0 ]; then
	ok "vfio_dmabuf_mmap_test: $cases cases, exit status 0"
else
	not_ok "vfio_dmabuf_mmap_test: $cases cases, exit status $status"
	sed 's/^/#   /' "$out" | tail -n 40
fi

for bdf in "$edu" "$ivshmem"; do
	unbind_vfio "$bdf" >/dev/null
done
done_testing
