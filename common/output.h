/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.h - tabular output through libsmartcols, in the style of lsfd.
 *
 * A tool describes its columns once, in a struct du_colinfo table indexed
 * by an enum, plus an array of default column ids.  That one table drives
 * the header, the JSON type of each cell, -o name lookup and
 * --list-columns.  Code that fills a table sets cells by column id and
 * never looks at the output mode: -J, -r and -n are libsmartcols flags.
 *
 * Subcommands add the shared options (-o, -J, -r, -n, --list-columns) by
 * listing du_output_argp as an argp child whose input is a struct du_output.
 */
#ifndef DU_OUTPUT_H
#define DU_OUTPUT_H

#include <argp.h>
#include <libsmartcols.h>
#include <stdbool.h>
#include <stdio.h>

#include "c.h"

struct du_colinfo {
	const char *name;
	double whint; /* width hint, as for scols_table_new_column() */
	int flags; /* SCOLS_FL_* */
	int json_type; /* SCOLS_JSON_* */
	const char *help;
};

#define DU_MAX_COLUMNS 64

struct du_output {
	const struct du_colinfo *infos;
	size_t ninfos;
	int columns[DU_MAX_COLUMNS]; /* selected ids, in output order */
	size_t ncolumns;
	const char *columns_arg; /* -o argument, applied at the end of option parsing */
	bool json, raw, noheadings;
	struct libscols_table *tb;
};

void du_output_init(struct du_output *out, const struct du_colinfo *infos, size_t ninfos,
		    const int *defaults, size_t ndefaults);

/*
 * Apply a -o list: "A,B" replaces the defaults, "+A,B" appends to them.
 * Names are case-insensitive.  Returns 0, or -EINVAL after reporting the
 * unknown column.
 */
int du_output_select(struct du_output *out, const char *list);

/* Look up a column by name; -1 if unknown. */
int du_output_column_id(const struct du_output *out, const char *name);

/* Create the table named @name (the top-level JSON key) with the selected columns. */
int du_output_start(struct du_output *out, const char *name);

struct libscols_line *du_output_new_line(struct du_output *out);

/* Set the cell of column @id if that column is selected. */
void du_output_set(struct du_output *out, struct libscols_line *ln, int id, const char *fmt, ...)
	__du_printf(4, 5);
void du_output_set_str(struct du_output *out, struct libscols_line *ln, int id, const char *str);

int du_output_print(struct du_output *out);
void du_output_free(struct du_output *out);

/* "NAME  help" lines for --list-columns and --help. */
void du_output_list_columns(const struct du_output *out, FILE *fp);

/* argp child providing -o, -J, -r, -n, --list-columns; input: struct du_output. */
extern const struct argp du_output_argp;

#endif
