/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pci.h - PCI devices as sysfs shows them (/sys/bus/pci), for listing them and
 * moving them between drivers.
 *
 * Every path goes through procfs.h's root prefix (DMABUF_UTILS_SYSROOT), so
 * fixture tests run against a fake /sys tree; writes land in the fixture's
 * plain files, where a test can read them back.
 */
#ifndef DU_PCI_H
#define DU_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define DU_PCI_NUM_BARS 6
#define DU_BDF_LEN 20 /* "dddd:bb:dd.f"; VMD domains have more digits */

/* struct resource flags as sysfs' resource file prints them (include/linux/ioport.h). */
#define DU_IORESOURCE_IO 0x00000100ULL
#define DU_IORESOURCE_MEM 0x00000200ULL
#define DU_IORESOURCE_PREFETCH 0x00002000ULL
#define DU_IORESOURCE_MEM_64 0x00100000ULL

struct du_pci_bar {
	uint64_t start; /* bus address; 0 with size 0 when the BAR is not implemented */
	uint64_t size;
	uint64_t flags; /* DU_IORESOURCE_* */
};

struct du_pci_dev {
	char bdf[DU_BDF_LEN];
	uint16_t vendor, device;
	uint32_t class_code; /* 24-bit class, e.g. 0x00ff00 */
	char driver[64]; /* "" when no driver is bound */
	char driver_override[64]; /* "" when not set */
	int iommu_group; /* -1 when the device has none */
	bool noiommu; /* the group is a vfio-noiommu group */
	struct du_pci_bar bars[DU_PCI_NUM_BARS];
};

/*
 * Canonicalise a PCI address: "dddd:bb:dd.f" or "bb:dd.f" (domain 0), hex,
 * any case, into "dddd:bb:dd.f" lower case.  0 or -EINVAL.
 */
int du_pci_parse_bdf(const char *s, char out[DU_BDF_LEN]);

/* Read one device; -ENODEV if there is no such device, other -errno on read errors. */
int du_pci_read(const char *bdf, struct du_pci_dev *dev);

/* Each device in address order; stops when @fn returns nonzero (and returns that). */
int du_pci_foreach(int (*fn)(const struct du_pci_dev *dev, void *arg), void *arg);

/* "mem32", "mem64", "io", ...; "" for an unimplemented BAR. */
const char *du_pci_bar_type(const struct du_pci_bar *bar);
static inline bool du_pci_bar_is_mem(const struct du_pci_bar *bar)
{
	return bar->size && (bar->flags & DU_IORESOURCE_MEM);
}

/* /dev/vfio/N or /dev/vfio/noiommu-N for the device's group; "" without a group. */
void du_pci_vfio_node(const struct du_pci_dev *dev, char *buf, size_t len);

/* The devices (BDFs) of IOMMU group @group; new array of new strings, or NULL with errno. */
char **du_pci_group_devices(int group, size_t *n);
void du_pci_free_list(char **list, size_t n);

/* Is a driver called @name registered with the PCI bus? */
bool du_pci_driver_exists(const char *name);

/*
 * Write @value to a sysfs attribute: /sys/bus/pci/devices/BDF/ATTR,
 * /sys/bus/pci/drivers/DRIVER/ATTR, or /sys/bus/pci/ATTR (drivers_probe).
 * 0 or -errno (the kernel's verdict, e.g. -ENODEV when no driver took the device).
 */
int du_pci_write_dev_attr(const char *bdf, const char *attr, const char *value);
int du_pci_write_driver_attr(const char *driver, const char *attr, const char *value);
int du_pci_write_bus_attr(const char *attr, const char *value);
/* Any sysfs attribute, e.g. a module parameter; @path is absolute, under the root prefix. */
int du_sysfs_write(const char *path, const char *value);

#endif
