// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * export.c - `vfiobarctl export`: get DMABUFs of BAR ranges, from the device
 * itself or from a primary (--socket), and run a command holding them.
 *
 * With --socket the DMABUFs arrive over SCM_RIGHTS and this process execs
 * CMD itself, so the primary records CMD's pid as the holder.  Without it,
 * this process opens the device, forks CMD with only the DMABUFs, and keeps
 * the device open until CMD exits (closing it would revoke them).  Either
 * way CMD never sees the device fd: everything else is O_CLOEXEC.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "output.h"
#include "parse.h"
#include "vfiobarctl.h"

#define MAX_SPECS 16

enum { COL_ID, COL_DEVICE, COL_RANGES, COL_ATTR, COL_SIZE, COL_INODE, COL_FD };

static const struct du_colinfo columns[] = {
	[COL_ID] = { "ID", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		     "export ID at the primary (with --socket)" },
	[COL_DEVICE] = { "DEVICE", 12, 0, SCOLS_JSON_STRING, "PCI address" },
	[COL_RANGES] = { "RANGES", 20, 0, SCOLS_JSON_STRING, "BAR:OFFSET+LENGTH,..." },
	[COL_ATTR] = { "ATTR", 4, 0, SCOLS_JSON_STRING, "CPU mapping attribute: uc or wc" },
	[COL_SIZE] = { "SIZE", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "DMABUF size in bytes" },
	[COL_INODE] = { "INODE", 8, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "DMABUF inode" },
	[COL_FD] = { "FD", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "descriptor CMD gets it on" },
};

static const int default_columns[] = {
	COL_ID, COL_DEVICE, COL_RANGES, COL_ATTR, COL_SIZE, COL_INODE
};

struct export_args {
	struct du_output out;
	char bdf[DU_BDF_LEN];
	const char *specs[MAX_SPECS];
	size_t nspecs;
	enum du_vfio_attr attr;
	const char *socket;
	int first_fd;
	int64_t timeout_ns;
	struct vb_export_raw raw;
	char **cmd; /* after "--" */
};

struct exported {
	int fd;
	unsigned int id; /* 0 without a primary */
	uint64_t size, inode;
	char *spec;
};

enum { OPT_WC = 0x100, OPT_SOCKET, OPT_FD, OPT_TIMEOUT, OPT_RAW_NR, OPT_RAW_FLAGS };

static const struct argp_option options[] = {
	{ "wc", OPT_WC, NULL, 0, "map the DMABUFs write-combined (default: uncached)", 0 },
	{ "socket", OPT_SOCKET, "PATH", 0,
	  "ask the primary listening at PATH ('vfiobarctl serve') instead of opening the "
	  "device",
	  0 },
	{ "fd", OPT_FD, "N", 0, "give CMD the DMABUFs on fds N, N+1, ... (default 3)", 0 },
	{ "timeout", OPT_TIMEOUT, "DURATION", 0,
	  "how long to wait for the primary (default: forever; exit 4 when it expires)", 0 },
	{ "_nr-ranges", OPT_RAW_NR, "N", OPTION_HIDDEN,
	  "put N into nr_ranges whatever the ranges (testing purpose)", 0 },
	{ "_flags", OPT_RAW_FLAGS, "X", OPTION_HIDDEN,
	  "pass X as the export flags (testing purpose)", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct export_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case OPT_WC:
		a->attr = DU_VFIO_ATTR_WC;
		break;
	case OPT_SOCKET:
		a->socket = arg;
		break;
	case OPT_FD:
		if (du_parse_nonneg_int(arg, &a->first_fd) || a->first_fd < 3 || a->first_fd > 1000)
			argp_error(state, "--fd: must be a number from 3 to 1000: %s", arg);
		break;
	case OPT_TIMEOUT:
		if (du_parse_duration(arg, &a->timeout_ns))
			argp_error(state, "--timeout: not a duration: %s", arg);
		break;
	case OPT_RAW_NR:
		if (du_parse_u32(arg, &a->raw.nr_ranges))
			argp_error(state, "--_nr-ranges: not a number: %s", arg);
		a->raw.set_nr = true;
		break;
	case OPT_RAW_FLAGS:
		if (du_parse_u32(arg, &a->raw.flags))
			argp_error(state, "--_flags: not a number: %s", arg);
		a->raw.set_flags = true;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0) {
			vb_arg_bdf(arg, a->bdf);
		} else {
			if (a->nspecs == MAX_SPECS)
				argp_error(state, "at most %d DMABUFs at once", MAX_SPECS);
			a->specs[a->nspecs++] = arg;
		}
		break;
	case ARGP_KEY_END:
		if (!a->nspecs)
			argp_error(state, "expected BDF and at least one BAR:OFFSET+LENGTH");
		/* Bad range lists are usage errors, found before anything is opened. */
		for (size_t i = 0; i < a->nspecs; i++) {
			struct vb_spec spec;
			const char *why;

			if (vb_spec_parse(a->specs[i], &spec, &why))
				du_usage_error("%s: %s", a->specs[i], why);
			vb_spec_free(&spec);
		}
		if ((a->raw.set_nr || a->raw.set_flags) && a->nspecs > 1)
			argp_error(state, "--_nr-ranges and --_flags take one range list");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = { { &du_output_argp, 0, "Output (without CMD):", 0 },
					      { 0 } };

static const struct argp export_argp = {
	.options = options,
	.parser = parse_opt,
	.args_doc = "BDF BAR:OFFSET+LENGTH[,OFFSET+LENGTH...]... [-- CMD [ARG...]]",
	.doc = "Export BAR ranges as DMABUFs and run CMD with them on fds 3, 4, ... (one "
	       "DMABUF per range list), or without CMD print what was exported.\v"
	       "CMD finds them in its environment too: VFIOBARCTL_FD (the first fd), "
	       "VFIOBARCTL_FDS, VFIOBARCTL_SIZE, VFIOBARCTL_BDF and, with --socket, "
	       "VFIOBARCTL_ID.  CMD never gets the device fd.  Without --socket this process "
	       "keeps the device open until CMD exits and exits with CMD's status.",
	.children = children,
};

/* ---- getting the DMABUFs ---- */

static int from_device(struct export_args *a, struct vb_device *dev, struct exported *ex)
{
	int r = vb_device_open(a->bdf, dev);

	if (r)
		return r;
	if (!du_vfio_has(&dev->caps, DU_VFIO_CAP_DMA_BUF)) {
		du_report(0, "%s: kernel feature missing: dma-buf-export (%s)", a->bdf,
			  dev->caps.probe[DU_VFIO_CAP_DMA_BUF].reason);
		return DU_EXIT_NOFEATURE;
	}
	for (size_t i = 0; i < a->nspecs; i++) {
		struct vb_spec spec;
		const char *why;
		char msg[512];
		struct stat st;

		if (vb_spec_parse(a->specs[i], &spec, &why))
			du_usage_error("%s: %s", a->specs[i], why);
		ex[i].fd = vb_export(dev, &spec, a->attr, &a->raw, msg, sizeof(msg));
		if (ex[i].fd < 0) {
			du_report(-ex[i].fd, "%s", msg);
			vb_spec_free(&spec);
			return vb_exit_for(-ex[i].fd);
		}
		ex[i].size = vb_spec_size(&spec);
		ex[i].inode = fstat(ex[i].fd, &st) ? 0 : (uint64_t)st.st_ino;
		ex[i].spec = vb_spec_format(&spec);
		vb_spec_free(&spec);
	}
	return 0;
}

static int from_primary(struct export_args *a, struct exported *ex)
{
	int sock = vb_connect(a->socket), r = 0;

	if (sock < 0)
		return -sock;
	for (size_t i = 0; i < a->nspecs && !r; i++) {
		_cleanup_free_ char *req = NULL, *canon = NULL;
		char reply[256], extra[64] = "";
		struct vb_spec spec;
		const char *why;

		if (vb_spec_parse(a->specs[i], &spec, &why))
			du_usage_error("%s: %s", a->specs[i], why);
		canon = vb_spec_format(&spec);
		vb_spec_free(&spec);
		if (a->raw.set_nr)
			snprintf(extra, sizeof(extra), " nr=%" PRIu32, a->raw.nr_ranges);
		if (a->raw.set_flags)
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
				 " flags=%" PRIu32, a->raw.flags);
		xasprintf(&req, "EXPORT %s %s %s%s", a->bdf, canon, vb_attr_name(a->attr), extra);
		r = vb_request(sock, a->socket, req, -1, a->timeout_ns, reply, sizeof(reply),
			       &ex[i].fd);
		if (r)
			break;
		if (ex[i].fd < 0 || sscanf(reply, "%u %" SCNu64 " %" SCNu64, &ex[i].id, &ex[i].size,
					   &ex[i].inode) != 3) {
			du_report(EPROTO, "%s: malformed EXPORT reply: %.80s", a->socket, reply);
			r = DU_EXIT_FAILURE;
			break;
		}
		ex[i].spec = xstrdup(canon);
	}
	close(sock);
	return r;
}

/* ---- handing them to CMD ---- */

static void set_env(const struct export_args *a, const struct exported *ex)
{
	char buf[1024] = "";
	size_t used = 0;

	for (size_t i = 0; i < a->nspecs; i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%d", i ? " " : "",
					 a->first_fd + (int)i);
	setenv("VFIOBARCTL_FDS", buf, 1);
	snprintf(buf, sizeof(buf), "%d", a->first_fd);
	setenv("VFIOBARCTL_FD", buf, 1);
	snprintf(buf, sizeof(buf), "%" PRIu64, ex[0].size);
	setenv("VFIOBARCTL_SIZE", buf, 1);
	setenv("VFIOBARCTL_BDF", a->bdf, 1);
	if (ex[0].id) {
		snprintf(buf, sizeof(buf), "%u", ex[0].id);
		setenv("VFIOBARCTL_ID", buf, 1);
	} else {
		unsetenv("VFIOBARCTL_ID");
	}
}

/* Put the DMABUFs on first_fd.. (inheritable) and exec CMD; returns only on failure. */
static int exec_cmd(const struct export_args *a, struct exported *ex)
{
	int tmp[MAX_SPECS];

	/* Out of the way first, so placing one cannot overwrite another. */
	for (size_t i = 0; i < a->nspecs; i++) {
		tmp[i] = fcntl(ex[i].fd, F_DUPFD_CLOEXEC, a->first_fd + MAX_SPECS);
		if (tmp[i] < 0) {
			du_report(errno, "cannot move the DMABUF fds");
			return DU_EXIT_FAILURE;
		}
		close(ex[i].fd);
	}
	for (size_t i = 0; i < a->nspecs; i++) {
		if (dup2(tmp[i], a->first_fd + (int)i) < 0) {
			du_report(errno, "cannot place the DMABUF on fd %d", a->first_fd + (int)i);
			return DU_EXIT_FAILURE;
		}
		close(tmp[i]);
		ex[i].fd = a->first_fd + (int)i;
	}
	set_env(a, ex);
	execvp(a->cmd[0], a->cmd);
	du_report(errno, "%s: cannot execute", a->cmd[0]);
	return errno == ENOENT ? 127 : 126;
}

static int fork_cmd(const struct export_args *a, struct exported *ex)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		du_report(errno, "cannot fork");
		return DU_EXIT_FAILURE;
	}
	if (pid == 0)
		_exit(exec_cmd(a, ex));
	/* CMD has its copies; ours would only keep the buffers alive. */
	for (size_t i = 0; i < a->nspecs; i++) {
		close(ex[i].fd);
		ex[i].fd = -1;
	}
	/* Interrupts go to CMD (same process group); we wait for it either way. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			du_report(errno, "cannot wait for %s", a->cmd[0]);
			return DU_EXIT_FAILURE;
		}
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int print_exports(struct export_args *a, const struct exported *ex)
{
	int r;

	du_output_start(&a->out, "exports");
	for (size_t i = 0; i < a->nspecs; i++) {
		struct libscols_line *ln = du_output_new_line(&a->out);

		if (ex[i].id)
			du_output_set(&a->out, ln, COL_ID, "%u", ex[i].id);
		du_output_set_str(&a->out, ln, COL_DEVICE, a->bdf);
		du_output_set_str(&a->out, ln, COL_RANGES, ex[i].spec);
		du_output_set_str(&a->out, ln, COL_ATTR, vb_attr_name(a->attr));
		du_output_set(&a->out, ln, COL_SIZE, "%" PRIu64, ex[i].size);
		du_output_set(&a->out, ln, COL_INODE, "%" PRIu64, ex[i].inode);
		du_output_set(&a->out, ln, COL_FD, "%d", a->first_fd + (int)i);
	}
	r = du_output_print(&a->out) ? DU_EXIT_FAILURE : 0;
	du_output_free(&a->out);
	return r;
}

static int export_run(int argc, char **argv)
{
	struct export_args a = { .first_fd = 3, .timeout_ns = DU_DURATION_INFINITE };
	struct exported ex[MAX_SPECS];
	struct vb_device dev = { .dev = { .container = -1, .group = -1, .device = -1 } };
	bool dev_open = false;
	int r;

	/* Everything after "--" is CMD; argp must not see it. */
	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "--")) {
			argv[i] = NULL;
			a.cmd = &argv[i + 1];
			argc = i;
			if (!a.cmd[0])
				du_usage_error("no command after --");
			break;
		}
	}
	du_output_init(&a.out, columns, ARRAY_SIZE(columns), default_columns,
		       ARRAY_SIZE(default_columns));
	argp_parse(&export_argp, argc, argv, 0, NULL, &a);
	for (size_t i = 0; i < MAX_SPECS; i++)
		ex[i] = (struct exported){ .fd = -1 };

	if (a.socket) {
		r = from_primary(&a, ex);
	} else {
		r = from_device(&a, &dev, ex);
		dev_open = r == 0 || dev.dev.device >= 0;
	}
	if (!r)
		r = !a.cmd ? print_exports(&a, ex) : a.socket ? exec_cmd(&a, ex) : fork_cmd(&a, ex);
	for (size_t i = 0; i < a.nspecs; i++) {
		if (ex[i].fd >= 0)
			close(ex[i].fd);
		free(ex[i].spec);
	}
	if (dev_open)
		vb_device_close(&dev);
	return r;
}

const struct du_cmd cmd_export = {
	"export",
	export_run,
	"export BAR ranges as DMABUFs, run a command with them",
};
