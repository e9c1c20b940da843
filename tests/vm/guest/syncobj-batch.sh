#!/bin/sh
# syncobjctl -f: batch scripts with named objects on both back ends, a
# compositor-style frame from start to end, errors naming their line and
# stopping the batch, stdin, and names mixed with inherited and PID:FD refs.
. /tests/syncobj-lib.sh
syncobj_preflight

test_frame() {
	cat >/tmp/frame.batch <<-'EOF'
	# one frame: the client's acquire point comes from its "GPU" (sw_sync)
	create acquire release
	create --signaled done
	swsync-timeline gpu
	swsync-fence gpu 1 frame1
	import-sync-file acquire@1 frame1     # the client submits
	wait acquire@1 --available -t 0       # the compositor sees it submitted
	query -rn -o REF,POINT,SUBMITTED acquire
	swsync-inc gpu                        # the GPU finishes
	wait acquire@1 -t 5s
	transfer acquire@1 release@1          # release when done
	wait --any release@1 done
	export-sync-file release@1 out
	import-sync-file done out
	close frame1 out
	query --last-submitted -rn -o REF,POINT "acquire" 'release'
	EOF
	expect_out "$(printf '%s\n' 'acquire 0 1' 'release@1' 'acquire 1' 'release 1')" \
		"a frame's worth of syncobj work in one batch" $sctl -f /tmp/frame.batch
	expect_out "$(printf '%s\n' 'acquire 0 1' 'release@1' 'acquire 1' 'release 1')" \
		"the same from stdin (-f -)" sh -c "$sctl -f - </tmp/frame.batch"
}

test_errors() {
	printf '%s\n' 'create a' '# comment' 'wait a -t 0' 'query -rn -o POINT a' >/tmp/err.batch
	expect_err 1 EINVAL "^syncobjctl: line 3: a: wait: no fence at a point yet" \
		"a failing line is named and stops the batch" $sctl -f /tmp/err.batch
	expect_out "" "... nothing after it ran" sh -c "$sctl -f /tmp/err.batch 2>/dev/null; true"
	printf '%s\n' 'create a' 'wait --for-submit a -t 10ms' >/tmp/err.batch
	expect_err 4 ETIME "^syncobjctl: line 2: a: wait: timed out after 10ms: " \
		"a timeout in a batch: exit 4 with its line" $sctl -f /tmp/err.batch
	printf '%s\n' 'create a' 'create a' >/tmp/err.batch
	run $sctl -f /tmp/err.batch
	if [ "$RUN_STATUS" = 2 ] && grep -qx "syncobjctl: line 2: a: name already in use" "$RUN_ERR"; then
		ok "$B: a name cannot be bound twice"
	else
		not_ok "$B: a name cannot be bound twice"
		_show_run $sctl -f /tmp/err.batch
	fi
	printf '%s\n' 'create a' 'close a' 'signal a' >/tmp/err.batch
	run $sctl -f /tmp/err.batch
	if [ "$RUN_STATUS" = 2 ] && grep -q "^syncobjctl: line 3: a: no object of that name$" "$RUN_ERR"; then
		ok "$B: close forgets a name"
	else
		not_ok "$B: close forgets a name"
		_show_run $sctl -f /tmp/err.batch
	fi
}

test_mixed() {
	local k
	k=$(obj)
	printf '%s\n' 'create --signaled mine' "transfer mine $k@3" 'wait 7 -t 0' "query -rn -o POINT $k" \
		>/tmp/mixed.batch
	expect_out 3 "names, PID:FD and inherited fds in one batch" \
		$sctl create --signaled --fd 7 -- $sctl -f /tmp/mixed.batch
	expect_ok "... the keeper's syncobj got the point" $sctl wait -t 0 "$k@3"
	drop "$k"
}

for backend in dev drm; do
	use_backend $backend
	diag "back end $B: $SYNCOBJCTL_DEVICE"
	test_frame
	test_errors
	test_mixed
done
done_testing
