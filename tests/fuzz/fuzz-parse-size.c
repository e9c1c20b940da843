// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-parse-size - du_parse_size() and du_format_size().
 *
 * Properties: du_parse_size() accepts exactly NUMBER[UNIT[B|iB]] (NUMBER as
 * du_parse_u64() takes it, UNIT one of KMGTPE in either case), its value is
 * NUMBER * 1024^UNIT or -ERANGE when that overflows, and *out is untouched on
 * error.  du_format_size() of any value reads back: an exact form ("4K")
 * parses to the value itself, a rounded one ("1.5M") is normalised (below
 * 1024 of its unit) and within half a tenth of a unit; and every unit
 * suffix appended to an accepted number scales it or gives -ERANGE.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>

#include "fuzz.h"
#include "parse.h"

static const char units[] = "KMGTPE";

/* Exponent of 1024 for unit letter @c, or -1. */
static int unit_exp(char c)
{
	const char *u = c ? strchr(units, toupper((unsigned char)c)) : NULL;

	return u ? (int)(u - units) + 1 : -1;
}

/*
 * Reference: the numeric prefix is what strtoull() would take (a run of
 * hex digits after "0x", else of decimal digits), the rest must be a unit
 * letter optionally followed by "B" or "iB".
 */
static int reference_size(const char *s, uint64_t *out)
{
	size_t numlen = 0;
	uint64_t num = 0, v;
	int exp = 0, r;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
		numlen = 2;
		while (isxdigit((unsigned char)s[numlen]))
			numlen++;
	} else {
		while (isdigit((unsigned char)s[numlen]))
			numlen++;
	}
	if (!numlen)
		return -EINVAL;
	if (s[numlen]) {
		const char *rest = s + numlen;

		exp = unit_exp(rest[0]);
		if (exp < 0 || (rest[1] && strcmp(rest + 1, "B") && strcmp(rest + 1, "iB")))
			return -EINVAL;
	}
	{
		_cleanup_free_ char *digits = strndup(s, numlen);

		if (!digits)
			abort();
		/* du_parse_u64 itself is checked against a reference in fuzz-parse-number. */
		r = du_parse_u64(digits, &num);
	}
	if (r)
		return r;
	v = num;
	for (int i = 0; i < exp; i++)
		if (__builtin_mul_overflow(v, 1024, &v))
			return -ERANGE;
	*out = v;
	return 0;
}

/* "N", "NU" (exact) or "N.DU" (rounded to one decimal) from du_format_size(). */
static void check_format(uint64_t v)
{
	char buf[32], small[4];
	uint64_t back = 0, lo, unit = 1;
	char *dot;
	int exp;

	du_format_size(v, buf, sizeof(buf));
	dot = strchr(buf, '.');
	if (!dot) {
		FUZZ_CHECK(du_parse_size(buf, &back) == 0 && back == v,
			   "%" PRIu64 " formatted as \"%s\", which parses as %" PRIu64, v, buf,
			   back);
	} else {
		unsigned __int128 printed, exact, tol;
		uint64_t tenth;

		exp = unit_exp(buf[strlen(buf) - 1]);
		FUZZ_CHECK(exp > 0, "%" PRIu64 " formatted as \"%s\": no unit", v, buf);
		for (int i = 0; i < exp; i++)
			unit *= 1024;
		buf[strlen(buf) - 1] = '\0';
		*dot = '\0';
		FUZZ_CHECK(du_parse_u64(buf, &lo) == 0 && du_parse_u64(dot + 1, &tenth) == 0 &&
				   tenth < 10,
			   "%" PRIu64 ": not N.D: \"%s\".\"%s\"", v, buf, dot + 1);
		/* Normalised: never "1024.0K" where "1.0M" is meant. */
		FUZZ_CHECK(lo < 1024,
			   "%" PRIu64 " formatted as %" PRIu64 ".%" PRIu64 " of unit %" PRIu64, v,
			   lo, tenth, unit);
		/* One decimal, rounded: |N.D * U - v| <= U / 20, in tenths of bytes. */
		printed = ((unsigned __int128)lo * 10 + tenth) * unit;
		exact = (unsigned __int128)v * 10;
		tol = unit / 2;
		FUZZ_CHECK(printed <= exact + tol && exact <= printed + tol,
			   "%" PRIu64 " formatted as %" PRIu64 ".%" PRIu64 " of unit %" PRIu64, v,
			   lo, tenth, unit);
	}
	/* Truncated output stays terminated (snprintf semantics). */
	memset(small, 'x', sizeof(small));
	du_format_size(v, small, sizeof(small));
	FUZZ_CHECK(memchr(small, '\0', sizeof(small)) != NULL, "unterminated short buffer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *s = fuzz_cstr(data, size);
	const uint64_t sentinel = 0x5a5a5a5a5a5a5a5aULL;
	uint64_t v = sentinel, ref = 0, back;
	char buf[40];
	int r, rr;

	if (!s)
		return 0;
	r = du_parse_size(s, &v);
	rr = reference_size(s, &ref);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE, "\"%s\": returned %d", s, r);
	/* A number too big for 64 bits is -ERANGE even before a bad suffix. */
	if (rr == -EINVAL)
		FUZZ_CHECK(r != 0, "\"%s\": accepted as %" PRIu64 ", not in the grammar", s, v);
	else
		FUZZ_CHECK(r == rr, "\"%s\": returned %d, reference %d", s, r, rr);
	if (r) {
		FUZZ_CHECK(v == sentinel, "\"%s\": *out written on error", s);
		if (size >= 8) {
			/* Raw input bytes as a value: format must still round-trip. */
			memcpy(&v, data, sizeof(v));
			check_format(v);
		}
		return 0;
	}
	FUZZ_CHECK(v == ref, "\"%s\": %" PRIu64 ", reference %" PRIu64, s, v, ref);
	check_format(v);

	/* The same count with each suffix: scaled exactly, or -ERANGE. */
	for (int exp = 1; exp <= 6; exp++) {
		uint64_t want = v;
		bool overflow = false;

		for (int i = 0; i < exp; i++)
			overflow |= __builtin_mul_overflow(want, 1024, &want);
		snprintf(buf, sizeof(buf), "%" PRIu64 "%ciB", v, units[exp - 1]);
		back = 0;
		r = du_parse_size(buf, &back);
		if (overflow)
			FUZZ_CHECK(r == -ERANGE, "\"%s\": %d, expected -ERANGE", buf, r);
		else
			FUZZ_CHECK(r == 0 && back == want,
				   "\"%s\": %d/%" PRIu64 ", expected %" PRIu64, buf, r, back, want);
	}
	return 0;
}
