// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit.c - `dmaheapctl audit`: dma-buf memory per process, per buffer and
 * per cgroup, with the cgroups' memory.stat figures reconciled against the
 * buffers.  The model is built by audit-model.c; this file renders it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "audit.h"
#include "cgroup.h"
#include "dmaheapctl.h"
#include "err.h"
#include "output.h"
#include "parse.h"
#include "procfs.h"

enum view { VIEW_PROCESS, VIEW_BUFFER, VIEW_CGROUP };

enum {
	COL_PID,
	COL_COMMAND,
	COL_CGROUP,
	COL_INODE,
	COL_SIZE,
	COL_EXPORTER,
	COL_NAME,
	COL_COUNT,
	COL_PROCS,
	COL_HOLDERS,
	COL_BUFFERS,
	COL_FDS,
	COL_MAPS,
	COL_RSS,
	COL_PSS,
	COL_HELD,
	COL_EXCLUSIVE,
	COL_SHARED,
	COL_CHARGED,
	COL_TOTAL,
	COL_ATTRIBUTED,
	COL_ELSEWHERE,
	COL_DIFF,
	COL_STATUS,
	COL_CHARGED_TO,
	COL_ATTRIBUTION,
};

#define NUM SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER
#define STR 0, SCOLS_JSON_STRING

static const struct du_colinfo audit_columns[] = {
	[COL_PID] = { "PID", 5, NUM, "process id (process view)" },
	[COL_COMMAND] = { "COMMAND", 0, STR, "process name (process view)" },
	[COL_CGROUP] = { "CGROUP", 0, STR,
			 "cgroup of the process; the memory cgroup (cgroup view)" },
	[COL_INODE] = { "INODE", 5, NUM, "dma-buf inode number (buffer view)" },
	[COL_SIZE] = { "SIZE", 5, NUM, "dma-buf size (buffer view)" },
	[COL_EXPORTER] = { "EXPORTER", 0, STR, "exporter: the heap name, drm, udmabuf, ..." },
	[COL_NAME] = { "NAME", 0, STR, "name set with DMA_BUF_SET_NAME" },
	[COL_COUNT] = { "COUNT", 3, NUM, "file references to the dma-buf (fdinfo count)" },
	[COL_PROCS] = { "PROCS", 3, NUM,
			"processes holding it (buffer), or holding buffers (cgroup)" },
	[COL_HOLDERS] = { "HOLDERS", 0, STR, "processes holding the buffer, as comm[pid]" },
	[COL_BUFFERS] = { "BUFFERS", 3, NUM, "distinct dma-bufs held" },
	[COL_FDS] = { "FDS", 3, NUM, "file descriptors referring to dma-bufs" },
	[COL_MAPS] = { "MAPS", 3, NUM, "mappings of dma-bufs" },
	[COL_RSS] = { "RSS", 5, NUM, "bytes of the dma-bufs the process holds" },
	[COL_PSS] = { "PSS", 5, NUM, "RSS with each buffer divided among its holders" },
	[COL_HELD] = { "HELD", 5, NUM, "bytes of the buffers the cgroup's processes hold" },
	[COL_EXCLUSIVE] = { "EXCLUSIVE", 5, NUM, "of HELD, held by no process of another cgroup" },
	[COL_SHARED] = { "SHARED", 5, NUM, "of HELD, also held in another cgroup" },
	[COL_CHARGED] = { "CHARGED", 5, NUM, "memory.stat dmabuf of the cgroup alone" },
	[COL_TOTAL] = { "TOTAL", 5, NUM, "memory.stat dmabuf including descendants" },
	[COL_ATTRIBUTED] = { "ATTRIBUTED", 5, NUM,
			     "bytes of the buffers inferred to be charged to the cgroup" },
	[COL_ELSEWHERE] = { "ELSEWHERE", 5, NUM,
			    "of ATTRIBUTED, buffers none of the cgroup's processes holds" },
	[COL_DIFF] = { "DIFF", 5, NUM, "CHARGED minus ATTRIBUTED: charge no buffer explains" },
	[COL_STATUS] = { "STATUS", 0, STR, "ok, mismatch, or n/a without dma-buf accounting" },
	[COL_CHARGED_TO] = { "CHARGED-TO", 0, STR,
			     "cgroup the buffer is inferred to be charged to; - for none" },
	[COL_ATTRIBUTION] = { "ATTRIBUTION", 0, STR,
			      "holder, elsewhere, uncharged, unknown (no exact fit) or n/a" },
};

static const int process_columns[] = { COL_PID, COL_COMMAND, COL_CGROUP, COL_BUFFERS,
				       COL_FDS, COL_MAPS,    COL_RSS,	 COL_PSS };
static const int buffer_columns[] = { COL_INODE, COL_SIZE,    COL_EXPORTER,  COL_NAME,
				      COL_PROCS, COL_HOLDERS, COL_CHARGED_TO };
static const int cgroup_columns[] = { COL_CGROUP,  COL_PROCS,	   COL_BUFFERS, COL_HELD,
				      COL_CHARGED, COL_ATTRIBUTED, COL_DIFF,	COL_STATUS };

struct audit_args {
	struct du_output out;
	enum view view;
	struct dh_audit_filter filter;
	char *cgroup; /* normalised --cgroup */
	const char *prometheus;
	bool bytes, check;
};

enum {
	OPT_BY = 0x100,
	OPT_PROMETHEUS,
	OPT_CHECK,
};

static void set_view(struct audit_args *a, enum view v)
{
	static const struct {
		const int *cols;
		size_t n;
	} defaults[] = {
		[VIEW_PROCESS] = { process_columns, ARRAY_SIZE(process_columns) },
		[VIEW_BUFFER] = { buffer_columns, ARRAY_SIZE(buffer_columns) },
		[VIEW_CGROUP] = { cgroup_columns, ARRAY_SIZE(cgroup_columns) },
	};

	/* -o is applied at the end of parsing, on top of the view's defaults. */
	a->view = v;
	a->out.ncolumns = defaults[v].n;
	memcpy(a->out.columns, defaults[v].cols, defaults[v].n * sizeof(int));
}

static char *normalise_cgroup(const char *arg)
{
	char *p;
	size_t n;

	if (arg[0] != '/')
		du_usage_error("--cgroup %s: a cgroup path starts with / (as in /proc/PID/cgroup)",
			       arg);
	p = xstrdup(arg);
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

static error_t audit_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct audit_args *a = state->input;
	int pid;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case OPT_BY:
		if (streq(arg, "process"))
			set_view(a, VIEW_PROCESS);
		else if (streq(arg, "buffer"))
			set_view(a, VIEW_BUFFER);
		else if (streq(arg, "cgroup"))
			set_view(a, VIEW_CGROUP);
		else
			du_usage_error("--by %s: not one of process, buffer, cgroup", arg);
		break;
	case 'p':
		if (du_parse_nonneg_int(arg, &pid) || pid == 0)
			du_usage_error("--pid %s: not a process id", arg);
		a->filter.pid = pid;
		break;
	case 'c':
		free(a->cgroup);
		a->cgroup = normalise_cgroup(arg);
		a->filter.cgroup = a->cgroup;
		break;
	case 'b':
		a->bytes = true;
		break;
	case OPT_PROMETHEUS:
		if (!*arg)
			du_usage_error("--prometheus: empty file name");
		a->prometheus = arg;
		break;
	case OPT_CHECK:
		a->check = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option audit_options[] = {
	{ "by", OPT_BY, "VIEW", 0, "process (default), buffer or cgroup", 0 },
	{ "pid", 'p', "PID", 0, "only this process (and its buffers, its cgroup)", 0 },
	{ "cgroup", 'c', "PATH", 0, "only processes and memory cgroups in or under PATH", 0 },
	{ "bytes", 'b', NULL, 0, "print sizes in bytes", 0 },
	{ "prometheus", OPT_PROMETHEUS, "FILE", 0,
	  "write a node_exporter textfile (atomically) instead of a table", 0 },
	{ "check", OPT_CHECK, NULL, 0, "exit 1 if a cgroup's figure does not reconcile", 0 },
	{ 0 }
};

static const struct argp_child audit_children[] = { { &du_output_argp, 0, "Output:", 0 }, { 0 } };

static const struct argp audit_argp = {
	.options = audit_options,
	.parser = audit_parse_opt,
	.doc = "Account for every dma-buf in the system, found through /proc/*/fdinfo and "
	       "/proc/*/maps (and debugfs dma_buf/bufinfo when readable) and deduplicated by "
	       "inode.  --by process shows Rss/Pss per process as Android's dmabuf_dump does; "
	       "--by buffer each buffer with its exporter, size and holders; --by cgroup each "
	       "memory cgroup's memory.stat dmabuf figure reconciled against the buffers: the "
	       "kernel does not say which buffers a cgroup is charged for, so audit infers "
	       "an attribution that reproduces every figure exactly and reports what none "
	       "explains (DIFF, STATUS mismatch).\v"
	       "memory.stat may lag up to 2 seconds behind allocations (rstat flushing).",
	.children = audit_children,
};

static void set_size(struct audit_args *a, struct libscols_line *ln, int col, uint64_t v)
{
	_cleanup_free_ char *s = dh_size_str(v, a->bytes || a->out.json);

	du_output_set_str(&a->out, ln, col, s);
}

static void set_u64(struct audit_args *a, struct libscols_line *ln, int col, uint64_t v)
{
	du_output_set(&a->out, ln, col, "%" PRIu64, v);
}

static int cmp_pid(const void *x, const void *y, void *arg)
{
	const struct du_dmabuf_proc *p = arg;
	pid_t a = p[*(const size_t *)x].pid, b = p[*(const size_t *)y].pid;

	return a < b ? -1 : a > b;
}

/* Indices 0..n-1 in the order @cmp (a qsort_r comparator of indices) gives. */
static size_t *sorted(size_t n, int (*cmp)(const void *, const void *, void *), void *arg)
{
	size_t *order = xcalloc(n + 1, sizeof(*order));

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), cmp, arg);
	return order;
}

static void render_processes(struct audit_args *args, const struct dh_audit *a)
{
	const struct du_dmabuf_set *set = &a->set;
	size_t *order = sorted(set->nprocs, cmp_pid, set->procs);
	for (size_t k = 0; k < set->nprocs; k++) {
		const struct du_dmabuf_proc *p = &set->procs[order[k]];
		struct libscols_line *ln;

		if (!a->proc_visible[order[k]])
			continue;
		ln = du_output_new_line(&args->out);
		du_output_set(&args->out, ln, COL_PID, "%d", (int)p->pid);
		du_output_set_str(&args->out, ln, COL_COMMAND, p->comm);
		du_output_set_str(&args->out, ln, COL_CGROUP, p->cgroup);
		set_u64(args, ln, COL_BUFFERS, p->nbufs);
		set_u64(args, ln, COL_FDS, p->fds);
		set_u64(args, ln, COL_MAPS, p->maps);
		set_size(args, ln, COL_RSS, p->rss);
		set_size(args, ln, COL_PSS, p->pss);
	}
	free(order);
}

static char *holders_str(const struct du_dmabuf_set *set, const struct du_dmabuf *b)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	if (!fp)
		du_die(DU_EXIT_FAILURE, errno, "cannot format holders");
	for (size_t j = 0; j < b->nholders; j++) {
		const struct du_dmabuf_proc *p = &set->procs[b->holders[j].proc];

		fprintf(fp, "%s%s[%d]", j ? "," : "", p->comm, (int)p->pid);
	}
	fclose(fp);
	return s;
}

static const char *attribution(const struct dh_audit *a, const struct du_rc_item *it)
{
	if (!a->accounting)
		return "n/a";
	if (!a->exact)
		return "unknown";
	switch (it->how) {
	case DU_RC_HOLDER:
		return "holder";
	case DU_RC_ELSEWHERE:
		return "elsewhere";
	default:
		return "uncharged";
	}
}

static int cmp_inode(const void *x, const void *y, void *arg)
{
	const struct du_dmabuf *b = arg;
	uint64_t a = b[*(const size_t *)x].inode, c = b[*(const size_t *)y].inode;

	return a < c ? -1 : a > c;
}

static void render_buffers(struct audit_args *args, const struct dh_audit *a)
{
	const struct du_dmabuf_set *set = &a->set;
	size_t *order = sorted(set->nbufs, cmp_inode, set->bufs);
	for (size_t k = 0; k < set->nbufs; k++) {
		const struct du_dmabuf *b = &set->bufs[order[k]];
		const struct du_rc_item *it = &a->items[order[k]];
		_cleanup_free_ char *holders = NULL;
		struct libscols_line *ln;
		unsigned int fds = 0, maps = 0;

		if (!a->buf_visible[order[k]])
			continue;
		for (size_t j = 0; j < b->nholders; j++) {
			fds += b->holders[j].fds;
			maps += b->holders[j].maps;
		}
		ln = du_output_new_line(&args->out);
		set_u64(args, ln, COL_INODE, b->inode);
		set_size(args, ln, COL_SIZE, b->size);
		du_output_set_str(&args->out, ln, COL_EXPORTER, b->exporter);
		du_output_set_str(&args->out, ln, COL_NAME, b->name);
		if (b->count >= 0)
			du_output_set(&args->out, ln, COL_COUNT, "%ld", b->count);
		set_u64(args, ln, COL_PROCS, b->nholders);
		holders = holders_str(set, b);
		du_output_set_str(&args->out, ln, COL_HOLDERS, holders);
		set_u64(args, ln, COL_FDS, fds);
		set_u64(args, ln, COL_MAPS, maps);
		if (a->accounting && a->exact)
			du_output_set_str(&args->out, ln, COL_CHARGED_TO,
					  it->group >= 0 ? a->cgs[it->group].path : "-");
		du_output_set_str(&args->out, ln, COL_ATTRIBUTION, attribution(a, it));
	}
	free(order);
}

static bool memcg_ok(const struct dh_audit *a, size_t i)
{
	return !a->accounting || a->groups[i].attributed == a->cgs[i].charged;
}

static void render_cgroups(struct audit_args *args, const struct dh_audit *a)
{
	for (size_t i = 0; i < a->ncgs; i++) {
		const struct dh_memcg *cg = &a->cgs[i];
		struct libscols_line *ln;

		if (!cg->visible)
			continue;
		ln = du_output_new_line(&args->out);
		du_output_set_str(&args->out, ln, COL_CGROUP, cg->path);
		set_u64(args, ln, COL_PROCS, cg->nprocs);
		set_u64(args, ln, COL_BUFFERS, cg->nbufs);
		set_size(args, ln, COL_HELD, cg->held);
		set_size(args, ln, COL_EXCLUSIVE, cg->exclusive);
		set_size(args, ln, COL_SHARED, cg->shared);
		if (!a->accounting) {
			du_output_set_str(&args->out, ln, COL_STATUS, "n/a");
			continue;
		}
		set_size(args, ln, COL_CHARGED, cg->charged);
		set_size(args, ln, COL_TOTAL, cg->total);
		set_size(args, ln, COL_ATTRIBUTED, a->groups[i].attributed);
		set_size(args, ln, COL_ELSEWHERE, cg->elsewhere);
		if (args->bytes || args->out.json)
			du_output_set(&args->out, ln, COL_DIFF, "%" PRId64,
				      (int64_t)(cg->charged - a->groups[i].attributed));
		else if (cg->charged >= a->groups[i].attributed)
			set_size(args, ln, COL_DIFF, cg->charged - a->groups[i].attributed);
		else {
			_cleanup_free_ char *s =
				dh_size_str(a->groups[i].attributed - cg->charged, false);

			du_output_set(&args->out, ln, COL_DIFF, "-%s", s);
		}
		du_output_set_str(&args->out, ln, COL_STATUS, memcg_ok(a, i) ? "ok" : "mismatch");
	}
}

static bool any_mismatch(const struct dh_audit *a)
{
	for (size_t i = 0; i < a->ncgs; i++)
		if (a->cgs[i].visible && !memcg_ok(a, i))
			return true;
	return false;
}

static int check_filters(const struct audit_args *args)
{
	if (args->filter.pid) {
		_cleanup_free_ char *p = du_path("/proc/%d", (int)args->filter.pid);

		if (access(p, F_OK)) {
			du_report(errno == ENOENT ? ESRCH : errno, "process %d",
				  (int)args->filter.pid);
			return DU_EXIT_FAILURE;
		}
	}
	if (args->filter.cgroup || args->view == VIEW_CGROUP) {
		const char *dir;

		if (du_cgroup_mount(&dir))
			du_require_feature(dh_features, DH_NFEATURES, "memcg");
	}
	if (args->filter.cgroup) {
		_cleanup_free_ char *d = du_cgroup_file(args->filter.cgroup, NULL);

		if (access(d, F_OK)) {
			du_report(errno, "cgroup %s: %s", args->filter.cgroup, d);
			return DU_EXIT_FAILURE;
		}
	}
	return DU_EXIT_SUCCESS;
}

static int audit_run(int argc, char **argv)
{
	struct audit_args args = { 0 };
	struct dh_audit a = { 0 };
	int status;

	du_output_init(&args.out, audit_columns, ARRAY_SIZE(audit_columns), process_columns,
		       ARRAY_SIZE(process_columns));
	argp_parse(&audit_argp, argc, argv, 0, NULL, &args);

	status = check_filters(&args);
	if (status)
		goto out;
	status = dh_audit_build(&a, &args.filter);
	if (status)
		goto out;

	if (args.prometheus) {
		status = dh_prometheus_write(args.prometheus, &a);
	} else {
		du_output_start(&args.out, "dmabufs");
		if (args.view == VIEW_PROCESS)
			render_processes(&args, &a);
		else if (args.view == VIEW_BUFFER)
			render_buffers(&args, &a);
		else
			render_cgroups(&args, &a);
		if (du_output_print(&args.out))
			status = DU_EXIT_FAILURE;
		du_output_free(&args.out);
	}
	if (a.set.unreadable)
		du_warnx("%u processes could not be read (not root?): holders and totals are "
			 "incomplete",
			 a.set.unreadable);
	if (args.check && !status && any_mismatch(&a))
		status = DU_EXIT_FAILURE;
out:
	dh_audit_free(&a);
	free(args.cgroup);
	return status;
}

const struct du_cmd cmd_audit = {
	"audit",
	audit_run,
	"account for dma-buf memory per process, buffer and cgroup",
};
