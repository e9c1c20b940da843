// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for common/fdref.c: parsing every form and opening real fds. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "capture.h"
#include "err.h"
#include "fdref.h"
#include "tap.h"

static void test_parse(void)
{
	static const char *const bad[] = { "",	 "-1",	"3x",	"x",	 ":",		"12:",
					   ":4", "0:3", "1:-2", "1:2:3", "99999999999", "0x3" };
	struct du_fdref r;

	CHECK_INT(0, du_fdref_parse("3", &r), "inherited fd parses");
	CHECK_INT(DU_FDREF_INHERITED, r.kind, "inherited kind");
	CHECK_INT(3, r.fd, "inherited fd number");
	CHECK_INT(0, du_fdref_parse("1234:56", &r), "PID:FD parses");
	CHECK_INT(DU_FDREF_REMOTE, r.kind, "remote kind");
	CHECK_INT(1234, r.pid, "remote pid");
	CHECK_INT(56, r.fd, "remote fd");
	CHECK_INT(0, du_fdref_parse("/dev/syncobj", &r), "path parses");
	CHECK_INT(DU_FDREF_PATH, r.kind, "path kind");
	CHECK_STR("/dev/syncobj", r.path, "path kept");
	CHECK_INT(0, du_fdref_parse("./file:with:colons", &r), "relative path with colons");
	CHECK_INT(DU_FDREF_PATH, r.kind, "anything with a slash is a path");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "\"%s\" is rejected", bad[i]);
		CHECK_INT(-EINVAL, du_fdref_parse(bad[i], &r), what);
	}
}

static struct du_fdref closed_ref;

static void open_closed(void *arg)
{
	(void)arg;
	du_fdref_open("9", &closed_ref, 0, false);
}

static void test_open(void)
{
	char spec[32];
	struct du_fdref r;
	struct captured c;
	struct stat a, b;
	int fd, got;

	fd = open("/dev/null", O_RDONLY);
	snprintf(spec, sizeof(spec), "%d", fd);
	du_fdref_parse(spec, &r);
	CHECK_INT(fd, du_fdref_open(spec, &r, 0, false), "inherited fd returned as is");
	got = du_fdref_open(spec, &r, 0, true);
	CHECK(got >= 0 && got != fd);
	close(got);

	snprintf(spec, sizeof(spec), "%d:%d", (int)getpid(), fd);
	du_fdref_parse(spec, &r);
	got = du_fdref_open(spec, &r, 0, false);
	CHECK(got >= 0 && fstat(got, &a) == 0 && fstat(fd, &b) == 0 && a.st_ino == b.st_ino);
	if (got >= 0)
		close(got);

	du_fdref_parse("9", &closed_ref);
	close(9);
	capture(open_closed, NULL, 2, &c);
	CHECK_STR("test: 9: fd 9 is not open: Bad file descriptor\n", c.text,
		  "closed inherited fd: one line naming the fd and errno");

	snprintf(spec, sizeof(spec), "%d:%d", (int)getpid(), 1000);
	du_fdref_parse(spec, &r);
	CHECK_INT(-EBADF, du_fdref_open(spec, &r, 0, false), "missing remote fd gives EBADF");

	/* pid_max is at most 2^22: this pid cannot exist. */
	du_fdref_parse("4194305:0", &r);
	CHECK_INT(-ESRCH, du_fdref_open("4194305:0", &r, 0, false), "missing process gives ESRCH");

	du_fdref_parse("/nonexistent/x", &r);
	CHECK_INT(-ENOENT, du_fdref_open("/nonexistent/x", &r, O_RDONLY, false),
		  "missing path gives ENOENT");
	close(fd);
}

int main(void)
{
	du_program_name = "test";
	test_parse();
	test_open();
	return tap_done();
}
