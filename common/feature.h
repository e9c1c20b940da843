/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * feature.h - probing for the kernel features a tool can use.
 *
 * Each tool keeps a table of struct du_feature, one row per kernel feature,
 * and its `features` subcommand prints the table with the probe results.
 * Commands use the same probes to say which feature is missing instead of
 * passing an ENOTTY through.
 */
#ifndef DU_FEATURE_H
#define DU_FEATURE_H

#include <stdbool.h>

#include "output.h"

enum du_feature_state {
	DU_FEATURE_PRESENT,
	DU_FEATURE_MISSING,
	DU_FEATURE_UNKNOWN, /* could not tell, e.g. no permission to open the node */
};

struct du_probe {
	enum du_feature_state state;
	char reason[256]; /* why missing/unknown, or a detail when present */
};

struct du_feature {
	const char *name; /* stable identifier, e.g. "syncobj-dev" */
	const char *kconfig; /* CONFIG_ symbol or kernel version that provides it */
	const char *description;
	void (*probe)(struct du_probe *p);
};

void du_probe_set(struct du_probe *p, enum du_feature_state state, const char *fmt, ...)
	__du_printf(3, 4);

/*
 * Open device node @path for probing.  Returns the fd, or -1 with @p set to
 * MISSING ("device node absent") or UNKNOWN (e.g. EACCES).
 */
int du_probe_open(struct du_probe *p, const char *path, int flags);

/*
 * Classify the errno @err of an ioctl issued with deliberately invalid
 * arguments: ENOTTY/ENOIOCTLCMD means the kernel does not know the ioctl;
 * anything in @known (terminated by 0) means it does.
 */
void du_probe_ioctl_errno(struct du_probe *p, const char *ioctl_name, int err, const int *known);

/* `features` subcommand body: probe each row and print the table. */
int du_features_run(const struct du_feature *features, size_t n, int argc, char **argv);

/* Probe one feature by name; exit 3 with a clear message if it is missing. */
void du_require_feature(const struct du_feature *features, size_t n, const char *name);

#endif
