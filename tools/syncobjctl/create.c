// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * create.c - `syncobjctl create`: new syncobjs, handed to a command, to a
 * keeper process or (batch mode) to names.  See hold.c for the fd lifetime.
 */
#include <errno.h>
#include <unistd.h>

#include "err.h"
#include "parse.h"
#include "syncobjctl.h"

#define MAX_CREATE 64

struct create_args {
	struct sctl_out out;
	bool signaled;
	int count;
};

enum { OPT_COUNT = 0x3100 };

static const struct argp_option create_options[] = {
	{ "signaled", 's', NULL, 0, "create them signaled", 0 },
	{ "count", OPT_COUNT, "N", 0, "create N syncobjs (default 1)", 0 },
	{ 0 }
};

static error_t create_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct create_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case 's':
		a->signaled = true;
		break;
	case OPT_COUNT:
		if (du_parse_nonneg_int(arg, &a->count) || a->count < 1 || a->count > MAX_CREATE)
			du_usage_error("--count: not a number from 1 to %d: %s", MAX_CREATE, arg);
		break;
	case ARGP_KEY_ARGS:
		a->out.names = state->argv + state->next;
		a->out.nnames = state->argc - state->next;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child create_children[] = {
	{ &sctl_out_argp, 0, "Handing the syncobjs out:", 0 }, { 0 }
};

static const struct argp create_argp = {
	.options = create_options,
	.parser = create_parse_opt,
	.args_doc = "[-- CMD [ARG...]]\n(batch mode) NAME...",
	.doc = "Create syncobjs.  With '-- CMD', run CMD with them inherited and their fd "
	       "numbers in $SYNCOBJ_FD (or --env NAME); otherwise a keeper process holds them "
	       "while the caller (or --owner PID) runs, and one PID:FD reference per syncobj is "
	       "printed for later commands.  In a batch file, name the new syncobjs instead.",
	.children = create_children,
};

static int create_run(int argc, char **argv)
{
	struct create_args a = { .count = 1 };
	int fds[MAX_CREATE], n, status;
	struct du_syncobj_ctx *ctx;

	a.out.env = "SYNCOBJ_FD";
	sctl_out_split(&a.out, &argc, argv);
	status = sctl_parse(&create_argp, argc, argv, &a);
	if (status)
		return status;
	n = sctl_out_count(&a.out, a.count);
	if (n > MAX_CREATE)
		du_usage_error("at most %d syncobjs at a time", MAX_CREATE);

	ctx = sctl_ctx();
	for (int i = 0; i < n; i++) {
		int r = du_syncobj_create(ctx, a.signaled ? DU_SYNCOBJ_CREATE_SIGNALED : 0,
					  &fds[i]);

		if (r) {
			du_report(-r, "%s: cannot create a syncobj", ctx->path);
			while (i--)
				close(fds[i]);
			return r == -ENOTTY || r == -EOPNOTSUPP ? DU_EXIT_NOFEATURE
								: DU_EXIT_FAILURE;
		}
	}
	return sctl_out_deliver(&a.out, fds, n, n > 1 ? "syncobjs" : "syncobj");
}

const struct du_cmd cmd_create = {
	"create",
	create_run,
	"create syncobjs for a command, a keeper process or names",
};
