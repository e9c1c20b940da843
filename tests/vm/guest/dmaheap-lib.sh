# Shared by the dmaheap-*.sh guest scripts:  . /tests/dmaheap-lib.sh
# (busybox ash or bash; dh_spawn needs bash).  A cgroup CG is a path under
# /sys/fs/cgroup such as /dh/a, or the full path /sys/fs/cgroup/....
#
#   dh_setup NAME...          make /sys/fs/cgroup/dh/NAME... with +memory
#   dh_teardown               kill what dh_spawn started, remove the cgroups
#   dh_spawn VAR CG CMD...    run CMD in the background in cgroup CG; its pid
#                             goes to $VAR
#   dh_kill PID...            SIGTERM and reap
#   dh_cgdir CG               the directory of CG
#   dmabuf_of CG              memory.stat "dmabuf" of CG (bytes; "" if none)
#   local_dmabuf CG           the same without its child cgroups' share
#   wait_dmabuf CG BYTES      poll until dmabuf_of CG is BYTES (memory.stat is
#                             flushed at least every 2 s on 6.1); 0 if it got there
#   still_dmabuf CG BYTES     dmabuf_of CG is BYTES now and after the periodic flush
#   check_dmabuf DESC CG BYTES  ok/not_ok on wait_dmabuf
#   hold_start NAME ARGS...   dmaheap-ioctl -H ARGS in the background, output in
#                             /tmp/NAME.out and .err; when it printed "ready",
#                             sets HOLD_PID, HOLD_FD, HOLD_INO and HOLDER (its -k
#                             child); 1 if it exited or took over 10 s
#   wait_file FILE [PATTERN]  poll until FILE is non-empty (or has PATTERN)
#   bytes SIZE                4K -> 4096 (K, M, G)
#   dh_require_charging       bail out unless the kernel has the dma-heap memcg
#                             series (these tests are meant for it, not skipped)
#
# Scripts source /tests/lib.sh first.

DH_CG=/sys/fs/cgroup/dh
DH_PIDS=""

dh_require_charging() {
	dmaheapctl features --check memcg memcg-dmabuf charge-pid-fd pidfd && return 0
	dmaheapctl features -o NAME,STATE,REASON memcg memcg-dmabuf charge-pid-fd pidfd |
		sed 's/^/# /'
	bail_out "this kernel lacks the dma-heap memcg series (kernel/patches/series)"
}

dh_setup() {
	local c
	mkdir -p "$DH_CG" || bail_out "cannot create $DH_CG"
	echo +memory >"$DH_CG/cgroup.subtree_control" || bail_out "cannot enable memory in $DH_CG"
	for c in "$@"; do
		mkdir -p "$DH_CG/$c" || bail_out "cannot create $DH_CG/$c"
	done
	trap dh_teardown EXIT
}

dh_kill() {
	local p
	for p in "$@"; do
		kill "$p" 2>/dev/null
	done
	for p in "$@"; do
		wait "$p" 2>/dev/null
	done
	return 0
}

dh_teardown() {
	local d p
	# shellcheck disable=SC2086
	dh_kill $DH_PIDS
	# The script may have moved itself into one of the cgroups.
	echo $$ >/sys/fs/cgroup/cgroup.procs 2>/dev/null
	for d in $(find "$DH_CG" -depth -type d 2>/dev/null); do
		for p in $(cat "$d/cgroup.procs" 2>/dev/null); do
			[ "$p" = $$ ] || kill -9 "$p" 2>/dev/null
		done
	done
	sleep 0.2
	for d in $(find "$DH_CG" -depth -type d 2>/dev/null); do
		rmdir "$d" 2>/dev/null
	done
	return 0
}

# dh_spawn VAR CG CMD...: the subshell moves itself, then execs CMD (same pid).
dh_spawn() {
	local var=$1 cg=$2
	shift 2
	(echo "$BASHPID" >"$(dh_cgdir "$cg")/cgroup.procs" && exec "$@") &
	eval "$var=$!"
	DH_PIDS="$DH_PIDS $!"
}

dh_cgdir() {
	case "$1" in
	/sys/fs/cgroup/*) echo "$1" ;;
	*) echo "/sys/fs/cgroup$1" ;;
	esac
}

dmabuf_of() {
	awk '$1 == "dmabuf" { print $2 }' "$(dh_cgdir "$1")/memory.stat" 2>/dev/null
}

local_dmabuf() {
	local total child sum=0 d
	total=$(dmabuf_of "$1")
	for d in "$(dh_cgdir "$1")"/*/; do
		[ -f "$d/memory.stat" ] || continue
		child=$(awk '$1 == "dmabuf" { print $2 }' "$d/memory.stat")
		sum=$((sum + ${child:-0}))
	done
	echo $((total - sum))
}

wait_dmabuf() {
	local i
	for i in $(seq 60); do
		[ "$(dmabuf_of "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

still_dmabuf() {
	[ "$(dmabuf_of "$1")" = "$2" ] || return 1
	sleep 2.5
	[ "$(dmabuf_of "$1")" = "$2" ]
}

check_dmabuf() {
	if wait_dmabuf "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1" "memory.stat dmabuf of $2 is $(dmabuf_of "$2"), expected $3"
	fi
}

hold_start() {
	local name=$1 i=0
	shift
	dmaheap-ioctl -H "$@" >"/tmp/$name.out" 2>"/tmp/$name.err" &
	HOLD_PID=$!
	while ! grep -q '^ready' "/tmp/$name.out" 2>/dev/null; do
		if ! kill -0 "$HOLD_PID" 2>/dev/null || [ $i -ge 100 ]; then
			diag "$name: $(cat "/tmp/$name.err")"
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	HOLD_FD=$(sed -n 's/^fd=\([0-9]*\).*/\1/p' "/tmp/$name.out")
	HOLD_INO=$(sed -n 's/.* ino=\([0-9]*\).*/\1/p' "/tmp/$name.out")
	HOLDER=$(sed -n 's/^holder=//p' "/tmp/$name.out")
}

wait_file() {
	local i
	for i in $(seq 100); do
		if [ -s "$1" ] && { [ -z "${2:-}" ] || grep -q -- "$2" "$1"; }; then
			return 0
		fi
		sleep 0.1
	done
	diag "timed out waiting for $1${2:+ to contain $2}"
	[ -f "$1" ] && diag "$1: $(cat "$1")"
	[ -f "$1.err" ] && diag "$1.err: $(cat "$1.err")"
	return 1
}

bytes() {
	case "$1" in
	*K) echo $((${1%K} * 1024)) ;;
	*M) echo $((${1%M} * 1024 * 1024)) ;;
	*G) echo $((${1%G} * 1024 * 1024 * 1024)) ;;
	*) echo "$1" ;;
	esac
}
