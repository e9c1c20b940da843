#!/bin/sh
# The kernel selftest of the /dev/syncobj series (kernel/patches 0001-0021,
# tools/testing/selftests/syncobj), with the vgem test patch
# (kernel/patches-test 0001) that lets it check the DRM side too.
#
# Each result of syncobj_test becomes one result here, named after the
# harness test ("syncobj.wait_timeouts").  In this VM every prerequisite of
# the selftest exists (/dev/syncobj, sw_sync in debugfs, vgem with timeline
# syncobjs), so a skipped test is a failure: it means the kernel lost a
# feature.  The harness's totals and exit status are checked last.
. /tests/lib.sh

test_bin=${VM_SELFTESTS:-/selftests}/syncobj/syncobj_test

check "/dev/syncobj is a character device" test -c /dev/syncobj
check "/dev/syncobj is mode 0666" sh -c '[ "$(stat -c %a /dev/syncobj)" = 666 ]'
check "syncobj is a misc device" grep -qw syncobj /proc/misc
[ -x "$test_bin" ] || bail_out "$test_bin missing: is syncobj listed in kernel/selftests?"

out=/tmp/syncobj_test.out
status=0
"$test_bin" >"$out" 2>&1 || status=$?

name=
planned=
results=0
passed=0
skipped=0
while IFS= read -r line; do
	case "$line" in
	"#  RUN "*)
		name=$(echo "$line" | sed -E 's/^#  RUN +//; s/ \.\.\.$//')
		;;
	"ok "*"# SKIP"*)
		results=$((results + 1))
		skipped=$((skipped + 1))
		not_ok "$name" "skipped: ${line#*# SKIP }"
		;;
	"ok "*)
		results=$((results + 1))
		passed=$((passed + 1))
		ok "$name"
		;;
	"not ok "*)
		results=$((results + 1))
		not_ok "$name"
		;;
	1..*)
		planned=${line#1..}
		;;
	"# "*)
		# the harness's progress lines, TH_LOG output and totals
		echo "$line"
		;;
	esac
done <"$out"

if [ -n "$planned" ] && [ "$planned" -gt 0 ] && [ "$results" = "$planned" ]; then
	ok "syncobj_test ran all $planned tests it planned"
else
	not_ok "syncobj_test ran all tests it planned" "plan '${planned:-none}', $results results"
fi
if [ "$skipped" -eq 0 ]; then
	ok "syncobj_test skipped nothing"
else
	not_ok "syncobj_test skipped nothing" "$skipped skipped"
fi
if [ "$status" -eq 0 ]; then
	ok "syncobj_test exited 0"
else
	not_ok "syncobj_test exited 0" "exit status $status"
	tail -n 40 "$out" | sed 's/^/#   /'
fi
diag "syncobj_test: $passed passed, $((results - passed - skipped)) failed, $skipped skipped"
done_testing
