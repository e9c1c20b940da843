// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd.c - subcommand dispatch shared by the tools.
 */
#include <errno.h>
#include <stdio.h>

#include "c.h"
#include "cmd.h"
#include "err.h"

#ifndef DU_VERSION
#define DU_VERSION "unknown"
#endif

static const struct du_tool *current_tool;

static void print_version(FILE *fp, struct argp_state *state)
{
	(void)state;
	fprintf(fp, "%s (dmabuf-utils) %s\n", current_tool->name, DU_VERSION);
}

static int features_run(int argc, char **argv)
{
	return du_features_run(current_tool->features, current_tool->nfeatures, argc, argv);
}

static const struct du_cmd features_cmd = {
	"features",
	features_run,
	"report which kernel features this tool can use",
};

static char *build_doc(const struct du_tool *tool)
{
	size_t len = 0;
	char *doc = NULL;
	FILE *fp;

	fp = open_memstream(&doc, &len);
	if (!fp)
		du_die(DU_EXIT_FAILURE, errno, "cannot build help text");
	fprintf(fp, "%s\v", tool->summary);
	fprintf(fp, "Commands:\n");
	for (size_t i = 0; i < tool->ncmds; i++)
		fprintf(fp, "  %-18s %s\n", tool->cmds[i]->name, tool->cmds[i]->help);
	if (tool->nfeatures)
		fprintf(fp, "  %-18s %s\n", features_cmd.name, features_cmd.help);
	fprintf(fp, "\nRun '%s COMMAND --help' for the options of a command.\n\n", tool->name);
	fprintf(fp, "Exit status: 0 success, 1 operation failed, 2 usage error, "
		    "3 kernel feature missing, 4 timed out.\n");
	fprintf(fp, "See %s(1) for details.\n", tool->name);
	fclose(fp);
	return doc;
}

struct global_state {
	const struct du_tool *tool;
	int cmd_index;
};

static error_t global_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct global_state *g = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		if (g->tool->global_argp)
			state->child_inputs[0] = g->tool->global_input;
		break;
	case ARGP_KEY_ARG:
		/* The first operand is the command: leave the rest to it. */
		g->cmd_index = state->next - 1;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		if (!g->tool->run_no_command)
			argp_error(state, "no command given");
		break;
	default:
		(void)arg;
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct du_cmd *du_tool_find_cmd(const struct du_tool *tool, const char *name)
{
	for (size_t i = 0; i < tool->ncmds; i++)
		if (streq(tool->cmds[i]->name, name))
			return tool->cmds[i];
	if (tool->nfeatures && streq(name, features_cmd.name))
		return &features_cmd;
	return NULL;
}

int du_tool_run_cmd(const struct du_tool *tool, const struct du_cmd *cmd, int argc, char **argv)
{
	char *saved_argv0 = argv[0];
	char *name;
	int status;

	xasprintf(&name, "%s %s", tool->name, cmd->name);
	argv[0] = name;
	du_command_name = name;
	status = cmd->run(argc, argv);
	du_command_name = NULL;
	argv[0] = saved_argv0;
	free(name);
	return status;
}

int du_tool_main(const struct du_tool *tool, int argc, char **argv)
{
	struct global_state g = { .tool = tool, .cmd_index = -1 };
	struct argp_child children[2] = { { 0 } };
	_cleanup_free_ char *doc = NULL;
	const struct du_cmd *cmd;
	struct argp argp = {
		.parser = global_parse_opt,
		.args_doc = "COMMAND [ARG...]",
	};

	current_tool = tool;
	du_program_name = tool->name;
	argp_program_version_hook = print_version;
	argp_err_exit_status = DU_EXIT_USAGE;
	doc = build_doc(tool);
	argp.doc = doc;
	if (tool->global_argp) {
		children[0].argp = tool->global_argp;
		argp.children = children;
	}

	argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, &g);
	if (g.cmd_index < 0)
		return tool->run_no_command(tool->global_input);
	cmd = du_tool_find_cmd(tool, argv[g.cmd_index]);
	if (!cmd)
		du_usage_error("unknown command: %s", argv[g.cmd_index]);
	return du_tool_run_cmd(tool, cmd, argc - g.cmd_index, argv + g.cmd_index);
}
