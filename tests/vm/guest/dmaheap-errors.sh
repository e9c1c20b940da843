#!/bin/bash
# dmaheapctl alloc with bad input, on the charge_pid_fd kernel: each gets
# one exact line naming the object and the errno, the documented exit code,
# and nothing is allocated or charged anywhere.
. /tests/lib.sh
. /tests/dmaheap-lib.sh

dh_require_charging

dh_setup caller target
dh_spawn target /dh/target sleep 1000
dh_spawn caller /dh/caller sleep 1000

# refuse CODE MESSAGE DESC CMD...: CMD exits CODE and stderr is exactly MESSAGE.
refuse() {
	local code=$1 msg=$2 desc=$3
	shift 3
	run "$@"
	if [ "$RUN_STATUS" = "$code" ] && [ "$(cat "$RUN_ERR")" = "$msg" ]; then
		ok "$desc"
	else
		not_ok "$desc" "exit $RUN_STATUS (want $code)"
		diag "want: $msg"
		diag "got:  $(cat "$RUN_ERR")"
	fi
}

# In /dh/caller, so a charge to the caller would show.
in_caller() {
	echo $$ >/sys/fs/cgroup/dh/caller/cgroup.procs
}
in_caller

refuse 1 "dmaheapctl: heap nosuch: no such heap (/dev/dma_heap has: reserved, system): No such file or directory" \
	"unknown heap: ENOENT" dmaheapctl alloc nosuch 4K --charge-pid "$target"
refuse 2 "dmaheapctl: size '0': a buffer needs at least one byte: Invalid argument
Try 'dmaheapctl alloc --help' for more information." \
	"size 0: EINVAL, usage error" dmaheapctl alloc system 0 --charge-pid "$target"
run dmaheapctl alloc system 2G --charge-pid "$target"
if [ "$RUN_STATUS" = 1 ] && grep -qx "dmaheapctl: heap system: 2G is more than the memory of this machine (MemTotal .*): Cannot allocate memory" "$RUN_ERR"; then
	ok "size beyond RAM: ENOMEM before asking the kernel"
else
	not_ok "size beyond RAM" "exit $RUN_STATUS: $(cat "$RUN_ERR")"
fi
refuse 1 "dmaheapctl: heap reserved: cannot allocate 128M to be charged to /dh/target: Cannot allocate memory" \
	"beyond the 64M CMA area: ENOMEM from the kernel" \
	dmaheapctl alloc reserved 128M --charge-pid "$target"
refuse 1 "dmaheapctl: heap reserved: cannot allocate 128M: Cannot allocate memory" \
	"beyond the CMA area, uncharged: ENOMEM" dmaheapctl alloc reserved 128M
refuse 1 "dmaheapctl: --charge-pidfd 9: fd 9 is not open: Bad file descriptor" \
	"charge fd not open: EBADF" dmaheapctl alloc system 4K --charge-pidfd 9
refuse 1 "dmaheapctl: --charge-pidfd 9: fd 9 is not open: Bad file descriptor" \
	"charge fd closed just before: EBADF" bash -c 'exec 9</dev/null; exec 9<&-; exec dmaheapctl alloc system 4K --charge-pidfd 9'
refuse 1 "dmaheapctl: --charge-pidfd 9: not a pidfd (the kernel refused it as charge_pid_fd): Bad file descriptor" \
	"charge fd is /dev/null: the kernel says EBADF" \
	bash -c 'exec dmaheapctl alloc system 4K --charge-pidfd 9 9</dev/null'
refuse 1 "dmaheapctl: --charge-pidfd 9: not a pidfd (the kernel refused it as charge_pid_fd): Bad file descriptor" \
	"charge fd is a dma-heap: EBADF" \
	bash -c 'exec dmaheapctl alloc system 4K --charge-pidfd 9 9</dev/dma_heap/system'
refuse 1 "dmaheapctl: --charge-pidfd 9: the process has exited (or is a kernel thread): No such process" \
	"pidfd of an exited and reaped process: ESRCH" \
	dmaheap-helper pidfd --exited 9 -- dmaheapctl alloc system 4K --charge-pidfd 9
run dmaheap-helper zombie -- dmaheapctl alloc system 4K --charge-pid {}
if [ "$RUN_STATUS" = 1 ] && grep -qx "dmaheapctl: --charge-pid [0-9]*: the process has exited (or is a kernel thread): No such process" "$RUN_ERR"; then
	ok "zombie (exited, not reaped): ESRCH"
else
	not_ok "zombie" "exit $RUN_STATUS: $(cat "$RUN_ERR")"
fi
refuse 1 "dmaheapctl: --charge-pid 2: the process has exited (or is a kernel thread): No such process" \
	"kernel thread (kthreadd): ESRCH" dmaheapctl alloc system 4K --charge-pid 2
refuse 1 "dmaheapctl: --charge-pid 99999: cannot open a pidfd of process 99999: No such process" \
	"no such process: ESRCH from pidfd_open" dmaheapctl alloc system 4K --charge-pid 99999
refuse 1 "dmaheapctl: heap system: allocation refused: __padding 0x1 is not zero: Invalid argument" \
	"nonzero __padding with a pidfd: EINVAL" \
	dmaheapctl alloc system 4K --charge-pid "$target" --_padding 1
refuse 1 "dmaheapctl: heap reserved: allocation refused: __padding 0x80000000 is not zero: Invalid argument" \
	"nonzero __padding without a pidfd: EINVAL" dmaheapctl alloc reserved 4K --_padding 0x80000000
echo 80M >/sys/fs/cgroup/dh/target/memory.max
refuse 1 "dmaheapctl: heap system: buffer 3 of 3: cannot allocate 32M charged to /dh/target (memory.max 83886080): Cannot allocate memory" \
	"third of three over memory.max: exit 1, the first two are freed" \
	dmaheapctl alloc system 32M --count 3 --charge-pid "$target"
echo max >/sys/fs/cgroup/dh/target/memory.max

# Nothing of the above may have stayed charged or allocated.  memory.stat is
# flushed at least every 2 s.
sleep 2.5
if [ "$(dmabuf_of /dh/target)" = 0 ] && [ "$(dmabuf_of /dh/caller)" = 0 ] &&
	[ "$(dmabuf_of /)" = 0 ]; then
	ok "nothing charged: target, caller and root dmabuf are 0"
else
	not_ok "charges left" "target $(dmabuf_of /dh/target) caller $(dmabuf_of /dh/caller) root $(dmabuf_of /)"
fi
run dmaheapctl audit --by buffer -n
if [ ! -s "$RUN_OUT" ] && [ "$(grep -c . /sys/kernel/debug/dma_buf/bufinfo)" -le 3 ]; then
	ok "no dma-buf left in the system (audit and debugfs)"
else
	not_ok "dma-bufs left" "$(cat "$RUN_OUT")"
	diag "$(cat /sys/kernel/debug/dma_buf/bufinfo)"
fi

# fd 0 is never passed as charge_pid_fd (the kernel would read "no pidfd" and
# not charge): a pidfd inherited as descriptor 0 still charges the target.
out=/tmp/dh-errors.out
dh_spawn holder /dh/caller dmaheap-helper pidfd "$target" 0 -- dmaheapctl alloc system 1M \
	--charge-pidfd 0 --hold -r -n -o CGROUP >$out
wait_file $out >/dev/null
if [ "$(cat $out)" = /dh/target ]; then
	ok "--charge-pidfd 0: reported charged to /dh/target"
else
	not_ok "--charge-pidfd 0 output" "$(cat $out)"
fi
check_dmabuf "--charge-pidfd 0: target charged 1M" /dh/target 1048576
dh_kill "$holder"
check_dmabuf "freed" /dh/target 0

# PID:FD: a pidfd taken from another process with pidfd_getfd().
dh_spawn keeper /dh/caller dmaheap-helper pidfd "$target" 7 -- sleep 1000
sleep 0.3
dh_spawn holder /dh/caller dmaheapctl alloc system 64K --charge-pidfd "$keeper:7" --hold \
	-r -n -o CGROUP >$out
wait_file $out >/dev/null
check_dmabuf "--charge-pidfd PID:FD charges the process that pidfd names" /dh/target 65536
dh_kill "$holder" "$keeper"
check_dmabuf "freed" /dh/target 0
done_testing
