/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgroup.h - the cgroup2 memory controller: where its hierarchy is mounted,
 * which cgroup a process's memory is charged to, and the memory.* files.
 *
 * Cgroup paths are the ones /proc/PID/cgroup shows ("/", "/a/b"), relative
 * to the hierarchy's mount point.  The mount point is found with libcgroup
 * (cgroup_get_subsys_mount_point("memory")) and checked to be cgroup2; with
 * DMABUF_UTILS_SYSROOT set it is <root>/sys/fs/cgroup, so fixture trees
 * work.  Files are read directly: memory.stat and memory.events are flat
 * "key value" lists, which du_kvlist parses.
 */
#ifndef DU_CGROUP_H
#define DU_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "procfs.h"

/*
 * Directory of the cgroup2 hierarchy that has the memory controller, found
 * once.  Returns 0, -ENOENT (no cgroup2 mounted) or -EOPNOTSUPP (the memory
 * controller is on a cgroup v1 hierarchy); *dir is set either way, to the
 * directory looked at, for messages.
 */
int du_cgroup_mount(const char **dir);

/* "<mount><path>[/<file>]" as a new string; @file may be NULL. */
char *du_cgroup_file(const char *path, const char *file);

/* True if @path exists and has the memory controller (has memory.stat). */
bool du_cgroup_is_memcg(const char *path);

/*
 * The memory cgroup charged for processes in @path: @path itself or its
 * closest ancestor with the memory controller; "/" if none.  New string.
 */
char *du_cgroup_memcg(const char *path);

/* Parse a "key value" file of @path (memory.stat, memory.events); 0 or -errno. */
int du_cgroup_read_kv(const char *path, const char *file, struct du_kvlist *kv);

/* One key of such a file: 0, -ENOENT if the key is missing, or -errno. */
int du_cgroup_kv_u64(const char *path, const char *file, const char *key, uint64_t *out);

/*
 * Call @fn for @path and every cgroup below it, parents before children;
 * stops when @fn returns nonzero and returns that.  -errno if @path cannot
 * be opened.
 */
int du_cgroup_walk(const char *path, int (*fn)(const char *path, void *arg), void *arg);

/* Parent of @path as a new string ("/a/b" -> "/a", "/a" -> "/"); NULL for "/". */
char *du_cgroup_parent(const char *path);

#endif
