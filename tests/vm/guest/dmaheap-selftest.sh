#!/bin/sh
# The kernel side of the dma-heap charge_pid_fd series (kernel/patches
# 0040-0044, kernel/patches-test 0010-0012) in the guest.
#
# 1. The seed's selftests, run here instead of its virtme-ng vmtest.sh:
#      dmabuf-heaps/dmabuf-heap         13 results per heap in /dev/dma_heap
#      cgroup/test_memcontrol test_memcg_dmabuf
#    Every KTAP result line of a selftest becomes one result here (prefixed
#    with the selftest's name); then its plan, result count and exit status
#    are checked.
# 2. The uapi as the kernel implements it, driven by the guest program
#    dmaheap-ioctl (tests/uapi/dmaheap_ioctl.c): the errno of every bad
#    request, where a charge lands, when it is dropped (last fd, mapping or
#    other holder), memory.max enforcement, and the dma-buf fdinfo.
# Works with and without dma_heap.mem_accounting=1 on the command line.
. /tests/lib.sh
. /tests/dmaheap-lib.sh

SELFTESTS=${VM_SELFTESTS:-/selftests}

# run_ktap NAME EXPECTED_COUNT CMD...: replay CMD's KTAP results as ours.
run_ktap() {
	local name=$1 want=$2 out status planned count line desc
	shift 2
	out=/tmp/ktap-$name.out
	status=0
	"$@" >"$out" 2>&1 || status=$?
	count=0
	planned=
	while IFS= read -r line; do
		case "$line" in
		"ok "* | "not ok "*)
			count=$((count + 1))
			# "ok 3 desc # SKIP why" / "not ok 4 desc": drop the number
			desc=$(echo "$line" | sed -E 's/^(not )?ok [0-9]+ (- )?//')
			case "$line" in
			*"# SKIP"*)
				skip "$name: ${desc%%# SKIP*}" "${desc#*# SKIP}" ;;
			"not ok "*)
				not_ok "$name: $desc" ;;
			*)
				ok "$name: $desc" ;;
			esac
			;;
		1..*)
			planned=${line#1..}
			;;
		"#"*)
			diag "$name: ${line#\# }"
			;;
		esac
	done <"$out"
	if [ "$planned" = "$want" ] && [ "$count" = "$want" ]; then
		ok "$name: plan and result count are $want"
	else
		not_ok "$name: plan and result count are $want" "plan '${planned:-none}', $count results"
	fi
	if [ "$status" -eq 0 ]; then
		ok "$name: exit status 0"
	else
		not_ok "$name: exit status 0" "exit status $status"
		sed 's/^/#   /' "$out" | tail -n 40
	fi
}

heaps=$(ls /dev/dma_heap | wc -l)
diag "heaps: $(ls /dev/dma_heap | tr '\n' ' ')"
diag "lsm: $(cat /sys/kernel/security/lsm 2>/dev/null)"
if [ "$heaps" -lt 2 ]; then
	not_ok "the guest has the system and the CMA heap" "found $heaps heap(s)"
else
	ok "the guest has the system and the CMA heap"
fi

bin=$SELFTESTS/dmabuf-heaps/dmabuf-heap
if [ -x "$bin" ]; then
	run_ktap dmabuf-heap $((13 * heaps)) "$bin"
	# On this kernel the feature is there: a skip would hide a regression.
	n=$(grep -c "SKIP" /tmp/ktap-dmabuf-heap.out)
	if [ "$n" -eq 0 ]; then
		ok "dmabuf-heap: nothing skipped (charge_pid_fd found, vgem imported)"
	else
		not_ok "dmabuf-heap: nothing skipped (charge_pid_fd found, vgem imported)" "$n skipped"
	fi
else
	not_ok "dmabuf-heaps selftest is installed" "$bin missing"
fi

bin=$SELFTESTS/cgroup/test_memcontrol
if [ -x "$bin" ]; then
	# test_memcontrol creates its cgroups under the unified root.
	run_ktap test_memcontrol 1 "$bin" test_memcg_dmabuf
	if grep -q "^ok .*test_memcg_dmabuf" /tmp/ktap-test_memcontrol.out &&
		! grep -q SKIP /tmp/ktap-test_memcontrol.out; then
		ok "test_memcontrol: test_memcg_dmabuf passed, not skipped"
	else
		not_ok "test_memcontrol: test_memcg_dmabuf passed, not skipped"
	fi
else
	not_ok "cgroup selftest test_memcontrol is installed" "$bin missing"
fi

# ---------------------------------------------------------------------------
# 2. The uapi, exactly.

CG=/sys/fs/cgroup/dmaheap-kernel

# event CGROUP KEY: a memory.events counter.
event() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/memory.events"
}

# hold_signal NAME SIG WORD: send SIG, wait until the holder printed WORD.
hold_signal() {
	local i=0
	kill -"$2" "$HOLD_PID"
	while ! grep -q "^$3" "/tmp/$1.out"; do
		[ $i -ge 50 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

accounting=$(cat /sys/module/dma_heap/parameters/mem_accounting 2>/dev/null)
check "dma_heap.mem_accounting is a read-only parameter (value '$accounting')" \
	sh -c '[ -r /sys/module/dma_heap/parameters/mem_accounting ] &&
		[ "$(stat -c %a /sys/module/dma_heap/parameters/mem_accounting)" = 444 ]'

mkdir -p "$CG" || bail_out "cannot create $CG"
echo +memory >"$CG/cgroup.subtree_control"
mkdir -p "$CG/client" "$CG/alloc"
sh -c "echo \$\$ >$CG/client/cgroup.procs && exec sleep 100000" &
client=$!
sleep 0.3
check "the client process runs in its own cgroup" grep -qx "$client" "$CG/client/cgroup.procs"
A="-g $CG/alloc"

# The probe userspace uses: zero length with a fd that is not a pidfd.
expect_errno EBADF "probe: len 0 with a non-pidfd charge_pid_fd is EBADF (feature present)" \
	dmaheap-ioctl $A -n /dev/null system 0

# Errors, each with nothing charged anywhere.
expect_errno ENOENT "unknown heap: open(/dev/dma_heap/nosuch) is ENOENT" \
	dmaheap-ioctl $A nosuch 1M
expect_errno EINVAL "size 0 is EINVAL" dmaheap-ioctl $A -p "$client" system 0
expect_errno EBADF "charge_pid_fd not open (9999) is EBADF" \
	dmaheap-ioctl $A -f 9999 system 1M
expect_errno EBADF "charge_pid_fd of a closed pidfd is EBADF" \
	dmaheap-ioctl $A -c system 1M
expect_errno EBADF "charge_pid_fd that is not a pidfd (/dev/null) is EBADF" \
	dmaheap-ioctl $A -n /dev/null system 1M
expect_errno EBADF "charge_pid_fd 0xffffffff is EBADF" \
	dmaheap-ioctl $A -f 0xffffffff system 1M
expect_errno ESRCH "pidfd of an exited, reaped process is ESRCH" \
	dmaheap-ioctl $A -x system 1M
expect_errno ESRCH "pidfd of an exited, unreaped (zombie) process is ESRCH" \
	dmaheap-ioctl $A -z system 1M
expect_errno EINVAL "nonzero __padding is EINVAL" \
	dmaheap-ioctl $A -p "$client" -P 1 system 1M
expect_errno EINVAL "nonzero __padding is EINVAL even without a pidfd" \
	dmaheap-ioctl $A -P 0x80000000 system 1M
expect_errno EINVAL "invalid fd_flags are EINVAL" \
	dmaheap-ioctl $A -p "$client" -F 0x4000000 system 1M
expect_errno ENOMEM "beyond the CMA area (128M from 64M reserved) is ENOMEM" \
	dmaheap-ioctl $A -p "$client" reserved 128M
check "... nothing charged to the client" still_dmabuf "$CG/client" 0
check "... nothing charged to the allocator" still_dmabuf "$CG/alloc" 0

# Old and pidfd-less callers.
check "the 24-byte struct (old binaries) still allocates" dmaheap-ioctl $A -o system 1M
check "charge_pid_fd 0 allocates" dmaheap-ioctl $A -f 0 system 1M
if [ "$accounting" = Y ]; then
	if hold_start noacct $A system 1M; then
		check "mem_accounting=Y: no pidfd charges the caller's cgroup" \
			wait_dmabuf "$CG/alloc" 1048576
		dh_kill "$HOLD_PID"
		check "... until the buffer is closed" wait_dmabuf "$CG/alloc" 0
	else
		not_ok "mem_accounting=Y: no pidfd charges the caller's cgroup" "$(cat /tmp/noacct.err)"
	fi
else
	if hold_start noacct $A system 1M; then
		check "mem_accounting=N: no pidfd charges nobody" still_dmabuf "$CG/alloc" 0
		dh_kill "$HOLD_PID"
	else
		not_ok "mem_accounting=N: no pidfd charges nobody" "$(cat /tmp/noacct.err)"
	fi
fi
if hold_start self $A -s system 1M; then
	check "the caller's own pidfd charges the caller's cgroup" wait_dmabuf "$CG/alloc" 1048576
	dh_kill "$HOLD_PID"
	check "... until the buffer is closed" wait_dmabuf "$CG/alloc" 0
else
	not_ok "the caller's own pidfd charges the caller's cgroup" "$(cat /tmp/self.err)"
fi

# Exact bytes land in the target cgroup, its parent, not the caller's.
for heap in system reserved; do
	for size in 4K 64K 1M 16M; do
		case $size in
		4K) bytes=4096 ;; 64K) bytes=65536 ;; 1M) bytes=1048576 ;; 16M) bytes=16777216 ;;
		esac
		if hold_start sz $A -p "$client" $heap $size; then
			check_dmabuf "$heap $size: the client's cgroup is charged $bytes" "$CG/client" $bytes
			check_dmabuf "$heap $size: ... and so is its parent" "$CG" $bytes
			check "$heap $size: the allocator's cgroup is not" still_dmabuf "$CG/alloc" 0
			dh_kill "$HOLD_PID"
			check_dmabuf "$heap $size: closing uncharges it" "$CG/client" 0
		else
			not_ok "$heap $size: allocation charged to the client" "$(cat /tmp/sz.err)"
		fi
	done
done

# Unaligned lengths are charged by the page.
if hold_start odd $A -p "$client" system 5000; then
	check_dmabuf "a 5000-byte buffer is charged 8192 bytes" "$CG/client" 8192
	dh_kill "$HOLD_PID"
	check_dmabuf "... and uncharged" "$CG/client" 0
else
	not_ok "a 5000-byte buffer is charged 8192 bytes" "$(cat /tmp/odd.err)"
fi

# The fdinfo of a dma-buf and its /proc/PID/maps line.
if hold_start info $A -p "$client" -m system 1M; then
	f=/proc/$HOLD_PID/fdinfo/$HOLD_FD
	diag "fdinfo of a dma-buf fd on this kernel:"
	sed 's/^/  /' "$f" | while IFS= read -r line; do diag "$line"; done
	check "fdinfo has size: 1048576" grep -qx "size:[[:space:]]*1048576" "$f"
	check "fdinfo has exp_name: system" grep -qx "exp_name:[[:space:]]*system" "$f"
	check "fdinfo has ino: matching fstat" grep -qx "ino:[[:space:]]*$HOLD_INO" "$f"
	check "fdinfo has count:" grep -q "^count:" "$f"
	check "fdinfo has no name: for an unnamed buffer" sh -c "! grep -q '^name:' $f"
	diag "maps: $(grep dmabuf "/proc/$HOLD_PID/maps")"
	check "/proc/PID/maps shows the mapping as /dmabuf: with the inode" \
		sh -c "grep '/dmabuf:' /proc/$HOLD_PID/maps | grep -qw $HOLD_INO"
	dh_kill "$HOLD_PID"
else
	not_ok "fdinfo of a dma-buf" "$(cat /tmp/info.err)"
fi
if hold_start named $A -p "$client" -m -N dmaheap-test system 64K; then
	f=/proc/$HOLD_PID/fdinfo/$HOLD_FD
	check "a named buffer's fdinfo has name: dmaheap-test" grep -qx "name:[[:space:]]*dmaheap-test" "$f"
	check "... and its mapping is /dmabuf:dmaheap-test" grep -q "/dmabuf:dmaheap-test" "/proc/$HOLD_PID/maps"
	dh_kill "$HOLD_PID"
else
	not_ok "a named buffer's fdinfo" "$(cat /tmp/named.err)"
fi

# The charge is dropped with the last reference: fd, mapping, other holder.
if hold_start life $A -p "$client" -m -k system 4M; then
	check_dmabuf "lifetime: charged 4M while fd, mapping and a holder keep it" "$CG/client" 4194304
	hold_signal life USR1 closed
	check "lifetime: still charged after close, with the mapping and holder" \
		still_dmabuf "$CG/client" 4194304
	dh_kill "$HOLDER"
	check "lifetime: still charged after the holder exited, with the mapping" \
		still_dmabuf "$CG/client" 4194304
	hold_signal life USR2 unmapped
	check_dmabuf "lifetime: uncharged by munmap of the last mapping" "$CG/client" 0
	dh_kill "$HOLD_PID"
else
	not_ok "lifetime: allocation with mapping and holder" "$(cat /tmp/life.err)"
fi
if hold_start life2 $A -p "$client" -k system 4M; then
	hold_signal life2 USR1 closed
	check "lifetime: a holder process alone keeps the charge" \
		still_dmabuf "$CG/client" 4194304
	dh_kill "$HOLDER"
	check_dmabuf "lifetime: uncharged when that holder exits" "$CG/client" 0
	dh_kill "$HOLD_PID"
else
	not_ok "lifetime: allocation with a holder" "$(cat /tmp/life2.err)"
fi

# The charge outlives the charged process; it stays with its cgroup.
sh -c "echo \$\$ >$CG/client/cgroup.procs && exec sleep 100000" &
victim=$!
sleep 0.3
if hold_start outlive $A -p "$victim" system 2M; then
	check_dmabuf "a buffer charged to a process ..." "$CG/client" 2097152
	dh_kill "$victim"
	check "... stays charged to its cgroup after the process exited" \
		still_dmabuf "$CG/client" 2097152
	dh_kill "$HOLD_PID"
	check_dmabuf "... until the buffer is released" "$CG/client" 0
else
	not_ok "a buffer charged to a process" "$(cat /tmp/outlive.err)"
	dh_kill "$victim"
fi

# memory.max: the charge is real memory of the cgroup.
if hold_start cur $A -p "$client" system 16M; then
	cur=$(cat "$CG/client/memory.current")
	if [ "$cur" -ge 16777216 ]; then
		ok "a 16M charge shows in memory.current ($cur)"
	else
		not_ok "a 16M charge shows in memory.current" "memory.current $cur"
	fi
	dh_kill "$HOLD_PID"
else
	not_ok "a 16M charge shows in memory.current" "$(cat /tmp/cur.err)"
fi
echo 8M >"$CG/client/memory.max"
max_before=$(event "$CG/client" max)
expect_errno ENOMEM "memory.max 8M: charging 16M (system heap) is ENOMEM" \
	dmaheap-ioctl $A -p "$client" system 16M
expect_errno ENOMEM "memory.max 8M: charging 16M (CMA heap) is ENOMEM" \
	dmaheap-ioctl $A -p "$client" reserved 16M
max_after=$(event "$CG/client" max)
if [ "$max_after" -gt "$max_before" ]; then
	ok "memory.events max counted the failed charges ($max_before -> $max_after)"
else
	not_ok "memory.events max counted the failed charges" "$max_before -> $max_after"
fi
check "... and nothing was charged" still_dmabuf "$CG/client" 0
memtotal=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
expect_errno ENOMEM "memory.max 8M: twice the guest's RAM (${memtotal} kB x 2) is ENOMEM, no OOM" \
	dmaheap-ioctl $A -p "$client" system $((memtotal * 2))K
check "memory.max 8M: 4M still fits" dmaheap-ioctl $A -p "$client" system 4M
echo max >"$CG/client/memory.max"
diag "memory.events of the client: $(tr '\n' ' ' <"$CG/client/memory.events")"

dh_kill "$client"
rmdir "$CG/client" "$CG/alloc" "$CG" 2>/dev/null
done_testing
