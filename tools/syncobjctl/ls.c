// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ls.c - `syncobjctl ls`: every syncobj fd of every process, found by the
 * /proc/PID/fd link target every syncobj file has (anon_inode:syncobj_file,
 * on both interfaces), with the timeline position when the fd can be taken
 * (pidfd_getfd: same user and ptrace access, or CAP_SYS_PTRACE) and
 * queried.  Under DMABUF_UTILS_SYSROOT (a fixture /proc) nothing is taken.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "err.h"
#include "fdref.h"
#include "output.h"
#include "parse.h"
#include "procfs.h"
#include "syncobjctl.h"

enum { COL_PID, COL_COMMAND, COL_FD, COL_POINT, COL_SUBMITTED, COL_FLAGS };

static const struct du_colinfo ls_columns[] = {
	[COL_PID] = { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "process id" },
	[COL_COMMAND] = { "COMMAND", 0, 0, SCOLS_JSON_STRING, "process name (comm)" },
	[COL_FD] = { "FD", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "fd number in that process" },
	[COL_POINT] = { "POINT", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			"last signaled point (empty when it cannot be read)" },
	[COL_SUBMITTED] = { "SUBMITTED", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "last submitted point (empty when it cannot be read)" },
	[COL_FLAGS] = { "FLAGS", 0, 0, SCOLS_JSON_STRING, "open flags from fdinfo (octal)" },
};

static const int ls_default_columns[] = { COL_PID, COL_COMMAND, COL_FD, COL_POINT };

struct ls_row {
	pid_t pid;
	int fd;
	char comm[64];
	char flags[24];
	bool readable;
	uint64_t point, submitted;
};

struct ls_args {
	struct du_output out;
	pid_t pid; /* 0: all */
	struct ls_row *rows;
	size_t nrows;
	struct du_syncobj_ctx *ctx; /* NULL: points cannot be read */
	int pidfd; /* of the process being scanned; -1 none, -2 not opened yet */
};

enum { OPT_PID = 0x3500 };

static const struct argp_option ls_options[] = {
	{ "pid", OPT_PID, "PID", 0, "only this process", 0 }, { 0 }
};

static error_t ls_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct ls_args *a = state->input;
	int v;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case OPT_PID:
		if (du_parse_nonneg_int(arg, &v) || v == 0)
			du_usage_error("--pid: not a process id: %s", arg);
		a->pid = v;
		break;
	case ARGP_KEY_ARG:
		du_usage_error("unexpected operand: %s", arg);
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child ls_children[] = { { &du_output_argp, 0, "Output:", 0 }, { 0 } };

static const struct argp ls_argp = {
	.options = ls_options,
	.parser = ls_parse_opt,
	.doc = "List the syncobj fds of every process (or of --pid PID), from /proc.  POINT and "
	       "SUBMITTED are read through pidfd_getfd(), which needs ptrace access to the "
	       "process; they stay empty where it is refused.",
	.children = ls_children,
};

/* Query one fd of the scanned process: take it, ask, drop it. */
static void read_points(struct ls_args *a, struct ls_row *row)
{
	uint64_t point, submitted;
	int fd, r;

	/*
	 * Opened at the first syncobj fd of the process (most have none), and
	 * never while reading a fake /proc: its pids are not these processes.
	 */
	if (a->pidfd == -2)
		a->pidfd = *du_path_root() ? -1 : du_pidfd_open(row->pid, 0);
	if (!a->ctx || a->pidfd < 0)
		return;
	fd = du_pidfd_getfd(a->pidfd, row->fd, 0);
	if (fd < 0)
		return;
	r = du_syncobj_query(a->ctx, &fd, &point, 1, 0);
	if (!r)
		r = du_syncobj_query(a->ctx, &fd, &submitted, 1, DU_SYNCOBJ_QUERY_LAST_SUBMITTED);
	close(fd);
	if (r)
		return;
	row->readable = true;
	row->point = point;
	row->submitted = submitted;
}

static int ls_fd(pid_t pid, int fd, const char *target, void *arg)
{
	struct ls_args *a = arg;
	struct du_kvlist info = { 0 };
	struct ls_row *row;
	const char *flags;

	if (!streq(target, DU_SYNCOBJ_FD_TARGET))
		return 0;
	a->rows = xrealloc(a->rows, (a->nrows + 1) * sizeof(*a->rows));
	row = &a->rows[a->nrows++];
	*row = (struct ls_row){ .pid = pid, .fd = fd };
	du_proc_comm(pid, row->comm, sizeof(row->comm));
	if (du_fdinfo_read(pid, fd, &info) == 0 && (flags = du_kvlist_get(&info, "flags")))
		snprintf(row->flags, sizeof(row->flags), "%s", flags);
	du_kvlist_free(&info);
	read_points(a, row);
	return 0;
}

static int ls_pid(pid_t pid, void *arg)
{
	struct ls_args *a = arg;

	if (a->pid && pid != a->pid)
		return 0;
	a->pidfd = -2;
	du_proc_foreach_fd(pid, ls_fd, a);
	if (a->pidfd >= 0)
		close(a->pidfd);
	return 0;
}

static int row_cmp(const void *x, const void *y)
{
	const struct ls_row *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->fd - b->fd;
}

static int ls_run(int argc, char **argv)
{
	struct ls_args a = { .pidfd = -1 };
	int status = DU_EXIT_SUCCESS, r;

	du_output_init(&a.out, ls_columns, ARRAY_SIZE(ls_columns), ls_default_columns,
		       ARRAY_SIZE(ls_default_columns));
	status = sctl_parse(&ls_argp, argc, argv, &a);
	if (status)
		return status;
	if (a.pid) {
		_cleanup_free_ char *dir = du_path("/proc/%d", (int)a.pid);

		if (access(dir, F_OK)) {
			du_report(errno, "--pid %d: no such process", (int)a.pid);
			return DU_EXIT_FAILURE;
		}
	}
	a.ctx = sctl_ctx_try();
	if (a.ctx && !(a.ctx->caps & DU_SYNCOBJ_CAP_TIMELINE))
		a.ctx = NULL;
	r = du_proc_foreach_pid(ls_pid, &a);
	if (r < 0) {
		_cleanup_free_ char *proc = du_path("/proc");

		du_report(-r, "%s: cannot list", proc);
		return DU_EXIT_FAILURE;
	}
	qsort(a.rows, a.nrows, sizeof(*a.rows), row_cmp);

	du_output_start(&a.out, "syncobjs");
	for (size_t i = 0; i < a.nrows; i++) {
		struct ls_row *row = &a.rows[i];
		struct libscols_line *ln = du_output_new_line(&a.out);

		du_output_set(&a.out, ln, COL_PID, "%d", (int)row->pid);
		du_output_set_str(&a.out, ln, COL_COMMAND, row->comm);
		du_output_set(&a.out, ln, COL_FD, "%d", row->fd);
		if (row->readable) {
			du_output_set(&a.out, ln, COL_POINT, "%" PRIu64, row->point);
			du_output_set(&a.out, ln, COL_SUBMITTED, "%" PRIu64, row->submitted);
		}
		du_output_set_str(&a.out, ln, COL_FLAGS, row->flags[0] ? row->flags : NULL);
	}
	if (du_output_print(&a.out))
		status = DU_EXIT_FAILURE;
	du_output_free(&a.out);
	free(a.rows);
	return status;
}

const struct du_cmd cmd_ls = {
	"ls",
	ls_run,
	"list the syncobj fds of every process, with their points",
};
