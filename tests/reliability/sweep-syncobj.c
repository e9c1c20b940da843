// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sweep-syncobj.c - fail-nth sweep cases for DRM syncobjs: every ioctl of
 * /dev/syncobj (kernel/patches: misc/syncobj) and the DRM syncobj ioctls on
 * a render node with DRIVER_SYNCOBJ (vgem with the test-only patch),
 * including DRM_IOCTL_SYNCOBJ_EVENTFD.
 *
 * Besides "success or ENOMEM", the checks hold each ioctl to all or
 * nothing: a failed SIGNAL signals no point, a failed TRANSFER or import
 * adds no fence, a failed EVENTFD registration never fires and a
 * successful one fires exactly once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include <linux/sync_file.h>
#include <linux/syncobj.h>

#include "drm_compat.h"
#include "sw_sync.h"
#include "sweep.h"

struct so_ctx {
	int dev; /* /dev/syncobj, or the DRM render node */
	bool drm;
	int fd[2]; /* syncobj fds (device) */
	uint32_t h[2]; /* syncobj handles (DRM) */
	int ev, timeline, sync_file, out;
	uint32_t outh;
};

static void so_init(struct so_ctx *c)
{
	*c = (struct so_ctx){
		.dev = -1, .fd = { -1, -1 }, .ev = -1, .timeline = -1, .sync_file = -1, .out = -1
	};
}

static int dev_setup(void **ctx)
{
	struct so_ctx *c = xcalloc(1, sizeof(*c));

	so_init(c);
	*ctx = c;
	c->dev = sweep_open("/dev/syncobj", O_RDWR);
	return c->dev < 0 ? c->dev : 0;
}

/* The first render node whose driver has DRM_CAP_SYNCOBJ_TIMELINE. */
static int drm_setup(void **ctx)
{
	struct so_ctx *c = xcalloc(1, sizeof(*c));

	so_init(c);
	c->drm = true;
	*ctx = c;
	for (int i = 128; i < 136; i++) {
		struct drm_get_cap cap = { .capability = DRM_CAP_SYNCOBJ_TIMELINE };
		char path[32];
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		fd = sweep_open(path, O_RDWR);
		if (fd < 0)
			continue;
		if (!sweep_ioctl(fd, DRM_IOCTL_GET_CAP, &cap) && cap.value) {
			c->dev = fd;
			printf("# syncobjs on %s\n", path);
			return 0;
		}
		close(fd);
	}
	return -EOPNOTSUPP;
}

static void so_release(struct so_ctx *c)
{
	for (int i = 0; i < 2; i++) {
		sweep_close(&c->fd[i]);
		if (c->h[i]) {
			struct drm_syncobj_destroy d = { .handle = c->h[i] };

			ioctl(c->dev, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
			c->h[i] = 0;
		}
	}
	if (c->outh) {
		struct drm_syncobj_destroy d = { .handle = c->outh };

		ioctl(c->dev, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
		c->outh = 0;
	}
	sweep_close(&c->ev);
	sweep_close(&c->timeline);
	sweep_close(&c->sync_file);
	sweep_close(&c->out);
}

static void so_teardown(void *ctx)
{
	struct so_ctx *c = ctx;

	so_release(c);
	sweep_close(&c->dev);
	free(c);
}

static int so_create(struct so_ctx *c, int i, bool signaled)
{
	int r;

	if (c->drm) {
		struct drm_syncobj_create a = { .flags = signaled ? DRM_SYNCOBJ_CREATE_SIGNALED
								  : 0 };

		r = sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_CREATE, &a);
		if (!r)
			c->h[i] = a.handle;
	} else {
		struct syncobj_create_args a = { .flags = signaled ? SYNCOBJ_CREATE_SIGNALED : 0 };

		r = sweep_ioctl(c->dev, SYNCOBJ_IOC_CREATE, &a);
		if (!r)
			c->fd[i] = a.fd;
	}
	return r;
}

static int so_signal_point(struct so_ctx *c, int i, uint64_t point)
{
	if (c->drm) {
		struct drm_syncobj_timeline_array a = {
			.handles = (uintptr_t)&c->h[i],
			.points = (uintptr_t)&point,
			.count_handles = 1,
		};

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
	} else {
		struct syncobj_array_args a = {
			.fds = (uintptr_t)&c->fd[i],
			.points = (uintptr_t)&point,
			.count = 1,
		};

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_SIGNAL, &a);
	}
}

static int so_query(struct so_ctx *c, int n, uint64_t *points)
{
	if (c->drm) {
		struct drm_syncobj_timeline_array a = {
			.handles = (uintptr_t)c->h,
			.points = (uintptr_t)points,
			.count_handles = n,
		};

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_QUERY, &a);
	} else {
		struct syncobj_array_args a = {
			.fds = (uintptr_t)c->fd,
			.points = (uintptr_t)points,
			.count = n,
		};

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_QUERY, &a);
	}
}

/* Point @point of syncobj @i has a fence (signaled or not): 0, -ETIME if not. */
static int so_available(struct so_ctx *c, int i, uint64_t point)
{
	if (c->drm) {
		struct drm_syncobj_timeline_wait w = {
			.handles = (uintptr_t)&c->h[i],
			.points = (uintptr_t)&point,
			.count_handles = 1,
			.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE |
				 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
		};

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
	} else {
		struct syncobj_wait_args w = {
			.fds = (uintptr_t)&c->fd[i],
			.points = (uintptr_t)&point,
			.count = 1,
			.flags = SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE |
				 SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
		};

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_WAIT, &w);
	}
}

static int release_check(void *ctx, const struct fn_run *r)
{
	(void)r;
	so_release(ctx);
	return 0;
}

/* --- create --------------------------------------------------------------- */

static int create_run(void *ctx)
{
	return so_create(ctx, 0, true);
}

static int create_check(void *ctx, const struct fn_run *r)
{
	struct so_ctx *c = ctx;
	int status = 0;

	if (r->ret == 0 && so_available(c, 0, 0)) {
		fn_fail("create: new signaled syncobj has no fence");
		status = -1;
	}
	so_release(c);
	return status;
}

/* --- wait ----------------------------------------------------------------- */

static int two_signaled(void *ctx)
{
	int r = so_create(ctx, 0, true);

	return r ? r : so_create(ctx, 1, true);
}

static int wait_run(void *ctx)
{
	struct so_ctx *c = ctx;

	if (c->drm) {
		struct drm_syncobj_wait w = {
			.handles = (uintptr_t)c->h,
			.count_handles = 2,
			.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
		};

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_WAIT, &w);
	} else {
		struct syncobj_wait_args w = {
			.fds = (uintptr_t)c->fd,
			.count = 2,
			.flags = SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
		};

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_WAIT, &w);
	}
}

static int one_pending(void *ctx)
{
	return so_create(ctx, 0, false);
}

static int64_t now_plus_ms(int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec + ms * 1000000LL;
}

/* Waiting for a point nobody submits: times out (-ETIME), the wait-queue path. */
static int wait_timeout_run(void *ctx)
{
	struct so_ctx *c = ctx;
	uint64_t point = 2;

	if (c->drm) {
		struct drm_syncobj_timeline_wait w = {
			.handles = (uintptr_t)&c->h[0],
			.points = (uintptr_t)&point,
			.timeout_nsec = now_plus_ms(2),
			.count_handles = 1,
			.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
		};

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
	} else {
		struct syncobj_wait_args w = {
			.fds = (uintptr_t)&c->fd[0],
			.points = (uintptr_t)&point,
			.timeout_nsec = now_plus_ms(2),
			.count = 1,
			.flags = SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
		};

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_WAIT, &w);
	}
}

static const int enomem_etime[] = { ENOMEM, ETIME, 0 };

/* --- reset ---------------------------------------------------------------- */

static int reset_run(void *ctx)
{
	struct so_ctx *c = ctx;

	if (c->drm) {
		struct drm_syncobj_array a = { .handles = (uintptr_t)c->h, .count_handles = 2 };

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_RESET, &a);
	} else {
		struct syncobj_array_args a = { .fds = (uintptr_t)c->fd, .count = 2 };

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_RESET, &a);
	}
}

static int reset_check(void *ctx, const struct fn_run *r)
{
	struct so_ctx *c = ctx;
	int status = 0;

	for (int i = 0; i < 2; i++) {
		bool has = so_available(c, i, 0) == 0;

		if (r->ret == 0 && has) {
			fn_fail("reset: syncobj %d still has a fence", i);
			status = -1;
		}
	}
	so_release(c);
	return status;
}

/* --- signal (timeline points) -------------------------------------------- */

static const uint64_t signal_points[2] = { 3, 5 };

static int two_pending(void *ctx)
{
	int r = so_create(ctx, 0, false);

	return r ? r : so_create(ctx, 1, false);
}

static int signal_run(void *ctx)
{
	struct so_ctx *c = ctx;

	if (c->drm) {
		struct drm_syncobj_timeline_array a = {
			.handles = (uintptr_t)c->h,
			.points = (uintptr_t)signal_points,
			.count_handles = 2,
		};

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
	} else {
		struct syncobj_array_args a = {
			.fds = (uintptr_t)c->fd,
			.points = (uintptr_t)signal_points,
			.count = 2,
		};

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_SIGNAL, &a);
	}
}

/* All or nothing: both points signaled, or neither. */
static int signal_check(void *ctx, const struct fn_run *r)
{
	struct so_ctx *c = ctx;
	uint64_t got[2] = { 0, 0 };
	int status = 0, q;

	q = so_query(c, 2, got);
	if (q) {
		fn_fail("signal: query after the run: %s", fn_errname(-q));
		status = -1;
	} else if (r->ret == 0 && (got[0] != 3 || got[1] != 5)) {
		fn_fail("signal: succeeded, points now %llu and %llu, not 3 and 5",
			(unsigned long long)got[0], (unsigned long long)got[1]);
		status = -1;
	} else if (r->ret != 0 && (got[0] || got[1])) {
		fn_fail("signal: failed with %s but signaled points %llu and %llu",
			fn_errname(-r->ret), (unsigned long long)got[0],
			(unsigned long long)got[1]);
		status = -1;
	}
	so_release(c);
	return status;
}

/* --- query ---------------------------------------------------------------- */

static int query_prepare(void *ctx)
{
	int r = two_pending(ctx);

	return r ? r : signal_run(ctx);
}

static int query_run(void *ctx)
{
	uint64_t got[2];

	return so_query(ctx, 2, got);
}

/* --- transfer ------------------------------------------------------------- */

static int transfer_prepare(void *ctx)
{
	struct so_ctx *c = ctx;
	int r = two_pending(c);

	return r ? r : so_signal_point(c, 0, 2);
}

static int transfer_run(void *ctx)
{
	struct so_ctx *c = ctx;

	if (c->drm) {
		struct drm_syncobj_transfer t = {
			.src_handle = c->h[0],
			.dst_handle = c->h[1],
			.src_point = 2,
			.dst_point = 7,
		};

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_TRANSFER, &t);
	} else {
		struct syncobj_transfer_args t = {
			.src_fd = c->fd[0],
			.dst_fd = c->fd[1],
			.src_point = 2,
			.dst_point = 7,
		};

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_TRANSFER, &t);
	}
}

static int transfer_check(void *ctx, const struct fn_run *r)
{
	struct so_ctx *c = ctx;
	bool has = so_available(c, 1, 7) == 0;
	int status = 0;

	if (r->ret == 0 && !has) {
		fn_fail("transfer: succeeded but point 7 has no fence");
		status = -1;
	} else if (r->ret != 0 && has) {
		fn_fail("transfer: failed with %s but point 7 has a fence", fn_errname(-r->ret));
		status = -1;
	}
	so_release(c);
	return status;
}

/* --- eventfd -------------------------------------------------------------- */

static int eventfd_prepare(void *ctx)
{
	struct so_ctx *c = ctx;
	int r = so_create(c, 0, false);

	if (r)
		return r;
	c->ev = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return c->ev < 0 ? -errno : 0;
}

static int eventfd_run(void *ctx)
{
	struct so_ctx *c = ctx;

	if (c->drm) {
		struct drm_syncobj_eventfd e = { .handle = c->h[0], .point = 4, .fd = c->ev };

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_EVENTFD, &e);
	} else {
		struct syncobj_eventfd_args e = { .syncobj_fd = c->fd[0],
						  .eventfd = c->ev,
						  .point = 4 };

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_EVENTFD, &e);
	}
}

/* Registered: fires exactly once when point 4 signals.  Failed: never. */
static int eventfd_check(void *ctx, const struct fn_run *r)
{
	struct so_ctx *c = ctx;
	uint64_t count = 0;
	int status = 0, s;
	ssize_t n;

	n = read(c->ev, &count, sizeof(count));
	if (n > 0) {
		fn_fail("eventfd: fired before the point was signaled");
		status = -1;
	}
	s = so_signal_point(c, 0, 4);
	if (!s)
		s = so_signal_point(c, 0, 6);
	if (s) {
		fn_fail("eventfd: signaling the point: %s", fn_errname(-s));
		status = -1;
	}
	count = 0;
	n = read(c->ev, &count, sizeof(count));
	if (r->ret == 0 && (n != sizeof(count) || count != 1)) {
		fn_fail("eventfd: registered, but the eventfd counter is %llu (read %zd)",
			(unsigned long long)count, n);
		status = -1;
	} else if (r->ret != 0 && n > 0) {
		fn_fail("eventfd: registration failed with %s but it fired (%llu)",
			fn_errname(-r->ret), (unsigned long long)count);
		status = -1;
	}
	so_release(c);
	return status;
}

/* --- sync_file export / import -------------------------------------------- */

static int export_prepare(void *ctx)
{
	return so_create(ctx, 0, true);
}

static int export_run(void *ctx)
{
	struct so_ctx *c = ctx;
	int r;

	if (c->drm) {
		struct drm_syncobj_handle h = {
			.handle = c->h[0],
			.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
			.fd = -1,
		};

		r = sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);
		if (!r)
			c->out = h.fd;
	} else {
		struct syncobj_sync_file_args a = { .syncobj_fd = c->fd[0], .sync_file_fd = -1 };

		r = sweep_ioctl(c->dev, SYNCOBJ_IOC_EXPORT_SYNC_FILE, &a);
		if (!r)
			c->out = a.sync_file_fd;
	}
	return r;
}

static int export_check(void *ctx, const struct fn_run *r)
{
	struct so_ctx *c = ctx;
	struct sync_file_info info = { 0 };
	int status = 0;

	if (r->ret == 0 && (sweep_ioctl(c->out, SYNC_IOC_FILE_INFO, &info) || info.status != 1)) {
		fn_fail("export: the sync_file is not a signaled fence (status %d)", info.status);
		status = -1;
	}
	so_release(c);
	return status;
}

static int import_prepare(void *ctx)
{
	struct so_ctx *c = ctx;
	struct sw_sync_create_fence_data f = { .value = 1, .name = "du-sweep" };
	int r = so_create(c, 0, false);

	if (r)
		return r;
	c->timeline = sweep_open(SW_SYNC_PATH, O_RDWR);
	if (c->timeline < 0)
		return c->timeline;
	r = sweep_ioctl(c->timeline, SW_SYNC_IOC_CREATE_FENCE, &f);
	if (!r)
		c->sync_file = f.fence;
	return r;
}

static int import_run(void *ctx)
{
	struct so_ctx *c = ctx;

	if (c->drm) {
		/* The DRM interface imports into the binary payload (point 0). */
		struct drm_syncobj_handle h = {
			.handle = c->h[0],
			.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
			.fd = c->sync_file,
		};

		return sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);
	} else {
		struct syncobj_sync_file_args a = { .syncobj_fd = c->fd[0],
						    .sync_file_fd = c->sync_file,
						    .point = 3 };

		return sweep_ioctl(c->dev, SYNCOBJ_IOC_IMPORT_SYNC_FILE, &a);
	}
}

static int import_check(void *ctx, const struct fn_run *r)
{
	struct so_ctx *c = ctx;
	bool has = so_available(c, 0, c->drm ? 0 : 3) == 0;
	int status = 0;

	if (r->ret == 0 && !has) {
		fn_fail("import: succeeded but the syncobj has no fence");
		status = -1;
	} else if (r->ret != 0 && has) {
		fn_fail("import: failed with %s but the fence is there", fn_errname(-r->ret));
		status = -1;
	}
	so_release(c);
	return status;
}

/*
 * A sync_file exported from a timeline point holds a dma_fence_chain node;
 * importing it at a point of another timeline must add the fences inside
 * it, never the chain node itself (kernel/patches 0100: before the fix,
 * dma_fence_chain_init() WARNed here on every import).
 */
static int import_chain_prepare(void *ctx)
{
	struct so_ctx *c = ctx;
	struct syncobj_sync_file_args a = { .sync_file_fd = -1, .point = 2 };
	int r = two_pending(c);

	if (!r)
		r = so_signal_point(c, 0, 2);
	if (r)
		return r;
	a.syncobj_fd = c->fd[0];
	r = sweep_ioctl(c->dev, SYNCOBJ_IOC_EXPORT_SYNC_FILE, &a);
	if (!r)
		c->sync_file = a.sync_file_fd;
	return r;
}

static int import_chain_run(void *ctx)
{
	struct so_ctx *c = ctx;
	struct syncobj_sync_file_args a = { .syncobj_fd = c->fd[1],
					    .sync_file_fd = c->sync_file,
					    .point = 3 };

	return sweep_ioctl(c->dev, SYNCOBJ_IOC_IMPORT_SYNC_FILE, &a);
}

/* Imported: point 3 of the second timeline is there and signaled; failed: absent. */
static int import_chain_check(void *ctx, const struct fn_run *r)
{
	struct so_ctx *c = ctx;
	uint64_t got[2] = { 0, 0 };
	int status = 0, q;

	q = so_query(c, 2, got);
	if (q) {
		fn_fail("import chain: query: %s", fn_errname(-q));
		status = -1;
	} else if (r->ret == 0 && got[1] != 3) {
		fn_fail("import chain: imported, but the timeline is at %llu, not 3",
			(unsigned long long)got[1]);
		status = -1;
	} else if (r->ret != 0 && got[1] != 0) {
		fn_fail("import chain: failed with %s, but the timeline is at %llu",
			fn_errname(-r->ret), (unsigned long long)got[1]);
		status = -1;
	}
	so_release(c);
	return status;
}

/* --- DRM only: handles <-> fds, destroy ------------------------------------ */

static int handle_to_fd_run(void *ctx)
{
	struct so_ctx *c = ctx;
	struct drm_syncobj_handle h = { .handle = c->h[0], .fd = -1 };
	int r = sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);

	if (!r)
		c->out = h.fd;
	return r;
}

static int fd_to_handle_prepare(void *ctx)
{
	int r = export_prepare(ctx);

	return r ? r : handle_to_fd_run(ctx);
}

static int fd_to_handle_run(void *ctx)
{
	struct so_ctx *c = ctx;
	struct drm_syncobj_handle h = { .fd = c->out };
	int r = sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);

	if (!r)
		c->outh = h.handle;
	return r;
}

static int destroy_run(void *ctx)
{
	struct so_ctx *c = ctx;
	struct drm_syncobj_destroy d = { .handle = c->h[0] };
	int r = sweep_ioctl(c->dev, DRM_IOCTL_SYNCOBJ_DESTROY, &d);

	if (!r)
		c->h[0] = 0;
	return r;
}

#define DEV_CASE(nm, opname, prep, fn, chk, ...)                                                   \
	{                                                                                          \
		.name = "syncobj-dev-" nm, .needs = "/dev/syncobj", .setup = dev_setup,            \
		.teardown = so_teardown,                                                           \
		.op = { .name = opname, .prepare = prep, .run = fn, .check = chk, __VA_ARGS__ },   \
	}
#define DRM_CASE(nm, opname, prep, fn, chk, ...)                                                   \
	{                                                                                          \
		.name = "syncobj-drm-" nm, .setup = drm_setup, .teardown = so_teardown,            \
		.op = { .name = opname, .prepare = prep, .run = fn, .check = chk, __VA_ARGS__ },   \
	}

const struct sweep_case sweep_syncobj[] = {
	DEV_CASE("create", "SYNCOBJ_IOC_CREATE", NULL, create_run, create_check),
	DEV_CASE("wait", "SYNCOBJ_IOC_WAIT(all signaled)", two_signaled, wait_run, release_check),
	DEV_CASE("wait-timeout", "SYNCOBJ_IOC_WAIT(for submit, times out)", one_pending,
		 wait_timeout_run, release_check, .errnos = enomem_etime, .final_ret = ETIME),
	DEV_CASE("reset", "SYNCOBJ_IOC_RESET", two_signaled, reset_run, reset_check),
	DEV_CASE("signal", "SYNCOBJ_IOC_SIGNAL(timeline points)", two_pending, signal_run,
		 signal_check),
	DEV_CASE("query", "SYNCOBJ_IOC_QUERY", query_prepare, query_run, release_check),
	DEV_CASE("transfer", "SYNCOBJ_IOC_TRANSFER", transfer_prepare, transfer_run,
		 transfer_check),
	DEV_CASE("eventfd", "SYNCOBJ_IOC_EVENTFD", eventfd_prepare, eventfd_run, eventfd_check),
	DEV_CASE("export-sync-file", "SYNCOBJ_IOC_EXPORT_SYNC_FILE", export_prepare, export_run,
		 export_check),
	DEV_CASE("import-sync-file", "SYNCOBJ_IOC_IMPORT_SYNC_FILE", import_prepare, import_run,
		 import_check),
	DEV_CASE("import-timeline-point", "SYNCOBJ_IOC_IMPORT_SYNC_FILE(exported timeline point)",
		 import_chain_prepare, import_chain_run, import_chain_check),
	DRM_CASE("create", "DRM_IOCTL_SYNCOBJ_CREATE", NULL, create_run, create_check),
	DRM_CASE("destroy", "DRM_IOCTL_SYNCOBJ_DESTROY", export_prepare, destroy_run,
		 release_check),
	DRM_CASE("handle-to-fd", "DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD", export_prepare, handle_to_fd_run,
		 release_check),
	DRM_CASE("fd-to-handle", "DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE", fd_to_handle_prepare,
		 fd_to_handle_run, release_check),
	DRM_CASE("wait", "DRM_IOCTL_SYNCOBJ_WAIT(all signaled)", two_signaled, wait_run,
		 release_check),
	DRM_CASE("timeline-wait", "DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT(times out)", one_pending,
		 wait_timeout_run, release_check, .errnos = enomem_etime, .final_ret = ETIME),
	DRM_CASE("reset", "DRM_IOCTL_SYNCOBJ_RESET", two_signaled, reset_run, reset_check),
	DRM_CASE("timeline-signal", "DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL", two_pending, signal_run,
		 signal_check),
	DRM_CASE("query", "DRM_IOCTL_SYNCOBJ_QUERY", query_prepare, query_run, release_check),
	DRM_CASE("transfer", "DRM_IOCTL_SYNCOBJ_TRANSFER", transfer_prepare, transfer_run,
		 transfer_check),
	DRM_CASE("eventfd", "DRM_IOCTL_SYNCOBJ_EVENTFD", eventfd_prepare, eventfd_run,
		 eventfd_check),
	DRM_CASE("export-sync-file", "DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD(EXPORT_SYNC_FILE)",
		 export_prepare, export_run, export_check),
	DRM_CASE("import-sync-file", "DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE(IMPORT_SYNC_FILE)",
		 import_prepare, import_run, import_check),
	{ 0 },
};
