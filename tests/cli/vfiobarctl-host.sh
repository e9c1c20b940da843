#!/bin/bash
# vfiobarctl on the host: everything that needs no vfio-pci device.
#  - list, bind, unbind, info, features and maps against the fake /sys and
#    /proc of tests/unit/fixtures/vfio (a copy: bind/unbind write into it);
#  - read/write through --dmabuf on plain files (the mapping path, hex dump,
#    SIGBUS past the end of a file);
#  - export, exports, revoke and read --socket against a fake primary
#    (vfiobarctl-fake-primary.py) that answers the protocol with canned replies;
#  - usage errors.
set -u
bindir=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
v="$bindir/vfiobarctl"
tmp=$(mktemp -d)
fake_pid=
cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# check WHAT CMD...: CMD (a test expression or command) succeeds
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

root=$tmp/root
cp -a "$here/../unit/fixtures/vfio" "$root"
export DMABUF_UTILS_SYSROOT=$root
dev=$root/sys/bus/pci/devices

# --- list
expect_stdout '^DEVICE +ID +DRIVER +GROUP +NODE +BARS$' -- "$v" list
expect_stdout '^0000:00:03\.0 1234:11e8 vfio-pci +0 /dev/vfio/noiommu-0 0:1M:mem32$' -- "$v" list
expect_stdout '^0000:00:05\.0 1af4:1110 +0:256:mem32,2:1M:mem64-pref$' -- "$v" list
expect_stdout '^0000:00:01\.1 noiommu|^0000:00:01\.1 none$' -- "$v" list -n -r -o DEVICE,IOMMU 00:01.1
expect_stdout '^0000:00:03\.0 noiommu vfio-pci 1$' -- "$v" list -n -r -o DEVICE,IOMMU,OVERRIDE,NBARS 0:3.0
out=$("$v" list -J --vfio)
check "list -J --vfio: only edu, group as a number" \
	test "$(jq -c '[.devices[] | [.device, .group]]' <<<"$out")" = '[["0000:00:03.0",0]]'
expect 2 "^vfiobarctl: 00:3: not a PCI address \(expected DDDD:BB:DD.F or BB:DD.F\)$" -- "$v" list 00:3
expect 1 "^vfiobarctl: 0000:00:09\.0: no such PCI device: No such device$" -- "$v" list 00:09.0
expect 2 "unknown column: FOO" -- "$v" list -o FOO

# --- bind / unbind (the fixture's driver links never change, so binds "fail")
expect_stdout '^0000:00:03\.0: already bound to vfio-pci$' -- "$v" bind 00:03.0
expect 1 "^vfiobarctl: 0000:00:09\.0: no such PCI device: No such device$" -- "$v" bind 00:09.0
expect 2 "no device given" -- "$v" bind
expect 1 "^vfiobarctl: 0000:00:05\.0: vfio-pci did not take the device \(driver now: none; see dmesg\)$" \
	-- "$v" bind 00:05.0
check "bind wrote the BDF to drivers_probe" test "$(cat "$root/sys/bus/pci/drivers_probe")" = 0000:00:05.0
check "failed bind put driver_override back (cleared)" \
	test "$(cat "$dev/0000:00:05.0/driver_override")" = ""
check "failed bind left no record" test ! -e "$root/run/vfiobarctl/0000:00:05.0"
expect 1 "^vfiobarctl: 0000:00:02\.0: vfio-pci did not take the device \(driver now: bochs-drm; see dmesg\)$" \
	-- "$v" bind 00:02.0
check "bind unbound the old driver" \
	test "$(cat "$root/sys/bus/pci/drivers/bochs-drm/unbind")" = 0000:00:02.0
check "and rollback bound it again" \
	test "$(cat "$root/sys/bus/pci/drivers/bochs-drm/bind")" = 0000:00:02.0
echo N >"$root/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"
expect 3 "^vfiobarctl: 0000:00:05\.0: the device is not behind an IOMMU: vfio-pci takes it only in the unsafe no-IOMMU mode \(no DMA isolation, taints the kernel\); use --enable-noiommu or boot with vfio\.enable_unsafe_noiommu_mode=1$" \
	-- "$v" bind 00:05.0
expect 1 "did not take the device" -- "$v" bind --enable-noiommu 00:05.0
check "--enable-noiommu turned the parameter on" \
	test "$(cat "$root/sys/module/vfio/parameters/enable_unsafe_noiommu_mode")" = Y
rm "$root/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"
expect 3 "this kernel has no vfio no-IOMMU mode \(CONFIG_VFIO_NOIOMMU\)$" -- "$v" bind 00:05.0
echo Y >"$root/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"
mv "$root/sys/bus/pci/drivers/vfio-pci" "$tmp/vfio-pci"
expect 3 "^vfiobarctl: 0000:00:05\.0: no vfio-pci driver registered \(modprobe vfio-pci\)$" -- "$v" bind 00:05.0
mv "$tmp/vfio-pci" "$root/sys/bus/pci/drivers/vfio-pci"

expect 1 "^vfiobarctl: 0000:00:05\.0: not bound to vfio-pci \(driver: none\): Invalid argument$" \
	-- "$v" unbind 00:05.0
expect 1 "^vfiobarctl: 0000:00:03\.0: in use: /dev/vfio/noiommu-0 is held open by pid (4242 \(vfiobarctl\)|4444 \(legacy\)) and others; stop it first: Device or resource busy$" \
	-- "$v" unbind 00:03.0
mv "$root/proc" "$tmp/proc"
mkdir -p "$root/run/vfiobarctl"
printf 'driver=edu\noverride=\n' >"$root/run/vfiobarctl/0000:00:03.0"
mkdir -p "$root/sys/bus/pci/drivers/edu" && : >"$root/sys/bus/pci/drivers/edu/bind"
expect 1 "^vfiobarctl: 0000:00:03\.0: unbound from vfio-pci, but edu did not take it back \(driver: vfio-pci\)$" \
	-- "$v" unbind 00:03.0
check "unbind wrote vfio-pci/unbind" \
	test "$(cat "$root/sys/bus/pci/drivers/vfio-pci/unbind")" = 0000:00:03.0
check "unbind cleared driver_override" test "$(cat "$dev/0000:00:03.0/driver_override")" = ""
check "unbind asked the recorded driver to bind" \
	test "$(cat "$root/sys/bus/pci/drivers/edu/bind")" = 0000:00:03.0
check "unbind dropped the record" test ! -e "$root/run/vfiobarctl/0000:00:03.0"
mv "$tmp/proc" "$root/proc"

# --- info and features: no /dev/vfio here
expect 1 "^vfiobarctl: 0000:00:05\.0: not bound to vfio-pci \(driver: none\); run 'vfiobarctl bind 0000:00:05\.0'$" \
	-- "$v" info 00:05.0
if [ ! -e /dev/vfio/vfio ]; then
	expect 3 "^vfiobarctl: /dev/vfio/vfio: cannot open the VFIO container: No such file or directory$" \
		-- "$v" info 00:03.0
	expect_stdout '^dma-buf-export +unknown +/dev/vfio/vfio: cannot open the VFIO container: No such file or directory$' \
		-- "$v" features
	expect 3 "" -- "$v" features --check dma-buf-export
fi
expect_stdout '^x86-pat-debugfs +present ' -- "$v" features
expect_stdout '^vfio-noiommu +present +enable_unsafe_noiommu_mode=Y$' -- "$v" features
VFIOBARCTL_DEVICE=00:09.0 expect_stdout '^dma-buf-mmap +unknown +VFIOBARCTL_DEVICE=00:09\.0: no such PCI device$' \
	-- "$v" features
expect 2 "no device given" -- "$v" info

# --- maps
expect_stdout '^ 4242 vfiobarctl 0x7f0000200000 +8K export +0000:00:03\.0 +0 0x1000-0x2fff +uc +uncached-minus$' -- "$v" maps
expect_stdout '^ 4242 vfiobarctl 0x7f0000000000 +1M bar-mmap +0000:00:03\.0 +0 0x0-0xfffff +uc +uncached-minus$' -- "$v" maps
expect_stdout '^ 4444 legacy +0x7f2000000000 +4K vfio-mmap 0000:00:03\.0 +0 0x2000-0x2fff +uc +uncached-minus$' -- "$v" maps
out=$("$v" maps --pid 4343 -n -r -o KIND,DEVICE,BAR,RANGE,ATTR,MEMTYPE,OFFSET)
check "maps --pid 4343: WC export at BAR offset 0, a multi-range one without a range" test "$out" = \
	"export 0000:00:05.0 2 0x0-0xfff wc write-combining 0x0
export 0000:00:05.0 2  wc  0x1000"
check "maps skips the unnamed non-vfio DMABUF" test "$("$v" maps -n -o INODE | grep -c 3001)" = 0
out=$("$v" maps -J --pid 4242 -o +INODE,EXPORTER)
check "maps -J: exporter from fdinfo, inode as a number" \
	test "$(jq -c '[.maps[] | select(.inode == 2001) | [.kind, .exporter]]' <<<"$out")" = \
	'[["export","vfio_pci_core"]]'
expect 1 "^vfiobarctl: pid 99999: cannot read /proc/99999/maps: No such file or directory$" -- "$v" maps --pid 99999
expect 2 "--pid: not a process ID: 0" -- "$v" maps --pid 0
unset DMABUF_UTILS_SYSROOT

# --- read/write through a mapping (a plain file stands in for a DMABUF)
f=$tmp/bar
printf 'dmabuf-utils ivshmem test\n' >"$f"
truncate -s 4096 "$f"
expect_stdout '^00000000: 62616d64 752d6675 736c6974 73766920  \|dmabuf-utils ivs\|$' \
	-- "$v" read --dmabuf "$f" 0 --count 4
expect_stdout '^00000010: 68 6d 65 6d 20 74 65 73 74 0a 00 +\|hmem test\.\.\|$' -- "$v" read --dmabuf "$f" 16 -w 1 --count 11
expect_stdout '^00000004: 6675 +\|uf\|$' -- "$v" read --dmabuf "$f" 4 --width 2
expect 0 "" -- "$v" write --dmabuf "$f" 0x100 0x1122334455667788 --width 8
check "write --width 8 stored little-endian" \
	test "$(od -An -tx1 -j256 -N8 "$f" | tr -d ' ')" = 8877665544332211
expect 0 "" -- "$v" write --dmabuf "$f" 0x200 0xab --width 1 --count 3
check "write --count 3 filled three bytes" test "$(od -An -tx1 -j512 -N4 "$f" | tr -d ' ')" = ababab00
printf 'ABCDEFGH' >"$tmp/src"
expect 0 "" -- "$v" write --dmabuf "$f" 0x300 --from "$tmp/src"
check "write --from copied the file" test "$(dd if="$f" bs=1 skip=768 count=8 status=none)" = ABCDEFGH
"$v" read --dmabuf "$f" 0x300 --count 2 --binary >"$tmp/out"
check "read --binary gives the raw bytes" cmp -s "$tmp/out" "$tmp/src"
expect 1 "^vfiobarctl: dmabuf $f: offset 0x1000: access raised SIGBUS \(the DMABUF was revoked or the device is gone\)$" \
	-- "$v" read --dmabuf "$f" 0x1000
expect 1 "^vfiobarctl: /nonexistent: cannot open" -- "$v" read --dmabuf /nonexistent 0
printf '123' >"$tmp/odd"
expect 1 "^vfiobarctl: $tmp/odd: 3 bytes is not a positive multiple of 4: Invalid argument$" \
	-- "$v" write --dmabuf "$f" 0 --from "$tmp/odd"
out=$(timeout 1 "$v" read --dmabuf "$f" 0 --watch 10ms)
check "read --watch prints once while nothing changes" test "$(wc -l <<<"$out")" = 1

# --- usage errors
expect 2 "--width: must be 1, 2, 4 or 8: 3" -- "$v" read 00:03.0 0 0 --width 3
expect 2 "OFFSET 0x2 is not a multiple of --width 4" -- "$v" read 00:03.0 0 2
expect 2 "missing arguments" -- "$v" read 00:03.0 0
expect 2 "too many arguments" -- "$v" read 00:03.0 0 0 0
expect 2 "no VALUE given \(or --from FILE\)" -- "$v" write 00:03.0 0 0
expect 2 "VALUE 0x100 does not fit in 1 bytes" -- "$v" write 00:03.0 0 0 0x100 -w 1
expect 2 "--dmabuf cannot be combined with --socket or --method" -- "$v" read --dmabuf 3 0 --method pread
expect 2 "--method: unknown method: dma" -- "$v" read 00:03.0 0 0 --method dma
expect 2 "--count: must be a positive number: 0" -- "$v" read 00:03.0 0 0 --count 0
expect 2 "--from and --count exclude each other" -- "$v" write --dmabuf 3 0 --from x --count 2
expect 2 "--socket PATH is required" -- "$v" serve 00:03.0
expect 2 "--socket PATH is required" -- "$v" revoke 1
expect 2 "give exactly one of ID, --all and --fd" -- "$v" revoke -s /x 1 --all
expect 2 "ID: not an export ID: 0" -- "$v" revoke -s /x 0
expect 2 "expected BDF and at least one BAR:OFFSET\+LENGTH" -- "$v" export 00:03.0
expect 2 "no command after --" -- "$v" export 00:03.0 0:0+4K --
expect 2 "--fd: must be a number from 3 to 1000: 2" -- "$v" export 00:03.0 0:0+4K --fd 2
expect 2 "^vfiobarctl: 0:0\+4K,1:0\+4K: all ranges of one DMABUF must be in the same BAR$" \
	-- "$v" export --socket /x 00:03.0 0:0+4K,1:0+4K
expect 2 "^vfiobarctl: 0:0x1000: expected OFFSET\+LENGTH$" -- "$v" export --socket /x 00:03.0 0:0x1000
expect 2 "^vfiobarctl: x:0\+4K: BAR must be a number \(0-5\)$" -- "$v" export --socket /x 00:03.0 x:0+4K
expect 2 "^vfiobarctl: 0:0\+4K,: trailing comma$" -- "$v" export --socket /x 00:03.0 0:0+4K,
expect 2 "--_nr-ranges and --_flags take one range list" -- "$v" export 00:03.0 0:0+4K 0:0+4K --_flags 0
expect 1 "^vfiobarctl: $tmp/none: no primary listening \(start 'vfiobarctl serve BDF --socket $tmp/none'\): No such file or directory$" \
	-- "$v" revoke -s "$tmp/none" 1

# --- the clients against a fake primary
sock=$tmp/primary.sock
log=$tmp/requests
python3 "$here/vfiobarctl-fake-primary.py" "$sock" "$log" &
fake_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
out=$("$v" export --socket "$sock" 00:03.0 BAR0:0+4K,0x2000+0x1000 -- \
	sh -c 'echo "$VFIOBARCTL_FD $VFIOBARCTL_FDS $VFIOBARCTL_ID $VFIOBARCTL_SIZE $VFIOBARCTL_BDF"; readlink /proc/self/fd/3')
check "export --socket: CMD gets the fd on 3 and the environment" \
	test "$(head -1 <<<"$out")" = "3 3 7 8192 0000:00:03.0"
check "export --socket: fd 3 is what the primary sent" grep -q '^/memfd:fake-bar' <<<"$out"
check "export sent the canonical request" \
	grep -qx 'EXPORT 0000:00:03.0 0:0x0+0x1000,0x2000+0x1000 uc fds=0' "$log"
out=$("$v" export --socket "$sock" --fd 5 00:03.0 0:0+4K 0:0x1000+4K -- sh -c 'echo $VFIOBARCTL_FDS; readlink /proc/self/fd/6')
check "two DMABUFs land on --fd 5 and 6" test "$(head -1 <<<"$out")" = "5 6"
expect_stdout '^ +7 0000:00:03\.0 0:0x0\+0x1000 +uc +4096 +12345$' -- "$v" export --socket "$sock" 00:03.0 0:0+4K
expect_stdout '^00000010: 13121110 17161514 +\|\.\.\.\.\.\.\.\.\|$' \
	-- "$v" export --socket "$sock" 00:03.0 0:0+4K -- "$v" read --dmabuf 3 0x10 --count 2
expect_stdout '^00000020: 23222120 +\| !"#\|$' -- "$v" read --socket "$sock" 00:03.0 0 0x20
check "read --socket asked for the page around the offset" \
	grep -qx 'EXPORT 0000:00:03.0 0:0x0+0x1000 uc fds=0' "$log"
expect_stdout '^00000010: 03020100 07060504 +\|\.\.\.\.\.\.\.\.\|$' \
	-- "$v" read --socket "$sock" 00:03.0 0 0x10 --method mmap --count 2
check "read --socket --method mmap asks the primary to read" \
	grep -qx 'READ 0000:00:03.0 0 0x10 4 2 mmap fds=0' "$log"
expect 0 "" -- "$v" write --socket "$sock" 00:03.0 0 4 0x12345678 --method pread
check "write --socket --method pread sends the bytes" \
	grep -qx 'WRITE 0000:00:03.0 0 0x4 4 pread 78563412 fds=0' "$log"
"$v" read --socket "$sock" 00:03.0 0 0 --method mmap --count 3000 --binary >"$tmp/big"
check "a large remote read comes back whole, in chunks" test "$(stat -c %s "$tmp/big")" = 12000
expect 1 "^vfiobarctl: 0000:00:03\.0: UC 0:0x1\+0x1000: cannot export \(range 0x1\+0x1000: offset not page-aligned\): Invalid argument$" \
	-- "$v" export --socket "$sock" 00:03.0 0:1+4K -- true
expect 3 "cannot export \(the kernel offers neither the export attribute bits nor the memattr feature needed for WC\): Operation not supported$" \
	-- "$v" export --socket "$sock" --wc 00:03.0 0:0+4K -- true
expect 1 "^vfiobarctl: 0000:00:05\.0: this primary serves 0000:00:03\.0: No such device$" \
	-- "$v" export --socket "$sock" 00:05.0 0:0+4K
"$v" export --socket "$sock" --_nr-ranges 0 --_flags 0x20000000 00:03.0 0:0+4K >/dev/null
check "hidden raw options reach the request" \
	grep -qx 'EXPORT 0000:00:03.0 0:0x0+0x1000 uc nr=0 flags=536870912 fds=0' "$log"
expect 127 "^vfiobarctl: /nonexistent: cannot execute: No such file or directory$" \
	-- "$v" export --socket "$sock" 00:03.0 0:0+4K -- /nonexistent
expect_stdout '^ +1 0:0x0\+0x1000 +uc +4K active +[0-9]+ sh +$' -- "$v" exports --socket "$sock"
expect_stdout '^ +2 0:0x0\+0x1000,0x2000\+0x1000 wc +8K revoked +4343 sub' -- "$v" exports --socket "$sock"
out=$("$v" exports --socket "$sock" -J -o ID,STATE,UID,AGE)
check "exports -J: numbers and states" \
	test "$(jq -c '[.exports[] | [.id, .state, .uid, (.age >= 5)]]' <<<"$out")" = \
	'[[1,"active",0,true],[2,"revoked",1000,true]]'
expect_stdout '^1: revoked 1 in 1\.2 us$' -- "$v" revoke --socket "$sock" 1
expect_stdout '^all exports: revoked 1 in 1\.2 us$' -- "$v" revoke --socket "$sock" --all
expect 1 "^vfiobarctl: 0000:00:03\.0: export 2: cannot revoke \(already revoked\): File descriptor in bad state$" \
	-- "$v" revoke --socket "$sock" 2
expect 1 "^vfiobarctl: export 9: no such export: No such file or directory$" -- "$v" revoke --socket "$sock" 9
expect_stdout '^/dev/null: revoked 1 in 0\.5 us$' -- "$v" revoke --socket "$sock" --fd /dev/null
check "revoke --fd sent the fd along" grep -qx 'REVOKE fd fds=1' "$log"
expect 4 "^vfiobarctl: $sock: no reply from the primary: Connection timed out$" \
	-- "$v" revoke --socket "$sock" 3 --timeout 200ms

done_testing
