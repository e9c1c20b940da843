// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for common/parse.c: every parser, good and bad input. */
#include <errno.h>
#include <stdint.h>

#include "parse.h"
#include "tap.h"

struct size_case {
	const char *in;
	int ret;
	uint64_t value;
};

static const struct size_case sizes[] = {
	{ "0", 0, 0 },
	{ "4096", 0, 4096 },
	{ "4K", 0, 4096 },
	{ "4k", 0, 4096 },
	{ "2M", 0, 2ULL << 20 },
	{ "2MiB", 0, 2ULL << 20 },
	{ "2MB", 0, 2ULL << 20 },
	{ "1G", 0, 1ULL << 30 },
	{ "3T", 0, 3ULL << 40 },
	{ "0x1000", 0, 4096 },
	{ "0x10K", 0, 16 << 10 },
	{ "16E", -ERANGE, 0 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "17179869184G", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "-4K", -EINVAL, 0 },
	{ "+4K", -EINVAL, 0 },
	{ " 4K", -EINVAL, 0 },
	{ "4K ", -EINVAL, 0 },
	{ "4Q", -EINVAL, 0 },
	{ "4KK", -EINVAL, 0 },
	{ "4Kib", -EINVAL, 0 },
	{ "K", -EINVAL, 0 },
	{ "0x", -EINVAL, 0 },
	{ "1.5M", -EINVAL, 0 },
};

struct duration_case {
	const char *in;
	int ret;
	int64_t ns;
};

static const struct duration_case durations[] = {
	{ "0", 0, 0 },
	{ "5", 0, 5000000000LL },
	{ "5s", 0, 5000000000LL },
	{ "100ms", 0, 100000000LL },
	{ "250us", 0, 250000LL },
	{ "7ns", 0, 7 },
	{ "2m", 0, 120000000000LL },
	{ "1h", 0, 3600000000000LL },
	{ "1.5s", 0, 1500000000LL },
	{ "0.001ms", 0, 1000 },
	{ "inf", 0, DU_DURATION_INFINITE },
	{ "infinite", 0, DU_DURATION_INFINITE },
	{ "INF", 0, DU_DURATION_INFINITE },
	{ "9223372036s", 0, 9223372036000000000LL },
	{ "9223372037s", -ERANGE, 0 },
	{ "99999999999999999999s", -ERANGE, 0 },
	{ "-1s", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "s", -EINVAL, 0 },
	{ "5 s", -EINVAL, 0 },
	{ "5sec", -EINVAL, 0 },
	{ "1.s", -EINVAL, 0 },
	{ ".5s", -EINVAL, 0 },
	{ "0x10s", -EINVAL, 0 },
	{ "infinity", -EINVAL, 0 },
};

static void test_sizes(void)
{
	char what[96];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t v = 0xdeadbeef;
		int r = du_parse_size(sizes[i].in, &v);

		snprintf(what, sizeof(what), "size \"%s\" returns %d", sizes[i].in, sizes[i].ret);
		CHECK_INT(sizes[i].ret, r, what);
		snprintf(what, sizeof(what), "size \"%s\" value", sizes[i].in);
		CHECK_U64(sizes[i].ret ? 0xdeadbeef : sizes[i].value, v, what);
	}
}

static void test_durations(void)
{
	char what[96];

	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		int64_t v = -42;
		int r = du_parse_duration(durations[i].in, &v);

		snprintf(what, sizeof(what), "duration \"%s\" returns %d", durations[i].in,
			 durations[i].ret);
		CHECK_INT(durations[i].ret, r, what);
		snprintf(what, sizeof(what), "duration \"%s\" value", durations[i].in);
		CHECK_INT(durations[i].ret ? -42 : durations[i].ns, v, what);
	}
}

static void test_integers(void)
{
	uint32_t u32 = 0;
	uint64_t u64 = 0;
	int i = 0;

	CHECK_INT(0, du_parse_u32("4294967295", &u32), "u32 max parses");
	CHECK_U64(4294967295U, u32, "u32 max value");
	CHECK_INT(-ERANGE, du_parse_u32("4294967296", &u32), "u32 overflow");
	CHECK_INT(0, du_parse_u64("0xffffffffffffffff", &u64), "u64 hex max");
	CHECK_INT(-EINVAL, du_parse_u64("12abc", &u64), "u64 trailing garbage");
	CHECK_INT(-EINVAL, du_parse_u64("-1", &u64), "u64 negative");
	CHECK_INT(0, du_parse_nonneg_int("2147483647", &i), "int max");
	CHECK_INT(-ERANGE, du_parse_nonneg_int("2147483648", &i), "int overflow");
	CHECK_INT(-EINVAL, du_parse_nonneg_int("0x3", &i), "fd numbers are decimal");
	CHECK_INT(-EINVAL, du_parse_nonneg_int("", &i), "empty int");
}

static void test_format_size(void)
{
	char buf[32];

	du_format_size(512, buf, sizeof(buf));
	CHECK_STR("512", buf, "512 bytes");
	du_format_size(4096, buf, sizeof(buf));
	CHECK_STR("4K", buf, "4 KiB");
	du_format_size(3 << 20, buf, sizeof(buf));
	CHECK_STR("3M", buf, "3 MiB");
	du_format_size((1 << 20) + (512 << 10), buf, sizeof(buf));
	CHECK_STR("1.5M", buf, "1.5 MiB");
}

int main(void)
{
	test_sizes();
	test_durations();
	test_integers();
	test_format_size();
	return tap_done();
}
