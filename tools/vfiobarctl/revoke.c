// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * revoke.c - `vfiobarctl revoke`: ask the primary to revoke DMABUFs it
 * vended (by ID, all of them, or one handed over by fd).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "err.h"
#include "fdref.h"
#include "parse.h"
#include "vfiobarctl.h"

struct revoke_args {
	const char *socket;
	const char *id;
	bool all;
	const char *fdref;
	int64_t timeout_ns;
};

enum { OPT_ALL = 0x100, OPT_FD, OPT_TIMEOUT };

static const struct argp_option options[] = {
	{ "socket", 's', "PATH", 0, "the primary's socket (required)", 0 },
	{ "all", OPT_ALL, NULL, 0, "revoke every DMABUF the primary vended that is still active",
	  0 },
	{ "fd", OPT_FD, "FDREF", 0,
	  "revoke the DMABUF behind FDREF (FD, PID:FD or a path), sent to the primary", 0 },
	{ "timeout", OPT_TIMEOUT, "DURATION", 0,
	  "how long to wait for the primary (default: forever; exit 4 when it expires)", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct revoke_args *a = state->input;
	uint32_t id;

	switch (key) {
	case 's':
		a->socket = arg;
		break;
	case OPT_ALL:
		a->all = true;
		break;
	case OPT_FD:
		a->fdref = arg;
		break;
	case OPT_TIMEOUT:
		if (du_parse_duration(arg, &a->timeout_ns))
			argp_error(state, "--timeout: not a duration: %s", arg);
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num > 0)
			argp_error(state, "too many arguments");
		if (du_parse_u32(arg, &id) || !id)
			argp_error(state, "ID: not an export ID: %s", arg);
		a->id = arg;
		break;
	case ARGP_KEY_END:
		if (!a->socket)
			argp_error(state, "--socket PATH is required");
		if (!!a->id + a->all + !!a->fdref != 1)
			argp_error(state, "give exactly one of ID, --all and --fd");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp revoke_argp = {
	.options = options,
	.parser = parse_opt,
	.args_doc = "ID\n--all\n--fd FDREF",
	.doc = "Permanently revoke DMABUFs vended by a primary: every mapping of them raises "
	       "SIGBUS from then on and new mappings fail; the primary can export the range "
	       "again.\vIDs are those 'vfiobarctl exports' lists.",
};

static int revoke_run(int argc, char **argv)
{
	struct revoke_args a = { .timeout_ns = DU_DURATION_INFINITE };
	char req[64], reply[128];
	unsigned int count;
	int64_t ns;
	int sock, fd = -1, r;

	argp_parse(&revoke_argp, argc, argv, 0, NULL, &a);
	if (a.fdref) {
		struct du_fdref ref;

		if (du_fdref_parse(a.fdref, &ref))
			du_usage_error("--fd %s: expected FD, PID:FD or a path", a.fdref);
		fd = du_fdref_open(a.fdref, &ref, O_RDONLY, true);
		if (fd < 0)
			return DU_EXIT_FAILURE;
	}
	sock = vb_connect(a.socket);
	if (sock < 0) {
		if (fd >= 0)
			close(fd);
		return -sock;
	}
	snprintf(req, sizeof(req), "REVOKE %s", a.fdref ? "fd" : a.all ? "all" : a.id);
	r = vb_request(sock, a.socket, req, fd, a.timeout_ns, reply, sizeof(reply), NULL);
	close(sock);
	if (fd >= 0)
		close(fd);
	if (r)
		return r;
	if (sscanf(reply, "%u %" SCNd64, &count, &ns) != 2) {
		du_report(EPROTO, "%s: malformed REVOKE reply: %.80s", a.socket, reply);
		return DU_EXIT_FAILURE;
	}
	printf("%s: revoked %u in %.1f us\n",
	       a.fdref ? a.fdref
	       : a.all ? "all exports"
		       : a.id,
	       count, (double)ns / 1000.0);
	return DU_EXIT_SUCCESS;
}

const struct du_cmd cmd_revoke = {
	"revoke",
	revoke_run,
	"revoke DMABUFs a primary vended (ID, --all, --fd)",
};
