/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd.h - subcommand dispatch shared by the tools, after kmod's tools/.
 *
 * A tool is a table of struct du_cmd.  du_tool_main() parses the tool's
 * global options (--help, --version, plus the tool's own argp, if any) up to
 * the first non-option argument, looks that up in the table and runs it
 * with argv[0] set to "tool command", so each subcommand parses its own
 * options with its own struct argp and its --help names it.  The command
 * list in --help is generated from the same table.  A tool with a features
 * table gets the `features` command for free.
 */
#ifndef DU_CMD_H
#define DU_CMD_H

#include <argp.h>

#include "feature.h"

struct du_cmd {
	const char *name;
	int (*run)(int argc, char **argv); /* returns an exit code (err.h) */
	const char *help;
};

struct du_tool {
	const char *name;
	const char *summary; /* one line: what the tool is for */
	const struct du_cmd *const *cmds;
	size_t ncmds;
	const struct argp *global_argp; /* tool-wide options, or NULL */
	void *global_input; /* input for global_argp */
	/* Kernel features the tool probes; they give it a `features` command. */
	const struct du_feature *features;
	size_t nfeatures;
	/* Run when no command is given (e.g. a batch mode), or NULL: usage error. */
	int (*run_no_command)(void *global_input);
};

int du_tool_main(const struct du_tool *tool, int argc, char **argv);

/* Look a command up by name (also used by batch modes); NULL if unknown. */
const struct du_cmd *du_tool_find_cmd(const struct du_tool *tool, const char *name);

/* Run @cmd with argv[0] rewritten to "tool cmd". */
int du_tool_run_cmd(const struct du_tool *tool, const struct du_cmd *cmd, int argc, char **argv);

#endif
