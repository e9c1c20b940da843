/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * DMABUF Heaps Userspace API
 *
 * Copyright (C) 2011 Google, Inc.
 * Copyright (C) 2019 Linaro Ltd.
 */
#ifndef _LINUX_DMABUF_POOL_H
#define _LINUX_DMABUF_POOL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: DMABUF Heaps Userspace API
 */

/* Valid FD_FLAGS are O_CLOEXEC, O_RDONLY, O_WRONLY, O_RDWR */
#define DMA_HEAP_VALID_FD_FLAGS (O_CLOEXEC | O_ACCMODE)

/* Currently no heap flags */
#define DMA_HEAP_VALID_HEAP_FLAGS (0)

/**
 * struct dma_heap_allocation_data - metadata passed from userspace for
 *                                      allocations
 * @len:		size of the allocation
 * @fd:			will be populated with a fd which provides the
 *			handle to the allocated dma-buf
 * @fd_flags:		file descriptor flags used when allocating
 * @heap_flags:		flags passed to heap
 * @charge_pid_fd:	optional pidfd of the process whose memory cgroup is
 *			charged for the buffer. 0 means no pidfd: the buffer
 *			is then charged to the calling process's cgroup if
 *			the dma_heap.mem_accounting kernel parameter is set,
 *			and not charged otherwise. File descriptor 0 can
 *			therefore not be passed as the pidfd; move it to a
 *			higher number first (e.g. fcntl(F_DUPFD_CLOEXEC, 1)).
 * @__padding:		reserved, must be zero
 *
 * Provided by userspace as an argument to the ioctl. Callers built against
 * the older 24-byte layout (without @charge_pid_fd and @__padding) keep
 * working: the kernel reads the missing fields as zero.
 */
struct dma_heap_allocation_data {
	__u64 len;
	__u32 fd;
	__u32 fd_flags;
	__u64 heap_flags;
	__u32 charge_pid_fd;
	__u32 __padding;
};

#define DMA_HEAP_IOC_MAGIC		'H'

/**
 * DOC: DMA_HEAP_IOCTL_ALLOC - allocate memory from pool
 *
 * Takes a dma_heap_allocation_data struct and returns it with the fd field
 * populated with the dmabuf handle of the allocation.
 *
 * If charge_pid_fd names a process, the buffer is charged to that process's
 * memory cgroup (memory.stat "dmabuf") until the last reference to the buffer
 * is dropped. Errors of the charging path: EBADF if charge_pid_fd is not an
 * open pidfd, ESRCH if that process has exited, EACCES or EPERM if a security
 * module denies the charge, ENOMEM if the charge exceeds the cgroup's
 * memory.max, EINVAL if __padding is not zero.
 */
#define DMA_HEAP_IOCTL_ALLOC	_IOWR(DMA_HEAP_IOC_MAGIC, 0x0,\
				      struct dma_heap_allocation_data)

#endif /* _LINUX_DMABUF_POOL_H */
