/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dmabuf.h - every dma-buf in the system and who holds it.
 *
 * du_dmabuf_scan() does what Android's libdmabufinfo does: it walks
 * /proc/PID/fd (descriptors whose link reads "/dmabuf:NAME"), reads their
 * fdinfo (size, count, exp_name, name, ino) and /proc/PID/maps ("/dmabuf"
 * mappings), and merges everything by inode, so a buffer shared by several
 * processes (or mapped and open in one) is one struct du_dmabuf with one
 * holder per process.  When /sys/kernel/debug/dma_buf/bufinfo is readable it
 * is read too, which adds the buffers no process holds (kept alive by a
 * driver or an importer) and gives exact sizes for buffers that are only
 * mapped.
 *
 * Everything goes through procfs.h, so DMABUF_UTILS_SYSROOT selects a
 * fixture tree.  Processes that vanish during the scan are skipped silently;
 * processes whose fds cannot be read (EACCES, not root) are counted in
 * set->unreadable so callers can say their totals are incomplete.
 */
#ifndef DU_DMABUF_H
#define DU_DMABUF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One process's references to one buffer. */
struct du_dmabuf_holder {
	size_t proc; /* index into set->procs */
	unsigned int fds; /* descriptors referring to the buffer */
	unsigned int maps; /* mappings of it */
	uint64_t mapped; /* bytes mapped, summed over the mappings */
};

struct du_dmabuf {
	uint64_t inode;
	uint64_t size; /* bytes; a lower bound when !size_exact */
	bool size_exact; /* from fdinfo or debugfs, not guessed from a mapping */
	bool in_debugfs; /* listed in debugfs bufinfo */
	long count; /* file references (fdinfo/debugfs), -1 if unknown */
	char *exporter; /* exp_name: "system", the CMA heap name, "drm", ...; NULL unknown */
	char *name; /* DMA_BUF_SET_NAME name; NULL if none */
	struct du_dmabuf_holder *holders;
	size_t nholders;
};

struct du_dmabuf_proc {
	pid_t pid;
	char comm[64];
	char *cgroup; /* cgroup2 path ("/a/b"), NULL if unknown */
	size_t nbufs; /* distinct buffers held */
	unsigned int fds, maps;
	uint64_t rss; /* sum of the sizes of the buffers held */
	uint64_t pss; /* each buffer's size divided by its number of holders */
};

struct du_dmabuf_set {
	struct du_dmabuf *bufs;
	size_t nbufs;
	struct du_dmabuf_proc *procs; /* only processes holding a buffer */
	size_t nprocs;
	unsigned int unreadable; /* processes whose fds or maps could not be read */
	int debugfs_err; /* 0 when bufinfo was read, else -errno (or 1: not asked) */

	/* private */
	size_t bufs_cap, procs_cap;
	size_t *index; /* open addressing on inode: bufs index + 1, 0 empty */
	size_t index_cap;
};

enum {
	DU_DMABUF_SCAN_DEBUGFS = 1 << 0, /* also read debugfs bufinfo if readable */
	DU_DMABUF_SCAN_NO_MAPS = 1 << 1, /* descriptors only (faster) */
};

/* Fill @set (zero-initialised by the caller).  Returns 0 or -errno if /proc is unreadable. */
int du_dmabuf_scan(struct du_dmabuf_set *set, unsigned int flags);
void du_dmabuf_set_free(struct du_dmabuf_set *set);

struct du_dmabuf *du_dmabuf_find(const struct du_dmabuf_set *set, uint64_t inode);

/* Index of @pid in set->procs, or -1 if it holds no buffer. */
long du_dmabuf_proc_index(const struct du_dmabuf_set *set, pid_t pid);

/* True for a /proc/PID/fd link target or maps path naming a dma-buf. */
bool du_dmabuf_is_path(const char *path);

/*
 * One buffer line of debugfs bufinfo, parsed; exporter and name point into
 * the line.  du_dmabuf_parse_bufinfo() calls @fn for each line that is a
 * buffer and ignores the rest (headers, attachments, fences, totals).
 */
struct du_bufinfo_entry {
	uint64_t size, inode;
	long count;
	const char *exporter;
	const char *name; /* NULL for "<none>" */
};

int du_dmabuf_parse_bufinfo(char *text, int (*fn)(const struct du_bufinfo_entry *e, void *arg),
			    void *arg);

#endif
