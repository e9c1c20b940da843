// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xalloc.c - allocation wrappers that exit on failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "c.h"
#include "err.h"

static void *check(void *p)
{
	if (!p)
		du_die(DU_EXIT_FAILURE, ENOMEM, "cannot allocate memory");
	return p;
}

void *xmalloc(size_t size)
{
	return check(malloc(size ? size : 1));
}

void *xcalloc(size_t nmemb, size_t size)
{
	return check(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *xrealloc(void *ptr, size_t size)
{
	return check(realloc(ptr, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}

int xasprintf(char **strp, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(strp, fmt, ap);
	va_end(ap);
	if (n < 0)
		du_die(DU_EXIT_FAILURE, ENOMEM, "cannot allocate memory");
	return n;
}
