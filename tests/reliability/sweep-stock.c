// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sweep-stock.c - fail-nth sweep cases for what stock Debian 6.1 already has
 * and the project builds on: dma-heap allocation, dma-buf mmap and page
 * faults, dma-buf sync_file export/import, sw_sync fences, sync_file merge
 * and info, udmabuf.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/sync_file.h>
#include <linux/udmabuf.h>

#include "sw_sync.h"
#include "sweep.h"

#define SZ_1M (1024 * 1024)

int sweep_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

int sweep_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

void sweep_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* --- dma-heap ------------------------------------------------------------ */

struct heap_ctx {
	int heap;
	size_t len;
	int buf;
	void *map;
	int timeline, fence, out;
};

static int heap_setup(void **ctx, const char *path, size_t len)
{
	struct heap_ctx *h = xcalloc(1, sizeof(*h));

	*h = (struct heap_ctx){ .len = len, .buf = -1, .timeline = -1, .fence = -1, .out = -1 };
	h->heap = sweep_open(path, O_RDONLY);
	*ctx = h;
	return h->heap < 0 ? h->heap : 0;
}

static int system_setup(void **ctx)
{
	return heap_setup(ctx, "/dev/dma_heap/system", SZ_1M);
}

static int reserved_setup(void **ctx)
{
	return heap_setup(ctx, "/dev/dma_heap/reserved", SZ_1M);
}

static void heap_release(struct heap_ctx *h)
{
	if (h->map)
		munmap(h->map, h->len);
	h->map = NULL;
	sweep_close(&h->buf);
	sweep_close(&h->fence);
	sweep_close(&h->out);
	sweep_close(&h->timeline);
}

static void heap_teardown(void *ctx)
{
	struct heap_ctx *h = ctx;

	heap_release(h);
	sweep_close(&h->heap);
	free(h);
}

static int heap_alloc(struct heap_ctx *h)
{
	struct dma_heap_allocation_data d = { .len = h->len, .fd_flags = O_RDWR | O_CLOEXEC };
	int r;

	r = sweep_ioctl(h->heap, DMA_HEAP_IOCTL_ALLOC, &d);
	if (!r)
		h->buf = d.fd;
	return r;
}

static int alloc_run(void *ctx)
{
	return heap_alloc(ctx);
}

/* A buffer that was returned is whole: its size, mappable, writable. */
static int check_buffer(struct heap_ctx *h, const char *what)
{
	volatile unsigned char *p;
	off_t size = lseek(h->buf, 0, SEEK_END);
	int status = 0;

	if (size != (off_t)h->len) {
		fn_fail("%s: buffer size %lld, expected %zu", what, (long long)size, h->len);
		return -1;
	}
	if (!h->map) {
		h->map = mmap(NULL, h->len, PROT_READ | PROT_WRITE, MAP_SHARED, h->buf, 0);
		if (h->map == MAP_FAILED) {
			h->map = NULL;
			fn_fail("%s: mmap of the buffer: %s", what, strerror(errno));
			return -1;
		}
	}
	p = h->map;
	for (size_t off = 0; off < h->len; off += 4096)
		p[off] = (unsigned char)(off >> 12);
	for (size_t off = 0; off < h->len; off += 4096)
		if (p[off] != (unsigned char)(off >> 12))
			status = -1;
	if (status)
		fn_fail("%s: buffer does not keep what was written", what);
	return status;
}

static int alloc_check(void *ctx, const struct fn_run *r)
{
	struct heap_ctx *h = ctx;
	int status = 0;

	if (r->ret == 0)
		status = check_buffer(h, "alloc");
	else if (h->buf >= 0)
		fn_fail("alloc: failed with %s but returned fd %d", fn_errname(-r->ret), h->buf);
	heap_release(h);
	return status;
}

static int heap_memcg_dmabuf(void *ctx, uint64_t *v)
{
	(void)ctx;
	return fn_memcg_stat("dmabuf", v);
}

/* mmap of a new buffer: the mmap syscall armed. */
static int mmap_prepare(void *ctx)
{
	return heap_alloc(ctx);
}

static int mmap_run(void *ctx)
{
	struct heap_ctx *h = ctx;
	void *p = mmap(NULL, h->len, PROT_READ | PROT_WRITE, MAP_SHARED, h->buf, 0);

	if (p == MAP_FAILED)
		return -errno;
	h->map = p;
	return 0;
}

static int mmap_check(void *ctx, const struct fn_run *r)
{
	struct heap_ctx *h = ctx;
	int status = 0;

	if (r->ret == 0)
		status = check_buffer(h, "mmap");
	heap_release(h);
	return status;
}

/* Page faults on a mapped buffer: the first touch of every page armed. */
static int fault_prepare(void *ctx)
{
	struct heap_ctx *h = ctx;
	int r = heap_alloc(h);

	return r ? r : mmap_run(h);
}

static int fault_run(void *ctx)
{
	struct heap_ctx *h = ctx;
	volatile unsigned char *p = h->map;

	/* A failed fault is retried by the #PF handler (VM_FAULT_OOM): no error. */
	for (size_t off = 0; off < h->len; off += 4096)
		p[off] = 0xa5;
	return 0;
}

static int fault_check(void *ctx, const struct fn_run *r)
{
	struct heap_ctx *h = ctx;
	volatile unsigned char *p = h->map;
	int status = 0;

	(void)r;
	for (size_t off = 0; off < h->len; off += 4096)
		if (p[off] != 0xa5)
			status = -1;
	if (status)
		fn_fail("fault: a page does not hold what was written");
	heap_release(h);
	return status;
}

/* --- dma-buf sync_file export / import ---------------------------------- */

static int new_fence(struct heap_ctx *h)
{
	struct sw_sync_create_fence_data f = { .value = 1, .name = "du-sweep" };
	int r;

	h->timeline = sweep_open(SW_SYNC_PATH, O_RDWR);
	if (h->timeline < 0)
		return h->timeline;
	r = sweep_ioctl(h->timeline, SW_SYNC_IOC_CREATE_FENCE, &f);
	if (!r)
		h->fence = f.fence;
	return r;
}

static int export_run(void *ctx)
{
	struct heap_ctx *h = ctx;
	struct dma_buf_export_sync_file e = { .flags = DMA_BUF_SYNC_RW, .fd = -1 };
	int r;

	r = sweep_ioctl(h->buf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &e);
	if (!r)
		h->out = e.fd;
	return r;
}

/* An exported sync_file is a valid one: SYNC_IOC_FILE_INFO answers. */
static int sync_file_ok(int fd, const char *what)
{
	struct sync_file_info info = { 0 };
	int r = sweep_ioctl(fd, SYNC_IOC_FILE_INFO, &info);

	if (r)
		fn_fail("%s: SYNC_IOC_FILE_INFO on the result: %s", what, fn_errname(-r));
	return r ? -1 : 0;
}

static int export_check(void *ctx, const struct fn_run *r)
{
	struct heap_ctx *h = ctx;
	int status = 0;

	if (r->ret == 0)
		status = sync_file_ok(h->out, "export");
	heap_release(h);
	return status;
}

static int import_prepare(void *ctx)
{
	struct heap_ctx *h = ctx;
	int r = heap_alloc(h);

	return r ? r : new_fence(h);
}

static int import_run(void *ctx)
{
	struct heap_ctx *h = ctx;
	struct dma_buf_import_sync_file i = { .flags = DMA_BUF_SYNC_WRITE, .fd = h->fence };

	return sweep_ioctl(h->buf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &i);
}

/* After an import the buffer's fences include the sw_sync one, or not. */
static int import_check(void *ctx, const struct fn_run *r)
{
	struct heap_ctx *h = ctx;
	struct sync_file_info info = { 0 };
	int status = 0, e;

	e = export_run(h);
	if (!e)
		e = sweep_ioctl(h->out, SYNC_IOC_FILE_INFO, &info);
	if (e) {
		fn_fail("import: export after the run: %s", fn_errname(-e));
		status = -1;
	} else if (r->ret == 0 && info.status != 0) {
		fn_fail("import: succeeded but the buffer is not busy (status %d)", info.status);
		status = -1;
	} else if (r->ret != 0 && info.status != 1) {
		fn_fail("import: failed but the buffer is busy (status %d)", info.status);
		status = -1;
	}
	heap_release(h);
	return status;
}

/* --- sw_sync and sync_file ------------------------------------------------ */

static int swsync_setup(void **ctx)
{
	return heap_setup(ctx, SW_SYNC_PATH, 0);
}

static int create_fence_run(void *ctx)
{
	struct heap_ctx *h = ctx;
	struct sw_sync_create_fence_data f = { .value = 1, .name = "du-sweep" };
	int r;

	r = sweep_ioctl(h->heap, SW_SYNC_IOC_CREATE_FENCE, &f);
	if (!r)
		h->fence = f.fence;
	return r;
}

static int create_fence_check(void *ctx, const struct fn_run *r)
{
	struct heap_ctx *h = ctx;
	int status = 0;

	if (r->ret == 0)
		status = sync_file_ok(h->fence, "create fence");
	heap_release(h);
	return status;
}

static int merge_prepare(void *ctx)
{
	struct heap_ctx *h = ctx;
	int r = new_fence(h);

	/* A second fence from the setup's timeline (h->heap). */
	if (!r) {
		struct sw_sync_create_fence_data f = { .value = 1, .name = "du-sweep2" };

		r = sweep_ioctl(h->heap, SW_SYNC_IOC_CREATE_FENCE, &f);
		if (!r)
			h->buf = f.fence;
	}
	return r;
}

static int merge_run(void *ctx)
{
	struct heap_ctx *h = ctx;
	struct sync_merge_data m = { .name = "du-merge", .fd2 = h->buf, .fence = -1 };
	int r;

	r = sweep_ioctl(h->fence, SYNC_IOC_MERGE, &m);
	if (!r)
		h->out = m.fence;
	return r;
}

static int merge_check(void *ctx, const struct fn_run *r)
{
	struct heap_ctx *h = ctx;
	struct sync_file_info info = { 0 };
	int status = 0, e;

	if (r->ret == 0) {
		e = sweep_ioctl(h->out, SYNC_IOC_FILE_INFO, &info);
		if (e || info.num_fences != 2) {
			fn_fail("merge: result has %u fences (%s)", info.num_fences,
				fn_errname(-e));
			status = -1;
		}
	}
	heap_release(h);
	return status;
}

static int info_prepare(void *ctx)
{
	struct heap_ctx *h = ctx;
	int r = merge_prepare(h);

	return r ? r : merge_run(h);
}

static int info_run(void *ctx)
{
	struct heap_ctx *h = ctx;
	struct sync_fence_info fi[2];
	struct sync_file_info info = { .num_fences = 2, .sync_fence_info = (uintptr_t)fi };

	return sweep_ioctl(h->out, SYNC_IOC_FILE_INFO, &info);
}

static int info_check(void *ctx, const struct fn_run *r)
{
	(void)r;
	heap_release(ctx);
	return 0;
}

/* --- udmabuf -------------------------------------------------------------- */

static int udmabuf_setup(void **ctx)
{
	struct heap_ctx *h;
	int r = heap_setup(ctx, "/dev/udmabuf", SZ_1M);

	h = *ctx;
	if (r)
		return r;
	h->timeline = memfd_create("du-sweep", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (h->timeline < 0 || ftruncate(h->timeline, h->len) ||
	    fcntl(h->timeline, F_ADD_SEALS, F_SEAL_SHRINK))
		return -errno;
	return 0;
}

static int udmabuf_run(void *ctx)
{
	struct heap_ctx *h = ctx;
	struct udmabuf_create c = {
		.memfd = h->timeline,
		.flags = UDMABUF_FLAGS_CLOEXEC,
		.size = h->len,
	};
	int fd = ioctl(h->heap, UDMABUF_CREATE, &c);

	if (fd < 0)
		return -errno;
	h->buf = fd;
	return 0;
}

static int udmabuf_check(void *ctx, const struct fn_run *r)
{
	struct heap_ctx *h = ctx;
	int status = 0;

	if (r->ret == 0)
		status = check_buffer(h, "udmabuf");
	if (h->map)
		munmap(h->map, h->len);
	h->map = NULL;
	sweep_close(&h->buf);
	return status;
}

static void udmabuf_teardown(void *ctx)
{
	heap_teardown(ctx);
}

const struct sweep_case sweep_stock[] = {
	{
		.name = "dmaheap-system-alloc",
		.needs = "/dev/dma_heap/system",
		.want_site = "system_heap_allocate",
		.setup = system_setup,
		.teardown = heap_teardown,
		.op = { .name = "DMA_HEAP_IOCTL_ALLOC(system, 1M)",
			.run = alloc_run,
			.check = alloc_check,
			.baseline = heap_memcg_dmabuf,
			.baseline_name = "memory.stat dmabuf" },
	},
	{
		.name = "dmaheap-reserved-alloc",
		.needs = "/dev/dma_heap/reserved",
		.want_site = "cma_heap_allocate",
		.setup = reserved_setup,
		.teardown = heap_teardown,
		.op = { .name = "DMA_HEAP_IOCTL_ALLOC(reserved, 1M)",
			.run = alloc_run,
			.check = alloc_check,
			.baseline = heap_memcg_dmabuf,
			.baseline_name = "memory.stat dmabuf" },
	},
	{
		.name = "dmabuf-system-mmap",
		.needs = "/dev/dma_heap/system",
		.setup = system_setup,
		.teardown = heap_teardown,
		.op = { .name = "mmap(system heap dma-buf)",
			.prepare = mmap_prepare,
			.run = mmap_run,
			.check = mmap_check },
	},
	{
		.name = "dmabuf-reserved-fault",
		.needs = "/dev/dma_heap/reserved",
		.setup = reserved_setup,
		.teardown = heap_teardown,
		.op = { .name = "page faults(CMA heap dma-buf)",
			.prepare = fault_prepare,
			.run = fault_run,
			.check = fault_check },
	},
	{
		.name = "dmabuf-export-sync-file",
		.needs = "/dev/dma_heap/system",
		.setup = system_setup,
		.teardown = heap_teardown,
		.op = { .name = "DMA_BUF_IOCTL_EXPORT_SYNC_FILE",
			.prepare = mmap_prepare,
			.run = export_run,
			.check = export_check },
	},
	{
		.name = "dmabuf-import-sync-file",
		.needs = SW_SYNC_PATH,
		.setup = system_setup,
		.teardown = heap_teardown,
		.op = { .name = "DMA_BUF_IOCTL_IMPORT_SYNC_FILE",
			.prepare = import_prepare,
			.run = import_run,
			.check = import_check },
	},
	{
		.name = "swsync-create-fence",
		.needs = SW_SYNC_PATH,
		.setup = swsync_setup,
		.teardown = heap_teardown,
		.op = { .name = "SW_SYNC_IOC_CREATE_FENCE",
			.run = create_fence_run,
			.check = create_fence_check },
	},
	{
		.name = "syncfile-merge",
		.needs = SW_SYNC_PATH,
		.setup = swsync_setup,
		.teardown = heap_teardown,
		.op = { .name = "SYNC_IOC_MERGE",
			.prepare = merge_prepare,
			.run = merge_run,
			.check = merge_check },
	},
	{
		.name = "syncfile-info",
		.needs = SW_SYNC_PATH,
		.setup = swsync_setup,
		.teardown = heap_teardown,
		.op = { .name = "SYNC_IOC_FILE_INFO",
			.prepare = info_prepare,
			.run = info_run,
			.check = info_check },
	},
	{
		.name = "udmabuf-create",
		.needs = "/dev/udmabuf",
		.setup = udmabuf_setup,
		.teardown = udmabuf_teardown,
		.op = { .name = "UDMABUF_CREATE(1M)", .run = udmabuf_run, .check = udmabuf_check },
	},
	{ 0 },
};
