// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-syncobjctl-batch - syncobjctl's batch files (-f FILE): the word
 * splitter and the line dispatcher of tools/syncobjctl/batch.c, included
 * here so its static functions can be called.  The command table is empty
 * (every command is "unknown"), so no line does anything but parse; the
 * batch-only "close" runs against a few bound names.
 *
 * Properties of split_words(): -1 exactly for an unterminated quote (an
 * independent scan of the quoting rules), never more words than asked
 * for, and the words, printed back double-quoted with \" and \\ escaped,
 * split to the same words.  A whole file read by sctl_run_batch() stops
 * at its first failing line with that line's status and a message naming
 * the line, and leaves no name bound that "close" dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz-exit.h"
#include "fuzz.h"

#include "../../tools/syncobjctl/batch.c"

struct sctl sctl;
const struct du_tool sctl_tool = { .name = "syncobjctl", .cmds = NULL, .ncmds = 0 };

/* Reference: does @line end inside a quote (before any comment)? */
static bool unterminated(const char *line)
{
	char quote = 0;
	bool word = false;

	for (const char *p = line; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			else if (quote == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			word = false;
			continue;
		}
		if (!word && *p == '#')
			return false;
		word = true;
		if (*p == '\'' || *p == '"')
			quote = *p;
		else if (*p == '\\' && p[1])
			p++;
	}
	return quote != 0;
}

static void check_split(const char *text)
{
	_cleanup_free_ char *line = xstrdup(text), *printed = NULL;
	char *words[MAX_WORDS + 1], *again[MAX_WORDS + 1];
	size_t len = 0;
	int n, m;

	n = split_words(line, words, MAX_WORDS);
	FUZZ_CHECK(n >= -2 && n <= MAX_WORDS, "split returned %d", n);
	/* -2 (too many words) stops the scan before later quotes are seen. */
	if (n != -2)
		FUZZ_CHECK((n == -1) == unterminated(text), "\"%s\": split %d, unterminated %d",
			   text, n, unterminated(text));
	if (n < 0)
		return;
	for (int i = 0; i < n; i++)
		len += 2 * strlen(words[i]) + 3;
	printed = xcalloc(1, len + 1);
	for (int i = 0, off = 0; i < n; i++) {
		printed[off++] = '"';
		for (const char *p = words[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				printed[off++] = '\\';
			printed[off++] = *p;
		}
		printed[off++] = '"';
		printed[off++] = ' ';
	}
	m = split_words(printed, again, MAX_WORDS);
	FUZZ_CHECK(m == n, "\"%s\": %d words, printed back %d", text, n, m);
	for (int i = 0; i < n; i++)
		FUZZ_CHECK(streq(words[i], again[i]), "\"%s\": word %d \"%s\" read back as \"%s\"",
			   text, i, words[i], again[i]);
}

static const char *const names[] = { "a", "b", "c" };

static void check_file(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/du-fuzz-batch-XXXXXX";
	int fd = mkstemp(path), status;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (sctl_name_lookup(names[i]) < 0)
			sctl_name_add(names[i], open("/dev/null", O_RDONLY | O_CLOEXEC));
	fuzz_exit_reset();
	status = FUZZ_TRY(sctl_run_batch(path));
	unlink(path);
	FUZZ_CHECK(status == -1, "sctl_run_batch exited (%d): %s", status, fuzz_message);
	/* A failing line says which line it was. */
	if (fuzz_messages)
		FUZZ_CHECK(!strncmp(fuzz_message, "line ", 5), "message without its line: \"%s\"",
			   fuzz_message);
	for (size_t i = 0; i < sctl.nnames; i++)
		FUZZ_CHECK(fcntl(sctl.names[i].fd, F_GETFD) >= 0, "name %s: fd %d closed",
			   sctl.names[i].name, sctl.names[i].fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *text = fuzz_cstr(data, size);

	if (!text)
		return 0;
	check_split(text);
	/* The file as the tool reads it, NUL bytes and all. */
	check_file(data, size);
	return 0;
}
