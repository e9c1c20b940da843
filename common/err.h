/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * err.h - diagnostics and exit codes shared by all dmabuf-utils tools.
 *
 * Every message has the shape "tool: [context: ]object: what failed: strerror"
 * on stderr.  The context is set by batch mode ("line 12") so that errors in a
 * script point at the line that caused them.
 *
 * Library code and subcommands return -errno or an exit code rather than
 * exiting, so that batch mode can report an error and go on; du_die() is for
 * the few places where going on makes no sense (allocation failure).
 *
 * Exit codes are part of the interface and documented in every man page:
 *   0  success
 *   1  the operation failed (the kernel or the system refused it)
 *   2  usage error (bad option, bad argument, unparsable value)
 *   3  a kernel feature the command needs is missing
 *   4  a wait timed out (kept apart from 1 so scripts can poll)
 */
#ifndef DU_ERR_H
#define DU_ERR_H

#include <stdbool.h>

#include "c.h"

enum du_exit {
	DU_EXIT_SUCCESS = 0,
	DU_EXIT_FAILURE = 1,
	DU_EXIT_USAGE = 2,
	DU_EXIT_NOFEATURE = 3,
	DU_EXIT_TIMEOUT = 4,
};

/* Name printed in front of every message; set once by du_tool_main(). */
extern const char *du_program_name;
/* "tool subcommand" while a subcommand runs, for "Try '... --help'". */
extern const char *du_command_name;

void du_err_set_context(const char *fmt, ...) __du_printf(1, 2);
void du_err_clear_context(void);

/* Print a message; errnum 0 means no strerror part. */
void du_report(int errnum, const char *fmt, ...) __du_printf(2, 3);
void du_warnx(const char *fmt, ...) __du_printf(1, 2);

/* Print a message and exit with @code. */
__du_noreturn void du_die(int code, int errnum, const char *fmt, ...) __du_printf(3, 4);

/* Print a usage error plus "Try 'tool --help'" and exit 2. */
__du_noreturn void du_usage_error(const char *fmt, ...) __du_printf(1, 2);

/* Print only "Try '... --help'" (the error was reported already) and exit 2. */
__du_noreturn void du_try_help(void);

#endif
