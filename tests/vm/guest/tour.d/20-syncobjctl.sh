# Tour part: syncobjctl (sourced by tour.sh, which provides show and banner).
# A syncobj's life on /dev/syncobj, a fake GPU fence, watching a timeline,
# listing holders, a batch script, and the same syncobj on a render node.
set -e

# A paragraph of narration: one "# " line per argument.
say() {
	echo
	printf '# %s\n' "$@"
}

# Like show(), for a command whose output (a PID:FD reference) we keep in $ref.
keep() {
	echo "\$ $*"
	ref=$("$@")
	echo "$ref"
}

say "A syncobj holds GPU fences: one (binary) or a timeline of points." \
	"'create' needs something to keep its fd alive: here a keeper process" \
	"that lives while this script runs; it prints a PID:FD reference."
keep syncobjctl create
s=$ref

say "Nothing has been submitted yet, so a wait fails at once (exit 1):"
show syncobjctl wait -t 0 "$s@1" 2>&1 || true

say "Watch points 1 and 2 (an eventfd each, as a compositor does) while" \
	"another process signals them:"
syncobjctl watch -t 10s "$s@1" "$s@2" &
watcher=$!
sleep 0.3
show syncobjctl signal "$s@1"
sleep 0.3
show syncobjctl signal "$s@2"
wait $watcher
show syncobjctl query -o REF,SIGNALED,SUBMITTED "$s"

say "Point 3 gets a fence from a fake GPU (sw_sync): submitted, not signaled."
keep syncobjctl swsync-timeline
gpu=$ref
keep syncobjctl swsync-fence "$gpu" 1
fence=$ref
show syncobjctl import-sync-file "$s@3" "$fence"
show syncobjctl wait --available -t 0 "$s@3"
show syncobjctl wait -t 100ms "$s@3" 2>&1 || echo "(exit $?: timed out)"
show syncobjctl swsync-inc "$gpu"
show syncobjctl wait -t 1s "$s@3"
show syncobjctl query -o REF,SIGNALED,SUBMITTED "$s"

say "Who holds syncobjs? Every syncobj fd of every process, with its point:"
show syncobjctl ls

say "A batch script names its objects instead of juggling fds:"
cat >/tmp/tour.batch <<-EOF
	create acquire release
	signal acquire@7
	transfer acquire@7 release@1
	wait --any --for-submit release@1 $s@9 -t 1s
	query -o REF,POINT acquire release
EOF
sed 's/^/    /' /tmp/tour.batch
show syncobjctl -f /tmp/tour.batch

vgem=$(for n in /dev/dri/renderD*; do
	grep -q '^vgem ' "/sys/kernel/debug/dri/${n#/dev/dri/renderD}/name" 2>/dev/null && echo "$n"
done; true)
if [ -n "$vgem" ]; then
	say "The same syncobj through a DRM render node (vgem here): the tool turns" \
		"the fd into a handle of the node for each call."
	show syncobjctl --device "$vgem" signal "$s@10"
	show syncobjctl --device "$vgem" query "$s"
fi
kill "${s%%:*}" "${gpu%%:*}" "${fence%%:*}"
