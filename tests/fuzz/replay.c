// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay.c - run a fuzz target over a committed corpus without libFuzzer.
 *
 *   replay-<target> DIR|FILE...
 *
 * Feeds every regular file (directories are read one level deep, in sorted
 * order) to LLVMFuzzerTestOneInput() and prints one TAP line per file.  A
 * violated property aborts the process, so ctest reports the test as failed
 * and the last "# input" line on stderr names the file that did it.  An empty
 * corpus is an error: a replay test that feeds nothing cannot fail.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static int count;

static int replay_file(const char *path)
{
	uint8_t *buf;
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf)
		abort();
	while (len < (size_t)st.st_size) {
		n = read(fd, buf + len, st.st_size - len);
		if (n <= 0) {
			fprintf(stderr, "replay: %s: short read\n", path);
			close(fd);
			free(buf);
			return -1;
		}
		len += n;
	}
	close(fd);
	fprintf(stderr, "# input %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok %d - %s\n", ++count, path);
	return 0;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_dir(const char *dir)
{
	struct dirent **names;
	int n, r = 0;

	n = scandir(dir, &names, NULL, name_cmp);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *path = NULL;
		struct stat st;

		if (names[i]->d_name[0] != '.') {
			xasprintf(&path, "%s/%s", dir, names[i]->d_name);
			if (!stat(path, &st) && S_ISREG(st.st_mode) && replay_file(path))
				r = -1;
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int main(int argc, char **argv)
{
	int r = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			r = -1;
		} else if (S_ISDIR(st.st_mode)) {
			r |= replay_dir(argv[i]);
		} else {
			r |= replay_file(argv[i]);
		}
	}
	printf("1..%d\n", count);
	if (count == 0) {
		fprintf(stderr, "replay: no corpus files found\n");
		return 1;
	}
	return r ? 1 : 0;
}
