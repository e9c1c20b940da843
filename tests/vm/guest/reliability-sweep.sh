#!/bin/sh
# Fault-injection sweeps (issue 6): every operation the project relies on,
# run with /proc/thread-self/fail-nth = 1, 2, ... until it no longer reaches
# the fault, by tests/reliability/failnth_sweep (one TAP result per case).
# Each case must end every run with success or its documented error, pass
# its own state check, and leave no fd and no memory.stat change behind;
# kmemleak must be clean after all the cases (one check per run, not per
# case: a scan takes ~30 s in the TCG debug VM, and a leak's backtrace names
# its path anyway); run-vm fails the test on any kernel splat.  Meant for
# the debug kernel (fault injection, KASAN, lockdep, kmemleak).
#
#   reliability-sweep.sh [REGEX]     (default: every case failnth_sweep has)
#
# REGEX (grep -E) selects cases by name, so that ctest has one entry per
# kernel area (failnth_sweep --list shows the names).
# A case whose device or feature is missing in this kernel is skipped; the
# summary line of each case gives the number of injection points reached.
. /tests/lib.sh

[ -w /proc/self/fail-nth ] || bail_out "no /proc/self/fail-nth: not a fault-injection kernel"

pattern=${1:-.}
set -- $(failnth_sweep --list | cut -f1 | grep -E "$pattern")
[ $# -gt 0 ] || bail_out "failnth_sweep has no case matching '$pattern'"

# The vfio cases and stress use ivshmem's BAR2 through vfio-pci.
vfio_bound=0
if [ -d /sys/bus/pci/drivers/vfio-pci ] && [ -n "${IVSHMEM_BDF:-}" ] &&
	bind_vfio "$IVSHMEM_BDF" >/dev/null; then
	vfio_bound=1
fi

failnth_sweep --kmemleak-clear
kmemleak=$?
[ $kmemleak -ne 1 ] || bail_out "cannot clear kmemleak's suspects"

for case in "$@"; do
	run failnth_sweep --no-kmemleak "$case"
	# Every run's line (result, call site of the injected fault) as diagnostics.
	grep '^#' "$RUN_OUT"
	case "$RUN_STATUS" in
	0) ok "$case: $(sed -n "s/^# $case: \(.*\), passed$/\1/p" "$RUN_OUT")" ;;
	77) skip "$case" "$(head -n1 "$RUN_OUT" | sed 's/^# //')" ;;
	*)
		not_ok "$case" "failnth_sweep exited with status $RUN_STATUS"
		grep -E 'not allowed|^#   ' "$RUN_OUT" | head -n 20
		sed 's/^/#   stderr: /' "$RUN_ERR" | head -n 10
		;;
	esac
done
[ $vfio_bound -eq 0 ] || unbind_vfio "$IVSHMEM_BDF"
if [ $kmemleak -eq 77 ]; then
	skip "kmemleak: no new suspected leaks" "no kmemleak in this kernel"
else
	run failnth_sweep --kmemleak-check "the $# cases"
	grep '^#' "$RUN_OUT"
	check "kmemleak: no new suspected leaks after the $# cases" test "$RUN_STATUS" -eq 0
fi
done_testing
