// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-exit.c - err.h for fuzz targets: messages kept, exits caught (see
 * fuzz-exit.h).  Messages are not printed unless FUZZ_VERBOSE is set, so
 * fuzzing is not slowed down by output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-exit.h"

const char *du_program_name = "fuzz";
const char *du_command_name;
jmp_buf fuzz_exit_env;
bool fuzz_exit_armed;
char fuzz_message[1024];
unsigned int fuzz_messages;
static char context[128];

void fuzz_exit_reset(void)
{
	fuzz_message[0] = '\0';
	fuzz_messages = 0;
	context[0] = '\0';
}

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

__du_printf(2, 0) static void keep(int errnum, const char *fmt, va_list ap)
{
	int n = 0;

	if (context[0])
		n = snprintf(fuzz_message, sizeof(fuzz_message), "%s: ", context);
	vsnprintf(fuzz_message + n, sizeof(fuzz_message) - n, fmt, ap);
	if (errnum) {
		size_t len = strlen(fuzz_message);

		snprintf(fuzz_message + len, sizeof(fuzz_message) - len, ": %s", strerror(errnum));
	}
	fuzz_messages++;
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "%s: %s\n", du_program_name, fuzz_message);
}

void du_report(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep(errnum, fmt, ap);
	va_end(ap);
}

void du_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep(0, fmt, ap);
	va_end(ap);
}

static __du_noreturn void fuzz_exit(int code)
{
	if (!fuzz_exit_armed) {
		fprintf(stderr, "fuzz: exit(%d) outside FUZZ_TRY: %s\n", code, fuzz_message);
		abort();
	}
	longjmp(fuzz_exit_env, code + 1);
}

void du_die(int code, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep(errnum, fmt, ap);
	va_end(ap);
	fuzz_exit(code);
}

void du_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep(0, fmt, ap);
	va_end(ap);
	du_try_help();
}

void du_try_help(void)
{
	fuzz_exit(DU_EXIT_USAGE);
}
