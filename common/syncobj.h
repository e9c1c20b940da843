/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * syncobj.h - DRM syncobjs on either of the kernel's two interfaces.
 *
 *   /dev/syncobj   the misc device (CONFIG_SYNCOBJ_DEV): a syncobj is a file
 *                  descriptor and every ioctl takes fds
 *   render node    a DRM device with DRIVER_SYNCOBJ, driven through libdrm:
 *                  syncobjs are handles private to one open of the node
 *
 * Callers only ever see syncobj fds (the same anon-inode files on both back
 * ends, so an fd from one works with the other).  The render-node back end
 * turns each fd into a handle (FD_TO_HANDLE) for the duration of one call
 * and destroys the handle before returning; timeline sync_file import and
 * export go through a temporary binary syncobj and TRANSFER, which works on
 * every kernel with DRIVER_SYNCOBJ_TIMELINE.
 *
 * Every operation returns 0 or -errno exactly as the kernel returned it
 * and prints nothing.  When the kernel refused one object of an array
 * (render node: its FD_TO_HANDLE failed), ctx->err_index names it.
 *
 * Flag values are the uapi ones, which are identical on both interfaces
 * (syncobj.c checks that at compile time).
 */
#ifndef DU_SYNCOBJ_H
#define DU_SYNCOBJ_H

#include <stdbool.h>
#include <stdint.h>

#define DU_SYNCOBJ_CREATE_SIGNALED (1u << 0)
#define DU_SYNCOBJ_WAIT_ALL (1u << 0)
#define DU_SYNCOBJ_WAIT_FOR_SUBMIT (1u << 1)
#define DU_SYNCOBJ_WAIT_AVAILABLE (1u << 2)
#define DU_SYNCOBJ_WAIT_DEADLINE (1u << 3)
#define DU_SYNCOBJ_QUERY_LAST_SUBMITTED (1u << 0)

#define DU_SYNCOBJ_DEV_PATH "/dev/syncobj"

enum du_syncobj_backend {
	DU_SYNCOBJ_BACKEND_DEV, /* /dev/syncobj */
	DU_SYNCOBJ_BACKEND_DRM, /* a DRM render (or primary) node */
};

/* What a back end can do; the device has all of it by definition. */
#define DU_SYNCOBJ_CAP_TIMELINE (1u << 0) /* points, QUERY, TRANSFER */
#define DU_SYNCOBJ_CAP_EVENTFD (1u << 1) /* EVENTFD registration */

/*
 * Deliberately malformed ioctl fields, for tests of the kernel's argument
 * checks (syncobjctl's hidden --_flags/--_pad/--_count/--_timeout-abs).
 * A set field replaces what the operation would have passed.  A count
 * larger than the real arrays makes the kernel read past them into a
 * guard page, so it fails with EFAULT instead of reading stray memory.
 */
struct du_syncobj_raw {
	bool flags_set, pad_set, count_set, timeout_set;
	uint32_t flags, pad, count;
	int64_t timeout_nsec;
};

struct du_syncobj_ctx {
	enum du_syncobj_backend backend;
	int fd; /* /dev/syncobj or the DRM node */
	char path[64];
	char driver[32]; /* DRM driver name; "syncobj" for the device */
	unsigned int caps;
	const struct du_syncobj_raw *raw; /* NULL outside tests */
	int err_index; /* array index of the object the kernel refused, or -1 */
};

/*
 * Open a back end.  @path NULL picks /dev/syncobj if it can be opened,
 * else the first render node whose driver has DRM_CAP_SYNCOBJ.  A path
 * naming a DRM node selects the render-node back end, any other path is
 * taken to be the syncobj device.  Returns 0 or -errno (-ENODEV when
 * @path is NULL and nothing usable exists, -EOPNOTSUPP when the DRM node's
 * driver lacks DRM_CAP_SYNCOBJ).
 */
int du_syncobj_open(struct du_syncobj_ctx *ctx, const char *path);
void du_syncobj_close(struct du_syncobj_ctx *ctx);

const char *du_syncobj_backend_name(const struct du_syncobj_ctx *ctx);

/* A new syncobj fd (O_CLOEXEC) in *fd. */
int du_syncobj_create(struct du_syncobj_ctx *ctx, uint32_t flags, int *fd);

/*
 * Wait for @count syncobjs; @points may be NULL (binary, or the latest
 * fence of a timeline).  @timeout_abs is CLOCK_MONOTONIC in ns (0 polls,
 * INT64_MAX waits forever); @deadline_abs is used with WAIT_DEADLINE.
 * *first gets the index of the first signaled object unless WAIT_ALL.
 */
int du_syncobj_wait(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		    uint32_t count, uint32_t flags, int64_t timeout_abs, int64_t deadline_abs,
		    uint32_t *first);
int du_syncobj_reset(struct du_syncobj_ctx *ctx, const int *fds, uint32_t count);
/* Signal each syncobj at its point (NULL: point 0 for all). */
int du_syncobj_signal(struct du_syncobj_ctx *ctx, const int *fds, const uint64_t *points,
		      uint32_t count);
/* Last signaled (or with QUERY_LAST_SUBMITTED, last submitted) point of each. */
int du_syncobj_query(struct du_syncobj_ctx *ctx, const int *fds, uint64_t *points, uint32_t count,
		     uint32_t flags);
/* flags: 0 or DU_SYNCOBJ_WAIT_FOR_SUBMIT */
int du_syncobj_transfer(struct du_syncobj_ctx *ctx, int src, uint64_t src_point, int dst,
			uint64_t dst_point, uint32_t flags);
/* flags: 0 (signaled) or DU_SYNCOBJ_WAIT_AVAILABLE */
int du_syncobj_eventfd(struct du_syncobj_ctx *ctx, int fd, int eventfd, uint64_t point,
		       uint32_t flags);
int du_syncobj_export_sync_file(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int *sync_file);
int du_syncobj_import_sync_file(struct du_syncobj_ctx *ctx, int fd, uint64_t point, int sync_file);

/*
 * Probes for optional kernel support, answered by the kernel itself:
 * 1 present, 0 absent, -errno if the probe could not tell.
 */
int du_syncobj_probe_eventfd(struct du_syncobj_ctx *ctx);
int du_syncobj_probe_deadline(struct du_syncobj_ctx *ctx);

/* True if @fd is a syncobj file (its /proc/self/fd link is anon_inode:syncobj_file). */
bool du_syncobj_is_syncobj_fd(int fd);
#define DU_SYNCOBJ_FD_TARGET "anon_inode:syncobj_file"

/* Is @path a DRM device node (char major 226)? */
bool du_syncobj_is_drm_node(const char *path);

#endif
