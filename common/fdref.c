// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fdref.c - references to file descriptors given on the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "c.h"
#include "err.h"
#include "fdref.h"
#include "parse.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

int du_pidfd_open(pid_t pid, unsigned int flags)
{
	return syscall(SYS_pidfd_open, pid, flags);
}

int du_pidfd_getfd(int pidfd, int targetfd, unsigned int flags)
{
	return syscall(SYS_pidfd_getfd, pidfd, targetfd, flags);
}

int du_fdref_parse(const char *spec, struct du_fdref *ref)
{
	const char *colon;
	int pid;

	if (strchr(spec, '/')) {
		*ref = (struct du_fdref){ .kind = DU_FDREF_PATH, .fd = -1, .path = spec };
		return 0;
	}
	colon = strchr(spec, ':');
	if (!colon) {
		*ref = (struct du_fdref){ .kind = DU_FDREF_INHERITED };
		return du_parse_nonneg_int(spec, &ref->fd) ? -EINVAL : 0;
	}

	_cleanup_free_ char *pidstr = strndup(spec, colon - spec);
	if (!pidstr)
		return -ENOMEM;
	*ref = (struct du_fdref){ .kind = DU_FDREF_REMOTE };
	if (du_parse_nonneg_int(pidstr, &pid) || pid == 0 ||
	    du_parse_nonneg_int(colon + 1, &ref->fd))
		return -EINVAL;
	ref->pid = pid;
	return 0;
}

static int open_remote(const char *spec, const struct du_fdref *ref)
{
	int pidfd, fd, err;

	pidfd = du_pidfd_open(ref->pid, 0);
	if (pidfd < 0) {
		err = errno;
		du_report(err, "%s: cannot open process %d", spec, (int)ref->pid);
		return -err;
	}
	fd = du_pidfd_getfd(pidfd, ref->fd, 0);
	err = errno;
	close(pidfd);
	if (fd >= 0)
		return fd;
	if (err == EPERM)
		du_report(err,
			  "%s: cannot take fd %d from process %d (needs ptrace access: same user "
			  "and kernel.yama.ptrace_scope permitting, or CAP_SYS_PTRACE)",
			  spec, ref->fd, (int)ref->pid);
	else if (err == EBADF)
		du_report(err, "%s: process %d has no fd %d", spec, (int)ref->pid, ref->fd);
	else if (err == ENOSYS)
		du_report(err,
			  "%s: pidfd_getfd() is not supported by this kernel (needs Linux 5.6)",
			  spec);
	else
		du_report(err, "%s: cannot take fd %d from process %d", spec, ref->fd,
			  (int)ref->pid);
	return -err;
}

int du_fdref_open(const char *spec, const struct du_fdref *ref, int open_flags, bool dup)
{
	int fd, err;

	switch (ref->kind) {
	case DU_FDREF_INHERITED:
		if (fcntl(ref->fd, F_GETFD) < 0) {
			err = errno;
			du_report(err, "%s: fd %d is not open", spec, ref->fd);
			return -err;
		}
		if (!dup)
			return ref->fd;
		fd = fcntl(ref->fd, F_DUPFD_CLOEXEC, 3);
		break;
	case DU_FDREF_REMOTE:
		return open_remote(spec, ref);
	case DU_FDREF_PATH:
		fd = open(ref->path, open_flags | O_CLOEXEC);
		break;
	default:
		return -EINVAL;
	}
	if (fd < 0) {
		err = errno;
		du_report(err, "%s: cannot open", spec);
		return -err;
	}
	return fd;
}
