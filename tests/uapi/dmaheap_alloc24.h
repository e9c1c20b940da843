/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dmaheap_alloc24.h - struct dma_heap_allocation_data before charge_pid_fd
 * (Linux 5.6 to today's mainline), as old binaries pass it.  One copy, so
 * that dmaheap_uapi_test checks the very layout dmaheap-ioctl -o sends.
 */
#ifndef DU_DMAHEAP_ALLOC24_H
#define DU_DMAHEAP_ALLOC24_H

#include <linux/dma-heap.h>
#include <linux/ioctl.h>

struct dma_heap_allocation_data_24 {
	__u64 len;
	__u32 fd;
	__u32 fd_flags;
	__u64 heap_flags;
};

#define DMA_HEAP_IOCTL_ALLOC_24 _IOWR(DMA_HEAP_IOC_MAGIC, 0x0, struct dma_heap_allocation_data_24)

#endif
