// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for common/err.c: message shape and exit codes. */
#include <errno.h>

#include "capture.h"
#include "err.h"
#include "tap.h"

static void report_with_errno(void *arg)
{
	(void)arg;
	du_report(EBADF, "fd 7: cannot signal syncobj");
}

static void report_with_context(void *arg)
{
	(void)arg;
	du_err_set_context("line %d", 12);
	du_report(ETIME, "tl@5: wait failed");
}

static void die_nofeature(void *arg)
{
	(void)arg;
	du_die(DU_EXIT_NOFEATURE, 0, "/dev/syncobj: device node absent");
}

static void usage_error(void *arg)
{
	(void)arg;
	du_command_name = "demo wait";
	du_usage_error("bad duration: 5x");
}

int main(void)
{
	struct captured c;

	du_program_name = "demo";
	capture(report_with_errno, NULL, 2, &c);
	CHECK_STR("demo: fd 7: cannot signal syncobj: Bad file descriptor\n", c.text,
		  "tool: object: what failed: strerror");
	CHECK_INT(0, c.status, "du_report does not exit");

	capture(report_with_context, NULL, 2, &c);
	CHECK_STR("demo: line 12: tl@5: wait failed: Timer expired\n", c.text,
		  "batch context goes after the tool name");

	capture(die_nofeature, NULL, 2, &c);
	CHECK_STR("demo: /dev/syncobj: device node absent\n", c.text, "no strerror for errnum 0");
	CHECK_INT(DU_EXIT_NOFEATURE, c.status, "du_die exits with the given code");

	capture(usage_error, NULL, 2, &c);
	CHECK_STR("demo: bad duration: 5x\nTry 'demo wait --help' for more information.\n", c.text,
		  "usage error names the subcommand's help");
	CHECK_INT(DU_EXIT_USAGE, c.status, "usage error exits 2");
	return tap_done();
}
