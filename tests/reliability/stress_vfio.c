// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stress_vfio - vfio-pci BAR DMABUF revoke races.
 *
 *   stress_vfio [-s SECONDS] [-n SUBORDINATES]
 *
 * The primary opens the VM's ivshmem ($IVSHMEM_BDF, bound to vfio-pci by
 * the guest script), and over and over exports 64 KiB of BAR2 as a DMABUF
 * (UC or WC), hands it to SUBORDINATES processes over AF_UNIX sockets, lets
 * them map it and fault/read/write it in a loop, and then takes it back in
 * one of three ways: the revoke ioctl, closing the device fd (which
 * revokes every buffer of it; the device is reopened), or a device reset
 * (VFIO_DEVICE_RESET; the buffer stays valid) followed by a revoke.
 *
 * Once the primary's revoke (or close) has returned it publishes the
 * buffer's generation as revoked; a subordinate that starts an access after
 * seeing that, and is not stopped by SIGBUS, has used a stale mapping that
 * still reaches the BAR: a failure.  Subordinates must only ever get SIGBUS
 * (any other signal kills them and fails the run), and mmap() of a revoked
 * buffer must fail with ENODEV.  Exit status 0 passed, 1 failed, 77 no
 * DMABUF export in this kernel, 2 setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdpass.h"
#include "vfio.h"

#define BAR 2
#define LEN (64 * 1024)
#define MAX_SUBS 8

struct sub_stats {
	_Atomic unsigned long buffers, mapped, map_enodev, map_other, accesses, sigbus;
	_Atomic unsigned long stale; /* accesses that went through after the revoke */
	_Atomic int first_map_errno;
};

struct shared {
	_Atomic uint64_t revoked_gen; /* every buffer up to this generation is revoked */
	_Atomic bool stop;
	struct sub_stats sub[MAX_SUBS];
};

struct msg {
	uint64_t gen;
};

static struct shared *sh;
static sigjmp_buf bus_env;
static volatile sig_atomic_t in_access;

static void on_sigbus(int sig)
{
	(void)sig;
	if (in_access)
		siglongjmp(bus_env, 1);
	_exit(3); /* SIGBUS outside an access: a bug of this program */
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Write and read one word of the mapping; false if that raised SIGBUS. */
static bool access_once(volatile uint32_t *map, size_t off, uint32_t val)
{
	if (sigsetjmp(bus_env, 1)) {
		in_access = 0;
		return false;
	}
	in_access = 1;
	map[off] = val;
	(void)map[(off + 17) % (LEN / 4)];
	in_access = 0;
	return true;
}

/* Subordinate: map each buffer it is given and use it until SIGBUS or a newer one. */
static void subordinate(int id, int sock)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	struct sub_stats *st = &sh->sub[id];
	volatile uint32_t *map = NULL;
	uint64_t gen = 0;
	int fd = -1;

	sigaction(SIGBUS, &sa, NULL);
	while (!atomic_load(&sh->stop)) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };

		/* A new buffer replaces the current one. */
		if (poll(&pfd, 1, map ? 0 : 10) == 1) {
			struct msg m;
			int nfd = -1;
			size_t n = 0;
			ssize_t len = du_fd_recv(sock, &m, sizeof(m), &nfd, 1, &n);

			if (len <= 0)
				break;
			if (map)
				munmap((void *)map, LEN);
			map = NULL;
			if (fd >= 0)
				close(fd);
			fd = n ? nfd : -1;
			gen = m.gen;
			atomic_fetch_add(&st->buffers, 1);
			if (fd >= 0) {
				void *p =
					mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

				if (p != MAP_FAILED) {
					map = p;
					atomic_fetch_add(&st->mapped, 1);
				} else if (errno == ENODEV) {
					atomic_fetch_add(&st->map_enodev, 1);
				} else {
					atomic_fetch_add(&st->map_other, 1);
					atomic_store(&st->first_map_errno, errno);
				}
			}
			continue;
		}
		if (!map)
			continue;
		for (int i = 0; i < 64 && !atomic_load(&sh->stop); i++) {
			uint64_t revoked = atomic_load(&sh->revoked_gen);
			size_t off = ((size_t)(i * 1031 + id * 4099) % (LEN / 4));

			if (!access_once(map, off, (uint32_t)(gen << 8 | id))) {
				atomic_fetch_add(&st->sigbus, 1);
				munmap((void *)map, LEN);
				map = NULL;
				break;
			}
			atomic_fetch_add(&st->accesses, 1);
			if (revoked >= gen)
				atomic_fetch_add(&st->stale, 1);
		}
	}
	_exit(0);
}

static int export(int device, bool wc)
{
	union {
		struct vfio_device_feature hdr;
		char buf[sizeof(struct vfio_device_feature) +
			 sizeof(struct vfio_device_feature_dma_buf) +
			 sizeof(struct vfio_region_dma_range)];
	} f;
	struct vfio_device_feature_dma_buf *db = (void *)f.hdr.data;
	int fd;

	memset(&f, 0, sizeof(f));
	f.hdr.argsz = sizeof(f);
	f.hdr.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF;
	db->region_index = BAR;
	db->open_flags = O_RDWR | O_CLOEXEC;
	db->flags = wc ? VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_WC : VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_UC;
	db->nr_ranges = 1;
	db->dma_ranges[0].length = LEN;
	fd = ioctl(device, VFIO_DEVICE_FEATURE, &f);
	return fd < 0 ? -errno : fd;
}

static int revoke_buf(int device, int dmabuf)
{
	struct vfio_pci_dmabuf_revoke rv = { .argsz = sizeof(rv), .dmabuf_fd = dmabuf };

	return ioctl(device, VFIO_DEVICE_PCI_DMABUF_REVOKE, &rv) ? -errno : 0;
}

int main(int argc, char **argv)
{
	const char *bdf = getenv("IVSHMEM_BDF");
	unsigned long revokes = 0, closes = 0, resets = 0, reset_fail = 0, enodev_after = 0;
	unsigned int nsubs = 3, seed = 0xf10;
	int socks[MAX_SUBS], opt, status = 0, r;
	pid_t subs[MAX_SUBS];
	struct du_vfio_dev dev;
	double seconds = 10;
	uint64_t gen = 0;
	int64_t end;

	while ((opt = getopt(argc, argv, "s:n:")) != -1) {
		switch (opt) {
		case 's':
			seconds = atof(optarg);
			break;
		case 'n':
			nsubs = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: stress_vfio [-s SEC] [-n SUBORDINATES]\n");
			return 2;
		}
	}
	if (!nsubs || nsubs > MAX_SUBS || !bdf) {
		fprintf(stderr, "stress_vfio: 1-%d subordinates; IVSHMEM_BDF must be set\n",
			MAX_SUBS);
		return 2;
	}
	if (du_vfio_open(bdf, &dev)) {
		du_vfio_report(&dev);
		return 2;
	}
	r = export(dev.device, false);
	if (r < 0) {
		fprintf(stderr, "stress_vfio: VFIO_DEVICE_FEATURE_DMA_BUF: %s\n", strerror(-r));
		return r == -ENOTTY || r == -EINVAL || r == -EOPNOTSUPP ? 77 : 2;
	}
	close(r);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	for (unsigned int i = 0; i < nsubs; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
			return 2;
		subs[i] = fork();
		if (subs[i] == 0) {
			close(sv[0]);
			du_vfio_close(&dev);
			subordinate(i, sv[1]);
		}
		close(sv[1]);
		socks[i] = sv[0];
	}
	printf("# %s BAR%d, %u subordinates, %.0f s\n", bdf, BAR, nsubs, seconds);

	end = now_ns() + (int64_t)(seconds * 1e9);
	while (now_ns() < end) {
		struct msg m = { .gen = ++gen };
		int buf = export(dev.device, gen & 1);

		if (buf < 0) {
			printf("# export %llu: %s\n", (unsigned long long)gen, strerror(-buf));
			status = 1;
			break;
		}
		for (unsigned int i = 0; i < nsubs; i++)
			du_fd_send(socks[i], &m, sizeof(m), &buf, 1);
		usleep(1000 + rand_r(&seed) % 4000);
		switch (rand_r(&seed) % 3) {
		case 0:
			r = revoke_buf(dev.device, buf);
			if (r) {
				printf("# revoke %llu: %s\n", (unsigned long long)gen,
				       strerror(-r));
				status = 1;
			}
			revokes++;
			break;
		case 1:
			/* Closing the device revokes all its buffers; reopen it. */
			du_vfio_close(&dev);
			closes++;
			atomic_store(&sh->revoked_gen, gen);
			if (du_vfio_open(bdf, &dev)) {
				du_vfio_report(&dev);
				status = 1;
				goto out;
			}
			break;
		case 2:
			if (ioctl(dev.device, VFIO_DEVICE_RESET))
				reset_fail++;
			resets++;
			usleep(rand_r(&seed) % 2000);
			r = revoke_buf(dev.device, buf);
			if (r) {
				printf("# revoke after reset %llu: %s\n", (unsigned long long)gen,
				       strerror(-r));
				status = 1;
			}
			revokes++;
			break;
		}
		atomic_store(&sh->revoked_gen, gen);
		/* A revoked buffer cannot be mapped again, by anyone. */
		{
			void *p = mmap(NULL, LEN, PROT_READ, MAP_SHARED, buf, 0);

			if (p != MAP_FAILED) {
				munmap(p, LEN);
				printf("# buffer %llu maps after its revoke\n",
				       (unsigned long long)gen);
				status = 1;
			} else if (errno == ENODEV) {
				enodev_after++;
			}
		}
		close(buf);
	}
out:
	atomic_store(&sh->stop, true);
	for (unsigned int i = 0; i < nsubs; i++) {
		struct sub_stats *st = &sh->sub[i];
		int ws;

		close(socks[i]);
		waitpid(subs[i], &ws, 0);
		printf("# subordinate %u: %lu buffers, %lu mapped, %lu mmap ENODEV, %lu accesses, "
		       "%lu SIGBUS, %lu stale accesses after revoke, exit %s%d\n",
		       i, atomic_load(&st->buffers), atomic_load(&st->mapped),
		       atomic_load(&st->map_enodev), atomic_load(&st->accesses),
		       atomic_load(&st->sigbus), atomic_load(&st->stale),
		       WIFSIGNALED(ws) ? "signal " : "",
		       WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
		if (atomic_load(&st->map_other))
			printf("# subordinate %u: %lu mmap failures other than ENODEV (%s)\n", i,
			       atomic_load(&st->map_other),
			       strerror(atomic_load(&st->first_map_errno)));
		if (!WIFEXITED(ws) || WEXITSTATUS(ws) || atomic_load(&st->stale) ||
		    atomic_load(&st->map_other))
			status = 1;
		if (!atomic_load(&st->sigbus) || !atomic_load(&st->accesses)) {
			printf("# subordinate %u never got to use or lose a buffer\n", i);
			status = 1;
		}
	}
	printf("# %llu buffers: %lu revoke ioctls, %lu device closes, %lu resets (%lu failed), "
	       "%lu mmaps after revoke refused with ENODEV\n",
	       (unsigned long long)gen, revokes, closes, resets, reset_fail, enodev_after);
	du_vfio_close(&dev);
	printf("# stress_vfio: %s\n", status ? "FAILED" : "passed");
	return status;
}
