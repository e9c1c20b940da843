// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syncfile.c - `syncobjctl export-sync-file` and `import-sync-file`: move
 * fences between syncobjs (points) and sync_file fds, the currency of
 * KMS IN_FENCE_FD, Vulkan and EGL.
 */
#include <errno.h>
#include <stdio.h>

#include "err.h"
#include "syncobjctl.h"

#define SYNC_FILE_TARGET "anon_inode:sync_file"

struct export_args {
	struct sctl_out out;
	char *ref;
};

static error_t export_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct export_args *a = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case ARGP_KEY_ARGS:
		a->ref = state->argv[state->next];
		a->out.names = state->argv + state->next + 1;
		a->out.nnames = state->argc - state->next - 1;
		break;
	case ARGP_KEY_NO_ARGS:
		du_usage_error("no syncobj given");
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child export_children[] = {
	{ &sctl_out_argp, 0, "Handing the sync_file out:", 0 }, { 0 }
};

static const struct argp export_argp = {
	.options = NULL,
	.parser = export_parse_opt,
	.args_doc = "REF[@POINT] [-- CMD [ARG...]]\n(batch mode) REF[@POINT] NAME",
	.doc = "Export the fence of a syncobj (at POINT) as a sync_file.  With '-- CMD', run CMD "
	       "with it inherited and its number in $SYNC_FILE_FD (or --env NAME); otherwise a "
	       "keeper holds it and its PID:FD reference is printed.  The point must have a "
	       "fence (EINVAL otherwise).",
	.children = export_children,
};

static int export_run(int argc, char **argv)
{
	struct export_args a = { 0 };
	struct du_syncobj_ctx *ctx;
	struct sref ref;
	int status, r, fd = -1;

	a.out.env = "SYNC_FILE_FD";
	sctl_out_split(&a.out, &argc, argv);
	status = sctl_parse(&export_argp, argc, argv, &a);
	if (status)
		return status;
	sref_parse(a.ref, &ref, true);
	if (sctl_out_count(&a.out, 1) != 1)
		du_usage_error("one name for the one sync_file");
	ctx = sctl_ctx();
	if (ref.point)
		sctl_need_cap(DU_SYNCOBJ_CAP_TIMELINE);
	status = sref_open(&ref);
	if (status)
		goto out;
	r = du_syncobj_export_sync_file(ctx, ref.fd, ref.point, &fd);
	if (r) {
		const char *hint = NULL;

		if (r == -EINVAL && !sctl.raw_used && ctx->err_index < 0)
			hint = ref.has_point ? "no fence at that point yet" : "no fence yet";
		status = sctl_fail("export-sync-file", -r, &ref, 1, hint);
		goto out;
	}
	status = sctl_out_deliver(&a.out, &fd, 1, "sync_file");
out:
	sref_close(&ref);
	return status;
}

static const struct argp_child import_children[] = {
	{ &sctl_operands_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp import_argp = {
	.children = import_children,
	.args_doc = "REF[@POINT] SYNCFILE",
	.doc = "Import the fence of a sync_file into a syncobj: replacing its fence, or as a "
	       "new timeline point with @POINT.  SYNCFILE is an fd reference like REF (N, "
	       "PID:FD, a batch name), e.g. from export-sync-file or swsync-fence.",
};

static bool is_sync_file(int fd)
{
	char desc[96];

	sctl_describe_fd(fd, desc, sizeof(desc));
	return streq(desc, SYNC_FILE_TARGET);
}

static int import_run(int argc, char **argv)
{
	struct sctl_operands a = { .min = 2,
				   .max = 2,
				   .usage = "need a syncobj and a sync_file: REF[@POINT] "
					    "SYNCFILE" };
	struct du_syncobj_ctx *ctx;
	struct sref refs[2];
	int status, r;

	status = sctl_parse(&import_argp, argc, argv, &a);
	if (status)
		return status;
	sref_parse(a.v[0], &refs[0], true);
	sref_parse(a.v[1], &refs[1], false);
	ctx = sctl_ctx();
	if (refs[0].point)
		sctl_need_cap(DU_SYNCOBJ_CAP_TIMELINE);
	status = sref_open_all(refs, 2);
	if (status)
		goto out;
	r = du_syncobj_import_sync_file(ctx, refs[0].fd, refs[0].point, refs[1].fd);
	if (r == -EINVAL && ctx->err_index < 0 && !is_sync_file(refs[1].fd)) {
		char desc[96], hint[128];

		sctl_describe_fd(refs[1].fd, desc, sizeof(desc));
		snprintf(hint, sizeof(hint), "not a sync_file (%s)", desc);
		status = sctl_fail("import-sync-file", EINVAL, &refs[1], 1, hint);
	} else if (r) {
		status = sctl_fail("import-sync-file", -r, refs, 1, NULL);
	}
out:
	sref_close(&refs[0]);
	sref_close(&refs[1]);
	return status;
}

const struct du_cmd cmd_export_sync_file = {
	"export-sync-file",
	export_run,
	"export a syncobj's fence (at a point) as a sync_file",
};

const struct du_cmd cmd_import_sync_file = {
	"import-sync-file",
	import_run,
	"import a sync_file's fence into a syncobj (at a point)",
};
