#!/bin/bash
# dmaheapctl features, list and alloc on the VM kernel: what the kernel
# offers, the heaps and the CMA area, allocation output, descriptor flags,
# --fill, running a command with the buffers, and valid JSON everywhere.
. /tests/lib.sh
. /tests/dmaheap-lib.sh

dh_setup a
t=/tmp/dh-basic
mkdir -p $t

# --- features ---------------------------------------------------------------------
check "features: the charging kernel has everything alloc --charge-pid needs" \
	dmaheapctl features --check dma-heap pidfd memcg memcg-dmabuf charge-pid-fd mem-accounting dmabuf-debugfs
run dmaheapctl features -r -n -o NAME,STATE,REASON charge-pid-fd mem-accounting
if grep -qx 'charge-pid-fd present DMA_HEAP_IOCTL_ALLOC\\x20checks\\x20charge_pid_fd\\x20(non-pidfd:\\x20EBADF)' "$RUN_OUT" &&
	grep -q '^mem-accounting present dma_heap.mem_accounting=N' "$RUN_OUT"; then
	ok "features: charge-pid-fd probed through the ioctl, mem_accounting off by default"
else
	not_ok "features reasons" "$(cat "$RUN_OUT" "$RUN_ERR")"
fi

# --- list ---------------------------------------------------------------------------
cma_kb=$(awk '/^CmaTotal:/ { print $2 }' /proc/meminfo)
run dmaheapctl list -r -n -b -o NAME,DEVICE,TYPE,SIZE
if grep -qx "reserved /dev/dma_heap/reserved cma $((cma_kb * 1024))" "$RUN_OUT" &&
	grep -qx "system /dev/dma_heap/system system " "$RUN_OUT" && [ "$cma_kb" = 65536 ]; then
	ok "list: reserved is the 64M CMA heap, system the system heap"
else
	not_ok "list" "$(cat "$RUN_OUT" "$RUN_ERR")"
fi
dh_spawn holder /dh/a dmaheapctl alloc reserved 1M --count 3 --hold -r -n -o FD >$t/held
wait_file $t/held >/dev/null
run dmaheapctl list -r -n -b -o NAME,BUFFERS,ALLOCATED,USED
used=$(awk '$1 == "reserved" { print $4 }' "$RUN_OUT")
if grep -q "^reserved 3 3145728 " "$RUN_OUT" && [ "$used" -ge 3145728 ]; then
	ok "list: 3 buffers, 3M allocated from reserved, CMA use $used >= 3M"
else
	not_ok "list after allocating" "$(cat "$RUN_OUT" "$RUN_ERR")"
fi
dh_kill "$holder"

# --- alloc output and descriptor flags ------------------------------------------------
dh_spawn holder /dh/a dmaheapctl alloc system 5000 --hold -r -n -b -o FD,INODE,SIZE,HEAP,CGROUP,PID >$t/one
wait_file $t/one >/dev/null
read -r fd ino size heap cg pid <$t/one
if [ "$size" = 8192 ] && [ "$heap" = system ] && [ "$cg" = - ] && [ "$pid" = "$holder" ] &&
	[ "$(stat -L -c %i /proc/$holder/fd/$fd)" = "$ino" ]; then
	ok "alloc: 5000 bytes rounded to 8192, fd/inode real, not charged (-)"
else
	not_ok "alloc output" "$(cat $t/one)"
fi
flags=$(awk '/^flags:/ { print $2 }' /proc/$holder/fdinfo/$fd)
if [ $((0$flags & 02000000)) != 0 ] && [ $((0$flags & 3)) = 2 ]; then
	ok "default fd flags: O_RDWR|O_CLOEXEC ($flags)"
else
	not_ok "default fd flags $flags"
fi
dh_kill "$holder"
dh_spawn holder /dh/a dmaheapctl alloc system 4K --fd-flags rdonly --hold -r -n -o FD >$t/ro
wait_file $t/ro >/dev/null
flags=$(awk '/^flags:/ { print $2 }' /proc/$holder/fdinfo/$(cat $t/ro))
if [ $((0$flags & 02000003)) = 0 ]; then
	ok "--fd-flags rdonly: O_RDONLY without O_CLOEXEC ($flags)"
else
	not_ok "--fd-flags rdonly gave $flags"
fi
dh_kill "$holder"
run dmaheapctl alloc system 4K --fd-flags rdonly --fill 1
if [ "$RUN_STATUS" = 1 ] &&
	grep -qx "dmaheapctl: heap system: buffer fd [0-9]*: cannot fill (--fill): Permission denied" "$RUN_ERR"; then
	ok "--fill on a read-only buffer: EACCES, exit 1, the buffer named"
else
	not_ok "--fill on a read-only buffer" "exit $RUN_STATUS: $(cat "$RUN_ERR")"
fi

# --- --fill and running a command ---------------------------------------------------------
run dmaheapctl alloc reserved 1M --fill 0x5a -n -o FD -- /bin/sh -c 'exec dmaheap-helper check $DMAHEAPCTL_FDS 0x5a'
if [ "$RUN_STATUS" = 0 ] && grep -qx "1048576 bytes of 0x5a" "$RUN_OUT"; then
	ok "--fill 0x5a: the command sees every byte filled"
else
	not_ok "--fill" "$(cat "$RUN_OUT" "$RUN_ERR")"
fi
run dmaheapctl alloc system 4K --count 3 -n -o FD -- /bin/sh -c 'echo "fds $DMAHEAPCTL_FDS"; for f in $DMAHEAPCTL_FDS; do readlink /proc/self/fd/$f; done'
if [ "$RUN_STATUS" = 0 ] && [ "$(grep -c '^/dmabuf:$' "$RUN_OUT")" = 3 ] &&
	grep -q "^fds [0-9]* [0-9]* [0-9]*$" "$RUN_OUT"; then
	ok "-- CMD: three buffers inherited, listed in \$DMAHEAPCTL_FDS"
else
	not_ok "-- CMD" "$(cat "$RUN_OUT" "$RUN_ERR")"
fi
expect_exit 7 "-- CMD: the command's exit status passes through" \
	dmaheapctl alloc system 4K -n -- /bin/sh -c 'exit 7'
run dmaheapctl alloc system 4K -- /nonexistent/cmd
if [ "$RUN_STATUS" = 1 ] && grep -qx "dmaheapctl: /nonexistent/cmd: cannot execute: No such file or directory" "$RUN_ERR"; then
	ok "-- CMD that cannot be executed: exit 1, named"
else
	not_ok "bad command" "exit $RUN_STATUS: $(cat "$RUN_ERR")"
fi
start=$(date +%s)
check "--hold=1s returns by itself" dmaheapctl alloc system 4K --hold=1s -n
[ $(($(date +%s) - start)) -ge 1 ] && ok "--hold=1s held at least a second" || not_ok "--hold=1s returned early"

# --- audit sees the buffers -------------------------------------------------------------
dh_spawn holder /dh/a dmaheapctl alloc system 64K --hold -r -n -o INODE >$t/aud
wait_file $t/aud >/dev/null
run dmaheapctl audit --by buffer -r -n -b -o INODE,SIZE,EXPORTER,PROCS,HOLDERS,FDS,MAPS --pid "$holder"
if [ "$(cat "$RUN_OUT")" = "$(cat $t/aud) 65536 system 1 dmaheapctl[$holder] 1 0" ]; then
	ok "audit --by buffer: the held buffer, its exporter and holder"
else
	not_ok "audit --by buffer" "$(cat "$RUN_OUT" "$RUN_ERR")"
fi

# --- JSON ---------------------------------------------------------------------------------
json_ok() {
	local desc=$1
	shift
	"$@" >$t/j.json 2>$t/j.err
	if dmaheap-helper json $t/j.json 2>>$t/j.err; then
		ok "$desc: valid JSON"
	else
		not_ok "$desc" "$(cat $t/j.err)"
		diag "$(cat $t/j.json)"
	fi
}
json_ok "features -J" dmaheapctl features -J
json_ok "list -J" dmaheapctl list -J -o +DEVICE
json_ok "alloc -J" dmaheapctl alloc system 4K --count 2 -J -o +PID
grep -q '"cgroup": null' $t/j.json && ok "alloc -J: uncharged cgroup is null" ||
	not_ok "alloc -J cgroup" "$(cat $t/j.json)"
json_ok "audit -J" dmaheapctl audit -J -o +CGROUP
json_ok "audit --by buffer -J" dmaheapctl audit --by buffer -J -o +COUNT,FDS,MAPS,ATTRIBUTION
json_ok "audit --by cgroup -J" dmaheapctl audit --by cgroup -J -o +TOTAL,EXCLUSIVE,SHARED,ELSEWHERE
dh_kill "$holder"
done_testing
