#!/bin/bash
# The dmaheap benchmark, inside the VM (started by benchmarks/dmaheap/run).
#
# 1. DMA_HEAP_IOCTL_ALLOC + close with charge_pid_fd against without, at 4K,
#    64K, 1M and 64M on the system heap (and the CMA heap up to 16M, as its
#    64M area cannot be allocated whole reliably), medians of interleaved rounds.
# 2. dmaheapctl audit against an lsfd pipeline computing the same per-process
#    Rss/Pss, on NPROCS processes holding NBUFS buffers each (one of them also
#    mapped), at growing fd counts; the two must print the same figures.
set -u
rounds=${BENCH_ROUNDS:-7}
runs=${BENCH_RUNS:-3}

cg=/sys/fs/cgroup/bench
mkdir -p $cg && echo +memory >$cg/cgroup.subtree_control && mkdir -p $cg/target || exit 1
sh -c 'echo $$ >/sys/fs/cgroup/bench/target/cgroup.procs && exec sleep 100000' &
target=$!
sleep 0.3

echo "=== 1. allocation: charge_pid_fd overhead (per allocation + close, medians of $rounds rounds)"
echo "plain: no charge_pid_fd; charged: a pidfd opened once; open+: pidfd_open per allocation"
echo "--- system heap"
dmaheap-bench alloc system "$target" "$rounds" 4K:400 64K:200 1M:40 64M:3 || exit 1
echo "--- CMA heap (reserved)"
dmaheap-bench alloc reserved "$target" "$rounds" 4K:400 64K:200 1M:40 16M:4 || exit 1
echo "memory.stat dmabuf of the target afterwards: $(awk '$1 == "dmabuf" { print $2 }' $cg/target/memory.stat) (0: every charge was dropped)"

# Median wall time of running "$@" $runs times, in seconds; output to $out.
out=/tmp/bench.out
time_median() {
	local i t0 t1 times=()
	for ((i = 0; i < runs; i++)); do
		t0=$EPOCHREALTIME
		"$@" >$out 2>/tmp/bench.err || { echo "failed: $* ($(cat /tmp/bench.err))"; return 1; }
		t1=$EPOCHREALTIME
		times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Per-process "PID RSS PSS" from lsfd: every fd or mapping whose name is
# /dmabuf*, one reference per (pid, inode), the size shared among holders.
lsfd_pipeline() {
	lsfd -r -n -o PID,INODE,SIZE -Q 'NAME =~ "^/dmabuf"' |
		awk '{ k = $1 " " $2; if (!(k in seen)) { seen[k] = 1; size[$2] = $3; n[$2]++ } }
		     END { for (k in seen) { split(k, a, " "); rss[a[1]] += size[a[2]];
		                             pss[a[1]] += int(size[a[2]] / n[a[2]]) }
		           for (p in rss) print p, rss[p], pss[p] }' | sort -n
}

# Why the two differ, when they do: lsfd of util-linux 2.38 (Debian 12) can
# give every dma-buf fd of a process the same INODE, where /proc/PID/fdinfo
# (what dmaheapctl reads) has each buffer's own ino; the pipeline then
# counts one buffer per process.
explain_lsfd_inodes() {
	local dup pid fd ino
	dup=$(lsfd -r -n -o PID,FD,INODE,ASSOC -Q 'NAME =~ "^/dmabuf"' |
		awk '$4 ~ /^[0-9]+$/ { k = $1 " " $3; if (k in seen) { print $1, $2, $3; exit } seen[k] = 1 }')
	[ -n "$dup" ] || return 0
	read -r pid fd ino <<<"$dup"
	echo "  lsfd: fd $fd of $pid has INODE $ino like another fd of $pid;" \
		"its fdinfo says ino $(awk '$1 == "ino:" { print $2 }' "/proc/$pid/fdinfo/$fd")"
}

dmaheapctl_audit() {
	dmaheapctl audit -r -n -b -o PID,RSS,PSS | sort -n
}

echo
echo "=== 2. audit: dmaheapctl audit --by process vs an lsfd pipeline (median of $runs runs)"
if ! command -v lsfd >/dev/null; then
	echo "lsfd is not in the guest: only dmaheapctl is timed"
fi
printf '%-7s %-6s %-7s %-11s %-11s %-7s %s\n' PROCS BUFS FDS DMAHEAPCTL LSFD RATIO SAME
for conf in "100 10" "250 10" "500 10" "1000 10" "1000 20"; do
	set -- $conf
	fifo=/tmp/bench.ready
	rm -f $fifo
	dmaheap-bench hold system "$1" "$2" 4K 1 >$fifo &
	holder=$!
	for i in $(seq 600); do
		grep -q ready $fifo 2>/dev/null && break
		sleep 0.5
	done
	grep -q ready $fifo || { echo "holders did not start"; kill $holder; exit 1; }
	td=$(time_median dmaheapctl_audit) || exit 1
	cp $out /tmp/bench.dmaheapctl
	if command -v lsfd >/dev/null; then
		tl=$(time_median lsfd_pipeline) || exit 1
		cmp -s $out /tmp/bench.dmaheapctl && same=yes || same=NO
		ratio=$(awk -v a="$tl" -v b="$td" 'BEGIN { printf "%.1fx", a / b }')
	else
		tl=- ratio=- same=-
	fi
	printf '%-7s %-6s %-7s %-11s %-11s %-7s %s\n' "$1" "$2" $(($1 * $2)) "${td}s" "${tl}s" "$ratio" "$same"
	if [ "$same" = NO ]; then
		diff /tmp/bench.dmaheapctl $out | head -5 | sed 's/^/  /'
		explain_lsfd_inodes
	fi
	kill $holder
	wait $holder
done
kill $target
