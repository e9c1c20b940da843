/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * /dev/syncobj: DRM synchronization objects without a DRM device.
 *
 * Every syncobj is a file descriptor (O_CLOEXEC when the kernel creates it);
 * closing the last descriptor destroys it.  The descriptors are the same as
 * those of DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, so a syncobj can move between
 * this device and any DRM device.  Flag values equal their DRM_SYNCOBJ_*
 * counterparts in <drm/drm.h>.
 */
#ifndef _UAPI_LINUX_SYNCOBJ_H_
#define _UAPI_LINUX_SYNCOBJ_H_

#include <linux/ioctl.h>
#include <linux/types.h>

/* syncobj_create_args.flags: start out with a signaled fence */
#define SYNCOBJ_CREATE_SIGNALED			(1 << 0)

/* syncobj_wait_args.flags */
#define SYNCOBJ_WAIT_FLAGS_WAIT_ALL		(1 << 0)
#define SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT	(1 << 1)
#define SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE	(1 << 2)
#define SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE	(1 << 3)

/* syncobj_array_args.flags of SYNCOBJ_IOC_QUERY */
#define SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED	(1 << 0)

/* SYNCOBJ_IOC_CREATE: fd is returned */
struct syncobj_create_args {
	__s32 fd;
	__u32 flags;
};

/*
 * SYNCOBJ_IOC_WAIT: fds points to count __s32 syncobj fds, points to count
 * __u64 timeline points (0: point 0 of every syncobj).  timeout_nsec is an
 * absolute CLOCK_MONOTONIC time (0: poll).  first_signaled is returned when
 * not waiting for all.  deadline_nsec (absolute CLOCK_MONOTONIC) is read
 * with SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE only.  pad must be 0.
 */
struct syncobj_wait_args {
	__u64 fds;
	__u64 points;
	__s64 timeout_nsec;
	__u32 count;
	__u32 flags;
	__u32 first_signaled;
	__u32 pad;
	__u64 deadline_nsec;
};

/*
 * SYNCOBJ_IOC_RESET (points must be 0), SYNCOBJ_IOC_SIGNAL (points may be
 * 0 for point 0 of every syncobj), SYNCOBJ_IOC_QUERY (points receives one
 * __u64 per syncobj).  fds points to count __s32 syncobj fds.
 */
struct syncobj_array_args {
	__u64 fds;
	__u64 points;
	__u32 count;
	__u32 flags;
};

/*
 * SYNCOBJ_IOC_TRANSFER: copy the fence of src_point of src_fd to dst_point
 * of dst_fd (dst_point 0: replace the fence).  flags may be
 * SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT; pad must be 0.
 */
struct syncobj_transfer_args {
	__s32 src_fd;
	__s32 dst_fd;
	__u64 src_point;
	__u64 dst_point;
	__u32 flags;
	__u32 pad;
};

/*
 * SYNCOBJ_IOC_EVENTFD: add 1 to eventfd once point of syncobj_fd signals,
 * or, with flags SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, once it has a fence.
 * pad must be 0.
 */
struct syncobj_eventfd_args {
	__s32 syncobj_fd;
	__s32 eventfd;
	__u64 point;
	__u32 flags;
	__u32 pad;
};

/*
 * SYNCOBJ_IOC_EXPORT_SYNC_FILE returns in sync_file_fd a new sync_file for
 * the fence of point; SYNCOBJ_IOC_IMPORT_SYNC_FILE adds the fence of
 * sync_file_fd as point (0: replaces the fence).
 */
struct syncobj_sync_file_args {
	__s32 syncobj_fd;
	__s32 sync_file_fd;
	__u64 point;
};

#define SYNCOBJ_IOC_BASE		0xCD

#define SYNCOBJ_IOC_CREATE		_IOWR(SYNCOBJ_IOC_BASE, 0, struct syncobj_create_args)
#define SYNCOBJ_IOC_WAIT		_IOWR(SYNCOBJ_IOC_BASE, 1, struct syncobj_wait_args)
#define SYNCOBJ_IOC_RESET		_IOW(SYNCOBJ_IOC_BASE, 2, struct syncobj_array_args)
#define SYNCOBJ_IOC_SIGNAL		_IOW(SYNCOBJ_IOC_BASE, 3, struct syncobj_array_args)
#define SYNCOBJ_IOC_QUERY		_IOW(SYNCOBJ_IOC_BASE, 4, struct syncobj_array_args)
#define SYNCOBJ_IOC_TRANSFER		_IOW(SYNCOBJ_IOC_BASE, 5, struct syncobj_transfer_args)
#define SYNCOBJ_IOC_EVENTFD		_IOW(SYNCOBJ_IOC_BASE, 6, struct syncobj_eventfd_args)
#define SYNCOBJ_IOC_EXPORT_SYNC_FILE	_IOWR(SYNCOBJ_IOC_BASE, 7, struct syncobj_sync_file_args)
#define SYNCOBJ_IOC_IMPORT_SYNC_FILE	_IOW(SYNCOBJ_IOC_BASE, 8, struct syncobj_sync_file_args)

#endif /* _UAPI_LINUX_SYNCOBJ_H_ */
