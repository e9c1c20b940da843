/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dmaheapctl.h - what the dmaheapctl commands share: the command
 * descriptors, the feature table and the dma-heap device helpers.
 */
#ifndef DMAHEAPCTL_H
#define DMAHEAPCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "feature.h"

extern const struct du_cmd cmd_list;
extern const struct du_cmd cmd_alloc;
extern const struct du_cmd cmd_audit;

/* features.c: the tool's feature table (du_tool gives it the features command) */
#define DH_NFEATURES 8
extern const struct du_feature dh_features[DH_NFEATURES];

/* Probe charge-pid-fd on this open heap instead of opening one (alloc does). */
void dh_features_use_heap(int heap_fd);

/* heap.c */
#define DH_HEAP_DIR "/dev/dma_heap"

/* Device path of heap @heap: a name in /dev/dma_heap, or a path if it has a '/'. */
char *dh_heap_path(const char *heap);

/* Heap names in /dev/dma_heap, sorted; returns the count, or -errno. */
int dh_heap_names(char ***names);
void dh_heap_names_free(char **names, int n);

/* Open heap @heap, reporting failure ("heap NAME: ..."); fd or -errno. */
int dh_heap_open(const char *heap);

/*
 * DMA_HEAP_IOCTL_ALLOC.  @charge_pidfd is a pidfd (never 0: the kernel reads
 * 0 as "no pidfd"), or -1 for none.  Returns 0 and the dma-buf fd in
 * *dmabuf_fd, or -errno.
 */
int dh_alloc(int heap_fd, uint64_t len, uint32_t fd_flags, int charge_pidfd, uint32_t padding,
	     int *dmabuf_fd);

/* Does the kernel behind @heap_fd honour charge_pid_fd?  Fills @p. */
void dh_probe_charge(int heap_fd, struct du_probe *p);

/* Move @fd above 0 (fd 0 cannot be passed as a pidfd); returns the fd or -errno. */
int dh_fd_not_zero(int fd);

/* Human size unless @bytes ("4K", "1.5M"), as a new string. */
char *dh_size_str(uint64_t size, bool bytes);

#endif
