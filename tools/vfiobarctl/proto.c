// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proto.c - the client side of the primary/subordinate protocol, and the
 * LIST line format both sides use.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fdpass.h"
#include "parse.h"
#include "vfiobarctl.h"

int vb_connect(const char *path)
{
	int fd = du_unix_connect(path);

	if (fd >= 0)
		return fd;
	if (fd == -ENOENT || fd == -ECONNREFUSED)
		du_report(-fd,
			  "%s: no primary listening (start 'vfiobarctl serve BDF --socket %s')",
			  path, path);
	else
		du_report(-fd, "%s: cannot connect", path);
	return -DU_EXIT_FAILURE;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Wait for the reply; 0, or an exit code after reporting. */
static int wait_reply(int sock, const char *path, int64_t timeout_ns)
{
	int64_t deadline = timeout_ns == DU_DURATION_INFINITE ? 0 : now_ns() + timeout_ns;
	struct pollfd pfd = { sock, POLLIN, 0 };

	for (;;) {
		int64_t left = deadline ? deadline - now_ns() : -1;
		int ms = left < 0 ? -1 : (int)((left + 999999) / 1000000);
		int n;

		if (deadline && left <= 0) {
			du_report(ETIMEDOUT, "%s: no reply from the primary", path);
			return DU_EXIT_TIMEOUT;
		}
		n = poll(&pfd, 1, ms);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR) {
			du_report(errno, "%s: poll failed", path);
			return DU_EXIT_FAILURE;
		}
	}
}

int vb_request(int sock, const char *path, const char *req, int fd, int64_t timeout_ns, char *reply,
	       size_t replylen, int *rfd)
{
	_cleanup_free_ char *buf = xmalloc(VB_MSG_MAX + 1);
	int fds[DU_FDPASS_MAX_FDS];
	size_t nfds;
	ssize_t n;
	int r, code, err, pos = 0;

	if (rfd)
		*rfd = -1;
	r = du_fd_send(sock, req, strlen(req), &fd, fd >= 0 ? 1 : 0);
	if (r) {
		du_report(-r, "%s: cannot send the request", path);
		return DU_EXIT_FAILURE;
	}
	r = wait_reply(sock, path, timeout_ns);
	if (r)
		return r;
	n = du_fd_recv(sock, buf, VB_MSG_MAX, fds, ARRAY_SIZE(fds), &nfds);
	if (n <= 0) {
		du_report(n ? (int)-n : ECONNRESET, "%s: no reply from the primary", path);
		return DU_EXIT_FAILURE;
	}
	buf[n] = '\0';
	if (!strncmp(buf, "OK", 2) && (buf[2] == ' ' || !buf[2])) {
		snprintf(reply, replylen, "%s", buf[2] ? buf + 3 : "");
		for (size_t i = 0; i < nfds; i++) {
			if (rfd && i == 0)
				*rfd = fds[i];
			else
				close(fds[i]);
		}
		return 0;
	}
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	if (sscanf(buf, "ERR %d %d %n", &code, &err, &pos) != 2 || !pos || code <= 0) {
		du_report(EPROTO, "%s: unexpected reply from the primary: %.80s", path, buf);
		return DU_EXIT_FAILURE;
	}
	du_report(err, "%s", buf + pos);
	return code;
}

/* Fields are TAB-separated; the free-text ones cannot contain TABs or newlines. */
void vb_export_info_format(const struct vb_export_info *e, char *buf, size_t len)
{
	snprintf(buf, len, "%u\t%s\t%s\t%s\t%" PRIu64 "\t%" PRIu64 "\t%d\t%u\t%s\t%s\t%" PRId64,
		 e->id, e->bdf, e->spec, e->attr, e->size, e->inode, e->pid, e->uid, e->comm,
		 e->state, e->created);
}

static char *next_field(char **p)
{
	char *f = *p, *tab;

	if (!f)
		return NULL;
	tab = strchr(f, '\t');
	if (tab) {
		*tab = '\0';
		*p = tab + 1;
	} else {
		*p = NULL;
	}
	return f;
}

int vb_export_info_parse(const char *line, struct vb_export_info *e)
{
	_cleanup_free_ char *copy = xstrdup(line);
	char *p = copy, *f[11];
	uint64_t id, pid, uid, created;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		f[i] = next_field(&p);
		if (!f[i])
			return -EINVAL;
	}
	if (p || du_parse_u64(f[0], &id) || du_parse_u64(f[4], &e->size) ||
	    du_parse_u64(f[5], &e->inode) || du_parse_u64(f[6], &pid) || du_parse_u64(f[7], &uid) ||
	    du_parse_u64(f[10], &created))
		return -EINVAL;
	e->id = (unsigned int)id;
	e->pid = (int)pid;
	e->uid = (unsigned int)uid;
	e->created = (int64_t)created;
	snprintf(e->bdf, sizeof(e->bdf), "%s", f[1]);
	snprintf(e->spec, sizeof(e->spec), "%s", f[2]);
	snprintf(e->attr, sizeof(e->attr), "%s", f[3]);
	snprintf(e->comm, sizeof(e->comm), "%s", f[8]);
	snprintf(e->state, sizeof(e->state), "%s", f[9]);
	return 0;
}

void vb_hex_encode(const uint8_t *data, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int vb_hex_decode(const char *hex, uint8_t *out, size_t n)
{
	if (strlen(hex) != 2 * n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
