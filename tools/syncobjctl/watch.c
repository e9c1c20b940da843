// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * watch.c - `syncobjctl watch`: print a timestamped line (or a JSON object)
 * as each point signals (or becomes available), the way a compositor sees
 * its clients' timelines: one eventfd registration per point, no polling
 * of the syncobj, nothing held but the eventfds.  --follow re-arms after
 * every event and so traces a timeline as it advances.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "err.h"
#include "parse.h"
#include "syncobjctl.h"

struct watch_args {
	bool available, follow, json;
	int64_t timeout;
	long count; /* --follow: stop after this many events (0: never) */
	int raw_eventfd; /* --_eventfd: register this fd instead (testing purpose), or -1 */
	struct sctl_operands ops;
};

struct watch_item {
	struct sref *ref;
	int efd; /* -1 once done */
	uint64_t point;
};

enum {
	OPT_AVAILABLE = 0x3600,
	OPT_FOLLOW,
	OPT_COUNT,
	OPT_RAW_EVENTFD,
};

static const struct argp_option watch_options[] = {
	{ "available", OPT_AVAILABLE, NULL, 0,
	  "report points becoming available (a fence attached), not signaling", 0 },
	{ "follow", OPT_FOLLOW, NULL, 0,
	  "keep going: after each event, watch the point after the one reached", 0 },
	{ "count", OPT_COUNT, "N", 0, "with --follow: stop after N events", 0 },
	{ "timeout", 't', "DUR", 0, "stop after DUR: exit 4 if points are left (0 with --follow)",
	  0 },
	{ "json", 'J', NULL, 0, "one JSON object per line", 0 },
	{ "_eventfd", OPT_RAW_EVENTFD, "N", OPTION_HIDDEN,
	  "register fd N instead of a new eventfd (testing purpose)", 0 },
	{ 0 }
};

static error_t watch_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct watch_args *a = state->input;
	int v, e;

	switch (key) {
	case OPT_AVAILABLE:
		a->available = true;
		break;
	case OPT_FOLLOW:
		a->follow = true;
		break;
	case OPT_COUNT:
		if (du_parse_nonneg_int(arg, &v) || v == 0)
			du_usage_error("--count: not a positive number: %s", arg);
		a->count = v;
		break;
	case 't':
		e = du_parse_duration(arg, &a->timeout);
		if (e)
			du_usage_error("--timeout: %s duration: %s",
				       e == -ERANGE ? "out of range" : "bad", arg);
		break;
	case 'J':
		a->json = true;
		break;
	case OPT_RAW_EVENTFD:
		if (du_parse_nonneg_int(arg, &a->raw_eventfd))
			du_usage_error("--_eventfd: not an fd number: %s", arg);
		break;
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->ops;
		break;
	case ARGP_KEY_END:
		if (a->count && !a->follow)
			du_usage_error("--count only applies with --follow");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child watch_children[] = { { &sctl_operands_argp, 0, NULL, 0 }, { 0 } };

static const struct argp watch_argp = {
	.options = watch_options,
	.parser = watch_parse_opt,
	.args_doc = "REF[@POINT]...",
	.doc = "Print one line per point as it signals: CLOCK_MONOTONIC time in seconds (the "
	       "clock of the kernel log and of wait's timeouts), the reference, the point and "
	       "the event.  Exits when every point has been reported.  Without @POINT --follow "
	       "starts after the current last signaled point.",
	.children = watch_children,
};

static int arm(struct du_syncobj_ctx *ctx, struct watch_item *it, const struct watch_args *a)
{
	int r;

	r = du_syncobj_eventfd(ctx, it->ref->fd, it->efd, it->point,
			       a->available ? DU_SYNCOBJ_WAIT_AVAILABLE : 0);
	return r ? sctl_fail("watch", -r, it->ref, 1, NULL) : DU_EXIT_SUCCESS;
}

static void report(const struct watch_item *it, const struct watch_args *a)
{
	int64_t now = sctl_now();
	const char *event = a->available ? "available" : "signaled";

	/* References are validated (digits, ':', names of [A-Za-z0-9_.-]): no escaping needed. */
	if (a->json)
		printf("{\"time\": %" PRId64 ".%06" PRId64 ", \"ref\": \"%s\", \"point\": %" PRIu64
		       ", \"event\": \"%s\"}\n",
		       now / 1000000000, now % 1000000000 / 1000, it->ref->spec, it->point, event);
	else
		printf("%" PRId64 ".%06" PRId64 " %s@%" PRIu64 " %s\n", now / 1000000000,
		       now % 1000000000 / 1000, it->ref->spec, it->point, event);
	fflush(stdout);
}

/* --follow: where the timeline is now (last signaled or last submitted). */
static int position(struct du_syncobj_ctx *ctx, struct watch_item *it, const struct watch_args *a,
		    uint64_t *pos)
{
	int r = du_syncobj_query(ctx, &it->ref->fd, pos, 1,
				 a->available ? DU_SYNCOBJ_QUERY_LAST_SUBMITTED : 0);

	return r ? sctl_fail("watch: query", -r, it->ref, 1, NULL) : DU_EXIT_SUCCESS;
}

static int watch_loop(struct du_syncobj_ctx *ctx, struct watch_item *items, size_t n,
		      const struct watch_args *a)
{
	_cleanup_free_ struct pollfd *pfds = xcalloc(n, sizeof(*pfds));
	int64_t end = a->timeout ? sctl_deadline(a->timeout) : INT64_MAX;
	long events = 0;
	size_t left = n;
	int status;

	while (left) {
		int64_t now = sctl_now();
		int timeout_ms = -1, ready;
		size_t k = 0;

		if (end != INT64_MAX) {
			if (now >= end)
				break;
			timeout_ms = (int)((end - now + 999999) / 1000000);
		}
		for (size_t i = 0; i < n; i++)
			pfds[i] = (struct pollfd){ .fd = items[i].efd, .events = POLLIN };
		ready = poll(pfds, n, timeout_ms);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0) {
			du_report(errno, "watch: poll");
			return DU_EXIT_FAILURE;
		}
		for (size_t i = 0; i < n && k < (size_t)ready; i++) {
			uint64_t counter, pos;

			if (!(pfds[i].revents & POLLIN))
				continue;
			k++;
			if (read(items[i].efd, &counter, sizeof(counter)) != sizeof(counter))
				continue;
			if (!a->follow) {
				report(&items[i], a);
				close(items[i].efd);
				items[i].efd = -1; /* poll() ignores negative fds */
				left--;
				continue;
			}
			status = position(ctx, &items[i], a, &pos);
			if (status)
				return status;
			if (pos > items[i].point)
				items[i].point = pos;
			report(&items[i], a);
			if (a->count && ++events == a->count)
				return DU_EXIT_SUCCESS;
			items[i].point++;
			status = arm(ctx, &items[i], a);
			if (status)
				return status;
		}
	}
	if (!left || a->follow)
		return DU_EXIT_SUCCESS;
	for (size_t i = 0; i < n; i++)
		if (items[i].efd >= 0)
			du_report(ETIME, "%s@%" PRIu64 ": watch: not %s within the timeout",
				  items[i].ref->spec, items[i].point,
				  a->available ? "available" : "signaled");
	return DU_EXIT_TIMEOUT;
}

static int watch_run(int argc, char **argv)
{
	struct watch_args a = { .raw_eventfd = -1,
				.ops = { .min = 1, .usage = "no syncobj given" } };
	struct du_syncobj_ctx *ctx;
	struct watch_item *items;
	struct sref *refs;
	int status;

	status = sctl_parse(&watch_argp, argc, argv, &a);
	if (status)
		return status;
	refs = sref_parse_all(a.ops.v, a.ops.n, true);
	ctx = sctl_ctx();
	sctl_need_cap(DU_SYNCOBJ_CAP_EVENTFD);
	if (a.follow)
		sctl_need_cap(DU_SYNCOBJ_CAP_TIMELINE);
	items = xcalloc(a.ops.n, sizeof(*items));
	for (int i = 0; i < a.ops.n; i++)
		items[i] =
			(struct watch_item){ .ref = &refs[i], .efd = -1, .point = refs[i].point };
	status = sref_open_all(refs, a.ops.n);
	for (int i = 0; i < a.ops.n && !status; i++) {
		items[i].efd = a.raw_eventfd >= 0 ? fcntl(a.raw_eventfd, F_DUPFD_CLOEXEC, 3)
						  : eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (items[i].efd < 0) {
			du_report(errno, "eventfd");
			status = DU_EXIT_FAILURE;
			break;
		}
		if (a.follow && !refs[i].has_point) {
			status = position(ctx, &items[i], &a, &items[i].point);
			items[i].point++;
		}
		if (!status)
			status = arm(ctx, &items[i], &a);
	}
	if (!status)
		status = watch_loop(ctx, items, a.ops.n, &a);
	for (int i = 0; i < a.ops.n; i++)
		if (items[i].efd >= 0)
			close(items[i].efd);
	free(items);
	sref_free_all(refs, a.ops.n);
	return status;
}

const struct du_cmd cmd_watch = {
	"watch",
	watch_run,
	"print each point as it signals (eventfd based)",
};
