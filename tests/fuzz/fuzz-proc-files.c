// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-proc-files - malformed /proc files read through the root prefix:
 * du_proc_cgroup(), du_proc_comm(), du_maps_foreach(), du_fdinfo_read(),
 * du_path_read_u64() and du_read_file() underneath them.
 *
 * The input is split at its first three NUL bytes into the contents of
 * /proc/1/cgroup, /proc/1/comm, /proc/1/maps and /proc/1/fdinfo/3 in a
 * private fixture tree (files up to 12 KiB, so du_read_file() has to grow
 * its buffer).  Properties: each reader returns what the line parsers give
 * for the same text (checked line by line here), never more, and reading
 * needs no NUL-free or newline-terminated input.
 */
#include <errno.h>
#include <inttypes.h>

#include "fuzz.h"
#include "parse.h"
#include "procfs.h"

#define MAX_FILE (3 * 4096)

static char root[256];

static const char *const tree[] = {
	"/proc/1/cgroup", "/proc/1/comm", "/proc/1/maps", "/proc/1/fdinfo/3",
	"/proc/1/fdinfo", "/proc/1",	  "/proc",	  "",
};

/* Remove the fixture tree when the fuzzer or replay exits. */
static void remove_root(void)
{
	fuzz_root_remove(root, tree, ARRAY_SIZE(tree));
}

static void setup_root(void)
{
	if (root[0])
		return;
	fuzz_root_create(root, sizeof(root));
	fuzz_root_mkdirs(root, "/proc/1/fdinfo");
	du_path_set_root(root);
	atexit(remove_root);
}

/* Next part of the input up to a NUL byte (or the end). */
static size_t next_part(const uint8_t **data, size_t *size, const uint8_t **part)
{
	const uint8_t *nul = memchr(*data, 0, *size);
	size_t len = nul ? (size_t)(nul - *data) : *size;

	*part = *data;
	*data += len + (nul ? 1 : 0);
	*size -= len + (nul ? 1 : 0);
	return len;
}

struct maps_count {
	size_t seen;
	const char *text;
};

static int count_entry(const struct du_maps_entry *e, void *arg)
{
	struct maps_count *mc = arg;

	FUZZ_CHECK(e->start <= e->end && strlen(e->perms) == 4, "bad entry from maps_foreach");
	mc->seen++;
	return 0;
}

/* Lines of @text (cut at a NUL) that du_maps_parse_line accepts. */
static size_t count_maps_lines(const char *text)
{
	_cleanup_free_ char *copy = xstrdup(text);
	struct du_maps_entry e;
	size_t n = 0;

	/* getline() splits after each newline, so empty lines are lines too. */
	for (char *p = copy, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		n += du_maps_parse_line(p, &e) == 0;
		if (!nl)
			break;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *cg, *comm, *maps, *fdinfo;
	size_t cglen, commlen, mapslen, fdinfolen;
	_cleanup_free_ char *cgtext = NULL, *commtext = NULL, *mapstext = NULL;
	_cleanup_free_ char *fdtext = NULL, *cgroup = NULL;
	struct du_kvlist list = { 0 }, ref = { 0 };
	struct maps_count mc = { 0 };
	char commbuf[32], want[32];
	uint64_t u = 0;
	int r;

	if (size > 4 * MAX_FILE)
		return 0;
	setup_root();
	cglen = next_part(&data, &size, &cg);
	commlen = next_part(&data, &size, &comm);
	mapslen = next_part(&data, &size, &maps);
	fdinfolen = next_part(&data, &size, &fdinfo);
	if (cglen > MAX_FILE || commlen > MAX_FILE || mapslen > MAX_FILE || fdinfolen > MAX_FILE)
		return 0;
	fuzz_root_write(root, "/proc/1/cgroup", cg, cglen);
	fuzz_root_write(root, "/proc/1/comm", comm, commlen);
	fuzz_root_write(root, "/proc/1/maps", maps, mapslen);
	fuzz_root_write(root, "/proc/1/fdinfo/3", fdinfo, fdinfolen);
	/* The texts as the parsers see them (no NUL bytes by construction). */
	cgtext = strndup((const char *)cg, cglen);
	commtext = strndup((const char *)comm, commlen);
	mapstext = strndup((const char *)maps, mapslen);
	fdtext = strndup((const char *)fdinfo, fdinfolen);
	if (!cgtext || !commtext || !mapstext || !fdtext)
		abort();

	/* cgroup: the rest of the first line starting with "0::". */
	cgroup = du_proc_cgroup(1);
	{
		const char *want_cg = NULL;

		for (const char *p = cgtext; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
			if (!strncmp(p, "0::", 3)) {
				want_cg = p + 3;
				break;
			}
		}
		if (!want_cg) {
			FUZZ_CHECK(!cgroup, "cgroup \"%s\" from a file without 0::", cgroup);
		} else {
			size_t wl = strcspn(want_cg, "\n");

			FUZZ_CHECK(cgroup && strlen(cgroup) == wl && !strncmp(cgroup, want_cg, wl),
				   "cgroup \"%s\", expected \"%.*s\"", cgroup ?: "(null)", (int)wl,
				   want_cg);
		}
	}

	/* comm: the file minus one trailing newline, truncated to the buffer. */
	du_proc_comm(1, commbuf, sizeof(commbuf));
	if (commlen && commtext[commlen - 1] == '\n')
		commtext[commlen - 1] = '\0';
	snprintf(want, sizeof(want), "%s", commtext);
	FUZZ_CHECK(streq(commbuf, want), "comm \"%s\", expected \"%s\"", commbuf, want);

	/* A numeric attribute: the comm file read as u64 agrees with du_parse_u64. */
	r = du_path_read_u64(&u, "/proc/1/comm");
	FUZZ_CHECK(r == du_parse_u64(commtext, &(uint64_t){ 0 }), "read_u64 %d", r);

	/* maps: one callback per line the line parser accepts. */
	mc.text = mapstext;
	r = du_maps_foreach(1, count_entry, &mc);
	FUZZ_CHECK(r == 0, "maps_foreach returned %d", r);
	FUZZ_CHECK(mc.seen == count_maps_lines(mapstext), "%zu maps entries, expected %zu", mc.seen,
		   count_maps_lines(mapstext));

	/* fdinfo: the same list as parsing the text directly. */
	r = du_fdinfo_read(1, 3, &list);
	FUZZ_CHECK(r == 0, "fdinfo_read returned %d", r);
	du_kvlist_parse(&ref, fdtext);
	FUZZ_CHECK(list.count == ref.count, "%zu fdinfo items, expected %zu", list.count,
		   ref.count);
	for (size_t i = 0; i < list.count; i++)
		FUZZ_CHECK(streq(list.items[i].key, ref.items[i].key) &&
				   streq(list.items[i].value, ref.items[i].value),
			   "fdinfo item %zu differs", i);
	du_kvlist_free(&list);
	du_kvlist_free(&ref);
	return 0;
}
