#!/bin/sh
# syncobjctl wait on both back ends (IGT syncobj_wait and the wait part of
# syncobj_timeline): unsubmitted / submitted / signaled syncobjs, single and
# multi waits, --all and --any (first signaled), --for-submit satisfied
# later by another process, --available, timeouts in the past, now, the
# future and never, and waits that a stop/continue interrupts.
. /tests/syncobj-lib.sh
syncobj_preflight

# Milliseconds of CLOCK_MONOTONIC (uptime is as good here).
now_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# A fresh unsignaled fence: one past what the timeline has reached.
next_fence() {
	[ -n "$fence" ] && drop "$fence"
	tlv=$((tlv + 1))
	fence=$(sw_fence "$timeline" $tlv)
}

# States: u(nsubmitted), s(ubmitted: an unsignaled sw_sync fence), S(ignaled).
make_state() {
	local o
	case "$1" in
	u) obj ;;
	S) obj --signaled ;;
	s)
		o=$(obj)
		$sctl import-sync-file "$o" "$fence" || bail_out "$B: import failed"
		echo "$o"
		;;
	esac
}

# single-wait[-all][-for-submit]-STATE: the IGT matrix, with its expected outcome.
test_single_matrix() {
	local state mode fs o want
	for state in u s S; do
		for mode in --all --any; do
			for fs in "" --for-submit; do
				o=$(make_state $state)
				case "$state$fs" in
				u) want=1 ;;
				u--for-submit | s | s--for-submit) want=4 ;;
				*) want=0 ;;
				esac
				expect_status $want "single-wait $mode $fs on $state: exit $want" \
					$sctl wait $mode $fs -q -t 0 "$o"
				drop "$o"
			done
		done
	done
}

# multi-wait over {u,s,S} combinations with --all/--any and --for-submit.
test_multi_matrix() {
	local set mode fs refs want x has_u has_S
	for set in "u s" "u S" "s S" "S S" "u s S"; do
		for mode in --all --any; do
			for fs in "" --for-submit; do
				refs=
				for x in $set; do
					refs="$refs $(make_state $x)"
				done
				case "$set" in *u*) has_u=1 ;; *) has_u=0 ;; esac
				case "$set" in *S*) has_S=1 ;; *) has_S=0 ;; esac
				if [ -z "$fs" ] && [ $has_u = 1 ]; then
					want=1
				elif [ "$mode" = --all ] && [ "$set" = "S S" ]; then
					want=0
				elif [ "$mode" = --any ] && [ $has_S = 1 ]; then
					want=0
				else
					want=4
				fi
				# shellcheck disable=SC2086
				expect_status $want "multi-wait $mode $fs on {$set}: exit $want" \
					$sctl wait $mode $fs -q -t 0 $refs
				# shellcheck disable=SC2086
				drop $refs
			done
		done
	done
}

test_any_first() {
	local a b c
	a=$(obj)
	b=$(obj)
	c=$(obj)
	$sctl signal "$b"
	expect_out "$b" "wait --any prints the one that signaled (wait-any-snapshot)" \
		$sctl wait --any --for-submit -t 0 "$a" "$b" "$c"
	$sctl signal "$a"
	expect_out "$a" "wait --any prints the first signaled in array order" \
		$sctl wait --any --for-submit -t 0 "$a" "$b" "$c"
	expect_out "" "wait --all prints nothing" sh -c "$sctl signal $c && $sctl wait -t 0 $a $b $c"
	drop "$a" "$b" "$c"
}

test_delayed() {
	local a b t0 t1
	a=$(obj)
	b=$(obj)
	later 0.3 $sctl signal "$a"
	expect_ok "wait-for-submit-delayed-submit: signaled by another process later" \
		$sctl wait --for-submit -t 20s "$a"
	$sctl reset "$a"
	later 0.2 $sctl signal "$a"
	later 0.4 $sctl signal "$b"
	expect_ok "wait-all-for-submit-delayed-submit" $sctl wait --all --for-submit -t 20s "$a" "$b"
	$sctl reset "$a" "$b"
	later 0.3 $sctl signal "$b"
	expect_out "$b" "wait --any --for-submit: the later one" \
		$sctl wait --any --for-submit -t 20s "$a" "$b"
	$sctl reset "$b"
	$sctl import-sync-file "$a" "$fence"
	later 0.3 $sctl swsync-inc "$timeline"
	expect_ok "wait-delayed-signal: a submitted fence signals later" $sctl wait -t 20s "$a"
	drop "$a" "$b"
	next_fence

	a=$(obj)
	t0=$(now_ms)
	expect_status 4 "a future timeout (300ms) expires" $sctl wait -q --for-submit -t 300ms "$a"
	t1=$(now_ms)
	if [ $((t1 - t0)) -ge 290 ]; then
		ok "$B: ... after at least 300ms ($((t1 - t0)) ms)"
	else
		not_ok "$B: ... after at least 300ms" "took $((t1 - t0)) ms"
	fi
	expect_status 4 "a timeout in the past (absolute 1 ns) polls" \
		$sctl --_timeout-abs 1 wait -q --for-submit "$a"
	expect_status 4 "a negative absolute timeout polls" \
		$sctl --_timeout-abs -1 wait -q --for-submit "$a"
	later 0.3 $sctl signal "$a"
	expect_ok "no timeout waits until signaled" $sctl wait --for-submit "$a"
	$sctl reset "$a"
	later 0.3 $sctl signal "$a"
	expect_ok "-t inf waits until signaled" $sctl wait --for-submit -t inf "$a"
	$sctl reset "$a"
	later 0.3 $sctl signal "$a"
	expect_ok "-t 2562047h (now + timeout saturates, no overflow into the past)" \
		$sctl wait --for-submit -t 2562047h "$a"
	$sctl reset "$a"
	later 0.3 $sctl signal "$a"
	expect_ok "absolute timeout INT64_MAX waits" \
		$sctl --_timeout-abs 9223372036854775807 wait --for-submit "$a"
	drop "$a"
}

test_interrupted() {
	local a w
	a=$(obj)
	$sctl wait --for-submit -t 20s "$a" &
	w=$!
	sleep 0.2
	kill -STOP $w
	sleep 0.1
	kill -CONT $w
	sleep 0.1
	if running $w; then
		ok "$B: wait-interrupted: still waiting after stop/continue"
	else
		not_ok "$B: wait-interrupted: still waiting after stop/continue"
	fi
	$sctl signal "$a"
	if wait $w; then
		ok "$B: wait-interrupted: restarted wait returns once signaled"
	else
		not_ok "$B: wait-interrupted: restarted wait returns once signaled"
	fi
	drop "$a"
}

test_timeline_waits() {
	local a b
	a=$(obj)
	expect_ok "signal points 1 and 2" $sctl signal "$a@1" "$a@2"
	expect_ok "wait @2" $sctl wait -t 0 "$a@2"
	expect_ok "wait @1 (an earlier point)" $sctl wait -t 0 "$a@1"
	expect_ok "wait @0: the latest fence" $sctl wait -t 0 "$a"
	expect_err 1 EINVAL "^syncobjctl: $a@3: wait: no fence at a point yet" \
		"wait @3 (unsubmitted) fails with EINVAL" $sctl wait -t 0 "$a@3"
	expect_status 4 "wait --for-submit @3 times out" $sctl wait -q --for-submit -t 0 "$a@3"
	expect_status 4 "wait --available --for-submit @3 times out" \
		$sctl wait -q --available --for-submit -t 0 "$a@3"
	expect_ok "wait --available @2" $sctl wait --available -t 0 "$a@2"
	$sctl import-sync-file "$a@3" "$fence"
	expect_ok "submitted @3: --available returns" $sctl wait --available -t 0 "$a@3"
	expect_status 4 "submitted @3: signaled wait times out" $sctl wait -q -t 0 "$a@3"
	expect_out 2 "submitted @3: last signaled is 2" point_of "$a"
	expect_out 3 "submitted @3: last submitted is 3" submitted_of "$a"
	b=$(obj)
	later 0.3 $sctl signal "$b@5"
	expect_ok "wait-all-for-submit-delayed-submit on points" \
		$sctl wait --all --for-submit -t 20s "$a@2" "$b@5"
	expect_out "$b@5" "wait --any on points prints REF@POINT" \
		$sctl wait --any -t 0 "$a@3" "$b@5"
	later 0.3 $sctl swsync-inc "$timeline"
	expect_ok "submitted @3 signals when the sw_sync timeline advances" $sctl wait -t 20s "$a@3"
	expect_out 3 "... and query reports 3" point_of "$a"
	drop "$a" "$b"
}

# Point 0 on a timeline, and points past 32 bits (IGT signal-point-0, 32bits-limit).
test_point_limits() {
	local a c
	a=$(obj)
	$sctl signal "$a@1" "$a@2" "$a@3"
	if [ $drm = 1 ]; then
		# DRM_IOCTL_SYNCOBJ_SIGNAL replaces the fence: the timeline is gone.
		expect_ok "signal without a point (binary SIGNAL)" $sctl signal "$a"
		expect_out 0 "... replaced the timeline: query 0" point_of "$a"
		expect_err 1 EINVAL "^syncobjctl: $a@3: wait: no fence at a point yet" \
			"... and @3 has no fence any more" $sctl wait -t 0 "$a@3"
	else
		# SYNCOBJ_IOC_SIGNAL adds point 0 behind the timeline's head.
		expect_ok "signal without a point (timeline point 0)" $sctl signal "$a"
		expect_out 3 "... keeps the timeline: query still 3" point_of "$a"
		expect_ok "... and @3 still has its fence" $sctl wait -t 0 "$a@3"
	fi
	expect_ok "signal without a point makes a point-0 wait return" $sctl wait -t 0 "$a"
	c=$(obj)
	expect_ok "signal point 2^32 (32bits-limit)" $sctl signal "$c@4294967296"
	expect_out 4294967296 "... query reports 4294967296" point_of "$c"
	expect_ok "... wait 2^32 - 1 returns" $sctl wait -t 0 "$c@4294967295"
	expect_ok "signal point 2^64 - 1" $sctl signal "$c@18446744073709551615"
	expect_out 18446744073709551615 "... query reports it" point_of "$c"
	expect_ok "... and a wait for it returns" $sctl wait -t 0 "$c@18446744073709551615"
	drop "$a" "$c"
}

for backend in dev drm; do
	use_backend $backend
	diag "back end $B: $SYNCOBJCTL_DEVICE"
	timeline=$(tl)
	tlv=0
	fence=
	next_fence
	test_single_matrix
	test_multi_matrix
	test_any_first
	test_delayed
	test_interrupted
	test_timeline_waits
	test_point_limits
	drop "$timeline" "$fence"
done
done_testing
