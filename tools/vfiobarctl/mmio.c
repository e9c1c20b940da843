// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmio.c - exact-width accesses to BAR memory, through a mapping or
 * pread/pwrite on the device fd, shared by `read`/`write` and the primary.
 *
 * Registers care about access width, so every element is one volatile
 * load or store (or one pread/pwrite) of exactly @width bytes.  A mapping
 * whose DMABUF was revoked raises SIGBUS: that is caught and turned into
 * -EFAULT with the index of the element that faulted.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>

#include "vfiobarctl.h"

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t in_access;

static void on_sigbus(int sig)
{
	if (in_access)
		siglongjmp(bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static uint64_t load(volatile void *p, unsigned int width)
{
	switch (width) {
	case 1:
		return *(volatile uint8_t *)p;
	case 2:
		return *(volatile uint16_t *)p;
	case 4:
		return *(volatile uint32_t *)p;
	default:
		return *(volatile uint64_t *)p;
	}
}

static void store(volatile void *p, unsigned int width, uint64_t v)
{
	switch (width) {
	case 1:
		*(volatile uint8_t *)p = (uint8_t)v;
		break;
	case 2:
		*(volatile uint16_t *)p = (uint16_t)v;
		break;
	case 4:
		*(volatile uint32_t *)p = (uint32_t)v;
		break;
	default:
		*(volatile uint64_t *)p = v;
		break;
	}
}

struct job {
	volatile uint8_t *base;
	bool write;
	uint8_t *buf;
	uint64_t count;
	unsigned int width;
	volatile uint64_t i; /* the element being moved: survives the longjmp */
};

static void copy_loop(struct job *j)
{
	for (j->i = 0; j->i < j->count; j->i++) {
		volatile uint8_t *p = j->base + j->i * j->width;
		uint64_t v = 0;

		if (j->write) {
			memcpy(&v, j->buf + j->i * j->width, j->width);
			store(p, j->width, v);
		} else {
			v = load(p, j->width);
			memcpy(j->buf + j->i * j->width, &v, j->width);
		}
	}
	/* Write-combined stores may sit in buffers: fence them out before returning. */
	if (j->write)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Only @j crosses the longjmp, and it is not modified: nothing can be clobbered. */
static int guarded_copy(struct job *j)
{
	if (sigsetjmp(bus_jmp, 1)) {
		in_access = 0;
		return -EFAULT;
	}
	in_access = 1;
	copy_loop(j);
	in_access = 0;
	return 0;
}

int vb_mmio_map_copy(volatile void *base, bool write, uint8_t *buf, uint64_t count,
		     unsigned int width, uint64_t *done)
{
	static bool handler;
	struct job j = { base, write, buf, count, width, 0 };
	int r;

	if (!handler) {
		struct sigaction sa = { .sa_handler = on_sigbus };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, NULL);
		handler = true;
	}
	r = guarded_copy(&j);
	*done = j.i;
	return r;
}

int vb_mmio_fd_copy(int fd, uint64_t pos, bool write, uint8_t *buf, uint64_t count,
		    unsigned int width, uint64_t *done)
{
	for (*done = 0; *done < count; (*done)++) {
		uint64_t at = pos + *done * width;
		uint8_t *p = buf + *done * width;
		ssize_t n = write ? pwrite(fd, p, width, (off_t)at)
				  : pread(fd, p, width, (off_t)at);

		if (n < 0)
			return -errno;
		if (n != (ssize_t)width)
			return -EIO;
	}
	return 0;
}
