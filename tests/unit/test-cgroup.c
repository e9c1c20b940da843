// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for common/cgroup.c against the cgroup tree of fixtures/dmabuf.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cgroup.h"
#include "tap.h"

static char walked[512];
static const char *stop_at;

static int record(const char *path, void *arg)
{
	int *n = arg;

	(*n)++;
	strncat(walked, path, sizeof(walked) - strlen(walked) - 2);
	strcat(walked, " ");
	return stop_at && streq(path, stop_at) ? 7 : 0;
}

int main(int argc, char **argv)
{
	char *s, expect[512];
	const char *dir;
	uint64_t v = 0;
	int n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FIXTURE_ROOT\n", argv[0]);
		return 2;
	}
	du_path_set_root(argv[1]);
	CHECK_INT(0, du_cgroup_mount(&dir), "mount under the sysroot");
	snprintf(expect, sizeof(expect), "%s/sys/fs/cgroup", argv[1]);
	CHECK_STR(expect, dir, "mount directory");

	s = du_cgroup_file("/", "memory.stat");
	snprintf(expect, sizeof(expect), "%s/sys/fs/cgroup/memory.stat", argv[1]);
	CHECK_STR(expect, s, "root file");
	free(s);
	s = du_cgroup_file("/apps", NULL);
	snprintf(expect, sizeof(expect), "%s/sys/fs/cgroup/apps", argv[1]);
	CHECK_STR(expect, s, "directory");
	free(s);

	CHECK(du_cgroup_is_memcg("/apps/viewer"));
	CHECK(!du_cgroup_is_memcg("/apps/viewer/sub"));
	CHECK(!du_cgroup_is_memcg("/nonexistent"));
	s = du_cgroup_memcg("/apps/viewer/sub");
	CHECK_STR("/apps/viewer", s, "no controller: charged to the parent");
	free(s);
	s = du_cgroup_memcg("/apps/client");
	CHECK_STR("/apps/client", s, "own memcg");
	free(s);
	s = du_cgroup_memcg("/gone/away");
	CHECK_STR("/", s, "unknown path falls back to the root");
	free(s);

	CHECK_INT(0, du_cgroup_kv_u64("/apps/client", "memory.stat", "dmabuf", &v), "stat key");
	CHECK_U64(69632, v, "dmabuf bytes");
	CHECK_INT(0, du_cgroup_kv_u64("/apps/client", "memory.events", "max", &v), "events key");
	CHECK_U64(3, v, "max events");
	CHECK_INT(-ENOENT, du_cgroup_kv_u64("/apps/client", "memory.stat", "nokey", &v),
		  "missing key");
	CHECK_INT(-ENOENT, du_cgroup_kv_u64("/nonexistent", "memory.stat", "dmabuf", &v),
		  "missing cgroup");

	s = du_cgroup_parent("/a/b");
	CHECK_STR("/a", s, "parent of /a/b");
	free(s);
	s = du_cgroup_parent("/a");
	CHECK_STR("/", s, "parent of /a");
	free(s);
	CHECK(du_cgroup_parent("/") == NULL);

	CHECK_INT(0, du_cgroup_walk("/apps/client", record, &n), "walk a leaf");
	CHECK_INT(1, n, "one cgroup");
	n = 0;
	walked[0] = '\0';
	CHECK_INT(0, du_cgroup_walk("/", record, &n), "walk the tree");
	CHECK_INT(6, n, "six cgroups, with or without the controller");
	CHECK(!strncmp(walked, "/ ", 2));
	CHECK(strstr(walked, "/apps ") < strstr(walked, "/apps/viewer "));
	CHECK(strstr(walked, "/apps/viewer ") < strstr(walked, "/apps/viewer/sub "));
	n = 0;
	stop_at = "/apps";
	CHECK_INT(7, du_cgroup_walk("/", record, &n), "walk stops with the callback's value");
	CHECK_INT(-ENOENT, du_cgroup_walk("/nonexistent", record, &n), "walk a missing cgroup");
	return tap_done();
}
