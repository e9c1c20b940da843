// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procfs.c - reading /proc and /sys, with an optional root prefix.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <unistd.h>

#include "err.h"
#include "parse.h"
#include "procfs.h"

static const char *path_root;
static bool path_root_set;

void du_path_set_root(const char *root)
{
	path_root = root;
	path_root_set = true;
}

const char *du_path_root(void)
{
	if (!path_root_set) {
		path_root = getenv("DMABUF_UTILS_SYSROOT");
		path_root_set = true;
	}
	return path_root ? path_root : "";
}

static char *vpath(const char *fmt, va_list ap)
{
	_cleanup_free_ char *rel = NULL;
	char *full;

	if (vasprintf(&rel, fmt, ap) < 0)
		return NULL;
	xasprintf(&full, "%s%s", du_path_root(), rel);
	return full;
}

char *du_path(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = vpath(fmt, ap);
	va_end(ap);
	return p;
}

char *du_read_file(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len - 1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			free(buf);
			close(fd);
			errno = err;
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

static int vread_str(char **out, const char *fmt, va_list ap)
{
	_cleanup_free_ char *path = vpath(fmt, ap);
	char *s;
	size_t n;

	s = du_read_file(path);
	if (!s)
		return -errno;
	n = strlen(s);
	if (n && s[n - 1] == '\n')
		s[n - 1] = '\0';
	*out = s;
	return 0;
}

int du_path_read_str(char **out, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vread_str(out, fmt, ap);
	va_end(ap);
	return r;
}

int du_path_read_u64(uint64_t *out, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vread_str(&s, fmt, ap);
	va_end(ap);
	if (r)
		return r;
	return du_parse_u64(s, out);
}

static void kvlist_add(struct du_kvlist *list, const char *key, size_t keylen, const char *value,
		       size_t valuelen)
{
	struct du_kv *kv;

	list->items = xrealloc(list->items, (list->count + 1) * sizeof(*list->items));
	kv = &list->items[list->count++];
	kv->key = strndup(key, keylen);
	kv->value = strndup(value, valuelen);
	if (!kv->key || !kv->value)
		du_die(DU_EXIT_FAILURE, ENOMEM, "cannot allocate memory");
}

/* "key:\tvalue" (fdinfo) or "key value" (memory.stat). */
static void kvlist_parse_line(struct du_kvlist *list, const char *line, size_t len)
{
	size_t k = 0, v;

	while (k < len && line[k] != ':' && !isspace((unsigned char)line[k]))
		k++;
	if (k == 0 || k == len)
		return;
	v = k;
	if (line[v] == ':')
		v++;
	else if (!isspace((unsigned char)line[v]))
		return;
	while (v < len && isspace((unsigned char)line[v]))
		v++;
	while (len > v && isspace((unsigned char)line[len - 1]))
		len--;
	kvlist_add(list, line, k, line + v, len - v);
}

void du_kvlist_parse(struct du_kvlist *list, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		kvlist_parse_line(list, text, len);
		text += len + (nl ? 1 : 0);
	}
}

const char *du_kvlist_get(const struct du_kvlist *list, const char *key)
{
	for (size_t i = 0; i < list->count; i++)
		if (streq(list->items[i].key, key))
			return list->items[i].value;
	return NULL;
}

int du_kvlist_get_u64(const struct du_kvlist *list, const char *key, uint64_t *out)
{
	const char *v = du_kvlist_get(list, key);

	if (!v)
		return -ENOENT;
	return du_parse_u64(v, out);
}

void du_kvlist_free(struct du_kvlist *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].key);
		free(list->items[i].value);
	}
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

int du_fdinfo_read(pid_t pid, int fd, struct du_kvlist *list)
{
	_cleanup_free_ char *path = du_path("/proc/%d/fdinfo/%d", (int)pid, fd);
	_cleanup_free_ char *text = du_read_file(path);

	if (!text)
		return -errno;
	du_kvlist_parse(list, text);
	return 0;
}

int du_maps_parse_line(char *line, struct du_maps_entry *e)
{
	unsigned long long start, end, offset, inode;
	int n = 0;
	char *nl;

	nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu%n", &start, &end, e->perms, &offset,
		   &e->dev_major, &e->dev_minor, &inode, &n) != 7 ||
	    n == 0)
		return -EINVAL;
	if (line[n] && line[n] != ' ')
		return -EINVAL;
	if (start > end || strlen(e->perms) != 4)
		return -EINVAL;
	while (line[n] == ' ')
		n++;
	e->start = start;
	e->end = end;
	e->offset = offset;
	e->inode = inode;
	e->path = line + n;
	return 0;
}

int du_maps_foreach(pid_t pid, int (*fn)(const struct du_maps_entry *e, void *arg), void *arg)
{
	_cleanup_free_ char *path = du_path("/proc/%d/maps", (int)pid);
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	FILE *fp;
	int r = 0;

	fp = fopen(path, "re");
	if (!fp)
		return -errno;
	while (getline(&line, &cap, fp) > 0) {
		struct du_maps_entry e;

		if (du_maps_parse_line(line, &e))
			continue;
		r = fn(&e, arg);
		if (r)
			break;
	}
	fclose(fp);
	return r;
}

/* Numeric entries of directory @path, in readdir order. */
static int foreach_number(const char *path, int (*fn)(int n, void *arg), void *arg)
{
	struct dirent *de;
	DIR *dir;
	int r = 0;

	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		int n;

		if (du_parse_nonneg_int(de->d_name, &n))
			continue;
		r = fn(n, arg);
		if (r)
			break;
	}
	closedir(dir);
	return r;
}

struct pid_cb {
	int (*fn)(pid_t pid, void *arg);
	void *arg;
};

static int pid_trampoline(int n, void *arg)
{
	struct pid_cb *cb = arg;

	return cb->fn(n, cb->arg);
}

int du_proc_foreach_pid(int (*fn)(pid_t pid, void *arg), void *arg)
{
	_cleanup_free_ char *path = du_path("/proc");
	struct pid_cb cb = { fn, arg };

	return foreach_number(path, pid_trampoline, &cb);
}

struct fd_cb {
	pid_t pid;
	int (*fn)(pid_t pid, int fd, const char *target, void *arg);
	void *arg;
};

static int fd_trampoline(int fd, void *arg)
{
	struct fd_cb *cb = arg;
	_cleanup_free_ char *link = du_path("/proc/%d/fd/%d", (int)cb->pid, fd);
	char target[4096];
	ssize_t n;

	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return 0; /* closed meanwhile: not an error */
	target[n] = '\0';
	return cb->fn(cb->pid, fd, target, cb->arg);
}

int du_proc_foreach_fd(pid_t pid, int (*fn)(pid_t pid, int fd, const char *target, void *arg),
		       void *arg)
{
	_cleanup_free_ char *path = du_path("/proc/%d/fd", (int)pid);
	struct fd_cb cb = { pid, fn, arg };

	return foreach_number(path, fd_trampoline, &cb);
}

void du_proc_comm(pid_t pid, char *buf, size_t len)
{
	_cleanup_free_ char *s = NULL;

	if (du_path_read_str(&s, "/proc/%d/comm", (int)pid)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%s", s);
}

char *du_proc_cgroup(pid_t pid)
{
	_cleanup_free_ char *text = NULL;
	char *line, *save = NULL;

	if (du_path_read_str(&text, "/proc/%d/cgroup", (int)pid))
		return NULL;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "0::", 3))
			return xstrdup(line + 3);
	errno = ENOENT;
	return NULL;
}
