// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-parse-duration - du_parse_duration().
 *
 * Properties: accepts exactly "inf"/"infinite" (any case) or
 * DIGITS[.DIGITS][ns|us|ms|s|m|h]; a whole number of a unit is exact, a
 * fraction lies between the whole number and the next one; results are
 * below DU_DURATION_INFINITE (-ERANGE otherwise), *out is untouched on
 * error, and any accepted value reads back as "<N>ns" and, when whole, in
 * each larger unit.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <strings.h>

#include "fuzz.h"
#include "parse.h"

static const struct {
	const char *name;
	uint64_t ns;
} units[] = {
	{ "ns", 1ULL },		{ "us", 1000ULL },	 { "ms", 1000000ULL },
	{ "s", 1000000000ULL }, { "m", 60000000000ULL }, { "h", 3600000000000ULL },
};

struct ref {
	uint64_t lo, hi; /* the value lies in [lo, hi] */
	bool inf;
};

static int reference_duration(const char *s, struct ref *ref)
{
	const char *p = s, *unit;
	uint64_t whole = 0, unit_ns = 1000000000ULL, lo;
	bool overflow = false, frac = false, frac_nonzero = false;

	if (!strcasecmp(s, "inf") || !strcasecmp(s, "infinite")) {
		ref->inf = true;
		return 0;
	}
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++)
		if (__builtin_mul_overflow(whole, 10, &whole) ||
		    __builtin_add_overflow(whole, (uint64_t)(*p - '0'), &whole))
			overflow = true;
	if (*p == '.') {
		frac = true;
		if (!isdigit((unsigned char)*++p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++)
			frac_nonzero |= *p != '0';
	}
	unit = p;
	if (*unit) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(units); i++)
			if (streq(unit, units[i].name))
				break;
		if (i == ARRAY_SIZE(units))
			return -EINVAL;
		unit_ns = units[i].ns;
	}
	if (overflow || __builtin_mul_overflow(whole, unit_ns, &lo) || lo >= (uint64_t)INT64_MAX)
		return -ERANGE;
	ref->inf = false;
	ref->lo = lo;
	/* A fraction adds less than one unit (digits beyond 1 ns are cut). */
	ref->hi = frac && frac_nonzero ? lo + unit_ns - 1 : lo;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *s = fuzz_cstr(data, size);
	const int64_t sentinel = -12345;
	int64_t v = sentinel, back;
	struct ref ref = { 0 };
	char buf[48];
	int r, rr;

	if (!s)
		return 0;
	r = du_parse_duration(s, &v);
	rr = reference_duration(s, &ref);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE, "\"%s\": returned %d", s, r);
	if (rr == -EINVAL)
		FUZZ_CHECK(r != 0, "\"%s\": accepted as %" PRId64 ", not in the grammar", s, v);
	else if (rr == -ERANGE)
		/* ".5" after a huge number can still overflow later; both are fine. */
		FUZZ_CHECK(r == -ERANGE, "\"%s\": returned %d, expected -ERANGE", s, r);
	else if (r == -ERANGE)
		/* Only where whole + fraction crosses the limit the reference stops at. */
		FUZZ_CHECK(ref.hi >= (uint64_t)INT64_MAX, "\"%s\": -ERANGE for a small value", s);
	else
		FUZZ_CHECK(r == 0, "\"%s\": returned %d, reference accepts it", s, r);
	if (r) {
		FUZZ_CHECK(v == sentinel, "\"%s\": *out written on error", s);
		return 0;
	}
	if (ref.inf) {
		FUZZ_CHECK(v == DU_DURATION_INFINITE, "\"%s\": %" PRId64, s, v);
		return 0;
	}
	FUZZ_CHECK(v >= 0 && v < DU_DURATION_INFINITE, "\"%s\": %" PRId64 " out of range", s, v);
	FUZZ_CHECK((uint64_t)v >= ref.lo && (uint64_t)v <= ref.hi,
		   "\"%s\": %" PRId64 " not in [%" PRIu64 ", %" PRIu64 "]", s, v, ref.lo, ref.hi);

	snprintf(buf, sizeof(buf), "%" PRId64 "ns", v);
	FUZZ_CHECK(du_parse_duration(buf, &back) == 0 && back == v, "\"%s\" does not read back",
		   buf);
	for (size_t i = 1; i < ARRAY_SIZE(units); i++) {
		if ((uint64_t)v % units[i].ns)
			continue;
		snprintf(buf, sizeof(buf), "%" PRIu64 "%s", (uint64_t)v / units[i].ns,
			 units[i].name);
		FUZZ_CHECK(du_parse_duration(buf, &back) == 0 && back == v,
			   "\"%s\" does not read back as %" PRId64, buf, v);
	}
	return 0;
}
