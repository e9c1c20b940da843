// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfiobarctl - export vfio-pci BAR ranges as DMABUFs, map, vend and revoke them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"
#include "err.h"
#include "feature.h"
#include "procfs.h"

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

static const struct du_feature features[] = {
	{ "vfio", "CONFIG_VFIO", "the VFIO container/group API", probe_vfio },
	{ "vfio-noiommu", "CONFIG_VFIO_NOIOMMU",
	  "vfio-pci without an IOMMU (unsafe; test machines)", probe_noiommu },
};

static const struct du_tool tool = {
	.name = "vfiobarctl",
	.summary = "Export vfio-pci BAR ranges as DMABUFs, map, vend and revoke them.",
	.features = features,
	.nfeatures = ARRAY_SIZE(features),
};

int main(int argc, char **argv)
{
	return du_tool_main(&tool, argc, argv);
}
