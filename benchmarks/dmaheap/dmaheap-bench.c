// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmaheap-bench - the two measurements of benchmarks/dmaheap, run in the VM.
 *
 *   dmaheap-bench alloc HEAP TARGET_PID ROUNDS SIZE:ITERATIONS...
 *       time DMA_HEAP_IOCTL_ALLOC + close() of SIZE bytes from HEAP three
 *       ways, ITERATIONS times per round, rounds interleaved (ABC, then CBA,
 *       ...) so drift hits all three alike:
 *         plain    charge_pid_fd 0 (not charged; mem_accounting off)
 *         charged  charge_pid_fd = a pidfd of TARGET_PID opened once
 *         open+    pidfd_open(TARGET_PID) + alloc + close(pidfd) each time
 *       and print, per size, the median per-allocation time of each and the
 *       overhead of "charged" and "open+" over "plain".
 *
 *   dmaheap-bench hold HEAP NPROCS NBUFS SIZE NMAP
 *       start NPROCS processes that each hold NBUFS buffers of SIZE bytes,
 *       the first NMAP of them also mapped; print "ready" and wait for
 *       SIGTERM or SIGINT, then end them all.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/dma-heap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static __attribute__((noreturn)) void die(const char *what)
{
	fprintf(stderr, "dmaheap-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int open_heap(const char *heap)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/dev/dma_heap/%s", heap);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	return fd;
}

static int alloc(int heap, unsigned long long len, int pidfd)
{
	struct dma_heap_allocation_data d = {
		.len = len,
		.fd_flags = O_RDWR | O_CLOEXEC,
		.charge_pid_fd = pidfd > 0 ? (unsigned int)pidfd : 0,
	};

	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d))
		die("DMA_HEAP_IOCTL_ALLOC");
	return (int)d.fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

enum { PLAIN, CHARGED, OPEN_EACH, NMODES };

static double run(int heap, unsigned long long len, int iters, int mode, pid_t target, int pidfd)
{
	double t0 = now();

	for (int i = 0; i < iters; i++) {
		int p = mode == PLAIN ? -1 : pidfd;

		if (mode == OPEN_EACH) {
			p = (int)syscall(SYS_pidfd_open, target, 0);
			if (p <= 0)
				die("pidfd_open");
		}
		close(alloc(heap, len, p));
		if (mode == OPEN_EACH)
			close(p);
	}
	return (now() - t0) / iters;
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

static unsigned long long parse_size(const char *s, char **end)
{
	unsigned long long v = strtoull(s, end, 10);

	switch (**end) {
	case 'K':
		v <<= 10, (*end)++;
		break;
	case 'M':
		v <<= 20, (*end)++;
		break;
	case 'G':
		v <<= 30, (*end)++;
		break;
	}
	return v;
}

static int cmd_alloc(int argc, char **argv)
{
	int heap, rounds, pidfd;
	pid_t target;

	if (argc < 6) {
		fprintf(stderr, "usage: dmaheap-bench alloc HEAP TARGET_PID ROUNDS SIZE:ITER...\n");
		return 2;
	}
	heap = open_heap(argv[2]);
	target = atoi(argv[3]);
	rounds = atoi(argv[4]);
	pidfd = (int)syscall(SYS_pidfd_open, target, 0);
	if (pidfd < 0)
		die("pidfd_open");
	if (pidfd == 0)
		die("pidfd is fd 0");
	printf("%-8s %6s %12s %12s %12s %9s %9s\n", "SIZE", "ITERS", "PLAIN(us)", "CHARGED(us)",
	       "OPEN+(us)", "CHARGED%", "OPEN+%");
	for (int a = 5; a < argc; a++) {
		char *end;
		unsigned long long len = parse_size(argv[a], &end);
		int iters = *end == ':' ? atoi(end + 1) : 10;
		double *t[NMODES], med[NMODES];

		for (int m = 0; m < NMODES; m++)
			t[m] = calloc(rounds, sizeof(double));
		/* Warm up the heap's page pools and the caches. */
		run(heap, len, iters / 4 + 1, PLAIN, target, pidfd);
		run(heap, len, iters / 4 + 1, CHARGED, target, pidfd);
		for (int r = 0; r < rounds; r++) {
			for (int k = 0; k < NMODES; k++) {
				int m = r % 2 ? NMODES - 1 - k : k;

				t[m][r] = run(heap, len, iters, m, target, pidfd);
			}
		}
		for (int m = 0; m < NMODES; m++)
			med[m] = median(t[m], rounds);
		printf("%-8s %6d %12.1f %12.1f %12.1f %+8.2f%% %+8.2f%%\n", argv[a], iters,
		       med[PLAIN] * 1e6, med[CHARGED] * 1e6, med[OPEN_EACH] * 1e6,
		       (med[CHARGED] / med[PLAIN] - 1) * 100,
		       (med[OPEN_EACH] / med[PLAIN] - 1) * 100);
		fflush(stdout);
		for (int m = 0; m < NMODES; m++)
			free(t[m]);
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_hold(int argc, char **argv)
{
	int heap, nprocs, nbufs, nmap, *fds;
	unsigned long long size;
	pid_t *kids;
	char *end;

	if (argc != 7) {
		fprintf(stderr, "usage: dmaheap-bench hold HEAP NPROCS NBUFS SIZE NMAP\n");
		return 2;
	}
	heap = open_heap(argv[2]);
	nprocs = atoi(argv[3]);
	nbufs = atoi(argv[4]);
	size = parse_size(argv[5], &end);
	nmap = atoi(argv[6]);
	fds = calloc(nbufs, sizeof(*fds));
	kids = calloc(nprocs, sizeof(*kids));
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	for (int p = 0; p < nprocs; p++) {
		for (int b = 0; b < nbufs; b++)
			fds[b] = alloc(heap, size, -1);
		kids[p] = fork();
		if (kids[p] < 0)
			die("fork");
		if (kids[p] == 0) {
			close(heap);
			for (int b = 0; b < nmap && b < nbufs; b++)
				if (mmap(NULL, size, PROT_READ, MAP_SHARED, fds[b], 0) ==
				    MAP_FAILED)
					die("mmap");
			while (!stop)
				pause();
			_exit(0);
		}
		for (int b = 0; b < nbufs; b++)
			close(fds[b]);
	}
	printf("ready %d processes x %d buffers\n", nprocs, nbufs);
	fflush(stdout);
	while (!stop)
		pause();
	for (int p = 0; p < nprocs; p++)
		kill(kids[p], SIGTERM);
	for (int p = 0; p < nprocs; p++)
		waitpid(kids[p], NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "alloc"))
		return cmd_alloc(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "hold"))
		return cmd_hold(argc, argv);
	fprintf(stderr, "usage: dmaheap-bench alloc ... | hold ...\n");
	return 2;
}
