// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * heap.c - dma-heap device nodes and DMA_HEAP_IOCTL_ALLOC.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/dma-heap.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dmaheapctl.h"
#include "err.h"
#include "parse.h"
#include "procfs.h"

char *dh_heap_path(const char *heap)
{
	if (strchr(heap, '/'))
		return xstrdup(heap);
	return du_path(DH_HEAP_DIR "/%s", heap);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dh_heap_names(char ***names)
{
	_cleanup_free_ char *dir = du_path(DH_HEAP_DIR);
	struct dirent *de;
	char **v = NULL;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	return n;
}

void dh_heap_names_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void report_unknown_heap(const char *heap, const char *path, int err)
{
	char **names = NULL;
	char have[256] = "";
	size_t len = 0;
	int n = dh_heap_names(&names);

	for (int i = 0; i < n && len < sizeof(have); i++)
		len += snprintf(have + len, sizeof(have) - len, "%s%s", i ? ", " : "", names[i]);
	if (n > 0)
		du_report(err, "heap %s: no such heap (%s has: %s)", heap, DH_HEAP_DIR, have);
	else if (n == 0)
		du_report(err, "heap %s: no such heap (%s is empty)", heap, DH_HEAP_DIR);
	else
		du_report(err, "heap %s: cannot open %s (no dma-heaps: CONFIG_DMABUF_HEAPS?)", heap,
			  path);
	dh_heap_names_free(names, n > 0 ? n : 0);
}

int dh_heap_open(const char *heap)
{
	_cleanup_free_ char *path = dh_heap_path(heap);
	int fd, err;

	if (!*heap) {
		du_report(EINVAL, "heap '': empty heap name");
		return -EINVAL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	err = errno;
	if (err == ENOENT && !strchr(heap, '/'))
		report_unknown_heap(heap, path, err);
	else
		du_report(err, "heap %s: cannot open %s", heap, path);
	return -err;
}

int dh_fd_not_zero(int fd)
{
	int moved;

	if (fd != 0)
		return fd;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (moved < 0)
		return -errno;
	close(fd);
	return moved;
}

int dh_alloc(int heap_fd, uint64_t len, uint32_t fd_flags, int charge_pidfd, uint32_t padding,
	     int *dmabuf_fd)
{
	struct dma_heap_allocation_data data = {
		.len = len,
		.fd_flags = fd_flags,
		.__padding = padding,
	};

	/* 0 would silently mean "no pidfd" to the kernel. */
	if (charge_pidfd == 0)
		return -EBADF;
	if (charge_pidfd > 0)
		data.charge_pid_fd = (uint32_t)charge_pidfd;
	if (ioctl(heap_fd, DMA_HEAP_IOCTL_ALLOC, &data) < 0)
		return -errno;
	*dmabuf_fd = (int)data.fd;
	return 0;
}

/*
 * A kernel without charge_pid_fd copies the 32-byte struct in and ignores the
 * last 8 bytes, so passing a pidfd to it would silently allocate uncharged
 * (or charge the caller).  What tells the kernels apart without allocating:
 * a zero-length request whose charge_pid_fd is open but not a pidfd.  The
 * series resolves the pidfd before it checks the length and fails with
 * EBADF; an older kernel only sees the zero length and fails with EINVAL.
 */
void dh_probe_charge(int heap_fd, struct du_probe *p)
{
	int nfd, r, dmabuf_fd = -1;

	nfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (nfd >= 0)
		nfd = dh_fd_not_zero(nfd);
	if (nfd < 0) {
		du_probe_set(p, DU_FEATURE_UNKNOWN, "/dev/null: %s", strerror(errno));
		return;
	}
	r = dh_alloc(heap_fd, 0, O_RDWR | O_CLOEXEC, nfd, 0, &dmabuf_fd);
	close(nfd);
	if (r == 0) {
		close(dmabuf_fd);
		du_probe_set(p, DU_FEATURE_UNKNOWN,
			     "DMA_HEAP_IOCTL_ALLOC accepted a zero-length request");
	} else if (r == -EBADF) {
		du_probe_set(p, DU_FEATURE_PRESENT,
			     "DMA_HEAP_IOCTL_ALLOC checks charge_pid_fd (non-pidfd: EBADF)");
	} else if (r == -EINVAL) {
		du_probe_set(p, DU_FEATURE_MISSING,
			     "DMA_HEAP_IOCTL_ALLOC ignores charge_pid_fd (non-pidfd with length 0: "
			     "EINVAL, not EBADF)");
	} else {
		du_probe_set(p, DU_FEATURE_UNKNOWN, "DMA_HEAP_IOCTL_ALLOC probe returns %s",
			     strerrorname_np(-r));
	}
}

char *dh_size_str(uint64_t size, bool bytes)
{
	char buf[32];

	if (bytes) {
		snprintf(buf, sizeof(buf), "%" PRIu64, size);
		return xstrdup(buf);
	}
	du_format_size(size, buf, sizeof(buf));
	return xstrdup(buf);
}
