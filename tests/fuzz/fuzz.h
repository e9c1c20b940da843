/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - shared bits of the libFuzzer targets in tests/fuzz/.
 *
 * Every target defines LLVMFuzzerTestOneInput().  With clang and DU_FUZZ it
 * is linked against libFuzzer (-fsanitize=fuzzer); in every build it is also
 * linked against replay.c, whose main() feeds it each file of a committed
 * corpus, so the regression inputs run in the default ctest run (and under
 * ASan+UBSan in the sanitizer build).
 *
 * Targets check properties, not just "no crash": a parser accepts exactly
 * its documented grammar, gives the value an independent reference
 * computes, and what it accepts survives a format/parse round trip.  A
 * violated property calls fuzz_fail(), which aborts, so libFuzzer records
 * the input as a crash and the replay test fails.
 */
#ifndef DU_FUZZ_H
#define DU_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Longest input a target looks at; parsers take command-line words and short files. */
#define FUZZ_MAX_INPUT 4096

static inline __du_noreturn __du_printf(4, 5) void fuzz_fail(const char *file, int line,
							     const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: property violated: %s\n  ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                         \
	} while (0)

/*
 * The input as a NUL-terminated string (a new allocation, so ASan sees
 * reads past the end), cut at the first NUL byte: the parsers take C
 * strings, which cannot contain one.  NULL if the input is too long.
 */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s;

	if (size > FUZZ_MAX_INPUT)
		return NULL;
	s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
