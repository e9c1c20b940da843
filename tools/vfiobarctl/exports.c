// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exports.c - `vfiobarctl exports`: what a primary vended to whom, and who
 * holds each DMABUF now (open or mapped, found by inode in /proc).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "dmabuf.h"
#include "err.h"
#include "fdpass.h"
#include "output.h"
#include "parse.h"
#include "vfiobarctl.h"

enum {
	COL_ID,
	COL_DEVICE,
	COL_RANGES,
	COL_ATTR,
	COL_SIZE,
	COL_STATE,
	COL_PID,
	COL_COMM,
	COL_UID,
	COL_AGE,
	COL_INODE,
	COL_HOLDERS,
};

static const struct du_colinfo columns[] = {
	[COL_ID] = { "ID", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "export ID" },
	[COL_DEVICE] = { "DEVICE", 12, 0, SCOLS_JSON_STRING, "PCI address" },
	[COL_RANGES] = { "RANGES", 20, 0, SCOLS_JSON_STRING, "BAR:OFFSET+LENGTH,..." },
	[COL_ATTR] = { "ATTR", 4, 0, SCOLS_JSON_STRING, "CPU mapping attribute: uc or wc" },
	[COL_SIZE] = { "SIZE", 6, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "DMABUF size" },
	[COL_STATE] = { "STATE", 7, 0, SCOLS_JSON_STRING, "active or revoked" },
	[COL_PID] = { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "process it was vended to" },
	[COL_COMM] = { "COMM", 10, 0, SCOLS_JSON_STRING, "its command name then" },
	[COL_UID] = { "UID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "its user" },
	[COL_AGE] = { "AGE", 6, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "seconds since the export" },
	[COL_INODE] = { "INODE", 8, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "DMABUF inode" },
	[COL_HOLDERS] = { "HOLDERS", 12, SCOLS_FL_WRAP, SCOLS_JSON_STRING,
			  "processes holding it now, other than the primary: "
			  "PID(COMM):fd|map|fd+map,..." },
};

static const int default_columns[] = { COL_ID,	  COL_RANGES, COL_ATTR, COL_SIZE,
				       COL_STATE, COL_PID,    COL_COMM, COL_HOLDERS };

struct exports_args {
	struct du_output out;
	const char *socket;
	int64_t timeout_ns;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct exports_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case 's':
		a->socket = arg;
		break;
	case 't':
		if (du_parse_duration(arg, &a->timeout_ns))
			argp_error(state, "--timeout: not a duration: %s", arg);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "too many arguments");
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
	{ "socket", 's', "PATH", 0, "the primary's socket (required)", 0 },
	{ "timeout", 't', "DURATION", 0, "how long to wait for the primary (default: forever)", 0 },
	{ 0 }
};

static const struct argp_child children[] = { { &du_output_argp, 0, "Output:", 0 }, { 0 } };

static const struct argp exports_argp = {
	.options = options,
	.parser = parse_opt,
	.doc = "List the DMABUFs a primary ('vfiobarctl serve') has vended: ranges, attribute, "
	       "state, to whom, and who holds them now.",
	.children = children,
};

static void format_holders(const struct du_dmabuf_set *set, uint64_t inode, pid_t primary,
			   char *buf, size_t len)
{
	const struct du_dmabuf *b = du_dmabuf_find(set, inode);
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; b && i < b->nholders && used < len; i++) {
		const struct du_dmabuf_holder *h = &b->holders[i];
		const struct du_dmabuf_proc *p = &set->procs[h->proc];

		if (p->pid == primary)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%d(%s):%s%s%s", used ? "," : "",
					 (int)p->pid, p->comm, h->fds ? "fd" : "",
					 h->fds && h->maps ? "+" : "", h->maps ? "map" : "");
	}
}

static int exports_run(int argc, char **argv)
{
	struct exports_args a = { .timeout_ns = DU_DURATION_INFINITE };
	struct du_dmabuf_set set = { 0 };
	_cleanup_free_ char *reply = xmalloc(VB_MSG_MAX + 1);
	char *line, *save = NULL;
	pid_t primary = 0;
	uid_t uid;
	int sock, r;

	du_output_init(&a.out, columns, ARRAY_SIZE(columns), default_columns,
		       ARRAY_SIZE(default_columns));
	argp_parse(&exports_argp, argc, argv, 0, NULL, &a);
	sock = vb_connect(a.socket);
	if (sock < 0)
		return -sock;
	du_unix_peer(sock, &primary, &uid);
	r = vb_request(sock, a.socket, "LIST", -1, a.timeout_ns, reply, VB_MSG_MAX + 1, NULL);
	close(sock);
	if (r)
		return r;
	du_dmabuf_scan(&set, 0);
	du_output_start(&a.out, "exports");
	strtok_r(reply, "\n", &save); /* the count */
	while ((line = strtok_r(NULL, "\n", &save))) {
		struct vb_export_info e;
		struct libscols_line *ln;
		char size[16], holders[512];

		if (vb_export_info_parse(line, &e)) {
			du_report(EPROTO, "%s: malformed LIST line: %.80s", a.socket, line);
			r = DU_EXIT_FAILURE;
			continue;
		}
		du_format_size(e.size, size, sizeof(size));
		format_holders(&set, e.inode, primary, holders, sizeof(holders));
		ln = du_output_new_line(&a.out);
		du_output_set(&a.out, ln, COL_ID, "%u", e.id);
		du_output_set_str(&a.out, ln, COL_DEVICE, e.bdf);
		du_output_set_str(&a.out, ln, COL_RANGES, e.spec);
		du_output_set_str(&a.out, ln, COL_ATTR, e.attr);
		du_output_set_str(&a.out, ln, COL_SIZE, size);
		du_output_set_str(&a.out, ln, COL_STATE, e.state);
		du_output_set(&a.out, ln, COL_PID, "%d", e.pid);
		du_output_set_str(&a.out, ln, COL_COMM, e.comm);
		du_output_set(&a.out, ln, COL_UID, "%u", e.uid);
		du_output_set(&a.out, ln, COL_AGE, "%" PRId64, (int64_t)time(NULL) - e.created);
		du_output_set(&a.out, ln, COL_INODE, "%" PRIu64, e.inode);
		du_output_set_str(&a.out, ln, COL_HOLDERS, holders[0] ? holders : NULL);
	}
	if (du_output_print(&a.out))
		r = DU_EXIT_FAILURE;
	du_output_free(&a.out);
	du_dmabuf_set_free(&set);
	return r;
}

const struct du_cmd cmd_exports = {
	"exports",
	exports_run,
	"what a primary vended, to whom, who holds it now",
};
