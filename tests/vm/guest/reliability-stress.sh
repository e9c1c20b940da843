#!/bin/sh
# Stress (issue 6): the stress programs of tests/reliability, each for
# SECONDS (default 10), on the debug kernel so that a race shows up as a
# KASAN/lockdep report (run-vm fails the test on any).  The long variant
# (ctest label stress-long) runs the same with a longer duration.
#
#   reliability-stress.sh [SECONDS]
#
# syncobj: threads signalling, waiting, transferring, importing/exporting
#   and registering eventfds on shared timelines while their fds are closed
#   and replaced under them; every registered eventfd must fire exactly once.
#   On /dev/syncobj and on a DRM render node with syncobj support.
# dma-heap: allocators churning buffers charged (charge_pid_fd) into three
#   cgroups at memory.max; dmabuf back to baseline, no OOM kill anywhere.
# vfio: subordinates using BAR DMABUFs while the primary revokes, closes and
#   resets; no access may go through after a revoke returned, only SIGBUS.
# Programs whose kernel feature is missing report a skip.
. /tests/lib.sh

seconds=${1:-10}

# One TAP result per stress run; its "# " lines (figures) go to the output.
stress() {
	local desc=$1
	shift
	run "$@"
	grep '^#' "$RUN_OUT"
	case "$RUN_STATUS" in
	0) ok "$desc" ;;
	77) skip "$desc" "$(grep -v '^#' "$RUN_ERR" | head -n1)" ;;
	*)
		not_ok "$desc" "$* exited with status $RUN_STATUS"
		sed 's/^/#   stderr: /' "$RUN_ERR" | head -n 10
		;;
	esac
}

render_node_with_syncobj() {
	local n
	for n in /dev/dri/renderD*; do
		[ -e "$n" ] || continue
		# common/syncobj picks a node with DRM_CAP_SYNCOBJ when given none.
		echo "$n"
	done
}

# The vfio cases and stress use ivshmem's BAR2 through vfio-pci.
vfio_bound=0
if [ -d /sys/bus/pci/drivers/vfio-pci ] && [ -n "${IVSHMEM_BDF:-}" ] &&
	bind_vfio "$IVSHMEM_BDF" >/dev/null; then
	vfio_bound=1
fi

if [ -e /dev/syncobj ]; then
	stress "syncobj stress on /dev/syncobj, ${seconds}s" \
		stress_syncobj -s "$seconds" -t 6 -n 8 -b /dev/syncobj
else
	skip "syncobj stress on /dev/syncobj" "no /dev/syncobj in this kernel"
fi
found=0
for node in $(render_node_with_syncobj); do
	run stress_syncobj -s 0 -b "$node"
	[ "$RUN_STATUS" -eq 0 ] || continue
	found=1
	stress "syncobj stress on $node, ${seconds}s" stress_syncobj -s "$seconds" -t 6 -n 8 -b "$node"
	break
done
[ $found -eq 1 ] || skip "syncobj stress on a render node" "no DRM driver with syncobjs"

stress "dma-heap churn charged into 3 cgroups at memory.max, ${seconds}s" \
	stress_dmaheap -s "$seconds" -c 3 -w 4 -m 8
if [ $vfio_bound -eq 1 ]; then
	stress "vfio DMABUF revoke/close/reset races, ${seconds}s" stress_vfio -s "$seconds" -n 3
else
	skip "vfio DMABUF revoke races" "ivshmem could not be bound to vfio-pci"
fi
[ $vfio_bound -eq 0 ] || unbind_vfio "$IVSHMEM_BDF"
done_testing
