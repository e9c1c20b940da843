#!/bin/sh
# A primary (vfiobarctl serve) vends BAR DMABUFs to subordinates and takes
# them back: revoke while a subordinate loops reading (it gets SIGBUS), the
# primary keeps working (also through its own mapping of the device fd) and
# exports the range again; foreign, non-DMABUF and twice-revoked fds are
# refused with the kernel's errno; closing the primary revokes everything.
. /tests/vfio-lib.sh

S=/tmp/edu.sock
I=/tmp/ivs.sock
SIGBUS_RE='offset 0x0: access raised SIGBUS \(the DMABUF was revoked or the device is gone\)$'

vfiobarctl bind "$EDU" >/dev/null || bail_out "cannot bind $EDU"
vfiobarctl bind "$IVS" >/dev/null || bail_out "cannot bind $IVS"

BG_FD=9
start_bg edu-primary vfiobarctl serve "$EDU" --socket "$S"
primary=$BG_PID
check "the primary says it serves edu" test "$BG_LINE" = "serving $EDU on $S (pid $primary)"
check "its socket is there, owner only" sh -c "test -S $S && test \"\$(stat -c %a $S)\" = 600"

out_match "a subordinate reads edu's ID through the DMABUF it was vended" '^00000000: 010000ed ' \
	vfiobarctl export --socket "$S" "$EDU" 0:0+4K -- vfiobarctl read --dmabuf 3 0
out_match "the primary reads through its own mapping of the device fd" '^00000000: 010000ed ' \
	vfiobarctl read --socket "$S" --method mmap "$EDU" 0 0

# --- revoke while a subordinate loops reading
BG_FD=8
start_bg sub1 vfiobarctl export --socket "$S" "$EDU" 0:0+4K -- vfiobarctl read --dmabuf 3 0 --watch 0
sub1=$BG_PID
check "the looping subordinate read the ID" sh -c "echo '$BG_LINE' | grep -q '^00000000: 010000ed '"
out_match "exports: export 2 is active, vended to the subordinate, which maps it" \
	"^2 0:0x0\+0x1000 uc active $sub1 vfiobarctl $sub1\(vfiobarctl\):fd\+map\$" \
	vfiobarctl exports --socket "$S" -n -r -o ID,RANGES,ATTR,STATE,PID,COMM,HOLDERS
out_match "revoke 2" '^2: revoked 1 in [0-9.]+ us$' vfiobarctl revoke --socket "$S" 2
wait_bg "$sub1"
check "the subordinate stopped with exit 1" test "$BG_STATUS" = 1
check "because its mapping raised SIGBUS" grep -Eq "^vfiobarctl: dmabuf 3: $SIGBUS_RE" /tmp/sub1.err
out_match "exports: export 2 is revoked" '^2 revoked$' \
	vfiobarctl exports --socket "$S" -n -r -o ID,STATE
out_match "the primary's own device fd mapping still works" '^00000000: 010000ed ' \
	vfiobarctl read --socket "$S" --method mmap "$EDU" 0 0
check "write liveness through the primary" \
	vfiobarctl write --socket "$S" --method mmap "$EDU" 0 4 0x76543210
out_match "and it reads back inverted" '^00000004: 89abcdef ' \
	vfiobarctl read --socket "$S" --method mmap "$EDU" 0 4
out_match "the range can be exported again" '^00000004: 89abcdef ' \
	vfiobarctl export --socket "$S" "$EDU" 0:0+4K -- vfiobarctl read --dmabuf 3 4

# --- what revoke refuses
fails_with "a second revoke of export 2" 1 \
	"^vfiobarctl: $EDU: export 2: cannot revoke \(already revoked\): File descriptor in bad state\$" \
	vfiobarctl revoke --socket "$S" 2
fails_with "revoke of a fd that is not a DMABUF" 1 \
	"^vfiobarctl: $EDU: fd from pid [0-9]+: cannot revoke \(not a DMABUF\): Invalid argument\$" \
	vfiobarctl revoke --socket "$S" --fd /dev/null
BG_FD=7
start_bg ivs-primary vfiobarctl serve "$IVS" --socket "$I"
ivs_primary=$BG_PID
fails_with "revoke of another device's DMABUF" 1 \
	"^vfiobarctl: $EDU: fd from pid [0-9]+: cannot revoke \(not a DMABUF of this device\): No such device\$" \
	vfiobarctl export --socket "$I" "$IVS" 2:0+4K -- vfiobarctl revoke --socket "$S" --fd 3
fails_with "revoke of an unknown export" 1 "^vfiobarctl: export 99: no such export: No such file or directory\$" \
	vfiobarctl revoke --socket "$S" 99
fails_with "the wrong device for this primary" 1 \
	"^vfiobarctl: $IVS: this primary serves $EDU: No such device\$" \
	vfiobarctl export --socket "$S" "$IVS" 2:0+4K -- true

# --- revoke a DMABUF by the fd a subordinate holds
BG_FD=6
start_bg sub2 vfiobarctl export --socket "$S" "$EDU" 0:0+4K -- vfiobarctl read --dmabuf 3 0 --watch 0
sub2=$BG_PID
out_match "revoke --fd PID:FD takes the subordinate's own fd" '^[0-9]+:3: revoked 1 in ' \
	vfiobarctl revoke --socket "$S" --fd "$sub2:3"
wait_bg "$sub2"
check "that subordinate got SIGBUS too" grep -Eq "$SIGBUS_RE" /tmp/sub2.err

# --- revoke --all, with two subordinates on two ranges
BG_FD=6
start_bg sub3 vfiobarctl export --socket "$S" "$EDU" 0:0+4K -- vfiobarctl read --dmabuf 3 0 --watch 0
sub3=$BG_PID
BG_FD=5
start_bg sub4 vfiobarctl export --socket "$S" "$EDU" 0:0x1000+4K -- vfiobarctl read --dmabuf 3 0 --watch 0
sub4=$BG_PID
out_match "revoke --all revokes every active export" '^all exports: revoked [0-9]+ in ' \
	vfiobarctl revoke --socket "$S" --all
wait_bg "$sub3"
s3=$BG_STATUS
wait_bg "$sub4"
check "both subordinates got SIGBUS" test "$s3$BG_STATUS" = 11
check "and said so" sh -c "grep -Eq '$SIGBUS_RE' /tmp/sub3.err && grep -Eq '$SIGBUS_RE' /tmp/sub4.err"
out_is "exports: nothing is active any more" "revoked" \
	sh -c "vfiobarctl exports --socket $S -n -r -o STATE | sort -u"
out_match "revoke --all with nothing active revokes nothing" '^all exports: revoked 0 in ' \
	vfiobarctl revoke --socket "$S" --all

# --- closing the primary revokes everything
BG_FD=6
start_bg sub5 vfiobarctl export --socket "$S" "$EDU" 0:0+4K -- vfiobarctl read --dmabuf 3 0 --watch 0
sub5=$BG_PID
kill -KILL "$primary"
wait_bg "$primary"
wait_bg "$sub5"
check "killing the primary: the subordinate got SIGBUS" grep -Eq "$SIGBUS_RE" /tmp/sub5.err
fails_with "nobody answers on the old socket" 1 \
	"^vfiobarctl: $S: no primary listening \(start 'vfiobarctl serve BDF --socket $S'\): Connection refused\$" \
	vfiobarctl exports --socket "$S"
BG_FD=6
start_bg sub6 vfiobarctl export --socket "$I" --wc "$IVS" 2:0+4K -- vfiobarctl read --dmabuf 3 0 --watch 0
sub6=$BG_PID
kill -TERM "$ivs_primary"
wait_bg "$ivs_primary"
check "SIGTERM: the primary exits 0" test "$BG_STATUS" = 0
wait_bg "$sub6"
check "and its subordinate got SIGBUS" grep -Eq "$SIGBUS_RE" /tmp/sub6.err
check "and it removed its socket" test ! -e "$I"

vfiobarctl unbind "$EDU" >/dev/null
vfiobarctl unbind "$IVS" >/dev/null
done_testing
