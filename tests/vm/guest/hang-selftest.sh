#!/bin/sh
# Never finishes: registered with a short timeout, it proves that run-vm
# kills a hung guest and reports "not ok - timeout".
. /tests/lib.sh

plan 1
ok "the guest ran this script; now it hangs"
sleep 100000
