// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stress_dmaheap - dma-heap allocation churn charged into several cgroups
 * near their memory.max.
 *
 *   stress_dmaheap [-s SECONDS] [-c CGROUPS] [-w WORKERS] [-m MAX_MIB]
 *
 * Creates CGROUPS memory cgroups with memory.max = MAX_MIB, each holding a
 * client process, and a bystander cgroup whose process keeps 8 MiB of
 * anonymous memory in use.  WORKERS allocator processes (in none of those
 * cgroups) allocate buffers of 64 KiB to 2 MiB from the system and CMA
 * heaps with charge_pid_fd naming a random client, keep up to 24 at a time
 * and free them in random order, for SECONDS; the charges push the cgroups
 * to memory.max, where allocations must fail with ENOMEM and nothing else.
 *
 * At the end: every cgroup's memory.stat dmabuf is back to its baseline
 * exactly, no OOM kill happened anywhere (memory.events oom_kill of each
 * cgroup, /proc/vmstat oom_kill), and the clients and the bystander are
 * alive.  Buffers are at least 64 KiB so that a charge beyond memory.max
 * never invokes the memcg OOM killer (orders above PAGE_ALLOC_COSTLY_ORDER
 * do not).  Exit status 0 passed, 1 failed, 77 no charge_pid_fd, 2 setup.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-heap.h>

#include "procfs.h"
#include "pci.h" /* du_sysfs_write() */

#define MAX_CGROUPS 8
#define MAX_WORKERS 16
#define MAX_HELD 24

static char root[96];
static unsigned int ncg = 3, nworkers = 4, max_mib = 8;
static pid_t clients[MAX_CGROUPS], bystander;

struct counts {
	unsigned long allocs, enomem, other, frees;
	int first_other;
};

static int cg_write(const char *cg, const char *file, const char *val)
{
	_cleanup_free_ char *path = NULL;

	xasprintf(&path, "%s/%s/%s", root, cg, file);
	return du_sysfs_write(path, val);
}

static int cg_key(const char *cg, const char *file, const char *key, uint64_t *v)
{
	_cleanup_free_ char *path = NULL, *text = NULL;
	struct du_kvlist kv = { 0 };
	int r;

	xasprintf(&path, "%s/%s/%s", root, cg, file);
	text = du_read_file(path);
	if (!text)
		return -errno;
	du_kvlist_parse(&kv, text);
	r = du_kvlist_get_u64(&kv, key, v);
	du_kvlist_free(&kv);
	return r;
}

/* A child that moves itself into @cg and then @hold_mib of memory in use and sleeps. */
static pid_t spawn_in(const char *cg, unsigned int hold_mib)
{
	pid_t pid = fork();

	if (pid == 0) {
		char me[16];

		snprintf(me, sizeof(me), "%d", (int)getpid());
		if (cg_write(cg, "cgroup.procs", me))
			_exit(1);
		if (hold_mib) {
			char *p = mmap(NULL, hold_mib << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

			if (p == MAP_FAILED)
				_exit(1);
			memset(p, 0x5a, hold_mib << 20);
		}
		for (;;)
			pause();
	}
	return pid;
}

static bool alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One allocator process: churn until @end, report counts through @out. */
static void worker(unsigned int id, int64_t end, int out)
{
	static const size_t sizes[] = {
		64 << 10, 128 << 10, 256 << 10, 512 << 10, 1 << 20, 2 << 20
	};
	const char *heaps[2] = { "/dev/dma_heap/system", "/dev/dma_heap/reserved" };
	int heap[2], pidfd[MAX_CGROUPS], held[MAX_HELD], nheld = 0;
	unsigned int seed = 0xd1a + id;
	struct counts c = { 0 };

	for (int i = 0; i < 2; i++)
		heap[i] = open(heaps[i], O_RDONLY | O_CLOEXEC);
	for (unsigned int i = 0; i < ncg; i++) {
		pidfd[i] = syscall(SYS_pidfd_open, clients[i], 0);
		if (pidfd[i] == 0) /* 0 means "no pidfd" to the kernel */
			pidfd[i] = fcntl(0, F_DUPFD_CLOEXEC, 1);
	}
	while (now_ns() < end) {
		if (nheld == MAX_HELD || (nheld && rand_r(&seed) % 3 == 0)) {
			int k = rand_r(&seed) % nheld;

			close(held[k]);
			held[k] = held[--nheld];
			c.frees++;
			continue;
		}
		int h = heap[rand_r(&seed) % 2];
		struct dma_heap_allocation_data d = {
			.len = sizes[rand_r(&seed) % ARRAY_SIZE(sizes)],
			.fd_flags = O_RDWR | O_CLOEXEC,
			.charge_pid_fd = pidfd[rand_r(&seed) % ncg],
		};

		if (h < 0)
			h = heap[0]; /* no CMA heap: system only */
		if (ioctl(h, DMA_HEAP_IOCTL_ALLOC, &d) == 0) {
			held[nheld++] = d.fd;
			c.allocs++;
		} else if (errno == ENOMEM) {
			c.enomem++;
		} else if (!c.other++) {
			c.first_other = errno;
		}
	}
	while (nheld)
		close(held[--nheld]);
	if (write(out, &c, sizeof(c)) != sizeof(c))
		_exit(1);
	_exit(0);
}

static void cleanup(void)
{
	for (unsigned int i = 0; i < ncg; i++)
		if (clients[i] > 0) {
			kill(clients[i], SIGKILL);
			waitpid(clients[i], NULL, 0);
		}
	if (bystander > 0) {
		kill(bystander, SIGKILL);
		waitpid(bystander, NULL, 0);
	}
	for (unsigned int i = 0; i <= ncg; i++) {
		_cleanup_free_ char *p = NULL;

		if (i < ncg)
			xasprintf(&p, "%s/client%u", root, i);
		else
			xasprintf(&p, "%s/bystander", root);
		rmdir(p);
	}
	rmdir(root);
}

/* mkdir ROOT/NAME */
static int cg_mkdir(const char *name)
{
	_cleanup_free_ char *p = NULL;

	xasprintf(&p, "%s/%s", root, name);
	return mkdir(p, 0755) ? -errno : 0;
}

static bool charge_supported(void)
{
	struct dma_heap_allocation_data d = { .fd_flags = O_RDWR };
	int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	bool ok;

	d.charge_pid_fd = devnull;
	ok = heap >= 0 && devnull > 0 && ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d) < 0 &&
	     errno == EBADF;
	close(heap);
	close(devnull);
	return ok;
}

static int vmstat_oom_kills(uint64_t *v)
{
	_cleanup_free_ char *text = du_read_file("/proc/vmstat");
	struct du_kvlist kv = { 0 };
	int r;

	if (!text)
		return -errno;
	du_kvlist_parse(&kv, text);
	r = du_kvlist_get_u64(&kv, "oom_kill", v);
	du_kvlist_free(&kv);
	return r;
}

int main(int argc, char **argv)
{
	uint64_t base[MAX_CGROUPS], vm_oom_before = 0, vm_oom_after = 0;
	struct counts total = { 0 };
	pid_t workers[MAX_WORKERS];
	double seconds = 10;
	int pipefd[2], opt, status = 0;
	char name[32], val[32];
	int64_t start, end;

	while ((opt = getopt(argc, argv, "s:c:w:m:")) != -1) {
		switch (opt) {
		case 's':
			seconds = atof(optarg);
			break;
		case 'c':
			ncg = atoi(optarg);
			break;
		case 'w':
			nworkers = atoi(optarg);
			break;
		case 'm':
			max_mib = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: stress_dmaheap [-s SEC] [-c CGROUPS] [-w WORKERS] "
					"[-m MAX_MIB]\n");
			return 2;
		}
	}
	if (!ncg || ncg > MAX_CGROUPS || !nworkers || nworkers > MAX_WORKERS || !max_mib) {
		fprintf(stderr, "stress_dmaheap: 1-%d cgroups, 1-%d workers\n", MAX_CGROUPS,
			MAX_WORKERS);
		return 2;
	}
	if (!charge_supported()) {
		fprintf(stderr, "stress_dmaheap: DMA_HEAP_IOCTL_ALLOC has no charge_pid_fd\n");
		return 77;
	}
	snprintf(root, sizeof(root), "/sys/fs/cgroup/du-stress-%d", (int)getpid());
	if (mkdir(root, 0755) || cg_write(".", "cgroup.subtree_control", "+memory")) {
		fprintf(stderr, "stress_dmaheap: %s: %s\n", root, strerror(errno));
		return 2;
	}
	atexit(cleanup);
	snprintf(val, sizeof(val), "%u", max_mib << 20);
	for (unsigned int i = 0; i < ncg; i++) {
		snprintf(name, sizeof(name), "client%u", i);
		if (cg_mkdir(name) || cg_write(name, "memory.max", val)) {
			fprintf(stderr, "stress_dmaheap: cgroup %s: %s\n", name, strerror(errno));
			return 2;
		}
		clients[i] = spawn_in(name, 0);
	}
	if (cg_mkdir("bystander")) {
		fprintf(stderr, "stress_dmaheap: bystander cgroup: %s\n", strerror(errno));
		return 2;
	}
	bystander = spawn_in("bystander", 8);
	usleep(200000);
	for (unsigned int i = 0; i < ncg; i++) {
		snprintf(name, sizeof(name), "client%u", i);
		if (cg_key(name, "memory.stat", "dmabuf", &base[i])) {
			fprintf(stderr, "stress_dmaheap: %s: no dmabuf in memory.stat\n", name);
			return 77;
		}
	}
	vmstat_oom_kills(&vm_oom_before);
	printf("# %u cgroups (memory.max %u MiB), %u allocator processes, %.0f s, system and "
	       "CMA heaps, 64K-2M buffers, up to %d held per process\n",
	       ncg, max_mib, nworkers, seconds, MAX_HELD);

	if (pipe(pipefd))
		return 2;
	start = now_ns();
	end = start + (int64_t)(seconds * 1e9);
	for (unsigned int i = 0; i < nworkers; i++) {
		workers[i] = fork();
		if (workers[i] == 0) {
			close(pipefd[0]);
			worker(i, end, pipefd[1]);
		}
	}
	close(pipefd[1]);
	for (unsigned int i = 0; i < nworkers; i++) {
		struct counts c;
		int ws;

		if (read(pipefd[0], &c, sizeof(c)) == sizeof(c)) {
			total.allocs += c.allocs;
			total.enomem += c.enomem;
			total.frees += c.frees;
			if (c.other && !total.other)
				total.first_other = c.first_other;
			total.other += c.other;
		}
		waitpid(workers[i], &ws, 0);
		if (!WIFEXITED(ws) || WEXITSTATUS(ws)) {
			printf("# allocator %u died (status 0x%x)\n", i, ws);
			status = 1;
		}
	}
	close(pipefd[0]);
	printf("# %lu allocations (%.0f/s), %lu frees, %lu ENOMEM at memory.max, %lu other "
	       "errors%s%s\n",
	       total.allocs, total.allocs / seconds, total.frees, total.enomem, total.other,
	       total.other ? ", first: " : "", total.other ? strerror(total.first_other) : "");
	if (total.other)
		status = 1;
	if (!total.enomem) {
		printf("# no allocation reached memory.max: the test did not stress the limit\n");
		status = 1;
	}

	for (unsigned int i = 0; i < ncg; i++) {
		uint64_t now = 0, kills = 0;

		snprintf(name, sizeof(name), "client%u", i);
		cg_key(name, "memory.stat", "dmabuf", &now);
		cg_key(name, "memory.events", "oom_kill", &kills);
		printf("# %s: dmabuf %llu (baseline %llu), oom_kill %llu, client %s\n", name,
		       (unsigned long long)now, (unsigned long long)base[i],
		       (unsigned long long)kills, alive(clients[i]) ? "alive" : "DEAD");
		if (now != base[i] || kills || !alive(clients[i]))
			status = 1;
	}
	{
		uint64_t kills = 0;

		cg_key("bystander", "memory.events", "oom_kill", &kills);
		vmstat_oom_kills(&vm_oom_after);
		printf("# bystander %s, its oom_kill %llu; system oom_kill %llu -> %llu\n",
		       alive(bystander) ? "alive" : "DEAD", (unsigned long long)kills,
		       (unsigned long long)vm_oom_before, (unsigned long long)vm_oom_after);
		if (kills || !alive(bystander) || vm_oom_after != vm_oom_before)
			status = 1;
	}
	printf("# stress_dmaheap: %s\n", status ? "FAILED" : "passed");
	return status;
}
