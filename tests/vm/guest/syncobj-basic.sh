#!/bin/sh
# syncobjctl basics on both back ends (IGT syncobj_basic and the binary part
# of syncobj_wait): create, create --signaled, signal, reset, query, the fd
# lifetime of `create` (keeper process, -- CMD, --fd/--env, nesting) and
# PID:FD references to another process's syncobj.
. /tests/syncobj-lib.sh
syncobj_preflight

test_lifecycle() {
	local a b
	a=$(obj --signaled)
	case "$a" in
	*[!0-9:]* | :* | *:) not_ok "$B: create prints PID:FD" "got '$a'" ;;
	*:*) ok "$B: create prints PID:FD ($a)" ;;
	*) not_ok "$B: create prints PID:FD" "got '$a'" ;;
	esac
	expect_ok "create --signaled: wait -t 0 returns at once" $sctl wait -t 0 "$a"
	expect_out 0 "create --signaled: binary query is 0" point_of "$a"
	b=$(obj)
	expect_err 1 EINVAL "^syncobjctl: $b: wait: no fence at a point yet \(--for-submit waits for one\): " \
		"unsubmitted: wait fails with EINVAL (invalid-single-wait-unsubmitted)" $sctl wait -t 0 "$b"
	expect_err 4 ETIME "^syncobjctl: $b: wait: timed out after 0: " \
		"unsubmitted: wait --for-submit -t 0 times out, exit 4" $sctl wait --for-submit -t 0 "$b"
	expect_status 4 "wait -q: timeout exit 4 without a message" $sctl wait -q --for-submit -t 0 "$b"
	expect_ok "signal" $sctl signal "$b"
	expect_ok "signaled: wait -t 0" $sctl wait -t 0 "$b"
	expect_ok "signaled: wait --for-submit -t 0 (single-wait-for-submit-signaled)" \
		$sctl wait --for-submit -t 0 "$b"
	expect_ok "reset (reset-signaled)" $sctl reset "$b"
	expect_err 1 EINVAL "^syncobjctl: $b: wait: " "reset: unsubmitted again" $sctl wait -t 0 "$b"
	expect_ok "reset of an unsignaled syncobj (reset-unsignaled)" $sctl reset "$b"
	expect_ok "reset of several (reset-multiple-signaled)" sh -c \
		"$sctl signal $a $b && $sctl reset $a $b && ! $sctl wait -t 0 $a 2>/dev/null && ! $sctl wait -t 0 $b 2>/dev/null"
	drop "$a" "$b"
}

test_keeper() {
	local a pid fd owner ref
	# No --owner: a command substitution's command is a child of this shell.
	a=$($sctl create --signaled)
	pid=${a%%:*}
	fd=${a#*:}
	expect_out "syncobjctl-hold $fd" "ls shows the keeper and its fd" \
		$sctl ls --pid "$pid" -rn -o COMMAND,FD
	# The keeper holds only the syncobj (and its pidfd), not the caller's fds.
	expect_out "$fd" "the keeper holds no other syncobj or device fd" sh -c \
		"cd /proc/$pid/fd && for f in *; do readlink \$f | grep -qE 'syncobj|/dev/dri' && echo \$f; done; true"
	drop "$a"
	check "$B: the keeper ends on SIGTERM" gone_within "$pid"

	# Two commands, so that sh does not exec syncobjctl but stays its parent.
	sh -c "$sctl create >/tmp/keeper-ref; true"
	ref=$(cat /tmp/keeper-ref)
	check "$B: the keeper ends when its owner (the calling shell) does" gone_within "${ref%%:*}"

	sleep 30 &
	owner=$!
	a=$(obj --owner "$owner")
	expect_ok "--owner: alive while the owner runs" $sctl query "$a"
	kill "$owner"
	check "$B: --owner: the keeper ends with its owner" gone_within "${a%%:*}"

	expect_err 1 ESRCH "cannot keep the new syncobj alive: cannot watch owner process 999999" \
		"--owner of a process that does not exist" $sctl create --owner 999999
}

test_exec() {
	expect_ok "create --signaled -- CMD: CMD gets the fd in \$SYNCOBJ_FD" \
		$sctl create --signaled -- sh -c "$sctl wait -t 0 \$SYNCOBJ_FD"
	expect_ok "create --count 3 -- CMD: three fds" $sctl create --count 3 -- sh -c \
		"set -- \$SYNCOBJ_FD; [ \$# = 3 ] && $sctl signal \$@ && $sctl wait -t 0 \$@"
	expect_ok "create --fd 9 --env ACQ: fd 9, named by \$ACQ" \
		$sctl create --signaled --fd 9 --env ACQ -- sh -c "[ \"\$ACQ\" = 9 ] && $sctl wait -t 0 9"
	expect_ok "nested create: acquire and release syncobjs for one command" \
		$sctl create --env ACQ -- $sctl create --env REL -- sh -c \
		"$sctl signal \$ACQ && $sctl wait -t 0 \$ACQ && $sctl transfer \$ACQ \$REL && $sctl wait -t 0 \$REL"
	expect_err 127 ENOENT "^syncobjctl: /nonexistent: cannot run: " \
		"create -- a command that does not exist: exit 127" $sctl create -- /nonexistent
	expect_ok "the fds are not leaked into CMD otherwise (only SYNCOBJ_FD is a syncobj)" sh -c \
		"$sctl create -- sh -c 'ls -l /proc/self/fd/ 2>/dev/null | grep -c syncobj_file' | grep -qx 1"
}

test_remote() {
	local pid fd i=0 w
	rm -f /tmp/remote
	$sctl create -- sh -c "echo \$\$ \$SYNCOBJ_FD >/tmp/remote; exec sleep 30" &
	while [ ! -s /tmp/remote ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	read -r pid fd </tmp/remote
	[ -n "$pid" ] || bail_out "$B: the remote holder did not start"
	$sctl wait --for-submit -t 10s "$pid:$fd" >/tmp/remote-wait 2>&1 &
	w=$!
	sleep 0.3
	expect_ok "PID:FD: signal another process's syncobj" $sctl signal "$pid:$fd"
	if wait "$w"; then
		ok "$B: PID:FD: a for-submit wait in a third process returns (wait-for-submit-delayed-submit)"
	else
		not_ok "$B: PID:FD: a for-submit wait in a third process returns" "$(cat /tmp/remote-wait)"
	fi
	expect_out "$pid $fd" "ls finds the other process's syncobj" sh -c \
		"$sctl ls --pid $pid -rn -o PID,FD"
	expect_out "$pid 0" "ls reads its point through pidfd_getfd" \
		$sctl ls --pid "$pid" -rn -o PID,POINT
	kill "$pid"
	expect_err 1 ESRCH "^syncobjctl: 999999:3: cannot open process 999999: " \
		"PID:FD of a process that does not exist" $sctl signal 999999:3
	expect_err 1 EBADF "^syncobjctl: $$:99: process $$ has no fd 99: " \
		"PID:FD of an fd that is not open" $sctl signal "$$:99"
	expect_err 1 "$(errno_of EBADF EINVAL)" "^syncobjctl: $$:0: signal: not a syncobj \(/dev/null\): " \
		"PID:FD of an fd that is not a syncobj" $sctl signal "$$:0"
}

for backend in dev drm; do
	use_backend $backend
	diag "back end $B: $SYNCOBJCTL_DEVICE"
	test_lifecycle
	test_keeper
	test_exec
	test_remote
done
done_testing
