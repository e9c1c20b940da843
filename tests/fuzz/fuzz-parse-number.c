// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-parse-number - du_parse_u64(), du_parse_u32(), du_parse_nonneg_int().
 *
 * Properties: each parser accepts exactly "decimal digits" or "0x + hex
 * digits" (nonneg_int: decimal only), gives the value an independent
 * reference computes, returns -ERANGE exactly when the value does not fit,
 * leaves *out alone on error, and what it accepts prints and parses back to
 * the same value.  The three parsers agree with each other.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>

#include "fuzz.h"
#include "parse.h"

/* 0 and the value, -EINVAL (not the grammar) or -ERANGE (grammar, too big). */
static int reference_u64(const char *s, bool allow_hex, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	bool overflow = false;

	if (allow_hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (isdigit((unsigned char)*s))
			d = *s - '0';
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = tolower((unsigned char)*s) - 'a' + 10;
		else
			return -EINVAL;
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
			overflow = true;
	}
	if (overflow)
		return -ERANGE;
	*out = v;
	return 0;
}

static void check_u64(const char *s)
{
	const uint64_t sentinel = 0x5a5a5a5a5a5a5a5aULL;
	uint64_t v = sentinel, ref = 0, back = 0;
	int r, rr;
	char buf[32];

	r = du_parse_u64(s, &v);
	rr = reference_u64(s, true, &ref);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE, "\"%s\": returned %d", s, r);
	if (rr == -EINVAL) {
		FUZZ_CHECK(r != 0, "\"%s\": accepted as %" PRIu64 ", not in the grammar", s, v);
	} else {
		/* In the grammar: the reference and the parser must agree exactly. */
		FUZZ_CHECK(r == rr, "\"%s\": returned %d, reference %d", s, r, rr);
	}
	if (r) {
		FUZZ_CHECK(v == sentinel, "\"%s\": *out written on error %d", s, r);
		return;
	}
	FUZZ_CHECK(v == ref, "\"%s\": %" PRIu64 ", reference %" PRIu64, s, v, ref);

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	FUZZ_CHECK(du_parse_u64(buf, &back) == 0 && back == v, "decimal round trip of %s", buf);
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	FUZZ_CHECK(du_parse_u64(buf, &back) == 0 && back == v, "hex round trip of %s", buf);
}

static void check_u32(const char *s)
{
	uint32_t v = 0xa5a5a5a5;
	uint64_t v64 = 0;
	int r, r64;

	r = du_parse_u32(s, &v);
	r64 = du_parse_u64(s, &v64);
	if (r64) {
		FUZZ_CHECK(r == r64, "\"%s\": u32 %d, u64 %d", s, r, r64);
	} else if (v64 > UINT32_MAX) {
		FUZZ_CHECK(r == -ERANGE, "\"%s\": u32 %d for %" PRIu64, s, r, v64);
	} else {
		FUZZ_CHECK(r == 0 && v == v64, "\"%s\": u32 %d/%" PRIu32 ", u64 %" PRIu64, s, r, v,
			   v64);
	}
	if (r)
		FUZZ_CHECK(v == 0xa5a5a5a5, "\"%s\": *out written on error", s);
}

static void check_nonneg_int(const char *s)
{
	uint64_t ref = 0;
	int v = -7, r, rr;
	char buf[16];

	r = du_parse_nonneg_int(s, &v);
	rr = reference_u64(s, false, &ref);
	if (rr == 0 && ref > INT_MAX)
		rr = -ERANGE;
	if (rr == -EINVAL)
		FUZZ_CHECK(r != 0, "\"%s\": accepted as %d, not decimal", s, v);
	else
		FUZZ_CHECK(r == rr, "\"%s\": returned %d, reference %d", s, r, rr);
	if (r) {
		FUZZ_CHECK(v == -7, "\"%s\": *out written on error", s);
		return;
	}
	FUZZ_CHECK(v >= 0 && (uint64_t)v == ref, "\"%s\": %d, reference %" PRIu64, s, v, ref);
	snprintf(buf, sizeof(buf), "%d", v);
	FUZZ_CHECK(du_parse_nonneg_int(buf, &rr) == 0 && rr == v, "round trip of %s", buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *s = fuzz_cstr(data, size);

	if (!s)
		return 0;
	check_u64(s);
	check_u32(s);
	check_nonneg_int(s);
	return 0;
}
