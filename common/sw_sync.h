/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sw_sync.h - the kernel's sw_sync debugfs interface (CONFIG_SW_SYNC):
 * software fences that stand in for a GPU in tests and demos.
 *
 * The sw_sync ioctls are debugfs-only and not in the installed uapi
 * headers; these mirror drivers/dma-buf/sw_sync.c (stable since 4.9).
 */
#ifndef DU_SW_SYNC_H
#define DU_SW_SYNC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SW_SYNC_PATH "/sys/kernel/debug/sync/sw_sync"

struct sw_sync_create_fence_data {
	__u32 value;
	char name[32];
	__s32 fence;
};

#define SW_SYNC_IOC_MAGIC 'W'
#define SW_SYNC_IOC_CREATE_FENCE _IOWR(SW_SYNC_IOC_MAGIC, 0, struct sw_sync_create_fence_data)
#define SW_SYNC_IOC_INC _IOW(SW_SYNC_IOC_MAGIC, 1, __u32)

#endif
