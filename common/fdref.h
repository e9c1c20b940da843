/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdref.h - references to file descriptors given on the command line.
 *
 *   N        a descriptor this process inherited (e.g. "3", from a
 *            wrapper that ran us with the fd open)
 *   PID:FD   descriptor FD of process PID, duplicated into this process with
 *            pidfd_open() + pidfd_getfd(); needs ptrace access to PID
 *   /path    a file opened by path (anything containing a '/')
 *
 * Parsing is separate from opening so that it can be unit-tested and so
 * that usage errors are found before anything is done.
 */
#ifndef DU_FDREF_H
#define DU_FDREF_H

#include <stdbool.h>
#include <sys/types.h>

enum du_fdref_kind {
	DU_FDREF_INHERITED,
	DU_FDREF_REMOTE,
	DU_FDREF_PATH,
};

struct du_fdref {
	enum du_fdref_kind kind;
	int fd; /* INHERITED: the fd; REMOTE: FD in the other process */
	pid_t pid; /* REMOTE only */
	const char *path; /* PATH only; points into the parsed string */
};

/* Returns 0 or -EINVAL for text that is none of the three forms. */
int du_fdref_parse(const char *spec, struct du_fdref *ref);

/*
 * Open the referenced descriptor.  Returns an fd this process owns (a dup
 * for INHERITED when @dup is set, else the inherited fd itself) or -errno
 * after reporting "SPEC: what failed: strerror", with an explanation of
 * ptrace access for EPERM from pidfd_getfd().
 */
int du_fdref_open(const char *spec, const struct du_fdref *ref, int open_flags, bool dup);

/* pidfd_open(2) and pidfd_getfd(2) through syscall(), for glibc 2.36. */
int du_pidfd_open(pid_t pid, unsigned int flags);
int du_pidfd_getfd(int pidfd, int targetfd, unsigned int flags);

#endif
