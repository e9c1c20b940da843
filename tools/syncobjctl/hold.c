// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hold.c - keeping new syncobj, sync_file and timeline fds alive after
 * syncobjctl exits.
 *
 * A syncobj lives exactly as long as some fd refers to it, so a command
 * that creates one must hand the fd to something that outlives it:
 *
 *   -- CMD...   exec CMD with the fds inherited (numbers in $SYNCOBJ_FD or
 *               --env NAME, placed at --fd N if asked); CMD and whatever it
 *               passes them to own them
 *   (no CMD)    fork a keeper process that holds the fds until its owner
 *               (--owner PID, default: the process that ran syncobjctl,
 *               normally the calling shell) exits or it is killed, and print
 *               one KEEPER_PID:FD reference per fd for later commands
 *   batch mode  bind them to the names given on the line
 *
 * The keeper detaches from the caller's stdio (so `$(syncobjctl create)`
 * returns at once), closes every other fd it inherited, and allows any
 * process of the same user to take its fds with pidfd_getfd() even under
 * Yama ptrace_scope=1 (PR_SET_PTRACER_ANY): that is what it is for.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "err.h"
#include "fdref.h"
#include "parse.h"
#include "syncobjctl.h"

#ifndef PR_SET_PTRACER_ANY
#define PR_SET_PTRACER_ANY ((unsigned long)-1)
#endif

enum {
	OPT_FD = 0x3000,
	OPT_ENV,
	OPT_OWNER,
};

static const struct argp_option out_options[] = {
	{ "env", OPT_ENV, "NAME", 0, "with CMD: variable that gets the fd numbers", 0 },
	{ "fd", OPT_FD, "N", 0, "with CMD: put the (first) fd at number N", 0 },
	{ "owner", OPT_OWNER, "PID", 0,
	  "without CMD: keep the fds while process PID runs (default: the caller)", 0 },
	{ 0 }
};

static error_t out_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct sctl_out *o = state->input;
	int v;

	switch (key) {
	case OPT_ENV:
		if (!*arg || strchr(arg, '='))
			du_usage_error("--env: not a variable name: %s", arg);
		o->env = arg;
		o->env_given = true;
		break;
	case OPT_FD:
		if (du_parse_nonneg_int(arg, &v) || v < 3)
			du_usage_error("--fd: not an fd number of 3 or more: %s", arg);
		o->first_fd = v;
		break;
	case OPT_OWNER:
		if (du_parse_nonneg_int(arg, &v) || v == 0)
			du_usage_error("--owner: not a process id: %s", arg);
		o->owner = v;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp sctl_out_argp = {
	.options = out_options,
	.parser = out_parse_opt,
};

void sctl_out_split(struct sctl_out *o, int *argc, char **argv)
{
	o->first_fd = -1;
	for (int i = 1; i < *argc; i++) {
		if (!streq(argv[i], "--"))
			continue;
		if (sctl.batch)
			du_usage_error("'-- CMD' is not available in batch mode");
		o->cmd = argv + i + 1;
		o->ncmd = *argc - i - 1;
		*argc = i;
		if (!o->ncmd)
			du_usage_error("no command after '--'");
		return;
	}
}

int sctl_out_count(const struct sctl_out *o, int count_opt)
{
	if (!o->cmd && (o->env_given || o->first_fd >= 0))
		du_usage_error("--env and --fd only apply to '-- CMD'");
	if (o->cmd && o->owner)
		du_usage_error("--owner only applies without '-- CMD'");
	if (sctl.batch) {
		if (!o->nnames)
			du_usage_error("batch mode: name the new object(s)");
		for (int i = 0; i < o->nnames; i++)
			if (!sctl_is_name(o->names[i]))
				du_usage_error("%s: not a name (a letter or _, then letters, "
					       "digits, "
					       "_ . -)",
					       o->names[i]);
		return o->nnames;
	}
	if (o->nnames)
		du_usage_error("%s: names only exist in batch mode (-f FILE)", o->names[0]);
	return count_opt;
}

static void close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* ---- -- CMD ------------------------------------------------------------- */

static int place_fds(int *fds, int n, int first)
{
	int tmp[n];

	/* Out of the way first, so a target number never clobbers a source. */
	for (int i = 0; i < n; i++) {
		tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, first + n > 100 ? first + n : 100);
		if (tmp[i] < 0)
			return -errno;
		close(fds[i]);
	}
	for (int i = 0; i < n; i++) {
		fds[i] = dup2(tmp[i], first + i);
		if (fds[i] < 0)
			return -errno;
		close(tmp[i]);
	}
	return 0;
}

static int exec_with_fds(struct sctl_out *o, int *fds, int n)
{
	char list[16 * 64] = "";
	int r = 0;

	if (o->first_fd >= 0)
		r = place_fds(fds, n, o->first_fd);
	for (int i = 0; i < n && !r; i++)
		if (fcntl(fds[i], F_SETFD, 0) < 0)
			r = -errno;
	if (r) {
		du_report(-r, "cannot pass the fds to %s", o->cmd[0]);
		return DU_EXIT_FAILURE;
	}
	for (int i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d", i ? " " : "",
			 fds[i]);
	if (setenv(o->env, list, 1)) {
		du_report(errno, "%s: cannot set", o->env);
		return DU_EXIT_FAILURE;
	}
	fflush(NULL);
	execvp(o->cmd[0], o->cmd);
	/* As env(1) and nice(1): 127 command not found, 126 found but not run. */
	du_report(errno, "%s: cannot run", o->cmd[0]);
	return errno == ENOENT ? 127 : 126;
}

/* ---- keeper ------------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close everything from 3 up except @keep. */
static void close_others(int *keep, int n)
{
	unsigned int from = 3;

	qsort(keep, n, sizeof(*keep), cmp_int);
	for (int i = 0; i < n; i++) {
		if ((unsigned int)keep[i] > from)
			close_range(from, keep[i] - 1, 0);
		if ((unsigned int)keep[i] >= from)
			from = keep[i] + 1;
	}
	close_range(from, ~0u, 0);
}

static __du_noreturn void keeper_main(int *fds, int n, pid_t owner, int ready)
{
	int keep[n + 2], pidfd, devnull, err = 0;
	struct pollfd pfd;

	setsid();
	signal(SIGHUP, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	prctl(PR_SET_NAME, "syncobjctl-hold", 0, 0, 0);
	/* Needed under Yama ptrace_scope=1; EINVAL without Yama is fine. */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	pidfd = du_pidfd_open(owner, 0);
	if (pidfd < 0) {
		err = errno;
		if (write(ready, &err, sizeof(err)) < 0)
			_exit(1);
		_exit(1);
	}
	devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
	}
	memcpy(keep, fds, n * sizeof(*fds));
	keep[n] = pidfd;
	keep[n + 1] = ready;
	close_others(keep, n + 2);
	if (write(ready, &err, sizeof(err)) < 0)
		_exit(1);
	close(ready);

	pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static int hold(struct sctl_out *o, int *fds, int n, const char *what)
{
	pid_t owner = o->owner ? o->owner : getppid();
	int pipefd[2], err = 0;
	ssize_t got;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC)) {
		du_report(errno, "cannot keep the new %s alive: pipe", what);
		return DU_EXIT_FAILURE;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		du_report(errno, "cannot keep the new %s alive: fork", what);
		return DU_EXIT_FAILURE;
	}
	if (pid == 0) {
		close(pipefd[0]);
		keeper_main(fds, n, owner, pipefd[1]);
	}
	close(pipefd[1]);
	do {
		got = read(pipefd[0], &err, sizeof(err));
	} while (got < 0 && errno == EINTR);
	close(pipefd[0]);
	if (got != sizeof(err)) {
		du_report(0, "cannot keep the new %s alive: the keeper process died", what);
		return DU_EXIT_FAILURE;
	}
	if (err) {
		du_report(err, "cannot keep the new %s alive: cannot watch owner process %d", what,
			  (int)owner);
		return DU_EXIT_FAILURE;
	}
	for (int i = 0; i < n; i++)
		printf("%d:%d\n", (int)pid, fds[i]);
	return fflush(stdout) == EOF ? DU_EXIT_FAILURE : DU_EXIT_SUCCESS;
}

int sctl_out_deliver(struct sctl_out *o, int *fds, int n, const char *what)
{
	int status;

	if (sctl.batch) {
		for (int i = 0; i < n; i++) {
			status = sctl_name_add(o->names[i], fds[i]);
			fds[i] = -1;
			if (status) {
				close_all(fds, n);
				return status;
			}
		}
		return DU_EXIT_SUCCESS;
	}
	if (o->cmd) {
		status = exec_with_fds(o, fds, n);
		close_all(fds, n);
		return status;
	}
	status = hold(o, fds, n, what);
	close_all(fds, n);
	return status;
}
