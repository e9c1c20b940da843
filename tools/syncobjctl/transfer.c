// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transfer.c - `syncobjctl transfer`: move a fence from one syncobj (point)
 * to another (point): binary to timeline, timeline to binary, or between
 * timelines.
 */
#include <errno.h>

#include "err.h"
#include "syncobjctl.h"

struct transfer_args {
	bool for_submit;
	struct sctl_operands ops;
};

enum { OPT_FOR_SUBMIT = 0x3400 };

static const struct argp_option transfer_options[] = { { "for-submit", OPT_FOR_SUBMIT, NULL, 0,
							 "if SRC has no fence at its point yet, "
							 "wait for one instead of failing",
							 0 },
						       { 0 } };

static error_t transfer_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct transfer_args *a = state->input;

	(void)arg;
	switch (key) {
	case OPT_FOR_SUBMIT:
		a->for_submit = true;
		break;
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->ops;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child transfer_children[] = {
	{ &sctl_operands_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp transfer_argp = {
	.options = transfer_options,
	.parser = transfer_parse_opt,
	.args_doc = "SRC[@POINT] DST[@POINT]",
	.doc = "Transfer the fence of SRC at POINT (its current fence without @POINT) to DST: "
	       "as a new timeline point with DST@POINT, replacing DST's fence without.",
	.children = transfer_children,
};

static int transfer_run(int argc, char **argv)
{
	struct transfer_args a = {
		.ops = { .min = 2,
			 .max = 2,
			 .usage = "need exactly two syncobjs: SRC[@POINT] DST[@POINT]" },
	};
	struct du_syncobj_ctx *ctx;
	struct sref *refs;
	int status, r;

	status = sctl_parse(&transfer_argp, argc, argv, &a);
	if (status)
		return status;
	refs = sref_parse_all(a.ops.v, 2, true);
	sctl_need_cap(DU_SYNCOBJ_CAP_TIMELINE);
	ctx = sctl_ctx();
	status = sref_open_all(refs, 2);
	if (!status) {
		r = du_syncobj_transfer(ctx, refs[0].fd, refs[0].point, refs[1].fd, refs[1].point,
					a.for_submit ? DU_SYNCOBJ_WAIT_FOR_SUBMIT : 0);
		if (r == -EINVAL && !a.for_submit && !sctl.raw_used && ctx->err_index < 0 &&
		    du_syncobj_is_syncobj_fd(refs[0].fd) && du_syncobj_is_syncobj_fd(refs[1].fd))
			status = sctl_fail("transfer", EINVAL, refs, 1,
					   "no fence at that point yet (--for-submit waits for "
					   "one)");
		else if (r)
			status = sctl_fail("transfer", -r, refs, 2, NULL);
	}
	sref_free_all(refs, 2);
	return status;
}

const struct du_cmd cmd_transfer = {
	"transfer",
	transfer_run,
	"move a fence from one syncobj (point) to another",
};
