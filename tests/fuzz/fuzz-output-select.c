// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-output-select - du_output_select(), the -o column list.
 *
 * Properties: success selects 1..DU_MAX_COLUMNS valid column ids, each
 * named (case-insensitively) by a comma-separated word of the list, in
 * order, after the defaults for a "+" list; failure is -EINVAL; printing
 * the selection back as a list selects the same columns.
 */
#include <errno.h>
#include <stdio.h>
#include <strings.h>
#include <unistd.h>

#include "fuzz.h"
#include "output.h"

static const struct du_colinfo infos[] = {
	{ "FD", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "file descriptor" },
	{ "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "process id" },
	{ "COMMAND", 10, 0, SCOLS_JSON_STRING, "command name" },
	{ "SIZE", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "size" },
	{ "EXP-NAME", 8, 0, SCOLS_JSON_STRING, "exporter" },
	{ "INODE", 6, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "inode" },
	{ "A", 1, 0, SCOLS_JSON_STRING, "one letter" },
	{ "A+B", 1, 0, SCOLS_JSON_STRING, "a plus sign" },
};
static const int defaults[] = { 0, 2, 3 };

static void init(struct du_output *out)
{
	du_output_init(out, infos, ARRAY_SIZE(infos), defaults, ARRAY_SIZE(defaults));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *list = fuzz_cstr(data, size);
	_cleanup_free_ char *words = NULL;
	char printed[DU_MAX_COLUMNS * 16] = "";
	struct du_output out, back;
	size_t first = 0, n = 0;
	char *tok, *save = NULL;
	int r;

	if (!list)
		return 0;
	init(&out);
	r = du_output_select(&out, list);
	FUZZ_CHECK(r == 0 || r == -EINVAL, "returned %d", r);
	if (r)
		return 0;

	FUZZ_CHECK(out.ncolumns >= 1 && out.ncolumns <= DU_MAX_COLUMNS, "%zu columns",
		   out.ncolumns);
	if (list[0] == '+') {
		for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
			FUZZ_CHECK(out.columns[i] == defaults[i], "default %zu replaced", i);
		first = ARRAY_SIZE(defaults);
	}
	/* Each selected column is named by the next word of the list. */
	words = xstrdup(list + (list[0] == '+'));
	for (tok = strtok_r(words, ",", &save); tok; tok = strtok_r(NULL, ",", &save), n++) {
		int id;

		FUZZ_CHECK(first + n < out.ncolumns, "more words than columns");
		id = out.columns[first + n];
		FUZZ_CHECK(id >= 0 && (size_t)id < ARRAY_SIZE(infos), "column id %d", id);
		FUZZ_CHECK(!strcasecmp(infos[id].name, tok), "word \"%s\" selected %s", tok,
			   infos[id].name);
	}
	FUZZ_CHECK(first + n == out.ncolumns, "%zu words, %zu columns", n, out.ncolumns);

	for (size_t i = 0; i < out.ncolumns; i++) {
		strcat(printed, i ? "," : "");
		strcat(printed, infos[out.columns[i]].name);
	}
	init(&back);
	FUZZ_CHECK(du_output_select(&back, printed) == 0 && back.ncolumns == out.ncolumns &&
			   !memcmp(back.columns, out.columns, out.ncolumns * sizeof(int)),
		   "\"%s\" printed as \"%s\" selects other columns", list, printed);
	return 0;
}
