// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-dmabuf-bufinfo - debugfs dma_buf/bufinfo as dmaheapctl reads it
 * (du_dmabuf_parse_bufinfo, common/dmabuf.c), and the same text through a
 * whole du_dmabuf_scan() of a fixture /proc and debugfs.
 *
 * Properties: one callback per buffer line at most, each with an exporter,
 * a name that is NULL ("<none>") or in the text, strings that point into it; a
 * scan of a fixture holding nothing but that bufinfo lists each inode once
 * and no process.
 */
#include <errno.h>

#include "dmabuf.h"
#include "fuzz.h"
#include "procfs.h"

struct seen {
	const char *text;
	size_t len, lines, calls;
};

static int on_entry(const struct du_bufinfo_entry *e, void *arg)
{
	struct seen *s = arg;

	s->calls++;
	FUZZ_CHECK(e->exporter && e->exporter >= s->text && e->exporter < s->text + s->len, "export"
											    "er "
											    "outsid"
											    "e the "
											    "text");
	FUZZ_CHECK(!e->name || (e->name >= s->text && e->name < s->text + s->len), "name outside "
										   "the text");
	return 0;
}

static char root[256];

static void remove_root(void)
{
	static const char *const tree[] = { "/sys/kernel/debug/dma_buf/bufinfo",
					    "/sys/kernel/debug/dma_buf",
					    "/sys/kernel/debug",
					    "/sys/kernel",
					    "/sys",
					    "/proc",
					    "" };

	fuzz_root_remove(root, tree, ARRAY_SIZE(tree));
}

static void setup_root(void)
{
	if (root[0])
		return;
	fuzz_root_create(root, sizeof(root));
	fuzz_root_mkdirs(root, "/sys/kernel/debug/dma_buf");
	fuzz_root_mkdirs(root, "/proc");
	du_path_set_root(root);
	atexit(remove_root);
}

static void check_scan(const uint8_t *data, size_t size)
{
	struct du_dmabuf_set set = { 0 };
	int r;

	setup_root();
	fuzz_root_write(root, "/sys/kernel/debug/dma_buf/bufinfo", data, size);
	r = du_dmabuf_scan(&set, DU_DMABUF_SCAN_DEBUGFS);
	FUZZ_CHECK(r == 0, "scan of an empty /proc: %d", r);
	for (size_t i = 0; i < set.nbufs; i++)
		for (size_t j = i + 1; j < set.nbufs; j++)
			FUZZ_CHECK(set.bufs[i].inode != set.bufs[j].inode,
				   "inode %llu listed twice",
				   (unsigned long long)set.bufs[i].inode);
	FUZZ_CHECK(set.nprocs == 0, "%zu processes from an empty /proc", set.nprocs);
	du_dmabuf_set_free(&set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *text = fuzz_cstr(data, size);
	_cleanup_free_ char *copy = NULL;
	struct seen s = { 0 };

	if (!text)
		return 0;
	copy = xstrdup(text);
	s.text = copy;
	s.len = strlen(copy) + 1;
	for (const char *p = text; *p; p++)
		s.lines += *p == '\n';
	s.lines++;
	FUZZ_CHECK(du_dmabuf_parse_bufinfo(copy, on_entry, &s) == 0, "parse returned non-zero");
	FUZZ_CHECK(s.calls <= s.lines, "%zu buffers from %zu lines", s.calls, s.lines);
	check_scan(data, strlen(text));
	return 0;
}
