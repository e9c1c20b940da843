// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmaheap-ioctl: issue one DMA_HEAP_IOCTL_ALLOC exactly as told, for the
 * kernel-side VM tests of the dma-heap charge_pid_fd series (guest scripts
 * tests/vm/guest/dmaheap-selftest.sh and dmaheap-selinux.sh).  It is a raw
 * uapi driver, not a user tool: it passes deliberately bad values through
 * unchanged (closed fds, non-pidfds, nonzero padding, the 24-byte struct) and
 * reports the kernel's errno by name so that a script can compare it.
 *
 *   dmaheap-ioctl [options] HEAP SIZE
 *
 *   -C CONTEXT  write CONTEXT to /proc/self/attr/current first (SELinux
 *               domain switch of this process only)
 *   -g CGROUP   move this process into the cgroup2 directory CGROUP first
 *   -p PID      charge_pid_fd = pidfd_open(PID) (never fd 0)
 *   -s          charge_pid_fd = a pidfd of this process itself
 *   -f N        charge_pid_fd = N, as is (0: no pidfd; a closed fd; ...)
 *   -n FILE     charge_pid_fd = a fd of FILE (not a pidfd)
 *   -c          charge_pid_fd = a pidfd that was open but is closed again
 *   -x          charge_pid_fd = pidfd of a child that exited and was reaped
 *   -z          charge_pid_fd = pidfd of a child that exited, not reaped
 *   -P VALUE    __padding = VALUE
 *   -o          use the old 24-byte struct (no charge_pid_fd, no padding)
 *   -F FLAGS    fd_flags (default O_RDWR|O_CLOEXEC)
 *   -N NAME     name the buffer (DMA_BUF_SET_NAME) after allocating it
 *   -H          hold the buffer after a successful allocation (see below)
 *   -m          with -H, also mmap the buffer (and write to every page)
 *   -k          with -H, fork a child that holds a copy of the fd
 *
 * SIZE takes K, M, G suffixes (powers of 1024).  On success it prints
 * "fd=N ino=I size=S" on stdout; with -H also "pid=P" and, with -k,
 * "holder=P", then "ready", and waits for signals:
 *   SIGUSR1  close the buffer fd (a mapping and the holder keep it alive)
 *   SIGUSR2  munmap the buffer
 *   SIGTERM  exit (the holder child exits when its parent is gone)
 * printing "closed", "unmapped", "exit" as it acts.  On failure it prints
 * "dmaheap-ioctl: DMA_HEAP_IOCTL_ALLOC: <strerror> (<ERRNAME>)" on stderr and
 * exits 1; usage errors exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "dmaheap_alloc24.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static const char *prog = "dmaheap-ioctl";
static volatile sig_atomic_t got_usr1, got_usr2, got_term;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else if (sig == SIGUSR2)
		got_usr2 = 1;
	else
		got_term = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s [-C ctx] [-g cgroup] [-p pid | -s | -f n | -n file | -c | -x | -z]\n"
		"       [-P padding] [-o] [-F fd_flags] [-N name] [-H [-m] [-k]] HEAP SIZE\n",
		prog);
	exit(2);
}

static __attribute__((noreturn)) void fail(const char *what, int err)
{
	const char *name = strerrorname_np(err);

	fprintf(stderr, "%s: %s: %s (%s)\n", prog, what, strerror(err), name ? name : "?");
	exit(1);
}

static unsigned long long parse_size(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		usage();
	switch (*end) {
	case 'G':
		v <<= 10;
		/* fall through */
	case 'M':
		v <<= 10;
		/* fall through */
	case 'K':
		v <<= 10;
		end++;
		break;
	default:
		break;
	}
	if (*end)
		usage();
	return v;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		fail(path, errno);
	if (write(fd, text, strlen(text)) < 0)
		fail(path, errno);
	close(fd);
}

/* A descriptor numbered 1 or higher: charge_pid_fd 0 means "no pidfd". */
static int above_zero(int fd)
{
	int nfd;

	if (fd != 0)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 1);
	if (nfd < 0)
		fail("F_DUPFD_CLOEXEC", errno);
	/* keep fd 0 open so that the dma-buf cannot land on it */
	return nfd;
}

static int pidfd_of(pid_t pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		fail("pidfd_open", errno);
	return above_zero(fd);
}

/* pidfd of a child that has exited; reaped or left a zombie. */
static int pidfd_of_exited_child(int reap)
{
	siginfo_t info;
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0)
		fail("fork", errno);
	if (pid == 0)
		_exit(0);
	fd = pidfd_of(pid);
	/* wait for the exit without reaping, then reap if asked */
	if (waitid(P_PID, pid, &info, WEXITED | WNOWAIT) < 0)
		fail("waitid", errno);
	if (reap && waitpid(pid, NULL, 0) < 0)
		fail("waitpid", errno);
	return fd;
}

static void hold(int buf_fd, size_t size, int map, int keep)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, old;
	void *p = MAP_FAILED;
	pid_t holder = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (map) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, buf_fd, 0);
		if (p == MAP_FAILED)
			fail("mmap", errno);
		for (size_t off = 0; off < size; off += 4096)
			((volatile char *)p)[off] = 1;
	}
	if (keep) {
		holder = fork();
		if (holder < 0)
			fail("fork", errno);
		if (holder == 0) {
			/* the copy of buf_fd inherited here keeps the buffer */
			if (p != MAP_FAILED)
				munmap(p, size);
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			sigprocmask(SIG_SETMASK, &old, NULL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			for (;;)
				pause();
		}
	}

	printf("pid=%d\n", (int)getpid());
	if (holder)
		printf("holder=%d\n", (int)holder);
	printf("ready\n");
	fflush(stdout);

	while (!got_term) {
		sigsuspend(&old);
		if (got_usr1) {
			got_usr1 = 0;
			if (buf_fd >= 0)
				close(buf_fd);
			buf_fd = -1;
			printf("closed\n");
		}
		if (got_usr2) {
			got_usr2 = 0;
			if (p != MAP_FAILED)
				munmap(p, size);
			p = MAP_FAILED;
			printf("unmapped\n");
		}
		fflush(stdout);
	}
	printf("exit\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct dma_heap_allocation_data data = { .fd_flags = O_RDWR | O_CLOEXEC };
	const char *context = NULL, *cgroup = NULL, *file = NULL, *name = NULL;
	int opt, old = 0, do_hold = 0, map = 0, keep = 0;
	int heap_fd, pidfd = -1, ret;
	unsigned long long size;
	char path[4096];
	struct stat st;
	long long raw = -1;
	char mode = 0;

	while ((opt = getopt(argc, argv, "C:g:p:f:n:scxzP:oF:N:Hmk")) != -1) {
		switch (opt) {
		case 'C':
			context = optarg;
			break;
		case 'g':
			cgroup = optarg;
			break;
		case 'p':
		case 'f':
			raw = strtoll(optarg, NULL, 0);
			mode = (char)opt;
			break;
		case 'n':
			file = optarg;
			mode = 'n';
			break;
		case 's':
		case 'c':
		case 'x':
		case 'z':
			mode = (char)opt;
			break;
		case 'P':
			data.__padding = (__u32)strtoul(optarg, NULL, 0);
			break;
		case 'o':
			old = 1;
			break;
		case 'F':
			data.fd_flags = (__u32)strtoul(optarg, NULL, 0);
			break;
		case 'N':
			name = optarg;
			break;
		case 'H':
			do_hold = 1;
			break;
		case 'm':
			map = 1;
			break;
		case 'k':
			keep = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	size = parse_size(argv[optind + 1]);

	if (cgroup) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
		write_file(path, "0");
	}
	if (context)
		write_file("/proc/self/attr/current", context);

	if (strchr(argv[optind], '/'))
		snprintf(path, sizeof(path), "%s", argv[optind]);
	else
		snprintf(path, sizeof(path), "/dev/dma_heap/%s", argv[optind]);
	heap_fd = open(path, O_RDWR | O_CLOEXEC);
	if (heap_fd < 0)
		fail(path, errno);

	switch (mode) {
	case 'p':
		pidfd = pidfd_of((pid_t)raw);
		break;
	case 'f':
		pidfd = (int)raw;
		break;
	case 'n':
		pidfd = open(file, O_RDONLY | O_CLOEXEC);
		if (pidfd < 0)
			fail(file, errno);
		pidfd = above_zero(pidfd);
		break;
	case 's':
		pidfd = pidfd_of(getpid());
		break;
	case 'c':
		pidfd = pidfd_of(getpid());
		close(pidfd);
		break;
	case 'x':
	case 'z':
		pidfd = pidfd_of_exited_child(mode == 'x');
		break;
	default:
		pidfd = 0;
		break;
	}

	data.len = size;
	data.charge_pid_fd = (__u32)pidfd;
	if (old) {
		struct dma_heap_allocation_data_24 d24 = {
			.len = data.len,
			.fd_flags = data.fd_flags,
		};

		ret = ioctl(heap_fd, DMA_HEAP_IOCTL_ALLOC_24, &d24);
		data.fd = d24.fd;
	} else {
		ret = ioctl(heap_fd, DMA_HEAP_IOCTL_ALLOC, &data);
	}
	if (ret < 0)
		fail("DMA_HEAP_IOCTL_ALLOC", errno);
	close(heap_fd);
	if (mode == 'p' || mode == 's' || mode == 'x' || mode == 'z' || mode == 'n')
		close(pidfd);

	if (name && ioctl((int)data.fd, DMA_BUF_SET_NAME_B, name) < 0)
		fail("DMA_BUF_SET_NAME", errno);
	if (fstat((int)data.fd, &st) < 0)
		fail("fstat", errno);
	printf("fd=%u ino=%llu size=%llu\n", data.fd, (unsigned long long)st.st_ino, size);
	fflush(stdout);

	if (do_hold)
		hold((int)data.fd, (size_t)size, map, keep);
	return 0;
}
