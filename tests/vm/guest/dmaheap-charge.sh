#!/bin/bash
# dmaheapctl alloc --charge-pid on the charge_pid_fd kernel: the charge
# lands, to the byte, in the target process's cgroup and not the caller's,
# for sizes from 4K to 64M on the system and the CMA heap; it is dropped
# only when the last holder (descriptor, mapping, other process) lets go,
# not when the charged process exits; memory.max is enforced.
. /tests/lib.sh
. /tests/dmaheap-lib.sh

dh_require_charging

dh_setup caller target other limited
dh_spawn target /dh/target sleep 1000
out=/tmp/dh-charge.out

# hold CG OUT ARGS...: dmaheapctl alloc ARGS in cgroup CG; its pid in $holder.
hold() {
	local cg=$1 o=$2
	shift 2
	: >"$o"
	dh_spawn holder "$cg" dmaheapctl alloc "$@"
	wait_file "$o" >/dev/null
}

check_exact() {
	local what=$1 want=$2 t c o
	wait_dmabuf /dh/target "$want"
	t=$(dmabuf_of /dh/target)
	c=$(dmabuf_of /dh/caller)
	o=$(dmabuf_of /dh/other)
	if [ "$t" = "$want" ] && [ "$c" = 0 ] && [ "$o" = 0 ]; then
		ok "$what: target charged $want bytes, caller and other 0"
	else
		not_ok "$what" "dmabuf: target $t (want $want), caller $c, other $o"
	fi
}

for heap in system reserved; do
	for size in 4K 64K 1M 16M 64M; do
		b=$(bytes "$size")
		hold /dh/caller "$out" "$heap" "$size" --charge-pid "$target" --hold \
			-r -n -b -o SIZE,HEAP,CGROUP >"$out" 2>"$out.err"
		if grep -qx "$b $heap /dh/target" "$out"; then
			ok "$heap $size: alloc reports $b bytes charged to /dh/target"
		else
			not_ok "$heap $size: alloc output" "$(cat "$out" "$out.err")"
		fi
		check_exact "$heap $size" "$b"
		dh_kill "$holder"
		check_dmabuf "$heap $size: uncharged when the holder exits" /dh/target 0
	done
done

# --- the last holder decides --------------------------------------------------

# Two processes hold the descriptor: the allocator (moved to /dh/caller) and a
# child it forked (moved to /dh/other).  The charge stays with /dh/target.
: >"$out"
dh_spawn holder /dh/caller dmaheapctl alloc system 1M --charge-pid "$target" -r -n \
	-o INODE -- /bin/bash -c 'sleep 1000 & echo "child $!"; exec sleep 1000' >"$out"
wait_file "$out" child >/dev/null
child=$(awk '$1 == "child" { print $2 }' "$out")
echo "$child" >/sys/fs/cgroup/dh/other/cgroup.procs
DH_PIDS="$DH_PIDS $child"
check_exact "fd held by two processes in two cgroups" 1048576
dh_kill "$holder"
sleep 2.5
check_exact "allocator gone, the other process's fd keeps the charge" 1048576
run dmaheapctl audit --by buffer -r -n -o PROCS,HOLDERS --pid "$child"
if grep -qx "1 sleep\[$child\]" "$RUN_OUT"; then
	ok "audit: the buffer's only holder is the other process"
else
	not_ok "audit holder" "$(cat "$RUN_OUT" "$RUN_ERR")"
fi
dh_kill "$child"
check_dmabuf "last fd closed: uncharged" /dh/target 0

# Only a mapping is left: the descriptor is closed after mmap.
: >"$out"
dh_spawn holder /dh/caller dmaheapctl alloc reserved 1M --charge-pid "$target" -r -n \
	-o INODE -- /bin/sh -c 'exec dmaheap-helper map $DMAHEAPCTL_FDS' >"$out"
wait_file "$out" mapped >/dev/null
check_exact "mapping only (fd closed)" 1048576
run dmaheapctl audit -r -n -o FDS,MAPS,RSS -b --pid "$holder"
if grep -qx "0 1 1048576" "$RUN_OUT"; then
	ok "audit: holder has 0 fds, 1 mapping, 1M"
else
	not_ok "audit of the mapping holder" "$(cat "$RUN_OUT" "$RUN_ERR")"
fi
dh_kill "$holder"
check_dmabuf "mapping gone: uncharged" /dh/target 0

# The charged process exits first: the charge stays with its cgroup until the
# buffer goes.
dh_spawn victim /dh/target sleep 1000
hold /dh/caller "$out" system 64K --charge-pid "$victim" --hold -r -n -o CGROUP >"$out"
check_exact "charged to a second process of /dh/target" 65536
dh_kill "$victim"
sleep 2.5
check_exact "charged process exited: the charge stays" 65536
dh_kill "$holder"
check_dmabuf "buffer freed: uncharged" /dh/target 0

# --- memory.max -------------------------------------------------------------------

dh_spawn limited /dh/limited sleep 1000
echo 4M >/sys/fs/cgroup/dh/limited/memory.max
events_max() {
	awk '$1 == "max" { print $2 }' /sys/fs/cgroup/dh/limited/memory.events
}
before=$(events_max)
run dmaheapctl alloc system 8M --charge-pid "$limited"
want="dmaheapctl: heap system: cannot allocate 8M charged to /dh/limited (memory.max 4194304): Cannot allocate memory"
if [ "$RUN_STATUS" = 1 ] && [ "$(cat "$RUN_ERR")" = "$want" ]; then
	ok "8M beyond memory.max 4M: ENOMEM, exit 1, message names the cgroup and limit"
else
	not_ok "memory.max refusal" "status $RUN_STATUS: $(cat "$RUN_ERR")"
fi
after=$(events_max)
if [ "$after" -gt "$before" ]; then
	ok "memory.events max went from $before to $after"
else
	not_ok "memory.events max did not increase ($before -> $after)"
fi
expect_errno ENOMEM "CMA heap: also refused beyond memory.max" \
	dmaheapctl alloc reserved 8M --charge-pid "$limited"
sleep 2.5
if [ "$(dmabuf_of /dh/limited)" = 0 ] && [ "$(dmabuf_of /dh/caller)" = 0 ] &&
	[ "$(dmabuf_of /)" = 0 ]; then
	ok "refused allocations left nothing charged anywhere"
else
	not_ok "charges after refusal" "limited $(dmabuf_of /dh/limited) root $(dmabuf_of /)"
fi
if kill -0 "$limited" 2>/dev/null &&
	[ "$(awk '$1 == "oom_kill" { print $2 }' /sys/fs/cgroup/dh/limited/memory.events)" = 0 ]; then
	ok "the limited cgroup's process was not OOM-killed"
else
	not_ok "limited process killed"
fi
hold /dh/caller "$out" system 1M --charge-pid "$limited" --hold -r -n -o CGROUP >"$out"
check_dmabuf "1M within memory.max is charged" /dh/limited 1048576
cur=$(cat /sys/fs/cgroup/dh/limited/memory.current)
if [ "$cur" -ge 1048576 ]; then
	ok "memory.current ($cur) includes the buffer"
else
	not_ok "memory.current $cur < 1M"
fi
dh_kill "$holder"
check_dmabuf "uncharged again" /dh/limited 0
done_testing
