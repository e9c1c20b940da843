#!/bin/sh
# The tour (README command 1): runs inside the VM, shows what each tool can
# do on this kernel.  Every command is printed before it runs, so the output
# reads as a walkthrough.  Parts live in tour.d/, one per tool, run in order.
# The tour's exit status is non-zero if any part failed.

here=$(dirname "$0")

banner() {
	echo
	echo "=== $*"
}

# Print a command, then run it; used by the tour.d parts too.
show() {
	echo "\$ $*"
	"$@"
}

banner "kernel"
show uname -r
echo "devices: $(ls /dev/dri /dev/dma_heap /dev/vfio 2>/dev/null | tr '\n' ' ')"

for tool in syncobjctl dmaheapctl vfiobarctl; do
	banner "$tool: kernel features it can use"
	show "$tool" features -o NAME,STATE,REASON
done

status=0
for part in "$here"/tour.d/*.sh; do
	[ -f "$part" ] || continue
	banner "$(basename "$part" .sh)"
	# Parts share show() and banner() by being sourced in a subshell.
	if ! (. "$part"); then
		echo "tour: $(basename "$part") failed" >&2
		status=1
	fi
done
exit $status
