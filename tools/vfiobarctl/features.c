// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * features.c - the kernel features vfiobarctl uses, for `features` and for
 * commands that must say which one is missing.
 *
 * The DMABUF interfaces belong to vfio-pci devices, so they are probed on a
 * device: $VFIOBARCTL_DEVICE if set, else the first device bound to vfio-pci
 * that can be opened.  The REASON column names it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "err.h"
#include "procfs.h"
#include "vfiobarctl.h"

static void probe_vfio(struct du_probe *p)
{
	int fd = du_probe_open(p, "/dev/vfio/vfio", O_RDWR);
	int version;

	if (fd < 0)
		return;
	version = ioctl(fd, VFIO_GET_API_VERSION);
	if (version == VFIO_API_VERSION)
		du_probe_set(p, DU_FEATURE_PRESENT, "VFIO API version %d", version);
	else
		du_probe_set(p, DU_FEATURE_MISSING, "VFIO_GET_API_VERSION returned %d", version);
	close(fd);
}

static void probe_noiommu(struct du_probe *p)
{
	_cleanup_free_ char *v = NULL;
	int r = du_path_read_str(&v, "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode");

	if (r)
		du_probe_set(p, DU_FEATURE_MISSING, "vfio enable_unsafe_noiommu_mode parameter: %s",
			     strerror(-r));
	else if (streq(v, "Y"))
		du_probe_set(p, DU_FEATURE_PRESENT, "enable_unsafe_noiommu_mode=Y");
	else
		du_probe_set(p, DU_FEATURE_MISSING,
			     "enable_unsafe_noiommu_mode=%s (boot with "
			     "vfio.enable_unsafe_noiommu_mode=1)",
			     v);
}

static void probe_vfio_pci(struct du_probe *p)
{
	if (du_pci_driver_exists("vfio-pci"))
		du_probe_set(p, DU_FEATURE_PRESENT, "/sys/bus/pci/drivers/vfio-pci exists");
	else
		du_probe_set(p, DU_FEATURE_MISSING,
			     "no vfio-pci driver in /sys/bus/pci/drivers (modprobe vfio-pci)");
}

static void probe_pat(struct du_probe *p)
{
	_cleanup_free_ char *path = du_path("/sys/kernel/debug/x86/pat_memtype_list");

	if (!access(path, R_OK))
		du_probe_set(p, DU_FEATURE_PRESENT, "%s readable", path);
	else if (errno == ENOENT)
		du_probe_set(p, DU_FEATURE_MISSING,
			     "%s absent (not x86, PAT off, or debugfs not mounted)", path);
	else
		du_probe_set(p, DU_FEATURE_UNKNOWN, "%s: %s", path, strerror(errno));
}

/* The device the DMABUF probes run on, opened once. */
static struct {
	bool tried;
	bool ok;
	struct du_vfio_dev dev;
	struct du_vfio_caps caps;
	char why[1024];
} probe_dev;

static int try_device(const struct du_pci_dev *pd, void *arg)
{
	(void)arg;
	if (!streq(pd->driver, "vfio-pci"))
		return 0;
	if (du_vfio_open(pd->bdf, &probe_dev.dev)) {
		snprintf(probe_dev.why, sizeof(probe_dev.why), "%s%s%s", probe_dev.dev.error,
			 probe_dev.dev.error_errno ? ": " : "",
			 probe_dev.dev.error_errno ? strerror(probe_dev.dev.error_errno) : "");
		return 0;
	}
	probe_dev.ok = true;
	return 1;
}

static bool open_probe_device(void)
{
	const char *env = getenv("VFIOBARCTL_DEVICE");
	char bdf[DU_BDF_LEN];

	if (probe_dev.tried)
		return probe_dev.ok;
	probe_dev.tried = true;
	snprintf(probe_dev.why, sizeof(probe_dev.why),
		 "no device bound to vfio-pci to probe with (vfiobarctl bind BDF)");
	if (env && *env) {
		struct du_pci_dev pd;

		if (du_pci_parse_bdf(env, bdf) || du_pci_read(bdf, &pd)) {
			snprintf(probe_dev.why, sizeof(probe_dev.why),
				 "VFIOBARCTL_DEVICE=%s: no such PCI device", env);
			return false;
		}
		snprintf(probe_dev.why, sizeof(probe_dev.why), "%s: not bound to vfio-pci", bdf);
		try_device(&pd, NULL);
	} else {
		du_pci_foreach(try_device, NULL);
	}
	if (probe_dev.ok)
		du_vfio_probe_caps(&probe_dev.dev, &probe_dev.caps);
	return probe_dev.ok;
}

static void probe_cap(struct du_probe *p, enum du_vfio_cap c)
{
	if (!open_probe_device())
		du_probe_set(p, DU_FEATURE_UNKNOWN, "%s", probe_dev.why);
	else
		*p = probe_dev.caps.probe[c];
}

#define CAP_PROBE(fn, cap)                                                                         \
	static void fn(struct du_probe *p)                                                         \
	{                                                                                          \
		probe_cap(p, cap);                                                                 \
	}
CAP_PROBE(probe_dma_buf, DU_VFIO_CAP_DMA_BUF)
CAP_PROBE(probe_dma_buf_mmap, DU_VFIO_CAP_DMA_BUF_MMAP)
CAP_PROBE(probe_revoke_ioctl, DU_VFIO_CAP_REVOKE_IOCTL)
CAP_PROBE(probe_attr_flags, DU_VFIO_CAP_ATTR_FLAGS)
CAP_PROBE(probe_revoke_feature, DU_VFIO_CAP_REVOKE_FEATURE)
CAP_PROBE(probe_memattr_feature, DU_VFIO_CAP_MEMATTR_FEATURE)

/* Rows VB_FIRST_CAP_FEATURE.. follow enum du_vfio_cap, for `info --features`. */
const struct du_feature vb_features[] = {
	{ "vfio", "CONFIG_VFIO", "the VFIO container/group API", probe_vfio },
	{ "vfio-noiommu", "CONFIG_VFIO_NOIOMMU",
	  "vfio-pci without an IOMMU (unsafe; test machines)", probe_noiommu },
	{ "vfio-pci", "CONFIG_VFIO_PCI", "the vfio-pci driver to bind devices to", probe_vfio_pci },
	{ "dma-buf-export", "CONFIG_VFIO_PCI_DMABUF", "export BAR ranges as DMABUFs",
	  probe_dma_buf },
	{ "dma-buf-mmap", "vfio-pci DMABUF mmap (seed series)",
	  "map exported BAR ranges into a process", probe_dma_buf_mmap },
	{ "dma-buf-revoke-ioctl", "VFIO_DEVICE_PCI_DMABUF_REVOKE (seed series)",
	  "permanently revoke a DMABUF", probe_revoke_ioctl },
	{ "dma-buf-attr-flags", "DMA_BUF flags bits 31:28 (seed series)",
	  "write-combined mappings chosen at export", probe_attr_flags },
	{ "dma-buf-revoke-feature", "VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE (13, v3)",
	  "permanently revoke a DMABUF (later ABI)", probe_revoke_feature },
	{ "dma-buf-memattr-feature", "VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR (14, v3)",
	  "write-combined mappings set per DMABUF (later ABI)", probe_memattr_feature },
	{ "x86-pat-debugfs", "CONFIG_X86_PAT, debugfs",
	  "memory types of mappings, for the maps MEMTYPE column", probe_pat },
};
const size_t vb_nfeatures = ARRAY_SIZE(vb_features);
_Static_assert(ARRAY_SIZE(vb_features) == VB_FIRST_CAP_FEATURE + DU_VFIO_NCAPS + 1, "vb_features "
										    "rows out of "
										    "step with "
										    "enum "
										    "du_vfio_cap");
