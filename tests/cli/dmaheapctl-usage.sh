#!/bin/bash
# dmaheapctl: usage errors (exit 2, one line naming the bad argument) and
# help texts.  Needs no dma-heap: everything here is refused before any
# device is opened.
set -u
bindir=$1
source "$(dirname "$0")/common.sh"
t="$bindir/dmaheapctl"

for c in list alloc audit features; do
	expect_stdout "^  $c " -- "$t" --help
	expect_stdout "^Usage: dmaheapctl $c" -- "$t" $c --help
done
expect_stdout "charge-pidfd" -- "$t" alloc --help
if "$t" alloc --help | grep -q _padding; then
	not_ok "alloc --help shows the testing option --_padding"
else
	ok "alloc --help hides the testing option --_padding"
fi

a="$t alloc"
expect 2 "HEAP and SIZE are required" -- $a
expect 2 "HEAP and SIZE are required" -- $a system
expect 2 "^dmaheapctl: size '0': a buffer needs at least one byte: Invalid argument$" -- $a system 0
expect 2 "^dmaheapctl: size '4Q': not a size .*: Invalid argument$" -- $a system 4Q
expect 2 "invalid option -- '1'" -- $a system -1
expect 2 "^dmaheapctl: size '99999E': not a size .*: Numerical result out of range$" -- $a system 99999E
expect 2 "^dmaheapctl: 4 buffers of 8E: Numerical result out of range$" -- $a system 8E --count 4
expect 2 "^dmaheapctl: --count 0: not a positive number$" -- $a system 4K --count 0
expect 2 "^dmaheapctl: --charge-pid 0: not a process id$" -- $a system 4K --charge-pid 0
expect 2 "^dmaheapctl: --charge-pid x: not a process id$" -- $a system 4K --charge-pid x
expect 2 "exclude each other" -- $a system 4K --charge-pid 1 --charge-pidfd 3
expect 2 "exclude each other" -- $a system 4K --hold -- true
expect 2 "^dmaheapctl: --fill 256: not a byte value" -- $a system 4K --fill 256
expect 2 "^dmaheapctl: --fill x: not a byte value" -- $a system 4K --fill x
expect 2 "^dmaheapctl: --fd-flags bogus: unknown flag 'bogus'" -- $a system 4K --fd-flags bogus
expect 2 "^dmaheapctl: --fd-flags rdonly,rdwr: more than one access mode$" -- \
	$a system 4K --fd-flags rdonly,rdwr
expect 2 "^dmaheapctl: --hold=soon: not a duration" -- $a system 4K --hold=soon
expect 2 "^dmaheapctl: no command after --$" -- $a system 4K --
expect 2 "unexpected argument 'extra'" -- $a system 4K extra
expect 2 "^dmaheapctl: unknown column: NOPE$" -- $a system 4K -o NOPE

u="$t audit"
expect 2 "^dmaheapctl: --by heap: not one of process, buffer, cgroup$" -- $u --by heap
expect 2 "^dmaheapctl: --pid 0: not a process id$" -- $u --pid 0
expect 2 "^dmaheapctl: --pid -3: not a process id$" -- $u --pid -3
expect 2 "^dmaheapctl: --cgroup apps: a cgroup path starts with /" -- $u --cgroup apps
expect 2 "^dmaheapctl: --prometheus: empty file name$" -- $u --prometheus ''
expect 2 "unexpected argument 'x'" -- $u x
expect_stdout "^ +ATTRIBUTION " -- $u --list-columns
expect 2 "unexpected argument 'x'" -- "$t" list x
done_testing
