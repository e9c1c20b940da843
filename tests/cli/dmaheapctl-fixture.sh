#!/bin/bash
# dmaheapctl list/audit/alloc/features against the fixture tree of
# tests/unit/fixtures/dmabuf (a fake /proc, debugfs bufinfo, cgroup tree
# and /dev/dma_heap), with exact expected output; then a copy of the tree
# whose memory.stat no buffer explains, which audit must report.
set -u
bindir=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
t="$bindir/dmaheapctl"
fixture=$here/../unit/fixtures/dmabuf
export DMABUF_UTILS_SYSROOT=$fixture

# expect_output EXPECTED -- CMD...: CMD succeeds and its stdout is EXPECTED.
expect_output() {
	local want=$1 got
	shift 2
	if ! got=$("$@" 2>&1); then
		not_ok "$*: failed: $got"
	elif [ "$got" != "$want" ]; then
		not_ok "$*: unexpected output"
		diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
	else
		ok "$*"
	fi
}

expect_output "reserved cma 67108864 1048576 66060288 1 1048576
system system    3 86016" -- "$t" list -r -n -b
expect_output "reserved /dev/dma_heap/reserved
system /dev/dma_heap/system" -- "$t" list -r -n -o NAME,DEVICE
expect_output "100 allocator /alloc 2 2 1 1052672 1050624
200 client /apps/client 2 1 1 69632 67584
300 viewer /apps/viewer/sub 1 1 0 8192 8192" -- "$t" audit -r -n -b
expect_output "  100 allocator /alloc       2   2    1  1.0M  1.0M" -- \
	"$t" audit -n --pid 100
expect_output "1001 4096 system  2 2 allocator[100],client[200] 2 0 /apps/client holder
1002 1048576 reserved fb0 1 1 allocator[100] 1 1 - uncharged
1003 65536 system  1 1 client[200] 0 1 /apps/client holder
1004 8192 drm scan\x20out\x201 1 1 viewer[300] 1 0 - uncharged
1005 16384 system  1 0  0 0 /apps/viewer elsewhere" -- \
	"$t" audit --by buffer -r -n -b \
	-o INODE,SIZE,EXPORTER,NAME,COUNT,PROCS,HOLDERS,FDS,MAPS,CHARGED-TO,ATTRIBUTION
expect_output "1001
1003" -- "$t" audit --by buffer -r -n -o INODE --pid 200
cols=CGROUP,PROCS,BUFFERS,HELD,EXCLUSIVE,SHARED,CHARGED,TOTAL,ATTRIBUTED,ELSEWHERE,DIFF,STATUS
expect_output "/ 0 0 0 0 0 0 86016 0 0 0 ok
/alloc 1 2 1052672 1048576 4096 0 0 0 0 0 ok
/apps 0 0 0 0 0 0 86016 0 0 0 ok
/apps/client 1 2 69632 65536 4096 69632 69632 69632 0 0 ok
/apps/viewer 1 1 8192 8192 0 16384 16384 16384 16384 0 ok" -- \
	"$t" audit --by cgroup -r -n -b -o $cols --check
expect_output "/apps/viewer" -- "$t" audit --by cgroup -r -n -o CGROUP --pid 300
expect_output "/apps
/apps/client
/apps/viewer" -- "$t" audit --by cgroup -r -n -o CGROUP --cgroup /apps/
expect_output "200
300" -- "$t" audit -r -n -o PID --cgroup /apps

# JSON: numbers are numbers, absent values null, one top-level object.
json=$("$t" audit --by cgroup -J)
if jq -e '.dmabufs | length == 5 and (.[3].cgroup == "/apps/client") and
	(.[3].charged == 69632) and (.[4].diff == 0) and (.[4].status == "ok")' \
	<<<"$json" >/dev/null; then
	ok "audit --by cgroup -J is valid JSON with typed values"
else
	not_ok "audit --by cgroup -J: $json"
fi
json=$("$t" audit --by buffer -J -o INODE,SIZE,NAME,CHARGED-TO)
if jq -e '.dmabufs[0] == {"inode":1001,"size":4096,"name":null,"charged-to":"/apps/client"}' \
	<<<"$json" >/dev/null; then
	ok "audit --by buffer -J: sizes in bytes, missing name is null"
else
	not_ok "audit --by buffer -J: $json"
fi
json=$("$t" list -J)
if jq -e '.dmaheaps[1] | .name == "system" and .size == null and .allocated == 86016' \
	<<<"$json" >/dev/null; then
	ok "list -J"
else
	not_ok "list -J: $json"
fi

# Prometheus textfile: written atomically, no temporary file left behind.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
expect 0 "" -- "$t" audit --prometheus "$tmp/dmabuf.prom"
prom=$(cat "$tmp/dmabuf.prom" 2>/dev/null)
for line in 'dmabuf_bytes{exporter="reserved"} 1048576' 'dmabuf_unheld_bytes 16384' \
	'dmabuf_process_pss_bytes{pid="100",comm="allocator",cgroup="/alloc"} 1050624' \
	'dmabuf_cgroup_charged_bytes{cgroup="/apps/viewer"} 16384' \
	'dmabuf_cgroup_unexplained_bytes{cgroup="/apps/client"} 0' 'dmabuf_audit_reconciled 1' \
	'# TYPE dmabuf_cgroup_attributed_bytes gauge'; do
	if grep -qxF "$line" <<<"$prom"; then
		ok "prometheus has: $line"
	else
		not_ok "prometheus lacks: $line"
	fi
done
if [ "$(ls -A "$tmp")" = dmabuf.prom ]; then
	ok "no temporary file left"
else
	not_ok "left in $tmp: $(ls -A "$tmp")"
fi
expect 1 "^dmaheapctl: $tmp/no/such/dir/x.prom: cannot create .*: No such file or directory$" -- \
	"$t" audit --prometheus "$tmp/no/such/dir/x.prom"

# Filters naming what does not exist.
expect 1 "^dmaheapctl: process 999: No such process$" -- "$t" audit --pid 999
expect 1 "^dmaheapctl: cgroup /nope: .*/sys/fs/cgroup/nope: No such file or directory$" -- \
	"$t" audit --cgroup /nope

# alloc refuses before allocating: unknown heap, more than RAM, and a charge
# target on a "heap" that cannot prove it honours charge_pid_fd.
expect 1 "^dmaheapctl: heap foo: no such heap \(/dev/dma_heap has: reserved, system\): No such file or directory$" -- \
	"$t" alloc foo 4K
expect 1 "^dmaheapctl: heap system: 2G is more than the memory of this machine \(MemTotal 981.1M\): Cannot allocate memory$" -- \
	"$t" alloc system 2G
expect 1 "^dmaheapctl: heap system: 1000M is more than the memory" -- \
	"$t" alloc system 1M --count 1000
expect 3 "^dmaheapctl: kernel feature charge-pid-fd \(.*\) is unknown: DMA_HEAP_IOCTL_ALLOC probe returns ENOTTY$" -- \
	"$t" alloc system 4K --charge-pid $$
expect 1 "^dmaheapctl: heap system: cannot allocate 4K: Inappropriate ioctl for device$" -- \
	"$t" alloc system 4K

expect_output "dma-heap present
memcg-dmabuf present
mem-accounting present
dmabuf-debugfs present" -- "$t" features -r -n -o NAME,STATE dma-heap memcg-dmabuf \
	mem-accounting dmabuf-debugfs

# A tree whose memory.stat says /apps/viewer is charged 4K more than any
# buffer can explain: reported as a mismatch of exactly 4096 bytes.
cp -a "$fixture" "$tmp/tree"
cg=$tmp/tree/sys/fs/cgroup
sed -i 's/^dmabuf .*/dmabuf 20480/' "$cg/apps/viewer/memory.stat"
sed -i 's/^dmabuf .*/dmabuf 90112/' "$cg/apps/memory.stat" "$cg/memory.stat"
export DMABUF_UTILS_SYSROOT=$tmp/tree
expect_output "/apps/viewer 20480 16384 4096 mismatch" -- \
	"$t" audit --by cgroup -r -n -b -o CGROUP,CHARGED,ATTRIBUTED,DIFF,STATUS --cgroup /apps/viewer
expect_output "1004 unknown
1005 unknown" -- "$t" audit --by buffer -r -n -o INODE,ATTRIBUTION --cgroup /apps/viewer
expect 1 "" -- "$t" audit --by cgroup --check
expect_stdout 'dmabuf_cgroup_unexplained_bytes\{cgroup="/apps/viewer"\} 4096' -- \
	sh -c "'$t' audit --prometheus '$tmp/m.prom' && cat '$tmp/m.prom'"
# Without the dmabuf line (a kernel without the memcg patch): n/a, nothing inferred.
sed -i '/^dmabuf /d' "$cg"/memory.stat "$cg"/*/memory.stat "$cg"/*/*/memory.stat
expect_output "/apps/client 69632  n/a" -- \
	"$t" audit --by cgroup -r -n -b -o CGROUP,HELD,CHARGED,STATUS --cgroup /apps/client
expect 3 "" -- "$t" features --check memcg-dmabuf
expect_stdout "^memcg-dmabuf +missing +memory.stat of / has no dmabuf line" -- "$t" features
done_testing
