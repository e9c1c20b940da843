#!/usr/bin/env python3
"""A stand-in for 'vfiobarctl serve' on hosts without vfio-pci: it answers the
primary/subordinate protocol with canned replies, so the clients (export,
exports, revoke, read/write --socket) can be tested for what they send, how
they take fds and how they report errors.  Every request is appended to LOG.

usage: vfiobarctl-fake-primary.py SOCKET LOG
"""
import array, os, socket, sys, time

EINVAL, ENOENT, EOPNOTSUPP, EBADFD = 22, 2, 95, 77
path, log = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
srv.bind(path + '.tmp')
srv.listen(8)
os.rename(path + '.tmp', path)

LIST = [
    '1\t0000:00:03.0\t0:0x0+0x1000\tuc\t4096\t5001\t%d\t0\tsh\tactive\t%d' % (os.getpid(), time.time() - 5),
    '2\t0000:00:03.0\t0:0x0+0x1000,0x2000+0x1000\twc\t8192\t5002\t4343\t1000\tsub\trevoked\t%d' % (time.time() - 60),
]


def memfd(size):
    fd = os.memfd_create('fake-bar')
    os.ftruncate(fd, size)
    os.pwrite(fd, bytes(range(256)) * (size // 256), 0)
    return fd


def answer(conn, req, fds):
    words = req.split()
    if words[0] == 'EXPORT':
        bdf, spec, attr = words[1:4]
        if bdf != '0000:00:03.0':
            return 'ERR 1 19 %s: this primary serves 0000:00:03.0' % bdf, None
        if '0x1+' in spec:
            return ('ERR 1 %d 0000:00:03.0: UC %s: cannot export (range 0x1+0x1000: offset '
                    'not page-aligned)' % (EINVAL, spec)), None
        if attr == 'wc':
            return ('ERR 3 %d 0000:00:03.0: WC %s: cannot export (the kernel offers neither '
                    'the export attribute bits nor the memattr feature needed for WC)'
                    % (EOPNOTSUPP, spec)), None
        size = sum(int(r.split('+')[1], 16) for r in spec.split(':', 1)[1].split(','))
        return 'OK 7 %d 12345' % size, memfd(size)
    if words[0] == 'LIST':
        return 'OK %d\n%s' % (len(LIST), '\n'.join(LIST)), None
    if words[0] == 'REVOKE':
        what = words[1]
        if what == '3':
            time.sleep(30)
        if what == 'fd':
            return ('OK 1 500' if fds else 'ERR 2 %d REVOKE fd: no fd attached' % EINVAL), None
        if what == '2':
            return 'ERR 1 %d 0000:00:03.0: export 2: cannot revoke (already revoked)' % EBADFD, None
        if what in ('1', 'all'):
            return 'OK 1 1234', None
        return 'ERR 1 %d export %s: no such export' % (ENOENT, what), None
    if words[0] == 'READ':
        n = int(words[4]) * int(words[5])
        return 'OK ' + bytes(i & 0xff for i in range(n)).hex(), None
    if words[0] == 'WRITE':
        return 'OK', None
    return 'ERR 2 %d %s: unknown request' % (EINVAL, words[0]), None


while True:
    conn, _ = srv.accept()
    with conn:
        while True:
            try:
                msg, fds, _, _ = socket.recv_fds(conn, 4096, 4)
            except OSError:
                break
            if not msg:
                break
            req = msg.decode()
            with open(log, 'a') as f:
                f.write('%s fds=%d\n' % (req, len(fds)))
            text, fd = answer(conn, req, fds)
            for x in fds:
                os.close(x)
            socket.send_fds(conn, [text.encode()], [fd] if fd is not None else [])
            if fd is not None:
                os.close(fd)
