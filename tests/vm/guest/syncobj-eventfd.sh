#!/bin/sh
# syncobjctl watch (eventfd registrations) and sync_file import/export on
# both back ends: IGT syncobj_eventfd's binary/timeline x wait /
# wait-before-signal / wait-signaled, one event per registration, --follow,
# JSON lines; sync_file round trips through a sw_sync timeline.
. /tests/syncobj-lib.sh
syncobj_preflight

# Is process $1 still running after a moment (i.e. has not reported yet)?
still_running() {
	sleep 0.3
	running "$1"
}

line_is() {
	grep -qE "^[0-9]+\.[0-9]{6} $2 $3\$" "$1"
}

# One IGT eventfd case: KIND binary (point 0) or timeline (point 1).
test_eventfd_kind() {
	local kind=$1 p= pt=0 x f w1 w2 tlx
	[ "$kind" = timeline ] && p=@1 && pt=1
	tlx=$(tl)

	# <kind>-wait: a fence is attached but unsignaled
	x=$(obj)
	f=$(sw_fence "$tlx" 1)
	$sctl import-sync-file "$x$p" "$f"
	expect_status 4 "$kind-wait: no signaled event while the fence is pending" \
		$sctl watch -t 300ms "$x$p"
	run $sctl watch --available -t 5s "$x$p"
	if [ $RUN_STATUS = 0 ] && line_is "$RUN_OUT" "$x@$pt" available; then
		ok "$B: $kind-wait: the available event fires at once"
	else
		not_ok "$B: $kind-wait: the available event fires at once"
		_show_run watch --available
	fi
	$sctl watch -t 10s "$x$p" >/tmp/ev-sig 2>&1 &
	w1=$!
	check "$B: $kind-wait: the signaled watch is waiting" still_running $w1
	$sctl swsync-inc "$tlx"
	if gone_within $w1 200 && wait $w1 && [ "$(wc -l </tmp/ev-sig)" = 1 ]; then
		ok "$B: $kind-wait: one signaled event once the timeline advances"
	else
		not_ok "$B: $kind-wait: one signaled event once the timeline advances" "$(cat /tmp/ev-sig)"
	fi
	drop "$x" "$f"

	# <kind>-wait-before-signal: registered before there is any fence
	x=$(obj)
	f=$(sw_fence "$tlx" 2)
	$sctl watch --available -t 10s "$x$p" >/tmp/ev-avail 2>&1 &
	w1=$!
	$sctl watch -t 10s "$x$p" >/tmp/ev-sig 2>&1 &
	w2=$!
	sleep 0.3
	if running $w1 && running $w2; then
		ok "$B: $kind-wait-before-signal: both silent without a fence"
	else
		not_ok "$B: $kind-wait-before-signal: both silent without a fence"
	fi
	$sctl import-sync-file "$x$p" "$f"
	if gone_within $w1 200 && wait $w1 && grep -q ' available$' /tmp/ev-avail; then
		ok "$B: $kind-wait-before-signal: available fires when the fence is attached"
	else
		not_ok "$B: $kind-wait-before-signal: available fires when the fence is attached" \
			"$(cat /tmp/ev-avail)"
	fi
	check "$B: $kind-wait-before-signal: signaled still silent" still_running $w2
	$sctl swsync-inc "$tlx"
	if gone_within $w2 200 && wait $w2 && grep -q ' signaled$' /tmp/ev-sig; then
		ok "$B: $kind-wait-before-signal: signaled fires when the fence signals"
	else
		not_ok "$B: $kind-wait-before-signal: signaled fires when the fence signals" \
			"$(cat /tmp/ev-sig)"
	fi
	drop "$x" "$f"

	# <kind>-wait-signaled: both fire at once
	x=$(obj)
	$sctl signal "$x$p"
	expect_status 0 "$kind-wait-signaled: signaled fires at once" $sctl watch -t 1s "$x$p"
	expect_status 0 "$kind-wait-signaled: available fires at once" \
		$sctl watch --available -t 1s "$x$p"
	drop "$x" "$tlx"
}

test_watch_output() {
	local a b w
	a=$(obj)
	b=$(obj)
	$sctl watch -t 10s "$a@1" "$b@2" "$a@3" >/tmp/watch 2>&1 &
	w=$!
	sleep 0.2
	$sctl signal "$b@2"
	sleep 0.2
	$sctl signal "$a@3"
	if gone_within $w 200 && wait $w; then
		ok "$B: watch exits once every point has signaled"
	else
		not_ok "$B: watch exits once every point has signaled" "$(cat /tmp/watch)"
	fi
	if [ "$(sed 's/^[0-9.]* //' /tmp/watch | head -n1)" = "$b@2 signaled" ] &&
		[ "$(sed '1d; s/^[0-9.]* //' /tmp/watch | sort)" = "$(printf '%s\n' "$a@1 signaled" "$a@3 signaled")" ]; then
		ok "$B: one line per point, in signal order (a@3 also signals a@1)"
	else
		not_ok "$B: one line per point, in signal order" "$(cat /tmp/watch)"
	fi
	expect_status 0 "timestamps are CLOCK_MONOTONIC seconds.microseconds" \
		grep -qE '^[0-9]+\.[0-9]{6} ' /tmp/watch
	run $sctl watch -J "$a@3"
	if grep -qE "^\{\"time\": [0-9]+\.[0-9]{6}, \"ref\": \"$a\", \"point\": 3, \"event\": \"signaled\"\}$" "$RUN_OUT"; then
		ok "$B: watch -J prints one JSON object per line"
	else
		not_ok "$B: watch -J prints one JSON object per line"
		_show_run watch -J
	fi
	expect_err 4 ETIME "^syncobjctl: $b@7: watch: not signaled within the timeout: " \
		"watch: points left at the timeout exit 4, named" $sctl watch -t 200ms "$b@7"

	# --follow: trace a timeline as it advances
	$sctl watch --follow --count 3 -t 20s "$b" >/tmp/follow 2>&1 &
	w=$!
	sleep 0.3
	for p in 4 5 6; do
		$sctl signal "$b@$p"
		sleep 0.3
	done
	if gone_within $w 200 && wait $w &&
		[ "$(sed 's/^[0-9.]* //' /tmp/follow)" = "$(printf '%s\n' "$b@4 signaled" "$b@5 signaled" "$b@6 signaled")" ]; then
		ok "$B: watch --follow reports each new point"
	else
		not_ok "$B: watch --follow reports each new point" "$(cat /tmp/follow)"
	fi
	drop "$a" "$b"
}

test_sync_files() {
	local a b c f sf tlx
	tlx=$(tl)
	a=$(obj --signaled)
	b=$(obj)
	sf=$($sctl export-sync-file "$a") || bail_out "export failed"
	expect_ok "export a signaled syncobj, import the sync_file into another" \
		$sctl import-sync-file "$b" "$sf"
	expect_ok "... which is then signaled" $sctl wait -t 0 "$b"
	drop "$sf"
	f=$(sw_fence "$tlx" 1)
	c=$(obj)
	expect_ok "import a sw_sync fence as timeline point 1" $sctl import-sync-file "$c@1" "$f"
	expect_out 0 "... point 1 submitted, not signaled" point_of "$c"
	expect_out 1 "... last submitted 1" submitted_of "$c"
	sf=$($sctl export-sync-file "$c@1") || bail_out "export @1 failed"
	$sctl reset "$b"
	expect_ok "export point 1, import into a binary syncobj" $sctl import-sync-file "$b" "$sf"
	expect_status 4 "... the binary one is not signaled either" $sctl wait -q -t 0 "$b"
	expect_ok "export-sync-file -- CMD: the sync_file is in \$SYNC_FILE_FD" \
		$sctl export-sync-file "$c@1" -- sh -c "readlink /proc/self/fd/\$SYNC_FILE_FD | grep -qx anon_inode:sync_file"
	$sctl swsync-inc "$tlx"
	expect_ok "the sw_sync timeline advances: the round trip signals" $sctl wait -t 5s "$b" "$c@1"
	expect_out 1 "... and point 1 is signaled" point_of "$c"
	expect_ok "transfer binary -> timeline (binary-to-timeline)" $sctl transfer "$a" "$c@5"
	expect_out 5 "... point 5 is there" point_of "$c"
	$sctl reset "$b"
	expect_ok "transfer timeline -> binary (timeline-to-binary)" $sctl transfer "$c@5" "$b"
	expect_ok "... signaled" $sctl wait -t 0 "$b"
	drop "$a" "$b" "$c" "$f" "$sf" "$tlx"
}

for backend in dev drm; do
	use_backend $backend
	diag "back end $B: $SYNCOBJCTL_DEVICE"
	test_eventfd_kind binary
	test_eventfd_kind timeline
	test_watch_output
	test_sync_files
done
done_testing
