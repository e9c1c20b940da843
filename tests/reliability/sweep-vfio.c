// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sweep-vfio.c - fail-nth sweep cases for vfio-pci BAR DMABUFs
 * (kernel/patches 0070-0079): VFIO_DEVICE_FEATURE_DMA_BUF (UC and WC), the
 * revoke ioctl, mmap() of the DMABUF and its page-fault path.
 *
 * The device is the VM's ivshmem-plain ($IVSHMEM_BDF, BAR2 is RAM from a
 * host file), bound to vfio-pci by the guest script before the sweep.  The
 * checks: an exported buffer maps and shows the BAR's bytes, a failed export
 * leaves nothing behind, a revoked buffer cannot be mapped again (ENODEV)
 * while a failed revoke leaves it fully usable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sweep.h"
#include "vfio.h"

#define BAR 2
#define LEN (64 * 1024)

struct vfio_ctx {
	struct du_vfio_dev dev;
	uint64_t bar_offset; /* BAR2's offset in the device fd */
	union {
		struct vfio_device_feature hdr;
		char buf[sizeof(struct vfio_device_feature) +
			 sizeof(struct vfio_device_feature_dma_buf) +
			 sizeof(struct vfio_region_dma_range)];
	} feat;
	int dmabuf;
	void *map;
	unsigned char expect[LEN];
};

/* The export request, built outside the armed window: run() makes one ioctl. */
static void build_export(struct vfio_ctx *v, uint32_t flags)
{
	struct vfio_device_feature_dma_buf *db = (void *)v->feat.hdr.data;

	memset(&v->feat, 0, sizeof(v->feat));
	v->feat.hdr.argsz = sizeof(v->feat);
	v->feat.hdr.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF;
	db->region_index = BAR;
	db->open_flags = O_RDWR | O_CLOEXEC;
	db->flags = flags;
	db->nr_ranges = 1;
	db->dma_ranges[0].offset = 0;
	db->dma_ranges[0].length = LEN;
}

static int vfio_setup(void **ctx)
{
	const char *bdf = getenv("IVSHMEM_BDF");
	struct vfio_ctx *v = xcalloc(1, sizeof(*v));
	struct du_vfio_region reg;
	int r;

	v->dmabuf = -1;
	v->dev.container = v->dev.group = v->dev.device = -1;
	*ctx = v;
	if (!bdf)
		return -ENODEV;
	r = du_vfio_open(bdf, &v->dev);
	if (r) {
		printf("# %s\n", v->dev.error);
		return -ENODEV;
	}
	r = du_vfio_region(&v->dev, BAR, &reg);
	if (r)
		return r;
	v->bar_offset = reg.offset;
	r = reg.size < LEN ? -ENODEV : 0;
	du_vfio_region_free(&reg);
	if (r)
		return r;
	/* What the buffer must show: the BAR's first bytes, read through the device fd. */
	if (pread(v->dev.device, v->expect, LEN, v->bar_offset) != LEN)
		return -errno;
	build_export(v, VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_UC);
	return 0;
}

static void vfio_release(struct vfio_ctx *v)
{
	if (v->map)
		munmap(v->map, LEN);
	v->map = NULL;
	sweep_close(&v->dmabuf);
}

static void vfio_teardown(void *ctx)
{
	struct vfio_ctx *v = ctx;

	vfio_release(v);
	du_vfio_close(&v->dev);
	free(v);
}

static int export_run(void *ctx)
{
	struct vfio_ctx *v = ctx;
	int fd = ioctl(v->dev.device, VFIO_DEVICE_FEATURE, &v->feat);

	if (fd < 0)
		return -errno;
	v->dmabuf = fd;
	return 0;
}

/* The buffer maps and shows the BAR (as read when the sweep started). */
static int buffer_ok(struct vfio_ctx *v, const char *what)
{
	if (!v->map) {
		v->map = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, v->dmabuf, 0);
		if (v->map == MAP_FAILED) {
			v->map = NULL;
			fn_fail("%s: mmap of the DMABUF: %s", what, strerror(errno));
			return -1;
		}
	}
	if (memcmp(v->map, v->expect, LEN)) {
		fn_fail("%s: the mapping does not show the BAR's bytes", what);
		return -1;
	}
	return 0;
}

static int export_check(void *ctx, const struct fn_run *r)
{
	struct vfio_ctx *v = ctx;
	int status = 0;

	if (r->ret == 0)
		status = buffer_ok(v, "export");
	else if (v->dmabuf >= 0)
		status = -1;
	vfio_release(v);
	return status;
}

static int wc_setup(void **ctx)
{
	int r = vfio_setup(ctx);

	if (!r)
		build_export(*ctx, VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_WC);
	return r;
}

static int export_prepare(void *ctx)
{
	return export_run(ctx);
}

/* --- revoke --------------------------------------------------------------- */

static int revoke_run(void *ctx)
{
	struct vfio_ctx *v = ctx;
	struct vfio_pci_dmabuf_revoke rv = { .argsz = sizeof(rv), .dmabuf_fd = v->dmabuf };

	return sweep_ioctl(v->dev.device, VFIO_DEVICE_PCI_DMABUF_REVOKE, &rv);
}

static int revoke_check(void *ctx, const struct fn_run *r)
{
	struct vfio_ctx *v = ctx;
	int status = 0;
	void *p;

	if (r->ret == 0) {
		p = mmap(NULL, LEN, PROT_READ, MAP_SHARED, v->dmabuf, 0);
		if (p != MAP_FAILED) {
			munmap(p, LEN);
			fn_fail("revoke: a revoked DMABUF can still be mapped");
			status = -1;
		} else if (errno != ENODEV) {
			fn_fail("revoke: mmap after revoke: %s, expected ENODEV", strerror(errno));
			status = -1;
		}
	} else {
		status = buffer_ok(v, "failed revoke");
	}
	vfio_release(v);
	return status;
}

/* --- mmap and page faults ---------------------------------------------------- */

static int mmap_run(void *ctx)
{
	struct vfio_ctx *v = ctx;
	void *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, v->dmabuf, 0);

	if (p == MAP_FAILED)
		return -errno;
	v->map = p;
	return 0;
}

static int mmap_check(void *ctx, const struct fn_run *r)
{
	struct vfio_ctx *v = ctx;
	int status = 0;

	if (r->ret == 0)
		status = buffer_ok(v, "mmap");
	vfio_release(v);
	return status;
}

static int fault_prepare(void *ctx)
{
	int r = export_run(ctx);

	return r ? r : mmap_run(ctx);
}

/* First touch of every page: the DMABUF's fault handler inserts the BAR pfns. */
static int fault_run(void *ctx)
{
	struct vfio_ctx *v = ctx;
	volatile unsigned char *p = v->map;
	unsigned int sum = 0;

	for (size_t off = 0; off < LEN; off += 4096)
		sum += p[off];
	return sum == 0xffffffff ? -EIO : 0; /* keep the reads */
}

static int fault_check(void *ctx, const struct fn_run *r)
{
	struct vfio_ctx *v = ctx;
	int status;

	(void)r;
	status = buffer_ok(v, "fault");
	vfio_release(v);
	return status;
}

#define VFIO_CASE(nm, opname, st, prep, fn, chk)                                                   \
	{                                                                                          \
		.name = "vfio-dmabuf-" nm, .needs = "/sys/bus/pci/drivers/vfio-pci", .setup = st,  \
		.teardown = vfio_teardown,                                                         \
		.op = { .name = opname, .prepare = prep, .run = fn, .check = chk },                \
	}

const struct sweep_case sweep_vfio[] = {
	VFIO_CASE("export", "VFIO_DEVICE_FEATURE_DMA_BUF(BAR2, UC)", vfio_setup, NULL, export_run,
		  export_check),
	VFIO_CASE("export-wc", "VFIO_DEVICE_FEATURE_DMA_BUF(BAR2, WC)", wc_setup, NULL, export_run,
		  export_check),
	VFIO_CASE("revoke", "VFIO_DEVICE_PCI_DMABUF_REVOKE", vfio_setup, export_prepare, revoke_run,
		  revoke_check),
	VFIO_CASE("mmap", "mmap(vfio DMABUF)", vfio_setup, export_prepare, mmap_run, mmap_check),
	VFIO_CASE("fault", "page faults(vfio DMABUF)", vfio_setup, fault_prepare, fault_run,
		  fault_check),
	{ 0 },
};
