// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * swsync.c - `syncobjctl swsync-*`: software fences from the kernel's
 * sw_sync debugfs interface (CONFIG_SW_SYNC), to stand in for a GPU in
 * tests and demos: a timeline, fences on it (sync_files) that stay
 * unsignaled until the timeline is advanced past their value.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/types.h>

#include "err.h"
#include "parse.h"
#include "sw_sync.h"
#include "syncobjctl.h"

struct swsync_args {
	struct sctl_out out;
	char **ops;
	int nops;
	int want; /* operands before the names */
	bool has_out; /* the argp has sctl_out_argp as its child */
};

static error_t swsync_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct swsync_args *a = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		if (a->has_out)
			state->child_inputs[0] = &a->out;
		break;
	case ARGP_KEY_ARGS:
		a->ops = state->argv + state->next;
		a->nops = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if (a->nops < a->want)
			du_usage_error("missing operand (see --help)");
		if (a->nops > a->want) {
			a->out.names = a->ops + a->want;
			a->out.nnames = a->nops - a->want;
		}
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child swsync_children[] = {
	{ &sctl_out_argp, 0, "Handing the fd out:", 0 }, { 0 }
};

static const struct argp timeline_argp = {
	.parser = swsync_parse_opt,
	.args_doc = "[-- CMD [ARG...]]\n(batch mode) NAME",
	.doc = "Create a sw_sync timeline (value 0).  With '-- CMD', run CMD with it inherited "
	       "and its number in $SW_SYNC_FD (or --env NAME); otherwise a keeper holds it and "
	       "its PID:FD reference is printed.  When the timeline is closed, its unsignaled "
	       "fences signal with an error.",
	.children = swsync_children,
};

static const struct argp fence_argp = {
	.parser = swsync_parse_opt,
	.args_doc = "TIMELINE VALUE [-- CMD [ARG...]]\n(batch mode) TIMELINE VALUE NAME",
	.doc = "Create a sync_file whose fence signals when TIMELINE reaches VALUE.  Handed out "
	       "like export-sync-file ($SYNC_FILE_FD).",
	.children = swsync_children,
};

static const struct argp inc_argp = {
	.parser = swsync_parse_opt,
	.args_doc = "TIMELINE [STEP]",
	.doc = "Advance TIMELINE by STEP (default 1), signaling the fences it passes.",
};

static int swsync_timeline_run(int argc, char **argv)
{
	struct swsync_args a = { .want = 0, .has_out = true };
	int status, fd;

	a.out.env = "SW_SYNC_FD";
	sctl_out_split(&a.out, &argc, argv);
	status = sctl_parse(&timeline_argp, argc, argv, &a);
	if (status)
		return status;
	if (sctl_out_count(&a.out, 1) != 1)
		du_usage_error("one name for the one timeline");
	du_require_feature(sctl_features, sctl_nfeatures, "sw-sync");
	fd = open(SW_SYNC_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		du_report(errno, "%s: cannot open", SW_SYNC_PATH);
		return DU_EXIT_FAILURE;
	}
	return sctl_out_deliver(&a.out, &fd, 1, "sw_sync timeline");
}

static uint32_t parse_value(const char *what, const char *s)
{
	uint32_t v;
	int e = du_parse_u32(s, &v);

	if (e)
		du_usage_error("%s: %s: %s", s, what,
			       e == -ERANGE ? "out of range" : "not a number");
	return v;
}

/* One ioctl on the timeline TEXT refers to; an exit code. */
static int timeline_ioctl(const char *text, unsigned long req, void *arg, const char *what)
{
	struct sref tl;
	int status;

	sref_parse(text, &tl, false);
	status = sref_open(&tl);
	if (!status && ioctl(tl.fd, req, arg)) {
		char desc[96];
		int err = errno;

		sctl_describe_fd(tl.fd, desc, sizeof(desc));
		du_report(err, "%s: cannot %s (%s)", tl.text, what, desc);
		status = DU_EXIT_FAILURE;
	}
	sref_close(&tl);
	return status;
}

static int swsync_fence_run(int argc, char **argv)
{
	struct swsync_args a = { .want = 2, .has_out = true };
	struct sw_sync_create_fence_data data = { .name = "syncobjctl" };
	int status;

	a.out.env = "SYNC_FILE_FD";
	sctl_out_split(&a.out, &argc, argv);
	status = sctl_parse(&fence_argp, argc, argv, &a);
	if (status)
		return status;
	data.value = parse_value("fence value", a.ops[1]);
	if (sctl_out_count(&a.out, 1) != 1)
		du_usage_error("one name for the one sync_file");
	status = timeline_ioctl(a.ops[0], SW_SYNC_IOC_CREATE_FENCE, &data, "create a fence");
	if (status)
		return status;
	fcntl(data.fence, F_SETFD, FD_CLOEXEC);
	return sctl_out_deliver(&a.out, &data.fence, 1, "sync_file");
}

static int swsync_inc_run(int argc, char **argv)
{
	struct swsync_args a = { .want = 1 };
	__u32 step = 1;
	int status;

	status = sctl_parse(&inc_argp, argc, argv, &a);
	if (status)
		return status;
	if (a.nops > 2)
		du_usage_error("too many operands");
	if (a.nops == 2)
		step = parse_value("step", a.ops[1]);
	return timeline_ioctl(a.ops[0], SW_SYNC_IOC_INC, &step, "advance the timeline");
}

const struct du_cmd cmd_swsync_timeline = {
	"swsync-timeline",
	swsync_timeline_run,
	"create a sw_sync timeline (software fences for tests)",
};

const struct du_cmd cmd_swsync_fence = {
	"swsync-fence",
	swsync_fence_run,
	"create a sync_file signaling at a sw_sync timeline value",
};

const struct du_cmd cmd_swsync_inc = {
	"swsync-inc",
	swsync_inc_run,
	"advance a sw_sync timeline, signaling its fences",
};
