/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sweep.h - the cases of failnth_sweep, one table per kernel area.
 *
 * A case is a fail-nth sweep (failnth.h) of one operation plus the setup it
 * needs.  Each area's file (sweep-stock.c, and one per kernel series as it
 * lands) exports a table ending in an entry with a NULL name; failnth_sweep.c
 * lists the tables.
 */
#ifndef DU_SWEEP_H
#define DU_SWEEP_H

#include "failnth.h"

struct sweep_case {
	const char *name; /* command-line name, "area-object-operation" */
	const char *needs; /* a path that must exist, else the case is skipped */
	const char *want_site; /* function a fault must hit (reported), or NULL */
	/* Once before the sweep: allocate the context (*ctx) the op runs on. */
	int (*setup)(void **ctx);
	void (*teardown)(void *ctx);
	struct fn_op op;
};

extern const struct sweep_case sweep_stock[];
extern const struct sweep_case sweep_dmaheap[];
extern const struct sweep_case sweep_syncobj[];
extern const struct sweep_case sweep_vfio[];

/* Helpers for the case files. */
int sweep_ioctl(int fd, unsigned long req, void *arg); /* 0 or -errno */
int sweep_open(const char *path, int flags); /* fd or -errno */
void sweep_close(int *fd); /* close if >= 0, set to -1 */

#endif
