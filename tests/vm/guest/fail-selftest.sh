#!/bin/sh
# Fails on purpose: registered with WILL_FAIL, it proves that a failing
# guest script makes its ctest entry fail (run-vm propagates the status).
. /tests/lib.sh

plan 2
ok "the guest ran this script"
not_ok "this check fails on purpose" "expected: run-vm must exit non-zero"
done_testing
