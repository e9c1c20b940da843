// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * failnth_sweep - run one fault-injection sweep case in the test VM.
 *
 *   failnth_sweep --list
 *   failnth_sweep [--no-kmemleak] CASE
 *   failnth_sweep --kmemleak-clear | --kmemleak-check WHAT
 *
 * Runs CASE's operation with fail-nth = 1, 2, ... until it no longer reaches
 * the fault (failnth.h), in a cgroup of its own (so memory.stat baselines
 * are this process's), then checks kmemleak.  Prints "# " lines: one per run
 * (result and the call site of the injected fault) and a summary
 * "# CASE: N injection points ...".  Exit status: 0 passed, 1 failed,
 * 77 skipped (the kernel lacks what the case needs), 2 usage/setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pci.h" /* du_sysfs_write() */
#include "sweep.h"

static const struct sweep_case *const tables[] = {
	sweep_stock,
	sweep_dmaheap,
	sweep_syncobj,
	sweep_vfio,
};

static const struct sweep_case *find_case(const char *name)
{
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (const struct sweep_case *c = tables[t]; c->name; c++)
			if (streq(c->name, name))
				return c;
	return NULL;
}

static char cgroup_dir[64];

/* A memory cgroup of our own, so memory.stat counts only this process. */
static void enter_cgroup(void)
{
	char pid[16];

	snprintf(cgroup_dir, sizeof(cgroup_dir), "/sys/fs/cgroup/du-sweep-%d", (int)getpid());
	if (mkdir(cgroup_dir, 0755)) {
		printf("# no cgroup of our own (%s): baselines are the root's\n", strerror(errno));
		cgroup_dir[0] = '\0';
		return;
	}
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (du_sysfs_write(strcat(strcpy((char[96]){ 0 }, cgroup_dir), "/cgroup.procs"), pid))
		printf("# cannot enter %s\n", cgroup_dir);
}

static void leave_cgroup(void)
{
	char pid[16];

	if (!cgroup_dir[0])
		return;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	du_sysfs_write("/sys/fs/cgroup/cgroup.procs", pid);
	rmdir(cgroup_dir);
}

/* Exit status: 0 clean, 1 leaks or scan failure, 77 no kmemleak. */
static int kmemleak_clear_only(void)
{
	int r = fn_kmemleak_clear();

	if (r == -ENOENT)
		return 77;
	if (r)
		printf("# kmemleak: cannot clear: %s\n", strerror(-r));
	return r ? 1 : 0;
}

static int kmemleak_check_only(const char *what)
{
	int leaks = fn_kmemleak_check(what);

	if (leaks == -ENOENT)
		return 77;
	if (leaks < 0) {
		printf("# kmemleak scan failed: %s\n", strerror(-leaks));
		return 1;
	}
	printf("# %s: kmemleak: %d new suspected leaks\n", what, leaks);
	return leaks ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct sweep_case *c;
	bool kmemleak = true;
	struct fn_report rep;
	void *ctx = NULL;
	int r, status = 0;

	if (argc == 2 && streq(argv[1], "--list")) {
		for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
			for (c = tables[t]; c->name; c++)
				printf("%s\t%s\n", c->name, c->op.name);
		return 0;
	}
	/* Whole-run leak check: a kmemleak scan costs ~30 s in the TCG debug VM. */
	if (argc == 2 && streq(argv[1], "--kmemleak-clear"))
		return kmemleak_clear_only();
	if (argc == 3 && streq(argv[1], "--kmemleak-check"))
		return kmemleak_check_only(argv[2]);
	if (argc == 3 && streq(argv[1], "--no-kmemleak")) {
		kmemleak = false;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: failnth_sweep [--no-kmemleak] CASE | --list | "
				"--kmemleak-clear | --kmemleak-check WHAT\n");
		return 2;
	}
	c = find_case(argv[1]);
	if (!c) {
		fprintf(stderr, "failnth_sweep: unknown case '%s' (see --list)\n", argv[1]);
		return 2;
	}
	if (c->needs && access(c->needs, F_OK)) {
		printf("# %s: %s missing\n", c->name, c->needs);
		return 77;
	}
	r = fn_setup();
	if (r) {
		fprintf(stderr, "failnth_sweep: fault injection: %s\n", strerror(-r));
		return r == -ENOENT ? 77 : 2;
	}
	enter_cgroup();
	if (kmemleak && fn_kmemleak_clear() == -ENOENT) {
		printf("# kmemleak: not in this kernel\n");
		kmemleak = false;
	}
	if (c->setup) {
		r = c->setup(&ctx);
		if (r) {
			/* A device the kernel does not have: skip, like a missing path. */
			bool skip = r == -ENOENT || r == -EOPNOTSUPP || r == -ENODEV;

			if (skip)
				printf("# %s: setup: %s\n", c->name, strerror(-r));
			else
				fprintf(stderr, "failnth_sweep: %s: setup: %s\n", c->name,
					strerror(-r));
			if (c->teardown && ctx)
				c->teardown(ctx);
			leave_cgroup();
			return skip ? 77 : 2;
		}
	}
	if (fn_sweep(&c->op, ctx, 0, c->want_site, &rep))
		status = 1;
	if (c->want_site) {
		printf("# %s: a fault in %s: %s\n", c->name, c->want_site,
		       rep.found_site ? "yes" : "no");
		if (!rep.found_site)
			status = 1;
	}
	if (c->teardown)
		c->teardown(ctx);
	/* Leaks or a failed scan fail the case. */
	if (kmemleak && kmemleak_check_only(c->name))
		status = 1;
	leave_cgroup();
	printf("# %s: %s: %u injection points, %s\n", c->name, c->op.name, rep.points,
	       status ? "FAILED" : "passed");
	return status;
}
