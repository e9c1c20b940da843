// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmabuf.c - every dma-buf in the system and who holds it.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>

#include "dmabuf.h"
#include "err.h"
#include "parse.h"
#include "procfs.h"

bool du_dmabuf_is_path(const char *path)
{
	/* 5.x and later: "/dmabuf:NAME"; older kernels used an anon inode. */
	return !strncmp(path, "/dmabuf:", 8) || streq(path, "anon_inode:dmabuf");
}

static size_t hash_slot(uint64_t inode, size_t cap)
{
	return (size_t)((inode * 0x9e3779b97f4a7c15ULL) >> 17) & (cap - 1);
}

static void index_insert(struct du_dmabuf_set *set, size_t i)
{
	size_t slot = hash_slot(set->bufs[i].inode, set->index_cap);

	while (set->index[slot])
		slot = (slot + 1) & (set->index_cap - 1);
	set->index[slot] = i + 1;
}

static void index_grow(struct du_dmabuf_set *set)
{
	free(set->index);
	set->index_cap = set->index_cap ? set->index_cap * 2 : 256;
	set->index = xcalloc(set->index_cap, sizeof(*set->index));
	for (size_t i = 0; i < set->nbufs; i++)
		index_insert(set, i);
}

struct du_dmabuf *du_dmabuf_find(const struct du_dmabuf_set *set, uint64_t inode)
{
	size_t slot;

	if (!set->index_cap)
		return NULL;
	for (slot = hash_slot(inode, set->index_cap); set->index[slot];
	     slot = (slot + 1) & (set->index_cap - 1)) {
		struct du_dmabuf *b = &set->bufs[set->index[slot] - 1];

		if (b->inode == inode)
			return b;
	}
	return NULL;
}

static struct du_dmabuf *find_or_add(struct du_dmabuf_set *set, uint64_t inode)
{
	struct du_dmabuf *b = du_dmabuf_find(set, inode);

	if (b)
		return b;
	if (set->nbufs == set->bufs_cap) {
		set->bufs_cap = set->bufs_cap ? set->bufs_cap * 2 : 64;
		set->bufs = xrealloc(set->bufs, set->bufs_cap * sizeof(*set->bufs));
	}
	b = &set->bufs[set->nbufs++];
	*b = (struct du_dmabuf){ .inode = inode, .count = -1 };
	if (set->nbufs * 2 > set->index_cap)
		index_grow(set);
	else
		index_insert(set, set->nbufs - 1);
	return b;
}

long du_dmabuf_proc_index(const struct du_dmabuf_set *set, pid_t pid)
{
	for (size_t i = 0; i < set->nprocs; i++)
		if (set->procs[i].pid == pid)
			return (long)i;
	return -1;
}

static void set_str(char **field, const char *value)
{
	if (!value || (*field && streq(*field, value)))
		return;
	free(*field);
	*field = xstrdup(value);
}

/* --- debugfs bufinfo ---------------------------------------------------- */

static bool all_digits(const char *s, bool hex)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(hex ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
			return false;
	return true;
}

/* "%08zu\t%08x\t%08x\t%08ld\t%s\t%08lu\t%s": size flags mode count exp_name ino name */
static int parse_bufinfo_line(char *line, struct du_bufinfo_entry *e)
{
	char *f[7];
	uint64_t count;
	int i;

	for (i = 0; i < 6; i++) {
		char *tab = strchr(line, '\t');

		if (!tab)
			return -EINVAL;
		*tab = '\0';
		f[i] = line;
		line = tab + 1;
	}
	f[6] = line; /* the name is the rest: it may contain anything but a newline */
	if (!all_digits(f[0], false) || !all_digits(f[1], true) || !all_digits(f[2], true) ||
	    !all_digits(f[3], false) || !all_digits(f[5], false))
		return -EINVAL;
	if (du_parse_u64(f[0], &e->size) || du_parse_u64(f[3], &count) ||
	    du_parse_u64(f[5], &e->inode) || count > (uint64_t)LONG_MAX)
		return -EINVAL;
	e->count = (long)count;
	e->exporter = f[4];
	e->name = streq(f[6], "<none>") ? NULL : f[6];
	return 0;
}

int du_dmabuf_parse_bufinfo(char *text, int (*fn)(const struct du_bufinfo_entry *e, void *arg),
			    void *arg)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct du_bufinfo_entry e;
		int r;

		/* Buffer lines start with the zero-padded size; everything else is decoration. */
		if (!isdigit((unsigned char)line[0]) || parse_bufinfo_line(line, &e))
			continue;
		r = fn(&e, arg);
		if (r)
			return r;
	}
	return 0;
}

static int add_bufinfo_entry(const struct du_bufinfo_entry *e, void *arg)
{
	struct du_dmabuf *b = find_or_add(arg, e->inode);

	b->size = e->size;
	b->size_exact = true;
	b->in_debugfs = true;
	b->count = e->count;
	set_str(&b->exporter, e->exporter);
	set_str(&b->name, e->name);
	return 0;
}

static int read_debugfs(struct du_dmabuf_set *set)
{
	_cleanup_free_ char *path = du_path("/sys/kernel/debug/dma_buf/bufinfo");
	_cleanup_free_ char *text = du_read_file(path);

	if (!text)
		return -errno;
	return du_dmabuf_parse_bufinfo(text, add_bufinfo_entry, set);
}

/* --- /proc/PID/fd, fdinfo and maps ------------------------------------------ */

struct scan_ctx {
	struct du_dmabuf_set *set;
	unsigned int flags;
	size_t proc; /* index the current process gets if it holds something */
	bool holds; /* the current process holds at least one buffer */
	bool unreadable;
};

static struct du_dmabuf_holder *holder_of(struct scan_ctx *ctx, struct du_dmabuf *b)
{
	struct du_dmabuf_holder *h;

	ctx->holds = true;
	/* Processes are scanned one at a time: its holder, if any, is the last. */
	if (b->nholders && b->holders[b->nholders - 1].proc == ctx->proc)
		return &b->holders[b->nholders - 1];
	b->holders = xrealloc(b->holders, (b->nholders + 1) * sizeof(*b->holders));
	h = &b->holders[b->nholders++];
	*h = (struct du_dmabuf_holder){ .proc = ctx->proc };
	return h;
}

static int fd_inode(pid_t pid, int fd, uint64_t *inode)
{
	_cleanup_free_ char *path = du_path("/proc/%d/fd/%d", (int)pid, fd);
	struct stat st;

	if (stat(path, &st))
		return -errno;
	*inode = st.st_ino;
	return 0;
}

static int scan_fd(pid_t pid, int fd, const char *target, void *arg)
{
	struct scan_ctx *ctx = arg;
	struct du_kvlist kv = { 0 };
	struct du_dmabuf *b;
	uint64_t inode, size, count;
	int r;

	if (!du_dmabuf_is_path(target))
		return 0;
	r = du_fdinfo_read(pid, fd, &kv);
	if (r) {
		if (r == -EACCES || r == -EPERM)
			ctx->unreadable = true;
		return 0; /* closed meanwhile, or not ours to read */
	}
	/* fdinfo has ino: since 5.13; before that the inode comes from stat(). */
	if (du_kvlist_get_u64(&kv, "ino", &inode) && fd_inode(pid, fd, &inode)) {
		du_kvlist_free(&kv);
		return 0;
	}
	b = find_or_add(ctx->set, inode);
	if (!du_kvlist_get_u64(&kv, "size", &size)) {
		b->size = size;
		b->size_exact = true;
	}
	if (!du_kvlist_get_u64(&kv, "count", &count) && count <= (uint64_t)LONG_MAX)
		b->count = (long)count;
	set_str(&b->exporter, du_kvlist_get(&kv, "exp_name"));
	set_str(&b->name, du_kvlist_get(&kv, "name"));
	holder_of(ctx, b)->fds++;
	du_kvlist_free(&kv);
	return 0;
}

static int scan_map(const struct du_maps_entry *e, void *arg)
{
	struct scan_ctx *ctx = arg;
	struct du_dmabuf_holder *h;
	struct du_dmabuf *b;
	uint64_t len = e->end - e->start;

	if (!du_dmabuf_is_path(e->path))
		return 0;
	b = find_or_add(ctx->set, e->inode);
	/* Mapped but never seen open: the mapping's end is a lower bound of the size. */
	if (!b->size_exact && e->offset + len > b->size)
		b->size = e->offset + len;
	if (!b->size_exact && !b->name && !strncmp(e->path, "/dmabuf:", 8) && e->path[8])
		set_str(&b->name, e->path + 8);
	h = holder_of(ctx, b);
	h->maps++;
	h->mapped += len;
	return 0;
}

static int scan_pid(pid_t pid, void *arg)
{
	struct scan_ctx *ctx = arg;
	struct du_dmabuf_set *set = ctx->set;
	struct du_dmabuf_proc *p;
	int r;

	ctx->proc = set->nprocs;
	ctx->holds = false;
	ctx->unreadable = false;
	r = du_proc_foreach_fd(pid, scan_fd, ctx);
	if (r == -EACCES || r == -EPERM)
		ctx->unreadable = true;
	if (!(ctx->flags & DU_DMABUF_SCAN_NO_MAPS)) {
		r = du_maps_foreach(pid, scan_map, ctx);
		if (r == -EACCES || r == -EPERM)
			ctx->unreadable = true;
	}
	if (ctx->unreadable)
		set->unreadable++;
	if (!ctx->holds)
		return 0;

	if (set->nprocs == set->procs_cap) {
		set->procs_cap = set->procs_cap ? set->procs_cap * 2 : 32;
		set->procs = xrealloc(set->procs, set->procs_cap * sizeof(*set->procs));
	}
	p = &set->procs[set->nprocs++];
	*p = (struct du_dmabuf_proc){ .pid = pid };
	du_proc_comm(pid, p->comm, sizeof(p->comm));
	p->cgroup = du_proc_cgroup(pid);
	return 0;
}

static void compute_totals(struct du_dmabuf_set *set)
{
	for (size_t i = 0; i < set->nbufs; i++) {
		const struct du_dmabuf *b = &set->bufs[i];

		for (size_t j = 0; j < b->nholders; j++) {
			struct du_dmabuf_proc *p = &set->procs[b->holders[j].proc];

			p->nbufs++;
			p->fds += b->holders[j].fds;
			p->maps += b->holders[j].maps;
			p->rss += b->size;
			p->pss += b->size / b->nholders;
		}
	}
}

int du_dmabuf_scan(struct du_dmabuf_set *set, unsigned int flags)
{
	struct scan_ctx ctx = { .set = set, .flags = flags };
	int r;

	set->debugfs_err = 1;
	if (flags & DU_DMABUF_SCAN_DEBUGFS)
		set->debugfs_err = read_debugfs(set);
	r = du_proc_foreach_pid(scan_pid, &ctx);
	if (r < 0)
		return r;
	compute_totals(set);
	return 0;
}

void du_dmabuf_set_free(struct du_dmabuf_set *set)
{
	for (size_t i = 0; i < set->nbufs; i++) {
		free(set->bufs[i].exporter);
		free(set->bufs[i].name);
		free(set->bufs[i].holders);
	}
	for (size_t i = 0; i < set->nprocs; i++)
		free(set->procs[i].cgroup);
	free(set->bufs);
	free(set->procs);
	free(set->index);
	memset(set, 0, sizeof(*set));
}
