# TAP helpers for guest scripts (busybox ash or bash):  . /tests/lib.sh
#
#   plan N                      print "1..N" up front (or let done_testing)
#   ok DESC / not_ok DESC [WHY] one result; not_ok marks the script failed
#   skip DESC REASON            "ok N - DESC # SKIP REASON"
#   diag MSG...                 "# MSG" on stdout
#   check DESC CMD...           ok if CMD exits 0
#   check_fail DESC CMD...      ok if CMD exits non-zero
#   expect_exit N DESC CMD...   ok if CMD exits with status N
#   expect_errno ERR DESC CMD...  ok if CMD fails and its stderr names errno
#                               ERR (EPERM, ENOTTY, ...: strerror text or name)
#   run CMD...                  run CMD; $RUN_STATUS, files $RUN_OUT, $RUN_ERR
#   bail_out MSG                "Bail out! MSG", exit 1
#   done_testing                print the plan if none was given; exit 0 if
#                               every test passed and the count matches, else 1
#   bind_vfio BDF               bind a PCI device to vfio-pci (driver_override),
#                               print its group node (/dev/vfio/noiommu-N);
#                               errors of these three go to stderr
#   unbind_vfio BDF             give it back to the default driver
#   vfio_group BDF              print the group node of a device bound to vfio
#
# On failure the helpers print the command, its status, stdout and stderr as
# "# " diagnostics.  Guest environment: tools in /usr/local/bin (listed in
# /etc/dmabuf-utils-tools), kernel selftests in $VM_SELFTESTS (/selftests),
# ivshmem backing file on the host $IVSHMEM_FILE ($IVSHMEM_SIZE bytes, at
# $IVSHMEM_BDF), edu at $EDU_BDF.

_tap_n=0
_tap_failed=0
_tap_planned=
RUN_OUT=${TMPDIR:-/tmp}/lib-run.out
RUN_ERR=${TMPDIR:-/tmp}/lib-run.err
RUN_STATUS=0

plan() {
	_tap_planned=$1
	echo "1..$1"
}

diag() {
	echo "$*" | sed 's/^/# /'
}

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	[ $# -lt 2 ] || diag "$2"
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP ${2:-}"
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

run() {
	RUN_STATUS=0
	"$@" >"$RUN_OUT" 2>"$RUN_ERR" || RUN_STATUS=$?
	return 0
}

_show_run() {
	diag "command: $*"
	diag "exit status: $RUN_STATUS"
	[ -s "$RUN_OUT" ] && sed 's/^/#   stdout: /' "$RUN_OUT" | head -n 20
	[ -s "$RUN_ERR" ] && sed 's/^/#   stderr: /' "$RUN_ERR" | head -n 20
	return 0
}

check() {
	local desc=$1
	shift
	run "$@"
	if [ "$RUN_STATUS" -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc"
		_show_run "$@"
	fi
}

check_fail() {
	local desc=$1
	shift
	run "$@"
	if [ "$RUN_STATUS" -ne 0 ]; then
		ok "$desc"
	else
		not_ok "$desc" "expected a failure, got status 0"
		_show_run "$@"
	fi
}

expect_exit() {
	local want=$1 desc=$2
	shift 2
	run "$@"
	if [ "$RUN_STATUS" -eq "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc" "expected exit status $want"
		_show_run "$@"
	fi
}

# strerror() text of an errno name (glibc wording).
errno_text() {
	case "$1" in
	EPERM) echo "Operation not permitted" ;;
	ENOENT) echo "No such file or directory" ;;
	ESRCH) echo "No such process" ;;
	EINTR) echo "Interrupted system call" ;;
	EIO) echo "Input/output error" ;;
	ENXIO) echo "No such device or address" ;;
	E2BIG) echo "Argument list too long" ;;
	EBADF) echo "Bad file descriptor" ;;
	EAGAIN | EWOULDBLOCK) echo "Resource temporarily unavailable" ;;
	ENOMEM) echo "Cannot allocate memory" ;;
	EACCES) echo "Permission denied" ;;
	EFAULT) echo "Bad address" ;;
	EBUSY) echo "Device or resource busy" ;;
	EEXIST) echo "File exists" ;;
	ENODEV) echo "No such device" ;;
	ENOTDIR) echo "Not a directory" ;;
	EINVAL) echo "Invalid argument" ;;
	EMFILE) echo "Too many open files" ;;
	ENOTTY) echo "Inappropriate ioctl for device" ;;
	EFBIG) echo "File too large" ;;
	ENOSPC) echo "No space left on device" ;;
	ESPIPE) echo "Illegal seek" ;;
	ERANGE) echo "Numerical result out of range" ;;
	EDEADLK) echo "Resource deadlock avoided" ;;
	ENOSYS) echo "Function not implemented" ;;
	ENODATA) echo "No data available" ;;
	ETIME) echo "Timer expired" ;;
	EOVERFLOW) echo "Value too large for defined data type" ;;
	EOPNOTSUPP | ENOTSUP) echo "Operation not supported" ;;
	ETIMEDOUT) echo "Connection timed out" ;;
	ECANCELED) echo "Operation canceled" ;;
	ENOLINK) echo "Link has been severed" ;;
	ENOTCONN) echo "Transport endpoint is not connected" ;;
	*) return 1 ;;
	esac
}

expect_errno() {
	local name=$1 desc=$2 text
	shift 2
	text=$(errno_text "$name") || bail_out "expect_errno: unknown errno name '$name'"
	run "$@"
	if [ "$RUN_STATUS" -eq 0 ]; then
		not_ok "$desc" "expected failure with $name ($text), got status 0"
		_show_run "$@"
	elif grep -q -e "$text" -e "$name" "$RUN_ERR"; then
		ok "$desc"
	else
		not_ok "$desc" "expected $name ($text) on stderr"
		_show_run "$@"
	fi
}

done_testing() {
	if [ -z "$_tap_planned" ]; then
		echo "1..$_tap_n"
	elif [ "$_tap_planned" -ne "$_tap_n" ]; then
		diag "planned $_tap_planned tests but ran $_tap_n"
		exit 1
	fi
	[ "$_tap_failed" -eq 0 ] || diag "$_tap_failed of $_tap_n tests failed"
	[ "$_tap_failed" -eq 0 ]
	exit $?
}

vfio_group() {
	local dev=/sys/bus/pci/devices/$1 group
	[ -e "$dev/iommu_group" ] || { echo "vfio_group: $1: no iommu_group" >&2; return 1; }
	group=$(basename "$(readlink "$dev/iommu_group")")
	if [ -e "/dev/vfio/noiommu-$group" ]; then
		echo "/dev/vfio/noiommu-$group"
	elif [ -e "/dev/vfio/$group" ]; then
		echo "/dev/vfio/$group"
	else
		echo "vfio_group: $1: no /dev/vfio node for group $group" >&2
		return 1
	fi
}

_pci_driver() {
	[ -e "/sys/bus/pci/devices/$1/driver" ] || return 0
	basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
}

bind_vfio() {
	local bdf=$1 dev=/sys/bus/pci/devices/$1
	[ -d "$dev" ] || { echo "bind_vfio: $bdf: no such PCI device" >&2; return 1; }
	[ "$(_pci_driver "$bdf")" = vfio-pci ] && { vfio_group "$bdf"; return; }
	echo vfio-pci >"$dev/driver_override" ||
		{ echo "bind_vfio: $bdf: cannot write driver_override" >&2; return 1; }
	[ -e "$dev/driver" ] && echo "$bdf" >"$dev/driver/unbind"
	echo "$bdf" >/sys/bus/pci/drivers_probe 2>/dev/null
	if [ "$(_pci_driver "$bdf")" != vfio-pci ]; then
		echo "bind_vfio: $bdf: vfio-pci did not bind (driver: $(_pci_driver "$bdf"))" >&2
		return 1
	fi
	vfio_group "$bdf"
}

unbind_vfio() {
	local bdf=$1 dev=/sys/bus/pci/devices/$1
	[ -d "$dev" ] || { echo "unbind_vfio: $bdf: no such PCI device" >&2; return 1; }
	[ -e "$dev/driver" ] && echo "$bdf" >"$dev/driver/unbind"
	echo >"$dev/driver_override"
	echo "$bdf" >/sys/bus/pci/drivers_probe 2>/dev/null
	return 0
}
