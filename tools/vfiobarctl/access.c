// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * access.c - `vfiobarctl read` and `write`: BAR registers and memory through
 * a DMABUF mapping, the device fd's own BAR mapping, or pread/pwrite on the
 * region; or through a DMABUF someone vended to us (--dmabuf).
 *
 * Every access has exactly the requested width (a volatile load or store,
 * or a pread/pwrite of that size), since registers care.  A mapping whose
 * DMABUF is revoked under us raises SIGBUS: that is caught and reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fdref.h"
#include "parse.h"
#include "vfiobarctl.h"

#define MAX_BYTES (256ULL << 20)

enum method { M_AUTO, M_DMABUF, M_MMAP, M_PREAD };

struct access_args {
	bool write;
	char bdf[DU_BDF_LEN];
	uint32_t bar;
	uint64_t offset;
	const char *dmabuf; /* --dmabuf FDREF */
	const char *socket;
	unsigned int width;
	uint64_t count;
	bool count_set;
	enum method method;
	enum du_vfio_attr attr;
	bool binary;
	bool watch;
	int64_t watch_ns;
	uint64_t value;
	bool has_value;
	const char *from;
	int nargs;
};

/* ---- the window accesses go through ---- */

struct window {
	enum method method;
	char what[96]; /* names the target in messages */
	/* mappings */
	void *map;
	size_t maplen;
	uint64_t map_start; /* target offset that map[0] corresponds to */
	/* pread/pwrite */
	int fd;
	uint64_t fd_base;
	/* through the primary's own access (--socket with --method mmap or pread) */
	bool remote;
	const char *socket;
	char bdf[DU_BDF_LEN];
	char barname[16];
	/* owned resources */
	int dmabuf_fd;
	int sock;
	struct vb_device dev;
	bool dev_open;
};

/* Ask the primary to do the access with its own device-fd mapping (or pread). */
static int remote_chunk(struct window *w, bool write, uint64_t off, uint8_t *buf, uint64_t count,
			unsigned int width)
{
	_cleanup_free_ char *req = NULL, *reply = xmalloc(VB_MSG_MAX + 1);
	uint64_t n = count * width;
	int r;

	if (write) {
		_cleanup_free_ char *hex = xmalloc(2 * n + 1);

		vb_hex_encode(buf, n, hex);
		xasprintf(&req, "WRITE %s %s 0x%" PRIx64 " %u %s %s", w->bdf, w->barname, off,
			  width, w->method == M_MMAP ? "mmap" : "pread", hex);
	} else {
		xasprintf(&req, "READ %s %s 0x%" PRIx64 " %u %" PRIu64 " %s", w->bdf, w->barname,
			  off, width, count, w->method == M_MMAP ? "mmap" : "pread");
	}
	r = vb_request(w->sock, w->socket, req, -1, DU_DURATION_INFINITE, reply, VB_MSG_MAX + 1,
		       NULL);
	if (r)
		return r;
	if (!write && vb_hex_decode(reply, buf, n)) {
		du_report(EPROTO, "%s: malformed READ reply: %.80s", w->socket, reply);
		return DU_EXIT_FAILURE;
	}
	return 0;
}

static int remote_transfer(struct window *w, bool write, uint64_t off, uint8_t *buf, uint64_t count,
			   unsigned int width)
{
	uint64_t per = VB_ACCESS_MAX / width;

	for (uint64_t i = 0; i < count; i += per) {
		uint64_t n = count - i < per ? count - i : per;
		int r = remote_chunk(w, write, off + i * width, buf + i * width, n, width);

		if (r)
			return r;
	}
	return 0;
}

/*
 * Move @count elements of @width bytes between @buf and the target at
 * @off.  Returns 0, or an exit code after reporting.
 */
static int transfer(struct window *w, bool write, uint64_t off, uint8_t *buf, uint64_t count,
		    unsigned int width)
{
	uint64_t done;
	int r;

	if (w->remote)
		return remote_transfer(w, write, off, buf, count, width);
	if (w->method == M_PREAD) {
		r = vb_mmio_fd_copy(w->fd, w->fd_base + off, write, buf, count, width, &done);
		if (r)
			du_report(-r, "%s: offset 0x%" PRIx64 ": %s failed", w->what,
				  off + done * width, write ? "pwrite" : "pread");
		return r ? DU_EXIT_FAILURE : 0;
	}
	r = vb_mmio_map_copy((volatile uint8_t *)w->map + (off - w->map_start), write, buf, count,
			     width, &done);
	if (r)
		du_report(0,
			  "%s: offset 0x%" PRIx64 ": access raised SIGBUS (the DMABUF was "
			  "revoked or the device is gone)",
			  w->what, off + done * width);
	return r ? DU_EXIT_FAILURE : 0;
}

static void window_close(struct window *w)
{
	if (w->map)
		munmap(w->map, w->maplen);
	if (w->dmabuf_fd >= 0)
		close(w->dmabuf_fd);
	if (w->sock >= 0)
		close(w->sock);
	if (w->dev_open)
		vb_device_close(&w->dev);
}

static uint64_t page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

/* Map [@off, @off + @len) of @fd, page-rounded, starting at file offset @fd_off + @off. */
static int map_range(struct window *w, int fd, uint64_t fd_off, uint64_t off, uint64_t len,
		     bool write, const char *extra)
{
	uint64_t page = page_size();
	uint64_t start = off / page * page, end = (off + len + page - 1) / page * page;

	w->maplen = (size_t)(end - start);
	w->map_start = start;
	w->map = mmap(NULL, w->maplen, PROT_READ | (write ? PROT_WRITE : 0), MAP_SHARED, fd,
		      (off_t)(fd_off + start));
	if (w->map == MAP_FAILED) {
		w->map = NULL;
		du_report(errno, "%s: cannot map 0x%" PRIx64 "+0x%zx%s", w->what, start, w->maplen,
			  extra);
		return DU_EXIT_FAILURE;
	}
	return 0;
}

/* Through a DMABUF someone gave us: --dmabuf N, PID:FD or a path. */
static int open_dmabuf_ref(struct window *w, const struct access_args *a, uint64_t len)
{
	struct du_fdref ref;
	char extra[64];
	off_t size;

	if (du_fdref_parse(a->dmabuf, &ref))
		du_usage_error("--dmabuf %s: expected FD, PID:FD or a path", a->dmabuf);
	w->dmabuf_fd = du_fdref_open(a->dmabuf, &ref, a->write ? O_RDWR : O_RDONLY, true);
	if (w->dmabuf_fd < 0)
		return DU_EXIT_FAILURE;
	snprintf(w->what, sizeof(w->what), "dmabuf %s", a->dmabuf);
	size = lseek(w->dmabuf_fd, 0, SEEK_END);
	snprintf(extra, sizeof(extra), " (DMABUF size 0x%llx)", (unsigned long long)size);
	w->method = M_DMABUF;
	/* The kernel checks the span against the buffer: a mapping past its end fails. */
	return map_range(w, w->dmabuf_fd, 0, a->offset, len, a->write, size >= 0 ? extra : "");
}

/* Ask the primary at --socket for the pages around the access. */
static int open_via_primary(struct window *w, const struct access_args *a, uint64_t len)
{
	uint64_t page = page_size();
	uint64_t start = a->offset / page * page;
	uint64_t end = (a->offset + len + page - 1) / page * page;
	char req[256], reply[512];
	int r;

	snprintf(w->what, sizeof(w->what), "%s BAR%" PRIu32, a->bdf, a->bar);
	w->sock = vb_connect(a->socket);
	if (w->sock < 0)
		return -w->sock;
	if (a->method == M_MMAP || a->method == M_PREAD) {
		w->remote = true;
		w->method = a->method;
		w->socket = a->socket;
		snprintf(w->bdf, sizeof(w->bdf), "%s", a->bdf);
		snprintf(w->barname, sizeof(w->barname), "%" PRIu32, a->bar);
		return 0;
	}
	snprintf(req, sizeof(req), "EXPORT %s %" PRIu32 ":0x%" PRIx64 "+0x%" PRIx64 " %s", a->bdf,
		 a->bar, start, end - start, vb_attr_name(a->attr));
	r = vb_request(w->sock, a->socket, req, -1, DU_DURATION_INFINITE, reply, sizeof(reply),
		       &w->dmabuf_fd);
	if (r)
		return r;
	w->method = M_DMABUF;
	return map_range(w, w->dmabuf_fd, 0, a->offset - start, len, a->write, "");
}

static int open_device_window(struct window *w, const struct access_args *a, uint64_t len)
{
	uint64_t page = page_size();
	uint64_t start = a->offset / page * page;
	uint64_t end = (a->offset + len + page - 1) / page * page;
	struct du_vfio_region reg;
	enum method m = a->method;
	int r;

	snprintf(w->what, sizeof(w->what), "%s BAR%" PRIu32, a->bdf, a->bar);
	r = vb_device_open(a->bdf, &w->dev);
	if (r)
		return r;
	w->dev_open = true;
	r = du_vfio_region(&w->dev.dev, a->bar, &reg);
	if (r) {
		du_report(-r, "%s: region %" PRIu32 ": VFIO_DEVICE_GET_REGION_INFO failed", a->bdf,
			  a->bar);
		return DU_EXIT_FAILURE;
	}
	du_vfio_region_free(&reg);
	if (a->bar >= DU_PCI_NUM_BARS || !reg.size) {
		du_report(EINVAL, "%s: region %" PRIu32 " is not an implemented BAR", a->bdf,
			  a->bar);
		return DU_EXIT_FAILURE;
	}
	if (a->offset + len > reg.size) {
		du_report(EINVAL,
			  "%s: 0x%" PRIx64 "+0x%" PRIx64 " ends past the BAR (size 0x%" PRIx64 ")",
			  w->what, a->offset, len, reg.size);
		return DU_EXIT_FAILURE;
	}
	if (m == M_AUTO)
		m = du_vfio_has(&w->dev.caps, DU_VFIO_CAP_DMA_BUF) &&
				    du_vfio_has(&w->dev.caps, DU_VFIO_CAP_DMA_BUF_MMAP) &&
				    (reg.flags & VFIO_REGION_INFO_FLAG_MMAP) && end <= reg.size
			    ? M_DMABUF
			    : M_PREAD;
	w->method = m;
	if (m == M_PREAD) {
		w->fd = w->dev.dev.device;
		w->fd_base = reg.offset;
		return 0;
	}
	if (m == M_MMAP) {
		if (!(reg.flags & VFIO_REGION_INFO_FLAG_MMAP)) {
			du_report(0, "%s: the device fd cannot map this BAR (no MMAP flag)",
				  w->what);
			return DU_EXIT_FAILURE;
		}
		return map_range(w, w->dev.dev.device, reg.offset, a->offset, len, a->write, "");
	}
	for (int c = DU_VFIO_CAP_DMA_BUF; c <= DU_VFIO_CAP_DMA_BUF_MMAP; c++) {
		if (!du_vfio_has(&w->dev.caps, c)) {
			du_report(0, "%s: kernel feature missing: %s (%s)", a->bdf,
				  vb_features[VB_FIRST_CAP_FEATURE + c].name,
				  w->dev.caps.probe[c].reason);
			return DU_EXIT_NOFEATURE;
		}
	}
	{
		struct du_vfio_range range = { start, end - start };
		struct vb_spec spec = { a->bar, 1, &range };
		char msg[512];

		w->dmabuf_fd = vb_export(&w->dev, &spec, a->attr, NULL, msg, sizeof(msg));
		if (w->dmabuf_fd < 0) {
			du_report(-w->dmabuf_fd, "%s", msg);
			return vb_exit_for(-w->dmabuf_fd);
		}
	}
	return map_range(w, w->dmabuf_fd, 0, a->offset - start, len, a->write, "");
}

/* ---- output ---- */

static void dump(uint64_t off, const uint8_t *data, uint64_t n, unsigned int width)
{
	for (uint64_t line = 0; line < n; line += 16) {
		uint64_t end = line + 16 < n ? line + 16 : n;

		printf("%08" PRIx64 ":", off + line);
		for (uint64_t i = line; i < end; i += width) {
			uint64_t v = 0;

			memcpy(&v, data + i, width);
			printf(" %0*" PRIx64, (int)width * 2, v);
		}
		/* Pad short last lines so the text column lines up. */
		for (uint64_t i = end; i < line + 16; i += width)
			printf(" %*s", (int)width * 2, "");
		printf("  |");
		for (uint64_t i = line; i < end; i++)
			putchar(data[i] >= 0x20 && data[i] < 0x7f ? data[i] : '.');
		printf("|\n");
	}
}

static int emit(const struct access_args *a, const uint8_t *data, uint64_t n)
{
	if (a->binary) {
		if (fwrite(data, 1, n, stdout) != n)
			goto fail;
	} else {
		dump(a->offset, data, n, a->width);
	}
	if (fflush(stdout) == EOF)
		goto fail;
	return 0;
fail:
	du_report(errno, "stdout: write failed");
	return DU_EXIT_FAILURE;
}

static int do_read(struct window *w, const struct access_args *a, uint64_t n)
{
	_cleanup_free_ uint8_t *buf = xcalloc(1, n), *prev = xcalloc(1, n);
	struct timespec ts = { a->watch_ns / 1000000000, a->watch_ns % 1000000000 };
	bool first = true;
	int r;

	for (;;) {
		r = transfer(w, false, a->offset, buf, a->count, a->width);
		if (r)
			return r;
		if (first || memcmp(buf, prev, n)) {
			r = emit(a, buf, n);
			if (r)
				return r;
		}
		if (!a->watch)
			return 0;
		memcpy(prev, buf, n);
		first = false;
		if (a->watch_ns)
			nanosleep(&ts, NULL);
	}
}

static uint8_t *read_source(const char *path, uint64_t *len)
{
	int fd = streq(path, "-") ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 65536, used = 0;
	uint8_t *buf;

	if (fd < 0) {
		du_report(errno, "%s: cannot open", path);
		return NULL;
	}
	buf = xmalloc(cap);
	for (;;) {
		ssize_t n = read(fd, buf + used, cap - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			du_report(errno, "%s: read failed", path);
			free(buf);
			buf = NULL;
			break;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > MAX_BYTES) {
			du_report(EFBIG, "%s: more than %llu bytes", path, MAX_BYTES);
			free(buf);
			buf = NULL;
			break;
		}
		if (used == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*len = used;
	return buf;
}

/* ---- argument parsing ---- */

enum { OPT_DMABUF = 0x100, OPT_SOCKET, OPT_METHOD, OPT_WC, OPT_WATCH, OPT_FROM };

static const struct argp_option read_options[] = {
	{ "width", 'w', "1|2|4|8", 0, "access width in bytes (default 4)", 0 },
	{ "count", 'c', "N", 0, "number of consecutive elements (default 1)", 0 },
	{ "method", OPT_METHOD, "HOW", 0,
	  "how to reach the BAR: dmabuf (map an exported DMABUF), mmap (the device fd's own "
	  "mapping), pread (pread/pwrite), or auto (default: dmabuf when the kernel can)",
	  0 },
	{ "wc", OPT_WC, NULL, 0, "map the DMABUF write-combined instead of uncached", 0 },
	{ "socket", OPT_SOCKET, "PATH", 0,
	  "go through the primary ('vfiobarctl serve') listening at PATH: it vends a DMABUF "
	  "of the pages (dmabuf, auto) or does the access itself (mmap: with its own "
	  "mapping of the device fd, pread)",
	  0 },
	{ "dmabuf", OPT_DMABUF, "FDREF", 0,
	  "access a DMABUF we hold (FD, PID:FD or a path) instead of BDF BAR; OFFSET is then "
	  "an offset in the DMABUF",
	  0 },
	{ "binary", 'b', NULL, 0, "write the raw bytes to stdout instead of a hex dump", 0 },
	{ "watch", OPT_WATCH, "INTERVAL", 0,
	  "read again every INTERVAL (0: back to back) and print whenever the data changes, "
	  "until interrupted",
	  0 },
	{ 0 }
};

static const struct argp_option write_options[] = {
	{ "width", 'w', "1|2|4|8", 0, "access width in bytes (default 4)", 0 },
	{ "count", 'c', "N", 0, "store VALUE into N consecutive elements (default 1)", 0 },
	{ "from", OPT_FROM, "FILE", 0,
	  "store the bytes of FILE ('-': stdin) instead of VALUE, WIDTH at a time", 0 },
	{ "method", OPT_METHOD, "HOW", 0, "dmabuf, mmap, pread or auto (see 'read --help')", 0 },
	{ "wc", OPT_WC, NULL, 0, "map the DMABUF write-combined instead of uncached", 0 },
	{ "socket", OPT_SOCKET, "PATH", 0, "go through the primary listening at PATH (see read)",
	  0 },
	{ "dmabuf", OPT_DMABUF, "FDREF", 0,
	  "write to a DMABUF we hold (FD, PID:FD or a path) instead of BDF BAR", 0 },
	{ 0 }
};

static void parse_number(struct argp_state *state, const char *what, const char *arg, uint64_t *out)
{
	if (du_parse_size(arg, out))
		argp_error(state, "%s: not a number: %s", what, arg);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct access_args *a = state->input;
	uint64_t v;

	switch (key) {
	case 'w':
		if (du_parse_u64(arg, &v) || (v != 1 && v != 2 && v != 4 && v != 8))
			argp_error(state, "--width: must be 1, 2, 4 or 8: %s", arg);
		a->width = (unsigned int)v;
		break;
	case 'c':
		if (du_parse_u64(arg, &a->count) || !a->count)
			argp_error(state, "--count: must be a positive number: %s", arg);
		a->count_set = true;
		break;
	case OPT_METHOD:
		if (streq(arg, "auto"))
			a->method = M_AUTO;
		else if (streq(arg, "dmabuf"))
			a->method = M_DMABUF;
		else if (streq(arg, "mmap"))
			a->method = M_MMAP;
		else if (streq(arg, "pread"))
			a->method = M_PREAD;
		else
			argp_error(state, "--method: unknown method: %s", arg);
		break;
	case OPT_WC:
		a->attr = DU_VFIO_ATTR_WC;
		break;
	case OPT_SOCKET:
		a->socket = arg;
		break;
	case OPT_DMABUF:
		a->dmabuf = arg;
		break;
	case 'b':
		a->binary = true;
		break;
	case OPT_WATCH:
		if (du_parse_duration(arg, &a->watch_ns) || a->watch_ns == DU_DURATION_INFINITE)
			argp_error(state, "--watch: not a duration: %s", arg);
		a->watch = true;
		break;
	case OPT_FROM:
		a->from = arg;
		break;
	case ARGP_KEY_ARG: {
		/* BDF BAR OFFSET [VALUE], or with --dmabuf: OFFSET [VALUE] */
		int pos = (int)state->arg_num + (a->dmabuf ? 2 : 0);

		if (pos == 0) {
			vb_arg_bdf(arg, a->bdf);
		} else if (pos == 1) {
			if (du_parse_u32(arg, &a->bar))
				argp_error(state, "BAR: not a number: %s", arg);
		} else if (pos == 2) {
			parse_number(state, "OFFSET", arg, &a->offset);
		} else if (pos == 3 && a->write && !a->from) {
			if (du_parse_u64(arg, &a->value))
				argp_error(state, "VALUE: not a number: %s", arg);
			a->has_value = true;
		} else {
			argp_error(state, "too many arguments");
		}
		a->nargs++;
		break;
	}
	case ARGP_KEY_END:
		if (a->nargs < (a->dmabuf ? 1 : 3))
			argp_error(state, "missing arguments");
		if (a->write && !a->from && !a->has_value)
			argp_error(state, "no VALUE given (or --from FILE)");
		if (a->dmabuf && (a->socket || a->method == M_MMAP || a->method == M_PREAD))
			argp_error(state, "--dmabuf cannot be combined with --socket or --method");
		if (a->from && a->count_set)
			argp_error(state, "--from and --count exclude each other");
		if (a->offset % a->width)
			argp_error(state, "OFFSET 0x%" PRIx64 " is not a multiple of --width %u",
				   a->offset, a->width);
		if (a->has_value && a->width < 8 && a->value >> (a->width * 8))
			argp_error(state, "VALUE 0x%" PRIx64 " does not fit in %u bytes", a->value,
				   a->width);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp read_argp = {
	.options = read_options,
	.parser = parse_opt,
	.args_doc = "BDF BAR OFFSET\n--dmabuf FDREF OFFSET",
	.doc = "Read BAR registers or memory and print them as a hex dump.\v"
	       "Offsets take 0x hex or size suffixes (4K).  A DMABUF mapping or pread on the "
	       "region is used, whichever the kernel offers; --method chooses.",
};

static const struct argp write_argp = {
	.options = write_options,
	.parser = parse_opt,
	.args_doc = "BDF BAR OFFSET VALUE\n--dmabuf FDREF OFFSET VALUE",
	.doc = "Write a value (or a file's bytes) to BAR registers or memory.",
};

static int run(bool write, int argc, char **argv)
{
	struct access_args a = { .write = write, .width = 4, .count = 1 };
	struct window w = { .fd = -1, .dmabuf_fd = -1, .sock = -1 };
	_cleanup_free_ uint8_t *data = NULL;
	uint64_t n;
	int r;

	argp_parse(write ? &write_argp : &read_argp, argc, argv, 0, NULL, &a);
	if (a.from) {
		data = read_source(a.from, &n);
		if (!data)
			return DU_EXIT_FAILURE;
		if (!n || n % a.width) {
			du_report(EINVAL, "%s: %" PRIu64 " bytes is not a positive multiple of %u",
				  a.from, n, a.width);
			return DU_EXIT_FAILURE;
		}
		a.count = n / a.width;
	} else {
		if (a.count > MAX_BYTES / a.width)
			du_usage_error("--count %" PRIu64 ": more than %llu bytes", a.count,
				       MAX_BYTES);
		n = a.count * a.width;
		data = xcalloc(1, n);
		for (uint64_t i = 0; write && i < a.count; i++)
			memcpy(data + i * a.width, &a.value, a.width);
	}

	if (a.dmabuf)
		r = open_dmabuf_ref(&w, &a, n);
	else if (a.socket)
		r = open_via_primary(&w, &a, n);
	else
		r = open_device_window(&w, &a, n);
	if (!r)
		r = write ? transfer(&w, true, a.offset, data, a.count, a.width)
			  : do_read(&w, &a, n);
	window_close(&w);
	return r;
}

static int read_run(int argc, char **argv)
{
	return run(false, argc, argv);
}

static int write_run(int argc, char **argv)
{
	return run(true, argc, argv);
}

const struct du_cmd cmd_read = {
	"read",
	read_run,
	"read BAR registers or memory (hex dump)",
};

const struct du_cmd cmd_write = {
	"write",
	write_run,
	"write BAR registers or memory",
};
