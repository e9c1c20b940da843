/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procfs.h - reading /proc and /sys, with an optional root prefix.
 *
 * Every /proc and /sys read goes through du_path_*() so that tests can point
 * the tools at a fixture tree (environment DMABUF_UTILS_SYSROOT, or
 * du_path_set_root()), the way lsblk's --sysroot works.
 */
#ifndef DU_PROCFS_H
#define DU_PROCFS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "c.h"

/* Root prefix for /proc and /sys; NULL or "" means the real root. */
void du_path_set_root(const char *root);
const char *du_path_root(void);

/* Format "<root><path>" into a new string. */
char *du_path(const char *fmt, ...) __du_printf(1, 2);

/* Read a whole (small) file: new NUL-terminated string, or NULL with errno set. */
char *du_read_file(const char *path);

/* /proc or sysfs attribute under the root prefix, trailing newline stripped.  Return 0 or -errno. */
int du_path_read_str(char **out, const char *fmt, ...) __du_printf(2, 3);
int du_path_read_u64(uint64_t *out, const char *fmt, ...) __du_printf(2, 3);

/* A list of "key: value" pairs, as in /proc/PID/fdinfo/FD or memory.stat. */
struct du_kv {
	char *key;
	char *value;
};

struct du_kvlist {
	struct du_kv *items;
	size_t count;
};

/*
 * Parse lines of the form "key:<blanks>value" (fdinfo) or "key value"
 * (memory.stat) from @text.  Lines without a separator are ignored.
 */
void du_kvlist_parse(struct du_kvlist *list, const char *text);
const char *du_kvlist_get(const struct du_kvlist *list, const char *key);
int du_kvlist_get_u64(const struct du_kvlist *list, const char *key, uint64_t *out);
void du_kvlist_free(struct du_kvlist *list);

/* /proc/PID/fdinfo/FD; returns 0 or -errno. */
int du_fdinfo_read(pid_t pid, int fd, struct du_kvlist *list);

/* One line of /proc/PID/maps. */
struct du_maps_entry {
	uint64_t start, end, offset, inode;
	char perms[5];
	unsigned int dev_major, dev_minor;
	const char *path; /* points into the parsed line; "" for anonymous */
};

/* Parse one maps line (modified in place: the newline is cut). 0 or -EINVAL. */
int du_maps_parse_line(char *line, struct du_maps_entry *e);

/* Call @fn for each entry of /proc/PID/maps; stops when @fn returns nonzero. */
int du_maps_foreach(pid_t pid, int (*fn)(const struct du_maps_entry *e, void *arg), void *arg);

/* Each numeric entry of /proc; stops when @fn returns nonzero (and returns that). */
int du_proc_foreach_pid(int (*fn)(pid_t pid, void *arg), void *arg);

/* Each fd of PID with its /proc/PID/fd link target. */
int du_proc_foreach_fd(pid_t pid, int (*fn)(pid_t pid, int fd, const char *target, void *arg),
		       void *arg);

/* /proc/PID/comm without the newline; "?" when unreadable (process gone). */
void du_proc_comm(pid_t pid, char *buf, size_t len);

/* cgroup2 path of PID from /proc/PID/cgroup ("0::/path"); new string or NULL. */
char *du_proc_cgroup(pid_t pid);

#endif
