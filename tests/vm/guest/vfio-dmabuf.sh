#!/bin/sh
# BAR ranges as DMABUFs (the kernel series): exporting and mapping them, the
# edu registers through a DMABUF mapping, multi-range buffers, aliasing
# mappings, mappings at a nonzero offset and past the end, WC against UC in
# the x86 PAT, and ivshmem bytes written through a WC mapping (the host
# compares its backing file afterwards: the POST command of this test).
. /tests/vfio-lib.sh

PAT=/sys/kernel/debug/x86/pat_memtype_list

vfiobarctl bind "$EDU" >/dev/null || bail_out "cannot bind $EDU"
vfiobarctl bind "$IVS" >/dev/null || bail_out "cannot bind $IVS"
# The DMABUF interfaces are probed on a device bound to vfio-pci.
for f in dma-buf-export dma-buf-mmap dma-buf-revoke-ioctl dma-buf-attr-flags; do
	check "features: $f present" vfiobarctl features --check "$f"
done
out_is "info --features: the seed's ABI, not the later features" \
	"dma-buf-export present
dma-buf-mmap present
dma-buf-revoke-ioctl present
dma-buf-attr-flags present
dma-buf-revoke-feature missing
dma-buf-memattr-feature missing" vfiobarctl info --features -n -r -o FEATURE,STATE "$EDU"

# --- edu registers through a DMABUF mapping
out_match "edu ID register through a DMABUF" '^00000000: 010000ed ' \
	vfiobarctl read --method dmabuf "$EDU" 0 0
check "write liveness through a DMABUF" vfiobarctl write --method dmabuf "$EDU" 0 4 0xa5a5f00d
out_match "liveness reads back inverted through a DMABUF" '^00000004: 5a5a0ff2 ' \
	vfiobarctl read --method dmabuf "$EDU" 0 4
start_bg auto vfiobarctl read "$EDU" 0 0 --watch 1s
out_is "--method auto maps a DMABUF vfiobarctl exported" "export $EDU 0 0x0-0xfff uc" \
	vfiobarctl maps --pid "$BG_PID" -n -r -o KIND,DEVICE,BAR,RANGE,ATTR
out_is "and named it" "0000:00:03.0/0:0 uc" vfiobarctl maps --pid "$BG_PID" -n -o NAME
kill "$BG_PID"
wait_bg "$BG_PID"

# --- export to a command
out_match "export -- CMD: the subordinate reads edu's ID on fd 3" '^00000000: 010000ed ' \
	vfiobarctl export "$EDU" 0:0+4K -- vfiobarctl read --dmabuf 3 0
run vfiobarctl export "$EDU" 0:0+4K -- sh -c 'ls -l /proc/$$/fd; env'
keep_out /tmp/sub.out
check "the subordinate has the DMABUF on fd 3" grep -q ' 3 -> /dmabuf:0000:00:03.0/0:0 uc$' /tmp/sub.out
check "the subordinate has no VFIO device, group or container fd" \
	sh -c "grep -q ' 3 -> ' /tmp/sub.out && ! grep -E 'vfio-device|/dev/vfio' /tmp/sub.out"
check "the subordinate's environment describes the DMABUF" \
	grep -qx "VFIOBARCTL_SIZE=4096" /tmp/sub.out
out_match "export without CMD prints what it exported" "^ +$EDU 0:0x0\+0x1000 +uc +4096 +[0-9]+\$" \
	vfiobarctl export -n "$EDU" 0:0+4K

# --- multi-range, nonzero offsets, aliasing, past the end (ivshmem BAR2 is RAM)
vfiobarctl write --method pread "$IVS" 2 0x1000 0x11111111
vfiobarctl write --method pread "$IVS" 2 0x3000 0x33333333
out_is "two ranges: DMABUF offset 0x1000 is BAR offset 0x3000 (mapped at page offset 1)" \
	"00000000: 11111111                             |....|
00001000: 33333333                             |3333|" \
	vfiobarctl export "$IVS" 2:0x1000+4K,0x3000+4K -- \
	sh -c 'vfiobarctl read --dmabuf 3 0 && vfiobarctl read --dmabuf 3 0x1000'
out_is "two DMABUFs of one range alias: written through one, read through the other" \
	"00000000: facecafe                             |....|" \
	vfiobarctl export "$IVS" 2:0x4000+4K 2:0x4000+4K -- \
	sh -c 'vfiobarctl write --dmabuf 3 0 0xfacecafe && vfiobarctl read --dmabuf 4 0'
out_match "edu liveness through aliasing DMABUFs" '^00000004: f0f0f0f0 ' \
	vfiobarctl export "$EDU" 0:0+4K 0:0+4K -- \
	sh -c 'vfiobarctl write --dmabuf 3 4 0x0f0f0f0f && vfiobarctl read --dmabuf 4 4'
fails_with "a mapping past the end of the DMABUF fails" 1 \
	'^vfiobarctl: dmabuf 3: cannot map 0x1000\+0x1000 \(DMABUF size 0x1000\): Invalid argument$' \
	vfiobarctl export "$EDU" 0:0+4K -- vfiobarctl read --dmabuf 3 0x1000
sig="dmabuf-utils ivshmem $IVSHMEM_FILE"
run vfiobarctl export "$IVS" 2:0+4K -- vfiobarctl read --dmabuf 3 0 -w 1 --count ${#sig} --binary
check "ivshmem's host file shows through a DMABUF mapping" test "$(cat "$RUN_OUT")" = "$sig"

# --- WC really is WC in the PAT, UC is not
bar2=$(bar_start "$IVS" 2)
wc_start=$(printf '0x%016x' $((bar2 + 0x10000)))
wc_end=$(printf '0x%016x' $((bar2 + 0x20000)))
BG_FD=8
start_bg wc vfiobarctl export --wc "$IVS" 2:0x10000+64K -- \
	vfiobarctl read --dmabuf 3 0 --watch 1s
wc_export=$BG_PID
check "the PAT list has the WC range while the WC DMABUF exists" \
	grep -qx "PAT: \[mem $wc_start-$wc_end\] write-combining" "$PAT"
wc_sub=$(child_of "$wc_export")
out_is "maps: the subordinate's mapping is WC, and the PAT agrees" \
	"export $IVS 2 0x10000-0x10fff wc write-combining" \
	vfiobarctl maps --pid "$wc_sub" -n -r -o KIND,DEVICE,BAR,RANGE,ATTR,MEMTYPE
kill "$wc_sub"
wait_bg "$wc_export"
check "the WC reservation goes with the DMABUF" sh -c "! grep -q '$wc_start' $PAT"
start_bg uc vfiobarctl export "$IVS" 2:0x20000+4K -- vfiobarctl read --dmabuf 3 0 --watch 1s
uc_export=$BG_PID
uc_sub=$(child_of "$uc_export")
run vfiobarctl maps --pid "$uc_sub" -n -r -o KIND,ATTR,MEMTYPE
keep_out /tmp/uc.out
check "maps: a UC mapping is not write-combining" grep -Eqx 'export uc ?(uncached-minus)?' /tmp/uc.out
uc_start=$(printf '0x%016x' $((bar2 + 0x20000)))
check "no WC memtype for the UC range" sh -c "! grep '$uc_start' $PAT | grep -q write-combining"
kill "$uc_sub"
wait_bg "$uc_export"

# --- bytes through a WC subordinate mapping reach the host's file
head -c 65536 /usr/local/bin/vfiobarctl >/tmp/pattern
check "write 64 KiB through a WC mapping" \
	vfiobarctl export --wc "$IVS" 2:0x10000+64K -- vfiobarctl write --dmabuf 3 0 --from /tmp/pattern
vfiobarctl export "$IVS" 2:0x10000+64K -- \
	vfiobarctl read --dmabuf 3 0 --count 16384 --binary >/tmp/readback
check "and read back through a UC mapping, byte for byte" cmp /tmp/pattern /tmp/readback
diag "the host compares its ivshmem file at 0x10000 with the first 64 KiB of vfiobarctl"

# --- bad input: the kernel's errno and the tool's reason, one line each
bad() {
	local desc=$1 errtext=$2 reason=$3
	shift 3
	fails_with "$desc" 1 "^vfiobarctl: $EDU: UC [^ ]+: cannot export \($reason\): $errtext\$" \
		vfiobarctl export "$@"
}
bad "unaligned offset" "Invalid argument" 'range 0x1\+0x1000: offset not page-aligned' "$EDU" 0:1+4K
bad "unaligned length" "Invalid argument" 'range 0x0\+0x800: length not page-aligned' "$EDU" 0:0+2K
bad "zero length" "Invalid argument" 'range 0x0\+0x0: length is 0' "$EDU" 0:0+0
bad "a range past the BAR" "Invalid argument" \
	'range 0xff000\+0x2000 ends past BAR0 \(size 0x100000\)' "$EDU" 0:0xff000+8K
bad "nr_ranges 0" "Invalid argument" 'nr_ranges is 0' --_nr-ranges 0 "$EDU" 0:0+4K
bad "nr_ranges huge" "Cannot allocate memory" 'nr_ranges 4294967295 with 1 range\(s\) given' \
	--_nr-ranges 0xffffffff "$EDU" 0:0+4K
bad "BAR index 6" "No such device" 'region 6 is not a BAR: BARs are 0-5' "$EDU" 6:0+4K
bad "BAR index 7 (config space)" "No such device" 'region 7 is not a BAR: BARs are 0-5' "$EDU" 7:0+4K
bad "an unimplemented BAR" "Invalid argument" 'BAR1 is not implemented' "$EDU" 1:0+4K
bad "an unknown attribute" "Invalid argument" 'unknown attribute in flags bits 31:28' \
	--_flags 0x20000000 "$EDU" 0:0+4K
bad "an unknown flag bit" "Invalid argument" 'unknown flag bits' --_flags 1 "$EDU" 0:0+4K
ide=0000:00:01.1
if vfiobarctl list -n -r -o BARS "$ide" | grep -q ':io'; then
	vfiobarctl bind "$ide" >/dev/null
	iobar=$(vfiobarctl list -n -r -o BARS "$ide" | tr ',' '\n' | grep ':io$' | head -1 | cut -d: -f1)
	fails_with "an I/O BAR" 1 \
		"^vfiobarctl: $ide: UC $iobar:0x0\+0x1000: cannot export \(BAR$iobar is an I/O port BAR\): Invalid argument\$" \
		vfiobarctl export "$ide" "$iobar":0+4K
	vfiobarctl unbind "$ide" >/dev/null
else
	not_ok "an I/O BAR" "$ide has no I/O BAR: $(vfiobarctl list -n -r -o BARS "$ide")"
fi

vfiobarctl unbind "$EDU" >/dev/null
vfiobarctl unbind "$IVS" >/dev/null
done_testing
