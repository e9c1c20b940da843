// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit-model.c - collect what `dmaheapctl audit` shows: every dma-buf and
 * its holders, every memory cgroup and its memory.stat "dmabuf" figure, and
 * which cgroup each buffer is (inferred to be) charged to.
 */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "cgroup.h"
#include "dmaheapctl.h"
#include "err.h"

bool dh_cgroup_under(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (streq(top, "/"))
		return true;
	return !strncmp(path, top, n) && (path[n] == '\0' || path[n] == '/');
}

struct collect_ctx {
	struct dh_audit *a;
	size_t cap;
};

static int collect_memcg(const char *path, void *arg)
{
	struct collect_ctx *ctx = arg;
	struct dh_audit *a = ctx->a;
	struct du_kvlist kv = { 0 };
	struct dh_memcg *cg;
	int r;

	r = du_cgroup_read_kv(path, "memory.stat", &kv);
	/* No memory.stat: the controller is not enabled here (the root always counts). */
	if (r && !streq(path, "/"))
		return 0;
	if (a->ncgs == ctx->cap) {
		ctx->cap = ctx->cap ? ctx->cap * 2 : 64;
		a->cgs = xrealloc(a->cgs, ctx->cap * sizeof(*a->cgs));
	}
	cg = &a->cgs[a->ncgs++];
	*cg = (struct dh_memcg){ .path = xstrdup(path), .parent = -1 };
	cg->has_stat = !r && !du_kvlist_get_u64(&kv, "dmabuf", &cg->total);
	du_kvlist_free(&kv);
	return 0;
}

static int cmp_memcg(const void *x, const void *y)
{
	return strcmp(((const struct dh_memcg *)x)->path, ((const struct dh_memcg *)y)->path);
}

static long find_memcg(const struct dh_audit *a, const char *path)
{
	size_t lo = 0, hi = a->ncgs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(path, a->cgs[mid].path);

		if (!c)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* The memcg charged for processes in cgroup @path: itself or its closest memcg ancestor. */
static long memcg_of(const struct dh_audit *a, const char *path)
{
	char *p = xstrdup(path);
	long i;

	while ((i = find_memcg(a, p)) < 0) {
		char *parent = du_cgroup_parent(p);

		free(p);
		if (!parent)
			return find_memcg(a, "/");
		p = parent;
	}
	free(p);
	return i;
}

static void collect_memcgs(struct dh_audit *a)
{
	struct collect_ctx ctx = { .a = a };
	const char *dir;
	uint64_t *children;

	if (du_cgroup_mount(&dir))
		return;
	if (du_cgroup_walk("/", collect_memcg, &ctx) || !a->ncgs)
		return;
	a->have_memcg = true;
	qsort(a->cgs, a->ncgs, sizeof(*a->cgs), cmp_memcg);
	for (size_t i = 0; i < a->ncgs; i++)
		a->accounting |= a->cgs[i].has_stat;

	/* memory.stat is hierarchical: a cgroup's own share is its figure minus its children's. */
	children = xcalloc(a->ncgs, sizeof(*children));
	for (size_t i = 0; i < a->ncgs; i++) {
		_cleanup_free_ char *parent = du_cgroup_parent(a->cgs[i].path);

		if (!parent)
			continue;
		a->cgs[i].parent = memcg_of(a, parent);
		if (a->cgs[i].parent >= 0)
			children[a->cgs[i].parent] += a->cgs[i].total;
	}
	for (size_t i = 0; i < a->ncgs; i++)
		a->cgs[i].charged = a->cgs[i].total > children[i] ? a->cgs[i].total - children[i]
								  : 0;
	free(children);
}

static bool is_heap_exporter(char **heaps, int nheaps, const char *exporter)
{
	for (int i = 0; i < nheaps; i++)
		if (streq(heaps[i], exporter))
			return true;
	return false;
}

static void build_items(struct dh_audit *a)
{
	const struct du_dmabuf_set *set = &a->set;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	size_t total_holders = 0, used = 0;
	char **heaps = NULL;
	int nheaps = dh_heap_names(&heaps);

	for (size_t i = 0; i < set->nbufs; i++)
		total_holders += set->bufs[i].nholders;
	a->items = xcalloc(set->nbufs + 1, sizeof(*a->items));
	a->holder_cgs = xcalloc(total_holders + 1, sizeof(*a->holder_cgs));

	for (size_t i = 0; i < set->nbufs; i++) {
		const struct du_dmabuf *b = &set->bufs[i];
		struct du_rc_item *it = &a->items[i];
		size_t *hc = a->holder_cgs + used;
		size_t n = 0;

		for (size_t j = 0; j < b->nholders; j++) {
			long cg = a->proc_cg[b->holders[j].proc];
			size_t k;

			for (k = 0; k < n && hc[k] != (size_t)cg; k++)
				;
			if (cg >= 0 && k == n)
				hc[n++] = (size_t)cg;
		}
		used += n;
		it->size = (b->size + page - 1) / page * page;
		it->holders = hc;
		it->nholders = n;
		it->group = -1;
		/* Only dma-heap allocations are charged; buffers of other exporters never are. */
		it->never_charged = b->exporter && nheaps >= 0 &&
				    !is_heap_exporter(heaps, nheaps, b->exporter);

		for (size_t k = 0; k < n; k++) {
			struct dh_memcg *cg = &a->cgs[hc[k]];

			cg->nbufs++;
			cg->held += b->size;
			if (n == 1)
				cg->exclusive += b->size;
			else
				cg->shared += b->size;
		}
		if (!b->nholders)
			a->unheld_bytes += b->size;
	}
	dh_heap_names_free(heaps, nheaps > 0 ? nheaps : 0);
}

static void reconcile(struct dh_audit *a)
{
	if (!a->accounting)
		return;
	a->groups = xcalloc(a->ncgs + 1, sizeof(*a->groups));
	for (size_t i = 0; i < a->ncgs; i++)
		a->groups[i].charged = a->cgs[i].charged;
	a->exact = du_reconcile(a->groups, a->ncgs, a->items, a->set.nbufs, DU_RC_BUDGET);
	for (size_t i = 0; i < a->set.nbufs; i++)
		if (a->items[i].how == DU_RC_ELSEWHERE)
			a->cgs[a->items[i].group].elsewhere += a->items[i].size;
}

static void select_visible(struct dh_audit *a, const struct dh_audit_filter *f)
{
	const struct du_dmabuf_set *set = &a->set;
	long pid_cg = -1;

	a->proc_visible = xcalloc(set->nprocs + 1, sizeof(bool));
	a->buf_visible = xcalloc(set->nbufs + 1, sizeof(bool));
	for (size_t i = 0; i < set->nprocs; i++) {
		const struct du_dmabuf_proc *p = &set->procs[i];

		a->proc_visible[i] =
			(!f->pid || p->pid == f->pid) &&
			(!f->cgroup || (p->cgroup && dh_cgroup_under(p->cgroup, f->cgroup)));
	}
	if (f->pid && a->have_memcg) {
		_cleanup_free_ char *cg = du_proc_cgroup(f->pid);

		pid_cg = cg ? memcg_of(a, cg) : -1;
	}
	for (size_t i = 0; i < a->ncgs; i++) {
		struct dh_memcg *cg = &a->cgs[i];

		if (f->pid)
			cg->visible = (long)i == pid_cg;
		else if (f->cgroup)
			cg->visible = dh_cgroup_under(cg->path, f->cgroup);
		else
			cg->visible = cg->total || cg->held || streq(cg->path, "/");
	}
	for (size_t i = 0; i < set->nbufs; i++) {
		const struct du_dmabuf *b = &set->bufs[i];
		long g = a->items[i].group;
		bool v = !f->pid && !f->cgroup;

		for (size_t j = 0; !v && j < b->nholders; j++)
			v = a->proc_visible[b->holders[j].proc];
		if (!v && f->cgroup && g >= 0)
			v = a->cgs[g].visible;
		a->buf_visible[i] = v;
	}
}

int dh_audit_build(struct dh_audit *a, const struct dh_audit_filter *f)
{
	struct timespec t0, t1;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = du_dmabuf_scan(&a->set, DU_DMABUF_SCAN_DEBUGFS);
	if (r) {
		_cleanup_free_ char *proc = du_path("/proc");

		du_report(-r, "%s: cannot scan processes", proc);
		return DU_EXIT_FAILURE;
	}
	collect_memcgs(a);
	a->proc_cg = xcalloc(a->set.nprocs + 1, sizeof(*a->proc_cg));
	for (size_t i = 0; i < a->set.nprocs; i++) {
		const char *cg = a->set.procs[i].cgroup;

		a->proc_cg[i] = a->have_memcg && cg ? memcg_of(a, cg) : -1;
	}
	for (size_t i = 0; i < a->set.nprocs; i++)
		if (a->proc_cg[i] >= 0)
			a->cgs[a->proc_cg[i]].nprocs++;
	build_items(a);
	reconcile(a);
	select_visible(a, f);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	a->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return DU_EXIT_SUCCESS;
}

void dh_audit_free(struct dh_audit *a)
{
	du_dmabuf_set_free(&a->set);
	for (size_t i = 0; i < a->ncgs; i++)
		free(a->cgs[i].path);
	free(a->cgs);
	free(a->proc_cg);
	free(a->items);
	free(a->groups);
	free(a->holder_cgs);
	free(a->proc_visible);
	free(a->buf_visible);
	memset(a, 0, sizeof(*a));
}
