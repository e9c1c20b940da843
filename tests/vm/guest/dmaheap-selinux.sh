#!/bin/sh
# SELinux proof for the dma-heap charge_to permission (kernel/patches 0043
# security_dma_heap_alloc hook, 0044 dma_heap class).  Needs the kernel
# booted with lsm=selinux (run-vm --append lsm=selinux).
#
# Loads the minimal policy of tests/vm/selinux/dmaheap.conf (carried in by
# the guest program dmaheap-selinux-policy), switches to enforcing, and runs
# dmaheap-ioctl in three domains against a client process in client_t that
# sits in its own memory cgroup:
#   charger_t  (allow charger_t client_t:dma_heap charge_to)  -> charged
#   nocharge_t (no rule)                  -> EACCES, avc denial, nothing charged
# plus the cases the hook does not gate (own pidfd, no pidfd) and the same
# denied request in permissive mode, which then succeeds and is logged.
. /tests/lib.sh
. /tests/dmaheap-lib.sh

CG=/sys/fs/cgroup/dmaheap-selinux
SIZE=4M
BYTES=4194304
CTX=user_u:base_r

# The number of avc lines in the kernel log matching a pattern.
avc_count() {
	dmesg | grep -c "avc:  denied  { charge_to }.*$1" || true
}

if ! grep -qw selinux /sys/kernel/security/lsm 2>/dev/null; then
	bail_out "SELinux is not an active LSM ($(cat /sys/kernel/security/lsm 2>/dev/null)); boot with lsm=selinux"
fi
ok "SELinux is active ($(cat /sys/kernel/security/lsm))"

mkdir -p /sys/fs/selinux
grep -q ' /sys/fs/selinux selinuxfs ' /proc/mounts || mount -t selinuxfs selinuxfs /sys/fs/selinux
check "selinuxfs is mounted" test -e /sys/fs/selinux/load
run dmaheap-selinux-policy /sys/fs/selinux/load
if [ "$RUN_STATUS" -ne 0 ]; then
	not_ok "the test policy loads" "$(cat "$RUN_ERR"); $(dmesg | grep SELinux | tail -n 3)"
	bail_out "no policy, nothing to test"
fi
ok "the test policy loads"
check "the loaded policy defines dma_heap { charge_to }" \
	test -e /sys/fs/selinux/class/dma_heap/perms/charge_to
diag "dma_heap class index $(cat /sys/fs/selinux/class/dma_heap/index 2>/dev/null)," \
	"charge_to bit $(cat /sys/fs/selinux/class/dma_heap/perms/charge_to 2>/dev/null)"
check "the shell runs in base_t" grep -q "^$CTX:base_t" /proc/self/attr/current

echo 1 >/sys/fs/selinux/enforce
check "SELinux is enforcing" grep -qx 1 /sys/fs/selinux/enforce

mkdir -p "$CG" "$CG/client" "$CG/alloc"
echo +memory >"$CG/cgroup.subtree_control"

# The client: a process in client_t in its own cgroup.
sh -c "echo \$\$ >$CG/client/cgroup.procs &&
	echo -n $CTX:client_t >/proc/self/attr/current && exec sleep 100000" &
client=$!
sleep 0.5
check "the client runs in client_t" grep -q "^$CTX:client_t" "/proc/$client/attr/current"
check "the client is in its cgroup" grep -qx "$client" "$CG/client/cgroup.procs"
check "nothing is charged to the client yet" wait_dmabuf "$CG/client" 0

# Allowed: charger_t may charge client_t.
if hold_start allowed -g "$CG/alloc" -C "$CTX:charger_t" -p "$client" system $SIZE; then
	ok "charger_t charges a $SIZE buffer to client_t"
	check "the client's cgroup is charged $BYTES bytes" wait_dmabuf "$CG/client" $BYTES
	check "the allocator's cgroup is not charged" still_dmabuf "$CG/alloc" 0
	check "the allocator ran in charger_t" grep -q "^$CTX:charger_t" "/proc/$HOLD_PID/attr/current"
	dh_kill "$HOLD_PID"
	check "closing the buffer uncharges the client" wait_dmabuf "$CG/client" 0
else
	not_ok "charger_t charges a $SIZE buffer to client_t" "$(cat /tmp/allowed.err)"
fi

# Denied: nocharge_t has no charge_to on client_t.
before=$(avc_count "scontext=$CTX:nocharge_t tcontext=$CTX:client_t tclass=dma_heap permissive=0")
expect_errno EACCES "nocharge_t charging client_t fails with EACCES" \
	dmaheap-ioctl -g "$CG/alloc" -C "$CTX:nocharge_t" -p "$client" system $SIZE
check "nothing was charged to the client" still_dmabuf "$CG/client" 0
check "nothing was charged to the allocator" still_dmabuf "$CG/alloc" 0
after=$(avc_count "scontext=$CTX:nocharge_t tcontext=$CTX:client_t tclass=dma_heap permissive=0")
if [ "$after" -gt "$before" ]; then
	ok "the kernel logged the avc denial of { charge_to } for tclass=dma_heap"
	diag "$(dmesg | grep 'avc:  denied  { charge_to }' | tail -n 1)"
else
	not_ok "the kernel logged the avc denial of { charge_to } for tclass=dma_heap" \
		"no matching avc line"
fi

# Not gated by the hook: charging oneself, and allocating without a pidfd.
check "nocharge_t may charge itself (own pidfd, no check)" \
	dmaheap-ioctl -g "$CG/alloc" -C "$CTX:nocharge_t" -s system $SIZE
check "nocharge_t may allocate without a pidfd" \
	dmaheap-ioctl -g "$CG/alloc" -C "$CTX:nocharge_t" system $SIZE
check "base_t may charge client_t" dmaheap-ioctl -p "$client" system $SIZE
# The rule is per target: charger_t has no charge_to on base_t (this shell).
expect_errno EACCES "charger_t charging base_t fails with EACCES" \
	dmaheap-ioctl -g "$CG/alloc" -C "$CTX:charger_t" -p $$ system $SIZE

# Permissive: the same request succeeds, charges, and is logged permissive=1.
echo 0 >/sys/fs/selinux/enforce
if hold_start permissive -g "$CG/alloc" -C "$CTX:nocharge_t" -p "$client" system $SIZE; then
	ok "in permissive mode nocharge_t's charge to client_t succeeds"
	check "... and charges the client" wait_dmabuf "$CG/client" $BYTES
	if dmesg | grep -q "avc:  denied  { charge_to }.*scontext=$CTX:nocharge_t tcontext=$CTX:client_t tclass=dma_heap permissive=1"; then
		ok "... and is logged as permissive=1"
	else
		not_ok "... and is logged as permissive=1"
	fi
	dh_kill "$HOLD_PID"
	check "... and is uncharged on close" wait_dmabuf "$CG/client" 0
else
	not_ok "in permissive mode nocharge_t's charge to client_t succeeds" "$(cat /tmp/permissive.err)"
fi
echo 1 >/sys/fs/selinux/enforce

kill "$client" 2>/dev/null
wait "$client" 2>/dev/null
rmdir "$CG/client" "$CG/alloc" "$CG" 2>/dev/null
done_testing
