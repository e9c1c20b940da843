# Tour part: vfiobarctl (sourced by tour.sh, which provides show and banner).
# The QEMU edu device goes to vfio-pci; a primary owns it and vends one page
# of its registers to a subordinate process as a DMABUF, which it then
# revokes: the subordinate's next access faults.  The primary carries on.

edu=${EDU_BDF:-0000:00:03.0}
sock=/tmp/tour-edu.sock

echo "PCI devices, their drivers, IOMMU groups and BARs (edu is $edu, 1 MiB of registers):"
show vfiobarctl list
echo
echo "Hand edu to vfio-pci.  This VM has no IOMMU, so it lands in an unsafe noiommu group:"
show vfiobarctl bind "$edu" || return 1
echo
echo "Its regions, and which DMABUF interfaces the kernel offers for it:"
show vfiobarctl info "$edu"
echo
echo "edu's ID register (offset 0), read through a DMABUF mapping of BAR0:"
show vfiobarctl read --method dmabuf "$edu" 0 0
echo "Its liveness register (offset 4) gives back the inverse of what was written:"
show vfiobarctl write "$edu" 0 4 0x12345678
show vfiobarctl read "$edu" 0 4

echo
echo "Now a primary owns the device; other processes only get what it vends:"
echo "\$ vfiobarctl serve $edu --socket $sock &"
rm -f /tmp/tour-primary.fifo && mkfifo /tmp/tour-primary.fifo
vfiobarctl serve "$edu" --socket "$sock" >/tmp/tour-primary.fifo &
primary=$!
exec 7</tmp/tour-primary.fifo
read -r line <&7 && echo "$line"

echo
echo "A subordinate gets one page of BAR0 on fd 3 and watches the ID register in a loop;"
echo "it has no descriptor of the device itself:"
echo "\$ vfiobarctl export --socket $sock $edu 0:0+4K -- vfiobarctl read --dmabuf 3 0 --watch 0 &"
rm -f /tmp/tour-sub.fifo && mkfifo /tmp/tour-sub.fifo
vfiobarctl export --socket "$sock" "$edu" 0:0+4K -- \
	vfiobarctl read --dmabuf 3 0 --watch 0 >/tmp/tour-sub.fifo 2>/tmp/tour-sub.err &
sub=$!
exec 8</tmp/tour-sub.fifo
read -r line <&8 && echo "  subordinate: $line"
read -r line <&7 && echo "  primary: $line"
echo
echo "What the primary vended, to whom, and who holds it:"
show vfiobarctl exports --socket "$sock"
echo
echo "Every BAR mapping in the system (the subordinate's DMABUF, named by vfiobarctl):"
show vfiobarctl maps
echo
echo "Take it back.  The subordinate's next read faults (SIGBUS), whatever it does:"
show vfiobarctl revoke --socket "$sock" 1
wait "$sub"
echo "  subordinate exited with status $?: $(cat /tmp/tour-sub.err)"
echo
echo "The primary still reaches the device, here through its own mapping of the device fd:"
show vfiobarctl read --socket "$sock" --method mmap "$edu" 0 0
echo
echo "Stopping the primary closes the device, which revokes whatever it still vended:"
echo "\$ kill $primary"
kill "$primary"
wait "$primary"
exec 7<&- 8<&-
show vfiobarctl unbind "$edu"
