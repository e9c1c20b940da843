// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wait.c - `syncobjctl wait`: block until syncobjs (points) signal, or only
 * until they have a fence (--available), with a timeout that exits 4.
 */
#include <errno.h>
#include <stdio.h>

#include "err.h"
#include "parse.h"
#include "syncobjctl.h"

struct wait_args {
	bool any, for_submit, available, quiet;
	const char *timeout_text, *deadline_text;
	int64_t timeout, deadline;
	struct sctl_operands ops;
};

enum {
	OPT_ALL = 0x3300,
	OPT_ANY,
	OPT_FOR_SUBMIT,
	OPT_AVAILABLE,
	OPT_DEADLINE,
};

static const struct argp_option wait_options[] = {
	{ "all", OPT_ALL, NULL, 0, "wait until every one signals (default)", 0 },
	{ "any", OPT_ANY, NULL, 0, "wait until one signals; print which one", 0 },
	{ "timeout", 't', "DUR", 0, "give up after DUR (100ms, 2s, inf; 0 polls); exit 4", 0 },
	{ "for-submit", OPT_FOR_SUBMIT, NULL, 0,
	  "wait for a fence to be attached instead of failing with EINVAL", 0 },
	{ "available", OPT_AVAILABLE, NULL, 0,
	  "wait until the points have a fence (submitted), not until they signal", 0 },
	{ "deadline", OPT_DEADLINE, "DUR", 0, "hint the fences' drivers to be done within DUR", 0 },
	{ "quiet", 'q', NULL, 0, "print no message when the wait times out", 0 },
	{ 0 }
};

static int64_t parse_dur(const char *opt, const char *arg)
{
	int64_t ns;
	int e = du_parse_duration(arg, &ns);

	if (e)
		du_usage_error("%s: %s duration: %s", opt, e == -ERANGE ? "out of range" : "bad",
			       arg);
	return ns;
}

static error_t wait_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct wait_args *a = state->input;

	switch (key) {
	case OPT_ALL:
		a->any = false;
		break;
	case OPT_ANY:
		a->any = true;
		break;
	case 't':
		a->timeout = parse_dur("--timeout", arg);
		a->timeout_text = arg;
		break;
	case OPT_FOR_SUBMIT:
		a->for_submit = true;
		break;
	case OPT_AVAILABLE:
		a->available = true;
		break;
	case OPT_DEADLINE:
		a->deadline = parse_dur("--deadline", arg);
		a->deadline_text = arg;
		break;
	case 'q':
		a->quiet = true;
		break;
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->ops;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child wait_children[] = { { &sctl_operands_argp, 0, NULL, 0 }, { 0 } };

static const struct argp wait_argp = {
	.options = wait_options,
	.parser = wait_parse_opt,
	.args_doc = "REF[@POINT]...",
	.doc = "Wait for syncobjs to signal (at POINT on a timeline).  Without --for-submit a "
	       "point that has no fence yet fails at once with EINVAL.\vExit status: 0 "
	       "signaled, 4 timed out, 1 the kernel refused the wait.\n",
	.children = wait_children,
};

static int wait_run(int argc, char **argv)
{
	struct wait_args a = { .timeout = DU_DURATION_INFINITE,
			       .ops = { .min = 1, .usage = "no syncobj given" } };
	struct du_syncobj_ctx *ctx;
	uint32_t flags = 0, first = 0;
	int64_t timeout_abs, deadline_abs = 0;
	uint64_t *points = NULL;
	struct sref *refs;
	int *fds = NULL;
	int status, r;
	bool has_points = false;

	status = sctl_parse(&wait_argp, argc, argv, &a);
	if (status)
		return status;
	refs = sref_parse_all(a.ops.v, a.ops.n, true);
	for (int i = 0; i < a.ops.n; i++)
		has_points |= refs[i].point != 0;
	ctx = sctl_ctx();
	if (has_points || a.available)
		sctl_need_cap(DU_SYNCOBJ_CAP_TIMELINE);
	if (a.deadline_text) {
		sctl_need_deadline();
		flags |= DU_SYNCOBJ_WAIT_DEADLINE;
		deadline_abs = sctl_deadline(a.deadline);
	}
	flags |= a.any ? 0 : DU_SYNCOBJ_WAIT_ALL;
	flags |= a.for_submit ? DU_SYNCOBJ_WAIT_FOR_SUBMIT : 0;
	flags |= a.available ? DU_SYNCOBJ_WAIT_AVAILABLE : 0;

	status = sref_open_all(refs, a.ops.n);
	if (status)
		goto out;
	fds = sref_fds(refs, a.ops.n);
	points = sref_points(refs, a.ops.n);
	/* 0 asks the kernel to poll; anything else is an absolute CLOCK_MONOTONIC time. */
	timeout_abs = a.timeout ? sctl_deadline(a.timeout) : 0;
	r = du_syncobj_wait(ctx, fds, points, a.ops.n, flags, timeout_abs, deadline_abs, &first);
	if (r == -ETIME && a.quiet) {
		status = DU_EXIT_TIMEOUT;
	} else if (r == -ETIME) {
		char hint[64];

		snprintf(hint, sizeof(hint), "timed out after %s",
			 a.timeout_text ? a.timeout_text : "the timeout");
		status = sctl_fail("wait", ETIME, refs, a.ops.n, hint);
	} else if (r) {
		const char *hint = NULL;

		if (r == -EINVAL && !a.for_submit && !sctl.raw_used)
			hint = "no fence at a point yet (--for-submit waits for one)";
		status = sctl_fail("wait", -r, refs, a.ops.n, hint);
	} else if (a.any) {
		if (first < (uint32_t)a.ops.n)
			printf("%s\n", refs[first].text);
		else
			printf("%u\n", first);
		if (fflush(stdout) == EOF)
			status = DU_EXIT_FAILURE;
	}
out:
	free(fds);
	free(points);
	sref_free_all(refs, a.ops.n);
	return status;
}

const struct du_cmd cmd_wait = {
	"wait",
	wait_run,
	"wait for syncobjs (points) to signal or become available",
};
