// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for common/dmabuf.c against fixtures/dmabuf: four processes
 * sharing, mapping and holding dma-bufs, plus debugfs bufinfo listing one
 * buffer nobody holds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "dmabuf.h"
#include "procfs.h"
#include "tap.h"

static void test_is_path(void)
{
	CHECK(du_dmabuf_is_path("/dmabuf:"));
	CHECK(du_dmabuf_is_path("/dmabuf:fb 0"));
	CHECK(du_dmabuf_is_path("anon_inode:dmabuf"));
	CHECK(!du_dmabuf_is_path("anon_inode:sync_file"));
	CHECK(!du_dmabuf_is_path("/dmabufx"));
	CHECK(!du_dmabuf_is_path("/dev/dma_heap/system"));
}

struct collected {
	int n;
	uint64_t inode[8], size[8];
	long count[8];
	char exporter[8][32], name[8][32];
};

static int collect(const struct du_bufinfo_entry *e, void *arg)
{
	struct collected *c = arg;

	if (c->n == 8)
		return -ENOSPC;
	c->inode[c->n] = e->inode;
	c->size[c->n] = e->size;
	c->count[c->n] = e->count;
	snprintf(c->exporter[c->n], 32, "%s", e->exporter);
	snprintf(c->name[c->n], 32, "%s", e->name ? e->name : "(null)");
	c->n++;
	return 0;
}

static void test_bufinfo(void)
{
	char text[] = "\nDma-buf Objects:\n"
		      "size    \tflags   \tmode    \tcount   \texp_name\tino     \tname\n"
		      "00004096\t00000002\t00080005\t00000003\tsystem\t00000042\t<none>\n"
		      "\tshared fence: signalled 1@2\n"
		      "\tAttached Devices:\n\t0000:00:04.0\nTotal 1 devices attached\n\n"
		      "01048576\t00000002\t00080005\t00000001\treserved\t00000043\tfb\t0 x\n"
		      "\tAttached Devices:\nTotal 0 devices attached\n\n"
		      "0000409x\t00000002\t00080005\t00000001\tsystem\t00000044\t<none>\n"
		      "00004096\t00000002\t00080005\t00000001\tsystem\n"
		      "\nTotal 2 objects, 1052672 bytes\n";
	struct collected c = { 0 };

	CHECK_INT(0, du_dmabuf_parse_bufinfo(text, collect, &c), "bufinfo parses");
	CHECK_INT(2, c.n, "two buffer lines, decoration and malformed lines skipped");
	CHECK_U64(42, c.inode[0], "first inode");
	CHECK_U64(4096, c.size[0], "first size");
	CHECK_INT(3, c.count[0], "first count");
	CHECK_STR("system", c.exporter[0], "first exporter");
	CHECK_STR("(null)", c.name[0], "<none> means no name");
	CHECK_U64(1048576, c.size[1], "second size");
	CHECK_STR("fb\t0 x", c.name[1], "a name keeps its tabs and blanks");
}

static const struct du_dmabuf *find(const struct du_dmabuf_set *s, uint64_t inode)
{
	const struct du_dmabuf *b = du_dmabuf_find(s, inode);

	if (!b)
		printf("# inode %llu not found\n", (unsigned long long)inode);
	return b;
}

static const struct du_dmabuf_proc *proc(const struct du_dmabuf_set *s, pid_t pid)
{
	long i = du_dmabuf_proc_index(s, pid);

	return i < 0 ? NULL : &s->procs[i];
}

static void test_scan_full(void)
{
	struct du_dmabuf_set s = { 0 };
	const struct du_dmabuf *b;
	const struct du_dmabuf_proc *p;

	CHECK_INT(0, du_dmabuf_scan(&s, DU_DMABUF_SCAN_DEBUGFS), "scan with debugfs");
	CHECK_INT(0, s.debugfs_err, "bufinfo read");
	CHECK_INT(5, (long long)s.nbufs, "five buffers, deduplicated by inode");
	CHECK_INT(3, (long long)s.nprocs, "three processes hold buffers (idle does not)");
	CHECK_INT(0, s.unreadable, "nothing unreadable");

	b = find(&s, 1001);
	if (tap_ok(b != NULL, "shared buffer 1001 found")) {
		CHECK_INT(2, (long long)b->nholders, "1001 has two holders");
		CHECK_U64(4096, b->size, "1001 size");
		CHECK_STR("system", b->exporter, "1001 exporter");
		CHECK(b->name == NULL);
		CHECK_INT(2, b->count, "1001 count");
	}
	b = find(&s, 1002);
	if (tap_ok(b != NULL, "open and mapped buffer 1002 found")) {
		CHECK_INT(1, (long long)b->nholders, "one holder");
		CHECK_INT(1, b->holders[0].fds, "one fd");
		CHECK_INT(1, b->holders[0].maps, "one mapping");
		CHECK_U64(1048576, b->holders[0].mapped, "mapped bytes");
		CHECK_STR("fb0", b->name, "name from fdinfo");
		CHECK_STR("reserved", b->exporter, "CMA heap exporter");
	}
	b = find(&s, 1003);
	if (tap_ok(b != NULL, "mapped-only buffer 1003 found")) {
		CHECK(b->size_exact);
		CHECK_U64(65536, b->size, "size from debugfs");
		CHECK_INT(0, b->holders[0].fds, "no fd");
		CHECK_INT(1, b->holders[0].maps, "mapped once");
	}
	b = find(&s, 1005);
	if (tap_ok(b != NULL, "unheld buffer 1005 from debugfs")) {
		CHECK_INT(0, (long long)b->nholders, "nobody holds it");
		CHECK(b->in_debugfs);
	}
	p = proc(&s, 100);
	if (tap_ok(p != NULL, "allocator listed")) {
		CHECK_STR("allocator", p->comm, "comm");
		CHECK_STR("/alloc", p->cgroup, "cgroup");
		CHECK_INT(2, (long long)p->nbufs, "two buffers");
		CHECK_INT(2, p->fds, "two dma-buf fds (not /dev/null)");
		CHECK_INT(1, p->maps, "one mapping");
		CHECK_U64(4096 + 1048576, p->rss, "rss");
		CHECK_U64(2048 + 1048576, p->pss, "pss splits the shared buffer");
	}
	p = proc(&s, 200);
	if (tap_ok(p != NULL, "client listed")) {
		CHECK_U64(4096 + 65536, p->rss, "rss counts the mapped-only buffer");
		CHECK_U64(2048 + 65536, p->pss, "pss");
	}
	CHECK(proc(&s, 400) == NULL);
	du_dmabuf_set_free(&s);
}

static void test_scan_procfs_only(void)
{
	struct du_dmabuf_set s = { 0 };
	const struct du_dmabuf *b;

	CHECK_INT(0, du_dmabuf_scan(&s, 0), "scan without debugfs");
	CHECK_INT(1, s.debugfs_err, "debugfs not asked");
	CHECK_INT(4, (long long)s.nbufs, "the unheld buffer is invisible");
	b = find(&s, 1003);
	if (tap_ok(b != NULL, "mapped-only buffer still found")) {
		CHECK(!b->size_exact);
		CHECK_U64(65536, b->size, "size is the mapping's extent");
		CHECK(b->exporter == NULL);
	}
	b = find(&s, 1001);
	CHECK_INT(2, b ? b->count : -1, "count from fdinfo");
	du_dmabuf_set_free(&s);

	CHECK_INT(0, du_dmabuf_scan(&s, DU_DMABUF_SCAN_NO_MAPS), "descriptors only");
	CHECK_INT(3, (long long)s.nbufs, "mapped-only buffer not seen");
	CHECK_INT(3, (long long)s.nprocs, "all three still hold a descriptor");
	du_dmabuf_set_free(&s);
}

/* 5000 buffers through debugfs: the inode index grows through several rehashes. */
static void test_many(void)
{
	char root[] = "/tmp/test-dmabuf.XXXXXX";
	struct du_dmabuf_set s = { 0 };
	char path[256];
	int found = 0;
	FILE *fp;

	if (!tap_ok(mkdtemp(root) != NULL, "temporary sysroot"))
		return;
	snprintf(path, sizeof(path), "mkdir -p %s/proc %s/sys/kernel/debug/dma_buf", root, root);
	CHECK_INT(0, system(path), "sysroot directories");
	snprintf(path, sizeof(path), "%s/sys/kernel/debug/dma_buf/bufinfo", root);
	fp = fopen(path, "w");
	if (!tap_ok(fp != NULL, "bufinfo written"))
		return;
	for (int i = 0; i < 5000; i++)
		fprintf(fp, "%08d\t00000002\t00080005\t00000001\tsystem\t%08d\t<none>\n",
			4096 * (i % 3 + 1), i * 7 + 1);
	fclose(fp);
	du_path_set_root(root);
	CHECK_INT(0, du_dmabuf_scan(&s, DU_DMABUF_SCAN_DEBUGFS), "scan");
	CHECK_INT(5000, (long long)s.nbufs, "5000 buffers");
	for (int i = 0; i < 5000; i++) {
		const struct du_dmabuf *b = du_dmabuf_find(&s, (uint64_t)i * 7 + 1);

		found += b && b->size == 4096 * (uint64_t)(i % 3 + 1);
	}
	CHECK_INT(5000, found, "each found by inode with its size");
	CHECK(du_dmabuf_find(&s, 2) == NULL);
	du_dmabuf_set_free(&s);
	snprintf(path, sizeof(path), "rm -rf %s", root);
	CHECK_INT(0, system(path), "cleanup");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FIXTURE_ROOT\n", argv[0]);
		return 2;
	}
	test_is_path();
	test_bufinfo();
	du_path_set_root(argv[1]);
	test_scan_full();
	test_scan_procfs_only();
	test_many();
	return tap_done();
}
