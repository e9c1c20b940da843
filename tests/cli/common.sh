# Shared helpers for host CLI tests: TAP output and command expectations.
# Usage: source this, then `expect EXIT STDERR_REGEX -- CMD...`, then `done_testing`.
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

# expect CODE REGEX -- CMD...: CMD exits with CODE and its stderr matches REGEX
# (empty REGEX: stderr must be empty).
expect() {
	local code=$1 regex=$2 got err
	shift 3
	err=$("$@" 2>&1 >/dev/null) && got=0 || got=$?
	if [ "$got" != "$code" ]; then
		not_ok "$*: exit $got, expected $code"
		echo "#   stderr: $err"
	elif [ -z "$regex" ] && [ -n "$err" ]; then
		not_ok "$*: unexpected stderr"
		echo "#   stderr: $err"
	elif [ -n "$regex" ] && ! grep -qE -- "$regex" <<<"$err"; then
		not_ok "$*: stderr does not match /$regex/"
		echo "#   stderr: $err"
	else
		ok "$* -> $code"
	fi
}

# expect_stdout REGEX -- CMD...: CMD succeeds and stdout matches REGEX
expect_stdout() {
	local regex=$1 out
	shift 2
	if ! out=$("$@" 2>&1); then
		not_ok "$*: failed: $out"
	elif ! grep -qE -- "$regex" <<<"$out"; then
		not_ok "$*: stdout does not match /$regex/"
		echo "#   stdout: ${out:0:400}"
	else
		ok "$* prints /$regex/"
	fi
}

done_testing() {
	echo "1..$n"
	[ $failed -eq 0 ]
}
