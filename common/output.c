// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output.c - tabular output through libsmartcols, in the style of lsfd.
 */
#include <errno.h>
#include <stdarg.h>
#include <strings.h>

#include "err.h"
#include "output.h"

void du_output_init(struct du_output *out, const struct du_colinfo *infos, size_t ninfos,
		    const int *defaults, size_t ndefaults)
{
	memset(out, 0, sizeof(*out));
	out->infos = infos;
	out->ninfos = ninfos;
	for (size_t i = 0; i < ndefaults && i < DU_MAX_COLUMNS; i++)
		out->columns[out->ncolumns++] = defaults[i];
}

int du_output_column_id(const struct du_output *out, const char *name)
{
	for (size_t i = 0; i < out->ninfos; i++)
		if (!strcasecmp(out->infos[i].name, name))
			return (int)i;
	return -1;
}

int du_output_select(struct du_output *out, const char *list)
{
	_cleanup_free_ char *copy = NULL;
	char *tok, *save = NULL;

	if (*list == '+')
		list++;
	else
		out->ncolumns = 0;
	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int id = du_output_column_id(out, tok);

		if (id < 0) {
			du_report(0, "unknown column: %s", tok);
			return -EINVAL;
		}
		if (out->ncolumns >= DU_MAX_COLUMNS) {
			du_report(0, "too many columns: %s", list);
			return -EINVAL;
		}
		out->columns[out->ncolumns++] = id;
	}
	if (!out->ncolumns) {
		du_report(0, "no columns selected");
		return -EINVAL;
	}
	return 0;
}

int du_output_start(struct du_output *out, const char *name)
{
	out->tb = scols_new_table();
	if (!out->tb)
		du_die(DU_EXIT_FAILURE, ENOMEM, "cannot allocate output table");
	scols_table_set_name(out->tb, name);
	scols_table_enable_json(out->tb, out->json);
	scols_table_enable_raw(out->tb, out->raw);
	scols_table_enable_noheadings(out->tb, out->noheadings);

	for (size_t i = 0; i < out->ncolumns; i++) {
		const struct du_colinfo *ci = &out->infos[out->columns[i]];
		struct libscols_column *cl;

		cl = scols_table_new_column(out->tb, ci->name, ci->whint, ci->flags);
		if (!cl)
			du_die(DU_EXIT_FAILURE, ENOMEM, "cannot allocate output column");
		scols_column_set_json_type(cl, ci->json_type);
	}
	return 0;
}

struct libscols_line *du_output_new_line(struct du_output *out)
{
	struct libscols_line *ln = scols_table_new_line(out->tb, NULL);

	if (!ln)
		du_die(DU_EXIT_FAILURE, ENOMEM, "cannot allocate output line");
	return ln;
}

void du_output_set_str(struct du_output *out, struct libscols_line *ln, int id, const char *str)
{
	for (size_t i = 0; i < out->ncolumns; i++) {
		if (out->columns[i] != id)
			continue;
		if (str && scols_line_set_data(ln, i, str))
			du_die(DU_EXIT_FAILURE, ENOMEM, "cannot set output cell");
	}
}

void du_output_set(struct du_output *out, struct libscols_line *ln, int id, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		du_die(DU_EXIT_FAILURE, ENOMEM, "cannot format output cell");
	va_end(ap);
	du_output_set_str(out, ln, id, s);
}

int du_output_print(struct du_output *out)
{
	int r = scols_print_table(out->tb);

	if (r == 0 && fflush(stdout) == EOF)
		r = -errno;
	if (r) {
		du_report(-r, "cannot write output");
		return r;
	}
	return 0;
}

void du_output_free(struct du_output *out)
{
	scols_unref_table(out->tb);
	out->tb = NULL;
}

void du_output_list_columns(const struct du_output *out, FILE *fp)
{
	for (size_t i = 0; i < out->ninfos; i++)
		fprintf(fp, " %16s  %s\n", out->infos[i].name, out->infos[i].help);
}

enum {
	OPT_LIST_COLUMNS = 0x1000,
};

static const struct argp_option output_options[] = {
	{ "output", 'o', "LIST", 0, "columns to print (+LIST appends to the default)", 0 },
	{ "json", 'J', NULL, 0, "use JSON output format", 0 },
	{ "raw", 'r', NULL, 0, "use raw output format", 0 },
	{ "noheadings", 'n', NULL, 0, "do not print headings", 0 },
	{ "list-columns", OPT_LIST_COLUMNS, NULL, 0, "list the available columns and exit", 0 },
	{ 0 }
};

static error_t output_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct du_output *out = state->input;

	switch (key) {
	case 'o':
		out->columns_arg = arg;
		break;
	case 'J':
		out->json = true;
		break;
	case 'r':
		out->raw = true;
		break;
	case 'n':
		out->noheadings = true;
		break;
	case OPT_LIST_COLUMNS:
		du_output_list_columns(out, stdout);
		exit(DU_EXIT_SUCCESS);
	case ARGP_KEY_END:
		/* Reject a bad -o before any work is done. */
		if (out->columns_arg && du_output_select(out, out->columns_arg))
			du_try_help();
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp du_output_argp = {
	.options = output_options,
	.parser = output_parse_opt,
};
