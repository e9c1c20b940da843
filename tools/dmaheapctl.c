// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmaheapctl - list dma-heaps, allocate from them and audit dma-buf memory.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "err.h"
#include "feature.h"
#include "procfs.h"

static void probe_dma_heaps(struct du_probe *p)
{
	_cleanup_free_ char *dir = du_path("/dev/dma_heap");
	struct dirent *de;
	char names[192] = "";
	size_t len = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		du_probe_set(p, DU_FEATURE_MISSING, "%s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		int n;

		if (de->d_name[0] == '.' || len >= sizeof(names))
			continue;
		n = snprintf(names + len, sizeof(names) - len, "%s%.*s", len ? "," : "",
			     (int)(sizeof(names) - len - 2), de->d_name);
		len += n > 0 ? (size_t)n : 0;
	}
	closedir(d);
	if (names[0])
		du_probe_set(p, DU_FEATURE_PRESENT, "heaps: %s", names);
	else
		du_probe_set(p, DU_FEATURE_MISSING, "%s is empty", dir);
}

static void probe_memcg(struct du_probe *p)
{
	_cleanup_free_ char *ctrl = NULL;
	int r = du_path_read_str(&ctrl, "/sys/fs/cgroup/cgroup.controllers");

	if (r)
		du_probe_set(p, DU_FEATURE_MISSING, "/sys/fs/cgroup/cgroup.controllers: %s",
			     strerror(-r));
	else if (strstr(ctrl, "memory"))
		du_probe_set(p, DU_FEATURE_PRESENT, "cgroup2 controllers: %s", ctrl);
	else
		du_probe_set(p, DU_FEATURE_MISSING, "no memory in cgroup2 controllers (%s)", ctrl);
}

static void probe_memcg_dmabuf(struct du_probe *p)
{
	struct du_kvlist stat = { 0 };
	_cleanup_free_ char *text = NULL;
	int r = du_path_read_str(&text, "/sys/fs/cgroup/memory.stat");

	if (r) {
		/* The root cgroup has no memory.stat on 6.1: look at our own. */
		_cleanup_free_ char *cg = du_proc_cgroup(getpid());

		r = cg ? du_path_read_str(&text, "/sys/fs/cgroup%s/memory.stat", cg) : -ENOENT;
	}
	if (r) {
		du_probe_set(p, DU_FEATURE_UNKNOWN, "memory.stat unreadable: %s", strerror(-r));
		return;
	}
	du_kvlist_parse(&stat, text);
	if (du_kvlist_get(&stat, "dmabuf"))
		du_probe_set(p, DU_FEATURE_PRESENT, "memory.stat has a dmabuf line");
	else
		du_probe_set(p, DU_FEATURE_MISSING, "memory.stat has no dmabuf line");
	du_kvlist_free(&stat);
}

static const struct du_feature features[] = {
	{ "dma-heap", "CONFIG_DMABUF_HEAPS", "allocation from /dev/dma_heap/*", probe_dma_heaps },
	{ "memcg", "CONFIG_MEMCG + cgroup2", "cgroup2 memory controller", probe_memcg },
	{ "memcg-dmabuf", "memcg: track exported dma-buffers",
	  "dma-buf memory shown and charged in memory.stat", probe_memcg_dmabuf },
};

static const struct du_tool tool = {
	.name = "dmaheapctl",
	.summary = "List dma-heaps, allocate buffers charged to a cgroup, audit dma-buf memory.",
	.features = features,
	.nfeatures = ARRAY_SIZE(features),
};

int main(int argc, char **argv)
{
	return du_tool_main(&tool, argc, argv);
}
