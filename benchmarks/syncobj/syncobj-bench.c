// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syncobj-bench - /dev/syncobj against a DRM render node, in ops/s.
 *
 *   syncobj-bench [-t SECONDS] [-r ROUNDS] RENDER_NODE
 *
 * Cases, each run on both back ends through common/syncobj (the code
 * syncobjctl uses), alternating back ends round by round so that drift in
 * a shared VM hits both alike; the median round counts:
 *
 *   compositor-cycle   what a Wayland compositor does per frame with a
 *                      client's timeline: receive the client's syncobj fd
 *                      (over a socketpair, SCM_RIGHTS), register an eventfd
 *                      for the frame's point, wait for it (read), drop the
 *                      fd.  /dev/syncobj: EVENTFD + close; render node:
 *                      FD_TO_HANDLE + EVENTFD + DESTROY + close.  The
 *                      point is signaled up front so the cycle measures the
 *                      compositor's side only.
 *   eventfd-cycle      the same without the fd passing (dup instead).
 *   round-trip         create, signal, wait, close: a syncobj's whole life.
 *
 * round-trip also runs on native render-node handles (libdrm
 * drmSyncobjCreate/Signal/Wait/Destroy, no fds at all), for reference.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "syncobj.h"

static double seconds = 1.0;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __attribute__((noreturn)) void fail(const char *what, int err)
{
	fprintf(stderr, "syncobj-bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static void check(int r, const char *what)
{
	if (r)
		fail(what, -r);
}

static void send_fd(int sock, int fd)
{
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1)
		fail("sendmsg", errno);
}

static int recv_fd(int sock)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		fail("recvmsg", errno);
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	return fd;
}

/* One round of a case: ops/s over `seconds`. */
typedef double (*round_fn)(struct du_syncobj_ctx *ctx, int native_fd);

static double cycle(struct du_syncobj_ctx *ctx, bool pass_fd)
{
	int client, efd, sv[2];
	uint64_t point = 0, counter;
	long n = 0;
	double t0, t;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		fail("socketpair", errno);
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		fail("eventfd", errno);
	check(du_syncobj_create(ctx, 0, &client), "create");
	/* Far ahead: every frame's point is already signaled. */
	check(du_syncobj_signal(ctx, &client, &(uint64_t){ UINT64_MAX / 2 }, 1), "signal");
	t0 = now();
	do {
		for (int i = 0; i < 64; i++) {
			int fd;

			if (pass_fd) {
				send_fd(sv[0], client);
				fd = recv_fd(sv[1]);
			} else {
				fd = dup(client);
			}
			check(du_syncobj_eventfd(ctx, fd, efd, ++point, 0), "eventfd");
			if (read(efd, &counter, sizeof(counter)) != sizeof(counter))
				fail("read eventfd", errno);
			close(fd);
		}
		n += 64;
		t = now();
	} while (t - t0 < seconds);
	close(client);
	close(efd);
	close(sv[0]);
	close(sv[1]);
	return n / (t - t0);
}

static double compositor_cycle(struct du_syncobj_ctx *ctx, int native_fd)
{
	(void)native_fd;
	return cycle(ctx, true);
}

static double eventfd_cycle(struct du_syncobj_ctx *ctx, int native_fd)
{
	(void)native_fd;
	return cycle(ctx, false);
}

static double round_trip(struct du_syncobj_ctx *ctx, int native_fd)
{
	long n = 0;
	double t0 = now(), t;

	(void)native_fd;
	do {
		for (int i = 0; i < 64; i++) {
			int fd;

			check(du_syncobj_create(ctx, 0, &fd), "create");
			check(du_syncobj_signal(ctx, &fd, NULL, 1), "signal");
			check(du_syncobj_wait(ctx, &fd, NULL, 1, DU_SYNCOBJ_WAIT_ALL, INT64_MAX, 0,
					      NULL),
			      "wait");
			close(fd);
		}
		n += 64;
		t = now();
	} while (t - t0 < seconds);
	return n / (t - t0);
}

static double round_trip_native(struct du_syncobj_ctx *ctx, int native_fd)
{
	long n = 0;
	double t0 = now(), t;

	(void)ctx;
	do {
		for (int i = 0; i < 64; i++) {
			uint32_t h;

			check(drmSyncobjCreate(native_fd, 0, &h) ? -errno : 0, "drmSyncobjCreate");
			check(drmSyncobjSignal(native_fd, &h, 1) ? -errno : 0, "drmSyncobjSignal");
			check(drmSyncobjWait(native_fd, &h, 1, INT64_MAX,
					     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL),
			      "drmSyncobjWait");
			check(drmSyncobjDestroy(native_fd, h) ? -errno : 0, "drmSyncobjDestroy");
		}
		n += 64;
		t = now();
	} while (t - t0 < seconds);
	return n / (t - t0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct result {
	const char *name;
	double dev, drm;
};

static struct result run_case(const char *name, round_fn dev_fn, round_fn drm_fn,
			      struct du_syncobj_ctx *dev, struct du_syncobj_ctx *drm, int rounds)
{
	double d[rounds], r[rounds];

	for (int i = 0; i < rounds; i++) {
		d[i] = dev_fn(dev, -1);
		r[i] = drm_fn(drm, drm->fd);
	}
	return (struct result){ name, median(d, rounds), median(r, rounds) };
}

int main(int argc, char **argv)
{
	struct du_syncobj_ctx dev, drm;
	struct result res[4];
	int rounds = 5, opt, n = 0;

	while ((opt = getopt(argc, argv, "t:r:")) != -1) {
		if (opt == 't')
			seconds = atof(optarg);
		else if (opt == 'r')
			rounds = atoi(optarg);
		else
			goto usage;
	}
	if (optind != argc - 1 || seconds <= 0 || rounds < 1 || rounds > 99)
		goto usage;
	check(du_syncobj_open(&dev, DU_SYNCOBJ_DEV_PATH), DU_SYNCOBJ_DEV_PATH);
	check(du_syncobj_open(&drm, argv[optind]), argv[optind]);
	if (!(drm.caps & DU_SYNCOBJ_CAP_EVENTFD) || !(drm.caps & DU_SYNCOBJ_CAP_TIMELINE))
		fail("render node lacks timeline syncobjs or DRM_IOCTL_SYNCOBJ_EVENTFD", ENOTSUP);

	res[n++] = run_case("compositor-cycle", compositor_cycle, compositor_cycle, &dev, &drm,
			    rounds);
	res[n++] = run_case("eventfd-cycle", eventfd_cycle, eventfd_cycle, &dev, &drm, rounds);
	res[n++] = run_case("round-trip", round_trip, round_trip, &dev, &drm, rounds);
	res[n++] = run_case("round-trip/native-handles", round_trip, round_trip_native, &dev, &drm,
			    rounds);

	printf("# %d rounds of %.1f s per case and back end, median ops/s; render node %s (%s)\n",
	       rounds, seconds, drm.path, drm.driver);
	printf("%-26s %14s %14s %8s\n", "CASE", "/dev/syncobj", "render-node", "RATIO");
	for (int i = 0; i < n; i++)
		printf("%-26s %14.0f %14.0f %7.2fx\n", res[i].name, res[i].dev, res[i].drm,
		       res[i].dev / res[i].drm);
	du_syncobj_close(&dev);
	du_syncobj_close(&drm);
	return 0;
usage:
	fprintf(stderr, "usage: syncobj-bench [-t SECONDS] [-r ROUNDS] RENDER_NODE\n");
	return 2;
}
