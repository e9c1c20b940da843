// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syncobjctl - create, signal, wait on and inspect DRM syncobjs from the shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <xf86drm.h>

#include "cmd.h"
#include "err.h"
#include "feature.h"

/* First render node whose driver reports DRM capability @cap. */
static void probe_render_cap(struct du_probe *p, uint64_t cap, const char *cap_name)
{
	char path[64];
	bool any_node = false;

	for (int minor = 128; minor < 192; minor++) {
		uint64_t value = 0;
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", minor);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		any_node = true;
		if (drmGetCap(fd, cap, &value) == 0 && value) {
			drmVersionPtr v = drmGetVersion(fd);

			du_probe_set(p, DU_FEATURE_PRESENT, "%s (%s) reports %s", path,
				     v ? v->name : "?", cap_name);
			drmFreeVersion(v);
			close(fd);
			return;
		}
		close(fd);
	}
	if (any_node)
		du_probe_set(p, DU_FEATURE_MISSING, "no render node reports %s", cap_name);
	else
		du_probe_set(p, DU_FEATURE_MISSING, "no /dev/dri/renderD* node can be opened");
}

static void probe_drm_syncobj(struct du_probe *p)
{
	probe_render_cap(p, DRM_CAP_SYNCOBJ, "DRM_CAP_SYNCOBJ");
}

static void probe_drm_syncobj_timeline(struct du_probe *p)
{
	probe_render_cap(p, DRM_CAP_SYNCOBJ_TIMELINE, "DRM_CAP_SYNCOBJ_TIMELINE");
}

static void probe_sw_sync(struct du_probe *p)
{
	int fd = du_probe_open(p, "/sys/kernel/debug/sync/sw_sync", O_RDWR);

	if (fd < 0)
		return;
	du_probe_set(p, DU_FEATURE_PRESENT, "/sys/kernel/debug/sync/sw_sync opens");
	close(fd);
}

static const struct du_feature features[] = {
	{ "drm-syncobj", "a DRM driver with DRIVER_SYNCOBJ",
	  "binary syncobjs on a render node (libdrm back end)", probe_drm_syncobj },
	{ "drm-syncobj-timeline", "a DRM driver with DRIVER_SYNCOBJ_TIMELINE",
	  "timeline points on a render node", probe_drm_syncobj_timeline },
	{ "sw-sync", "CONFIG_SW_SYNC + debugfs",
	  "software sync_file timelines for tests (debugfs sync/sw_sync)", probe_sw_sync },
};

static const struct du_tool tool = {
	.name = "syncobjctl",
	.summary = "Create, signal, wait on and inspect DRM syncobjs.",
	.features = features,
	.nfeatures = ARRAY_SIZE(features),
};

int main(int argc, char **argv)
{
	return du_tool_main(&tool, argc, argv);
}
