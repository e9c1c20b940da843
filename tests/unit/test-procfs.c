// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for common/procfs.c against the fixture tree in
 * fixtures/rootfs (a fake /proc and /sys selected with the root prefix).
 */
#include <errno.h>
#include <stdlib.h>

#include "procfs.h"
#include "tap.h"

static void test_kvlist(void)
{
	struct du_kvlist kv = { 0 };
	uint64_t v = 0;

	du_kvlist_parse(&kv, "pos:\t0\nexp_name:\tsystem\nname:\tfb 0  \nanon 12\n"
			     "novalue\n:empty\nsize:\t4096\ncount:\tx\n");
	CHECK_STR("system", du_kvlist_get(&kv, "exp_name"), "fdinfo value after tab");
	CHECK_STR("fb 0", du_kvlist_get(&kv, "name"), "inner blanks kept, trailing cut");
	CHECK_STR("12", du_kvlist_get(&kv, "anon"), "memory.stat style key value");
	CHECK(du_kvlist_get(&kv, "novalue") == NULL);
	CHECK_INT(0, du_kvlist_get_u64(&kv, "size", &v), "size parses");
	CHECK_U64(4096, v, "size value");
	CHECK_INT(-EINVAL, du_kvlist_get_u64(&kv, "count", &v), "non-numeric value rejected");
	CHECK_INT(-ENOENT, du_kvlist_get_u64(&kv, "ino", &v), "missing key");
	du_kvlist_free(&kv);
	CHECK_INT(0, (long long)kv.count, "free empties the list");
}

static void test_maps_lines(void)
{
	struct du_maps_entry e;
	char good[] = "7f3a4c000000-7f3a4c100000 rw-s 00001000 00:0d 1057   /dmabuf:fb 0\n";
	char anon[] = "7ffd1a2b3000-7ffd1a2d4000 rw-p 00000000 00:00 0\n";
	char bad1[] = "7f3a4c000000 rw-s 00000000 00:0d 1057 /dmabuf:";
	char bad2[] = "2000-1000 rw-s 00000000 00:0d 1057 x";
	char bad3[] = "1000-2000 rw-s 00000000 00:0d 1057x /x";

	CHECK_INT(0, du_maps_parse_line(good, &e), "dmabuf maps line parses");
	CHECK_U64(0x7f3a4c000000ULL, e.start, "start");
	CHECK_U64(0x100000, e.end - e.start, "length");
	CHECK_U64(0x1000, e.offset, "offset");
	CHECK_U64(1057, e.inode, "inode");
	CHECK_STR("rw-s", e.perms, "perms");
	CHECK_STR("/dmabuf:fb 0", e.path, "path with blank kept");
	CHECK_INT(0, du_maps_parse_line(anon, &e), "anonymous line parses");
	CHECK_STR("", e.path, "anonymous path empty");
	CHECK_INT(-EINVAL, du_maps_parse_line(bad1, &e), "missing end address");
	CHECK_INT(-EINVAL, du_maps_parse_line(bad2, &e), "start after end");
	CHECK_INT(-EINVAL, du_maps_parse_line(bad3, &e), "garbage after inode");
}

static int count_dmabuf(const struct du_maps_entry *e, void *arg)
{
	int *n = arg;

	if (strstr(e->path, "dmabuf:"))
		(*n)++;
	return 0;
}

static int collect_fd(pid_t pid, int fd, const char *target, void *arg)
{
	char *buf = arg;

	(void)pid;
	if (strncmp(target, "anon_inode:", 11) == 0)
		sprintf(buf + strlen(buf), "%d=%s;", fd, target + 11);
	return 0;
}

static int find_pid(pid_t pid, void *arg)
{
	return pid == *(pid_t *)arg ? 1 : 0;
}

static void test_rootfs(const char *root)
{
	struct du_kvlist kv = { 0 };
	char comm[32], fds[256] = "";
	char *s = NULL, *cg;
	uint64_t v = 0;
	pid_t want = 4242, missing = 99;
	int n = 0;

	du_path_set_root(root);
	CHECK_INT(0, du_fdinfo_read(4242, 5, &kv), "fdinfo read from fixture");
	CHECK_STR("framebuffer 0", du_kvlist_get(&kv, "name"), "fdinfo name");
	CHECK_INT(0, du_kvlist_get_u64(&kv, "size", &v), "fdinfo size");
	CHECK_U64(1048576, v, "fdinfo size value");
	du_kvlist_free(&kv);
	CHECK_INT(-ENOENT, du_fdinfo_read(4242, 6, &kv), "closed fd gives ENOENT");

	CHECK_INT(0, du_maps_foreach(4242, count_dmabuf, &n), "maps walk");
	CHECK_INT(2, n, "two dmabuf mappings, garbage line skipped");
	CHECK_INT(-ENOENT, du_maps_foreach(99, count_dmabuf, &n), "maps of a missing pid");

	du_proc_foreach_fd(4242, collect_fd, fds);
	CHECK(strstr(fds, "5=dmabuf;") && strstr(fds, "7=sync_file;"));
	CHECK_INT(1, du_proc_foreach_pid(find_pid, &want), "pid 4242 listed");
	CHECK_INT(0, du_proc_foreach_pid(find_pid, &missing), "pid 99 not listed");

	du_proc_comm(4242, comm, sizeof(comm));
	CHECK_STR("weston", comm, "comm without newline");
	du_proc_comm(99, comm, sizeof(comm));
	CHECK_STR("?", comm, "comm of a gone process");
	cg = du_proc_cgroup(4242);
	CHECK_STR("/compositor.slice/weston", cg, "cgroup2 path");
	free(cg);

	CHECK_INT(0, du_path_read_u64(&v, "/sys/class/demo/size"), "sysfs u64");
	CHECK_U64(12345, v, "sysfs u64 value");
	CHECK_INT(-EINVAL, du_path_read_u64(&v, "/sys/class/demo/bad"), "sysfs non-number");
	CHECK_INT(-ENOENT, du_path_read_u64(&v, "/sys/class/demo/none"), "sysfs missing");
	CHECK_INT(0, du_path_read_str(&s, "/sys/class/demo/name"), "sysfs string");
	CHECK_STR("hello world", s, "sysfs string without newline");
	free(s);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FIXTURE_ROOT\n", argv[0]);
		return 2;
	}
	test_kvlist();
	test_maps_lines();
	test_rootfs(argv[1]);
	return tap_done();
}
