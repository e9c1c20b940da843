// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-vfiobarctl-spec - vfiobarctl's BAR:OFF+LEN[,OFF+LEN...] range lists
 * (vb_spec_parse), its DMABUF names (vb_name_parse, "BDF/BAR:OFF[+] ATTR"
 * and the kernel's "vfioN:BDF/BAR") and PCI addresses (du_pci_parse_bdf).
 *
 * Properties: an accepted range list has at least one range, no range whose
 * end overflows, and vb_spec_format() of it parses to the same BAR and
 * ranges; a refused one says why.  An accepted name formatted again with
 * vb_name_format() parses to the same fields.  An accepted BDF is in the
 * canonical DDDD:BB:DD.F form and parses to itself.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>

#include "fuzz-exit.h"
#include "fuzz.h"
#include "pci.h"
#include "vfiobarctl.h"

/* "dddd:bb:dd.f": at least 4 domain digits, lower-case hex, function 0-7, itself when parsed. */
static bool canonical_bdf(const char *b)
{
	size_t len = strlen(b);
	char again[DU_BDF_LEN];

	if (len < 12 || b[len - 8] != ':' || b[len - 5] != ':' || b[len - 2] != '.' ||
	    b[len - 1] < '0' || b[len - 1] > '7')
		return false;
	for (size_t i = 0; i < len - 2; i++)
		if (i != len - 8 && i != len - 5 && !isdigit((unsigned char)b[i]) &&
		    (b[i] < 'a' || b[i] > 'f'))
			return false;
	return !du_pci_parse_bdf(b, again) && streq(again, b);
}

static void check_spec(const char *s)
{
	struct vb_spec spec, back;
	const char *why = NULL;
	_cleanup_free_ char *text = NULL;
	int r;

	r = vb_spec_parse(s, &spec, &why);
	FUZZ_CHECK(r == 0 || r == -EINVAL, "\"%s\": returned %d", s, r);
	if (r) {
		FUZZ_CHECK(why && *why, "\"%s\": refused without a reason", s);
		FUZZ_CHECK(!spec.ranges && !spec.n, "\"%s\": ranges left after a refusal", s);
		return;
	}
	FUZZ_CHECK(spec.n >= 1, "\"%s\": accepted with no range", s);
	for (size_t i = 0; i < spec.n; i++)
		FUZZ_CHECK(spec.ranges[i].offset + spec.ranges[i].length >= spec.ranges[i].offset,
			   "\"%s\": range %zu overflows", s, i);
	text = vb_spec_format(&spec);
	r = vb_spec_parse(text, &back, &why);
	FUZZ_CHECK(r == 0, "\"%s\" formatted as \"%s\" is refused: %s", s, text, why);
	FUZZ_CHECK(back.bar == spec.bar && back.n == spec.n &&
			   !memcmp(back.ranges, spec.ranges, spec.n * sizeof(*spec.ranges)),
		   "\"%s\" formatted as \"%s\" parses to other ranges", s, text);
	vb_spec_free(&back);
	vb_spec_free(&spec);
}

static void check_name(const char *s)
{
	struct vb_name n, back;
	struct du_vfio_range ranges[2];
	struct vb_spec spec = { .ranges = ranges };
	char buf[256];

	if (vb_name_parse(s, &n))
		return;
	FUZZ_CHECK(canonical_bdf(n.bdf), "\"%s\": BDF \"%s\" not canonical", s, n.bdf);
	/* vfiobarctl's own form reads back through vb_name_format (decimal BAR 0-9). */
	if (n.kernel || !n.has_offset || !n.attr[0] || n.bar > 9)
		return;
	spec.bar = n.bar;
	spec.n = n.more_ranges ? 2 : 1;
	ranges[0] = (struct du_vfio_range){ n.offset, 4096 };
	ranges[1] = ranges[0];
	vb_name_format(buf, sizeof(buf), n.bdf, &spec,
		       streq(n.attr, "wc") ? DU_VFIO_ATTR_WC : DU_VFIO_ATTR_UC);
	FUZZ_CHECK(!vb_name_parse(buf, &back), "\"%s\" formatted as \"%s\" is refused", s, buf);
	FUZZ_CHECK(streq(back.bdf, n.bdf) && back.bar == n.bar && back.offset == n.offset &&
			   back.more_ranges == n.more_ranges && streq(back.attr, n.attr),
		   "\"%s\" formatted as \"%s\" parses to other fields", s, buf);
}

static void check_bdf(const char *s)
{
	char bdf[DU_BDF_LEN], again[DU_BDF_LEN];

	if (du_pci_parse_bdf(s, bdf))
		return;
	FUZZ_CHECK(canonical_bdf(bdf), "\"%s\": BDF \"%s\" not canonical", s, bdf);
	FUZZ_CHECK(!du_pci_parse_bdf(bdf, again) && streq(again, bdf),
		   "\"%s\": BDF \"%s\" does not parse to itself", s, bdf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *s = fuzz_cstr(data, size);

	if (!s || size > 1024)
		return 0;
	check_spec(s);
	check_name(s);
	check_bdf(s);
	return 0;
}
