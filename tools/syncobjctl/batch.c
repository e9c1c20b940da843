// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * batch.c - `syncobjctl -f FILE`: one command per line, all in one process,
 * so objects can be named instead of juggled as fds:
 *
 *   create --signaled a      # a named syncobj
 *   create b
 *   transfer a b@1
 *   wait b@1 --timeout 1s
 *   close a                  # batch only: drop a name (closing its fd)
 *
 * Words are split at blanks; '...' and "..." quote, backslash escapes, '#'
 * starts a comment.  The batch stops at the first line that fails and
 * exits with its status; every message carries "line N".
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "err.h"
#include "syncobjctl.h"

#define MAX_WORDS 256

/* Split @line in place into @words; returns the count, or -1 (unterminated quote). */
static int split_words(char *line, char **words, int max)
{
	char *in = line, *out = line;
	int n = 0;

	for (;;) {
		char quote = 0;

		while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
			in++;
		if (!*in || *in == '#')
			return n;
		if (n == max)
			return -2;
		words[n++] = out;
		for (; *in; in++) {
			if (quote) {
				if (*in == quote) {
					quote = 0;
					continue;
				}
				if (quote == '"' && *in == '\\' && (in[1] == '"' || in[1] == '\\'))
					in++;
			} else if (*in == '\'' || *in == '"') {
				quote = *in;
				continue;
			} else if (*in == '\\' && in[1]) {
				in++;
			} else if (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r') {
				break;
			}
			*out++ = *in;
		}
		if (quote)
			return -1;
		if (*in)
			in++;
		*out++ = '\0';
	}
}

/* Batch-only: forget names, closing their fds. */
static int batch_close(int argc, char **argv)
{
	if (argc < 2) {
		du_report(0, "close: name the objects to close");
		return DU_EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		size_t j;

		for (j = 0; j < sctl.nnames && !streq(sctl.names[j].name, argv[i]); j++)
			;
		if (j == sctl.nnames) {
			du_report(0, "%s: no object of that name", argv[i]);
			return DU_EXIT_USAGE;
		}
		close(sctl.names[j].fd);
		free(sctl.names[j].name);
		sctl.names[j] = sctl.names[--sctl.nnames];
	}
	return DU_EXIT_SUCCESS;
}

static int run_line(char *line)
{
	char *words[MAX_WORDS + 1];
	const struct du_cmd *cmd;
	int n = split_words(line, words, MAX_WORDS);

	if (n == -1) {
		du_report(0, "unterminated quote");
		return DU_EXIT_USAGE;
	}
	if (n < 0) {
		du_report(0, "more than %d words", MAX_WORDS);
		return DU_EXIT_USAGE;
	}
	if (n == 0)
		return DU_EXIT_SUCCESS;
	words[n] = NULL;
	if (streq(words[0], "close"))
		return batch_close(n, words);
	cmd = du_tool_find_cmd(&sctl_tool, words[0]);
	if (!cmd) {
		du_report(0, "unknown command: %s", words[0]);
		return DU_EXIT_USAGE;
	}
	return du_tool_run_cmd(&sctl_tool, cmd, n, words);
}

int sctl_run_batch(const char *file)
{
	FILE *fp = streq(file, "-") ? stdin : fopen(file, "re");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, status = DU_EXIT_SUCCESS;

	if (!fp) {
		du_report(errno, "%s: cannot open", file);
		return DU_EXIT_FAILURE;
	}
	sctl.batch = true;
	while (status == DU_EXIT_SUCCESS && getline(&line, &cap, fp) >= 0) {
		lineno++;
		du_err_set_context("line %d", lineno);
		status = run_line(line);
		/* Output of one line must not wait for a later line's wait. */
		fflush(stdout);
	}
	if (status == DU_EXIT_SUCCESS && ferror(fp)) {
		du_report(errno, "%s: read error", file);
		status = DU_EXIT_FAILURE;
	}
	du_err_clear_context();
	sctl.batch = false;
	free(line);
	if (fp != stdin)
		fclose(fp);
	return status;
}
