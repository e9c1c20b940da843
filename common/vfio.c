// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio.c - a vfio-pci device from userspace: container/group/device, regions,
 * and the BAR DMABUF interfaces.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "err.h"
#include "procfs.h"
#include "vfio.h"

/* ---- finding who holds a node open ---- */

struct holders {
	const char *path;
	pid_t *pids;
	size_t max, n;
	pid_t last;
};

static int holder_fd(pid_t pid, int fd, const char *target, void *arg)
{
	struct holders *h = arg;

	(void)fd;
	if (!streq(target, h->path) || h->last == pid)
		return 0;
	if (h->n < h->max)
		h->pids[h->n] = pid;
	h->n++;
	h->last = pid;
	return 0;
}

static int holder_pid(pid_t pid, void *arg)
{
	du_proc_foreach_fd(pid, holder_fd, arg);
	return 0;
}

size_t du_vfio_node_holders(const char *path, pid_t *pids, size_t max)
{
	struct holders h = { path, pids, max, 0, 0 };

	du_proc_foreach_pid(holder_pid, &h);
	return h.n;
}

/* ---- opening ---- */

void du_vfio_close(struct du_vfio_dev *d)
{
	int *fds[] = { &d->device, &d->group, &d->container };

	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

static int set_error(struct du_vfio_dev *d, int code, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->error, sizeof(d->error), fmt, ap);
	va_end(ap);
	d->error_errno = err;
	return code;
}

void du_vfio_report(const struct du_vfio_dev *d)
{
	du_report(d->error_errno, "%s", d->error);
}

static int report_busy(struct du_vfio_dev *d)
{
	pid_t pids[4];
	size_t n = du_vfio_node_holders(d->node, pids, ARRAY_SIZE(pids));
	char comm[64];

	if (!n)
		return set_error(d, DU_EXIT_FAILURE, EBUSY, "%s: cannot open group", d->node);
	du_proc_comm(pids[0], comm, sizeof(comm));
	return set_error(d, DU_EXIT_FAILURE, EBUSY,
			 "%s: cannot open group (held by pid %d, %s%s; a group opens once)",
			 d->node, (int)pids[0], comm, n > 1 ? ", and others" : "");
}

/* Why is the group not viable?  Name the first device not on vfio-pci. */
static int report_not_viable(struct du_vfio_dev *d)
{
	size_t n;
	char **devs = du_pci_group_devices(d->group_id, &n);

	for (size_t i = 0; devs && i < n; i++) {
		struct du_pci_dev pd;

		if (du_pci_read(devs[i], &pd) || !pd.driver[0] || streq(pd.driver, "vfio-pci"))
			continue;
		set_error(d, DU_EXIT_FAILURE, 0,
			  "%s: group %d is not viable: %s in the same group is bound to %s "
			  "(bind or unbind every device of the group)",
			  d->bdf, d->group_id, pd.bdf, pd.driver);
		du_pci_free_list(devs, n);
		return DU_EXIT_FAILURE;
	}
	if (devs)
		du_pci_free_list(devs, n);
	return set_error(d, DU_EXIT_FAILURE, 0, "%s: group %d is not viable", d->bdf, d->group_id);
}

static int open_group(struct du_vfio_dev *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };

	d->group = open(d->node, O_RDWR | O_CLOEXEC);
	if (d->group < 0) {
		int err = errno;

		if (err == EBUSY)
			return report_busy(d);
		if (err == EPERM && d->noiommu)
			return set_error(d, DU_EXIT_FAILURE, err,
					 "%s: cannot open group (noiommu groups need "
					 "CAP_SYS_RAWIO)",
					 d->node);
		return set_error(d, DU_EXIT_FAILURE, err, "%s: cannot open group", d->node);
	}
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &status))
		return set_error(d, DU_EXIT_FAILURE, errno, "%s: VFIO_GROUP_GET_STATUS failed",
				 d->node);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return report_not_viable(d);
	return 0;
}

static int set_iommu(struct du_vfio_dev *d)
{
	static const int types[] = { VFIO_TYPE1v2_IOMMU, VFIO_TYPE1_IOMMU };

	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container))
		return set_error(d, DU_EXIT_FAILURE, errno, "%s: VFIO_GROUP_SET_CONTAINER failed",
				 d->node);
	if (d->noiommu) {
		if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU) != 1)
			return set_error(d, DU_EXIT_NOFEATURE, 0,
					 "%s: the container does not offer the noiommu IOMMU "
					 "(vfio.enable_unsafe_noiommu_mode is off)",
					 d->node);
		if (ioctl(d->container, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU))
			return set_error(d, DU_EXIT_FAILURE, errno,
					 "%s: VFIO_SET_IOMMU(noiommu) failed", d->node);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (ioctl(d->container, VFIO_CHECK_EXTENSION, types[i]) == 1 &&
		    !ioctl(d->container, VFIO_SET_IOMMU, types[i]))
			return 0;
	return set_error(d, DU_EXIT_FAILURE, errno, "%s: no usable IOMMU type for the container",
			 d->node);
}

static int check_bound(const char *bdf, struct du_vfio_dev *d)
{
	struct du_pci_dev pd;
	int r = du_pci_read(bdf, &pd);

	if (r == -ENODEV)
		return set_error(d, DU_EXIT_FAILURE, -r, "%s: no such PCI device", bdf);
	if (r)
		return set_error(d, DU_EXIT_FAILURE, -r, "%s: cannot read the PCI device", bdf);
	if (!streq(pd.driver, "vfio-pci"))
		return set_error(d, DU_EXIT_FAILURE, 0,
				 "%s: not bound to vfio-pci (driver: %s); run 'vfiobarctl bind %s'",
				 bdf, pd.driver[0] ? pd.driver : "none", bdf);
	if (pd.iommu_group < 0)
		return set_error(d, DU_EXIT_FAILURE, 0,
				 "%s: bound to vfio-pci but has no IOMMU group", bdf);
	d->group_id = pd.iommu_group;
	d->noiommu = pd.noiommu;
	du_pci_vfio_node(&pd, d->node, sizeof(d->node));
	return 0;
}

int du_vfio_open(const char *bdf, struct du_vfio_dev *d)
{
	int r;

	memset(d, 0, sizeof(*d));
	d->container = d->group = d->device = -1;
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	r = check_bound(bdf, d);
	if (r)
		return r;
	d->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container < 0)
		return set_error(d, errno == ENOENT ? DU_EXIT_NOFEATURE : DU_EXIT_FAILURE, errno,
				 "/dev/vfio/vfio: cannot open the VFIO container");
	if (ioctl(d->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		r = set_error(d, DU_EXIT_NOFEATURE, 0, "/dev/vfio/vfio: unknown VFIO API version");
		goto fail;
	}
	r = open_group(d);
	if (!r)
		r = set_iommu(d);
	if (r)
		goto fail;
	d->device = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, d->bdf);
	if (d->device < 0) {
		r = set_error(d, DU_EXIT_FAILURE, errno, "%s: VFIO_GROUP_GET_DEVICE_FD failed",
			      d->bdf);
		goto fail;
	}
	d->info.argsz = sizeof(d->info);
	if (ioctl(d->device, VFIO_DEVICE_GET_INFO, &d->info)) {
		r = set_error(d, DU_EXIT_FAILURE, errno, "%s: VFIO_DEVICE_GET_INFO failed", d->bdf);
		goto fail;
	}
	return 0;
fail:
	du_vfio_close(d);
	return r;
}

/* ---- regions ---- */

const char *du_vfio_region_name(uint32_t index)
{
	static const char *const names[] = { "BAR0", "BAR1", "BAR2",   "BAR3", "BAR4",
					     "BAR5", "ROM",  "CONFIG", "VGA" };

	return index < ARRAY_SIZE(names) ? names[index] : "";
}

static void parse_region_caps(struct du_vfio_region *r, const struct vfio_region_info *info)
{
	const char *base = (const char *)info;
	uint32_t off = info->cap_offset;

	/* Each hop must stay inside the returned buffer; a loop is cut off. */
	for (int hops = 0;
	     off && off + sizeof(struct vfio_info_cap_header) <= info->argsz && hops < 16; hops++) {
		const struct vfio_info_cap_header *h = (const void *)(base + off);

		if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP &&
		    off + sizeof(struct vfio_region_info_cap_sparse_mmap) <= info->argsz) {
			const struct vfio_region_info_cap_sparse_mmap *s = (const void *)h;
			size_t max = (info->argsz - off - sizeof(*s)) / sizeof(s->areas[0]);

			r->sparse = true;
			r->nareas = s->nr_areas < max ? s->nr_areas : max;
			r->areas = xcalloc(r->nareas ? r->nareas : 1, sizeof(*r->areas));
			for (size_t i = 0; i < r->nareas; i++)
				r->areas[i] = (struct du_vfio_area){ s->areas[i].offset,
								     s->areas[i].size };
		} else if (h->id == VFIO_REGION_INFO_CAP_TYPE &&
			   off + sizeof(struct vfio_region_info_cap_type) <= info->argsz) {
			const struct vfio_region_info_cap_type *t = (const void *)h;

			r->typed = true;
			r->type = t->type;
			r->subtype = t->subtype;
		}
		off = h->next;
	}
}

int du_vfio_region(const struct du_vfio_dev *d, uint32_t index, struct du_vfio_region *r)
{
	struct vfio_region_info *info;
	size_t size = sizeof(*info);

	memset(r, 0, sizeof(*r));
	for (int tries = 0; tries < 3; tries++) {
		info = xcalloc(1, size);
		info->argsz = size;
		info->index = index;
		if (ioctl(d->device, VFIO_DEVICE_GET_REGION_INFO, info)) {
			int err = errno;

			free(info);
			return -err;
		}
		/* Too small for the capabilities: the kernel says how much it needs. */
		if (info->argsz > size) {
			size = info->argsz;
			free(info);
			continue;
		}
		r->index = index;
		r->flags = info->flags;
		r->size = info->size;
		r->offset = info->offset;
		if (info->flags & VFIO_REGION_INFO_FLAG_CAPS)
			parse_region_caps(r, info);
		free(info);
		return 0;
	}
	return -EMSGSIZE;
}

void du_vfio_region_free(struct du_vfio_region *r)
{
	free(r->areas);
	r->areas = NULL;
	r->nareas = 0;
}

/* ---- DMABUF ---- */

static int device_feature(int devfd, uint32_t flags, const void *data, size_t len)
{
	_cleanup_free_ struct vfio_device_feature *f = xcalloc(1, sizeof(*f) + len);

	f->argsz = sizeof(*f) + len;
	f->flags = flags;
	if (len)
		memcpy(f->data, data, len);
	return ioctl(devfd, VFIO_DEVICE_FEATURE, f);
}

int du_vfio_dma_buf_raw(int devfd, uint32_t region, uint32_t open_flags, uint32_t flags,
			uint32_t nr_ranges, const struct du_vfio_range *ranges, size_t nranges)
{
	size_t len = sizeof(struct vfio_device_feature_dma_buf) +
		     nranges * sizeof(struct vfio_region_dma_range);
	_cleanup_free_ struct vfio_device_feature_dma_buf *db = xcalloc(1, len);
	int fd;

	db->region_index = region;
	db->open_flags = open_flags;
	db->flags = flags;
	db->nr_ranges = nr_ranges;
	for (size_t i = 0; i < nranges; i++) {
		db->dma_ranges[i].offset = ranges[i].offset;
		db->dma_ranges[i].length = ranges[i].length;
	}
	fd = device_feature(devfd, VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF, db, len);
	return fd < 0 ? -errno : fd;
}

static int set_memattr(int devfd, int dmabuf_fd, uint32_t memattr)
{
	struct vfio_device_feature_dma_buf_memattr m = { dmabuf_fd, memattr };

	return device_feature(devfd, VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR,
			      &m, sizeof(m))
		       ? -errno
		       : 0;
}

int du_vfio_export(const struct du_vfio_dev *d, const struct du_vfio_caps *caps, uint32_t bar,
		   const struct du_vfio_range *ranges, size_t n, enum du_vfio_attr attr)
{
	uint32_t flags = 0;
	bool memattr = false;
	int fd, r;

	if (attr == DU_VFIO_ATTR_WC) {
		if (du_vfio_has(caps, DU_VFIO_CAP_ATTR_FLAGS))
			flags = VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_WC;
		else if (du_vfio_has(caps, DU_VFIO_CAP_MEMATTR_FEATURE))
			memattr = true;
		else
			return -EOPNOTSUPP;
	}
	fd = du_vfio_dma_buf_raw(d->device, bar, O_RDWR | O_CLOEXEC, flags, (uint32_t)n, ranges, n);
	if (fd < 0 || !memattr)
		return fd;
	r = set_memattr(d->device, fd, VFIO_DEVICE_DMA_BUF_MEMATTR_WC);
	if (r) {
		close(fd);
		return r;
	}
	return fd;
}

int du_vfio_revoke(const struct du_vfio_dev *d, const struct du_vfio_caps *caps, int dmabuf_fd)
{
	if (du_vfio_has(caps, DU_VFIO_CAP_REVOKE_IOCTL)) {
		struct vfio_pci_dmabuf_revoke rv = { sizeof(rv), dmabuf_fd };

		return ioctl(d->device, VFIO_DEVICE_PCI_DMABUF_REVOKE, &rv) ? -errno : 0;
	}
	if (du_vfio_has(caps, DU_VFIO_CAP_REVOKE_FEATURE)) {
		struct vfio_device_feature_dma_buf_revoke rv = { dmabuf_fd };

		return device_feature(d->device,
				      VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE,
				      &rv, sizeof(rv))
			       ? -errno
			       : 0;
	}
	return -EOPNOTSUPP;
}

/* ---- probing ---- */

static const int probe_known_einval[] = { EINVAL, 0 };

static void probe_feature(const struct du_vfio_dev *d, struct du_probe *p, uint32_t feature,
			  uint32_t dir, const char *name)
{
	if (!device_feature(d->device, VFIO_DEVICE_FEATURE_PROBE | dir | feature, NULL, 0))
		du_probe_set(p, DU_FEATURE_PRESENT, "%s: feature %u probes fine", d->bdf, feature);
	else
		du_probe_ioctl_errno(p, name, errno, probe_known_einval);
}

/* The first BAR that can be mapped and holds at least a page, or -1. */
static int mappable_bar(const struct du_vfio_dev *d, uint64_t *size)
{
	long page = sysconf(_SC_PAGESIZE);

	for (uint32_t i = 0; i < 6 && i < d->info.num_regions; i++) {
		struct du_vfio_region r;

		if (du_vfio_region(d, i, &r))
			continue;
		du_vfio_region_free(&r);
		if ((r.flags & VFIO_REGION_INFO_FLAG_MMAP) && r.size >= (uint64_t)page) {
			*size = r.size;
			return (int)i;
		}
	}
	return -1;
}

static void probe_mmap(const struct du_vfio_dev *d, struct du_vfio_caps *caps)
{
	struct du_probe *p = &caps->probe[DU_VFIO_CAP_DMA_BUF_MMAP];
	long page = sysconf(_SC_PAGESIZE);
	struct du_vfio_range range = { 0, (uint64_t)page };
	uint64_t size;
	int bar, fd;
	void *m;

	if (!du_vfio_has(caps, DU_VFIO_CAP_DMA_BUF)) {
		du_probe_set(p, DU_FEATURE_MISSING, "needs dma-buf-export");
		return;
	}
	bar = mappable_bar(d, &size);
	if (bar < 0) {
		du_probe_set(p, DU_FEATURE_UNKNOWN, "%s has no mappable BAR to try", d->bdf);
		return;
	}
	fd = du_vfio_dma_buf_raw(d->device, (uint32_t)bar, O_RDWR | O_CLOEXEC, 0, 1, &range, 1);
	if (fd < 0) {
		du_probe_set(p, DU_FEATURE_UNKNOWN, "%s: exporting a page of BAR%d failed: %s",
			     d->bdf, bar, strerror(-fd));
		return;
	}
	/* Mapping does not touch the device: pages are only faulted in on access. */
	m = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		du_probe_set(p, DU_FEATURE_MISSING, "%s: mmap of a BAR%d DMABUF fails: %s", d->bdf,
			     bar, strerror(errno));
	else
		du_probe_set(p, DU_FEATURE_PRESENT, "%s: a page of BAR%d maps", d->bdf, bar);
	if (m != MAP_FAILED)
		munmap(m, (size_t)page);
	close(fd);
}

/*
 * The export checks the flags before the region index, so a WC request for
 * region 6 (never a BAR) fails with ENODEV when the flags are understood
 * and EINVAL when they are not, without creating anything.
 */
static void probe_attr_flags(const struct du_vfio_dev *d, struct du_vfio_caps *caps)
{
	struct du_probe *p = &caps->probe[DU_VFIO_CAP_ATTR_FLAGS];
	long page = sysconf(_SC_PAGESIZE);
	struct du_vfio_range range = { 0, (uint64_t)page };
	int r;

	if (!du_vfio_has(caps, DU_VFIO_CAP_DMA_BUF)) {
		du_probe_set(p, DU_FEATURE_MISSING, "needs dma-buf-export");
		return;
	}
	r = du_vfio_dma_buf_raw(d->device, DU_VFIO_ROM_REGION, O_RDWR | O_CLOEXEC,
				VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_WC, 1, &range, 1);
	if (r >= 0) {
		close(r);
		du_probe_set(p, DU_FEATURE_UNKNOWN, "%s: export of region 6 unexpectedly worked",
			     d->bdf);
	} else if (r == -ENODEV) {
		du_probe_set(p, DU_FEATURE_PRESENT, "%s: WC flag accepted", d->bdf);
	} else if (r == -EINVAL) {
		du_probe_set(p, DU_FEATURE_MISSING, "%s: WC flag rejected with EINVAL", d->bdf);
	} else {
		du_probe_set(p, DU_FEATURE_UNKNOWN, "%s: WC export probe returned %s", d->bdf,
			     strerrorname_np(-r));
	}
}

/* argsz 0 is below the ioctl's minimum: EINVAL if the kernel knows it, ENOTTY if not. */
static void probe_revoke_ioctl(const struct du_vfio_dev *d, struct du_vfio_caps *caps)
{
	struct vfio_pci_dmabuf_revoke rv = { 0, -1 };
	struct du_probe *p = &caps->probe[DU_VFIO_CAP_REVOKE_IOCTL];
	int r = ioctl(d->device, VFIO_DEVICE_PCI_DMABUF_REVOKE, &rv);

	du_probe_ioctl_errno(p, "VFIO_DEVICE_PCI_DMABUF_REVOKE", r ? errno : 0, probe_known_einval);
}

void du_vfio_probe_caps(const struct du_vfio_dev *d, struct du_vfio_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	probe_feature(d, &caps->probe[DU_VFIO_CAP_DMA_BUF], VFIO_DEVICE_FEATURE_DMA_BUF,
		      VFIO_DEVICE_FEATURE_GET, "VFIO_DEVICE_FEATURE_DMA_BUF");
	probe_mmap(d, caps);
	probe_revoke_ioctl(d, caps);
	probe_attr_flags(d, caps);
	probe_feature(d, &caps->probe[DU_VFIO_CAP_REVOKE_FEATURE],
		      VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE, VFIO_DEVICE_FEATURE_SET,
		      "VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE");
	probe_feature(d, &caps->probe[DU_VFIO_CAP_MEMATTR_FEATURE],
		      VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR, VFIO_DEVICE_FEATURE_SET,
		      "VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR");
}
