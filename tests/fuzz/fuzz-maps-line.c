// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-maps-line - du_maps_parse_line() on one /proc/PID/maps line.
 *
 * Properties: an accepted line gives start <= end, four permission
 * characters, and a path that points into the line, has no newline and no
 * leading blank; printing the entry back in the kernel's format parses to
 * the same entry.  The line is only modified by cutting it at the newline.
 */
#include <errno.h>
#include <inttypes.h>

#include "fuzz.h"
#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *line = fuzz_cstr(data, size);
	_cleanup_free_ char *orig = NULL, *printed = NULL;
	struct du_maps_entry e, back;
	size_t len;
	char *nl;
	int r;

	if (!line)
		return 0;
	orig = xstrdup(line);
	len = strlen(line);
	r = du_maps_parse_line(line, &e);
	FUZZ_CHECK(r == 0 || r == -EINVAL, "returned %d", r);

	/* Only the first newline may have been cut. */
	nl = strchr(orig, '\n');
	if (nl)
		*nl = '\0';
	FUZZ_CHECK(streq(line, orig), "line modified beyond the newline");
	if (r)
		return 0;

	FUZZ_CHECK(e.start <= e.end, "start %" PRIx64 " > end %" PRIx64, e.start, e.end);
	FUZZ_CHECK(strlen(e.perms) == 4, "perms \"%s\"", e.perms);
	FUZZ_CHECK(e.path >= line && e.path <= line + len, "path outside the line");
	FUZZ_CHECK(!strchr(e.path, '\n') && e.path[0] != ' ', "path \"%s\" not cut/trimmed",
		   e.path);

	xasprintf(&printed,
		  "%08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64 " %02x:%02x %" PRIu64 "%s%s", e.start,
		  e.end, e.perms, e.offset, e.dev_major, e.dev_minor, e.inode,
		  e.path[0] ? "   " : "", e.path);
	FUZZ_CHECK(du_maps_parse_line(printed, &back) == 0, "\"%s\" does not parse back", printed);
	FUZZ_CHECK(back.start == e.start && back.end == e.end && streq(back.perms, e.perms) &&
			   back.offset == e.offset && back.dev_major == e.dev_major &&
			   back.dev_minor == e.dev_minor && back.inode == e.inode &&
			   streq(back.path, e.path),
		   "\"%s\" parses to a different entry", printed);
	return 0;
}
