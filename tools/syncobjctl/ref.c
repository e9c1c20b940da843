// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ref.c - syncobj references, batch-mode names and failure messages.
 *
 * A reference is N (an fd this process inherited), PID:FD (another
 * process's fd, taken with pidfd_getfd) or, in batch mode, a name bound by
 * an earlier line; REF@POINT adds a timeline point.  Inherited fds are
 * passed to the kernel unchecked, so a closed or wrong fd gets the kernel's
 * own errno; the message then says what the fd really is.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fdref.h"
#include "parse.h"
#include "syncobjctl.h"

/* ---- names -------------------------------------------------------------- */

bool sctl_is_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return false;
	return true;
}

int sctl_name_lookup(const char *name)
{
	for (size_t i = 0; i < sctl.nnames; i++)
		if (streq(sctl.names[i].name, name))
			return sctl.names[i].fd;
	return -1;
}

int sctl_name_add(const char *name, int fd)
{
	if (sctl_name_lookup(name) >= 0) {
		close(fd);
		du_report(0, "%s: name already in use", name);
		return DU_EXIT_USAGE;
	}
	sctl.names = xrealloc(sctl.names, (sctl.nnames + 1) * sizeof(*sctl.names));
	sctl.names[sctl.nnames].name = xstrdup(name);
	sctl.names[sctl.nnames].fd = fd;
	sctl.nnames++;
	return DU_EXIT_SUCCESS;
}

void sctl_names_free(void)
{
	for (size_t i = 0; i < sctl.nnames; i++) {
		close(sctl.names[i].fd);
		free(sctl.names[i].name);
	}
	free(sctl.names);
	sctl.names = NULL;
	sctl.nnames = 0;
}

/* ---- operands ----------------------------------------------------------- */

static error_t operands_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct sctl_operands *o = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_ARGS:
		o->v = state->argv + state->next;
		o->n = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if (o->n < o->min || (o->max && o->n > o->max))
			du_usage_error("%s", o->usage);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp sctl_operands_argp = {
	.parser = operands_parse_opt,
};

/* ---- references --------------------------------------------------------- */

void sref_parse(const char *text, struct sref *r, bool allow_point)
{
	const char *at = strrchr(text, '@');
	struct du_fdref ref;

	*r = (struct sref){ .text = text, .fd = -1 };
	if (at) {
		int e;

		if (!allow_point)
			du_usage_error("%s: a point (@POINT) makes no sense here", text);
		e = du_parse_u64(at + 1, &r->point);
		if (e)
			du_usage_error("%s: bad point '%s': %s", text, at + 1,
				       e == -ERANGE ? "out of range" : "not a number");
		r->has_point = true;
		r->spec = strndup(text, at - text);
	} else {
		r->spec = strdup(text);
	}
	if (!r->spec)
		du_die(DU_EXIT_FAILURE, ENOMEM, "%s", text);

	if (sctl_is_name(r->spec)) {
		if (!sctl.batch)
			du_usage_error("%s: names only exist in batch mode (-f FILE)", text);
		if (sctl_name_lookup(r->spec) < 0)
			du_usage_error("%s: no object of that name", text);
		return;
	}
	if (du_fdref_parse(r->spec, &ref) || ref.kind == DU_FDREF_PATH)
		du_usage_error("%s: not a syncobj reference (N, PID:FD%s)", text,
			       sctl.batch ? " or a name" : "");
}

struct sref *sref_parse_all(char **texts, int n, bool allow_point)
{
	struct sref *refs = xcalloc(n ? n : 1, sizeof(*refs));

	for (int i = 0; i < n; i++)
		sref_parse(texts[i], &refs[i], allow_point);
	return refs;
}

int sref_open(struct sref *r)
{
	struct du_fdref ref;
	int fd;

	if (sctl_is_name(r->spec)) {
		r->fd = sctl_name_lookup(r->spec);
		return DU_EXIT_SUCCESS;
	}
	du_fdref_parse(r->spec, &ref);
	if (ref.kind == DU_FDREF_INHERITED) {
		r->fd = ref.fd;
		return DU_EXIT_SUCCESS;
	}
	fd = du_fdref_open(r->text, &ref, 0, false);
	if (fd < 0)
		return fd == -ENOSYS ? DU_EXIT_NOFEATURE : DU_EXIT_FAILURE;
	r->fd = fd;
	r->owned = true;
	return DU_EXIT_SUCCESS;
}

int sref_open_all(struct sref *refs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int status = sref_open(&refs[i]);

		if (status)
			return status;
	}
	return DU_EXIT_SUCCESS;
}

void sref_close(struct sref *r)
{
	if (r->owned && r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->owned = false;
	free(r->spec);
	r->spec = NULL;
}

void sref_free_all(struct sref *refs, size_t n)
{
	if (!refs)
		return;
	for (size_t i = 0; i < n; i++)
		sref_close(&refs[i]);
	free(refs);
}

uint64_t *sref_points(const struct sref *refs, size_t n)
{
	uint64_t *points = xcalloc(n ? n : 1, sizeof(*points));

	for (size_t i = 0; i < n; i++)
		points[i] = refs[i].point;
	return points;
}

int *sref_fds(const struct sref *refs, size_t n)
{
	int *fds = xcalloc(n ? n : 1, sizeof(*fds));

	for (size_t i = 0; i < n; i++)
		fds[i] = refs[i].fd;
	return fds;
}

/* ---- failures ----------------------------------------------------------- */

void sctl_describe_fd(int fd, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, len - 1);
	if (n < 0) {
		snprintf(buf, len, "fd %d is not open", fd);
		return;
	}
	buf[n] = '\0';
}

/* Which of @refs the kernel refused, or -1 when it cannot be told. */
static int find_culprit(int err, const struct sref *refs, size_t n)
{
	const struct du_syncobj_ctx *ctx = sctl.ctx_open ? &sctl.ctx : NULL;

	if (ctx && ctx->err_index >= 0 && (size_t)ctx->err_index < n)
		return ctx->err_index;
	if (err != EBADF)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!du_syncobj_is_syncobj_fd(refs[i].fd))
			return (int)i;
	return -1;
}

int sctl_fail(const char *op, int err, const struct sref *refs, size_t n, const char *hint)
{
	char who[256] = "", what[160] = "";
	int culprit = find_culprit(err, refs, n);

	if (culprit >= 0) {
		snprintf(who, sizeof(who), "%s", refs[culprit].text);
		if (!du_syncobj_is_syncobj_fd(refs[culprit].fd)) {
			char desc[96];

			sctl_describe_fd(refs[culprit].fd, desc, sizeof(desc));
			if (strstr(desc, "not open"))
				snprintf(what, sizeof(what), ": %s", desc);
			else
				snprintf(what, sizeof(what), ": not a syncobj (%s)", desc);
		}
	} else {
		for (size_t i = 0; i < n; i++)
			snprintf(who + strlen(who), sizeof(who) - strlen(who), "%s%s", i ? "," : "",
				 refs[i].text);
	}
	if (!what[0] && err == ENOTTY)
		hint = "the kernel does not know this ioctl (see 'syncobjctl features')";
	if (!what[0] && err == EOPNOTSUPP && sctl.ctx_open &&
	    sctl.ctx.backend == DU_SYNCOBJ_BACKEND_DRM)
		hint = "the driver does not support it (see 'syncobjctl features')";
	if (!what[0] && hint)
		snprintf(what, sizeof(what), ": %s", hint);
	du_report(err, "%s: %s%s", who, op, what);
	if (err == ETIME)
		return DU_EXIT_TIMEOUT;
	if (err == ENOTTY || err == EOPNOTSUPP)
		return DU_EXIT_NOFEATURE;
	return DU_EXIT_FAILURE;
}

/* ---- time --------------------------------------------------------------- */

int64_t sctl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t sctl_deadline(int64_t rel)
{
	int64_t abs;

	if (rel == DU_DURATION_INFINITE || __builtin_add_overflow(sctl_now(), rel, &abs))
		return INT64_MAX;
	return abs;
}
