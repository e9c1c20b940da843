/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * drm_compat.h - DRM syncobj uapi that Debian 12's libdrm 2.4.114 headers
 * predate.  Values and layouts from mainline 6.6's include/uapi/drm/drm.h:
 * DRM_IOCTL_SYNCOBJ_EVENTFD (nr 0xCF) with struct drm_syncobj_eventfd, and
 * the WAIT_DEADLINE flag.
 */
#ifndef DU_DRM_COMPAT_H
#define DU_DRM_COMPAT_H

#include <drm.h>

#ifndef DRM_IOCTL_SYNCOBJ_EVENTFD
struct drm_syncobj_eventfd {
	__u32 handle;
	__u32 flags;
	__u64 point;
	__s32 fd;
	__u32 pad;
};
#define DRM_IOCTL_SYNCOBJ_EVENTFD DRM_IOWR(0xCF, struct drm_syncobj_eventfd)
#endif
#ifndef DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE
#define DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE (1 << 3)
#endif

#endif
