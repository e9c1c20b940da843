# Tour part: dmaheapctl (sourced by tour.sh, which provides show and banner).
# A client process lives in its own cgroup; an allocator in another cgroup
# allocates buffers on the client's behalf with charge_pid_fd; audit then
# shows who holds what and who pays for it.

cg=/sys/fs/cgroup/tour-dmaheap
stat_of() {
	awk '$1 == "dmabuf" { print $2 }' "$cg/$1/memory.stat"
}
# in_cgroup NAME CMD...: run CMD in the background inside $cg/NAME.
in_cgroup() {
	_name=$1
	shift
	sh -c 'echo $$ >"$0" && exec "$@"' "$cg/$_name/cgroup.procs" "$@" &
}

echo "The heaps, and the CMA area behind 'reserved':"
show dmaheapctl list

mkdir -p "$cg" && echo +memory >"$cg/cgroup.subtree_control" && mkdir -p "$cg/client" "$cg/allocator" || return 1
in_cgroup client sleep 600
client=$!
sleep 0.3
echo
echo "A client (pid $client) in cgroup /tour-dmaheap/client; its memory.stat dmabuf: $(stat_of client)"

echo
echo "An allocator in /tour-dmaheap/allocator allocates 8M from the CMA heap and 1M from the"
echo "system heap charged to the client, and holds them:"
out=/tmp/tour-dmaheap.out
echo "\$ dmaheapctl alloc reserved 8M --charge-pid $client --hold &"
in_cgroup allocator dmaheapctl alloc reserved 8M --charge-pid "$client" --hold >$out 2>&1
a1=$!
sleep 1
cat $out
echo "\$ dmaheapctl alloc system 1M --charge-pid $client --fill 0xab --hold &"
in_cgroup allocator dmaheapctl alloc system 1M --charge-pid "$client" --fill 0xab --hold >$out 2>&1
a2=$!
sleep 1
cat $out
sleep 2.2
echo
echo "memory.stat dmabuf: client $(stat_of client), allocator $(stat_of allocator):"
echo "the allocator holds the buffers, the client pays for them."

echo
echo "Who holds dma-bufs (Rss/Pss per process, as Android's dmabuf_dump):"
show dmaheapctl audit --cgroup /tour-dmaheap
echo
echo "Each buffer, its holders and the cgroup it is charged to:"
show dmaheapctl audit --by buffer --cgroup /tour-dmaheap
echo
echo "Per cgroup, memory.stat reconciled against the buffers:"
show dmaheapctl audit --by cgroup --cgroup /tour-dmaheap

echo
echo "The same for monitoring (node_exporter's textfile collector):"
show dmaheapctl audit --prometheus /tmp/dmabuf.prom
show grep '^dmabuf_cgroup_charged_bytes{cgroup="/tour' /tmp/dmabuf.prom

echo
echo "Charging needs a live process; anything else is refused with the reason:"
show dmaheapctl alloc system 4K --charge-pid 99999 2>&1

kill "$a1" "$a2" 2>/dev/null
wait "$a1" "$a2" 2>/dev/null
sleep 2.2
echo
echo "Allocator gone, buffers freed: the client's memory.stat dmabuf is $(stat_of client) again."
kill "$client" 2>/dev/null
wait "$client" 2>/dev/null
rmdir "$cg/client" "$cg/allocator" "$cg" 2>/dev/null
true
