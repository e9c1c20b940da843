/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-exit.h - common/err.h for fuzz targets that call a tool's parsers.
 *
 * The tools' parsers report a bad argument and exit (du_usage_error(),
 * du_die()), which would end the fuzzing process.  Targets that call them
 * link fuzz-exit.c instead of common/err.c: it defines every symbol of
 * err.h, keeps the last message in fuzz_message, and turns the exits into
 * a longjmp back to FUZZ_TRY(), which then returns the exit code.  An exit
 * outside FUZZ_TRY() aborts: it is a bug of the target.
 */
#ifndef DU_FUZZ_EXIT_H
#define DU_FUZZ_EXIT_H

#include <setjmp.h>
#include <stdbool.h>

#include "err.h"

extern jmp_buf fuzz_exit_env;
extern bool fuzz_exit_armed;
extern char fuzz_message[1024]; /* the last message, without the program name */
extern unsigned int fuzz_messages; /* how many were reported since fuzz_exit_reset() */

void fuzz_exit_reset(void);

/* Run @stmt; evaluates to -1 if it returned, or the exit code it exited with. */
#define FUZZ_TRY(stmt)                                                                             \
	({                                                                                         \
		int code_ = setjmp(fuzz_exit_env);                                                 \
		if (!code_) {                                                                      \
			fuzz_exit_armed = true;                                                    \
			stmt;                                                                      \
		}                                                                                  \
		fuzz_exit_armed = false;                                                           \
		code_ ? code_ - 1 : -1;                                                            \
	})

#endif
