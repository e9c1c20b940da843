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
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void setup_root(void)
{
	_cleanup_free_ char *dir = NULL;

	if (root[0])
		return;
	snprintf(root, sizeof(root), "%s/du-fuzz-XXXXXX", getenv("TMPDIR") ?: "/tmp");
	if (!mkdtemp(root))
		abort();
	xasprintf(&dir, "%s/sys/kernel/debug/dma_buf", root);
	for (char *p = dir + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	mkdir(dir, 0755);
	free(dir);
	dir = NULL;
	xasprintf(&dir, "%s/proc", root);
	mkdir(dir, 0755);
	du_path_set_root(root);
}

static void remove_root(void)
{
	static const char *const tree[] = { "/sys/kernel/debug/dma_buf/bufinfo",
					    "/sys/kernel/debug/dma_buf",
					    "/sys/kernel/debug",
					    "/sys/kernel",
					    "/sys",
					    "/proc",
					    "" };

	for (size_t i = 0; i < ARRAY_SIZE(tree); i++) {
		_cleanup_free_ char *p = NULL;

		xasprintf(&p, "%s%s", root, tree[i]);
		remove(p);
	}
}

static void check_scan(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *path = NULL;
	struct du_dmabuf_set set = { 0 };
	int fd, r;

	if (!root[0]) {
		setup_root();
		atexit(remove_root);
	}
	xasprintf(&path, "%s/sys/kernel/debug/dma_buf/bufinfo", root);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd))
		abort();
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
