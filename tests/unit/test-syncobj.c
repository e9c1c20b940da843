// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for common/syncobj.c on a host without syncobjs: choosing the
 * back end from a path, refusing what is neither /dev/syncobj nor a DRM
 * node, telling syncobj fds from others, and the default's fallback.  The
 * ioctls themselves are tested in the VM (tests/vm/guest/syncobj-*.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "syncobj.h"
#include "tap.h"

static void test_paths(void)
{
	struct du_syncobj_ctx ctx;
	char tmp[] = "/tmp/test-syncobj-XXXXXX";
	int fd = mkstemp(tmp);

	CHECK(fd >= 0);
	CHECK(!du_syncobj_is_drm_node("/dev/null"));
	CHECK(!du_syncobj_is_drm_node(tmp));
	CHECK(!du_syncobj_is_drm_node("/nonexistent/renderD128"));

	CHECK_INT(-ENOTTY, du_syncobj_open(&ctx, "/dev/null"), "/dev/null is no syncobj device");
	CHECK_INT(-1, ctx.fd, "... and nothing stays open");
	CHECK_INT(-ENOTTY, du_syncobj_open(&ctx, tmp), "a regular file is no syncobj device");
	CHECK_INT(-ENOENT, du_syncobj_open(&ctx, "/nonexistent/syncobj"), "missing path: ENOENT");
	CHECK_INT(-1, ctx.fd, "... nothing open");
	close(fd);
	unlink(tmp);
}

static void test_fds(void)
{
	int p[2];

	CHECK(pipe(p) == 0);
	CHECK(!du_syncobj_is_syncobj_fd(p[0]));
	CHECK(!du_syncobj_is_syncobj_fd(STDIN_FILENO + 1000));
	close(p[0]);
	close(p[1]);
	CHECK(!du_syncobj_is_syncobj_fd(p[0]));
}

static void test_default(void)
{
	struct du_syncobj_ctx ctx;
	int r;

	/* Only meaningful where neither back end exists (the usual build host). */
	if (access(DU_SYNCOBJ_DEV_PATH, F_OK) == 0 || access("/dev/dri", F_OK) == 0) {
		tap_ok(true, "default back end: skipped, this host has one # SKIP");
		return;
	}
	r = du_syncobj_open(&ctx, NULL);
	CHECK_INT(-ENODEV, r, "no /dev/syncobj and no render node: ENODEV");
	CHECK_INT(-1, ctx.fd, "... nothing open");
}

static void test_names(void)
{
	struct du_syncobj_ctx ctx = { .backend = DU_SYNCOBJ_BACKEND_DEV };

	CHECK_STR("syncobj-dev", du_syncobj_backend_name(&ctx), "device back end name");
	ctx.backend = DU_SYNCOBJ_BACKEND_DRM;
	CHECK_STR("drm", du_syncobj_backend_name(&ctx), "render node back end name");
}

int main(void)
{
	test_paths();
	test_fds();
	test_default();
	test_names();
	return tap_done();
}
