#!/bin/sh
# Regression test for the virtio-gpu cursor/plane resv lock fix (seed series
# patch 4; Debian 6.1 has it as "drm/virtio: use uninterruptible resv lock for
# plane updates").  Run on the debug kernel (lockdep, KASAN, kmemleak, fault
# injection): run-vm fails the test on any WARNING/lockdep/KASAN report.
#
#   virtgpu-cursor.sh [fixed|revert]
#
# fixed (default): every phase of virtgpu_cursor (see its source), which
#   must pass: fail-nth sweeps of DRM_IOCTL_MODE_CURSOR that fail the fence
#   reservation, page flip / dirtyfb / setcrtc sweeps, cursor updates under
#   signals with the resv lock contended.
# revert: only the phases that stay safe on a kernel without the fix (the
#   test-only revert in kernel/patches-test/series-revert-cursor-fix): there
#   the kernel log must show the dma_resv_assert_held WARNING, which
#   tests/reliability/expect-cursor-warning checks on the host.
. /tests/lib.sh

mode=${1:-fixed}

# One TAP result per phase; the program's "# " lines are the details.
phase() {
	local desc=$1
	shift
	run virtgpu_cursor "$@"
	grep '^#' "$RUN_OUT"
	if [ "$RUN_STATUS" -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc" "virtgpu_cursor $* exited with status $RUN_STATUS"
		grep -v '^#' "$RUN_OUT" | sed 's/^/#   /'
		sed 's/^/#   stderr: /' "$RUN_ERR"
	fi
}

check "fail-nth fault injection is available" test -w /proc/self/fail-nth
check "sw_sync is available" test -w /sys/kernel/debug/sync/sw_sync
check "virtio-gpu is bound" test -d /sys/bus/pci/drivers/virtio-pci/0000:00:04.0

case "$mode" in
fixed)
	phase "full fence list: reallocation fails under MODE_CURSOR, frame skipped" fill
	phase "new cursor BO: fence list allocation fails, frame skipped" fresh
	phase "page flip, dirtyfb and setcrtc survive every injected fault" flip
	phase "cursor updates with the resv lock contended and signals pending" signals=8
	;;
revert)
	diag "kernel without the fix: the log must show the dma_resv_add_fence WARNING"
	# The deterministic trigger first; the signal race after it may or may not hit.
	phase "full fence list: reallocation fails under MODE_CURSOR" fill
	phase "cursor updates with the resv lock contended and signals pending" signals=8
	;;
*)
	bail_out "unknown mode '$mode' (fixed or revert)"
	;;
esac
done_testing
