/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tap.h - minimal TAP producer for host unit tests.
 *
 * Each check prints "ok N - what" or "not ok N - what" plus the expected and
 * seen values; tap_done() prints the plan and returns the exit status, so
 * ctest fails a test executable when any check fails.
 */
#ifndef DU_TAP_H
#define DU_TAP_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline bool tap_ok(bool cond, const char *what)
{
	tap_count++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, what);
	if (!cond)
		tap_failed++;
	return cond;
}

#define CHECK(cond) tap_ok((cond), #cond)

#define CHECK_INT(expected, seen, what)                                                            \
	do {                                                                                       \
		long long e_ = (expected), s_ = (seen);                                            \
		if (!tap_ok(e_ == s_, what))                                                       \
			printf("#   expected %lld, seen %lld\n", e_, s_);                          \
	} while (0)

#define CHECK_U64(expected, seen, what)                                                            \
	do {                                                                                       \
		unsigned long long e_ = (expected), s_ = (seen);                                   \
		if (!tap_ok(e_ == s_, what))                                                       \
			printf("#   expected %llu, seen %llu\n", e_, s_);                          \
	} while (0)

#define CHECK_STR(expected, seen, what)                                                            \
	do {                                                                                       \
		const char *e_ = (expected), *s_ = (seen);                                         \
		if (!tap_ok(s_ && !strcmp(e_, s_), what))                                          \
			printf("#   expected \"%s\"\n#   seen     \"%s\"\n", e_,                   \
			       s_ ? s_ : "(null)");                                                \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		printf("# %d of %d checks failed\n", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}

#endif
