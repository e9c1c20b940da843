// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * signal.c - `syncobjctl signal` and `syncobjctl reset`: one ioctl for all
 * the syncobjs named, as the kernel takes arrays.
 */
#include "err.h"
#include "syncobjctl.h"

static const struct argp_child operands_child[] = { { &sctl_operands_argp, 0, NULL, 0 }, { 0 } };

static const struct argp signal_argp = {
	.children = operands_child,
	.args_doc = "REF[@POINT]...",
	.doc = "Signal syncobjs: attach an already signaled fence, at POINT on a timeline.  "
	       "REF is N (an inherited fd), PID:FD (another process's fd) or a batch-mode "
	       "name.  On a render node, a signal without points replaces the fence (binary "
	       "SIGNAL); /dev/syncobj always adds a timeline point (point 0 without @POINT).",
};

static const struct argp reset_argp = {
	.children = operands_child,
	.args_doc = "REF...",
	.doc = "Reset syncobjs: drop their fence, so they are unsignaled and unsubmitted.",
};

static bool any_point(const struct sref *refs, int n)
{
	for (int i = 0; i < n; i++)
		if (refs[i].point)
			return true;
	return false;
}

static int signal_run(int argc, char **argv)
{
	struct sctl_operands a = { .min = 1, .usage = "no syncobj given" };
	struct sref *refs;
	int status, r;

	status = sctl_parse(&signal_argp, argc, argv, &a);
	if (status)
		return status;
	refs = sref_parse_all(a.v, a.n, true);
	if (any_point(refs, a.n))
		sctl_need_cap(DU_SYNCOBJ_CAP_TIMELINE);
	status = sref_open_all(refs, a.n);
	if (!status) {
		int *fds = sref_fds(refs, a.n);
		uint64_t *points = sref_points(refs, a.n);

		r = du_syncobj_signal(sctl_ctx(), fds, points, a.n);
		if (r)
			status = sctl_fail("signal", -r, refs, a.n, NULL);
		free(fds);
		free(points);
	}
	sref_free_all(refs, a.n);
	return status;
}

static int reset_run(int argc, char **argv)
{
	struct sctl_operands a = { .min = 1, .usage = "no syncobj given" };
	struct sref *refs;
	int status, r;

	status = sctl_parse(&reset_argp, argc, argv, &a);
	if (status)
		return status;
	refs = sref_parse_all(a.v, a.n, false);
	status = sref_open_all(refs, a.n);
	if (!status) {
		int *fds = sref_fds(refs, a.n);

		r = du_syncobj_reset(sctl_ctx(), fds, a.n);
		if (r)
			status = sctl_fail("reset", -r, refs, a.n, NULL);
		free(fds);
	}
	sref_free_all(refs, a.n);
	return status;
}

const struct du_cmd cmd_signal = {
	"signal",
	signal_run,
	"signal syncobjs (at timeline points)",
};

const struct du_cmd cmd_reset = {
	"reset",
	reset_run,
	"reset syncobjs to unsignaled, without a fence",
};
