#!/bin/bash
# dmaheapctl audit against memory.stat: several processes in several cgroups
# share buffers, some allocated on behalf of another cgroup, one uncharged,
# one held only through a mapping.  The per-cgroup figures must match
# memory.stat exactly, every buffer must be attributed where it really is
# charged, and the JSON and Prometheus outputs must say the same.
. /tests/lib.sh
. /tests/dmaheap-lib.sh

dh_require_charging

dh_setup a b c
dh_spawn sa /dh/a sleep 1000
dh_spawn sb /dh/b sleep 1000
dh_spawn sc /dh/c sleep 1000
t=/tmp/dh-audit
mkdir -p $t

# inode_of FILE: the INODE column of a one-line "alloc -r -n -o INODE" output.
inode_of() {
	head -n1 "$1"
}

# X: 1M charged to b, held by a process in a and its child in c.
dh_spawn px /dh/a dmaheapctl alloc system 1M --charge-pid "$sb" -r -n -o INODE \
	-- /bin/bash -c 'sleep 1000 & echo "child $!"; exec sleep 1000' >$t/x
wait_file $t/x child >/dev/null || bail_out "X not allocated"
pxc=$(awk '$1 == "child" { print $2 }' $t/x)
echo "$pxc" >/sys/fs/cgroup/dh/c/cgroup.procs
DH_PIDS="$DH_PIDS $pxc"
# Y: 64K charged to c, held in c (the allocator charges its own cgroup).
dh_spawn py /dh/c dmaheapctl alloc system 64K --charge-pid "$sc" --hold -r -n -o INODE >$t/y
# Z: 4M from the CMA heap, not charged (no pidfd, mem_accounting off), held in b.
dh_spawn pz /dh/b dmaheapctl alloc reserved 4M --hold -r -n -o INODE >$t/z
# W: 16K charged to a, held by a process in b.
dh_spawn pw /dh/b dmaheapctl alloc system 16K --charge-pid "$sa" --hold -r -n -o INODE >$t/w
# V: 128K charged to a, held in a through a mapping only.
dh_spawn pv /dh/a dmaheapctl alloc reserved 128K --charge-pid "$sa" -r -n -o INODE \
	-- /bin/sh -c 'exec dmaheap-helper map $DMAHEAPCTL_FDS' >$t/v
for f in y z w; do
	wait_file $t/$f >/dev/null || bail_out "$f not allocated"
done
wait_file $t/v mapped >/dev/null || bail_out "V not mapped"
X=$(inode_of $t/x) Y=$(inode_of $t/y) Z=$(inode_of $t/z) W=$(inode_of $t/w) V=$(inode_of $t/v)
diag "inodes: X=$X Y=$Y Z=$Z W=$W V=$V"

check_dmabuf "memory.stat a: W + V = 147456" /dh/a 147456
check_dmabuf "memory.stat b: X = 1048576" /dh/b 1048576
check_dmabuf "memory.stat c: Y = 65536" /dh/c 65536
check_dmabuf "memory.stat /dh: the sum" /dh 1261568

# --- cgroup view against memory.stat --------------------------------------------
run dmaheapctl audit --by cgroup --cgroup /dh -r -n -b -o CGROUP,CHARGED,TOTAL,ATTRIBUTED,DIFF,STATUS --check
expected=""
for cg in /dh /dh/a /dh/b /dh/c; do
	l=$(local_dmabuf $cg)
	expected="$expected$cg $l $(dmabuf_of $cg) $l 0 ok
"
done
if [ "$RUN_STATUS" = 0 ] && [ "$(cat "$RUN_OUT")" = "${expected%
}" ]; then
	ok "audit --by cgroup: CHARGED/TOTAL equal memory.stat, all attributed, --check passes"
else
	not_ok "audit --by cgroup vs memory.stat" "status $RUN_STATUS"
	diag "expected:"
	diag "$expected"
	diag "got:"
	diag "$(cat "$RUN_OUT" "$RUN_ERR")"
fi
run dmaheapctl audit --by cgroup --cgroup /dh -r -n -b -o CGROUP,PROCS,BUFFERS,HELD,EXCLUSIVE,SHARED,ELSEWHERE
want="/dh 0 0 0 0 0 0
/dh/a 2 2 1179648 131072 1048576 16384
/dh/b 2 2 4210688 4210688 0 1048576
/dh/c 2 2 1114112 65536 1048576 0"
if [ "$(cat "$RUN_OUT")" = "$want" ]; then
	ok "audit --by cgroup: processes, buffers, held/exclusive/shared/elsewhere bytes"
else
	not_ok "audit --by cgroup details" "got: $(cat "$RUN_OUT" "$RUN_ERR")"
	diag "want: $want"
fi

# --- buffer view: where each buffer is charged ------------------------------------
run dmaheapctl audit --by buffer -r -n -b -o INODE,SIZE,PROCS,CHARGED-TO,ATTRIBUTION --cgroup /dh
for line in "$X 1048576 2 /dh/b elsewhere" "$Y 65536 1 /dh/c holder" "$Z 4194304 1 - uncharged" \
	"$W 16384 1 /dh/a elsewhere" "$V 131072 1 /dh/a holder"; do
	if grep -qx -- "$line" "$RUN_OUT"; then
		ok "buffer: $line"
	else
		not_ok "buffer: $line" "$(cat "$RUN_OUT" "$RUN_ERR")"
	fi
done

# --- process view: Rss/Pss as dmabuf_dump computes them --------------------------
run dmaheapctl audit -r -n -b -o PID,CGROUP,BUFFERS,FDS,MAPS,RSS,PSS --cgroup /dh
for line in "$px /dh/a 1 1 0 1048576 524288" "$pxc /dh/c 1 1 0 1048576 524288" \
	"$pv /dh/a 1 0 1 131072 131072" "$pz /dh/b 1 1 0 4194304 4194304"; do
	if grep -qx -- "$line" "$RUN_OUT"; then
		ok "process: $line"
	else
		not_ok "process: $line" "$(cat "$RUN_OUT" "$RUN_ERR")"
	fi
done

# --- JSON: valid, typed, same figures ---------------------------------------------
for view in process buffer cgroup; do
	dmaheapctl audit --by $view --cgroup /dh -J >$t/$view.json 2>$t/$view.err
	if dmaheap-helper json $t/$view.json 2>>$t/$view.err; then
		ok "audit --by $view -J is valid JSON"
	else
		not_ok "audit --by $view -J" "$(cat $t/$view.err)"
		diag "$(cat $t/$view.json)"
	fi
done
# libsmartcols prints one member per line: check the keys and typed values.
if grep -q '"cgroup": "/dh/b",' $t/cgroup.json && grep -q '"charged": 1048576,' $t/cgroup.json &&
	grep -q '"diff": 0,' $t/cgroup.json && grep -q '"status": "ok"' $t/cgroup.json; then
	ok "cgroup JSON: strings quoted, sizes as numbers of bytes"
else
	not_ok "cgroup JSON content"
	diag "$(cat $t/cgroup.json)"
fi
if grep -q "\"inode\": $Z," $t/buffer.json && grep -q '"charged-to": "-"' $t/buffer.json; then
	ok "buffer JSON: inode number, uncharged buffer shown as -"
else
	not_ok "buffer JSON content"
	diag "$(cat $t/buffer.json)"
fi

# --- Prometheus textfile ---------------------------------------------------------
mkdir -p $t/prom
check "audit --prometheus writes the file" dmaheapctl audit --cgroup /dh --prometheus $t/prom/dmabuf.prom
for line in 'dmabuf_cgroup_charged_bytes{cgroup="/dh/a"} 147456' \
	'dmabuf_cgroup_attributed_bytes{cgroup="/dh/b"} 1048576' \
	'dmabuf_cgroup_unexplained_bytes{cgroup="/dh/c"} 0' 'dmabuf_audit_reconciled 1' \
	"dmabuf_process_pss_bytes{pid=\"$pxc\",comm=\"sleep\",cgroup=\"/dh/c\"} 524288"; do
	if grep -qxF -- "$line" $t/prom/dmabuf.prom; then
		ok "prometheus: $line"
	else
		not_ok "prometheus: $line"
	fi
done
if [ "$(ls -A $t/prom)" = dmabuf.prom ]; then
	ok "prometheus: no temporary file left"
else
	not_ok "prometheus directory: $(ls -A $t/prom)"
fi

# --- dropping holders moves the figures, and audit follows ------------------------
dh_kill "$px"
sleep 2.5
run dmaheapctl audit --by buffer -r -n -o INODE,HOLDERS,CHARGED-TO --cgroup /dh
if grep -qx "$X sleep\[$pxc\] /dh/b" "$RUN_OUT"; then
	ok "X still charged to b, now held by the child in c only"
else
	not_ok "X after its allocator exited" "$(cat "$RUN_OUT" "$RUN_ERR")"
fi
dh_kill "$pxc" "$pv"
check_dmabuf "X and V freed: b back to 0" /dh/b 0
check_dmabuf "a keeps W only" /dh/a 16384
check "audit --check still reconciles" dmaheapctl audit --by cgroup --cgroup /dh --check
done_testing
