// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * features.c - the kernel features dmaheapctl can use, and how to tell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "cgroup.h"
#include "dmaheapctl.h"
#include "err.h"
#include "fdref.h"
#include "procfs.h"

static int probe_heap_fd = -1;

void dh_features_use_heap(int heap_fd)
{
	probe_heap_fd = heap_fd;
}

static void probe_dma_heaps(struct du_probe *p)
{
	char **names = NULL, list[192] = "";
	size_t len = 0;
	int n = dh_heap_names(&names);

	if (n < 0) {
		du_probe_set(p, DU_FEATURE_MISSING, "%s: %s", DH_HEAP_DIR, strerror(-n));
		return;
	}
	for (int i = 0; i < n && len < sizeof(list); i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? "," : "", names[i]);
	if (n)
		du_probe_set(p, DU_FEATURE_PRESENT, "heaps: %s", list);
	else
		du_probe_set(p, DU_FEATURE_MISSING, "%s is empty", DH_HEAP_DIR);
	dh_heap_names_free(names, n);
}

static void probe_pidfd(struct du_probe *p)
{
	int fd = du_pidfd_open(getpid(), 0);

	if (fd >= 0) {
		close(fd);
		du_probe_set(p, DU_FEATURE_PRESENT, "pidfd_open() works");
	} else if (errno == ENOSYS) {
		du_probe_set(p, DU_FEATURE_MISSING, "pidfd_open() returns ENOSYS");
	} else {
		du_probe_set(p, DU_FEATURE_UNKNOWN, "pidfd_open() returns %s",
			     strerrorname_np(errno));
	}
}

static void probe_memcg(struct du_probe *p)
{
	_cleanup_free_ char *ctrl = NULL, *f = NULL;
	const char *dir;
	int r = du_cgroup_mount(&dir);

	if (r == -EOPNOTSUPP) {
		du_probe_set(p, DU_FEATURE_MISSING, "memory controller is on cgroup v1 (%s)", dir);
		return;
	}
	if (r) {
		du_probe_set(p, DU_FEATURE_MISSING, "no cgroup2 hierarchy at %s", dir);
		return;
	}
	f = du_cgroup_file("/", "cgroup.controllers");
	ctrl = du_read_file(f);
	if (!ctrl)
		du_probe_set(p, DU_FEATURE_MISSING, "%s: %s", f, strerror(errno));
	else if (strstr(ctrl, "memory"))
		du_probe_set(p, DU_FEATURE_PRESENT, "cgroup2 at %s has the memory controller", dir);
	else
		du_probe_set(p, DU_FEATURE_MISSING, "cgroup2 at %s has no memory controller", dir);
}

static void probe_memcg_dmabuf(struct du_probe *p)
{
	struct du_kvlist stat = { 0 };
	_cleanup_free_ char *own = NULL, *memcg = NULL;
	const char *dir, *where = "/";
	int r = du_cgroup_mount(&dir);

	if (r) {
		du_probe_set(p, DU_FEATURE_MISSING, "no cgroup2 memory controller");
		return;
	}
	r = du_cgroup_read_kv("/", "memory.stat", &stat);
	if (r) {
		/* Kernels before 5.x have no memory.stat on the root: use our own cgroup. */
		own = du_proc_cgroup(getpid());
		memcg = own ? du_cgroup_memcg(own) : NULL;
		where = memcg ? memcg : "?";
		r = memcg ? du_cgroup_read_kv(memcg, "memory.stat", &stat) : -ENOENT;
	}
	if (r)
		du_probe_set(p, DU_FEATURE_UNKNOWN, "memory.stat unreadable: %s", strerror(-r));
	else if (du_kvlist_get(&stat, "dmabuf"))
		du_probe_set(p, DU_FEATURE_PRESENT, "memory.stat of %s has a dmabuf line", where);
	else
		du_probe_set(p, DU_FEATURE_MISSING, "memory.stat of %s has no dmabuf line", where);
	du_kvlist_free(&stat);
}

static void probe_charge_pid_fd(struct du_probe *p)
{
	char **names = NULL;
	int n, fd = probe_heap_fd;

	if (fd >= 0) {
		dh_probe_charge(fd, p);
		return;
	}
	n = dh_heap_names(&names);
	if (n <= 0) {
		du_probe_set(p, DU_FEATURE_MISSING, "no dma-heap to probe");
		dh_heap_names_free(names, 0);
		return;
	}
	{
		_cleanup_free_ char *path = dh_heap_path(names[0]);

		fd = du_probe_open(p, path, O_RDONLY);
	}
	dh_heap_names_free(names, n);
	if (fd < 0)
		return;
	dh_probe_charge(fd, p);
	close(fd);
}

static void probe_mem_accounting(struct du_probe *p)
{
	_cleanup_free_ char *v = NULL;
	int r = du_path_read_str(&v, "/sys/module/dma_heap/parameters/mem_accounting");

	if (r == -ENOENT)
		du_probe_set(p, DU_FEATURE_MISSING, "no dma_heap.mem_accounting parameter");
	else if (r)
		du_probe_set(p, DU_FEATURE_UNKNOWN, "dma_heap.mem_accounting: %s", strerror(-r));
	else
		du_probe_set(p, DU_FEATURE_PRESENT,
			     "dma_heap.mem_accounting=%s (allocations without a pidfd %s)", v,
			     streq(v, "Y") ? "are charged to the caller" : "are not charged");
}

static void probe_selinux_class(struct du_probe *p)
{
	_cleanup_free_ char *perm = du_path("/sys/fs/selinux/class/dma_heap/perms/charge_to");
	_cleanup_free_ char *fs = du_path("/sys/fs/selinux/class");

	if (!access(perm, F_OK))
		du_probe_set(p, DU_FEATURE_PRESENT, "loaded policy has dma_heap { charge_to }");
	else if (access(fs, F_OK))
		du_probe_set(p, DU_FEATURE_UNKNOWN, "selinuxfs not mounted or no policy loaded");
	else
		du_probe_set(p, DU_FEATURE_MISSING, "loaded policy has no dma_heap class");
}

static void probe_debugfs(struct du_probe *p)
{
	_cleanup_free_ char *path = du_path("/sys/kernel/debug/dma_buf/bufinfo");
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		du_probe_set(p, DU_FEATURE_PRESENT, "%s readable", path);
	} else if (errno == ENOENT) {
		du_probe_set(p, DU_FEATURE_MISSING, "%s absent (debugfs not mounted?)", path);
	} else {
		du_probe_set(p, DU_FEATURE_UNKNOWN, "%s: %s", path, strerror(errno));
	}
}

const struct du_feature dh_features[] = {
	{ "dma-heap", "CONFIG_DMABUF_HEAPS", "allocation from /dev/dma_heap/*", probe_dma_heaps },
	{ "pidfd", "Linux 5.3", "pidfd_open(), to name the process to charge", probe_pidfd },
	{ "memcg", "CONFIG_MEMCG + cgroup2", "cgroup2 memory controller", probe_memcg },
	{ "memcg-dmabuf", "memcg: track exported dma-buffers",
	  "dma-buf memory shown and charged in memory.stat (dmabuf)", probe_memcg_dmabuf },
	{ "charge-pid-fd", "dma-heap: charge dma-buf memory via explicit memcg",
	  "alloc --charge-pid: charge another process's cgroup", probe_charge_pid_fd },
	{ "mem-accounting", "dma-buf: heaps: add parameter to account allocations using cgroup",
	  "dma_heap.mem_accounting: charge allocations without a pidfd to the caller",
	  probe_mem_accounting },
	{ "selinux-dma-heap", "selinux: dma_heap class",
	  "SELinux dma_heap { charge_to } in the loaded policy", probe_selinux_class },
	{ "dmabuf-debugfs", "CONFIG_DEBUG_FS",
	  "audit sees buffers no process holds (dma_buf/bufinfo)", probe_debugfs },
};
