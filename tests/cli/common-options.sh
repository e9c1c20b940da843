#!/bin/bash
# Options and errors every tool shares (through common/): --help, --version,
# unknown commands, features with -J/-o/-n, bad column names.
set -u
bindir=$1
source "$(dirname "$0")/common.sh"

for tool in syncobjctl dmaheapctl vfiobarctl; do
	t="$bindir/$tool"
	expect_stdout "^Usage: $tool" -- "$t" --help
	expect_stdout "Commands:" -- "$t" --help
	expect_stdout "^$tool \(dmabuf-utils\) [0-9]" -- "$t" --version
	expect 2 "^$tool: no command given" -- "$t"
	expect 2 "^$tool: unknown command: frobnicate$" -- "$t" frobnicate
	expect 2 "unrecognized option '--bogus'" -- "$t" --bogus
	expect 2 "^$tool: unknown column: NOPE$" -- "$t" features -o NOPE
	expect 2 "^$tool: unknown feature: nope$" -- "$t" features nope
	expect_stdout '^NAME +STATE +REASON' -- "$t" features
	expect_stdout "^\{$" -- "$t" features -J
	expect_stdout '"features": \[' -- "$t" features -J
	expect_stdout '^[a-z0-9-]+$' -- "$t" features -n -o NAME
	expect_stdout 'KCONFIG' -- "$t" features --list-columns
	expect_stdout "^Usage: $tool features" -- "$t" features --help
done
done_testing
