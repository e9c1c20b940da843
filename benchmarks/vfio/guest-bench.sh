#!/bin/sh
# Runs in the VM (benchmarks/vfio/run): binds edu and runs vfio-bench on it.
. /tests/lib.sh
bdf=${EDU_BDF:-0000:00:03.0}
vfiobarctl bind "$bdf" >/dev/null || bail_out "cannot bind $bdf to vfio-pci"
vfio-bench "$bdf" "${1:-200000}"
status=$?
vfiobarctl unbind "$bdf" >/dev/null
exit $status
