// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cgroup.c - the cgroup2 memory controller hierarchy.
 */
#include <dirent.h>
#include <errno.h>
#include <libcgroup.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "err.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static char *mount_dir;
static int mount_err;

static bool is_cgroup2(const char *dir)
{
	struct statfs st;

	return !statfs(dir, &st) && st.f_type == CGROUP2_SUPER_MAGIC;
}

/*
 * libcgroup knows where each controller is mounted (cgroup2 need not be on
 * /sys/fs/cgroup); it cannot tell v1 from v2, statfs() can.
 */
static void find_mount(void)
{
	char *mp = NULL;

	if (*du_path_root()) {
		mount_dir = du_path("/sys/fs/cgroup");
		mount_err = 0;
		return;
	}
	if (cgroup_init() == 0 && cgroup_get_subsys_mount_point("memory", &mp) == 0 && mp) {
		if (is_cgroup2(mp)) {
			mount_dir = mp;
			mount_err = 0;
			return;
		}
		mount_dir = mp;
		mount_err = -EOPNOTSUPP; /* memory is on a v1 hierarchy */
		return;
	}
	free(mp);
	mount_dir = xstrdup("/sys/fs/cgroup");
	if (is_cgroup2(mount_dir))
		mount_err = 0;
	else
		mount_err = access(mount_dir, F_OK) ? -ENOENT : -EOPNOTSUPP;
}

int du_cgroup_mount(const char **dir)
{
	if (!mount_dir)
		find_mount();
	*dir = mount_dir;
	return mount_err;
}

char *du_cgroup_file(const char *path, const char *file)
{
	const char *dir;
	char *s;

	du_cgroup_mount(&dir);
	if (streq(path, "/"))
		path = "";
	if (file)
		xasprintf(&s, "%s%s/%s", dir, path, file);
	else
		xasprintf(&s, "%s%s", dir, path);
	return s;
}

bool du_cgroup_is_memcg(const char *path)
{
	_cleanup_free_ char *f = du_cgroup_file(path, "memory.stat");

	return access(f, F_OK) == 0;
}

char *du_cgroup_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *parent;

	if (!slash || streq(path, "/"))
		return NULL;

	if (slash == path)
		return xstrdup("/");
	parent = xstrdup(path);
	parent[slash - path] = '\0';
	return parent;
}

char *du_cgroup_memcg(const char *path)
{
	char *p = xstrdup(path);

	/* A cgroup without the controller is charged to its closest ancestor that has it. */
	while (!du_cgroup_is_memcg(p)) {
		char *parent = du_cgroup_parent(p);

		free(p);
		if (!parent)
			return xstrdup("/");
		p = parent;
	}
	return p;
}

int du_cgroup_read_kv(const char *path, const char *file, struct du_kvlist *kv)
{
	_cleanup_free_ char *f = du_cgroup_file(path, file);
	_cleanup_free_ char *text = du_read_file(f);

	if (!text)
		return -errno;
	du_kvlist_parse(kv, text);
	return 0;
}

int du_cgroup_kv_u64(const char *path, const char *file, const char *key, uint64_t *out)
{
	struct du_kvlist kv = { 0 };
	int r = du_cgroup_read_kv(path, file, &kv);

	if (!r)
		r = du_kvlist_get_u64(&kv, key, out);
	du_kvlist_free(&kv);
	return r;
}

static int walk(const char *path, int (*fn)(const char *path, void *arg), void *arg)
{
	_cleanup_free_ char *dir = du_cgroup_file(path, NULL);
	struct dirent *de;
	DIR *d;
	int r;

	r = fn(path, arg);
	if (r)
		return r;
	d = opendir(dir);
	if (!d)
		return 0; /* removed meanwhile */
	while ((de = readdir(d))) {
		_cleanup_free_ char *child = NULL;

		if (de->d_name[0] == '.')
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		xasprintf(&child, "%s/%s", streq(path, "/") ? "" : path, de->d_name);
		if (de->d_type == DT_UNKNOWN) {
			_cleanup_free_ char *full = du_cgroup_file(child, NULL);
			DIR *sub = opendir(full);

			if (!sub)
				continue;
			closedir(sub);
		}
		r = walk(child, fn, arg);
		if (r)
			break;
	}
	closedir(d);
	return r;
}

int du_cgroup_walk(const char *path, int (*fn)(const char *path, void *arg), void *arg)
{
	_cleanup_free_ char *dir = du_cgroup_file(path, NULL);

	if (access(dir, F_OK))
		return -errno;
	return walk(path, fn, arg);
}
