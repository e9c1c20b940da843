/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reconcile.h - which cgroup is each dma-buf charged to?
 *
 * The kernel says how many bytes of dma-buf each memory cgroup is charged
 * for (memory.stat "dmabuf"), but not which buffers make up that figure: a
 * buffer is charged once, to the cgroup named at allocation, whoever holds it
 * later, and buffers allocated without a charge target are not charged at
 * all.  du_reconcile() infers the attribution: it looks for an assignment of
 * every buffer to one cgroup, or to none, under which every cgroup's
 * assigned bytes equal its charged bytes exactly.  For each buffer it tries,
 * in this order, the cgroups of the processes holding it, "not charged", and
 * then any other charged cgroup (a buffer allocated on behalf of a cgroup
 * whose processes do not hold it, e.g. still held by the allocator).
 *
 * This is a subset-sum search, bounded by a step budget.  If it finds no
 * exact assignment (none exists, or the budget ran out), the result is a
 * greedy one (buffers go to a holder's cgroup while they fit, then to any
 * cgroup they fit in, else nowhere) and the differences between charged and
 * attributed bytes are the mismatches to report.  An exact assignment proves the figures are
 * consistent; it need not be the only one that is.
 */
#ifndef DU_RECONCILE_H
#define DU_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum du_rc_how {
	DU_RC_UNCHARGED, /* attributed to no cgroup */
	DU_RC_HOLDER, /* to the cgroup of one of its holders */
	DU_RC_ELSEWHERE, /* to a cgroup none of whose processes holds it */
};

struct du_rc_item {
	uint64_t size; /* bytes charged for it (page-aligned size) */
	const size_t *holders; /* distinct group indices of its holders' cgroups */
	size_t nholders;
	bool never_charged; /* cannot be charged (not from a dma-heap): only "uncharged" */
	/* results */
	long group; /* group index, -1 when uncharged */
	enum du_rc_how how;
};

struct du_rc_group {
	uint64_t charged; /* the kernel's figure for the cgroup alone (not its children) */
	uint64_t attributed; /* result: bytes of the buffers assigned to it */
};

/* Default step budget: about a tenth of a second of search. */
#define DU_RC_BUDGET 2000000UL

/*
 * Returns true if the assignment is exact (every attributed == charged),
 * false if it is the greedy fallback.
 */
bool du_reconcile(struct du_rc_group *groups, size_t ngroups, struct du_rc_item *items,
		  size_t nitems, unsigned long budget);

#endif
