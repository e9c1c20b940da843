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

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/*
 * A private fixture tree for the targets that read /proc and /sys through
 * the root prefix (du_path_set_root()).  fuzz_root_create() makes the
 * root, an empty $TMPDIR/du-fuzz-XXXXXX, in @root; fuzz_root_mkdirs()
 * makes @rel and its parents below it (mkdir -p).  A failure aborts:
 * without its fixture a target would check nothing.
 */
static inline void fuzz_root_create(char *root, size_t size)
{
	snprintf(root, size, "%s/du-fuzz-XXXXXX", getenv("TMPDIR") ?: "/tmp");
	if (!mkdtemp(root))
		abort();
}

static inline void fuzz_root_mkdirs(const char *root, const char *rel)
{
	_cleanup_free_ char *dir = NULL;

	xasprintf(&dir, "%s%s", root, rel);
	for (char *p = dir + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	if (mkdir(dir, 0755))
		abort();
}

/* @root/@rel with @data as its contents. */
static inline void fuzz_root_write(const char *root, const char *rel, const void *data, size_t size)
{
	_cleanup_free_ char *path = NULL;
	int fd;

	xasprintf(&path, "%s%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd))
		abort();
}

/*
 * Remove what @tree names below @root, in order: files before their
 * directories, "" (the root itself) last.  For the targets' atexit() handlers.
 */
static inline void fuzz_root_remove(const char *root, const char *const *tree, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *path = NULL;

		xasprintf(&path, "%s%s", root, tree[i]);
		remove(path);
	}
}

#endif
