// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alloc.c - `dmaheapctl alloc`: allocate dma-bufs from a heap, optionally
 * charged to another process's memory cgroup (charge_pid_fd), optionally
 * filled, then hold them or run a command that inherits them.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "dmaheapctl.h"
#include "err.h"
#include "fdref.h"
#include "output.h"
#include "parse.h"
#include "procfs.h"

enum { COL_FD, COL_INODE, COL_SIZE, COL_HEAP, COL_CGROUP, COL_PID };

static const struct du_colinfo alloc_columns[] = {
	[COL_FD] = { "FD", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "dma-buf file descriptor" },
	[COL_INODE] = { "INODE", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "dma-buf inode number" },
	[COL_SIZE] = { "SIZE", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		       "size of the buffer (page-aligned)" },
	[COL_HEAP] = { "HEAP", 0, 0, SCOLS_JSON_STRING, "heap it was allocated from" },
	[COL_CGROUP] = { "CGROUP", 0, 0, SCOLS_JSON_STRING,
			 "memory cgroup charged for it; - (null) when not charged" },
	[COL_PID] = { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "process holding the fd" },
};

static const int alloc_default_columns[] = { COL_FD, COL_INODE, COL_SIZE, COL_HEAP, COL_CGROUP };

#define DEFAULT_FD_FLAGS (O_RDWR | O_CLOEXEC)

struct alloc_args {
	struct du_output out;
	const char *heap;
	const char *size_arg;
	uint64_t size;
	uint64_t count;
	pid_t charge_pid;
	const char *charge_pidfd;
	uint32_t fd_flags;
	bool fd_flags_set;
	int fill; /* -1: none */
	bool hold;
	int64_t hold_ns;
	uint32_t padding;
	bool bytes;
	char **cmd; /* after "--" */
	int nargs;
};

enum {
	OPT_CHARGE_PID = 0x100,
	OPT_CHARGE_PIDFD,
	OPT_FD_FLAGS,
	OPT_FILL,
	OPT_HOLD,
	OPT_PADDING,
};

static uint32_t parse_fd_flags(const char *arg)
{
	_cleanup_free_ char *copy = xstrdup(arg);
	uint32_t flags = 0;
	char *tok, *save = NULL;
	bool mode = false;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t acc = UINT32_MAX;

		if (streq(tok, "rdwr"))
			acc = O_RDWR;
		else if (streq(tok, "rdonly"))
			acc = O_RDONLY;
		else if (streq(tok, "wronly"))
			acc = O_WRONLY;
		else if (streq(tok, "cloexec"))
			flags |= O_CLOEXEC;
		else
			du_usage_error("--fd-flags %s: unknown flag '%s' (rdwr, rdonly, wronly, "
				       "cloexec)",
				       arg, tok);
		if (acc != UINT32_MAX) {
			if (mode)
				du_usage_error("--fd-flags %s: more than one access mode", arg);
			mode = true;
			flags |= acc;
		}
	}
	if (!mode)
		flags |= O_RDWR;
	return flags;
}

static error_t alloc_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct alloc_args *a = state->input;
	uint32_t v;
	int n;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case 'c':
		if (du_parse_u64(arg, &a->count) || a->count == 0)
			du_usage_error("--count %s: not a positive number", arg);
		break;
	case OPT_CHARGE_PID:
		if (du_parse_nonneg_int(arg, &n) || n == 0)
			du_usage_error("--charge-pid %s: not a process id", arg);
		a->charge_pid = n;
		break;
	case OPT_CHARGE_PIDFD:
		a->charge_pidfd = arg;
		break;
	case OPT_FD_FLAGS:
		a->fd_flags = parse_fd_flags(arg);
		a->fd_flags_set = true;
		break;
	case OPT_FILL:
		if (du_parse_u32(arg, &v) || v > 255)
			du_usage_error("--fill %s: not a byte value (0-255 or 0x00-0xff)", arg);
		a->fill = (int)v;
		break;
	case OPT_HOLD:
		a->hold = true;
		a->hold_ns = DU_DURATION_INFINITE;
		if (arg && du_parse_duration(arg, &a->hold_ns))
			du_usage_error("--hold=%s: not a duration (e.g. 10s, 500ms, inf)", arg);
		break;
	case OPT_PADDING:
		if (du_parse_u32(arg, &a->padding))
			du_usage_error("--_padding %s: not a 32-bit number", arg);
		break;
	case 'b':
		a->bytes = true;
		break;
	case ARGP_KEY_ARG:
		if (a->nargs == 0) {
			a->heap = arg;
		} else if (a->nargs == 1) {
			int r = du_parse_size(arg, &a->size);

			a->size_arg = arg;
			if (r)
				du_usage_error("size '%s': not a size (e.g. 4096, 64K, 1M): %s",
					       arg, strerror(-r));
		} else {
			argp_error(state, "unexpected argument '%s' (a command goes after --)",
				   arg);
		}
		a->nargs++;
		break;
	case ARGP_KEY_END:
		if (a->nargs < 2)
			argp_error(state, "HEAP and SIZE are required");
		if (a->size == 0)
			du_usage_error("size '%s': a buffer needs at least one byte: %s",
				       a->size_arg, strerror(EINVAL));
		if (a->charge_pid && a->charge_pidfd)
			argp_error(state, "--charge-pid and --charge-pidfd exclude each other");
		if (a->hold && a->cmd)
			argp_error(state, "--hold and a command exclude each other");
		if (a->count && a->size > UINT64_MAX / a->count)
			du_usage_error("%" PRIu64 " buffers of %s: %s", a->count, a->size_arg,
				       strerror(ERANGE));
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option alloc_options[] = {
	{ "count", 'c', "N", 0, "allocate N buffers (default 1)", 0 },
	{ "charge-pid", OPT_CHARGE_PID, "PID", 0, "charge the memory cgroup of process PID", 0 },
	{ "charge-pidfd", OPT_CHARGE_PIDFD, "FD", 0,
	  "charge the cgroup of the process pidfd FD refers to (N, or PID:FD to take it from "
	  "another process)",
	  0 },
	{ "fd-flags", OPT_FD_FLAGS, "LIST", 0,
	  "rdwr (default), rdonly or wronly, and cloexec (default unless a command follows)", 0 },
	{ "fill", OPT_FILL, "BYTE", 0, "map each buffer and fill it with BYTE", 0 },
	{ "hold", OPT_HOLD, "DURATION", OPTION_ARG_OPTIONAL,
	  "keep the buffers until SIGINT/SIGTERM/SIGHUP (or for DURATION)", 0 },
	{ "bytes", 'b', NULL, 0, "print sizes in bytes", 0 },
	{ "_padding", OPT_PADDING, "N", OPTION_HIDDEN,
	  "(testing purpose) put N in the reserved __padding field", 0 },
	{ 0 }
};

static const struct argp_child alloc_children[] = { { &du_output_argp, 0, "Output:", 0 }, { 0 } };

static const struct argp alloc_argp = {
	.options = alloc_options,
	.parser = alloc_parse_opt,
	.args_doc = "HEAP SIZE [-- COMMAND [ARG...]]",
	.doc = "Allocate dma-bufs of SIZE bytes (rounded up to pages) from HEAP (a name in "
	       "/dev/dma_heap or a path), print their fd, inode, size, heap and the cgroup "
	       "charged, then exit (freeing them), hold them (--hold), or run COMMAND with "
	       "the fds inherited (listed in $DMAHEAPCTL_FDS).\v"
	       "--charge-pid and --charge-pidfd need the kernel feature charge-pid-fd: on a "
	       "kernel without it the request would be silently ignored, so alloc refuses "
	       "with exit status 3.",
	.children = alloc_children,
};

/* --- charge target ---------------------------------------------------------- */

struct charge {
	int pidfd; /* -1: none */
	pid_t pid; /* the process whose cgroup is charged; 0 unknown */
	char *label; /* "--charge-pid 123" for messages */
};

static pid_t pidfd_pid(int pidfd)
{
	struct du_kvlist kv = { 0 };
	const char *v;
	int pid = 0;

	/* fdinfo of a pidfd: "Pid:\t123" (-1 once the process is reaped) */
	if (du_fdinfo_read(getpid(), pidfd, &kv))
		return 0;
	v = du_kvlist_get(&kv, "Pid");
	if (!v || du_parse_nonneg_int(v, &pid))
		pid = 0;
	du_kvlist_free(&kv);
	return pid;
}

static int open_charge(const struct alloc_args *a, struct charge *c)
{
	struct du_fdref ref;
	int fd, err;

	if (a->charge_pid) {
		xasprintf(&c->label, "--charge-pid %d", (int)a->charge_pid);
		fd = du_pidfd_open(a->charge_pid, 0);
		if (fd < 0) {
			err = errno;
			du_report(err, "%s: cannot open a pidfd of process %d", c->label,
				  (int)a->charge_pid);
			return -err;
		}
		c->pid = a->charge_pid;
	} else {
		xasprintf(&c->label, "--charge-pidfd %s", a->charge_pidfd);
		if (du_fdref_parse(a->charge_pidfd, &ref) || ref.kind == DU_FDREF_PATH)
			du_usage_error("--charge-pidfd %s: not a file descriptor (N or PID:FD)",
				       a->charge_pidfd);
		fd = du_fdref_open(c->label, &ref, O_RDONLY, false);
		if (fd < 0)
			return fd;
	}
	/* The kernel reads charge_pid_fd 0 as "no pidfd": never pass descriptor 0. */
	c->pidfd = dh_fd_not_zero(fd);
	if (c->pidfd < 0) {
		du_report(-c->pidfd, "%s: cannot move the pidfd off descriptor 0", c->label);
		return c->pidfd;
	}
	if (!c->pid)
		c->pid = pidfd_pid(c->pidfd);
	return 0;
}

/* The memory cgroup the buffers are charged to, or NULL when they are not charged. */
static char *charged_cgroup(const struct charge *c)
{
	_cleanup_free_ char *cg = NULL, *acct = NULL;
	pid_t pid = c->pid;

	if (c->pidfd < 0) {
		/* Without a pidfd only dma_heap.mem_accounting=Y charges, to the caller. */
		if (du_path_read_str(&acct, "/sys/module/dma_heap/parameters/mem_accounting") ||
		    !streq(acct, "Y"))
			return NULL;
		pid = getpid();
	}
	if (pid <= 0)
		return NULL;
	cg = du_proc_cgroup(pid);
	return cg ? du_cgroup_memcg(cg) : NULL;
}

/* --- allocation --------------------------------------------------------------- */

static void report_alloc_error(const struct alloc_args *a, const struct charge *c, uint64_t index,
			       int err)
{
	_cleanup_free_ char *what = NULL, *size = dh_size_str(a->size, a->bytes);
	_cleanup_free_ char *cg = NULL, *mf = NULL, *max = NULL;

	if (a->count > 1)
		xasprintf(&what, "heap %s: buffer %" PRIu64 " of %" PRIu64, a->heap, index + 1,
			  a->count);
	else
		xasprintf(&what, "heap %s", a->heap);

	if (c->pidfd >= 0 && err == EBADF) {
		du_report(err, "%s: not a pidfd (the kernel refused it as charge_pid_fd)",
			  c->label);
	} else if (c->pidfd >= 0 && err == ESRCH) {
		du_report(err, "%s: the process has exited (or is a kernel thread)", c->label);
	} else if (c->pidfd >= 0 && (err == EACCES || err == EPERM)) {
		cg = charged_cgroup(c);
		du_report(err, "%s: charging %s (process %d) denied by the security policy", what,
			  cg ? cg : "?", (int)c->pid);
	} else if (err == EINVAL && a->padding) {
		du_report(err, "%s: allocation refused: __padding 0x%x is not zero", what,
			  a->padding);
	} else if (c->pidfd >= 0 && err == ENOMEM) {
		cg = charged_cgroup(c);
		mf = cg ? du_cgroup_file(cg, "memory.max") : NULL;
		max = mf ? du_read_file(mf) : NULL;
		if (max)
			max[strcspn(max, "\n")] = '\0';
		if (max && !streq(max, "max"))
			du_report(err, "%s: cannot allocate %s charged to %s (memory.max %s)", what,
				  size, cg, max);
		else
			du_report(err, "%s: cannot allocate %s to be charged to %s", what, size,
				  cg ? cg : "?");
	} else {
		du_report(err, "%s: cannot allocate %s", what, size);
	}
}

static int fill_buffer(int fd, uint64_t size, int byte)
{
	struct dma_buf_sync sync = { DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE };
	void *p;
	int err = 0;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync))
		err = -errno;
	memset(p, byte, size);
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE;
	if (ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync) && !err)
		err = -errno;
	munmap(p, size);
	return err;
}

static int meminfo_total(uint64_t *bytes)
{
	_cleanup_free_ char *text = NULL;
	unsigned long long kb;
	const char *line;
	int r = du_path_read_str(&text, "/proc/meminfo");

	if (r)
		return r;
	line = strstr(text, "MemTotal:");
	if (!line || sscanf(line, "MemTotal: %llu kB", &kb) != 1)
		return -ENOENT;
	*bytes = (uint64_t)kb * 1024;
	return 0;
}

/*
 * The system heap allocates page by page without a limit, so a request
 * larger than the machine's memory would only end in the OOM killer
 * choosing some process to kill: refuse it up front.
 */
static int check_ram(const struct alloc_args *a)
{
	_cleanup_free_ char *want = NULL, *have = NULL;
	uint64_t total;

	if (meminfo_total(&total) || a->size * a->count <= total)
		return 0;
	want = dh_size_str(a->size * a->count, a->bytes);
	have = dh_size_str(total, a->bytes);
	du_report(ENOMEM, "heap %s: %s is more than the memory of this machine (MemTotal %s)",
		  a->heap, want, have);
	return -ENOMEM;
}

/* Progress on a terminal, once the work has taken a second; then every 200 ms. */
struct progress {
	bool enabled, shown;
	struct timespec last;
};

static long elapsed_ms(const struct timespec *from)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - from->tv_sec) * 1000 + (now.tv_nsec - from->tv_nsec) / 1000000;
}

static void progress(struct progress *p, uint64_t done, uint64_t total, uint64_t size)
{
	char buf[32];

	if (!p->enabled || (done == total && !p->shown))
		return;
	if (done < total && elapsed_ms(&p->last) < (p->shown ? 200 : 1000))
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	p->shown = true;
	du_format_size(done * size, buf, sizeof(buf));
	fprintf(stderr, "\r%s: %" PRIu64 "/%" PRIu64 " buffers (%s)%s", du_command_name, done,
		total, buf, done == total ? "\n" : "");
}

static int allocate_all(const struct alloc_args *a, int heap_fd, const struct charge *c, int *fds)
{
	struct progress pr = { .enabled = isatty(STDERR_FILENO) && a->count > 1 };
	uint64_t i;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &pr.last);
	for (i = 0; i < a->count; i++) {
		r = dh_alloc(heap_fd, a->size, a->fd_flags, c->pidfd, a->padding, &fds[i]);
		if (r) {
			if (pr.shown)
				fputc('\n', stderr);
			report_alloc_error(a, c, i, -r);
			goto fail;
		}
		if (a->fill >= 0) {
			struct stat st;

			r = fstat(fds[i], &st) ? -errno : fill_buffer(fds[i], st.st_size, a->fill);
			if (r) {
				du_report(-r, "heap %s: buffer fd %d: cannot fill (--fill)",
					  a->heap, fds[i]);
				i++;
				goto fail;
			}
		}
		progress(&pr, i + 1, a->count, a->size);
	}
	return 0;
fail:
	/* Closing the fds drops the buffers and their charge: nothing stays allocated. */
	while (i-- > 0)
		close(fds[i]);
	return -1;
}

static int print_buffers(struct alloc_args *a, const int *fds, const char *cgroup)
{
	int status = DU_EXIT_SUCCESS;

	du_output_start(&a->out, "dmabufs");
	for (uint64_t i = 0; i < a->count; i++) {
		struct libscols_line *ln = du_output_new_line(&a->out);
		_cleanup_free_ char *size = NULL;
		struct stat st;

		if (fstat(fds[i], &st))
			du_die(DU_EXIT_FAILURE, errno, "buffer fd %d: cannot stat", fds[i]);
		size = dh_size_str(st.st_size, a->bytes || a->out.json);
		du_output_set(&a->out, ln, COL_FD, "%d", fds[i]);
		du_output_set(&a->out, ln, COL_INODE, "%llu", (unsigned long long)st.st_ino);
		du_output_set_str(&a->out, ln, COL_SIZE, size);
		du_output_set_str(&a->out, ln, COL_HEAP, a->heap);
		du_output_set_str(&a->out, ln, COL_CGROUP,
				  cgroup	? cgroup
				  : a->out.json ? NULL
						: "-");
		du_output_set(&a->out, ln, COL_PID, "%d", (int)getpid());
	}
	if (du_output_print(&a->out))
		status = DU_EXIT_FAILURE;
	du_output_free(&a->out);
	return status;
}

static int hold(const struct alloc_args *a)
{
	struct timespec ts, *tp = NULL;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (a->hold_ns != DU_DURATION_INFINITE) {
		ts.tv_sec = a->hold_ns / 1000000000;
		ts.tv_nsec = a->hold_ns % 1000000000;
		tp = &ts;
	}
	do
		sig = sigtimedwait(&set, NULL, tp);
	while (sig < 0 && errno == EINTR);
	return DU_EXIT_SUCCESS;
}

static int run_command(const struct alloc_args *a, const int *fds)
{
	char *list = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&list, &len);

	if (!fp)
		du_die(DU_EXIT_FAILURE, errno, "cannot build $DMAHEAPCTL_FDS");
	for (uint64_t i = 0; i < a->count; i++)
		fprintf(fp, "%s%d", i ? " " : "", fds[i]);
	fclose(fp);
	if (setenv("DMAHEAPCTL_FDS", list, 1))
		du_die(DU_EXIT_FAILURE, errno, "cannot set $DMAHEAPCTL_FDS");
	free(list);
	fflush(NULL);
	execvp(a->cmd[0], a->cmd);
	du_report(errno, "%s: cannot execute", a->cmd[0]);
	return DU_EXIT_FAILURE;
}

static int alloc_run(int argc, char **argv)
{
	struct alloc_args a = { .count = 1, .fill = -1 };
	struct charge c = { .pidfd = -1 };
	_cleanup_free_ char *cgroup = NULL;
	int heap_fd, status = DU_EXIT_FAILURE, *fds = NULL;

	/* Everything after the first "--" is the command, never our options. */
	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "--")) {
			if (i + 1 == argc)
				du_usage_error("no command after --");
			a.cmd = argv + i + 1;
			argv[i] = NULL;
			argc = i;
			break;
		}
	}
	du_output_init(&a.out, alloc_columns, ARRAY_SIZE(alloc_columns), alloc_default_columns,
		       ARRAY_SIZE(alloc_default_columns));
	argp_parse(&alloc_argp, argc, argv, 0, NULL, &a);
	if (!a.fd_flags_set)
		a.fd_flags = a.cmd ? O_RDWR : DEFAULT_FD_FLAGS;

	heap_fd = dh_heap_open(a.heap);
	if (heap_fd < 0)
		return DU_EXIT_FAILURE;
	if (a.charge_pid || a.charge_pidfd) {
		/* A kernel without the feature would silently ignore the pidfd. */
		dh_features_use_heap(heap_fd);
		du_require_feature(dh_features, DH_NFEATURES, "charge-pid-fd");
		if (open_charge(&a, &c))
			goto out;
	}
	if (check_ram(&a))
		goto out;
	fds = xcalloc(a.count, sizeof(*fds));
	if (allocate_all(&a, heap_fd, &c, fds))
		goto out;
	close(heap_fd);
	heap_fd = -1;
	cgroup = charged_cgroup(&c);
	if (c.pidfd >= 0) {
		close(c.pidfd);
		c.pidfd = -1;
	}
	status = print_buffers(&a, fds, cgroup);
	if (status)
		goto out;
	if (a.hold)
		status = hold(&a);
	else if (a.cmd)
		status = run_command(&a, fds);
out:
	if (heap_fd >= 0)
		close(heap_fd);
	if (c.pidfd >= 0)
		close(c.pidfd);
	free(c.label);
	free(fds);
	return status;
}

const struct du_cmd cmd_alloc = {
	"alloc",
	alloc_run,
	"allocate dma-bufs, optionally charged to another process's cgroup",
};
