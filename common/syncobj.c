// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syncobj.c - DRM syncobjs on /dev/syncobj or on a DRM render node.
 *
 * The two back ends are two ops tables.  The device's take the caller's fd
 * arrays as they are; the render node's translate fds to handles around
 * each call (see syncobj.h).
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include <linux/syncobj.h>

#include "c.h"
#include "drm_compat.h"
#include "syncobj.h"

/*
 * struct drm_syncobj_wait and drm_syncobj_timeline_wait as of mainline 6.6,
 * with the deadline_nsec field of WAIT_DEADLINE (drm_compat.h) appended,
 * which Debian 12's libdrm headers predate.  drm_ioctl() copies the size
 * encoded in the command, so the longer wait structs also work on kernels
 * without deadline support (which then refuse the flag).
 */
struct du_drm_syncobj_wait {
	__u64 handles;
	__s64 timeout_nsec;
	__u32 count_handles;
	__u32 flags;
	__u32 first_signaled;
	__u32 pad;
	__u64 deadline_nsec;
};

struct du_drm_syncobj_timeline_wait {
	__u64 handles;
	__u64 points;
	__s64 timeout_nsec;
	__u32 count_handles;
	__u32 flags;
	__u32 first_signaled;
	__u32 pad;
	__u64 deadline_nsec;
};

#define DU_DRM_IOCTL_SYNCOBJ_WAIT DRM_IOWR(0xC3, struct du_drm_syncobj_wait)
#define DU_DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT DRM_IOWR(0xCA, struct du_drm_syncobj_timeline_wait)

static_assert(sizeof(struct drm_syncobj_eventfd) == 24, "drm_syncobj_eventfd layout");
static_assert(sizeof(struct du_drm_syncobj_wait) == 40, "drm_syncobj_wait layout");
static_assert(sizeof(struct du_drm_syncobj_timeline_wait) == 48, "timeline_wait layout");
static_assert(DRM_IOCTL_SYNCOBJ_EVENTFD == 0xC01864CF, "DRM_IOCTL_SYNCOBJ_EVENTFD");
static_assert(DU_DRM_IOCTL_SYNCOBJ_WAIT == 0xC02864C3, "DRM_IOCTL_SYNCOBJ_WAIT");
static_assert(DU_DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT == 0xC03064CA, "DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT");

/* One set of flag values for both interfaces. */
static_assert(DU_SYNCOBJ_CREATE_SIGNALED == SYNCOBJ_CREATE_SIGNALED &&
		      DU_SYNCOBJ_CREATE_SIGNALED == DRM_SYNCOBJ_CREATE_SIGNALED,
	      "CREATE_SIGNALED");
static_assert(DU_SYNCOBJ_WAIT_ALL == SYNCOBJ_WAIT_FLAGS_WAIT_ALL &&
		      DU_SYNCOBJ_WAIT_ALL == DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
	      "WAIT_ALL");
static_assert(DU_SYNCOBJ_WAIT_FOR_SUBMIT == SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT &&
		      DU_SYNCOBJ_WAIT_FOR_SUBMIT == DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	      "WAIT_FOR_SUBMIT");
static_assert(DU_SYNCOBJ_WAIT_AVAILABLE == SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE &&
		      DU_SYNCOBJ_WAIT_AVAILABLE == DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE,
	      "WAIT_AVAILABLE");
static_assert(DU_SYNCOBJ_WAIT_DEADLINE == SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE &&
		      DU_SYNCOBJ_WAIT_DEADLINE == DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE,
	      "WAIT_DEADLINE");
static_assert(DU_SYNCOBJ_QUERY_LAST_SUBMITTED == SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED &&
		      DU_SYNCOBJ_QUERY_LAST_SUBMITTED == DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED,
	      "QUERY_LAST_SUBMITTED");

#define DRM_MAJOR 226

/* ---- test overrides ---------------------------------------------------- */

static uint32_t raw_flags(const struct du_syncobj_ctx *ctx, uint32_t flags)
{
	return ctx->raw && ctx->raw->flags_set ? ctx->raw->flags : flags;
}

static uint32_t raw_pad(const struct du_syncobj_ctx *ctx)
{
	return ctx->raw && ctx->raw->pad_set ? ctx->raw->pad : 0;
}

static uint32_t raw_count(const struct du_syncobj_ctx *ctx, uint32_t count)
{
	return ctx->raw && ctx->raw->count_set ? ctx->raw->count : count;
}

static int64_t raw_timeout(const struct du_syncobj_ctx *ctx, int64_t timeout)
{
	return ctx->raw && ctx->raw->timeout_set ? ctx->raw->timeout_nsec : timeout;
}

/*
 * An array the kernel is told has more elements than it does: copy it to
 * the end of an anonymous mapping followed by an inaccessible page, so that
 * reading past it faults in the kernel (EFAULT) deterministically.
 */
struct guarded {
	void *map;
	size_t len;
};

static void *guard_array(struct guarded *g, const void *src, size_t elem, uint32_t count,
			 uint32_t claimed)
{
	size_t page = sysconf(_SC_PAGESIZE), bytes = elem * count;
	size_t data_pages = (bytes + page - 1) / page + 1;
	char *p;

	g->map = NULL;
	if (claimed <= count || !src)
		return (void *)src;
	g->len = (data_pages + 1) * page;
	p = mmap(NULL, g->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return (void *)src;
	mprotect(p + data_pages * page, page, PROT_NONE);
	g->map = p;
	p += data_pages * page - bytes;
	memcpy(p, src, bytes);
	return p;
}

static void guard_copy_back(struct guarded *g, const void *arr, void *dst, size_t bytes)
{
	if (!g->map)
		return;
	memcpy(dst, arr, bytes);
}

static void guard_free(struct guarded *g)
{
	if (g->map)
		munmap(g->map, g->len);
	g->map = NULL;
}

static inline __u64 uptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static bool all_zero(const uint64_t *points, uint32_t count)
{
	if (!points)
		return true;
	for (uint32_t i = 0; i < count; i++)
		if (points[i])
			return false;
	return true;
}

/* ioctl() restarting on EINTR/EAGAIN like drmIoctl(); 0 or -errno. */
static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;

	do {
		r = ioctl(fd, req, arg);
	} while (r == -1 && (errno == EINTR || errno == EAGAIN));
	return r == -1 ? -errno : 0;
}

/* ---- /dev/syncobj ------------------------------------------------------- */

static int dev_create(struct du_syncobj_ctx *ctx, uint32_t flags, int *fd)
{
	struct syncobj_create_args a = { .flags = raw_flags(ctx, flags) };
	int r = xioctl(ctx->fd, SYNCOBJ_IOC_CREATE, &a);

	if (!r)
		*fd = a.fd;
	return r;
}

static int dev_wait(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		    uint32_t count, uint32_t flags, int64_t timeout, int64_t deadline,
		    uint32_t *first)
{
	struct syncobj_wait_args a = {
		.timeout_nsec = raw_timeout(ctx, timeout),
		.count = raw_count(ctx, count),
		.flags = raw_flags(ctx, flags),
		.pad = raw_pad(ctx),
		.deadline_nsec = deadline,
	};
	struct guarded gf, gp;
	int r;

	a.fds = uptr(guard_array(&gf, fds, sizeof(*fds), count, a.count));
	a.points = uptr(guard_array(&gp, points, sizeof(*points), count, a.count));
	r = xioctl(ctx->fd, SYNCOBJ_IOC_WAIT, &a);
	guard_free(&gf);
	guard_free(&gp);
	if (!r && first)
		*first = a.first_signaled;
	return r;
}

static int dev_array(struct du_syncobj_ctx *ctx, unsigned long req, const int *fds,
		     uint64_t *points, uint32_t count, uint32_t flags)
{
	struct syncobj_array_args a = {
		.count = raw_count(ctx, count),
		.flags = raw_flags(ctx, flags),
	};
	struct guarded gf, gp;
	int r;

	a.fds = uptr(guard_array(&gf, fds, sizeof(*fds), count, a.count));
	a.points = uptr(guard_array(&gp, points, sizeof(*points), count, a.count));
	r = xioctl(ctx->fd, req, &a);
	if (!r && points)
		guard_copy_back(&gp, (void *)(uintptr_t)a.points, points, count * sizeof(*points));
	guard_free(&gf);
	guard_free(&gp);
	return r;
}

static int dev_reset(struct du_syncobj_ctx *ctx, const int *fds, uint32_t count)
{
	return dev_array(ctx, SYNCOBJ_IOC_RESET, fds, NULL, count, 0);
}

static int dev_signal(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		      uint32_t count)
{
	return dev_array(ctx, SYNCOBJ_IOC_SIGNAL, fds, (uint64_t *)points, count, 0);
}

static int dev_query(struct du_syncobj_ctx *ctx, const int *fds, uint64_t *points, uint32_t count,
		     uint32_t flags)
{
	return dev_array(ctx, SYNCOBJ_IOC_QUERY, fds, points, count, flags);
}

static int dev_transfer(struct du_syncobj_ctx *ctx, int src, uint64_t src_point, int dst,
			uint64_t dst_point, uint32_t flags)
{
	struct syncobj_transfer_args a = {
		.src_fd = src,
		.dst_fd = dst,
		.src_point = src_point,
		.dst_point = dst_point,
		.flags = raw_flags(ctx, flags),
		.pad = raw_pad(ctx),
	};

	return xioctl(ctx->fd, SYNCOBJ_IOC_TRANSFER, &a);
}

static int dev_eventfd(struct du_syncobj_ctx *ctx, int fd, int eventfd, uint64_t point,
		       uint32_t flags)
{
	struct syncobj_eventfd_args a = {
		.syncobj_fd = fd,
		.eventfd = eventfd,
		.point = point,
		.flags = raw_flags(ctx, flags),
		.pad = raw_pad(ctx),
	};

	return xioctl(ctx->fd, SYNCOBJ_IOC_EVENTFD, &a);
}

static int dev_export(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int *sync_file)
{
	struct syncobj_sync_file_args a = { .syncobj_fd = fd, .sync_file_fd = -1, .point = point };
	int r = xioctl(ctx->fd, SYNCOBJ_IOC_EXPORT_SYNC_FILE, &a);

	if (!r)
		*sync_file = a.sync_file_fd;
	return r;
}

static int dev_import(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int sync_file)
{
	struct syncobj_sync_file_args a = { .syncobj_fd = fd,
					    .sync_file_fd = sync_file,
					    .point = point };

	return xioctl(ctx->fd, SYNCOBJ_IOC_IMPORT_SYNC_FILE, &a);
}

/* ---- render node -------------------------------------------------------- */

static int drm_create_handle(struct du_syncobj_ctx *ctx, uint32_t flags, uint32_t *handle)
{
	struct drm_syncobj_create a = { .flags = flags };
	int r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_CREATE, &a);

	if (!r)
		*handle = a.handle;
	return r;
}

static void drm_destroy_handle(struct du_syncobj_ctx *ctx, uint32_t handle)
{
	struct drm_syncobj_destroy a = { .handle = handle };

	xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &a);
}

static int drm_fd_to_handle(struct du_syncobj_ctx *ctx, int fd, uint32_t *handle)
{
	struct drm_syncobj_handle a = { .fd = fd };
	int r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &a);

	if (!r)
		*handle = a.handle;
	return r;
}

static void drm_put_handles(struct du_syncobj_ctx *ctx, uint32_t *handles, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		drm_destroy_handle(ctx, handles[i]);
	free(handles);
}

/* Handles for @fds in this drm_file; on failure ctx->err_index names the fd. */
static int drm_get_handles(struct du_syncobj_ctx *ctx, const int *fds, uint32_t count,
			   uint32_t **out)
{
	uint32_t *handles = xcalloc(count ? count : 1, sizeof(*handles));

	for (uint32_t i = 0; i < count; i++) {
		int r = drm_fd_to_handle(ctx, fds[i], &handles[i]);

		if (r) {
			ctx->err_index = (int)i;
			drm_put_handles(ctx, handles, i);
			return r;
		}
	}
	*out = handles;
	return 0;
}

static int drm_create(struct du_syncobj_ctx *ctx, uint32_t flags, int *fd)
{
	struct drm_syncobj_handle h = { 0 };
	int r;

	r = drm_create_handle(ctx, raw_flags(ctx, flags), &h.handle);
	if (r)
		return r;
	r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);
	drm_destroy_handle(ctx, h.handle);
	if (!r)
		*fd = h.fd;
	return r;
}

static int drm_wait(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		    uint32_t count, uint32_t flags, int64_t timeout, int64_t deadline,
		    uint32_t *first)
{
	uint32_t *handles, n = raw_count(ctx, count);
	struct guarded gh, gp;
	int r;

	r = drm_get_handles(ctx, fds, count, &handles);
	if (r)
		return r;
	/* The binary ioctl needs no DRIVER_SYNCOBJ_TIMELINE; use it when it can do the job. */
	if (all_zero(points, count) && !(flags & DU_SYNCOBJ_WAIT_AVAILABLE)) {
		struct du_drm_syncobj_wait a = {
			.timeout_nsec = raw_timeout(ctx, timeout),
			.count_handles = n,
			.flags = raw_flags(ctx, flags),
			.pad = raw_pad(ctx),
			.deadline_nsec = deadline,
		};

		a.handles = uptr(guard_array(&gh, handles, sizeof(*handles), count, n));
		r = xioctl(ctx->fd, DU_DRM_IOCTL_SYNCOBJ_WAIT, &a);
		if (!r && first)
			*first = a.first_signaled;
	} else {
		struct du_drm_syncobj_timeline_wait a = {
			.timeout_nsec = raw_timeout(ctx, timeout),
			.count_handles = n,
			.flags = raw_flags(ctx, flags),
			.pad = raw_pad(ctx),
			.deadline_nsec = deadline,
		};

		a.handles = uptr(guard_array(&gh, handles, sizeof(*handles), count, n));
		a.points = uptr(guard_array(&gp, points, sizeof(*points), count, n));
		r = xioctl(ctx->fd, DU_DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &a);
		guard_free(&gp);
		if (!r && first)
			*first = a.first_signaled;
	}
	guard_free(&gh);
	drm_put_handles(ctx, handles, count);
	return r;
}

static int drm_reset(struct du_syncobj_ctx *ctx, const int *fds, uint32_t count)
{
	struct drm_syncobj_array a = { .count_handles = raw_count(ctx, count),
				       .pad = raw_pad(ctx) };
	uint32_t *handles;
	struct guarded gh;
	int r;

	r = drm_get_handles(ctx, fds, count, &handles);
	if (r)
		return r;
	a.handles = uptr(guard_array(&gh, handles, sizeof(*handles), count, a.count_handles));
	r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_RESET, &a);
	guard_free(&gh);
	drm_put_handles(ctx, handles, count);
	return r;
}

/* TIMELINE_SIGNAL and QUERY share struct drm_syncobj_timeline_array. */
static int drm_timeline_array(struct du_syncobj_ctx *ctx, unsigned long req, const int *fds,
			      uint64_t *points, uint32_t count, uint32_t flags)
{
	struct drm_syncobj_timeline_array a = {
		.count_handles = raw_count(ctx, count),
		.flags = raw_flags(ctx, flags),
	};
	uint32_t *handles;
	struct guarded gh, gp;
	int r;

	r = drm_get_handles(ctx, fds, count, &handles);
	if (r)
		return r;
	a.handles = uptr(guard_array(&gh, handles, sizeof(*handles), count, a.count_handles));
	a.points = uptr(guard_array(&gp, points, sizeof(*points), count, a.count_handles));
	r = xioctl(ctx->fd, req, &a);
	if (!r)
		guard_copy_back(&gp, (void *)(uintptr_t)a.points, points, count * sizeof(*points));
	guard_free(&gh);
	guard_free(&gp);
	drm_put_handles(ctx, handles, count);
	return r;
}

static int drm_signal(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		      uint32_t count)
{
	struct drm_syncobj_array a = { .count_handles = raw_count(ctx, count),
				       .pad = raw_pad(ctx) };
	uint32_t *handles;
	struct guarded gh;
	int r;

	/*
	 * Points: TIMELINE_SIGNAL.  Binary: SIGNAL, which replaces the fence
	 * with a signaled stub and needs no DRIVER_SYNCOBJ_TIMELINE.
	 */
	if (!all_zero(points, count))
		return drm_timeline_array(ctx, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, fds,
					  (uint64_t *)points, count, 0);
	r = drm_get_handles(ctx, fds, count, &handles);
	if (r)
		return r;
	a.handles = uptr(guard_array(&gh, handles, sizeof(*handles), count, a.count_handles));
	r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
	guard_free(&gh);
	drm_put_handles(ctx, handles, count);
	return r;
}

static int drm_query(struct du_syncobj_ctx *ctx, const int *fds, uint64_t *points, uint32_t count,
		     uint32_t flags)
{
	return drm_timeline_array(ctx, DRM_IOCTL_SYNCOBJ_QUERY, fds, points, count, flags);
}

static int drm_transfer_handles(struct du_syncobj_ctx *ctx, uint32_t src, uint64_t src_point,
				uint32_t dst, uint64_t dst_point, uint32_t flags)
{
	struct drm_syncobj_transfer a = {
		.src_handle = src,
		.dst_handle = dst,
		.src_point = src_point,
		.dst_point = dst_point,
		.flags = flags,
	};

	return xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &a);
}

static int drm_transfer(struct du_syncobj_ctx *ctx, int src, uint64_t src_point, int dst,
			uint64_t dst_point, uint32_t flags)
{
	int fds[2] = { src, dst };
	struct drm_syncobj_transfer a = {
		.src_point = src_point,
		.dst_point = dst_point,
		.flags = raw_flags(ctx, flags),
		.pad = raw_pad(ctx),
	};
	uint32_t *handles;
	int r;

	r = drm_get_handles(ctx, fds, 2, &handles);
	if (r)
		return r;
	a.src_handle = handles[0];
	a.dst_handle = handles[1];
	r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &a);
	drm_put_handles(ctx, handles, 2);
	return r;
}

static int drm_eventfd(struct du_syncobj_ctx *ctx, int fd, int eventfd, uint64_t point,
		       uint32_t flags)
{
	struct drm_syncobj_eventfd a = {
		.flags = raw_flags(ctx, flags),
		.point = point,
		.fd = eventfd,
		.pad = raw_pad(ctx),
	};
	uint32_t *handle;
	int r;

	r = drm_get_handles(ctx, &fd, 1, &handle);
	if (r)
		return r;
	a.handle = *handle;
	r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_EVENTFD, &a);
	drm_put_handles(ctx, handle, 1);
	return r;
}

/*
 * A timeline point's fence goes through a temporary binary syncobj:
 * TRANSFER it there, then export that (the way IGT and compositors do it,
 * and independent of the newer DRM_SYNCOBJ_*_FLAGS_TIMELINE).
 */
static int drm_export(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int *sync_file)
{
	struct drm_syncobj_handle h = {
		.flags = raw_flags(ctx, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE),
		.fd = -1,
		.pad = raw_pad(ctx),
	};
	uint32_t *handle, tmp = 0;
	int r;

	r = drm_get_handles(ctx, &fd, 1, &handle);
	if (r)
		return r;
	h.handle = *handle;
	if (point) {
		r = drm_create_handle(ctx, 0, &tmp);
		if (!r)
			r = drm_transfer_handles(ctx, *handle, point, tmp, 0, 0);
		h.handle = tmp;
	}
	if (!r)
		r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);
	if (tmp)
		drm_destroy_handle(ctx, tmp);
	drm_put_handles(ctx, handle, 1);
	if (!r)
		*sync_file = h.fd;
	return r;
}

static int drm_import(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int sync_file)
{
	struct drm_syncobj_handle h = {
		.flags = raw_flags(ctx, DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE),
		.fd = sync_file,
		.pad = raw_pad(ctx),
	};
	uint32_t *handle, tmp = 0;
	int r;

	r = drm_get_handles(ctx, &fd, 1, &handle);
	if (r)
		return r;
	h.handle = *handle;
	if (point) {
		r = drm_create_handle(ctx, 0, &tmp);
		h.handle = tmp;
	}
	if (!r)
		r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);
	if (!r && point)
		r = drm_transfer_handles(ctx, tmp, 0, *handle, point, 0);
	if (tmp)
		drm_destroy_handle(ctx, tmp);
	drm_put_handles(ctx, handle, 1);
	return r;
}

/* ---- dispatch ----------------------------------------------------------- */

struct syncobj_ops {
	int (*create)(struct du_syncobj_ctx *ctx, uint32_t flags, int *fd);
	int (*wait)(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		    uint32_t count, uint32_t flags, int64_t timeout, int64_t deadline,
		    uint32_t *first);
	int (*reset)(struct du_syncobj_ctx *ctx, const int *fds, uint32_t count);
	int (*signal)(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		      uint32_t count);
	int (*query)(struct du_syncobj_ctx *ctx, const int *fds, uint64_t *points, uint32_t count,
		     uint32_t flags);
	int (*transfer)(struct du_syncobj_ctx *ctx, int src, uint64_t src_point, int dst,
			uint64_t dst_point, uint32_t flags);
	int (*eventfd)(struct du_syncobj_ctx *ctx, int fd, int eventfd, uint64_t point,
		       uint32_t flags);
	int (*export_sync_file)(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int *sync_file);
	int (*import_sync_file)(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int sync_file);
};

static const struct syncobj_ops backend_ops[] = {
	[DU_SYNCOBJ_BACKEND_DEV] = {
		.create = dev_create,
		.wait = dev_wait,
		.reset = dev_reset,
		.signal = dev_signal,
		.query = dev_query,
		.transfer = dev_transfer,
		.eventfd = dev_eventfd,
		.export_sync_file = dev_export,
		.import_sync_file = dev_import,
	},
	[DU_SYNCOBJ_BACKEND_DRM] = {
		.create = drm_create,
		.wait = drm_wait,
		.reset = drm_reset,
		.signal = drm_signal,
		.query = drm_query,
		.transfer = drm_transfer,
		.eventfd = drm_eventfd,
		.export_sync_file = drm_export,
		.import_sync_file = drm_import,
	},
};

static const struct syncobj_ops *ops(struct du_syncobj_ctx *ctx)
{
	ctx->err_index = -1;
	return &backend_ops[ctx->backend];
}

int du_syncobj_create(struct du_syncobj_ctx *ctx, uint32_t flags, int *fd)
{
	return ops(ctx)->create(ctx, flags, fd);
}

int du_syncobj_wait(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		    uint32_t count, uint32_t flags, int64_t timeout_abs, int64_t deadline_abs,
		    uint32_t *first)
{
	return ops(ctx)->wait(ctx, fds, all_zero(points, count) ? NULL : points, count, flags,
			      timeout_abs, deadline_abs, first);
}

int du_syncobj_reset(struct du_syncobj_ctx *ctx, const int *fds, uint32_t count)
{
	return ops(ctx)->reset(ctx, fds, count);
}

int du_syncobj_signal(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		      uint32_t count)
{
	return ops(ctx)->signal(ctx, fds, all_zero(points, count) ? NULL : points, count);
}

int du_syncobj_query(struct du_syncobj_ctx *ctx, const int *fds, uint64_t *points, uint32_t count,
		     uint32_t flags)
{
	return ops(ctx)->query(ctx, fds, points, count, flags);
}

int du_syncobj_transfer(struct du_syncobj_ctx *ctx, int src, uint64_t src_point, int dst,
			uint64_t dst_point, uint32_t flags)
{
	return ops(ctx)->transfer(ctx, src, src_point, dst, dst_point, flags);
}

int du_syncobj_eventfd(struct du_syncobj_ctx *ctx, int fd, int eventfd, uint64_t point,
		       uint32_t flags)
{
	return ops(ctx)->eventfd(ctx, fd, eventfd, point, flags);
}

int du_syncobj_export_sync_file(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int *sync_file)
{
	return ops(ctx)->export_sync_file(ctx, fd, point, sync_file);
}

int du_syncobj_import_sync_file(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int sync_file)
{
	return ops(ctx)->import_sync_file(ctx, fd, point, sync_file);
}

/* ---- probes ------------------------------------------------------------- */

int du_syncobj_probe_eventfd(struct du_syncobj_ctx *ctx)
{
	int r;

	if (ctx->backend == DU_SYNCOBJ_BACKEND_DEV) {
		struct syncobj_eventfd_args a = { .syncobj_fd = -1, .eventfd = -1 };

		/* Known: the bad syncobj fd is refused.  Unknown: ENOTTY. */
		r = xioctl(ctx->fd, SYNCOBJ_IOC_EVENTFD, &a);
		return r == -EBADF ? 1 : r == -ENOTTY ? 0 : r ? r : -EPROTO;
	} else {
		struct drm_syncobj_eventfd a = { .handle = 0, .fd = -1 };

		/*
		 * Handle 0 never exists: ENOENT once the ioctl is there.  drm_ioctl()
		 * answers EINVAL for core numbers it does not know, and the ioctl
		 * itself EOPNOTSUPP without DRIVER_SYNCOBJ_TIMELINE.
		 */
		r = xioctl(ctx->fd, DRM_IOCTL_SYNCOBJ_EVENTFD, &a);
		return r == -ENOENT ? 1 : (r == -EINVAL || r == -EOPNOTSUPP) ? 0 : r ? r : -EPROTO;
	}
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int du_syncobj_probe_deadline(struct du_syncobj_ctx *ctx)
{
	const struct du_syncobj_raw *saved = ctx->raw;
	int fd, r;

	ctx->raw = NULL;
	r = du_syncobj_create(ctx, DU_SYNCOBJ_CREATE_SIGNALED, &fd);
	if (!r) {
		/* A signaled syncobj: a kernel that knows the flag returns 0 at once. */
		r = du_syncobj_wait(ctx, &fd, NULL, 1, DU_SYNCOBJ_WAIT_DEADLINE, 0, monotonic_ns(),
				    NULL);
		close(fd);
		r = r == 0 ? 1 : r == -EINVAL ? 0 : r;
	}
	ctx->raw = saved;
	return r;
}

/* ---- opening ------------------------------------------------------------ */

bool du_syncobj_is_drm_node(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == DRM_MAJOR;
}

bool du_syncobj_is_syncobj_fd(int fd)
{
	char link[64], target[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return streq(target, DU_SYNCOBJ_FD_TARGET);
}

const char *du_syncobj_backend_name(const struct du_syncobj_ctx *ctx)
{
	return ctx->backend == DU_SYNCOBJ_BACKEND_DEV ? "syncobj-dev" : "drm";
}

static int open_drm(struct du_syncobj_ctx *ctx, const char *path)
{
	drmVersionPtr v;
	uint64_t cap = 0;

	ctx->backend = DU_SYNCOBJ_BACKEND_DRM;
	ctx->fd = open(path, O_RDWR | O_CLOEXEC);
	if (ctx->fd < 0)
		return -errno;
	snprintf(ctx->path, sizeof(ctx->path), "%s", path);
	v = drmGetVersion(ctx->fd);
	snprintf(ctx->driver, sizeof(ctx->driver), "%s", v && v->name ? v->name : "?");
	drmFreeVersion(v);
	if (drmGetCap(ctx->fd, DRM_CAP_SYNCOBJ, &cap) || !cap) {
		du_syncobj_close(ctx);
		return -EOPNOTSUPP;
	}
	if (drmGetCap(ctx->fd, DRM_CAP_SYNCOBJ_TIMELINE, &cap) == 0 && cap)
		ctx->caps |= DU_SYNCOBJ_CAP_TIMELINE;
	if (du_syncobj_probe_eventfd(ctx) == 1)
		ctx->caps |= DU_SYNCOBJ_CAP_EVENTFD;
	return 0;
}

static int open_dev(struct du_syncobj_ctx *ctx, const char *path)
{
	struct syncobj_create_args bad = { .flags = ~0u };

	ctx->backend = DU_SYNCOBJ_BACKEND_DEV;
	ctx->fd = open(path, O_RDWR | O_CLOEXEC);
	if (ctx->fd < 0)
		return -errno;
	/* Anything but the syncobj device answers ENOTTY to its CREATE. */
	if (xioctl(ctx->fd, SYNCOBJ_IOC_CREATE, &bad) == -ENOTTY) {
		du_syncobj_close(ctx);
		return -ENOTTY;
	}
	snprintf(ctx->path, sizeof(ctx->path), "%s", path);
	snprintf(ctx->driver, sizeof(ctx->driver), "syncobj");
	ctx->caps = DU_SYNCOBJ_CAP_TIMELINE | DU_SYNCOBJ_CAP_EVENTFD;
	return 0;
}

int du_syncobj_open(struct du_syncobj_ctx *ctx, const char *path)
{
	char node[32];
	int r;

	memset(ctx, 0, sizeof(*ctx));
	ctx->fd = -1;
	ctx->err_index = -1;
	if (path)
		return du_syncobj_is_drm_node(path) ? open_drm(ctx, path) : open_dev(ctx, path);

	r = open_dev(ctx, DU_SYNCOBJ_DEV_PATH);
	if (r != -ENOENT && r != -ENODEV && r != -ENXIO)
		return r;
	for (int minor = 128; minor < 192; minor++) {
		snprintf(node, sizeof(node), "/dev/dri/renderD%d", minor);
		if (open_drm(ctx, node) == 0)
			return 0;
	}
	memset(ctx, 0, sizeof(*ctx));
	ctx->fd = -1;
	return -ENODEV;
}

void du_syncobj_close(struct du_syncobj_ctx *ctx)
{
	if (ctx->fd >= 0)
		close(ctx->fd);
	ctx->fd = -1;
}
