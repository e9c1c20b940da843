#!/bin/sh
# Every bad input of the syncobj uapi, through syncobjctl, on both back ends:
# the exact errno the kernel returns (they differ: /dev/syncobj answers EBADF
# for an fd that is not a syncobj, a render node's FD_TO_HANDLE EINVAL), the
# tool's one-line message naming the object, and the exit code.  Malformed
# ioctl fields come from syncobjctl's hidden --_flags/--_pad/--_count/
# --_timeout-abs options.
. /tests/syncobj-lib.sh
syncobj_preflight

test_wrong_fds() {
	local x e
	x=$(obj)
	e=$(errno_of EBADF EINVAL)
	for op in signal reset query wait watch export-sync-file; do
		expect_err 1 "$e" "^syncobjctl: 0: $op: not a syncobj \(pipe:\[[0-9]+\]\): " \
			"$op on a pipe: $e" sh -c "echo | $sctl $op 0"
		expect_err 1 "$e" "^syncobjctl: 9: $op: fd 9 is not open: " \
			"$op on a closed fd: $e" $sctl $op 9
	done
	expect_err 1 "$e" "^syncobjctl: 0: transfer: not a syncobj \(pipe:\[[0-9]+\]\): " \
		"transfer from a pipe: $e" sh -c "echo | $sctl transfer 0 $x"
	expect_err 1 "$e" "^syncobjctl: 0: transfer: not a syncobj \(pipe:\[[0-9]+\]\): " \
		"transfer to a pipe: $e" sh -c "echo | $sctl transfer $x 0"
	expect_err 1 "$e" "^syncobjctl: 0: import-sync-file: not a syncobj \(pipe:\[[0-9]+\]\): " \
		"import-sync-file into a pipe: $e" sh -c "echo | $sctl import-sync-file 0 $fence"
	expect_err 1 "$e" "^syncobjctl: [0-9]+: wait: not a syncobj \(/?dmabuf:" \
		"wait on a dma-buf: $e" dmaheapctl alloc system 4096 -- sh -c "$sctl wait \$DMAHEAPCTL_FDS"
	expect_err 1 "$e" "^syncobjctl: $fence: signal: not a syncobj \(anon_inode:sync_file\): " \
		"signal on a sync_file: $e" $sctl signal "$fence"
	expect_err 1 "$e" "^syncobjctl: 9: wait: fd 9 is not open: " \
		"the bad one of several is named" $sctl wait "$x" 9
	expect_err 1 EINVAL "^syncobjctl: 0: import-sync-file: not a sync_file \(pipe:\[[0-9]+\]\): " \
		"import of a pipe as sync_file: EINVAL" sh -c "echo | $sctl import-sync-file $x 0"
	expect_err 1 EINVAL "^syncobjctl: $x: import-sync-file: not a sync_file \(anon_inode:syncobj_file\): " \
		"import of a syncobj as sync_file: EINVAL" $sctl import-sync-file "$x" "$x"
	expect_err 1 EINVAL "^syncobjctl: $x: watch: " \
		"watch with an fd that is not an eventfd (invalid-illegal-eventfd): EINVAL" \
		sh -c "$sctl watch --_eventfd 3 $x 3</dev/null"
	drop "$x"
}

test_fields() {
	local x s
	x=$(obj)
	s=$(obj --signaled)
	# pad
	if [ $drm = 1 ]; then
		# drm_syncobj_wait_ioctl() never looks at pad (IGT has no bad-pad wait test).
		expect_ok "wait with pad 1: not checked by DRM_IOCTL_SYNCOBJ_WAIT" \
			$sctl --_pad 1 wait "$s"
	else
		expect_err 1 EINVAL "^syncobjctl: $s: wait: " "wait with pad 1: EINVAL" \
			$sctl --_pad 1 wait "$s"
	fi
	expect_err 1 EINVAL "^syncobjctl: $s,$x@1: transfer: " "transfer with pad 1: EINVAL" \
		$sctl --_pad 1 transfer "$s" "$x@1"
	expect_err 1 EINVAL "^syncobjctl: $s: watch: " "eventfd with pad 1 (invalid-bad-pad): EINVAL" \
		$sctl --_pad 1 watch "$s"
	if [ $drm = 1 ]; then
		expect_err 1 EINVAL "^syncobjctl: $s: reset: " "reset with pad 1 (invalid-reset-bad-pad): EINVAL" \
			$sctl --_pad 1 reset "$s"
		expect_err 1 EINVAL "^syncobjctl: $s: signal: " "signal with pad 1 (invalid-signal-bad-pad): EINVAL" \
			$sctl --_pad 1 signal "$s"
		expect_err 1 EINVAL "^syncobjctl: $s: export-sync-file: " "HANDLE_TO_FD with pad 1: EINVAL" \
			$sctl --_pad 1 export-sync-file "$s"
	else
		# syncobj_array_args and syncobj_sync_file_args have no pad field.
		expect_ok "reset has no pad to get wrong" $sctl --_pad 1 reset "$s"
		expect_ok "signal has no pad to get wrong" $sctl --_pad 1 signal "$s"
	fi
	# flags
	expect_err 1 EINVAL "^syncobjctl: $SYNCOBJCTL_DEVICE: cannot create a syncobj: " \
		"create with flags 2 (bad-create-flags): EINVAL" $sctl --_flags 2 create
	expect_err 1 EINVAL "^syncobjctl: $s: wait: " "wait with flags 0x10 (invalid-wait-bad-flags): EINVAL" \
		$sctl --_flags 0x10 wait "$s"
	expect_err 1 EINVAL "^syncobjctl: $s: query: " "query with flags 2: EINVAL" \
		$sctl --_flags 2 query "$s"
	expect_err 1 EINVAL "^syncobjctl: $s,$x@1: transfer: " "transfer with flags 1: EINVAL" \
		$sctl --_flags 1 transfer "$s" "$x@1"
	expect_err 1 EINVAL "^syncobjctl: $s: watch: " \
		"eventfd with flags 0xdeadbeef (invalid-bad-flags): EINVAL" $sctl --_flags 0xdeadbeef watch "$s"
	expect_err 1 EINVAL "^syncobjctl: $s@1: signal: " "timeline signal with flags 1: EINVAL" \
		$sctl --_flags 1 signal "$s@1"
	if [ $drm = 1 ]; then
		expect_err 1 EINVAL "^syncobjctl: $s: wait: " \
			"binary WAIT with WAIT_AVAILABLE: EINVAL (only TIMELINE_WAIT takes it)" \
			$sctl --_flags 5 wait "$s"
		expect_err 1 EINVAL "^syncobjctl: $s: export-sync-file: " \
			"HANDLE_TO_FD with unknown flags: EINVAL" $sctl --_flags 0x80 export-sync-file "$s"
	else
		expect_err 1 EINVAL "^syncobjctl: $s: signal: " "signal with flags 1: EINVAL" \
			$sctl --_flags 1 signal "$s"
		expect_err 1 EINVAL "^syncobjctl: $s: reset: " "reset with flags 1: EINVAL" \
			$sctl --_flags 1 reset "$s"
		expect_ok "WAIT_AVAILABLE without points is fine on /dev/syncobj" \
			$sctl --_flags 5 wait "$s"
	fi
	# count
	if [ $drm = 1 ]; then
		expect_err 1 EINVAL "^syncobjctl: $s: wait: " "wait with count 0 (invalid-wait-zero-handles): EINVAL" \
			$sctl --_count 0 wait "$s"
	else
		expect_ok "wait with count 0 succeeds at once on /dev/syncobj" $sctl --_count 0 wait "$x"
	fi
	for op in signal reset query; do
		expect_err 1 EINVAL "^syncobjctl: $s: $op: " "$op with count 0 (invalid-$op-zero-handles): EINVAL" \
			$sctl --_count 0 $op "$s"
		expect_err 1 ENOMEM "^syncobjctl: $s: $op: " "$op with count 0xffffffff: ENOMEM, no warning" \
			$sctl --_count 0xffffffff $op "$s"
		expect_err 1 EFAULT "^syncobjctl: $s: $op: " "$op with count 1000 over a 1-entry array: EFAULT" \
			$sctl --_count 1000 $op "$s"
	done
	expect_err 1 ENOMEM "^syncobjctl: $s: wait: " "wait with count 0xffffffff: ENOMEM, no warning" \
		$sctl --_count 0xffffffff wait "$s"
	expect_err 1 EFAULT "^syncobjctl: $s: wait: " "wait with count 1000 over a 1-entry array: EFAULT" \
		$sctl --_count 1000 wait "$s"
	drop "$x" "$s"
}

test_states() {
	local x s b
	x=$(obj)
	s=$(obj --signaled)
	expect_err 1 EINVAL "^syncobjctl: $x: export-sync-file: no fence yet: " \
		"export of an unsubmitted syncobj: EINVAL" $sctl export-sync-file "$x"
	expect_err 1 EINVAL "^syncobjctl: $s@4: export-sync-file: no fence at that point yet: " \
		"export of an unsubmitted point: EINVAL" $sctl export-sync-file "$s@4"
	expect_err 1 EINVAL "^syncobjctl: $x@2: transfer: no fence at that point yet \(--for-submit waits for one\): " \
		"transfer from a point without a fence (invalid-transfer-non-existent-point): EINVAL" \
		$sctl transfer "$x@2" "$s@9"
	later 0.3 $sctl signal "$x@2"
	expect_ok "transfer --for-submit waits for the point" $sctl transfer --for-submit "$x@2" "$s@9"
	expect_ok "... and moved the fence" $sctl wait -t 0 "$s@9"
	if b=$(plain_drm_node); then
		run $sctl --device "$b" create
		if [ "$RUN_STATUS" -eq 3 ] &&
			grep -qE "^syncobjctl: kernel feature drm-syncobj \(a DRM driver with DRIVER_SYNCOBJ\) is missing: $b \(virtio_gpu\) does not report DRM_CAP_SYNCOBJ$" "$RUN_ERR"; then
			ok "$B: a render node without syncobjs: exit 3 naming the feature"
		else
			not_ok "$B: a render node without syncobjs: exit 3 naming the feature"
			_show_run $sctl --device "$b" create
		fi
	fi
	drop "$x" "$s"
}

for backend in dev drm; do
	use_backend $backend
	diag "back end $B: $SYNCOBJCTL_DEVICE"
	timeline=$(tl)
	fence=$(sw_fence "$timeline" 1)
	test_wrong_fds
	test_fields
	test_states
	drop "$timeline" "$fence"
done
done_testing
