# Helpers for the vfiobarctl guest scripts:  . /tests/vfio-lib.sh
#
#   out_is DESC EXPECTED CMD...      CMD exits 0 and its stdout is exactly EXPECTED
#   out_match DESC ERE CMD...        CMD exits 0 and a line of its stdout matches ERE
#   fails_with DESC STATUS ERE CMD...  CMD exits STATUS and its stderr is one line
#                                    matching ERE (anchor it to pin the whole message)
#   start_bg NAME CMD...             run CMD in the background with stdout on a FIFO
#                                    and stderr in /tmp/NAME.err; wait (blocking read,
#                                    no sleeps) for its first line, in $BG_LINE; its
#                                    pid in $BG_PID
#   wait_bg PID                      its exit status, in $BG_STATUS
#   bar_start BDF BAR                the BAR's physical address (hex) from sysfs
#   child_of PID                     the pid of PID's (first) child process
#   keep_out FILE                    copy the last run's stdout to FILE: `check`
#                                    runs its command with stdout on $RUN_OUT, so
#                                    a check cannot read $RUN_OUT itself
#
# Devices: $EDU (edu, 1 MiB MMIO BAR0) and $IVS (ivshmem, BAR2 = host file).
. /tests/lib.sh

EDU=${EDU_BDF:-0000:00:03.0}
IVS=${IVSHMEM_BDF:-0000:00:05.0}
BG_FD=9

out_is() {
	local desc=$1 want=$2
	shift 2
	run "$@"
	if [ "$RUN_STATUS" -eq 0 ] && [ "$(cat "$RUN_OUT")" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc" "expected stdout: $want"
		_show_run "$@"
	fi
}

out_match() {
	local desc=$1 re=$2
	shift 2
	run "$@"
	if [ "$RUN_STATUS" -eq 0 ] && grep -Eq -- "$re" "$RUN_OUT"; then
		ok "$desc"
	else
		not_ok "$desc" "expected a stdout line matching: $re"
		_show_run "$@"
	fi
}

fails_with() {
	local desc=$1 want=$2 re=$3
	shift 3
	run "$@"
	if [ "$RUN_STATUS" -eq "$want" ] && [ "$(wc -l <"$RUN_ERR")" -eq 1 ] &&
		grep -Eq -- "$re" "$RUN_ERR"; then
		ok "$desc"
	else
		not_ok "$desc" "expected exit $want and one stderr line matching: $re"
		_show_run "$@"
	fi
}

# The script keeps the read end of the FIFO open on fd $BG_FD (default 9; set
# it to 8, 7, ... for background processes that run at the same time), so
# the process never gets SIGPIPE however much it prints.
start_bg() {
	local name=$1 fifo=/tmp/$1.fifo
	shift
	rm -f "$fifo"
	mkfifo "$fifo"
	"$@" >"$fifo" 2>"/tmp/$name.err" &
	BG_PID=$!
	eval "exec $BG_FD<\"\$fifo\""
	BG_LINE=
	eval "read -r BG_LINE <&$BG_FD" ||
		diag "$name: ended before printing anything: $(cat "/tmp/$name.err")"
}

wait_bg() {
	BG_STATUS=0
	wait "$1" || BG_STATUS=$?
}

bar_start() {
	sed -n "$(($2 + 1))p" "/sys/bus/pci/devices/$1/resource" | cut -d' ' -f1
}

child_of() {
	local d
	for d in /proc/[0-9]*; do
		# Field 4 of stat is the parent; comm (field 2) has no blanks here.
		if [ "$(cut -d' ' -f4 "$d/stat" 2>/dev/null)" = "$1" ]; then
			echo "${d#/proc/}"
			return 0
		fi
	done
	return 1
}

keep_out() {
	cp "$RUN_OUT" "$1"
}
