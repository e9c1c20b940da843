// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sweep-dmaheap.c - fail-nth sweep cases for DMA_HEAP_IOCTL_ALLOC with
 * charge_pid_fd (kernel/patches: dma-heap memcg charging).
 *
 * The buffer is charged to a child process (sleeping in the sweep's own
 * cgroup, see failnth_sweep.c) through its pidfd.  On top of the generic
 * checks: a successful allocation is charged (memory.stat dmabuf grows by
 * the buffer's size while it is open), a failed one charges nothing, and
 * after the sweep dmabuf is back at its baseline.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/dma-heap.h>

#include "sweep.h"

#define LEN (1024 * 1024)

struct charge_ctx {
	int heap, pidfd, buf;
	pid_t child;
	uint64_t before; /* dmabuf of the cgroup before the run */
};

/* charge_pid_fd works if a fd that is not a pidfd is refused with EBADF. */
static bool charge_supported(int heap)
{
	int devnull = sweep_open("/dev/null", O_RDONLY);
	struct dma_heap_allocation_data d = { .len = 0, .fd_flags = O_RDWR | O_CLOEXEC };
	int r;

	if (devnull < 0)
		return false;
	d.charge_pid_fd = devnull;
	r = sweep_ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d);
	close(devnull);
	return r == -EBADF;
}

static int charge_setup(void **ctx, const char *path)
{
	struct charge_ctx *c = xcalloc(1, sizeof(*c));

	c->pidfd = c->buf = -1;
	*ctx = c;
	c->heap = sweep_open(path, O_RDONLY);
	if (c->heap < 0)
		return c->heap;
	if (!charge_supported(c->heap))
		return -EOPNOTSUPP;
	c->child = fork();
	if (c->child < 0)
		return -errno;
	if (c->child == 0) {
		pause();
		_exit(0);
	}
	c->pidfd = syscall(SYS_pidfd_open, c->child, 0);
	if (c->pidfd < 0)
		return -errno;
	/* fd 0 means "no pidfd" to the kernel. */
	if (c->pidfd == 0) {
		c->pidfd = fcntl(0, F_DUPFD_CLOEXEC, 1);
		close(0);
	}
	return 0;
}

static int system_setup(void **ctx)
{
	return charge_setup(ctx, "/dev/dma_heap/system");
}

static int reserved_setup(void **ctx)
{
	return charge_setup(ctx, "/dev/dma_heap/reserved");
}

static void charge_teardown(void *ctx)
{
	struct charge_ctx *c = ctx;

	sweep_close(&c->buf);
	sweep_close(&c->pidfd);
	sweep_close(&c->heap);
	if (c->child > 0) {
		kill(c->child, SIGKILL);
		waitpid(c->child, NULL, 0);
	}
	free(c);
}

static int charge_prepare(void *ctx)
{
	struct charge_ctx *c = ctx;

	return fn_memcg_stat("dmabuf", &c->before);
}

static int charge_run(void *ctx)
{
	struct charge_ctx *c = ctx;
	struct dma_heap_allocation_data d = {
		.len = LEN,
		.fd_flags = O_RDWR | O_CLOEXEC,
		.charge_pid_fd = c->pidfd,
	};
	int r = sweep_ioctl(c->heap, DMA_HEAP_IOCTL_ALLOC, &d);

	if (!r)
		c->buf = d.fd;
	return r;
}

/* Charged exactly while it exists; a failed allocation charges nothing. */
static int charge_check(void *ctx, const struct fn_run *r)
{
	struct charge_ctx *c = ctx;
	uint64_t during = 0, after = 0;
	int status = 0;

	if (fn_memcg_stat("dmabuf", &during)) {
		fn_fail("charge: memory.stat has no dmabuf");
		return -1;
	}
	if (r->ret == 0 && during != c->before + LEN) {
		fn_fail("charge: allocated, dmabuf %llu -> %llu, expected +%d",
			(unsigned long long)c->before, (unsigned long long)during, LEN);
		status = -1;
	} else if (r->ret != 0 && during != c->before) {
		fn_fail("charge: failed with %s, but dmabuf %llu -> %llu", fn_errname(-r->ret),
			(unsigned long long)c->before, (unsigned long long)during);
		status = -1;
	}
	sweep_close(&c->buf);
	fn_memcg_stat("dmabuf", &after);
	if (after != c->before) {
		fn_fail("charge: dmabuf %llu after closing the buffer, %llu before",
			(unsigned long long)after, (unsigned long long)c->before);
		status = -1;
	}
	return status;
}

static int memcg_dmabuf(void *ctx, uint64_t *v)
{
	(void)ctx;
	return fn_memcg_stat("dmabuf", v);
}

const struct sweep_case sweep_dmaheap[] = {
	{
		.name = "dmaheap-system-alloc-charged",
		.needs = "/dev/dma_heap/system",
		.want_site = "system_heap_allocate",
		.setup = system_setup,
		.teardown = charge_teardown,
		.op = { .name = "DMA_HEAP_IOCTL_ALLOC(system, 1M, charge_pid_fd)",
			.prepare = charge_prepare,
			.run = charge_run,
			.check = charge_check,
			.baseline = memcg_dmabuf,
			.baseline_name = "memory.stat dmabuf" },
	},
	{
		.name = "dmaheap-reserved-alloc-charged",
		.needs = "/dev/dma_heap/reserved",
		.want_site = "cma_heap_allocate",
		.setup = reserved_setup,
		.teardown = charge_teardown,
		.op = { .name = "DMA_HEAP_IOCTL_ALLOC(reserved, 1M, charge_pid_fd)",
			.prepare = charge_prepare,
			.run = charge_run,
			.check = charge_check,
			.baseline = memcg_dmabuf,
			.baseline_name = "memory.stat dmabuf" },
	},
	{ 0 },
};
