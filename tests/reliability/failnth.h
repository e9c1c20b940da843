/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * failnth.h - fault-injection sweeps for guest test programs.
 *
 * A sweep runs one operation with /proc/thread-self/fail-nth = 1, 2, 3, ...
 * so that the Nth fault-injection point the kernel passes on behalf of this
 * thread (a slab or page allocation, see Documentation/fault-injection) fails,
 * until a run finishes without reaching point N.  Then N - 1 is the number of
 * injection points the operation reaches.  For every run the result must be
 * success or one of the operation's documented errors, the operation's own
 * check must pass (state consistent, objects released), and the fault's call
 * site is read back from the kernel log (/dev/kmsg, verbose=2 stack dumps) so
 * the report names each point.  After the sweep: no fd left open that was not
 * open before, and (if the caller asks) a baseline value back to where it
 * was; fn_kmemleak_check() then scans for leaks.
 *
 * Everything runs in the calling thread: fail-nth is per task.
 */
#ifndef DU_FAILNTH_H
#define DU_FAILNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "c.h"

#define FN_SITE_LEN 200

struct fn_run {
	unsigned int nth; /* fail-nth value armed for this run */
	bool injected; /* the fault fired (fail-nth read back 0) */
	int ret; /* run()'s result: 0 or -errno */
	char kind[24]; /* "failslab", "fail_page_alloc", ... ("" if not logged) */
	char site[FN_SITE_LEN]; /* "callee < caller < caller" ("" if not logged) */
};

struct fn_op {
	const char *name;
	/* Before each run, not armed: create what run() needs. 0 or -errno. */
	int (*prepare)(void *ctx);
	/* The operation under test, armed.  0 or -errno. */
	int (*run)(void *ctx);
	/*
	 * After each run, not armed: check the state the run left (@r says
	 * whether a fault was injected and what run() returned) and release
	 * what prepare()/run() created.  0, or -1 after fn_fail().
	 */
	int (*check)(void *ctx, const struct fn_run *r);
	/* Allowed results of an injected run besides 0 (0-terminated); NULL: ENOMEM. */
	const int *errnos;
	/* Result of the run that reaches no fault (default 0: success). */
	int final_ret;
	/* Optional: a value that must be the same before and after the sweep. */
	int (*baseline)(void *ctx, uint64_t *value);
	const char *baseline_name;
};

struct fn_report {
	unsigned int points; /* injection points reached */
	unsigned int injected; /* runs whose fault fired (== points unless a point is flaky) */
	unsigned int bad; /* runs with a result or check that is not allowed */
	unsigned int named; /* injected runs whose call site was found in the log */
	unsigned int nowarn; /* injected runs with no log record (__GFP_NOWARN) */
	bool found_site; /* fn_sweep(.., want_site): a fault's stack named it */
};

/*
 * Configure fault injection for fail-nth sweeps (once per process): make
 * failslab and fail_page_alloc fail sleeping allocations too (ignore-gfp-wait
 * = N, min-order = 0, ignore-gfp-highmem = N), dump the stack of every
 * injected fault without rate limit (verbose = 2), and open /dev/kmsg.
 * Returns 0 or -errno (no fault injection in this kernel: -ENOENT).
 */
int fn_setup(void);

/*
 * Sweep @op.  Prints one "# " line per run and a summary; fills @rep.  If
 * @want_site is set, rep->found_site tells whether any injected fault's
 * stack contained that function name.  Returns 0 if every run was allowed
 * and the sweep ended (success, no stray fd, baseline back), else -1.
 */
int fn_sweep(const struct fn_op *op, void *ctx, unsigned int max_nth, const char *want_site,
	     struct fn_report *rep);

/* Arm fail-nth for the calling thread (0 disarms); read back what is left. */
int fn_arm(unsigned int nth);
int fn_armed_left(unsigned int *left);

/*
 * kmemleak: fn_kmemleak_clear() forgets the current suspects; after the
 * work, fn_kmemleak_check() waits out kmemleak's minimum object age, scans
 * and returns the number of new suspects (their reports go to stdout as
 * "# " lines), or -errno (-ENOENT: no kmemleak in this kernel).
 */
int fn_kmemleak_clear(void);
int fn_kmemleak_check(const char *what);

/* Number of open fds of this process. */
int fn_count_fds(void);

/* A key of this process's cgroup memory.stat (e.g. "dmabuf"): 0, -ENOENT, -errno. */
int fn_memcg_stat(const char *key, uint64_t *value);

/* Report a failed check as a "# " line (for check() callbacks). */
void fn_fail(const char *fmt, ...) __du_printf(1, 2);

/* Name of an errno value ("ENOMEM"), or its number. */
const char *fn_errname(int err);

#endif
