// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for common/reconcile.c: attributing buffers to cgroups so
 * that every cgroup's charged bytes are explained exactly.
 */
#include <stdio.h>
#include <stdlib.h>

#include "reconcile.h"
#include "tap.h"

#define K 4096ULL

static void test_holders(void)
{
	/* A holds 1 (4K) and shares 2 (8K) with B; B is charged for 2. */
	size_t h1[] = { 0 }, h2[] = { 0, 1 };
	struct du_rc_group g[] = { { .charged = 1 * K }, { .charged = 2 * K } };
	struct du_rc_item it[] = {
		{ .size = 1 * K, .holders = h1, .nholders = 1 },
		{ .size = 2 * K, .holders = h2, .nholders = 2 },
	};

	CHECK(du_reconcile(g, 2, it, 2, DU_RC_BUDGET));
	CHECK_INT(0, it[0].group, "1 charged to its holder A");
	CHECK_INT(1, it[1].group, "shared 2 charged to B, its other holder");
	CHECK_INT(DU_RC_HOLDER, it[1].how, "by a holder");
	CHECK_U64(1 * K, g[0].attributed, "A attributed");
	CHECK_U64(2 * K, g[1].attributed, "B attributed");
}

static void test_uncharged_and_elsewhere(void)
{
	/*
	 * A holds 1 (4K, uncharged: A is charged 0) and 2 (16K), which was
	 * allocated on behalf of B (charged 16K) that holds nothing; 3 (8K) is
	 * held by nobody and charged to C.  4 (8K) is a DRM buffer: never charged.
	 */
	size_t ha[] = { 0 };
	struct du_rc_group g[] = { { .charged = 0 }, { .charged = 4 * K }, { .charged = 2 * K } };
	struct du_rc_item it[] = {
		{ .size = 1 * K, .holders = ha, .nholders = 1 },
		{ .size = 4 * K, .holders = ha, .nholders = 1 },
		{ .size = 2 * K },
		{ .size = 2 * K, .holders = ha, .nholders = 1, .never_charged = true },
	};

	CHECK(du_reconcile(g, 3, it, 4, DU_RC_BUDGET));
	CHECK_INT(-1, it[0].group, "1 uncharged");
	CHECK_INT(DU_RC_UNCHARGED, it[0].how, "1 how");
	CHECK_INT(1, it[1].group, "2 charged to B");
	CHECK_INT(DU_RC_ELSEWHERE, it[1].how, "2 charged where no holder is");
	CHECK_INT(2, it[2].group, "3 charged to C");
	CHECK_INT(-1, it[3].group, "the DRM buffer stays uncharged");
	CHECK_U64(0, g[0].attributed, "A");
	CHECK_U64(4 * K, g[1].attributed, "B");
	CHECK_U64(2 * K, g[2].attributed, "C");
}

static void test_backtracking(void)
{
	/*
	 * Buffers of 3, 2, 2 and 2 pages, all shared by A (charged 4 pages) and
	 * B (5 pages).  The search first puts the 3-page buffer into A, where
	 * the 2-page ones cannot complete it; it has to back up and put it
	 * into B.
	 */
	size_t hab[] = { 0, 1 };
	struct du_rc_group g[] = { { .charged = 4 * K }, { .charged = 5 * K } };
	struct du_rc_item it[] = {
		{ .size = 3 * K, .holders = hab, .nholders = 2 },
		{ .size = 2 * K, .holders = hab, .nholders = 2 },
		{ .size = 2 * K, .holders = hab, .nholders = 2 },
		{ .size = 2 * K, .holders = hab, .nholders = 2 },
	};

	CHECK(du_reconcile(g, 2, it, 4, DU_RC_BUDGET));
	CHECK_INT(1, it[0].group, "3-page buffer ends up in B");
	CHECK_U64(4 * K, g[0].attributed, "A exact");
	CHECK_U64(5 * K, g[1].attributed, "B exact");
}

static void test_mismatch(void)
{
	/* A is charged 12K but holds only 4K: no assignment explains 8K. */
	size_t ha[] = { 0 };
	struct du_rc_group g[] = { { .charged = 3 * K }, { .charged = 0 } };
	struct du_rc_item it[] = { { .size = 1 * K, .holders = ha, .nholders = 1 } };

	CHECK(!du_reconcile(g, 2, it, 1, DU_RC_BUDGET));
	CHECK_INT(0, it[0].group, "greedy keeps the buffer with its holder");
	CHECK_U64(1 * K, g[0].attributed, "attributed 4K of 12K");

	/* Odd sizes nothing adds up to: still inexact, nothing overfilled. */
	struct du_rc_group g2[] = { { .charged = 5 * K } };
	struct du_rc_item it2[] = {
		{ .size = 2 * K, .holders = ha, .nholders = 1 },
		{ .size = 2 * K, .holders = ha, .nholders = 1 },
		{ .size = 2 * K, .holders = ha, .nholders = 1 },
	};

	CHECK(!du_reconcile(g2, 1, it2, 3, DU_RC_BUDGET));
	CHECK_U64(4 * K, g2[0].attributed, "greedy fills 4 of 5 pages");
}

static void test_budget(void)
{
	/* 40 equal buffers, a figure no subset reaches: the budget stops the search. */
	size_t hab[] = { 0, 1 };
	struct du_rc_group g[] = { { .charged = 41 * K }, { .charged = 40 * K } };
	struct du_rc_item it[40];

	for (int i = 0; i < 40; i++)
		it[i] = (struct du_rc_item){ .size = 2 * K, .holders = hab, .nholders = 2 };
	CHECK(!du_reconcile(g, 2, it, 40, 10000));
	CHECK(g[0].attributed <= g[0].charged && g[1].attributed <= g[1].charged);
}

static void test_empty(void)
{
	struct du_rc_group g[] = { { .charged = 0 } };

	CHECK(du_reconcile(g, 1, NULL, 0, DU_RC_BUDGET));
	g[0].charged = K;
	CHECK(!du_reconcile(g, 1, NULL, 0, DU_RC_BUDGET));
	CHECK(du_reconcile(NULL, 0, NULL, 0, DU_RC_BUDGET));
}

/* Exhaustive check: is there an assignment (holders, none, or elsewhere) that fits exactly? */
static bool brute(const struct du_rc_group *g, size_t ng, const struct du_rc_item *it, size_t ni,
		  size_t k, uint64_t *left)
{
	if (k == ni) {
		for (size_t i = 0; i < ng; i++)
			if (left[i])
				return false;
		return true;
	}
	if (brute(g, ng, it, ni, k + 1, left))
		return true;
	for (size_t i = 0; !it[k].never_charged && i < ng; i++) {
		if (left[i] < it[k].size)
			continue;
		left[i] -= it[k].size;
		if (brute(g, ng, it, ni, k + 1, left)) {
			left[i] += it[k].size;
			return true;
		}
		left[i] += it[k].size;
	}
	return false;
}

/*
 * Random small instances against the exhaustive search: du_reconcile is
 * exact exactly when an exact assignment exists, and an exact result adds up.
 */
static void test_random(void)
{
	static size_t holders[9][3];
	unsigned int seed = 12345;
	int agree = 0, sound = 0, feasible = 0;
	const int runs = 3000;

	for (int run = 0; run < runs; run++) {
		struct du_rc_group g[3] = { { 0 } };
		struct du_rc_item it[9];
		uint64_t left[3];
		size_t ng = 1 + rand_r(&seed) % 3, ni = rand_r(&seed) % 9;
		bool exact, want;

		for (size_t k = 0; k < ni; k++) {
			size_t nh = rand_r(&seed) % (ng + 1);

			for (size_t h = 0; h < nh; h++)
				holders[k][h] = h;
			it[k] = (struct du_rc_item){ .size = (1 + rand_r(&seed) % 4) * K,
						     .holders = holders[k],
						     .nholders = nh,
						     .never_charged = rand_r(&seed) % 8 == 0 };
			/* Half the time build the figures from a real assignment. */
			if (run % 2 == 0 && !it[k].never_charged && rand_r(&seed) % 3)
				g[rand_r(&seed) % ng].charged += it[k].size;
		}
		if (run % 2)
			for (size_t i = 0; i < ng; i++)
				g[i].charged = (rand_r(&seed) % 6) * K;
		for (size_t i = 0; i < ng; i++)
			left[i] = g[i].charged;
		want = brute(g, ng, it, ni, 0, left);
		exact = du_reconcile(g, ng, it, ni, DU_RC_BUDGET);
		feasible += want;
		agree += exact == want;
		if (exact) {
			bool ok = true;

			for (size_t i = 0; i < ng; i++)
				ok &= g[i].attributed == g[i].charged;
			for (size_t k = 0; k < ni; k++)
				ok &= !it[k].never_charged || it[k].group == -1;
			sound += ok;
		} else {
			sound++;
		}
	}
	printf("# %d of %d random instances have an exact assignment\n", feasible, runs);
	CHECK_INT(runs, agree, "exact exactly when the exhaustive search finds an assignment");
	CHECK_INT(runs, sound, "exact results add up and leave never-charged buffers alone");
}

int main(void)
{
	test_holders();
	test_uncharged_and_elsewhere();
	test_backtracking();
	test_mismatch();
	test_budget();
	test_empty();
	test_random();
	return tap_done();
}
