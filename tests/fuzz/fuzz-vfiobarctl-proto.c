// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-vfiobarctl-proto - what a vfiobarctl client reads from a primary's
 * socket (tools/vfiobarctl/proto.c): LIST reply lines (vb_export_info_parse)
 * and hex-encoded register data (vb_hex_decode).  The primary runs as
 * another user, so these lines are untrusted input.
 *
 * Properties: an accepted line has exactly 11 TAB-separated fields, numeric
 * where numbers belong; vb_export_info_format() of the result parses to
 * the same record; hex decodes only from exactly 2N lower-case hex digits
 * and encodes back to the same text.
 */
#include <errno.h>
#include <inttypes.h>

#include "fuzz-exit.h"
#include "fuzz.h"
#include "vfiobarctl.h"

static void check_info(const char *line)
{
	struct vb_export_info e, back;
	char buf[2048];
	size_t tabs = 0;

	if (vb_export_info_parse(line, &e))
		return;
	for (const char *p = line; *p; p++)
		tabs += *p == '\t';
	FUZZ_CHECK(tabs == 10, "accepted a line with %zu TABs", tabs);
	vb_export_info_format(&e, buf, sizeof(buf));
	FUZZ_CHECK(!vb_export_info_parse(buf, &back), "\"%s\" formatted as \"%s\" is refused", line,
		   buf);
	FUZZ_CHECK(back.id == e.id && streq(back.bdf, e.bdf) && streq(back.spec, e.spec) &&
			   streq(back.attr, e.attr) && back.size == e.size &&
			   back.inode == e.inode && back.pid == e.pid && back.uid == e.uid &&
			   streq(back.comm, e.comm) && streq(back.state, e.state) &&
			   back.created == e.created,
		   "\"%s\" formatted as \"%s\" parses to another record", line, buf);
}

static void check_hex(const char *s)
{
	size_t len = strlen(s), n = len / 2;
	_cleanup_free_ uint8_t *bytes = xcalloc(1, n + 1);
	_cleanup_free_ char *again = xcalloc(1, 2 * n + 1);
	bool hex = len % 2 == 0;

	for (size_t i = 0; i < len; i++)
		hex &= (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
	FUZZ_CHECK((vb_hex_decode(s, bytes, n) == 0) == hex, "\"%s\": decode disagrees", s);
	if (!hex)
		return;
	vb_hex_encode(bytes, n, again);
	FUZZ_CHECK(streq(again, s), "\"%s\" decoded and encoded is \"%s\"", s, again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *s = fuzz_cstr(data, size);

	if (!s)
		return 0;
	check_info(s);
	check_hex(s);
	return 0;
}
