// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-bench - what BAR DMABUFs cost and save, measured in one run.
 *
 *   vfio-bench BDF [READS]
 *
 * 1. 4-byte reads of BAR0 offset 0: through a DMABUF mapping, through the
 *    device fd's own mapping, and with pread() on the region; time per
 *    read and the pread/DMABUF ratio.
 * 2. Revoke time against the number of mappings and of subordinate
 *    processes: one DMABUF of one page, mapped MAPS times in total by PROCS
 *    forked subordinates (each mapping faulted in), then revoked; the
 *    subordinates check they get SIGBUS afterwards.  Everything is
 *    synchronised with pipes (blocking reads), never with sleeps; each point
 *    is the median of a few runs.
 *
 * Needs a kernel with the DMABUF series and BDF bound to vfio-pci.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "vfio.h"

#define RUNS 5

static struct du_vfio_dev dev;
static struct du_vfio_caps caps;
static uint64_t bar_offset; /* BAR0's offset in the device fd */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int export_page(void)
{
	struct du_vfio_range r = { 0, (uint64_t)sysconf(_SC_PAGESIZE) };
	int fd = du_vfio_export(&dev, &caps, 0, &r, 1, DU_VFIO_ATTR_UC);

	if (fd < 0)
		du_die(DU_EXIT_FAILURE, -fd, "%s: cannot export a page of BAR0", dev.bdf);
	return fd;
}

static volatile uint32_t *map_page(int fd, off_t off)
{
	void *p = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd, off);

	if (p == MAP_FAILED)
		du_die(DU_EXIT_FAILURE, errno, "mmap failed");
	return p;
}

static double ns_per_load(volatile uint32_t *p, long n, uint32_t *v)
{
	int64_t t = now_ns();

	for (long i = 0; i < n; i++)
		*v = *p;
	return (double)(now_ns() - t) / (double)n;
}

static void bench_reads(long n)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = export_page();
	volatile uint32_t *dm = map_page(fd, 0), *dv = map_page(dev.device, (off_t)bar_offset);
	double t_dmabuf, t_mmap, t_pread;
	uint32_t v = 0;
	int64_t t;

	t_dmabuf = ns_per_load(dm, n, &v);
	if (v != 0x010000ed)
		printf("# note: BAR0 offset 0 reads 0x%08x (edu's ID is 0x010000ed)\n", v);
	t_mmap = ns_per_load(dv, n, &v);
	t = now_ns();
	for (long i = 0; i < n / 10; i++)
		if (pread(dev.device, &v, 4, (off_t)bar_offset) != 4)
			du_die(DU_EXIT_FAILURE, errno, "pread failed");
	t_pread = (double)(now_ns() - t) / (double)(n / 10);
	printf("== 4-byte reads of BAR0 offset 0 (%ld through mappings, %ld preads)\n", n, n / 10);
	printf("%-22s %10s\n", "method", "ns/read");
	printf("%-22s %10.1f\n", "dmabuf mapping", t_dmabuf);
	printf("%-22s %10.1f\n", "device fd mapping", t_mmap);
	printf("%-22s %10.1f\n", "pread", t_pread);
	printf("ratio pread/dmabuf: %.1fx (target >= 10x)\n\n", t_pread / t_dmabuf);
	munmap((void *)dm, (size_t)page);
	munmap((void *)dv, (size_t)page);
	close(fd);
}

static void on_sigbus(int sig)
{
	(void)sig;
	_exit(0);
}

/*
 * A subordinate: map the DMABUF @maps times, fault each mapping in, say
 * ready, wait for the parent to hang up, touch a mapping again: SIGBUS
 * (exit 0) is what a revoked buffer must give.
 */
static void subordinate(int fd, int maps, int ready, int go)
{
	volatile uint32_t *m = NULL;
	uint32_t v = 0;
	char c;

	signal(SIGBUS, on_sigbus);
	for (int i = 0; i < maps; i++) {
		m = map_page(fd, 0);
		v += *m;
	}
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) < 0)
		_exit(3);
	v += *m;
	_exit(v ? 1 : 2);
}

/* One revoke of a DMABUF mapped @maps times over @procs processes; ns. */
static int64_t revoke_once(int procs, int maps, int *bad)
{
	int fd = export_page(), ready[2], go[2], status;
	pid_t pids[64];
	int64_t t;
	char c;
	int r;

	if (pipe(ready) || pipe(go))
		du_die(DU_EXIT_FAILURE, errno, "pipe failed");
	fflush(stdout);
	for (int p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0)
			du_die(DU_EXIT_FAILURE, errno, "fork failed");
		if (pids[p] == 0) {
			/* Subordinates never hold the device. */
			du_vfio_close(&dev);
			close(ready[0]);
			close(go[1]);
			subordinate(fd, maps / procs + (p < maps % procs), ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (int p = 0; p < procs; p++)
		if (read(ready[0], &c, 1) != 1)
			du_die(DU_EXIT_FAILURE, 0, "a subordinate died before mapping");
	t = now_ns();
	r = du_vfio_revoke(&dev, &caps, fd);
	t = now_ns() - t;
	if (r)
		du_die(DU_EXIT_FAILURE, -r, "revoke failed");
	close(go[1]);
	for (int p = 0; p < procs; p++) {
		waitpid(pids[p], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			(*bad)++;
	}
	close(ready[0]);
	close(fd);
	return t;
}

static void bench_revoke(void)
{
	static const int points[][2] = {
		/* procs, total mappings */
		{ 1, 1 },  { 1, 16 }, { 1, 64 },  { 1, 256 },  { 1, 1024 },
		{ 2, 32 }, { 4, 64 }, { 8, 128 }, { 16, 256 }, { 32, 512 },
	};

	printf("== revoke of one 1-page DMABUF (median of %d runs)\n", RUNS);
	printf("%5s %6s %12s %12s %8s\n", "procs", "maps", "revoke_us", "us_per_map", "sigbus");
	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		int procs = points[i][0], maps = points[i][1], bad = 0;
		int64_t t[RUNS];

		for (int k = 0; k < RUNS; k++)
			t[k] = revoke_once(procs, maps, &bad);
		qsort(t, RUNS, sizeof(t[0]), cmp_i64);
		printf("%5d %6d %12.1f %12.3f %8s\n", procs, maps, (double)t[RUNS / 2] / 1000.0,
		       (double)t[RUNS / 2] / 1000.0 / maps, bad ? "MISSING" : "all");
	}
}

int main(int argc, char **argv)
{
	struct du_vfio_region r;
	long reads = argc > 2 ? atol(argv[2]) : 200000;
	int code, e;

	du_program_name = "vfio-bench";
	if (argc < 2 || reads < 10) {
		fprintf(stderr, "usage: vfio-bench BDF [READS]\n");
		return 2;
	}
	code = du_vfio_open(argv[1], &dev);
	if (code) {
		du_vfio_report(&dev);
		return code;
	}
	du_vfio_probe_caps(&dev, &caps);
	if (!du_vfio_has(&caps, DU_VFIO_CAP_DMA_BUF_MMAP) ||
	    (!du_vfio_has(&caps, DU_VFIO_CAP_REVOKE_IOCTL) &&
	     !du_vfio_has(&caps, DU_VFIO_CAP_REVOKE_FEATURE)))
		du_die(DU_EXIT_NOFEATURE, 0, "%s: the kernel cannot map and revoke BAR DMABUFs",
		       dev.bdf);
	e = du_vfio_region(&dev, 0, &r);
	if (e)
		du_die(DU_EXIT_FAILURE, -e, "%s: no BAR0", dev.bdf);
	du_vfio_region_free(&r);
	bar_offset = r.offset;
	bench_reads(reads);
	bench_revoke();
	du_vfio_close(&dev);
	return 0;
}
