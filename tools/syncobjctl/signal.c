// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * signal.c - `syncobjctl signal` and `syncobjctl reset`: one ioctl for all
 * the syncobjs named, as the kernel takes arrays.
 */
#include "err.h"
#include "syncobjctl.h"

struct array_args {
	char **refs;
	int nrefs;
};

static error_t array_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct array_args *a = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_ARGS:
		a->refs = state->argv + state->next;
		a->nrefs = state->argc - state->next;
		break;
	case ARGP_KEY_NO_ARGS:
		du_usage_error("no syncobj given");
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp signal_argp = {
	.parser = array_parse_opt,
	.args_doc = "REF[@POINT]...",
	.doc = "Signal syncobjs: attach an already signaled fence, at POINT on a timeline.  "
	       "REF is N (an inherited fd), PID:FD (another process's fd) or a batch-mode "
	       "name.  On a render node, a signal without points replaces the fence (binary "
	       "SIGNAL); /dev/syncobj always adds a timeline point (point 0 without @POINT).",
};

static const struct argp reset_argp = {
	.parser = array_parse_opt,
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
	struct array_args a = { 0 };
	struct sref *refs;
	int status, r;

	status = sctl_parse(&signal_argp, argc, argv, &a);
	if (status)
		return status;
	refs = sref_parse_all(a.refs, a.nrefs, true);
	if (any_point(refs, a.nrefs))
		sctl_need_cap(DU_SYNCOBJ_CAP_TIMELINE);
	status = sref_open_all(refs, a.nrefs);
	if (!status) {
		int *fds = sref_fds(refs, a.nrefs);
		uint64_t *points = sref_points(refs, a.nrefs);

		r = du_syncobj_signal(sctl_ctx(), fds, points, a.nrefs);
		if (r)
			status = sctl_fail("signal", -r, refs, a.nrefs, NULL);
		free(fds);
		free(points);
	}
	sref_free_all(refs, a.nrefs);
	return status;
}

static int reset_run(int argc, char **argv)
{
	struct array_args a = { 0 };
	struct sref *refs;
	int status, r;

	status = sctl_parse(&reset_argp, argc, argv, &a);
	if (status)
		return status;
	refs = sref_parse_all(a.refs, a.nrefs, false);
	status = sref_open_all(refs, a.nrefs);
	if (!status) {
		int *fds = sref_fds(refs, a.nrefs);

		r = du_syncobj_reset(sctl_ctx(), fds, a.nrefs);
		if (r)
			status = sctl_fail("reset", -r, refs, a.nrefs, NULL);
		free(fds);
	}
	sref_free_all(refs, a.nrefs);
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
