// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * err.c - diagnostics and exit codes shared by all dmabuf-utils tools.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

const char *du_program_name = "dmabuf-utils";
const char *du_command_name;
static char context[128];

void du_err_set_context(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(context, sizeof(context), fmt, ap);
	va_end(ap);
}

void du_err_clear_context(void)
{
	context[0] = '\0';
}

static void vreport(int errnum, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", du_program_name);
	if (context[0])
		fprintf(stderr, "%s: ", context);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

void du_report(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(errnum, fmt, ap);
	va_end(ap);
}

void du_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(0, fmt, ap);
	va_end(ap);
}

void du_die(int code, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(errnum, fmt, ap);
	va_end(ap);
	exit(code);
}

void du_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(0, fmt, ap);
	va_end(ap);
	du_try_help();
}

void du_try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n",
		du_command_name ? du_command_name : du_program_name);
	exit(DU_EXIT_USAGE);
}
