/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * audit.h - the data model of `dmaheapctl audit`: the dma-bufs and their
 * holders (common/dmabuf.h), the memory cgroups with their memory.stat
 * figures, and the inferred attribution of buffers to cgroups
 * (common/reconcile.h).  audit-model.c builds it; audit.c renders it as a
 * table and prometheus.c as a node_exporter textfile.
 */
#ifndef DMAHEAPCTL_AUDIT_H
#define DMAHEAPCTL_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "dmabuf.h"
#include "reconcile.h"

struct dh_memcg {
	char *path;
	long parent; /* index of the closest ancestor memcg, -1 for the root */
	bool has_stat; /* memory.stat readable with a dmabuf line */
	uint64_t total; /* memory.stat dmabuf: this cgroup and its descendants */
	uint64_t charged; /* this cgroup alone: total minus its child memcgs' totals */
	size_t nprocs; /* processes holding buffers, charged to this memcg */
	size_t nbufs; /* distinct buffers they hold */
	uint64_t held, exclusive, shared; /* bytes of those; held only here; held elsewhere too */
	uint64_t elsewhere; /* attributed bytes of buffers none of its processes holds */
	bool visible; /* selected by --pid/--cgroup */
};

struct dh_audit {
	struct du_dmabuf_set set;
	bool have_memcg; /* cgroup2 memory controller found */
	bool accounting; /* memory.stat has dmabuf (the memcg patch) */
	bool exact; /* reconciliation found an exact attribution */
	struct dh_memcg *cgs; /* sorted by path */
	size_t ncgs;
	long *proc_cg; /* per set.procs: memcg index, -1 unknown */
	struct du_rc_item *items; /* per set.bufs */
	struct du_rc_group *groups; /* per cgs */
	size_t *holder_cgs; /* storage for items[].holders */
	bool *proc_visible, *buf_visible;
	uint64_t unheld_bytes; /* buffers no process holds (debugfs) */
	double seconds; /* time the scan took */
};

struct dh_audit_filter {
	pid_t pid; /* 0: all */
	const char *cgroup; /* NULL: all; else a normalised cgroup path */
};

/* Build the model.  Returns 0, or an exit code after reporting. */
int dh_audit_build(struct dh_audit *a, const struct dh_audit_filter *f);
void dh_audit_free(struct dh_audit *a);

/* Is @path @top or below it? */
bool dh_cgroup_under(const char *path, const char *top);

/* prometheus.c: write the textfile atomically; 0 or an exit code after reporting. */
int dh_prometheus_write(const char *file, const struct dh_audit *a);

#endif
