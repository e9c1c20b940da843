# Helpers for the syncobjctl guest tests (syncobj-*.sh), on top of lib.sh.
#
#   use_backend dev|drm     point syncobjctl at /dev/syncobj or at vgem's render
#                           node (SYNCOBJCTL_DEVICE); sets $B (the name, used as
#                           the prefix of every test description) and $drm (0/1)
#   obj [--signaled]        create a syncobj held by a keeper while this script
#                           runs (--owner $$: obj runs in a $(...) subshell);
#                           prints PID:FD
#   drop REF...             end the keepers of REFs (PID:FD)
#   errno_of DEV DRM        the errno name expected on the current back end
#   expect_err CODE ERRNO REGEX DESC CMD...
#                           CMD exits with CODE, its stderr has exactly one line,
#                           naming ERRNO (strerror text) and matching REGEX
#   expect_ok DESC CMD...   CMD exits 0 with an empty stderr
#   expect_out TEXT DESC CMD...  CMD exits 0 and prints exactly TEXT
#   point_of REF            last signaled point (query -rn -o POINT)
#   submitted_of REF        last submitted point
#   later SECS CMD...       run CMD in the background after SECS seconds
#   running PID             PID exists and is not a zombie
#   gone_within PID [N]     true once process PID has ended (polls N x 50 ms, 40)
#   tl / sw_fence TL VALUE  a sw_sync timeline / a fence on it (keeper refs)

. /tests/lib.sh

sctl=syncobjctl
B=
drm=0

vgem_node() {
	local n minor
	for n in /dev/dri/renderD*; do
		minor=${n#/dev/dri/renderD}
		if grep -q '^vgem ' "/sys/kernel/debug/dri/$minor/name" 2>/dev/null; then
			echo "$n"
			return 0
		fi
	done
	return 1
}

# A render node whose driver has no syncobjs (virtio-gpu on 6.1).
plain_drm_node() {
	local n minor
	for n in /dev/dri/renderD*; do
		minor=${n#/dev/dri/renderD}
		grep -q '^vgem ' "/sys/kernel/debug/dri/$minor/name" 2>/dev/null && continue
		echo "$n"
		return 0
	done
	return 1
}

use_backend() {
	case "$1" in
	dev)
		B=dev
		drm=0
		export SYNCOBJCTL_DEVICE=/dev/syncobj
		;;
	drm)
		B=drm
		drm=1
		SYNCOBJCTL_DEVICE=$(vgem_node) || bail_out "no vgem render node"
		export SYNCOBJCTL_DEVICE
		;;
	*) bail_out "use_backend: $1?" ;;
	esac
}

errno_of() {
	if [ "$drm" = 1 ]; then echo "$2"; else echo "$1"; fi
}

obj() {
	$sctl create --owner $$ "$@" || bail_out "$B: syncobjctl create $* failed"
}

drop() {
	local r
	for r in "$@"; do
		kill "${r%%:*}" 2>/dev/null
	done
	return 0
}

tl() {
	$sctl swsync-timeline --owner $$ || bail_out "swsync-timeline failed"
}

sw_fence() {
	$sctl swsync-fence --owner $$ "$@" || bail_out "swsync-fence $* failed"
}

# Running, i.e. neither gone nor a zombie waiting to be reaped.
running() {
	local state
	state=$(cut -d')' -f2 "/proc/$1/stat" 2>/dev/null | cut -d' ' -f2)
	[ -n "$state" ] && [ "$state" != Z ]
}

gone_within() {
	local pid=$1 n=${2:-40} i=0
	while running "$pid" && [ $i -lt "$n" ]; do
		sleep 0.05
		i=$((i + 1))
	done
	! running "$pid"
}

later() {
	local secs=$1
	shift
	(sleep "$secs"; "$@") >/dev/null 2>&1 &
}

point_of() {
	$sctl query -rn -o POINT "$1"
}

submitted_of() {
	$sctl query --last-submitted -rn -o POINT "$1"
}

expect_err() {
	local code=$1 name=$2 regex=$3 desc="$B: $4" text lines
	shift 4
	text=$(errno_text "$name") || bail_out "expect_err: unknown errno $name"
	run "$@"
	lines=$(wc -l <"$RUN_ERR")
	if [ "$RUN_STATUS" -ne "$code" ]; then
		not_ok "$desc" "expected exit status $code"
		_show_run "$@"
	elif [ "$lines" -ne 1 ]; then
		not_ok "$desc" "expected one line on stderr, got $lines"
		_show_run "$@"
	elif ! grep -q -e ": $text\$" "$RUN_ERR"; then
		not_ok "$desc" "expected $name ($text) at the end of the message"
		_show_run "$@"
	elif ! grep -qE -e "$regex" "$RUN_ERR"; then
		not_ok "$desc" "message does not match /$regex/"
		_show_run "$@"
	else
		ok "$desc"
	fi
}

expect_ok() {
	local desc="$B: $1"
	shift
	run "$@"
	if [ "$RUN_STATUS" -eq 0 ] && [ ! -s "$RUN_ERR" ]; then
		ok "$desc"
	else
		not_ok "$desc" "expected success and no message"
		_show_run "$@"
	fi
}

expect_out() {
	local want=$1 desc="$B: $2"
	shift 2
	run "$@"
	if [ "$RUN_STATUS" -eq 0 ] && [ "$(cat "$RUN_OUT")" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc" "expected output '$want'"
		_show_run "$@"
	fi
}

expect_status() {
	local code=$1 desc="$B: $2"
	shift 2
	run "$@"
	if [ "$RUN_STATUS" -eq "$code" ]; then
		ok "$desc"
	else
		not_ok "$desc" "expected exit status $code"
		_show_run "$@"
	fi
}

# The guest has what the tests need, or they cannot say anything.
syncobj_preflight() {
	[ -c /dev/syncobj ] || bail_out "/dev/syncobj missing (CONFIG_SYNCOBJ_DEV)"
	vgem_node >/dev/null || bail_out "no vgem render node"
	[ -e /sys/kernel/debug/sync/sw_sync ] || bail_out "no sw_sync in debugfs"
}
