#!/bin/sh
# Runs inside the VM (benchmarks/syncobj/run boots it): syncobj-bench on
# /dev/syncobj against vgem's render node.
. /tests/syncobj-lib.sh
syncobj_preflight
node=$(vgem_node)
echo "# kernel $(uname -r), $(nproc) vCPUs (QEMU TCG), render node $node"
syncobj-bench -t "${1:-1}" -r "${2:-5}" "$node" || exit 1
