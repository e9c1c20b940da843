/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture.h - run a function in a child process and collect what it writes
 * to stdout or stderr plus its exit status, for testing code that prints
 * or exits.
 */
#ifndef DU_CAPTURE_H
#define DU_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

struct captured {
	char text[8192];
	int status; /* exit code, or 128 + signal */
};

static inline void capture(void (*fn)(void *arg), void *arg, int which_fd, struct captured *c)
{
	int pipefd[2], wstatus;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		abort();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], which_fd);
		close(pipefd[0]);
		fn(arg);
		fflush(NULL);
		_exit(0);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], c->text + len, sizeof(c->text) - 1 - len)) > 0)
		len += n;
	c->text[len] = '\0';
	close(pipefd[0]);
	waitpid(pid, &wstatus, 0);
	c->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

#endif
