#!/bin/bash
# syncobjctl on the host, where no syncobj back end needs to exist: usage
# errors (exit 2 and the message naming the bad argument), batch-mode
# parsing and line numbers, and `ls` on a fixture /proc.
set -u
bindir=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
s="$bindir/syncobjctl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- command line
expect_stdout '^  create ' -- "$s" --help
expect_stdout '^  swsync-inc ' -- "$s" --help
expect_stdout '^Usage: syncobjctl wait ' -- "$s" wait --help
expect 2 "^syncobjctl: no command given$" -- "$s"
expect 2 "^syncobjctl: --_flags: not a 32-bit number: x$" -- "$s" --_flags x wait 3
expect 2 "^syncobjctl: --_timeout-abs: not a 64-bit number: 1s$" -- "$s" --_timeout-abs 1s wait 3
expect 2 "^syncobjctl: /dev/null: neither /dev/syncobj nor a DRM device node$" -- \
	"$s" --device /dev/null create
expect 1 "^syncobjctl: $tmp/none: cannot open: No such file or directory$" -- \
	"$s" --device "$tmp/none" create

# --- references
expect 2 "^syncobjctl: no syncobj given$" -- "$s" wait
expect 2 "^syncobjctl: 3@x: bad point 'x': not a number$" -- "$s" wait 3@x
expect 2 "^syncobjctl: 3@18446744073709551616: bad point '18446744073709551616': out of range$" \
	-- "$s" signal 3@18446744073709551616
expect 2 "^syncobjctl: 3@: bad point '': not a number$" -- "$s" wait 3@
expect 2 "^syncobjctl: foo: names only exist in batch mode \(-f FILE\)$" -- "$s" wait foo
expect 2 "^syncobjctl: /dev/null: not a syncobj reference \(N, PID:FD\)$" -- "$s" wait /dev/null
expect 2 "^syncobjctl: 1:2:3: not a syncobj reference" -- "$s" query 1:2:3
expect 2 "^syncobjctl: 0:3: not a syncobj reference" -- "$s" query 0:3
expect 2 "^syncobjctl: -1: not a syncobj reference" -- "$s" signal -- -1
expect 2 "^syncobjctl: 3@1: a point \(@POINT\) makes no sense here$" -- "$s" reset 3@1
expect 2 "^syncobjctl: 3@1: a point \(@POINT\) makes no sense here$" -- "$s" query 3@1
expect 2 "Try 'syncobjctl reset --help'" -- "$s" reset 3@1

# --- options
expect 2 "^syncobjctl: --timeout: bad duration: 1parsec$" -- "$s" wait 3 --timeout 1parsec
expect 2 "^syncobjctl: --timeout: out of range duration: 2562048h$" -- "$s" wait 3 -t 2562048h
expect 2 "^syncobjctl: --deadline: bad duration: soon$" -- "$s" wait 3 --deadline soon
expect 2 "unrecognized option '--bogus'" -- "$s" wait 3 --bogus
expect 2 "^syncobjctl: need exactly two syncobjs: SRC\[@POINT\] DST\[@POINT\]$" -- "$s" transfer 3
expect 2 "^syncobjctl: need exactly two syncobjs" -- "$s" transfer 3 4 5
expect 2 "^syncobjctl: need a syncobj and a sync_file" -- "$s" import-sync-file 3
expect 2 "^syncobjctl: 4@2: a point \(@POINT\) makes no sense here$" -- \
	"$s" import-sync-file 3 4@2
expect 2 "^syncobjctl: no syncobj given$" -- "$s" export-sync-file
expect 2 "^syncobjctl: x: names only exist in batch mode" -- "$s" export-sync-file 3 x
expect 2 "^syncobjctl: --count: not a number from 1 to 64: 0$" -- "$s" create --count 0
expect 2 "^syncobjctl: --count: not a number from 1 to 64: 65$" -- "$s" create --count 65
expect 2 "^syncobjctl: a: names only exist in batch mode \(-f FILE\)$" -- "$s" create a
expect 2 "^syncobjctl: no command after '--'$" -- "$s" create --
expect 2 "^syncobjctl: --env and --fd only apply to '-- CMD'$" -- "$s" create --env X
expect 2 "^syncobjctl: --env: not a variable name: A=B$" -- "$s" create --env A=B -- true
expect 2 "^syncobjctl: --fd: not an fd number of 3 or more: 2$" -- "$s" create --fd 2 -- true
expect 2 "^syncobjctl: --owner: not a process id: 0$" -- "$s" create --owner 0
expect 2 "^syncobjctl: --owner only applies without '-- CMD'$" -- "$s" create --owner 1 -- true
expect 2 "^syncobjctl: missing operand \(see --help\)$" -- "$s" swsync-fence 3
expect 2 "^syncobjctl: x: fence value: not a number$" -- "$s" swsync-fence 3 x
expect 2 "^syncobjctl: 4294967296: fence value: out of range$" -- "$s" swsync-fence 3 4294967296
expect 2 "^syncobjctl: too many operands$" -- "$s" swsync-inc 3 1 2
expect 2 "^syncobjctl: no syncobj given$" -- "$s" watch
expect 2 "^syncobjctl: --count only applies with --follow$" -- "$s" watch 3 --count 2
expect 2 "^syncobjctl: --pid: not a process id: 0$" -- "$s" ls --pid 0
expect 2 "^syncobjctl: unexpected operand: 3$" -- "$s" ls 3
expect 2 "^syncobjctl: unknown column: NOPE$" -- "$s" query -o NOPE 3

# --- without any back end the tool says which feature is missing (exit 3)
if [ ! -e /dev/syncobj ] && ! ls /dev/dri/renderD* >/dev/null 2>&1; then
	expect 3 "^syncobjctl: kernel feature syncobj-dev \(CONFIG_SYNCOBJ_DEV\) is missing" -- \
		"$s" create
	expect 3 "^syncobjctl: kernel feature syncobj-dev" -- "$s" wait 3
	expect 3 "^syncobjctl: kernel feature syncobj-dev \(CONFIG_SYNCOBJ_DEV\) is missing: /dev/syncobj" \
		-- "$s" --device /dev/syncobj signal 3
	expect 3 "" -- "$s" features --check syncobj-dev
fi

# --- batch mode
batch() {
	printf '%s\n' "$@" >"$tmp/batch"
}
expect 1 "^syncobjctl: $tmp/none: cannot open: No such file or directory$" -- \
	"$s" -f "$tmp/none"
batch '# only comments' '' '   # and blanks'
expect 0 "" -- "$s" -f "$tmp/batch"
batch '# one' 'frobnicate a'
expect 2 "^syncobjctl: line 2: unknown command: frobnicate$" -- "$s" -f "$tmp/batch"
batch "wait 'a"
expect 2 "^syncobjctl: line 1: unterminated quote$" -- "$s" -f "$tmp/batch"
batch '' 'wait nothere'
expect 2 "^syncobjctl: line 2: nothere: no object of that name$" -- "$s" -f "$tmp/batch"
batch 'close nothere'
expect 2 "^syncobjctl: line 1: nothere: no object of that name$" -- "$s" -f "$tmp/batch"
batch 'close'
expect 2 "^syncobjctl: line 1: close: name the objects to close$" -- "$s" -f "$tmp/batch"
batch 'create -- true'
expect 2 "^syncobjctl: line 1: '-- CMD' is not available in batch mode$" -- "$s" -f "$tmp/batch"
batch 'create'
expect 2 "^syncobjctl: line 1: batch mode: name the new object\(s\)$" -- "$s" -f "$tmp/batch"
batch '' '' 'wait 3 --bogus'
expect 2 "^syncobjctl: line 3: wait: invalid arguments$" -- "$s" -f "$tmp/batch"
batch 'wait --help'
expect 2 "^syncobjctl: line 1: wait: invalid arguments$" -- "$s" -f "$tmp/batch"
batch 'create 9name'
expect 2 "^syncobjctl: line 1: 9name: not a name" -- sh -c "\"\$0\" -f - <\"\$1\"" "$s" "$tmp/batch"
batch 'wait "a b"'
expect 2 "^syncobjctl: line 1: a b: not a syncobj reference \(N, PID:FD or a name\)$" -- \
	"$s" -f "$tmp/batch"
batch 'reset x\ y'
expect 2 "^syncobjctl: line 1: x y: not a syncobj reference" -- "$s" -f "$tmp/batch"

# --- ls on a fixture /proc: only anon_inode:syncobj_file fds, sorted, no points
root="$here/syncobjctl-ls-root"
ls_out=$(DMABUF_UTILS_SYSROOT=$root "$s" ls -rn -o PID,COMMAND,FD,FLAGS)
if [ "$ls_out" = $'17 compositor 5 02000002\n4242 client 3 02\n4242 client 7 02000002' ]; then
	ok "ls lists the fixture's syncobj fds"
else
	not_ok "ls lists the fixture's syncobj fds"
	echo "$ls_out" | sed 's/^/#   /'
fi
expect_stdout '^ +PID +COMMAND +FD +POINT$' -- env DMABUF_UTILS_SYSROOT="$root" "$s" ls
expect_stdout '"point": null' -- env DMABUF_UTILS_SYSROOT="$root" "$s" ls -J
expect_stdout '^4242 7$' -- env DMABUF_UTILS_SYSROOT="$root" "$s" ls --pid 4242 -rn -o PID,FD
expect 1 "^syncobjctl: --pid 5: no such process: No such file or directory$" -- \
	env DMABUF_UTILS_SYSROOT="$root" "$s" ls --pid 5

done_testing
