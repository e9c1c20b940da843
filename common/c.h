/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * c.h - compiler attributes and tiny macros every file in dmabuf-utils uses.
 */
#ifndef DU_C_H
#define DU_C_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define __du_printf(fmt, args) __attribute__((format(printf, fmt, args)))
#define __du_noreturn __attribute__((noreturn))
#define __du_unused __attribute__((unused))
#define __du_cleanup(fn) __attribute__((cleanup(fn)))

static inline int streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* Allocation failures are not recoverable in a command-line tool. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
__du_printf(2, 3) int xasprintf(char **strp, const char *fmt, ...);

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ __du_cleanup(freep)

#endif
