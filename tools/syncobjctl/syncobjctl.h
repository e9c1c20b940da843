/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * syncobjctl.h - what the syncobjctl commands share: the back end, syncobj
 * references (N, PID:FD, batch names, each with an optional @POINT), the
 * batch-mode name table, error reporting and keeping fds alive.
 */
#ifndef SYNCOBJCTL_H
#define SYNCOBJCTL_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cmd.h"
#include "feature.h"
#include "syncobj.h"

/* Tool-wide state: global options, the back end once opened, batch names. */
struct sctl {
	const char *device; /* --device or $SYNCOBJCTL_DEVICE; NULL: default */
	const char *batch_file; /* -f */
	struct du_syncobj_raw raw; /* hidden --_flags etc. (tests only) */
	bool raw_used;
	bool batch; /* inside a batch file */
	struct du_syncobj_ctx ctx;
	bool ctx_open;
	struct sctl_name *names; /* batch mode */
	size_t nnames;
};

extern struct sctl sctl;
extern const struct du_tool sctl_tool;
extern const struct du_feature sctl_features[];
extern const size_t sctl_nfeatures;

/* The back end, opened on first use; exits 3 (or 1) if there is none. */
struct du_syncobj_ctx *sctl_ctx(void);
/* The same, or NULL without a message when there is no usable back end. */
struct du_syncobj_ctx *sctl_ctx_try(void);

/* Exit 3 naming the feature if the open back end lacks @cap (DU_SYNCOBJ_CAP_*). */
void sctl_need_cap(unsigned int cap);
/* Exit 3 unless the back end accepts WAIT_DEADLINE. */
void sctl_need_deadline(void);

/*
 * A command's operands (REF...), collected by an argp child whose input is
 * this struct: between @min and @max (0: any number) of them, else a usage
 * error saying @usage.
 */
struct sctl_operands {
	char **v;
	int n;
	int min, max;
	const char *usage;
};

extern const struct argp sctl_operands_argp;

/* argp_parse() for a command: in batch mode errors return 2 instead of exiting. */
int sctl_parse(const struct argp *argp, int argc, char **argv, void *input);

/* ---- references --------------------------------------------------------- */

struct sref {
	const char *text; /* as given, for messages */
	char *spec; /* the part before '@' */
	uint64_t point;
	bool has_point;
	int fd; /* after sref_open() */
	bool owned; /* fd is ours to close (taken from another process) */
};

/*
 * Parse "REF" or "REF@POINT" (@allow_point).  A usage error exits 2 with a
 * message naming @text.
 */
void sref_parse(const char *text, struct sref *r, bool allow_point);
/* Parse @n operands into a new array. */
struct sref *sref_parse_all(char **texts, int n, bool allow_point);
/* Resolve to an fd: 0, or an exit code after reporting. */
int sref_open(struct sref *r);
int sref_open_all(struct sref *refs, size_t n);
void sref_close(struct sref *r);
void sref_free_all(struct sref *refs, size_t n);

/* Points of @refs (0 without @POINT) in a new array. */
uint64_t *sref_points(const struct sref *refs, size_t n);
int *sref_fds(const struct sref *refs, size_t n);

/*
 * Report that @op failed with -@err on @refs and return the exit code:
 * 4 for ETIME, 3 for an ioctl the kernel or driver does not have, else 1.
 * The message names the object the kernel refused when that can be told
 * (a render-node FD_TO_HANDLE failure, or an fd that is not a syncobj),
 * else all of @refs; @hint, if not NULL, explains the errno.
 */
int sctl_fail(const char *op, int err, const struct sref *refs, size_t n, const char *hint);

/* What an fd is, for messages: "pipe:[123]", "not open", ... */
void sctl_describe_fd(int fd, char *buf, size_t len);

/* ---- batch-mode names --------------------------------------------------- */

struct sctl_name {
	char *name;
	int fd;
};

bool sctl_is_name(const char *s);
int sctl_name_lookup(const char *name); /* fd or -1 */
/* Bind @name to @fd (taking it); exit code 0, or 2 if already bound. */
int sctl_name_add(const char *name, int fd);
void sctl_names_free(void);

int sctl_run_batch(const char *file);

/* ---- keeping fds alive -------------------------------------------------- */

/* How a command that makes new fds hands them out. */
struct sctl_out {
	char **cmd; /* after "--": exec it with the fds inherited */
	int ncmd;
	const char *env; /* variable naming the fds for CMD */
	bool env_given;
	int first_fd; /* --fd N, or -1 */
	pid_t owner; /* keeper lifetime: while this process lives */
	char **names; /* batch mode: names for the new objects */
	int nnames;
};

/* argp child for --fd, --env, --owner; input: struct sctl_out. */
extern const struct argp sctl_out_argp;

/*
 * Split "ARG... -- CMD..." (argp stops at "--": call before argp_parse with
 * the full argv, it shortens *argc).
 */
void sctl_out_split(struct sctl_out *o, int *argc, char **argv);

/*
 * Hand @n new fds (closed here on every path) out as @o says: in batch mode
 * bind them to names; with a CMD exec it (no return on success); else
 * give them to a keeper process and print one PID:FD line per fd.
 * Returns an exit code.  @what names the objects in messages.
 */
int sctl_out_deliver(struct sctl_out *o, int *fds, int n, const char *what);
/* How many objects the command should make (operands in batch mode, else 1 or --count). */
int sctl_out_count(const struct sctl_out *o, int count_opt);

/* Monotonic clock in ns, and now + @rel saturated (INT64_MAX stays INT64_MAX). */
int64_t sctl_now(void);
int64_t sctl_deadline(int64_t rel);

#endif
