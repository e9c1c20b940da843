// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for common/fdpass.c: SCM_RIGHTS messages and the listener. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "c.h"
#include "fdpass.h"
#include "tap.h"

static bool is_cloexec(int fd)
{
	return fcntl(fd, F_GETFD) & FD_CLOEXEC;
}

static void test_messages(void)
{
	int sv[2], p1[2], p2[2], fds[4];
	size_t nfds = 99;
	char buf[64], small[4];
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) || pipe(p1) || pipe(p2))
		abort();
	CHECK_INT(0, du_fd_send(sv[0], "two fds", 7, (int[]){ p1[1], p2[1] }, 2), "send 2 fds");
	n = du_fd_recv(sv[1], buf, sizeof(buf), fds, 4, &nfds);
	CHECK_INT(7, n, "message length");
	CHECK_STR("two fds", buf, "message text, NUL-terminated");
	CHECK_INT(2, (long long)nfds, "two fds arrive");
	CHECK(nfds == 2 && is_cloexec(fds[0]) && is_cloexec(fds[1]));
	CHECK_INT(1, write(fds[1], "x", 1), "the second is the second pipe");
	CHECK_INT(1, read(p2[0], buf, 1), "its data comes out of that pipe");
	close(fds[0]);
	close(fds[1]);

	CHECK_INT(0, du_fd_send(sv[0], "none", 4, NULL, 0), "send without fds");
	CHECK_INT(4, du_fd_recv(sv[1], buf, sizeof(buf), fds, 4, &nfds), "received");
	CHECK_INT(0, (long long)nfds, "no fds");

	CHECK_INT(0, du_fd_send(sv[0], "too long", 8, &p1[1], 1), "send for a small buffer");
	CHECK_INT(-EMSGSIZE, du_fd_recv(sv[1], small, sizeof(small), fds, 4, &nfds),
		  "truncated message: EMSGSIZE");
	CHECK_INT(0, (long long)nfds, "and no fds left open");

	CHECK_INT(0, du_fd_send(sv[0], "3", 1, (int[]){ p1[0], p1[1], p2[0] }, 3), "send 3 fds");
	CHECK_INT(-EMSGSIZE, du_fd_recv(sv[1], buf, sizeof(buf), fds, 2, &nfds),
		  "more fds than room: EMSGSIZE");
	CHECK_INT(-E2BIG, du_fd_send(sv[0], "x", 1, fds, DU_FDPASS_MAX_FDS + 1),
		  "too many to send");

	close(sv[0]);
	CHECK_INT(0, du_fd_recv(sv[1], buf, sizeof(buf), fds, 4, &nfds), "hang-up reads 0");
	close(sv[1]);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}

static void test_listener(void)
{
	char dir[] = "/tmp/test-fdpass.XXXXXX", path[128], longpath[200];
	struct stat st;
	pid_t pid;
	uid_t uid;
	int l, c, s, l2;

	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/sock", dir);
	CHECK_INT(-ENOENT, du_unix_connect(path), "nobody listening: ENOENT");
	l = du_unix_listen(path, 0600);
	CHECK(l >= 0);
	CHECK(!stat(path, &st) && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600);
	CHECK(is_cloexec(l));
	CHECK_INT(-EADDRINUSE, du_unix_listen(path, 0600), "a live listener is not replaced");
	c = du_unix_connect(path);
	CHECK(c >= 0);
	s = accept(l, NULL, NULL);
	CHECK_INT(0, du_unix_peer(s, &pid, &uid), "peer credentials");
	CHECK_INT(getpid(), pid, "peer is us");
	CHECK_INT(getuid(), uid, "peer uid");
	close(s);
	close(c);
	close(l);
	/* The socket file stays behind with nobody listening: a new listener takes it. */
	l2 = du_unix_listen(path, 0660);
	CHECK(l2 >= 0);
	CHECK(!stat(path, &st) && (st.st_mode & 0777) == 0660);
	close(l2);
	unlink(path);
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	CHECK_INT(-ENAMETOOLONG, du_unix_connect(longpath), "path too long for sun_path");
	rmdir(dir);
}

int main(void)
{
	test_messages();
	test_listener();
	return tap_done();
}
