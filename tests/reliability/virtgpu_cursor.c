// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtgpu_cursor - regression test for the virtio-gpu cursor/plane resv lock
 * fix ("drm/virtio: use uninterruptible resv lock for plane updates", in
 * Debian 6.1 since 6.1.176; the seed series' patch 4).
 *
 *   virtgpu_cursor PHASE...
 *
 * virtio_gpu_cursor_plane_update() locks the cursor BO's dma_resv and
 * reserves a fence slot before queueing a fenced transfer.  Before the fix
 * a failure there (-ENOMEM from dma_resv_reserve_fences(), -EINTR from the
 * interruptible lock) was ignored and dma_resv_add_fence() ran without the
 * lock: "WARNING: ... dma_resv_add_fence" (dma_resv_assert_held) under
 * lockdep.  With the fix the frame is skipped.  Phases (run in order given):
 *
 *   fill     cursor BOs whose fence list is full (K sw_sync fences imported
 *            through the BO's dma-buf, the last one signalled): a fail-nth
 *            sweep of DRM_IOCTL_MODE_CURSOR must fail the list reallocation
 *            in dma_resv_reserve_fences() for some K.  Safe on a kernel
 *            without the fix too: it only WARNs there (a signalled fence is
 *            replaced, so dma_resv_add_fence() neither BUGs nor derefs NULL).
 *   fresh    a fail-nth sweep of DRM_IOCTL_MODE_CURSOR with a new BO each
 *            run: the first reservation allocates the list.  (Without the
 *            fix this dereferences a NULL fence list: do not run it there.)
 *   flip     fail-nth sweeps of DRM_IOCTL_MODE_PAGE_FLIP, DIRTYFB (a blocking
 *            commit through virtio_gpu_primary_plane_update() and
 *            virtio_gpu_resource_flush()) and SETCRTC.
 *   signals  cursor updates for a few seconds while another thread keeps
 *            taking the BOs' resv locks (DMA_BUF_IOCTL_IMPORT_SYNC_FILE)
 *            and a timer signals the updating thread every 200 us: the
 *            contended lock is where the old interruptible lock gave -EINTR.
 *
 * Every ioctl must return 0 or its documented error (ENOMEM under fault
 * injection, EINTR under signals), the cursor must still work afterwards,
 * no fd may leak; the kernel log is checked by run-vm (and kmemleak by the
 * guest's init).  Output: "# " lines; exit status 0 if all phases passed,
 * 1 if one failed, 2 on usage or setup errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include <drm_mode.h>
#include <linux/dma-buf.h>

#include "failnth.h"
#include "sw_sync.h"

#define CURSOR_SIZE 64
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX_FILL 10

struct bo {
	uint32_t handle, fb;
	uint64_t size;
};

static struct {
	int fd;
	uint32_t crtc, conn;
	struct drm_mode_modeinfo mode;
	struct bo primary[2];
	int front;
	int failures;
} gpu = { .fd = -1 };

static void say(const char *fmt, ...) __du_printf(1, 2);
static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static int open_virtio_gpu(void)
{
	for (int i = 0; i < 8; i++) {
		char path[32], name[32] = "";
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!xioctl(fd, DRM_IOCTL_VERSION, &v) && streq(name, "virtio_gpu")) {
			say("virtio-gpu is %s", path);
			return fd;
		}
		close(fd);
	}
	return -ENODEV;
}

static int bo_create(struct bo *bo, uint32_t w, uint32_t h, bool with_fb)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_fb_cmd f = { .width = w, .height = h, .bpp = 32, .depth = 24 };
	int r;

	r = xioctl(gpu.fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);
	if (r)
		return r;
	*bo = (struct bo){ .handle = c.handle, .size = c.size };
	if (!with_fb)
		return 0;
	f.pitch = c.pitch;
	f.handle = c.handle;
	r = xioctl(gpu.fd, DRM_IOCTL_MODE_ADDFB, &f);
	if (r)
		return r;
	bo->fb = f.fb_id;
	return 0;
}

static void bo_destroy(struct bo *bo)
{
	struct drm_mode_destroy_dumb d = { .handle = bo->handle };

	if (bo->fb)
		ioctl(gpu.fd, DRM_IOCTL_MODE_RMFB, &bo->fb);
	if (bo->handle)
		ioctl(gpu.fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	*bo = (struct bo){ 0 };
}

static int set_crtc(uint32_t fb)
{
	struct drm_mode_crtc c = {
		.crtc_id = gpu.crtc,
		.fb_id = fb,
		.set_connectors_ptr = (uintptr_t)&gpu.conn,
		.count_connectors = 1,
		.mode = gpu.mode,
		.mode_valid = 1,
	};

	return xioctl(gpu.fd, DRM_IOCTL_MODE_SETCRTC, &c);
}

static int cursor_set(uint32_t handle)
{
	struct drm_mode_cursor c = {
		.flags = DRM_MODE_CURSOR_BO,
		.crtc_id = gpu.crtc,
		.handle = handle,
		.width = handle ? CURSOR_SIZE : 0,
		.height = handle ? CURSOR_SIZE : 0,
	};

	return xioctl(gpu.fd, DRM_IOCTL_MODE_CURSOR, &c);
}

/* A connected connector, its first mode and a CRTC its encoder can drive. */
static int setup_mode(void)
{
	struct drm_mode_card_res res = { 0 };
	uint32_t conns[16], crtcs[16];
	int r;

	r = xioctl(gpu.fd, DRM_IOCTL_MODE_GETRESOURCES, &res);
	if (r)
		return r;
	if (!res.count_connectors || !res.count_crtcs)
		return -ENODEV;
	res.count_connectors = MIN(res.count_connectors, ARRAY_SIZE(conns));
	res.count_crtcs = MIN(res.count_crtcs, ARRAY_SIZE(crtcs));
	res.connector_id_ptr = (uintptr_t)conns;
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.count_fbs = res.count_encoders = 0;
	r = xioctl(gpu.fd, DRM_IOCTL_MODE_GETRESOURCES, &res);
	if (r)
		return r;
	for (uint32_t i = 0; i < res.count_connectors; i++) {
		struct drm_mode_modeinfo modes[32];
		struct drm_mode_get_connector c = { .connector_id = conns[i] };

		r = xioctl(gpu.fd, DRM_IOCTL_MODE_GETCONNECTOR, &c);
		if (r)
			return r;
		if (c.connection != 1 || !c.count_modes)
			continue;
		c.count_modes = MIN(c.count_modes, ARRAY_SIZE(modes));
		c.modes_ptr = (uintptr_t)modes;
		c.count_props = c.count_encoders = 0;
		r = xioctl(gpu.fd, DRM_IOCTL_MODE_GETCONNECTOR, &c);
		if (r)
			return r;
		gpu.conn = conns[i];
		gpu.mode = modes[0];
		gpu.crtc = crtcs[0];
		say("connector %u, mode %s (%ux%u), crtc %u", gpu.conn, gpu.mode.name,
		    gpu.mode.hdisplay, gpu.mode.vdisplay, gpu.crtc);
		return 0;
	}
	return -ENODEV;
}

static int setup(void)
{
	int r;

	gpu.fd = open_virtio_gpu();
	if (gpu.fd < 0)
		return gpu.fd;
	r = setup_mode();
	if (r)
		return r;
	for (int i = 0; i < 2; i++) {
		r = bo_create(&gpu.primary[i], gpu.mode.hdisplay, gpu.mode.vdisplay, true);
		if (r)
			return r;
	}
	r = set_crtc(gpu.primary[0].fb);
	if (r)
		return r;
	gpu.front = 0;
	return 0;
}

/* After any run: a cursor update with a new BO must still go through. */
static int cursor_still_works(const char *what)
{
	struct bo b;
	int r;

	r = bo_create(&b, CURSOR_SIZE, CURSOR_SIZE, false);
	if (!r)
		r = cursor_set(b.handle);
	bo_destroy(&b);
	if (r)
		fn_fail("%s: cursor update after the run: %s", what, fn_errname(-r));
	return r ? -1 : 0;
}

/* --- fresh: the first fence reservation of a new cursor BO ------------- */

struct cursor_ctx {
	struct bo bo;
	int dmabuf;
	int timelines[MAX_FILL];
	int nfences;
};

static int fresh_prepare(void *arg)
{
	struct cursor_ctx *c = arg;

	return bo_create(&c->bo, CURSOR_SIZE, CURSOR_SIZE, false);
}

static int cursor_run(void *arg)
{
	struct cursor_ctx *c = arg;

	return cursor_set(c->bo.handle);
}

static void cursor_release(struct cursor_ctx *c)
{
	for (int i = 0; i < c->nfences; i++)
		close(c->timelines[i]);
	c->nfences = 0;
	if (c->dmabuf >= 0)
		close(c->dmabuf);
	c->dmabuf = -1;
	bo_destroy(&c->bo);
}

static int cursor_check(void *arg, const struct fn_run *r)
{
	struct cursor_ctx *c = arg;

	(void)r;
	cursor_release(c);
	return cursor_still_works("cursor");
}

/* --- fill: a full fence list, so reserving one more slot reallocates it -- */

static int import_fence(int dmabuf, int *timeline, bool signal)
{
	struct sw_sync_create_fence_data f = { .value = 1, .name = "du-fill" };
	struct dma_buf_import_sync_file imp = { .flags = DMA_BUF_SYNC_WRITE };
	__u32 one = 1;
	int r;

	*timeline = open(SW_SYNC_PATH, O_RDWR | O_CLOEXEC);
	if (*timeline < 0)
		return -errno;
	r = xioctl(*timeline, SW_SYNC_IOC_CREATE_FENCE, &f);
	if (r)
		return r;
	imp.fd = f.fence;
	r = xioctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &imp);
	close(f.fence);
	if (!r && signal)
		r = xioctl(*timeline, SW_SYNC_IOC_INC, &one);
	return r;
}

static int fill_count;

static int fill_prepare(void *arg)
{
	struct cursor_ctx *c = arg;
	struct drm_prime_handle p = { .flags = DRM_CLOEXEC | DRM_RDWR };
	int r;

	r = bo_create(&c->bo, CURSOR_SIZE, CURSOR_SIZE, false);
	if (r)
		return r;
	p.handle = c->bo.handle;
	r = xioctl(gpu.fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);
	if (r)
		return r;
	c->dmabuf = p.fd;
	/* K fences from K timelines (contexts); the last one signalled. */
	for (int i = 0; i < fill_count; i++) {
		r = import_fence(c->dmabuf, &c->timelines[i], i == fill_count - 1);
		c->nfences = i + 1;
		if (r) {
			cursor_release(c);
			return r;
		}
	}
	return 0;
}

static const struct fn_op cursor_fresh_op = {
	.name = "MODE_CURSOR(new BO)",
	.prepare = fresh_prepare,
	.run = cursor_run,
	.check = cursor_check,
};

static const struct fn_op cursor_fill_op = {
	.name = "MODE_CURSOR(full fence list)",
	.prepare = fill_prepare,
	.run = cursor_run,
	.check = cursor_check,
};

static int phase_fresh(void)
{
	struct cursor_ctx c = { .dmabuf = -1 };
	struct fn_report rep;
	int r;

	r = fn_sweep(&cursor_fresh_op, &c, 500, "dma_resv_reserve_fences", &rep);
	say("fresh: %u injection points; a fault in dma_resv_reserve_fences: %s", rep.points,
	    rep.found_site ? "yes" : "NO");
	if (!rep.found_site)
		fn_fail("fresh: the sweep never failed the fence list allocation");
	return r || !rep.found_site ? -1 : 0;
}

static int phase_fill(void)
{
	struct cursor_ctx c = { .dmabuf = -1 };
	struct fn_report rep;
	int status = 0;

	if (access(SW_SYNC_PATH, R_OK | W_OK)) {
		fn_fail("fill: %s: %s", SW_SYNC_PATH, strerror(errno));
		return -1;
	}
	for (fill_count = 1; fill_count <= MAX_FILL; fill_count++) {
		if (fn_sweep(&cursor_fill_op, &c, 500, "dma_resv_reserve_fences", &rep))
			status = -1;
		say("fill: %d fences: %u injection points, list reallocation failed: %s",
		    fill_count, rep.points, rep.found_site ? "yes" : "no");
		if (rep.found_site)
			break;
	}
	if (fill_count > MAX_FILL) {
		fn_fail("fill: no fence count up to %d made the cursor reallocate the list",
			MAX_FILL);
		status = -1;
	}
	return status;
}

/* --- flip: page flip, dirtyfb and setcrtc on the primary plane ---------- */

struct flip_ctx {
	struct bo back;
	bool event;
};

static int flip_prepare(void *arg)
{
	struct flip_ctx *f = arg;

	return bo_create(&f->back, gpu.mode.hdisplay, gpu.mode.vdisplay, true);
}

static int flip_run(void *arg)
{
	struct flip_ctx *f = arg;
	struct drm_mode_crtc_page_flip p = {
		.crtc_id = gpu.crtc,
		.fb_id = f->back.fb,
		.flags = DRM_MODE_PAGE_FLIP_EVENT,
	};

	return xioctl(gpu.fd, DRM_IOCTL_MODE_PAGE_FLIP, &p);
}

/* Wait for the flip's completion event. */
static int wait_flip_event(void)
{
	struct pollfd pfd = { .fd = gpu.fd, .events = POLLIN };
	char buf[256];
	struct drm_event *e = (struct drm_event *)buf;
	ssize_t n;

	if (poll(&pfd, 1, 2000) != 1)
		return -ETIMEDOUT;
	n = read(gpu.fd, buf, sizeof(buf));
	if (n < (ssize_t)sizeof(*e))
		return -EIO;
	return e->type == DRM_EVENT_FLIP_COMPLETE ? 0 : -EIO;
}

static int flip_check(void *arg, const struct fn_run *r)
{
	struct flip_ctx *f = arg;
	int status = 0, w;

	if (r->ret == 0) {
		w = wait_flip_event();
		if (w) {
			fn_fail("flip: nth %u: no completion event: %s", r->nth, fn_errname(-w));
			status = -1;
		}
		/* The new buffer is on screen: retire the old front one. */
		bo_destroy(&gpu.primary[gpu.front]);
		gpu.primary[gpu.front] = f->back;
		f->back = (struct bo){ 0 };
	} else {
		bo_destroy(&f->back);
	}
	return status;
}

static int dirty_run(void *arg)
{
	struct drm_clip_rect clip = { 0, 0, 64, 64 };
	struct drm_mode_fb_dirty_cmd d = {
		.fb_id = gpu.primary[gpu.front].fb,
		.num_clips = 1,
		.clips_ptr = (uintptr_t)&clip,
	};

	(void)arg;
	return xioctl(gpu.fd, DRM_IOCTL_MODE_DIRTYFB, &d);
}

static int setcrtc_run(void *arg)
{
	(void)arg;
	return set_crtc(gpu.primary[gpu.front].fb);
}

static const struct fn_op flip_op = {
	.name = "MODE_PAGE_FLIP",
	.prepare = flip_prepare,
	.run = flip_run,
	.check = flip_check,
};

static const struct fn_op dirty_op = {
	.name = "MODE_DIRTYFB",
	.run = dirty_run,
};

static const struct fn_op setcrtc_op = {
	.name = "MODE_SETCRTC",
	.run = setcrtc_run,
};

static int phase_flip(void)
{
	struct flip_ctx f = { 0 };
	struct fn_report rep;
	int status = 0;

	if (fn_sweep(&flip_op, &f, 500, NULL, &rep))
		status = -1;
	if (fn_sweep(&dirty_op, NULL, 500, "virtio_gpu_primary_plane_update", &rep))
		status = -1;
	say("dirtyfb: a fault under virtio_gpu_primary_plane_update: %s",
	    rep.found_site ? "yes" : "no (resource_flush allocates nothing without blob)");
	if (fn_sweep(&setcrtc_op, NULL, 500, NULL, &rep))
		status = -1;
	if (cursor_still_works("flip"))
		status = -1;
	return status;
}

/* --- signals: contended resv lock, signals to the updating thread ------ */

static atomic_bool stop;
static atomic_ulong imports, signals;

static void on_alarm(int sig)
{
	(void)sig;
	atomic_fetch_add(&signals, 1);
}

struct contender {
	int dmabuf[2];
	int timeline;
	int fence; /* a signalled sync_file */
};

/* Keep taking the cursor BOs' resv locks: importing a fence locks them. */
static void *contend(void *arg)
{
	struct contender *ct = arg;
	struct dma_buf_import_sync_file imp = { .flags = DMA_BUF_SYNC_WRITE, .fd = ct->fence };

	for (unsigned long i = 0; !atomic_load(&stop); i++) {
		if (!ioctl(ct->dmabuf[i & 1], DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &imp))
			atomic_fetch_add(&imports, 1);
	}
	return NULL;
}

static int phase_signals(double seconds)
{
	struct sw_sync_create_fence_data f = { .value = 1, .name = "du-sig" };
	struct contender ct = { .timeline = -1 };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGALRM };
	struct itimerspec its = { .it_interval = { 0, 200000 }, .it_value = { 0, 200000 } };
	unsigned long updates = 0, eintr = 0, other = 0;
	struct timespec start, now;
	struct bo bo[2] = { 0 };
	pthread_t thread;
	timer_t timer;
	__u32 one = 1;
	int r, status = 0;

	for (int i = 0; i < 2; i++) {
		struct drm_prime_handle p = { .flags = DRM_CLOEXEC | DRM_RDWR };

		r = bo_create(&bo[i], CURSOR_SIZE, CURSOR_SIZE, false);
		p.handle = bo[i].handle;
		if (!r)
			r = xioctl(gpu.fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);
		if (r) {
			fn_fail("signals: cursor BO %d: %s", i, fn_errname(-r));
			return -1;
		}
		ct.dmabuf[i] = p.fd;
	}
	ct.timeline = open(SW_SYNC_PATH, O_RDWR | O_CLOEXEC);
	if (ct.timeline < 0 || xioctl(ct.timeline, SW_SYNC_IOC_CREATE_FENCE, &f) ||
	    xioctl(ct.timeline, SW_SYNC_IOC_INC, &one)) {
		fn_fail("signals: sw_sync fence: %s", strerror(errno));
		return -1;
	}
	ct.fence = f.fence;

	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: interrupted ioctls return EINTR */
	sev._sigev_un._tid = gettid(); /* sigev_notify_thread_id: not in glibc 2.36 */
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer)) {
		fn_fail("signals: timer_create: %s", strerror(errno));
		return -1;
	}
	atomic_store(&stop, false);
	if (pthread_create(&thread, NULL, contend, &ct)) {
		fn_fail("signals: pthread_create failed");
		return -1;
	}
	timer_settime(timer, 0, &its, NULL);
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		r = cursor_set(bo[updates & 1].handle);
		updates++;
		if (r == -EINTR)
			eintr++;
		else if (r) {
			other++;
			if (other <= 3)
				fn_fail("signals: update %lu: %s", updates, fn_errname(-r));
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
	timer_delete(timer);
	atomic_store(&stop, true);
	pthread_join(thread, NULL);
	signal(SIGALRM, SIG_DFL);

	say("signals: %lu cursor updates in %.0f s (%lu EINTR, %lu other errors), "
	    "%lu signals, %lu resv-locking imports in parallel",
	    updates, seconds, eintr, other, atomic_load(&signals), atomic_load(&imports));
	if (other)
		status = -1;
	if (updates - eintr == 0 || !atomic_load(&imports)) {
		fn_fail("signals: no contended update happened");
		status = -1;
	}
	close(ct.fence);
	close(ct.timeline);
	for (int i = 0; i < 2; i++) {
		close(ct.dmabuf[i]);
		bo_destroy(&bo[i]);
	}
	if (cursor_still_works("signals"))
		status = -1;
	return status;
}

int main(int argc, char **argv)
{
	int fds, r, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s fill|fresh|flip|signals[=SECONDS]...\n", argv[0]);
		return 2;
	}
	r = fn_setup();
	if (r) {
		fprintf(stderr, "virtgpu_cursor: fault injection: %s\n", strerror(-r));
		return 2;
	}
	r = setup();
	if (r) {
		fprintf(stderr, "virtgpu_cursor: virtio-gpu mode setup: %s\n", strerror(-r));
		return 2;
	}
	r = cursor_still_works("setup");
	if (r)
		return 2;
	fds = fn_count_fds();
	for (int i = 1; i < argc; i++) {
		const char *p = argv[i];

		if (streq(p, "fill"))
			r = phase_fill();
		else if (streq(p, "fresh"))
			r = phase_fresh();
		else if (streq(p, "flip"))
			r = phase_flip();
		else if (!strncmp(p, "signals", 7))
			r = phase_signals(p[7] == '=' ? atof(p + 8) : 5);
		else {
			fprintf(stderr, "virtgpu_cursor: unknown phase '%s'\n", p);
			return 2;
		}
		say("phase %s: %s", p, r ? "FAILED" : "passed");
		failed |= r != 0;
	}
	if (fn_count_fds() != fds) {
		fn_fail("%d fds open after the phases, %d before", fn_count_fds(), fds);
		failed = 1;
	}
	cursor_set(0);
	return failed;
}
