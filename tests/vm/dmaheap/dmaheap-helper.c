// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmaheap-helper - guest-side helpers for the dmaheapctl VM tests: the
 * things a shell cannot do on its own.
 *
 *   dmaheap-helper pidfd PID FD -- CMD...
 *       open a pidfd of PID as descriptor FD (FD may be 0) and exec CMD
 *   dmaheap-helper pidfd --exited FD -- CMD...
 *       the same with a pidfd of a child that has exited and been reaped
 *   dmaheap-helper zombie -- CMD...
 *       fork a child that exits at once, leave it unreaped, and exec CMD
 *       with each argument "{}" replaced by its pid (CMD inherits the zombie)
 *   dmaheap-helper map FD...
 *       map each dma-buf FD whole, close the FDs, print "mapped" and wait
 *       for a signal (the mappings are then the only references it holds)
 *   dmaheap-helper check FD BYTE
 *       map FD read-only; exit 0 if every byte is BYTE
 *   dmaheap-helper json [FILE]
 *       exit 0 if FILE (or stdin) is one valid JSON text (RFC 8259), else
 *       print where it is not and exit 1
 *
 * Exit status 2 for usage errors, 1 for failures.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static __attribute__((noreturn)) void die(const char *what)
{
	fprintf(stderr, "dmaheap-helper: %s: %s\n", what, strerror(errno));
	exit(1);
}

static __attribute__((noreturn)) void usage(void)
{
	fprintf(stderr, "usage: dmaheap-helper pidfd PID|--exited FD -- CMD... | zombie -- CMD... "
			"| map FD... | check FD BYTE | json [FILE]\n");
	exit(2);
}

static int pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static char **after_dashes(int argc, char **argv, int from)
{
	for (int i = from; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return i + 1 < argc ? argv + i + 1 : NULL;
	return NULL;
}

static int cmd_pidfd(int argc, char **argv)
{
	char **cmd = after_dashes(argc, argv, 2);
	int pidfd, fd;
	pid_t pid;

	if (argc < 5 || !cmd)
		usage();
	fd = atoi(argv[3]);
	if (!strcmp(argv[2], "--exited")) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		pidfd = pidfd_open(pid);
		if (pidfd < 0)
			die("pidfd_open(child)");
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid");
	} else {
		pid = atoi(argv[2]);
		pidfd = pidfd_open(pid);
		if (pidfd < 0)
			die("pidfd_open");
	}
	if (pidfd != fd) {
		if (dup2(pidfd, fd) < 0)
			die("dup2");
		close(pidfd);
	}
	execvp(cmd[0], cmd);
	die(cmd[0]);
}

static int cmd_zombie(int argc, char **argv)
{
	char **cmd = after_dashes(argc, argv, 2);
	char buf[16];
	pid_t pid;

	if (!cmd)
		usage();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(0);
	/* Wait for it to exit without reaping it: it stays a zombie under CMD. */
	siginfo_t si = { 0 };

	if (waitid(P_PID, pid, &si, WEXITED | WNOWAIT))
		die("waitid");
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (int i = 0; cmd[i]; i++)
		if (!strcmp(cmd[i], "{}"))
			cmd[i] = buf;
	execvp(cmd[0], cmd);
	die(cmd[0]);
}

static int cmd_map(int argc, char **argv)
{
	sigset_t set;
	int sig;

	if (argc < 3)
		usage();
	for (int i = 2; i < argc; i++) {
		int fd = atoi(argv[i]);
		struct stat st;

		if (fstat(fd, &st))
			die(argv[i]);
		if (mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
			die("mmap");
		close(fd);
	}
	printf("mapped\n");
	fflush(stdout);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	unsigned char *p;
	struct stat st;
	long byte;
	int fd;

	if (argc != 4)
		usage();
	fd = atoi(argv[2]);
	byte = strtol(argv[3], NULL, 0);
	if (fstat(fd, &st))
		die(argv[2]);
	p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (off_t i = 0; i < st.st_size; i++) {
		if (p[i] != byte) {
			fprintf(stderr, "dmaheap-helper: byte %lld is 0x%02x, not 0x%02lx\n",
				(long long)i, p[i], byte);
			return 1;
		}
	}
	printf("%lld bytes of 0x%02lx\n", (long long)st.st_size, byte);
	return 0;
}

/* --- a strict JSON validator ------------------------------------------------ */

struct json {
	const char *s;
	size_t pos, len;
	const char *err;
	int depth;
};

static void ws(struct json *j)
{
	while (j->pos < j->len && strchr(" \t\r\n", j->s[j->pos]))
		j->pos++;
}

static bool fail(struct json *j, const char *what)
{
	if (!j->err)
		j->err = what;
	return false;
}

static bool lit(struct json *j, const char *word)
{
	size_t n = strlen(word);

	if (j->len - j->pos < n || strncmp(j->s + j->pos, word, n))
		return fail(j, "bad literal");
	j->pos += n;
	return true;
}

static bool string(struct json *j)
{
	j->pos++; /* opening quote */
	while (j->pos < j->len) {
		unsigned char c = j->s[j->pos++];

		if (c == '"')
			return true;
		if (c < 0x20)
			return fail(j, "control character in string");
		if (c != '\\')
			continue;
		if (j->pos >= j->len)
			break;
		c = j->s[j->pos++];
		if (c == 'u') {
			for (int i = 0; i < 4; i++)
				if (j->pos >= j->len || !isxdigit((unsigned char)j->s[j->pos++]))
					return fail(j, "bad \\u escape");
		} else if (!strchr("\"\\/bfnrt", c)) {
			return fail(j, "bad escape");
		}
	}
	return fail(j, "unterminated string");
}

static bool digits(struct json *j)
{
	size_t start = j->pos;

	while (j->pos < j->len && isdigit((unsigned char)j->s[j->pos]))
		j->pos++;
	return j->pos > start || fail(j, "digit expected");
}

static bool number(struct json *j)
{
	if (j->s[j->pos] == '-')
		j->pos++;
	if (j->pos < j->len && j->s[j->pos] == '0')
		j->pos++;
	else if (!digits(j))
		return false;
	if (j->pos < j->len && j->s[j->pos] == '.') {
		j->pos++;
		if (!digits(j))
			return false;
	}
	if (j->pos < j->len && (j->s[j->pos] == 'e' || j->s[j->pos] == 'E')) {
		j->pos++;
		if (j->pos < j->len && (j->s[j->pos] == '+' || j->s[j->pos] == '-'))
			j->pos++;
		if (!digits(j))
			return false;
	}
	return true;
}

static bool value(struct json *j);

static bool members(struct json *j, char close, bool keys)
{
	if (++j->depth > 64)
		return fail(j, "nested too deeply");
	j->pos++;
	ws(j);
	if (j->pos < j->len && j->s[j->pos] == close) {
		j->pos++;
		j->depth--;
		return true;
	}
	for (;;) {
		ws(j);
		if (keys) {
			if (j->pos >= j->len || j->s[j->pos] != '"')
				return fail(j, "key expected");
			if (!string(j))
				return false;
			ws(j);
			if (j->pos >= j->len || j->s[j->pos++] != ':')
				return fail(j, "':' expected");
		}
		if (!value(j))
			return false;
		ws(j);
		if (j->pos >= j->len)
			return fail(j, "unterminated object or array");
		if (j->s[j->pos] == ',') {
			j->pos++;
			continue;
		}
		if (j->s[j->pos++] != close)
			return fail(j, "',' or closing bracket expected");
		j->depth--;
		return true;
	}
}

static bool value(struct json *j)
{
	ws(j);
	if (j->pos >= j->len)
		return fail(j, "value expected");
	switch (j->s[j->pos]) {
	case '{':
		return members(j, '}', true);
	case '[':
		return members(j, ']', false);
	case '"':
		return string(j);
	case 't':
		return lit(j, "true");
	case 'f':
		return lit(j, "false");
	case 'n':
		return lit(j, "null");
	default:
		if (j->s[j->pos] == '-' || isdigit((unsigned char)j->s[j->pos]))
			return number(j);
		return fail(j, "value expected");
	}
}

static int cmd_json(int argc, char **argv)
{
	FILE *fp = argc > 2 ? fopen(argv[2], "r") : stdin;
	struct json j = { 0 };
	char *buf = NULL;
	size_t cap = 0, n;

	if (!fp)
		die(argv[2]);
	do {
		buf = realloc(buf, cap + 65536);
		if (!buf)
			die("realloc");
		n = fread(buf + cap, 1, 65536, fp);
		cap += n;
	} while (n == 65536);
	j.s = buf;
	j.len = cap;
	if (value(&j)) {
		ws(&j);
		if (j.pos != j.len)
			fail(&j, "text after the value");
	}
	if (j.err) {
		fprintf(stderr, "dmaheap-helper: json: offset %zu: %s\n", j.pos, j.err);
		return 1;
	}
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "pidfd"))
		return cmd_pidfd(argc, argv);
	if (!strcmp(argv[1], "zombie"))
		return cmd_zombie(argc, argv);
	if (!strcmp(argv[1], "map"))
		return cmd_map(argc, argv);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc, argv);
	if (!strcmp(argv[1], "json"))
		return cmd_json(argc, argv);
	usage();
}
