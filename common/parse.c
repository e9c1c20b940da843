// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * parse.c - strict parsers for numbers, sizes and durations.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <strings.h>

#include "c.h"
#include "parse.h"

/*
 * Parse the leading unsigned number of @s; *end points after it.  strtoull
 * accepts leading blanks and a minus sign (negating the value), so both
 * are rejected here first.
 */
static int parse_leading_u64(const char *s, uint64_t *out, const char **end)
{
	char *e;
	int base = 10;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!isxdigit((unsigned char)s[2]))
			return -EINVAL;
		base = 16;
	}
	errno = 0;
	*out = strtoull(s, &e, base);
	if (errno == ERANGE)
		return -ERANGE;
	*end = e;
	return 0;
}

int du_parse_u64(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	int r;

	r = parse_leading_u64(s, &v, &end);
	if (r)
		return r;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

int du_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	int r;

	r = du_parse_u64(s, &v);
	if (r)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = v;
	return 0;
}

int du_parse_nonneg_int(const char *s, int *out)
{
	uint64_t v;
	int r;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return -EINVAL;
	r = du_parse_u64(s, &v);
	if (r)
		return r;
	if (v > INT_MAX)
		return -ERANGE;
	*out = v;
	return 0;
}

static int mul_overflows(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

int du_parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMGTPE";
	const char *end, *u;
	uint64_t v, mult = 1;
	int r;

	r = parse_leading_u64(s, &v, &end);
	if (r)
		return r;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u || !*u)
			return -EINVAL;
		for (const char *p = units; p <= u; p++)
			mult *= 1024;
		end++;
		if (streq(end, "iB") || streq(end, "B"))
			end += strlen(end);
		if (*end)
			return -EINVAL;
	}
	if (mul_overflows(v, mult, &v))
		return -ERANGE;
	*out = v;
	return 0;
}

struct duration_unit {
	const char *name;
	uint64_t ns;
};

static const struct duration_unit duration_units[] = {
	{ "ns", 1ULL },
	{ "us", 1000ULL },
	{ "ms", 1000000ULL },
	{ "s", 1000000000ULL },
	{ "m", 60ULL * 1000000000ULL },
	{ "h", 3600ULL * 1000000000ULL },
};

static int duration_unit_ns(const char *name, uint64_t *ns)
{
	if (!*name) {
		*ns = 1000000000ULL;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(duration_units); i++) {
		if (streq(name, duration_units[i].name)) {
			*ns = duration_units[i].ns;
			return 0;
		}
	}
	return -EINVAL;
}

/* Fractional part ".NNN" scaled by @unit_ns, truncated to whole ns. */
static int parse_fraction(const char **p, uint64_t unit_ns, uint64_t *out)
{
	uint64_t scale = unit_ns, frac = 0;
	const char *s = *p;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		scale /= 10;
		frac += (uint64_t)(*s - '0') * scale;
	}
	*p = s;
	*out = frac;
	return 0;
}

int du_parse_duration(const char *s, int64_t *out_ns)
{
	uint64_t whole, unit_ns, frac = 0, total;
	const char *end, *unit;
	int r;

	if (!strcasecmp(s, "inf") || !strcasecmp(s, "infinite")) {
		*out_ns = DU_DURATION_INFINITE;
		return 0;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return -EINVAL;
	r = parse_leading_u64(s, &whole, &end);
	if (r)
		return r;
	unit = end;
	if (*unit == '.') {
		unit++;
		while (isdigit((unsigned char)*unit))
			unit++;
	}
	r = duration_unit_ns(unit, &unit_ns);
	if (r)
		return r;
	if (*end == '.') {
		end++;
		r = parse_fraction(&end, unit_ns, &frac);
		if (r)
			return r;
	}
	if (mul_overflows(whole, unit_ns, &total) || __builtin_add_overflow(total, frac, &total) ||
	    total >= (uint64_t)DU_DURATION_INFINITE)
		return -ERANGE;
	*out_ns = (int64_t)total;
	return 0;
}

void du_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	size_t i = 0;
	uint64_t unit = 1, tenths;

	while (bytes / unit >= 1024 && i < sizeof(units) - 2) {
		unit *= 1024;
		i++;
	}
	if (i == 0) {
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
		return;
	}
	/* Exact only if no bit below the unit is set, not just the last 10. */
	if (bytes % unit == 0) {
		snprintf(buf, len, "%llu%c", (unsigned long long)(bytes / unit), units[i]);
		return;
	}
	/* One decimal, rounded; 1023.96K is shown as 1.0M, not 1024.0K. */
	tenths = bytes / unit * 10 + (bytes % unit * 10 + unit / 2) / unit;
	if (tenths >= 10240 && i < sizeof(units) - 2) {
		unit *= 1024;
		i++;
		tenths = bytes / unit * 10 + (bytes % unit * 10 + unit / 2) / unit;
	}
	snprintf(buf, len, "%llu.%llu%c", (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10), units[i]);
}
