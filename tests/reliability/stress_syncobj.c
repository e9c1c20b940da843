// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stress_syncobj - many threads on shared timeline syncobjs, fds closed
 * under them, every registered eventfd accounted for.
 *
 *   stress_syncobj [-s SECONDS] [-t THREADS] [-n TIMELINES] [-b BACKEND]
 *
 * BACKEND is /dev/syncobj (default) or a DRM render node (through
 * common/syncobj.h, which drives both the same way).  Worker threads pick
 * random operations on random timelines: signal the next point (one writer
 * at a time per timeline, as a compositor does), wait for a recent or a
 * future point with a short timeout, query, transfer a signaled point to
 * another timeline's next point, export a signaled point as a sync_file
 * and import it at the next point, and register an eventfd for a future
 * point (signaled or available).  A closer thread keeps replacing each
 * timeline's fd by a dup and closing the old one while the workers use it,
 * so some calls see EBADF or, when the number was reused, another object.
 *
 * At the end every timeline is signaled past every point used, and each
 * eventfd whose registration succeeded must have fired exactly once (no
 * lost or double wakeups).  Only EBADF, EINVAL (fd reused for something
 * else), ETIME (wait timeouts) and ENOENT (transfer of a point a wrong
 * timeline lacks) are allowed results.  Prints "# " lines and a summary;
 * exit status 0 if everything held, 1 if not, 2 on setup errors.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "syncobj.h"

#define MAX_TIMELINES 16
#define MAX_THREADS 32
#define MAX_REG_PER_THREAD 256
#define FINAL_POINT (1ULL << 40)

enum op { OP_SIGNAL, OP_WAIT, OP_QUERY, OP_TRANSFER, OP_SYNC_FILE, OP_EVENTFD, NOPS };
static const char *const op_names[NOPS] = { "signal",	"wait",	     "query",
					    "transfer", "sync-file", "eventfd" };

struct timeline {
	_Atomic int fd;
	pthread_mutex_t writer; /* one signaler/importer at a time */
	_Atomic uint64_t last; /* last point signaled through this slot */
};

struct registration {
	int eventfd;
	uint64_t point;
};

struct worker {
	pthread_t thread;
	unsigned int seed;
	struct du_syncobj_ctx ctx;
	unsigned long ops[NOPS], errors[NOPS];
	unsigned long ebadf, einval, etime, enoent;
	unsigned long unexpected;
	int first_unexpected, first_unexpected_op;
	struct registration regs[MAX_REG_PER_THREAD];
	unsigned int nregs;
};

static struct timeline timelines[MAX_TIMELINES];
static unsigned int ntimelines = 8, nthreads = 6;
static const char *backend;
static atomic_bool stop;
static atomic_ulong replaced;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void account(struct worker *w, enum op op, int r)
{
	w->ops[op]++;
	if (!r)
		return;
	w->errors[op]++;
	switch (-r) {
	case EBADF:
		w->ebadf++;
		break;
	case EINVAL:
		w->einval++;
		break;
	case ETIME:
		w->etime++;
		break;
	case ENOENT:
		w->enoent++;
		break;
	default:
		if (!w->unexpected++) {
			w->first_unexpected = -r;
			w->first_unexpected_op = op;
		}
	}
}

/* Signal the next point of @t (under its writer lock). */
static int do_signal(struct worker *w, struct timeline *t)
{
	uint64_t point;
	int fd, r;

	pthread_mutex_lock(&t->writer);
	point = atomic_load(&t->last) + 1;
	fd = atomic_load(&t->fd);
	r = du_syncobj_signal(&w->ctx, &fd, &point, 1);
	if (!r)
		atomic_store(&t->last, point);
	pthread_mutex_unlock(&t->writer);
	return r;
}

static int do_wait(struct worker *w, struct timeline *t)
{
	uint64_t last = atomic_load(&t->last);
	/* A reached point, or one a few ahead (may time out). */
	uint64_t point = last + (rand_r(&w->seed) % 4) - (last ? 1 : 0);
	int fd = atomic_load(&t->fd);

	return du_syncobj_wait(&w->ctx, &fd, &point, 1, DU_SYNCOBJ_WAIT_FOR_SUBMIT,
			       now_ns() + 200000, 0, NULL);
}

static int do_query(struct worker *w, struct timeline *t)
{
	int fd = atomic_load(&t->fd);
	uint64_t point;

	return du_syncobj_query(&w->ctx, &fd, &point, 1, 0);
}

/* A signaled point of @src becomes the next point of @dst. */
static int do_transfer(struct worker *w, struct timeline *src, struct timeline *dst)
{
	uint64_t sp = atomic_load(&src->last), dp;
	int sfd, dfd, r;

	if (!sp)
		return 0;
	pthread_mutex_lock(&dst->writer);
	dp = atomic_load(&dst->last) + 1;
	sfd = atomic_load(&src->fd);
	dfd = atomic_load(&dst->fd);
	r = du_syncobj_transfer(&w->ctx, sfd, sp, dfd, dp, 0);
	if (!r)
		atomic_store(&dst->last, dp);
	pthread_mutex_unlock(&dst->writer);
	return r;
}

/* Export a signaled point of @src as a sync_file, import it as @dst's next point. */
static int do_sync_file(struct worker *w, struct timeline *src, struct timeline *dst)
{
	uint64_t sp = atomic_load(&src->last), dp;
	int sf = -1, r;

	if (!sp)
		return 0;
	r = du_syncobj_export_sync_file(&w->ctx, atomic_load(&src->fd), sp, &sf);
	if (r)
		return r;
	pthread_mutex_lock(&dst->writer);
	dp = atomic_load(&dst->last) + 1;
	r = du_syncobj_import_sync_file(&w->ctx, atomic_load(&dst->fd), dp, sf);
	if (!r)
		atomic_store(&dst->last, dp);
	pthread_mutex_unlock(&dst->writer);
	close(sf);
	return r;
}

static int do_eventfd(struct worker *w, struct timeline *t)
{
	struct registration *reg;
	uint32_t flags = rand_r(&w->seed) & 1 ? DU_SYNCOBJ_WAIT_AVAILABLE : 0;
	int r;

	if (w->nregs == MAX_REG_PER_THREAD)
		return 0;
	reg = &w->regs[w->nregs];
	reg->eventfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (reg->eventfd < 0)
		return -errno;
	reg->point = atomic_load(&t->last) + 1 + rand_r(&w->seed) % 8;
	r = du_syncobj_eventfd(&w->ctx, atomic_load(&t->fd), reg->eventfd, reg->point, flags);
	if (r)
		close(reg->eventfd);
	else
		w->nregs++;
	return r;
}

static void *work(void *arg)
{
	struct worker *w = arg;

	while (!atomic_load(&stop)) {
		enum op op = rand_r(&w->seed) % NOPS;
		struct timeline *a = &timelines[rand_r(&w->seed) % ntimelines];
		struct timeline *b = &timelines[rand_r(&w->seed) % ntimelines];
		int r = 0;

		switch (op) {
		case OP_SIGNAL:
			r = do_signal(w, a);
			break;
		case OP_WAIT:
			r = do_wait(w, a);
			break;
		case OP_QUERY:
			r = do_query(w, a);
			break;
		case OP_TRANSFER:
			r = a == b ? 0 : do_transfer(w, a, b);
			break;
		case OP_SYNC_FILE:
			r = a == b ? 0 : do_sync_file(w, a, b);
			break;
		case OP_EVENTFD:
			r = do_eventfd(w, a);
			break;
		case NOPS:
			break;
		}
		account(w, op, r);
	}
	return NULL;
}

/* Replace each timeline's fd by a dup and close the old one, while it is in use. */
static void *closer(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		for (unsigned int i = 0; i < ntimelines && !atomic_load(&stop); i++) {
			int nfd = dup(atomic_load(&timelines[i].fd)), old;

			if (nfd < 0)
				continue;
			old = atomic_exchange(&timelines[i].fd, nfd);
			close(old);
			atomic_fetch_add(&replaced, 1);
			usleep(500);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static struct worker workers[MAX_THREADS];
	struct rlimit rl = { 65536, 65536 };
	struct du_syncobj_ctx ctx;
	unsigned long total[NOPS] = { 0 }, unexpected = 0, fired_once = 0, lost = 0, extra = 0;
	unsigned long ebadf = 0, einval = 0, etime = 0, enoent = 0, regs = 0;
	double seconds = 10;
	pthread_t closer_thread;
	int64_t start;
	int opt, r, status = 0;

	while ((opt = getopt(argc, argv, "s:t:n:b:")) != -1) {
		switch (opt) {
		case 's':
			seconds = atof(optarg);
			break;
		case 't':
			nthreads = atoi(optarg);
			break;
		case 'n':
			ntimelines = atoi(optarg);
			break;
		case 'b':
			backend = optarg;
			break;
		default:
			fprintf(stderr, "usage: stress_syncobj [-s SEC] [-t THREADS] [-n "
					"TIMELINES] "
					"[-b /dev/syncobj|/dev/dri/renderDN]\n");
			return 2;
		}
	}
	if (!nthreads || nthreads > MAX_THREADS || ntimelines < 2 || ntimelines > MAX_TIMELINES) {
		fprintf(stderr, "stress_syncobj: 1-%d threads, 2-%d timelines\n", MAX_THREADS,
			MAX_TIMELINES);
		return 2;
	}
	setrlimit(RLIMIT_NOFILE, &rl);
	r = du_syncobj_open(&ctx, backend);
	if (r) {
		fprintf(stderr, "stress_syncobj: %s: %s\n", backend ? backend : "syncobj backend",
			strerror(-r));
		return r == -ENODEV || r == -ENOENT || r == -EOPNOTSUPP ? 77 : 2;
	}
	printf("# backend %s (%s), %u threads, %u timelines, %.0f s\n", ctx.path,
	       du_syncobj_backend_name(&ctx), nthreads, ntimelines, seconds);
	for (unsigned int i = 0; i < ntimelines; i++) {
		int fd;

		r = du_syncobj_create(&ctx, 0, &fd);
		if (r) {
			fprintf(stderr, "stress_syncobj: create: %s\n", strerror(-r));
			return 2;
		}
		atomic_init(&timelines[i].fd, fd);
		pthread_mutex_init(&timelines[i].writer, NULL);
	}
	atomic_store(&stop, false);
	for (unsigned int i = 0; i < nthreads; i++) {
		workers[i].seed = 0x5eed + i;
		r = du_syncobj_open(&workers[i].ctx, ctx.path);
		if (r || pthread_create(&workers[i].thread, NULL, work, &workers[i])) {
			fprintf(stderr, "stress_syncobj: worker %u: %s\n", i, strerror(-r));
			return 2;
		}
	}
	pthread_create(&closer_thread, NULL, closer, NULL);
	start = now_ns();
	while ((now_ns() - start) / 1e9 < seconds)
		usleep(100000);
	atomic_store(&stop, true);
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(workers[i].thread, NULL);
	pthread_join(closer_thread, NULL);

	/* Every timeline past every point: each registered eventfd must fire once. */
	for (unsigned int i = 0; i < ntimelines; i++) {
		int fd = atomic_load(&timelines[i].fd);
		uint64_t point = FINAL_POINT;

		r = du_syncobj_signal(&ctx, &fd, &point, 1);
		if (r) {
			printf("# final signal of timeline %u: %s\n", i, strerror(-r));
			status = 1;
		}
	}
	for (unsigned int i = 0; i < nthreads; i++) {
		struct worker *w = &workers[i];

		for (unsigned int j = 0; j < w->nregs; j++) {
			uint64_t count = 0;
			ssize_t n = read(w->regs[j].eventfd, &count, sizeof(count));

			if (n == sizeof(count) && count == 1)
				fired_once++;
			else if (n == sizeof(count))
				extra++;
			else
				lost++;
			close(w->regs[j].eventfd);
		}
		regs += w->nregs;
		for (int op = 0; op < NOPS; op++)
			total[op] += w->ops[op];
		ebadf += w->ebadf;
		einval += w->einval;
		etime += w->etime;
		enoent += w->enoent;
		if (w->unexpected) {
			printf("# worker %u: %lu unexpected errors, first %s from %s\n", i,
			       w->unexpected, strerror(w->first_unexpected),
			       op_names[w->first_unexpected_op]);
			unexpected += w->unexpected;
		}
		du_syncobj_close(&w->ctx);
	}
	for (unsigned int i = 0; i < ntimelines; i++)
		close(atomic_load(&timelines[i].fd));
	du_syncobj_close(&ctx);

	printf("# operations:");
	for (int op = 0; op < NOPS; op++)
		printf(" %s %lu", op_names[op], total[op]);
	printf("\n# fds replaced under the workers: %lu; EBADF %lu, EINVAL %lu, ETIME %lu, "
	       "ENOENT %lu, unexpected %lu\n",
	       atomic_load(&replaced), ebadf, einval, etime, enoent, unexpected);
	printf("# eventfds registered %lu: fired once %lu, lost %lu, fired more than once %lu\n",
	       regs, fired_once, lost, extra);
	if (unexpected || lost || extra)
		status = 1;
	printf("# stress_syncobj: %s\n", status ? "FAILED" : "passed");
	return status;
}
