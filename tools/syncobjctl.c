// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syncobjctl - create, signal, wait on and inspect DRM syncobjs from the shell.
 *
 * This file holds the command table, the global options, the choice of back
 * end and the features table; each command lives in syncobjctl/.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xf86drm.h>

#include "cmd.h"
#include "err.h"
#include "fdref.h"
#include "feature.h"
#include "parse.h"
#include "syncobj.h"
#include "syncobjctl/syncobjctl.h"

struct sctl sctl;

/* ---- back end ----------------------------------------------------------- */

static const char *drm_feature_missing_text(void)
{
	return "no render node reports DRM_CAP_SYNCOBJ";
}

struct du_syncobj_ctx *sctl_ctx(void)
{
	const char *path = sctl.device;
	int r;

	if (sctl.ctx_open)
		return &sctl.ctx;
	r = du_syncobj_open(&sctl.ctx, path);
	if (r == -ENODEV && !path)
		du_die(DU_EXIT_NOFEATURE, 0,
		       "kernel feature syncobj-dev (CONFIG_SYNCOBJ_DEV) is missing: %s is absent "
		       "and %s (see '%s features')",
		       DU_SYNCOBJ_DEV_PATH, drm_feature_missing_text(), du_program_name);
	if (r == -EOPNOTSUPP)
		du_die(DU_EXIT_NOFEATURE, 0,
		       "kernel feature drm-syncobj (a DRM driver with DRIVER_SYNCOBJ) is missing: "
		       "%s (%s) does not report DRM_CAP_SYNCOBJ",
		       path, sctl.ctx.driver);
	if (r == -ENOTTY)
		du_die(DU_EXIT_USAGE, 0, "%s: neither %s nor a DRM device node", path,
		       DU_SYNCOBJ_DEV_PATH);
	if ((r == -ENOENT || r == -ENODEV || r == -ENXIO) && path &&
	    streq(path, DU_SYNCOBJ_DEV_PATH))
		du_die(DU_EXIT_NOFEATURE, -r,
		       "kernel feature syncobj-dev (CONFIG_SYNCOBJ_DEV) is missing: %s", path);
	if (r)
		du_die(DU_EXIT_FAILURE, -r, "%s: cannot open", path ? path : DU_SYNCOBJ_DEV_PATH);
	if (sctl.raw_used)
		sctl.ctx.raw = &sctl.raw;
	sctl.ctx_open = true;
	return &sctl.ctx;
}

struct du_syncobj_ctx *sctl_ctx_try(void)
{
	if (sctl.ctx_open)
		return &sctl.ctx;
	if (du_syncobj_open(&sctl.ctx, sctl.device))
		return NULL;
	if (sctl.raw_used)
		sctl.ctx.raw = &sctl.raw;
	sctl.ctx_open = true;
	return &sctl.ctx;
}

void sctl_need_cap(unsigned int cap)
{
	struct du_syncobj_ctx *ctx = sctl_ctx();

	if ((ctx->caps & cap) == cap)
		return;
	if (cap & DU_SYNCOBJ_CAP_TIMELINE && !(ctx->caps & DU_SYNCOBJ_CAP_TIMELINE))
		du_die(DU_EXIT_NOFEATURE, 0,
		       "kernel feature drm-syncobj-timeline (a DRM driver with "
		       "DRIVER_SYNCOBJ_TIMELINE) is missing: %s (%s) does not report "
		       "DRM_CAP_SYNCOBJ_TIMELINE, so it has no timeline points",
		       ctx->path, ctx->driver);
	du_die(DU_EXIT_NOFEATURE, 0,
	       "kernel feature drm-syncobj-eventfd (Linux 6.6 DRM_IOCTL_SYNCOBJ_EVENTFD) is "
	       "missing: %s (%s) does not know the ioctl",
	       ctx->path, ctx->driver);
}

void sctl_need_deadline(void)
{
	struct du_syncobj_ctx *ctx = sctl_ctx();
	int r = du_syncobj_probe_deadline(ctx);

	if (r == 1)
		return;
	if (ctx->backend == DU_SYNCOBJ_BACKEND_DEV)
		du_die(DU_EXIT_NOFEATURE, r < 0 ? -r : 0,
		       "kernel feature syncobj-dev-deadline (SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE) is "
		       "missing: %s refuses the flag",
		       ctx->path);
	du_die(DU_EXIT_NOFEATURE, r < 0 ? -r : 0,
	       "kernel feature drm-syncobj-deadline (Linux 6.4 "
	       "DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE) "
	       "is missing: %s (%s) refuses the flag",
	       ctx->path, ctx->driver);
}

int sctl_parse(const struct argp *argp, int argc, char **argv, void *input)
{
	const char *cmd = strchr(argv[0], ' ');

	if (!sctl.batch) {
		argp_parse(argp, argc, argv, 0, NULL, input);
		return 0;
	}
	/* A batch goes on being one process: argp must neither exit nor offer --help. */
	if (argp_parse(argp, argc, argv, ARGP_NO_EXIT | ARGP_NO_HELP, NULL, input)) {
		du_report(0, "%s: invalid arguments", cmd ? cmd + 1 : argv[0]);
		return DU_EXIT_USAGE;
	}
	return 0;
}

/* ---- features ----------------------------------------------------------- */

/* The render node the DRM probes look at: --device if it is one, else the first usable. */
static int probe_open_drm(struct du_probe *p, struct du_syncobj_ctx *ctx)
{
	char path[32];
	bool any = false;

	if (sctl.device && du_syncobj_is_drm_node(sctl.device)) {
		int r = du_syncobj_open(ctx, sctl.device);

		if (r == -EOPNOTSUPP)
			du_probe_set(p, DU_FEATURE_MISSING,
				     "%s (%s) does not report DRM_CAP_SYNCOBJ", sctl.device,
				     ctx->driver);
		else if (r)
			du_probe_set(p, DU_FEATURE_UNKNOWN, "%s: cannot open (%s)", sctl.device,
				     strerror(-r));
		return r;
	}
	for (int minor = 128; minor < 192; minor++) {
		snprintf(path, sizeof(path), "/dev/dri/renderD%d", minor);
		if (access(path, F_OK))
			continue;
		any = true;
		if (du_syncobj_open(ctx, path) == 0)
			return 0;
	}
	du_probe_set(p, DU_FEATURE_MISSING, "%s",
		     any ? drm_feature_missing_text() : "no /dev/dri/renderD* node can be opened");
	return -ENODEV;
}

static void probe_drm_syncobj(struct du_probe *p)
{
	struct du_syncobj_ctx ctx;

	if (probe_open_drm(p, &ctx))
		return;
	du_probe_set(p, DU_FEATURE_PRESENT, "%s (%s) reports DRM_CAP_SYNCOBJ", ctx.path,
		     ctx.driver);
	du_syncobj_close(&ctx);
}

static void probe_drm_syncobj_timeline(struct du_probe *p)
{
	struct du_syncobj_ctx ctx;

	if (probe_open_drm(p, &ctx))
		return;
	if (ctx.caps & DU_SYNCOBJ_CAP_TIMELINE)
		du_probe_set(p, DU_FEATURE_PRESENT, "%s (%s) reports DRM_CAP_SYNCOBJ_TIMELINE",
			     ctx.path, ctx.driver);
	else
		du_probe_set(p, DU_FEATURE_MISSING,
			     "%s (%s) does not report DRM_CAP_SYNCOBJ_TIMELINE", ctx.path,
			     ctx.driver);
	du_syncobj_close(&ctx);
}

static void probe_drm_syncobj_eventfd(struct du_probe *p)
{
	struct du_syncobj_ctx ctx;
	int r;

	if (probe_open_drm(p, &ctx))
		return;
	r = du_syncobj_probe_eventfd(&ctx);
	if (r == 1)
		du_probe_set(p, DU_FEATURE_PRESENT, "DRM_IOCTL_SYNCOBJ_EVENTFD known to %s (%s)",
			     ctx.path, ctx.driver);
	else if (r == 0)
		du_probe_set(p, DU_FEATURE_MISSING,
			     "%s (%s) refuses DRM_IOCTL_SYNCOBJ_EVENTFD (kernel without it, or "
			     "driver without DRIVER_SYNCOBJ_TIMELINE)",
			     ctx.path, ctx.driver);
	else
		du_probe_set(p, DU_FEATURE_UNKNOWN, "DRM_IOCTL_SYNCOBJ_EVENTFD returns %s",
			     strerrorname_np(-r));
	du_syncobj_close(&ctx);
}

static void probe_deadline(struct du_probe *p, struct du_syncobj_ctx *ctx)
{
	int r = du_syncobj_probe_deadline(ctx);

	if (r == 1)
		du_probe_set(p, DU_FEATURE_PRESENT, "%s (%s) accepts WAIT_DEADLINE", ctx->path,
			     ctx->driver);
	else if (r == 0)
		du_probe_set(p, DU_FEATURE_MISSING, "%s (%s) refuses WAIT_DEADLINE with EINVAL",
			     ctx->path, ctx->driver);
	else
		du_probe_set(p, DU_FEATURE_UNKNOWN, "deadline probe on %s failed: %s", ctx->path,
			     strerror(-r));
}

static void probe_drm_syncobj_deadline(struct du_probe *p)
{
	struct du_syncobj_ctx ctx;

	if (probe_open_drm(p, &ctx))
		return;
	probe_deadline(p, &ctx);
	du_syncobj_close(&ctx);
}

static int probe_open_dev(struct du_probe *p, struct du_syncobj_ctx *ctx)
{
	const char *path = DU_SYNCOBJ_DEV_PATH;
	int r;

	if (sctl.device && !du_syncobj_is_drm_node(sctl.device))
		path = sctl.device;
	r = du_syncobj_open(ctx, path);
	if (r == -ENOENT || r == -ENODEV || r == -ENXIO)
		du_probe_set(p, DU_FEATURE_MISSING, "%s: device node absent (%s)", path,
			     strerror(-r));
	else if (r == -ENOTTY)
		du_probe_set(p, DU_FEATURE_MISSING, "%s is not the syncobj device (ENOTTY)", path);
	else if (r)
		du_probe_set(p, DU_FEATURE_UNKNOWN, "%s: cannot open (%s)", path, strerror(-r));
	return r;
}

/*
 * Each /dev/syncobj ioctl with deliberately bad arguments: a kernel that
 * has it refuses the arguments, one that does not answers ENOTTY.
 */
struct dev_ioctl_probe {
	const char *name;
	int (*call)(struct du_syncobj_ctx *ctx);
};

static int call_create(struct du_syncobj_ctx *ctx)
{
	int fd = -1, r = du_syncobj_create(ctx, ~0u, &fd);

	if (fd >= 0 && !r)
		close(fd);
	return r;
}

static int call_wait(struct du_syncobj_ctx *ctx)
{
	int fd = -1;

	return du_syncobj_wait(ctx, &fd, NULL, 1, ~0u, 0, 0, NULL);
}

static int call_reset(struct du_syncobj_ctx *ctx)
{
	int fd = -1;

	return du_syncobj_reset(ctx, &fd, 1);
}

static int call_signal(struct du_syncobj_ctx *ctx)
{
	int fd = -1;

	return du_syncobj_signal(ctx, &fd, NULL, 1);
}

static int call_query(struct du_syncobj_ctx *ctx)
{
	int fd = -1;
	uint64_t point;

	return du_syncobj_query(ctx, &fd, &point, 1, 0);
}

static int call_transfer(struct du_syncobj_ctx *ctx)
{
	return du_syncobj_transfer(ctx, -1, 0, -1, 0, 0);
}

static int call_eventfd(struct du_syncobj_ctx *ctx)
{
	return du_syncobj_eventfd(ctx, -1, -1, 0, 0);
}

static int call_export(struct du_syncobj_ctx *ctx)
{
	int fd = -1;

	return du_syncobj_export_sync_file(ctx, -1, 0, &fd);
}

static int call_import(struct du_syncobj_ctx *ctx)
{
	return du_syncobj_import_sync_file(ctx, -1, 0, -1);
}

static const struct dev_ioctl_probe dev_ioctls[] = {
	{ "CREATE", call_create },
	{ "WAIT", call_wait },
	{ "RESET", call_reset },
	{ "SIGNAL", call_signal },
	{ "QUERY", call_query },
	{ "TRANSFER", call_transfer },
	{ "EVENTFD", call_eventfd },
	{ "EXPORT_SYNC_FILE", call_export },
	{ "IMPORT_SYNC_FILE", call_import },
};

static void probe_syncobj_dev(struct du_probe *p)
{
	static const int known[] = { EINVAL, EBADF, EFAULT, 0 };
	struct du_syncobj_ctx ctx;
	char missing[160] = "";
	size_t nmissing = 0;

	if (probe_open_dev(p, &ctx))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(dev_ioctls); i++) {
		struct du_probe one = { DU_FEATURE_UNKNOWN, "" };

		du_probe_ioctl_errno(&one, dev_ioctls[i].name, -dev_ioctls[i].call(&ctx), known);
		if (one.state == DU_FEATURE_PRESENT)
			continue;
		nmissing++;
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
			 nmissing > 1 ? ", " : "", dev_ioctls[i].name);
	}
	if (nmissing)
		du_probe_set(p, DU_FEATURE_MISSING, "%s: %zu of %zu ioctls unknown: %s", ctx.path,
			     nmissing, ARRAY_SIZE(dev_ioctls), missing);
	else
		du_probe_set(p, DU_FEATURE_PRESENT, "%s: all %zu SYNCOBJ_IOC_* ioctls known",
			     ctx.path, ARRAY_SIZE(dev_ioctls));
	du_syncobj_close(&ctx);
}

static void probe_syncobj_dev_deadline(struct du_probe *p)
{
	struct du_syncobj_ctx ctx;

	if (probe_open_dev(p, &ctx))
		return;
	probe_deadline(p, &ctx);
	du_syncobj_close(&ctx);
}

static void probe_sw_sync(struct du_probe *p)
{
	int fd = du_probe_open(p, "/sys/kernel/debug/sync/sw_sync", O_RDWR);

	if (fd < 0)
		return;
	du_probe_set(p, DU_FEATURE_PRESENT, "/sys/kernel/debug/sync/sw_sync opens");
	close(fd);
}

static void probe_pidfd_getfd(struct du_probe *p)
{
	int pidfd = du_pidfd_open(getpid(), 0), fd;

	if (pidfd < 0) {
		du_probe_set(p, errno == ENOSYS ? DU_FEATURE_MISSING : DU_FEATURE_UNKNOWN,
			     "pidfd_open: %s", strerror(errno));
		return;
	}
	fd = du_pidfd_getfd(pidfd, pidfd, 0);
	if (fd >= 0) {
		du_probe_set(p, DU_FEATURE_PRESENT, "pidfd_getfd() works on this process");
		close(fd);
	} else {
		du_probe_set(p, errno == ENOSYS ? DU_FEATURE_MISSING : DU_FEATURE_UNKNOWN,
			     "pidfd_getfd: %s", strerror(errno));
	}
	close(pidfd);
}

const struct du_feature sctl_features[] = {
	{ "syncobj-dev", "CONFIG_SYNCOBJ_DEV",
	  "/dev/syncobj: syncobjs as fds without a DRM device (default back end)",
	  probe_syncobj_dev },
	{ "syncobj-dev-deadline", "CONFIG_SYNCOBJ_DEV + fence deadlines",
	  "wait --deadline on /dev/syncobj", probe_syncobj_dev_deadline },
	{ "drm-syncobj", "a DRM driver with DRIVER_SYNCOBJ",
	  "binary syncobjs on a render node (libdrm back end)", probe_drm_syncobj },
	{ "drm-syncobj-timeline", "a DRM driver with DRIVER_SYNCOBJ_TIMELINE",
	  "timeline points on a render node", probe_drm_syncobj_timeline },
	{ "drm-syncobj-eventfd", "Linux 6.6 DRM_IOCTL_SYNCOBJ_EVENTFD",
	  "watch and eventfd waits on a render node", probe_drm_syncobj_eventfd },
	{ "drm-syncobj-deadline", "Linux 6.4 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE",
	  "wait --deadline on a render node", probe_drm_syncobj_deadline },
	{ "sw-sync", "CONFIG_SW_SYNC + debugfs",
	  "software sync_file timelines for tests (debugfs sync/sw_sync)", probe_sw_sync },
	{ "pidfd-getfd", "Linux 5.6 pidfd_getfd()", "PID:FD references to other processes' fds",
	  probe_pidfd_getfd },
};

const size_t sctl_nfeatures = ARRAY_SIZE(sctl_features);

/* ---- global options ----------------------------------------------------- */

enum {
	OPT_RAW_FLAGS = 0x2000,
	OPT_RAW_PAD,
	OPT_RAW_COUNT,
	OPT_RAW_TIMEOUT,
};

static const struct argp_option global_options[] = {
	{ "device", 'd', "PATH", 0,
	  "back end: /dev/syncobj or a DRM node such as /dev/dri/renderD128 (default: "
	  "$SYNCOBJCTL_DEVICE, else /dev/syncobj if present, else the first render node with "
	  "syncobjs)",
	  0 },
	{ "file", 'f', "FILE", 0, "run the commands in FILE ('-': stdin), one per line", 0 },
	{ "_flags", OPT_RAW_FLAGS, "N", OPTION_HIDDEN, "ioctl flags field (testing purpose)", 0 },
	{ "_pad", OPT_RAW_PAD, "N", OPTION_HIDDEN, "ioctl pad field (testing purpose)", 0 },
	{ "_count", OPT_RAW_COUNT, "N", OPTION_HIDDEN, "ioctl count field (testing purpose)", 0 },
	{ "_timeout-abs", OPT_RAW_TIMEOUT, "NS", OPTION_HIDDEN,
	  "absolute timeout_nsec field (testing purpose)", 0 },
	{ 0 }
};

static uint32_t parse_raw_u32(const char *opt, const char *arg)
{
	uint32_t v;

	if (du_parse_u32(arg, &v))
		du_usage_error("%s: not a 32-bit number: %s", opt, arg);
	sctl.raw_used = true;
	return v;
}

static error_t global_parse_opt(int key, char *arg, struct argp_state *state)
{
	char *end;

	(void)state;
	switch (key) {
	case 'd':
		sctl.device = arg;
		break;
	case 'f':
		sctl.batch_file = arg;
		break;
	case OPT_RAW_FLAGS:
		sctl.raw.flags = parse_raw_u32("--_flags", arg);
		sctl.raw.flags_set = true;
		break;
	case OPT_RAW_PAD:
		sctl.raw.pad = parse_raw_u32("--_pad", arg);
		sctl.raw.pad_set = true;
		break;
	case OPT_RAW_COUNT:
		sctl.raw.count = parse_raw_u32("--_count", arg);
		sctl.raw.count_set = true;
		break;
	case OPT_RAW_TIMEOUT:
		errno = 0;
		sctl.raw.timeout_nsec = strtoll(arg, &end, 0);
		if (errno || *end || end == arg)
			du_usage_error("--_timeout-abs: not a 64-bit number: %s", arg);
		sctl.raw.timeout_set = true;
		sctl.raw_used = true;
		break;
	case ARGP_KEY_INIT:
		if (!sctl.device) {
			const char *env = getenv("SYNCOBJCTL_DEVICE");

			sctl.device = env && *env ? env : NULL;
		}
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp global_argp = {
	.options = global_options,
	.parser = global_parse_opt,
};

static int run_no_command(void *input)
{
	(void)input;
	if (!sctl.batch_file)
		du_usage_error("no command given");
	return sctl_run_batch(sctl.batch_file);
}

/* ---- commands ----------------------------------------------------------- */

extern const struct du_cmd cmd_create, cmd_signal, cmd_reset, cmd_query, cmd_wait, cmd_transfer,
	cmd_export_sync_file, cmd_import_sync_file, cmd_watch, cmd_ls, cmd_swsync_timeline,
	cmd_swsync_fence, cmd_swsync_inc;

static const struct du_cmd *const commands[] = {
	&cmd_create,
	&cmd_signal,
	&cmd_reset,
	&cmd_query,
	&cmd_wait,
	&cmd_watch,
	&cmd_transfer,
	&cmd_export_sync_file,
	&cmd_import_sync_file,
	&cmd_ls,
	&cmd_swsync_timeline,
	&cmd_swsync_fence,
	&cmd_swsync_inc,
};

const struct du_tool sctl_tool = {
	.name = "syncobjctl",
	.summary = "Create, signal, wait on and inspect DRM syncobjs, on /dev/syncobj or a DRM "
		   "render node.",
	.cmds = commands,
	.ncmds = ARRAY_SIZE(commands),
	.global_argp = &global_argp,
	.global_input = &sctl,
	.features = sctl_features,
	.nfeatures = ARRAY_SIZE(sctl_features),
	.run_no_command = run_no_command,
};

int main(int argc, char **argv)
{
	int status = du_tool_main(&sctl_tool, argc, argv);

	if (sctl.ctx_open)
		du_syncobj_close(&sctl.ctx);
	sctl_names_free();
	return status;
}
