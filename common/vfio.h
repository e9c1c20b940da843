/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio.h - a vfio-pci device from userspace: the legacy container/group/device
 * flow (the only one Linux 6.1 has; works with noiommu), region info, and the
 * BAR DMABUF interfaces: export (VFIO_DEVICE_FEATURE_DMA_BUF), the seed's
 * revoke ioctl and WC attribute bits, and the later feature-based revoke and
 * memattr.  Each DMABUF interface is probed, and the helpers use whichever
 * one the running kernel offers.
 */
#ifndef DU_VFIO_H
#define DU_VFIO_H

#include <linux/vfio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "feature.h"
#include "pci.h"

/*
 * Matt Evans' series v3 (2026-06-10) replaced the seed's revoke ioctl and
 * attribute bits with two device features.  The header the kernel series
 * installs carries the seed's ABI only, so the later one is defined here,
 * from the v3 posting, and nowhere else.
 */
#ifndef VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE
#define VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE 13
struct vfio_device_feature_dma_buf_revoke {
	__s32 dmabuf_fd;
};
#endif
#ifndef VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR
#define VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR 14
struct vfio_device_feature_dma_buf_memattr {
	__s32 dmabuf_fd;
	__u32 memattr;
};
#define VFIO_DEVICE_DMA_BUF_MEMATTR_NC 0
#define VFIO_DEVICE_DMA_BUF_MEMATTR_WC 1
#endif

/* vfio-pci region indexes past the BARs (VFIO_PCI_*_REGION_INDEX). */
#define DU_VFIO_ROM_REGION 6
#define DU_VFIO_CONFIG_REGION 7
#define DU_VFIO_VGA_REGION 8

struct du_vfio_dev {
	char bdf[DU_BDF_LEN];
	char node[64]; /* /dev/vfio/N or /dev/vfio/noiommu-N */
	int group_id;
	bool noiommu;
	int container, group, device; /* all O_CLOEXEC; -1 when closed */
	struct vfio_device_info info;
	char error[512]; /* why du_vfio_open() failed */
	int error_errno;
};

/*
 * Open @bdf through /dev/vfio/vfio, its group node and
 * VFIO_GROUP_GET_DEVICE_FD.  Returns 0, or the exit code (DU_EXIT_FAILURE,
 * DU_EXIT_NOFEATURE without VFIO) with d->error saying in one line, naming
 * the object, what failed and what to do about it (not bound to vfio-pci,
 * group not viable, group open in another process, CAP_SYS_RAWIO for
 * noiommu); du_vfio_report() prints it.
 */
int du_vfio_open(const char *bdf, struct du_vfio_dev *d);
void du_vfio_report(const struct du_vfio_dev *d);
void du_vfio_close(struct du_vfio_dev *d);

/* Processes holding @path (a /dev/vfio node) open; returns the count, stores up to @max pids. */
size_t du_vfio_node_holders(const char *path, pid_t *pids, size_t max);

struct du_vfio_area {
	uint64_t offset, size;
};

struct du_vfio_region {
	uint32_t index, flags;
	uint64_t size, offset; /* offset: where the region starts in the device fd */
	bool sparse; /* has the sparse mmap capability: mmap only @areas */
	size_t nareas;
	struct du_vfio_area *areas;
	bool typed; /* has the type capability */
	uint32_t type, subtype;
};

/* VFIO_DEVICE_GET_REGION_INFO with its capabilities; 0 or -errno. */
int du_vfio_region(const struct du_vfio_dev *d, uint32_t index, struct du_vfio_region *r);
void du_vfio_region_free(struct du_vfio_region *r);
/* "BAR0".."BAR5", "ROM", "CONFIG", "VGA", or "" for device-specific regions. */
const char *du_vfio_region_name(uint32_t index);

/* The DMABUF interfaces a device may offer, in the order features are listed. */
enum du_vfio_cap {
	DU_VFIO_CAP_DMA_BUF, /* VFIO_DEVICE_FEATURE_DMA_BUF (11): export */
	DU_VFIO_CAP_DMA_BUF_MMAP, /* mmap() of an exported DMABUF */
	DU_VFIO_CAP_REVOKE_IOCTL, /* the seed's VFIO_DEVICE_PCI_DMABUF_REVOKE */
	DU_VFIO_CAP_ATTR_FLAGS, /* the seed's UC/WC bits [31:28] of the export flags */
	DU_VFIO_CAP_REVOKE_FEATURE, /* VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE (13) */
	DU_VFIO_CAP_MEMATTR_FEATURE, /* VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR (14) */
	DU_VFIO_NCAPS
};

struct du_vfio_caps {
	struct du_probe probe[DU_VFIO_NCAPS];
};

/* Probe every capability on an open device (exports and maps one page if it can). */
void du_vfio_probe_caps(const struct du_vfio_dev *d, struct du_vfio_caps *caps);
static inline bool du_vfio_has(const struct du_vfio_caps *caps, enum du_vfio_cap c)
{
	return caps->probe[c].state == DU_FEATURE_PRESENT;
}

struct du_vfio_range {
	uint64_t offset, length;
};

/*
 * VFIO_DEVICE_FEATURE_DMA_BUF exactly as given: @nr_ranges goes into the
 * struct as it is while @nranges ranges are copied after it (tests pass
 * mismatching values on purpose).  Returns the new fd or -errno.
 */
int du_vfio_dma_buf_raw(int devfd, uint32_t region, uint32_t open_flags, uint32_t flags,
			uint32_t nr_ranges, const struct du_vfio_range *ranges, size_t nranges);

enum du_vfio_attr {
	DU_VFIO_ATTR_UC,
	DU_VFIO_ATTR_WC,
};

/*
 * Export @n ranges of BAR @bar as one DMABUF (O_RDWR | O_CLOEXEC) whose CPU
 * mappings get @attr: through the export flags' attribute bits, or the
 * memattr feature, whichever @caps says the kernel has.  Returns the fd,
 * -EOPNOTSUPP when the kernel cannot give @attr, or the kernel's -errno.
 */
int du_vfio_export(const struct du_vfio_dev *d, const struct du_vfio_caps *caps, uint32_t bar,
		   const struct du_vfio_range *ranges, size_t n, enum du_vfio_attr attr);

/*
 * Permanently revoke DMABUF @dmabuf_fd of this device: the seed's ioctl, or
 * the revoke feature.  0, -EOPNOTSUPP without either, or the kernel's -errno.
 */
int du_vfio_revoke(const struct du_vfio_dev *d, const struct du_vfio_caps *caps, int dmabuf_fd);

#endif
