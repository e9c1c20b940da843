// SPDX-License-Identifier: GPL-2.0-only
/*
 * include/uapi/linux/vfio.h against the vfio-pci dma-buf ABI it must match
 * byte for byte: mainline's VFIO_DEVICE_FEATURE_DMA_BUF (v6.19) and the
 * seed series' VFIO_DEVICE_PCI_DMABUF_REVOKE and mapping attribute bits
 * (Matt Evans, "vfio/pci: Add mmap() for DMABUFs" v1).  Values from
 * ../shared/reference/vfio.md.
 *
 * Every check is a _Static_assert: a mismatch fails the build of this test.
 * At run time it prints the values as TAP, for the log.
 */
#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include <linux/vfio.h>

/* The legacy container/group API the tools and the selftest use */
_Static_assert(VFIO_API_VERSION == 0, "VFIO_API_VERSION");
_Static_assert(VFIO_TYPE == ';' && VFIO_BASE == 100, "VFIO_TYPE/VFIO_BASE");
_Static_assert(VFIO_NOIOMMU_IOMMU == 8, "VFIO_NOIOMMU_IOMMU");
_Static_assert(VFIO_GROUP_GET_DEVICE_FD == 0x3b6a, "VFIO_GROUP_GET_DEVICE_FD");
_Static_assert(VFIO_DEVICE_GET_REGION_INFO == 0x3b6c, "VFIO_DEVICE_GET_REGION_INFO");
_Static_assert(sizeof(struct vfio_region_info) == 32, "struct vfio_region_info");

/* VFIO_DEVICE_FEATURE */
_Static_assert(VFIO_DEVICE_FEATURE == _IO(';', 100 + 17), "VFIO_DEVICE_FEATURE");
_Static_assert(VFIO_DEVICE_FEATURE == 0x3b75, "VFIO_DEVICE_FEATURE value");
_Static_assert(VFIO_DEVICE_FEATURE_MASK == 0xffff, "VFIO_DEVICE_FEATURE_MASK");
_Static_assert(VFIO_DEVICE_FEATURE_GET == (1 << 16), "VFIO_DEVICE_FEATURE_GET");
_Static_assert(VFIO_DEVICE_FEATURE_SET == (1 << 17), "VFIO_DEVICE_FEATURE_SET");
_Static_assert(VFIO_DEVICE_FEATURE_PROBE == (1 << 18), "VFIO_DEVICE_FEATURE_PROBE");
_Static_assert(sizeof(struct vfio_device_feature) == 8, "struct vfio_device_feature");
_Static_assert(offsetof(struct vfio_device_feature, argsz) == 0, "feature.argsz");
_Static_assert(offsetof(struct vfio_device_feature, flags) == 4, "feature.flags");
_Static_assert(offsetof(struct vfio_device_feature, data) == 8, "feature.data");

/* Feature numbers: the 6.1 ones around, and mainline's DMA_BUF */
_Static_assert(VFIO_DEVICE_FEATURE_PCI_VF_TOKEN == 0, "PCI_VF_TOKEN");
_Static_assert(VFIO_DEVICE_FEATURE_MIGRATION == 1, "MIGRATION");
_Static_assert(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY == 3, "LOW_POWER_ENTRY");
_Static_assert(VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT == 8, "DMA_LOGGING_REPORT");
_Static_assert(VFIO_DEVICE_FEATURE_DMA_BUF == 11, "VFIO_DEVICE_FEATURE_DMA_BUF");

/* struct vfio_region_dma_range: { __u64 offset; __u64 length; } */
_Static_assert(sizeof(struct vfio_region_dma_range) == 16, "vfio_region_dma_range size");
_Static_assert(offsetof(struct vfio_region_dma_range, offset) == 0, "range.offset");
_Static_assert(offsetof(struct vfio_region_dma_range, length) == 8, "range.length");
_Static_assert(sizeof(((struct vfio_region_dma_range *)0)->offset) == 8, "range.offset size");
_Static_assert(sizeof(((struct vfio_region_dma_range *)0)->length) == 8, "range.length size");

/* struct vfio_device_feature_dma_buf: 16-byte header, then the ranges */
_Static_assert(sizeof(struct vfio_device_feature_dma_buf) == 16, "feature_dma_buf size");
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, region_index) == 0, "region_index");
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, open_flags) == 4, "open_flags");
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, flags) == 8, "flags");
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, nr_ranges) == 12, "nr_ranges");
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, dma_ranges) == 16, "dma_ranges");
_Static_assert(sizeof(((struct vfio_device_feature_dma_buf *)0)->flags) == 4, "flags size");

/* The seed's mapping attribute: a value in bits [31:28] of flags */
_Static_assert(VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_MASK == 0xf0000000U, "ATTR_MASK");
_Static_assert(VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_UC == 0, "ATTR_UC");
_Static_assert(VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_WC == 0x10000000, "ATTR_WC");
_Static_assert((VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_WC & ~VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_MASK) == 0,
	       "ATTR_WC inside ATTR_MASK");

/* The seed's revoke ioctl on the device fd */
_Static_assert(VFIO_DEVICE_PCI_DMABUF_REVOKE == _IO(';', 100 + 22), "DMABUF_REVOKE");
_Static_assert(VFIO_DEVICE_PCI_DMABUF_REVOKE == 0x3b7a, "DMABUF_REVOKE value");
_Static_assert(sizeof(struct vfio_pci_dmabuf_revoke) == 8, "vfio_pci_dmabuf_revoke size");
_Static_assert(offsetof(struct vfio_pci_dmabuf_revoke, argsz) == 0, "revoke.argsz");
_Static_assert(offsetof(struct vfio_pci_dmabuf_revoke, dmabuf_fd) == 4, "revoke.dmabuf_fd");
_Static_assert((__typeof__(((struct vfio_pci_dmabuf_revoke *)0)->dmabuf_fd))-1 < 0, "revoke.dmabuf_"
										    "fd is signed");

int main(void)
{
	printf("1..4\n");
	printf("ok 1 - VFIO_DEVICE_FEATURE_DMA_BUF = %d, VFIO_DEVICE_FEATURE = 0x%lx\n",
	       VFIO_DEVICE_FEATURE_DMA_BUF, (unsigned long)VFIO_DEVICE_FEATURE);
	printf("ok 2 - struct vfio_device_feature_dma_buf %zu bytes + %zu per range\n",
	       sizeof(struct vfio_device_feature_dma_buf), sizeof(struct vfio_region_dma_range));
	printf("ok 3 - ATTR_MASK 0x%08x, ATTR_UC 0x%08x, ATTR_WC 0x%08x\n",
	       (unsigned int)VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_MASK,
	       (unsigned int)VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_UC,
	       (unsigned int)VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_WC);
	printf("ok 4 - VFIO_DEVICE_PCI_DMABUF_REVOKE = 0x%lx, struct %zu bytes\n",
	       (unsigned long)VFIO_DEVICE_PCI_DMABUF_REVOKE, sizeof(struct vfio_pci_dmabuf_revoke));
	return 0;
}
