// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * query.c - `syncobjctl query`: the timeline position of syncobjs.
 */
#include <inttypes.h>

#include "err.h"
#include "output.h"
#include "syncobjctl.h"

enum { COL_REF, COL_FD, COL_POINT, COL_SIGNALED, COL_SUBMITTED };

static const struct du_colinfo query_columns[] = {
	[COL_REF] = { "REF", 0, 0, SCOLS_JSON_STRING, "the reference as given" },
	[COL_FD] = { "FD", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "fd in syncobjctl" },
	[COL_POINT] = { "POINT", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			"last signaled point (last submitted with --last-submitted)" },
	[COL_SIGNALED] = { "SIGNALED", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "last signaled point" },
	[COL_SUBMITTED] = { "SUBMITTED", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "last submitted point (highest with a fence)" },
};

static const int query_default_columns[] = { COL_REF, COL_POINT };

struct query_args {
	struct du_output out;
	bool last_submitted;
	struct sctl_operands ops;
};

enum { OPT_LAST_SUBMITTED = 0x3200 };

static const struct argp_option query_options[] = { { "last-submitted", OPT_LAST_SUBMITTED, NULL, 0,
						      "POINT is the last submitted point, not the "
						      "last signaled one",
						      0 },
						    { 0 } };

static error_t query_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct query_args *a = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		state->child_inputs[1] = &a->ops;
		break;
	case OPT_LAST_SUBMITTED:
		a->last_submitted = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child query_children[] = {
	{ &du_output_argp, 0, "Output:", 0 },
	{ &sctl_operands_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp query_argp = {
	.options = query_options,
	.parser = query_parse_opt,
	.args_doc = "REF...",
	.doc = "Print the last signaled (or submitted) timeline point of syncobjs.  A binary "
	       "syncobj reports 0.  For a bare number: -rn -o POINT.",
	.children = query_children,
};

static bool selected(const struct du_output *out, int id)
{
	for (size_t i = 0; i < out->ncolumns; i++)
		if (out->columns[i] == id)
			return true;
	return false;
}

static int query_run(int argc, char **argv)
{
	struct query_args a = { .ops = { .min = 1, .usage = "no syncobj given" } };
	uint64_t *point = NULL, *signaled = NULL, *submitted = NULL;
	struct du_syncobj_ctx *ctx;
	struct sref *refs;
	int *fds = NULL;
	int status, r = 0;

	du_output_init(&a.out, query_columns, ARRAY_SIZE(query_columns), query_default_columns,
		       ARRAY_SIZE(query_default_columns));
	status = sctl_parse(&query_argp, argc, argv, &a);
	if (status)
		return status;
	refs = sref_parse_all(a.ops.v, a.ops.n, false);
	sctl_need_cap(DU_SYNCOBJ_CAP_TIMELINE);
	ctx = sctl_ctx();
	status = sref_open_all(refs, a.ops.n);
	if (status)
		goto out;
	fds = sref_fds(refs, a.ops.n);
	point = xcalloc(a.ops.n, sizeof(*point));
	signaled = xcalloc(a.ops.n, sizeof(*signaled));
	submitted = xcalloc(a.ops.n, sizeof(*submitted));
	r = du_syncobj_query(ctx, fds, point, a.ops.n,
			     a.last_submitted ? DU_SYNCOBJ_QUERY_LAST_SUBMITTED : 0);
	/* The other two columns cost one more query each, only when asked for. */
	if (!r && selected(&a.out, COL_SIGNALED))
		r = du_syncobj_query(ctx, fds, signaled, a.ops.n, 0);
	if (!r && selected(&a.out, COL_SUBMITTED))
		r = du_syncobj_query(ctx, fds, submitted, a.ops.n, DU_SYNCOBJ_QUERY_LAST_SUBMITTED);
	if (r) {
		status = sctl_fail("query", -r, refs, a.ops.n, NULL);
		goto out;
	}

	du_output_start(&a.out, "syncobjs");
	for (int i = 0; i < a.ops.n; i++) {
		struct libscols_line *ln = du_output_new_line(&a.out);

		du_output_set_str(&a.out, ln, COL_REF, refs[i].text);
		du_output_set(&a.out, ln, COL_FD, "%d", refs[i].fd);
		du_output_set(&a.out, ln, COL_POINT, "%" PRIu64, point[i]);
		du_output_set(&a.out, ln, COL_SIGNALED, "%" PRIu64, signaled[i]);
		du_output_set(&a.out, ln, COL_SUBMITTED, "%" PRIu64, submitted[i]);
	}
	if (du_output_print(&a.out))
		status = DU_EXIT_FAILURE;
	du_output_free(&a.out);
out:
	free(fds);
	free(point);
	free(signaled);
	free(submitted);
	sref_free_all(refs, a.ops.n);
	return status;
}

const struct du_cmd cmd_query = {
	"query",
	query_run,
	"print the last signaled or submitted point of syncobjs",
};
