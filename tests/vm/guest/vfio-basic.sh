#!/bin/sh
# vfiobarctl without DMABUFs: list, bind/unbind, info, read/write through
# pread and the device fd's own mapping, the busy-group and CAP_SYS_RAWIO
# explanations.  Works on any kernel with vfio-pci and noiommu.
. /tests/vfio-lib.sh

# --- list, features
out_match "list: edu with its 1 MiB BAR0" "^$EDU 1234:11e8 0:1M:mem32\$" \
	vfiobarctl list -n -r -o DEVICE,ID,BARS
out_match "list: ivshmem with a 256-byte BAR0 and a 1 MiB prefetchable BAR2" \
	"^$IVS 1af4:1110 0:256:mem32,2:1M:mem64-pref\$" vfiobarctl list -n -r -o DEVICE,ID,BARS
out_is "list EDU: no driver, no group yet" "$EDU  none" \
	vfiobarctl list -n -r -o DEVICE,DRIVER,IOMMU "$EDU"
for f in vfio vfio-noiommu vfio-pci; do
	check "features: $f present" vfiobarctl features --check "$f"
done

# --- bind
fails_with "info before bind says how to bind" 1 \
	"^vfiobarctl: $EDU: not bound to vfio-pci \(driver: none\); run 'vfiobarctl bind $EDU'\$" \
	vfiobarctl info "$EDU"
out_match "bind edu: bound, noiommu group, node" \
	"^$EDU: bound to vfio-pci \(was: no driver\), group [0-9]+ \(noiommu\), /dev/vfio/noiommu-[0-9]+\$" \
	vfiobarctl bind "$EDU"
node=$(vfiobarctl list -n -r -o NODE "$EDU")
check "the group node $node exists" test -c "$node"
out_is "list EDU: vfio-pci, noiommu, override" "vfio-pci noiommu vfio-pci" \
	vfiobarctl list -n -r -o DRIVER,IOMMU,OVERRIDE "$EDU"
out_is "bind again: already bound" "$EDU: already bound to vfio-pci" vfiobarctl bind "$EDU"
fails_with "bind of an absent device" 1 "^vfiobarctl: 0000:00:1f\.0: no such PCI device: No such device\$" \
	vfiobarctl bind 00:1f.0

# --- info
out_is "info: BAR0 1 MiB, read/write/mmap" "0 BAR0 1048576 rwm- yes mem32" \
	sh -c "vfiobarctl info -n -r -o INDEX,NAME,BYTES,FLAGS,MMAP,TYPE $EDU | head -1"
out_match "info: config space region, not mappable" "^7 CONFIG [0-9]+ rw-. no\$" \
	vfiobarctl info -n -r -o INDEX,NAME,BYTES,FLAGS,MMAP "$EDU"
out_match "info -J: sizes are JSON numbers" '^ +"bytes": 1048576,?$' vfiobarctl info -J -o INDEX,BYTES "$EDU"

# --- read/write without DMABUFs
out_match "pread: edu ID register" '^00000000: 010000ed +\|\.\.\.\.\|$' \
	vfiobarctl read --method pread "$EDU" 0 0
check "pwrite: edu liveness register" vfiobarctl write --method pread "$EDU" 0 4 0x12345678
out_match "pread: liveness reads back inverted" '^00000004: edcba987 ' \
	vfiobarctl read --method pread "$EDU" 0 4
out_match "device fd mmap: ID and liveness, two registers at once" '^00000000: 010000ed edcba987 ' \
	vfiobarctl read --method mmap "$EDU" 0 0 --count 2
check "device fd mmap: write liveness" vfiobarctl write --method mmap "$EDU" 0 4 0x0000ffff
out_match "device fd mmap: reads back inverted" '^00000004: ffff0000 ' \
	vfiobarctl read --method mmap "$EDU" 0 4
out_match "edu: undefined offsets read all ones" '^00000040: ffffffff ' \
	vfiobarctl read --method pread "$EDU" 0 0x40
fails_with "a read past the BAR" 1 \
	"^vfiobarctl: $EDU BAR0: 0xffffc\+0x8 ends past the BAR \(size 0x100000\): Invalid argument\$" \
	vfiobarctl read --method pread "$EDU" 0 0xffffc --count 2
fails_with "a read of an unimplemented BAR" 1 \
	"^vfiobarctl: $EDU: region 1 is not an implemented BAR: Invalid argument\$" \
	vfiobarctl read --method pread "$EDU" 1 0

# --- one open per group: the holder is named
start_bg holder vfiobarctl read --method mmap "$EDU" 0 0 --watch 1s
holder=$BG_PID
fails_with "a second open names the holder" 1 \
	"^vfiobarctl: /dev/vfio/noiommu-[0-9]+: cannot open group \(held by pid $holder, vfiobarctl; a group opens once\): Device or resource busy\$" \
	vfiobarctl read --method pread "$EDU" 0 0
fails_with "unbind refuses while the group is open" 1 \
	"^vfiobarctl: $EDU: in use: /dev/vfio/noiommu-[0-9]+ is held open by pid $holder \(vfiobarctl\); stop it first: Device or resource busy\$" \
	vfiobarctl unbind "$EDU"
out_match "maps: the holder's BAR0 mapping" "^(bar-mmap|vfio-mmap) $EDU 0 0x0-0xfff uc\$" \
	vfiobarctl maps --pid "$holder" -n -r -o KIND,DEVICE,BAR,RANGE,ATTR
kill "$holder"
wait_bg "$holder"

# --- noiommu needs CAP_SYS_RAWIO
fails_with "without CAP_SYS_RAWIO the noiommu group says why" 1 \
	"^vfiobarctl: /dev/vfio/noiommu-[0-9]+: cannot open group \(noiommu groups need CAP_SYS_RAWIO\): Operation not permitted\$" \
	vfio-dropcap vfiobarctl info "$EDU"

# --- ivshmem: BAR2 is the host file
check "bind ivshmem" vfiobarctl bind "$IVS"
sig="dmabuf-utils ivshmem $IVSHMEM_FILE"
run vfiobarctl read --method pread "$IVS" 2 0 --width 1 --count ${#sig} --binary
check "pread of BAR2 shows the host file's first line" test "$(cat "$RUN_OUT")" = "$sig"
fails_with "a read past ivshmem's 256-byte BAR0" 1 \
	"^vfiobarctl: $IVS BAR0: 0x100\+0x4 ends past the BAR \(size 0x100\): Invalid argument\$" \
	vfiobarctl read --method pread "$IVS" 0 0x100

# --- unbind
out_is "unbind edu: no driver again" "$EDU: unbound from vfio-pci, driver now: none" \
	vfiobarctl unbind "$EDU"
out_is "list EDU: no driver, no override" "$EDU  " \
	vfiobarctl list -n -r -o DEVICE,DRIVER,OVERRIDE "$EDU"
fails_with "unbind again" 1 "^vfiobarctl: $EDU: not bound to vfio-pci \(driver: none\): Invalid argument\$" \
	vfiobarctl unbind "$EDU"
check "unbind ivshmem" vfiobarctl unbind "$IVS"
done_testing
