// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * failnth.c - fault-injection sweeps for guest test programs (see failnth.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "failnth.h"
#include "procfs.h"

#define DEBUGFS "/sys/kernel/debug"

static int kmsg_fd = -1;
static __thread int failnth_fd = -1;

void fn_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("#   ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

const char *fn_errname(int err)
{
	static __thread char buf[24];
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ 0, "0" },	      { EPERM, "EPERM" },
		{ ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EIO, "EIO" },	      { EBADF, "EBADF" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" },   { EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
		{ EMFILE, "EMFILE" }, { ENOSPC, "ENOSPC" },
		{ ENOTTY, "ENOTTY" }, { ETIME, "ETIME" },
		{ ENOSYS, "ENOSYS" }, { ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" },   { ETIMEDOUT, "ETIMEDOUT" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

static int write_str(const char *path, const char *val)
{
	int fd, r = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		r = -errno;
	close(fd);
	return r;
}

int fn_setup(void)
{
	static const char *const settings[][2] = {
		/* Sleeping (GFP_KERNEL) allocations are what ioctls make: fail them too. */
		{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
		{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
		{ DEBUGFS "/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ DEBUGFS "/fail_page_alloc/min-order", "0" },
		/* A stack dump per fault (verbose 1 prints only the header), never rate limited. */
		{ DEBUGFS "/failslab/verbose", "2" },
		{ DEBUGFS "/fail_page_alloc/verbose", "2" },
		{ DEBUGFS "/failslab/verbose_ratelimit_interval_ms", "0" },
		{ DEBUGFS "/fail_page_alloc/verbose_ratelimit_interval_ms", "0" },
	};
	int r;

	if (access("/proc/thread-self/fail-nth", F_OK))
		return -ENOENT;
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		r = write_str(settings[i][0], settings[i][1]);
		if (r) {
			fn_fail("%s: cannot write %s: %s", settings[i][0], settings[i][1],
				strerror(-r));
			return r;
		}
	}
	if (kmsg_fd < 0) {
		kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (kmsg_fd < 0)
			return -errno;
	}
	lseek(kmsg_fd, 0, SEEK_END);
	/* Open fail-nth now, so callers counting their fds do not see it appear. */
	return fn_arm(0);
}

int fn_arm(unsigned int nth)
{
	char buf[16];
	int n;

	if (failnth_fd < 0) {
		/* The file refuses writes from any task but its own: open it per thread. */
		failnth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
		if (failnth_fd < 0)
			return -errno;
	}
	n = snprintf(buf, sizeof(buf), "%u", nth);
	if (pwrite(failnth_fd, buf, n, 0) != n)
		return -errno;
	return 0;
}

int fn_armed_left(unsigned int *left)
{
	char buf[16] = "";
	ssize_t n;

	n = pread(failnth_fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	*left = strtoul(buf, NULL, 10);
	return 0;
}

/* Frames that belong to the allocator or to fault injection itself. */
static bool internal_frame(const char *fn)
{
	static const char *const prefixes[] = {
		"dump_stack",	   "show_stack",      "should_fail",	  "__should_fail",
		"fail_dump",	   "slab_pre_alloc",  "kmem_cache_alloc", "__kmem_cache_alloc",
		"kmalloc",	   "__kmalloc",	      "kvmalloc",	  "__kvmalloc",
		"kzalloc",	   "kcalloc",	      "krealloc",	  "__do_krealloc",
		"kmemdup",	   "kstrdup",	      "memdup_user",	  "alloc_pages",
		"__alloc_pages",   "folio_alloc",     "__folio_alloc",	  "alloc_slab_page",
		"allocate_slab",   "new_slab",	      "___slab_alloc",	  "__slab_alloc",
		"__get_free_page", "get_zeroed_page", "prepare_alloc",	  "vmalloc",
		"__vmalloc",	   "kasan",	      "__kasan",	  "slab_alloc",
	};

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(fn, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

enum kmsg_state { KMSG_IDLE, KMSG_HEADER, KMSG_TRACE };

/*
 * Read the kernel log written since the last call and find this thread's
 * injected fault: its kind and the first three frames outside the
 * allocator.  Returns true if a fault record of this thread was found.
 */
static bool kmsg_fault(struct fn_run *r)
{
	enum kmsg_state st = KMSG_IDLE;
	pid_t tid = syscall(SYS_gettid);
	bool found = false, mine = false;
	char rec[8192], kind[24] = "";
	unsigned int frames = 0;
	ssize_t n;

	if (kmsg_fd < 0)
		return false;
	for (;;) {
		char *msg, *p;

		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten records: go on with what is left */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		p = strchr(msg, '\n');
		if (p)
			*p = '\0';
		if (!strncmp(msg, "FAULT_INJECTION: forcing a failure.", 35)) {
			/* "...failure.\x0aname failslab, interval ..." */
			p = strstr(msg, "name ");
			if (p)
				sscanf(p, "name %23[^,]", kind);
			st = KMSG_HEADER;
			mine = false;
			continue;
		}
		if (st == KMSG_HEADER) {
			int cpu, pid;

			if (sscanf(msg, "CPU: %d PID: %d", &cpu, &pid) == 2)
				mine = pid == tid;
			else if (strstr(msg, "Call Trace:"))
				st = mine && !found ? KMSG_TRACE : KMSG_IDLE;
			continue;
		}
		if (st == KMSG_TRACE) {
			char fn[128];
			int len = 0;

			while (*msg == ' ')
				msg++;
			if (!strncmp(msg, "</TASK>", 7)) {
				st = KMSG_IDLE;
				found = true;
				snprintf(r->kind, sizeof(r->kind), "%s", kind);
				continue;
			}
			if (*msg == '<' || !strncmp(msg, "? ", 2))
				continue;
			/* "func+0x1a/0x40": register dumps ("RIP: ...") are not frames. */
			if (sscanf(msg, "%127[A-Za-z0-9_.]%n", fn, &len) != 1 || msg[len] != '+' ||
			    internal_frame(fn))
				continue;
			if (frames < 3) {
				size_t used = strlen(r->site);

				snprintf(r->site + used, sizeof(r->site) - used, "%s%s",
					 frames ? " < " : "", fn);
				frames++;
			}
		}
	}
	return found;
}

int fn_count_fds(void)
{
	struct dirent *de;
	DIR *dir;
	int n = 0;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return -errno;
	while ((de = readdir(dir)))
		n += isdigit((unsigned char)de->d_name[0]) != 0;
	closedir(dir);
	return n - 1; /* the directory's own fd */
}

int fn_memcg_stat(const char *key, uint64_t *value)
{
	_cleanup_free_ char *cg = du_proc_cgroup(getpid());
	_cleanup_free_ char *path = NULL, *text = NULL;
	struct du_kvlist kv = { 0 };
	int r;

	if (!cg)
		return -errno;
	xasprintf(&path, "/sys/fs/cgroup%s/memory.stat", streq(cg, "/") ? "" : cg);
	text = du_read_file(path);
	if (!text)
		return -errno;
	du_kvlist_parse(&kv, text);
	r = du_kvlist_get_u64(&kv, key, value);
	du_kvlist_free(&kv);
	return r;
}

static bool allowed(const struct fn_op *op, int ret)
{
	static const int enomem[] = { ENOMEM, 0 };
	const int *e = op->errnos ? op->errnos : enomem;

	if (ret == 0)
		return true;
	for (; *e; e++)
		if (ret == -*e)
			return true;
	return false;
}

int fn_sweep(const struct fn_op *op, void *ctx, unsigned int max_nth, const char *want_site,
	     struct fn_report *rep)
{
	uint64_t base_before = 0, base_after = 0;
	int fds_before, fds_after, r, status = 0;
	bool have_base = false;
	unsigned int nth;

	memset(rep, 0, sizeof(*rep));
	if (!max_nth)
		max_nth = 1000;
	fds_before = fn_count_fds();
	if (op->baseline) {
		r = op->baseline(ctx, &base_before);
		have_base = r == 0;
		if (r && r != -ENOENT) {
			fn_fail("%s: baseline %s: %s", op->name, op->baseline_name, strerror(-r));
			return -1;
		}
	}
	kmsg_fault(&(struct fn_run){ 0 }); /* drop older records */

	for (nth = 1; nth <= max_nth; nth++) {
		struct fn_run run = { .nth = nth };
		unsigned int left = 0;

		if (op->prepare) {
			r = op->prepare(ctx);
			if (r) {
				fn_fail("%s: prepare (nth %u): %s", op->name, nth, strerror(-r));
				return -1;
			}
		}
		r = fn_arm(nth);
		if (r) {
			fn_fail("%s: cannot arm fail-nth: %s", op->name, strerror(-r));
			return -1;
		}
		run.ret = op->run(ctx);
		r = fn_armed_left(&left);
		fn_arm(0);
		if (r) {
			fn_fail("%s: cannot read fail-nth: %s", op->name, strerror(-r));
			return -1;
		}
		run.injected = left == 0;
		if (run.injected) {
			rep->injected++;
			if (kmsg_fault(&run)) {
				rep->named++;
				if (want_site && strstr(run.site, want_site))
					rep->found_site = true;
			} else {
				rep->nowarn++;
			}
		}
		printf("# %s: nth %u: %s, %s", op->name, nth,
		       run.injected ? "injected" : "not reached", fn_errname(-run.ret));
		if (run.injected)
			printf(" at %s [%s]", run.site[0] ? run.site : "(no trace: __GFP_NOWARN)",
			       run.kind[0] ? run.kind : "?");
		putchar('\n');
		if (run.injected ? !allowed(op, run.ret) : run.ret != -op->final_ret) {
			fn_fail("%s: nth %u: result %s is not allowed", op->name, nth,
				fn_errname(-run.ret));
			rep->bad++;
			status = -1;
		}
		if (op->check && op->check(ctx, &run)) {
			rep->bad++;
			status = -1;
		}
		if (!run.injected)
			break;
		rep->points = nth;
	}
	if (nth > max_nth) {
		fn_fail("%s: still injecting at nth %u: gave up", op->name, max_nth);
		status = -1;
	}
	fds_after = fn_count_fds();
	if (fds_after != fds_before) {
		fn_fail("%s: %d fds open before the sweep, %d after", op->name, fds_before,
			fds_after);
		status = -1;
	}
	if (have_base) {
		r = op->baseline(ctx, &base_after);
		if (r || base_after != base_before) {
			fn_fail("%s: %s %llu before the sweep, %llu after (%s)", op->name,
				op->baseline_name, (unsigned long long)base_before,
				(unsigned long long)base_after, r ? strerror(-r) : "read");
			status = -1;
		}
	}
	printf("# %s: %u injection points reached (%u with a logged call site, %u silent), "
	       "%u bad runs%s%s\n",
	       op->name, rep->points, rep->named, rep->nowarn, rep->bad,
	       have_base ? ", baseline " : "", have_base ? op->baseline_name : "");
	fflush(stdout);
	return status;
}

#define KMEMLEAK DEBUGFS "/kmemleak"

int fn_kmemleak_clear(void)
{
	int r;

	if (access(KMEMLEAK, W_OK))
		return -ENOENT;
	/* Scan first so suspects from before are known, then forget them. */
	r = write_str(KMEMLEAK, "scan");
	if (!r)
		r = write_str(KMEMLEAK, "clear");
	return r;
}

int fn_kmemleak_check(const char *what)
{
	_cleanup_free_ char *report = NULL;
	int r, count = 0;
	char *line, *save = NULL;

	if (access(KMEMLEAK, W_OK))
		return -ENOENT;
	/* kmemleak does not report objects younger than 5 s; two scans settle it. */
	sleep(6);
	r = write_str(KMEMLEAK, "scan");
	if (!r)
		r = write_str(KMEMLEAK, "scan");
	if (r)
		return r;
	report = du_read_file(KMEMLEAK);
	if (!report)
		return -errno;
	for (line = strtok_r(report, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "unreferenced object"))
			count++;
		if (count && count <= 3)
			printf("# kmemleak after %s: %s\n", what, line);
	}
	fflush(stdout);
	return count;
}
