// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve.c - `vfiobarctl serve`: the primary.  It owns the device fd, exports
 * BAR ranges as DMABUFs to whoever asks on its socket, remembers what it
 * vended to whom, and revokes on request.  The device fd never leaves this
 * process (everything is O_CLOEXEC and the primary never forks), so
 * subordinates reach the device only through the ranges they were given.
 *
 * Each export keeps a duplicate of its DMABUF fd here: revoking needs it,
 * and it lets a second revoke reach the kernel, which reports EBADFD.
 * When the primary exits its device fd closes and the kernel revokes every
 * DMABUF it exported.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fdpass.h"
#include "parse.h"
#include "procfs.h"
#include "vfiobarctl.h"

#define MAX_CLIENTS 64

struct export
{
	struct vb_export_info info;
	int fd;
};

struct client {
	int fd;
	pid_t pid;
	uid_t uid;
};

/* The primary's own mapping of a BAR through the device fd, made on first use. */
struct barmap {
	void *map;
	size_t len;
};

struct primary {
	struct vb_device dev;
	struct barmap bars[DU_PCI_NUM_BARS];
	const char *path;
	int listener;
	ino_t sock_ino;
	bool quiet;
	struct export *exports;
	size_t nexports;
	struct client clients[MAX_CLIENTS];
	size_t nclients;
	char *msg; /* reply buffer */
	char *req; /* request buffer */
};

struct serve_args {
	char bdf[DU_BDF_LEN];
	const char *socket;
	mode_t mode;
	bool quiet;
};

__du_printf(2, 3) static void plog(const struct primary *p, const char *fmt, ...)
{
	va_list ap;

	if (p->quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- replies ---- */

static void reply(struct client *c, const char *text, int fd)
{
	int r = du_fd_send(c->fd, text, strlen(text), &fd, fd >= 0 ? 1 : 0);

	/* A client that went away meanwhile is dropped by the poll loop. */
	(void)r;
}

__du_printf(5, 6) static void reply_err(struct primary *p, struct client *c, int code, int err,
					const char *fmt, ...)
{
	int n = snprintf(p->msg, VB_MSG_MAX, "ERR %d %d ", code, err);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->msg + n, VB_MSG_MAX - (size_t)n, fmt, ap);
	va_end(ap);
	plog(p, "refused pid %d: %s%s%s", (int)c->pid, p->msg + n, err ? ": " : "",
	     err ? strerror(err) : "");
	reply(c, p->msg, -1);
}

/* ---- requests ---- */

static int parse_u32_field(const char *tok, const char *key, uint32_t *v)
{
	size_t len = strlen(key);

	return strncmp(tok, key, len) ? -ENOENT : du_parse_u32(tok + len, v);
}

static void handle_export(struct primary *p, struct client *c, char **tok, int ntok)
{
	struct vb_export_raw raw = { 0 };
	enum du_vfio_attr attr;
	struct vb_spec spec;
	struct export *e;
	struct stat st;
	const char *why;
	char msg[512];
	int fd;

	if (ntok < 4)
		return reply_err(p, c, DU_EXIT_USAGE, EINVAL, "EXPORT: expected BDF SPEC ATTR");
	if (!streq(tok[1], p->dev.dev.bdf))
		return reply_err(p, c, DU_EXIT_FAILURE, ENODEV, "%s: this primary serves %s",
				 tok[1], p->dev.dev.bdf);
	if (vb_spec_parse(tok[2], &spec, &why))
		return reply_err(p, c, DU_EXIT_USAGE, EINVAL, "%s: %s", tok[2], why);
	if (!streq(tok[3], "uc") && !streq(tok[3], "wc")) {
		vb_spec_free(&spec);
		return reply_err(p, c, DU_EXIT_USAGE, EINVAL, "%s: attribute must be uc or wc",
				 tok[3]);
	}
	attr = streq(tok[3], "wc") ? DU_VFIO_ATTR_WC : DU_VFIO_ATTR_UC;
	for (int i = 4; i < ntok; i++) {
		if (!parse_u32_field(tok[i], "nr=", &raw.nr_ranges))
			raw.set_nr = true;
		else if (!parse_u32_field(tok[i], "flags=", &raw.flags))
			raw.set_flags = true;
	}

	fd = vb_export(&p->dev, &spec, attr, &raw, msg, sizeof(msg));
	if (fd < 0) {
		vb_spec_free(&spec);
		return reply_err(p, c, vb_exit_for(-fd), -fd, "%s", msg);
	}
	p->exports = xrealloc(p->exports, (p->nexports + 1) * sizeof(*p->exports));
	e = &p->exports[p->nexports++];
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->info.id = (unsigned int)p->nexports;
	snprintf(e->info.bdf, sizeof(e->info.bdf), "%s", p->dev.dev.bdf);
	{
		_cleanup_free_ char *text = vb_spec_format(&spec);

		snprintf(e->info.spec, sizeof(e->info.spec), "%s", text);
	}
	snprintf(e->info.attr, sizeof(e->info.attr), "%s", vb_attr_name(attr));
	e->info.size = vb_spec_size(&spec);
	e->info.inode = fstat(fd, &st) ? 0 : (uint64_t)st.st_ino;
	e->info.pid = (int)c->pid;
	e->info.uid = (unsigned int)c->uid;
	du_proc_comm(c->pid, e->info.comm, sizeof(e->info.comm));
	for (char *s = e->info.comm; *s; s++)
		if (*s == '\t')
			*s = ' ';
	snprintf(e->info.state, sizeof(e->info.state), "active");
	e->info.created = (int64_t)time(NULL);
	vb_spec_free(&spec);

	snprintf(p->msg, VB_MSG_MAX, "OK %u %" PRIu64 " %" PRIu64, e->info.id, e->info.size,
		 e->info.inode);
	reply(c, p->msg, fd);
	plog(p, "export %u: %s %s %s (%" PRIu64 " bytes) to pid %d (%s), uid %u", e->info.id,
	     e->info.bdf, e->info.spec, e->info.attr, e->info.size, e->info.pid, e->info.comm,
	     e->info.uid);
}

static void handle_list(struct primary *p, struct client *c)
{
	size_t used = (size_t)snprintf(p->msg, VB_MSG_MAX, "OK %zu", p->nexports);

	for (size_t i = 0; i < p->nexports && used < VB_MSG_MAX; i++) {
		char line[1024];

		vb_export_info_format(&p->exports[i].info, line, sizeof(line));
		used += (size_t)snprintf(p->msg + used, VB_MSG_MAX - used, "\n%s", line);
	}
	if (used >= VB_MSG_MAX)
		return reply_err(p, c, DU_EXIT_FAILURE, EMSGSIZE, "LIST: too many exports");
	reply(c, p->msg, -1);
}

static struct export *find_export(struct primary *p, const char *id)
{
	uint32_t n;

	if (du_parse_u32(id, &n) || !n || n > p->nexports)
		return NULL;
	return &p->exports[n - 1];
}

/* Revoke one export; 0 or -errno with @msg set. */
static int revoke_export(struct primary *p, struct export *e, char *msg, size_t len)
{
	char what[32];
	int r;

	snprintf(what, sizeof(what), "export %u", e->info.id);
	r = vb_revoke(&p->dev, e->fd, what, msg, len);
	if (!r)
		snprintf(e->info.state, sizeof(e->info.state), "revoked");
	return r;
}

static void handle_revoke(struct primary *p, struct client *c, char **tok, int ntok, int fd)
{
	int64_t start = mono_ns();
	unsigned int count = 0;
	char msg[512];
	int r = 0;

	if (ntok != 2)
		return reply_err(p, c, DU_EXIT_USAGE, EINVAL, "REVOKE: expected ID, all or fd");
	if (streq(tok[1], "fd")) {
		struct stat st;
		char what[48];

		if (fd < 0)
			return reply_err(p, c, DU_EXIT_USAGE, EINVAL, "REVOKE fd: no fd attached");
		snprintf(what, sizeof(what), "fd from pid %d", (int)c->pid);
		r = vb_revoke(&p->dev, fd, what, msg, sizeof(msg));
		if (!r && !fstat(fd, &st))
			for (size_t i = 0; i < p->nexports; i++)
				if (p->exports[i].info.inode == (uint64_t)st.st_ino)
					snprintf(p->exports[i].info.state,
						 sizeof(p->exports[i].info.state), "revoked");
		count = r ? 0 : 1;
	} else if (streq(tok[1], "all")) {
		for (size_t i = 0; i < p->nexports && !r; i++) {
			if (streq(p->exports[i].info.state, "active")) {
				r = revoke_export(p, &p->exports[i], msg, sizeof(msg));
				count += r ? 0 : 1;
			}
		}
	} else {
		struct export *e = find_export(p, tok[1]);

		if (!e)
			return reply_err(p, c, DU_EXIT_FAILURE, ENOENT, "export %s: no such export",
					 tok[1]);
		r = revoke_export(p, e, msg, sizeof(msg));
		count = r ? 0 : 1;
	}
	if (r)
		return reply_err(p, c, vb_exit_for(-r), -r, "%s", msg);
	snprintf(p->msg, VB_MSG_MAX, "OK %u %" PRId64, count, mono_ns() - start);
	plog(p, "revoke %s: %u revoked in %" PRId64 " ns (pid %d)", tok[1], count,
	     mono_ns() - start, (int)c->pid);
	reply(c, p->msg, -1);
}

/* READ BDF BAR OFF WIDTH COUNT HOW and WRITE BDF BAR OFF WIDTH HOW HEX */
static void handle_access(struct primary *p, struct client *c, char **tok, int ntok, bool write)
{
	uint64_t off, width, count, n, done;
	struct du_vfio_region reg;
	_cleanup_free_ uint8_t *buf = NULL;
	const char *how;
	uint32_t bar;
	int r;

	if (ntok != 7)
		return reply_err(p, c, DU_EXIT_USAGE, EINVAL, "%s: expected 6 fields", tok[0]);
	if (!streq(tok[1], p->dev.dev.bdf))
		return reply_err(p, c, DU_EXIT_FAILURE, ENODEV, "%s: this primary serves %s",
				 tok[1], p->dev.dev.bdf);
	how = write ? tok[5] : tok[6];
	if (du_parse_u32(tok[2], &bar) || bar >= DU_PCI_NUM_BARS || du_parse_u64(tok[3], &off) ||
	    du_parse_u64(tok[4], &width) ||
	    (width != 1 && width != 2 && width != 4 && width != 8) || off % width ||
	    (!streq(how, "mmap") && !streq(how, "pread")))
		return reply_err(p, c, DU_EXIT_USAGE, EINVAL,
				 "%s: bad BAR, offset, width or method", tok[0]);
	if (write) {
		n = strlen(tok[6]) / 2;
		count = n / width;
	} else if (du_parse_u64(tok[5], &count) || !count || count > VB_ACCESS_MAX / width) {
		return reply_err(p, c, DU_EXIT_USAGE, EINVAL, "READ: bad count %s", tok[5]);
	} else {
		n = count * width;
	}
	buf = xcalloc(1, n ? n : 1);
	if (!n || n % width || n > VB_ACCESS_MAX || (write && vb_hex_decode(tok[6], buf, n)))
		return reply_err(p, c, DU_EXIT_USAGE, EINVAL, "WRITE: bad data");
	r = du_vfio_region(&p->dev.dev, bar, &reg);
	if (r)
		return reply_err(p, c, DU_EXIT_FAILURE, -r, "%s: BAR%" PRIu32 ": no region info",
				 p->dev.dev.bdf, bar);
	du_vfio_region_free(&reg);
	if (off + n > reg.size)
		return reply_err(p, c, DU_EXIT_FAILURE, EINVAL,
				 "%s: BAR%" PRIu32 " 0x%" PRIx64 "+0x%" PRIx64
				 ": past the BAR (size 0x%" PRIx64 ")",
				 p->dev.dev.bdf, bar, off, n, reg.size);
	if (streq(how, "pread")) {
		r = vb_mmio_fd_copy(p->dev.dev.device, reg.offset + off, write, buf, count,
				    (unsigned int)width, &done);
	} else {
		struct barmap *m = &p->bars[bar];

		if (!m->map) {
			void *map = mmap(NULL, reg.size, PROT_READ | PROT_WRITE, MAP_SHARED,
					 p->dev.dev.device, (off_t)reg.offset);

			if (map == MAP_FAILED)
				return reply_err(p, c, DU_EXIT_FAILURE, errno,
						 "%s: BAR%" PRIu32 ": cannot map the device fd",
						 p->dev.dev.bdf, bar);
			m->map = map;
			m->len = reg.size;
		}
		r = vb_mmio_map_copy((volatile uint8_t *)m->map + off, write, buf, count,
				     (unsigned int)width, &done);
	}
	if (r)
		return reply_err(p, c, DU_EXIT_FAILURE, -r,
				 "%s: BAR%" PRIu32 " offset 0x%" PRIx64 ": %s of the device fd "
				 "failed",
				 p->dev.dev.bdf, bar, off + done * width,
				 streq(how, "mmap") ? "access through the mapping" : how);
	if (write) {
		snprintf(p->msg, VB_MSG_MAX, "OK");
	} else {
		memcpy(p->msg, "OK ", 3);
		vb_hex_encode(buf, n, p->msg + 3);
	}
	reply(c, p->msg, -1);
}

static void handle_request(struct primary *p, struct client *c, char *text, int fd)
{
	char *tok[16], *save = NULL;
	int ntok = 0;

	for (char *t = strtok_r(text, " \n", &save); t && ntok < (int)ARRAY_SIZE(tok);
	     t = strtok_r(NULL, " \n", &save))
		tok[ntok++] = t;
	if (!ntok)
		reply_err(p, c, DU_EXIT_USAGE, EINVAL, "empty request");
	else if (streq(tok[0], "EXPORT"))
		handle_export(p, c, tok, ntok);
	else if (streq(tok[0], "LIST"))
		handle_list(p, c);
	else if (streq(tok[0], "REVOKE"))
		handle_revoke(p, c, tok, ntok, fd);
	else if (streq(tok[0], "READ") || streq(tok[0], "WRITE"))
		handle_access(p, c, tok, ntok, streq(tok[0], "WRITE"));
	else
		reply_err(p, c, DU_EXIT_USAGE, EINVAL, "%s: unknown request", tok[0]);
}

/* ---- the loop ---- */

static void accept_client(struct primary *p)
{
	int fd = accept4(p->listener, NULL, NULL, SOCK_CLOEXEC);
	struct client *c;

	if (fd < 0)
		return;
	if (p->nclients == MAX_CLIENTS) {
		close(fd);
		return;
	}
	c = &p->clients[p->nclients++];
	c->fd = fd;
	if (du_unix_peer(fd, &c->pid, &c->uid)) {
		c->pid = 0;
		c->uid = (uid_t)-1;
	}
}

static void drop_client(struct primary *p, size_t i)
{
	close(p->clients[i].fd);
	p->clients[i] = p->clients[--p->nclients];
}

static void serve_client(struct primary *p, size_t i)
{
	int fds[DU_FDPASS_MAX_FDS];
	size_t nfds;
	ssize_t n;

	n = du_fd_recv(p->clients[i].fd, p->req, VB_MSG_MAX, fds, ARRAY_SIZE(fds), &nfds);
	if (n > 0) {
		p->req[n] = '\0';
		handle_request(p, &p->clients[i], p->req, nfds ? fds[0] : -1);
	}
	for (size_t k = 0; k < nfds; k++)
		close(fds[k]);
	if (n <= 0)
		drop_client(p, i);
}

static int loop(struct primary *p, int sigfd)
{
	for (;;) {
		struct pollfd pfd[MAX_CLIENTS + 2];
		size_t n = 0;

		pfd[n++] = (struct pollfd){ sigfd, POLLIN, 0 };
		pfd[n++] = (struct pollfd){ p->listener, POLLIN, 0 };
		for (size_t i = 0; i < p->nclients; i++)
			pfd[n++] = (struct pollfd){ p->clients[i].fd, POLLIN, 0 };
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			du_report(errno, "poll failed");
			return DU_EXIT_FAILURE;
		}
		if (pfd[0].revents) {
			struct signalfd_siginfo si;

			if (read(sigfd, &si, sizeof(si)) == sizeof(si))
				plog(p, "signal %u: closing the device, which revokes every export",
				     si.ssi_signo);
			return DU_EXIT_SUCCESS;
		}
		/* Clients first, from the back, so dropping one does not skip another. */
		for (size_t i = n - 2; i-- > 0;)
			if (pfd[i + 2].revents)
				serve_client(p, i);
		if (pfd[1].revents & POLLIN)
			accept_client(p);
	}
}

static void cleanup(struct primary *p)
{
	struct stat st;

	for (size_t i = 0; i < p->nclients; i++)
		close(p->clients[i].fd);
	for (size_t i = 0; i < p->nexports; i++)
		close(p->exports[i].fd);
	free(p->exports);
	for (size_t i = 0; i < DU_PCI_NUM_BARS; i++)
		if (p->bars[i].map)
			munmap(p->bars[i].map, p->bars[i].len);
	vb_device_close(&p->dev);
	/* Remove the socket only if it is still ours. */
	if (!stat(p->path, &st) && st.st_ino == p->sock_ino)
		unlink(p->path);
	close(p->listener);
	free(p->msg);
	free(p->req);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct serve_args *a = state->input;
	unsigned long mode;
	char *end;

	if (vb_argp_bdf(key, arg, state, a->bdf))
		return 0;
	switch (key) {
	case 's':
		a->socket = arg;
		break;
	case 'm':
		mode = strtoul(arg, &end, 8);
		if (!*arg || *end || mode > 0777)
			argp_error(state, "--mode: not an octal mode: %s", arg);
		a->mode = (mode_t)mode;
		break;
	case 'q':
		a->quiet = true;
		break;
	case ARGP_KEY_END:
		if (!a->socket)
			argp_error(state, "--socket PATH is required");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option options[] = {
	{ "socket", 's', "PATH", 0, "listen on this AF_UNIX socket (required)", 0 },
	{ "mode", 'm', "OCTAL", 0, "permissions of the socket (default 0600: owner only)", 0 },
	{ "quiet", 'q', NULL, 0, "do not log exports and revocations to stdout", 0 },
	{ 0 }
};

static const struct argp serve_argp = {
	.options = options,
	.parser = parse_opt,
	.args_doc = "BDF",
	.doc = "Be the primary for a device: own its fd, export BAR ranges as DMABUFs to "
	       "clients of the socket ('vfiobarctl export --socket'), track them "
	       "('vfiobarctl exports') and revoke them ('vfiobarctl revoke').\v"
	       "Runs until SIGINT, SIGTERM or SIGHUP; closing the device then revokes every "
	       "DMABUF it exported.",
};

static int serve_run(int argc, char **argv)
{
	struct serve_args a = { .mode = 0600 };
	struct primary p = { .listener = -1 };
	struct stat st;
	sigset_t mask;
	int sigfd, r;

	argp_parse(&serve_argp, argc, argv, 0, NULL, &a);
	p.path = a.socket;
	p.quiet = a.quiet;
	r = vb_device_open(a.bdf, &p.dev);
	if (r)
		return r;
	if (!du_vfio_has(&p.dev.caps, DU_VFIO_CAP_DMA_BUF)) {
		du_report(0, "%s: kernel feature missing: dma-buf-export (%s)", a.bdf,
			  p.dev.caps.probe[DU_VFIO_CAP_DMA_BUF].reason);
		vb_device_close(&p.dev);
		return DU_EXIT_NOFEATURE;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	p.listener = du_unix_listen(a.socket, a.mode);
	if (sigfd < 0 || p.listener < 0) {
		r = sigfd < 0 ? errno : -p.listener;
		du_report(r, "%s: cannot listen%s", a.socket,
			  r == EADDRINUSE ? " (another primary is listening there)" : "");
		vb_device_close(&p.dev);
		return DU_EXIT_FAILURE;
	}
	if (!stat(a.socket, &st))
		p.sock_ino = st.st_ino;
	p.msg = xmalloc(VB_MSG_MAX + 1);
	p.req = xmalloc(VB_MSG_MAX + 1);
	plog(&p, "serving %s on %s (pid %d)", a.bdf, a.socket, (int)getpid());
	r = loop(&p, sigfd);
	close(sigfd);
	cleanup(&p);
	return r;
}

const struct du_cmd cmd_serve = {
	"serve",
	serve_run,
	"be the primary: own a device, vend its BAR DMABUFs",
};
