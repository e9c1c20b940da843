// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for common/output.c: column selection and the three formats. */
#include <errno.h>

#include "capture.h"
#include "err.h"
#include "output.h"
#include "tap.h"

enum { COL_FD, COL_NAME, COL_SIZE };

static const struct du_colinfo infos[] = {
	[COL_FD] = { "FD", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "file descriptor" },
	[COL_NAME] = { "NAME", 0, 0, SCOLS_JSON_STRING, "buffer name" },
	[COL_SIZE] = { "SIZE", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "size in bytes" },
};

static const int defaults[] = { COL_FD, COL_NAME };

struct mode {
	bool json, raw, noheadings;
	const char *columns;
};

static void print_table(void *arg)
{
	const struct mode *m = arg;
	struct du_output out;
	struct libscols_line *ln;

	du_output_init(&out, infos, ARRAY_SIZE(infos), defaults, ARRAY_SIZE(defaults));
	out.json = m->json;
	out.raw = m->raw;
	out.noheadings = m->noheadings;
	if (m->columns && du_output_select(&out, m->columns))
		exit(DU_EXIT_USAGE);
	du_output_start(&out, "bufs");
	ln = du_output_new_line(&out);
	du_output_set(&out, ln, COL_FD, "%d", 5);
	du_output_set_str(&out, ln, COL_NAME, "fb 0");
	du_output_set(&out, ln, COL_SIZE, "%u", 4096);
	ln = du_output_new_line(&out);
	du_output_set(&out, ln, COL_FD, "%d", 12);
	du_output_set_str(&out, ln, COL_NAME, "cursor");
	du_output_set(&out, ln, COL_SIZE, "%u", 16384);
	du_output_print(&out);
	du_output_free(&out);
}

static void expect(const struct mode *m, const char *expected, const char *what)
{
	struct captured c;

	capture(print_table, (void *)m, 1, &c);
	CHECK_STR(expected, c.text, what);
}

int main(void)
{
	struct captured c;
	struct du_output out;

	du_program_name = "test";
	expect(&(struct mode){ 0 }, "FD NAME\n 5 fb 0\n12 cursor\n", "default columns, table");
	expect(&(struct mode){ .raw = true }, "FD NAME\n5 fb\\x200\n12 cursor\n",
	       "raw output escapes blanks");
	expect(&(struct mode){ .noheadings = true, .columns = "size,fd" }, " 4096  5\n16384 12\n",
	       "-o replaces defaults, case-insensitive, in order");
	expect(&(struct mode){ .raw = true, .noheadings = true, .columns = "+SIZE" },
	       "5 fb\\x200 4096\n12 cursor 16384\n", "+LIST appends to the defaults");
	expect(&(struct mode){ .json = true, .columns = "FD,NAME" },
	       "{\n   \"bufs\": [\n      {\n         \"fd\": 5,\n         \"name\": \"fb 0\"\n"
	       "      },{\n         \"fd\": 12,\n         \"name\": \"cursor\"\n      }\n   ]\n}\n",
	       "JSON: table name is the key, numbers unquoted");

	capture(print_table, &(struct mode){ .columns = "FD,BOGUS" }, 2, &c);
	CHECK_STR("test: unknown column: BOGUS\n", c.text, "unknown column named");
	CHECK_INT(DU_EXIT_USAGE, c.status, "unknown column is a usage error");

	du_output_init(&out, infos, ARRAY_SIZE(infos), defaults, ARRAY_SIZE(defaults));
	CHECK_INT(1, du_output_column_id(&out, "name"), "lookup is case-insensitive");
	CHECK_INT(-1, du_output_column_id(&out, "NAMES"), "no prefix match");
	CHECK_INT(-EINVAL, du_output_select(&out, ""), "empty list rejected");
	return tap_done();
}
