/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdpass.h - handing file descriptors to another process over an AF_UNIX
 * socket (SCM_RIGHTS), one message per request.
 *
 * Sockets are SOCK_SEQPACKET, so message boundaries survive and a reply is
 * one message.  A listener appears at its path only once it is listening
 * (bound under a temporary name, then renamed), so a client that sees the
 * path can connect at once.
 */
#ifndef DU_FDPASS_H
#define DU_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

/* Most descriptors one message carries. */
#define DU_FDPASS_MAX_FDS 16

/*
 * Listen on a new SOCK_SEQPACKET socket at @path with permissions @mode.
 * Fails with -EADDRINUSE if @path exists and something listens there; a
 * stale socket file (nobody listening) is replaced.  Returns the fd
 * (O_CLOEXEC) or -errno.
 */
int du_unix_listen(const char *path, mode_t mode);

/* Connect to the SOCK_SEQPACKET listener at @path; fd (O_CLOEXEC) or -errno. */
int du_unix_connect(const char *path);

/* The process and user on the other end (SO_PEERCRED); 0 or -errno. */
int du_unix_peer(int sock, pid_t *pid, uid_t *uid);

/* Send one message of @len bytes with @nfds descriptors attached; 0 or -errno. */
int du_fd_send(int sock, const void *buf, size_t len, const int *fds, size_t nfds);

/*
 * Receive one message into @buf (at most @cap bytes; NUL-terminated when
 * there is room) and up to @maxfds descriptors, which arrive O_CLOEXEC.
 * Returns the message length, 0 when the peer hung up, or -errno:
 * -EMSGSIZE when the message or its descriptors did not fit (any
 * descriptors that did arrive are closed then).
 */
ssize_t du_fd_recv(int sock, void *buf, size_t cap, int *fds, size_t maxfds, size_t *nfds);

#endif
