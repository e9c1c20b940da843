// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reconcile.c - infer which cgroup each dma-buf is charged to.
 *
 * Depth-first search over the buffers, largest first.  At each depth the
 * buffer's candidates are numbered: 0..nholders-1 its holders' cgroups,
 * nholders "uncharged", then the other cgroups that still have bytes to
 * explain.  A candidate is taken only if the buffer fits in what is left of
 * the cgroup's figure and the bytes still to explain do not exceed the sizes
 * of the buffers still to place.
 */
#include <stdlib.h>

#include "c.h"
#include "reconcile.h"

struct search {
	struct du_rc_group *groups;
	size_t ngroups;
	struct du_rc_item *items;
	size_t nitems;
	size_t *order; /* item indices, largest first */
	uint64_t *suffix; /* suffix[k]: total size of order[k..] */
	uint64_t *left; /* per group: charged bytes not yet explained */
	uint64_t total_left;
	size_t *charged; /* groups with a nonzero figure */
	size_t ncharged;
	long *choice; /* per depth: candidate taken, -1 none yet */
	long *taken; /* per depth: group taken, -1 uncharged */
};

static int by_size_desc(const void *a, const void *b, void *arg)
{
	const struct du_rc_item *ia = (const struct du_rc_item *)arg + *(const size_t *)a;
	const struct du_rc_item *ib = (const struct du_rc_item *)arg + *(const size_t *)b;

	if (ia->size != ib->size)
		return ia->size < ib->size ? 1 : -1;
	/* Fewer holders first: their choices are the most constrained. */
	if (ia->nholders != ib->nholders)
		return ia->nholders < ib->nholders ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static bool is_holder(const struct du_rc_item *it, size_t g)
{
	for (size_t i = 0; i < it->nholders; i++)
		if (it->holders[i] == g)
			return true;
	return false;
}

/*
 * Candidate @c of item @it: the group index, -1 for "uncharged", or -2 when
 * @c is past the last candidate.  Groups are returned whether or not the item fits.
 */
static long candidate(const struct search *s, const struct du_rc_item *it, long c,
		      size_t *charged_pos)
{
	if (it->never_charged)
		return c == 0 ? -1 : -2;
	if ((size_t)c < it->nholders)
		return (long)it->holders[c];
	if ((size_t)c == it->nholders)
		return -1;
	/* Beyond: walk the charged groups that are not holders. */
	while (*charged_pos < s->ncharged) {
		size_t g = s->charged[(*charged_pos)++];

		if (!is_holder(it, g))
			return (long)g;
	}
	return -2;
}

static bool fits(const struct search *s, size_t depth, long g, uint64_t size)
{
	uint64_t after = s->total_left;

	if (g >= 0) {
		if (s->left[g] < size)
			return false;
		after -= size;
	}
	return after <= s->suffix[depth + 1];
}

static void apply(struct search *s, size_t depth, long g, uint64_t size)
{
	s->taken[depth] = g;
	if (g >= 0) {
		s->left[g] -= size;
		s->total_left -= size;
	}
}

static void undo(struct search *s, size_t depth, uint64_t size)
{
	long g = s->taken[depth];

	if (g >= 0) {
		s->left[g] += size;
		s->total_left += size;
	}
	s->taken[depth] = -1;
}

/*
 * Candidates are re-enumerated from the start on each advance (the list of
 * "elsewhere" groups is skipped through by position), which keeps the state
 * per depth to two numbers.
 */
static bool advance(struct search *s, size_t depth)
{
	const struct du_rc_item *it = &s->items[s->order[depth]];
	size_t pos = 0;
	long c, g;

	undo(s, depth, it->size);
	for (c = 0;; c++) {
		g = candidate(s, it, c, &pos);
		if (g == -2)
			return false;
		if (c <= s->choice[depth])
			continue;
		if (fits(s, depth, g, it->size))
			break;
	}
	s->choice[depth] = c;
	apply(s, depth, g, it->size);
	return true;
}

static bool search_exact(struct search *s, unsigned long budget)
{
	size_t depth = 0;

	if (s->total_left > s->suffix[0])
		return false;
	if (!s->nitems)
		return s->total_left == 0;
	s->choice[0] = -1;
	while (budget--) {
		if (advance(s, depth)) {
			if (depth + 1 == s->nitems) {
				if (s->total_left == 0)
					return true;
				continue; /* try the next candidate at the same depth */
			}
			s->choice[++depth] = -1;
			s->taken[depth] = -1;
			continue;
		}
		if (depth == 0)
			return false;
		depth--;
	}
	return false;
}

/* Fallback: holders' cgroups while the buffer fits, then any cgroup it fits in. */
static void greedy(struct search *s)
{
	for (size_t g = 0; g < s->ngroups; g++)
		s->left[g] = s->groups[g].charged;
	for (size_t k = 0; k < s->nitems; k++) {
		const struct du_rc_item *it = &s->items[s->order[k]];
		long best = -1;

		for (size_t h = 0; !it->never_charged && h < it->nholders; h++) {
			size_t g = it->holders[h];

			if (s->left[g] >= it->size && (best < 0 || s->left[g] > s->left[best]))
				best = (long)g;
		}
		s->taken[k] = best;
		if (best >= 0)
			s->left[best] -= it->size;
	}
	for (size_t k = 0; k < s->nitems; k++) {
		const struct du_rc_item *it = &s->items[s->order[k]];
		long best = -1;

		if (s->taken[k] >= 0 || it->never_charged)
			continue;
		for (size_t c = 0; c < s->ncharged; c++) {
			size_t g = s->charged[c];

			if (s->left[g] >= it->size && (best < 0 || s->left[g] > s->left[best]))
				best = (long)g;
		}
		s->taken[k] = best;
		if (best >= 0)
			s->left[best] -= it->size;
	}
}

static void record(struct search *s)
{
	for (size_t g = 0; g < s->ngroups; g++)
		s->groups[g].attributed = 0;
	for (size_t k = 0; k < s->nitems; k++) {
		struct du_rc_item *it = &s->items[s->order[k]];
		long g = s->taken[k];

		it->group = g;
		if (g < 0) {
			it->how = DU_RC_UNCHARGED;
			continue;
		}
		it->how = is_holder(it, (size_t)g) ? DU_RC_HOLDER : DU_RC_ELSEWHERE;
		s->groups[g].attributed += it->size;
	}
}

bool du_reconcile(struct du_rc_group *groups, size_t ngroups, struct du_rc_item *items,
		  size_t nitems, unsigned long budget)
{
	struct search s = { .groups = groups, .ngroups = ngroups, .items = items, .nitems = nitems };
	bool exact;

	s.order = xcalloc(nitems + 1, sizeof(*s.order));
	s.suffix = xcalloc(nitems + 1, sizeof(*s.suffix));
	s.choice = xcalloc(nitems + 1, sizeof(*s.choice));
	s.taken = xcalloc(nitems + 1, sizeof(*s.taken));
	s.left = xcalloc(ngroups + 1, sizeof(*s.left));
	s.charged = xcalloc(ngroups + 1, sizeof(*s.charged));

	for (size_t i = 0; i < nitems; i++)
		s.order[i] = i;
	qsort_r(s.order, nitems, sizeof(*s.order), by_size_desc, items);
	for (size_t k = nitems; k-- > 0;)
		s.suffix[k] = s.suffix[k + 1] + items[s.order[k]].size;
	for (size_t g = 0; g < ngroups; g++) {
		s.left[g] = groups[g].charged;
		s.total_left += groups[g].charged;
		if (groups[g].charged)
			s.charged[s.ncharged++] = g;
	}
	for (size_t k = 0; k < nitems; k++)
		s.taken[k] = -1;

	exact = search_exact(&s, budget);
	if (!exact)
		greedy(&s);
	record(&s);

	free(s.order);
	free(s.suffix);
	free(s.choice);
	free(s.taken);
	free(s.left);
	free(s.charged);
	return exact;
}
