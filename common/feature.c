// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * feature.c - probing for the kernel features a tool can use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "feature.h"

void du_probe_set(struct du_probe *p, enum du_feature_state state, const char *fmt, ...)
{
	va_list ap;

	p->state = state;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
}

int du_probe_open(struct du_probe *p, const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		du_probe_set(p, DU_FEATURE_MISSING, "%s: device node absent (%s)", path,
			     strerror(errno));
	else
		du_probe_set(p, DU_FEATURE_UNKNOWN, "%s: cannot open (%s)", path, strerror(errno));
	return -1;
}

void du_probe_ioctl_errno(struct du_probe *p, const char *ioctl_name, int err, const int *known)
{
	if (err == ENOTTY || err == ENOSYS) {
		du_probe_set(p, DU_FEATURE_MISSING, "%s returns %s", ioctl_name,
			     strerrorname_np(err));
		return;
	}
	for (; *known; known++) {
		if (err == *known) {
			du_probe_set(p, DU_FEATURE_PRESENT, "%s known to the kernel", ioctl_name);
			return;
		}
	}
	du_probe_set(p, DU_FEATURE_UNKNOWN, "%s returns unexpected %s", ioctl_name,
		     err ? strerrorname_np(err) : "success");
}

static const char *state_name(enum du_feature_state s)
{
	switch (s) {
	case DU_FEATURE_PRESENT:
		return "present";
	case DU_FEATURE_MISSING:
		return "missing";
	default:
		return "unknown";
	}
}

enum { COL_NAME, COL_STATE, COL_REASON, COL_KCONFIG, COL_DESCRIPTION };

static const struct du_colinfo feature_columns[] = {
	[COL_NAME] = { "NAME", 0, 0, SCOLS_JSON_STRING, "feature identifier" },
	[COL_STATE] = { "STATE", 0, 0, SCOLS_JSON_STRING, "present, missing or unknown" },
	[COL_REASON] = { "REASON", 0, SCOLS_FL_WRAP, SCOLS_JSON_STRING, "how the probe decided" },
	[COL_KCONFIG] = { "KCONFIG", 0, 0, SCOLS_JSON_STRING, "what provides the feature" },
	[COL_DESCRIPTION] = { "DESCRIPTION", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			      "what the feature is for" },
};

static const int feature_default_columns[] = { COL_NAME, COL_STATE, COL_REASON };

struct features_args {
	struct du_output out;
	bool quiet_check; /* --check: exit status only */
	char **names;
	int nnames;
};

static error_t features_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct features_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case 'q':
		a->quiet_check = true;
		break;
	case ARGP_KEY_ARGS:
		a->names = state->argv + state->next;
		a->nnames = state->argc - state->next;
		break;
	default:
		(void)arg;
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option features_options[] = {
	{ "check", 'q', NULL, 0, "print nothing; exit 3 if any listed feature is missing", 0 },
	{ 0 }
};

static const struct argp_child features_children[] = { { &du_output_argp, 0, "Output:", 0 },
						       { 0 } };

static const struct argp features_argp = {
	.options = features_options,
	.parser = features_parse_opt,
	.args_doc = "[FEATURE...]",
	.doc = "Report each kernel feature the tool can use as present, missing or unknown, "
	       "with the reason.\vExit status: 0 if every listed feature is present, 3 if one "
	       "is missing or unknown.\n",
	.children = features_children,
};

static bool feature_selected(const struct features_args *a, const char *name)
{
	if (!a->nnames)
		return true;
	for (int i = 0; i < a->nnames; i++)
		if (streq(a->names[i], name))
			return true;
	return false;
}

static int check_names(const struct du_feature *features, size_t n, const struct features_args *a)
{
	for (int i = 0; i < a->nnames; i++) {
		size_t j;

		for (j = 0; j < n && !streq(features[j].name, a->names[i]); j++)
			;
		if (j == n)
			du_usage_error("unknown feature: %s", a->names[i]);
	}
	return 0;
}

int du_features_run(const struct du_feature *features, size_t n, int argc, char **argv)
{
	struct features_args a = { 0 };
	int status = DU_EXIT_SUCCESS;

	du_output_init(&a.out, feature_columns, ARRAY_SIZE(feature_columns),
		       feature_default_columns, ARRAY_SIZE(feature_default_columns));
	argp_parse(&features_argp, argc, argv, 0, NULL, &a);
	check_names(features, n, &a);

	if (!a.quiet_check)
		du_output_start(&a.out, "features");
	for (size_t i = 0; i < n; i++) {
		struct du_probe p = { DU_FEATURE_UNKNOWN, "" };
		struct libscols_line *ln;

		if (!feature_selected(&a, features[i].name))
			continue;
		features[i].probe(&p);
		if (p.state != DU_FEATURE_PRESENT)
			status = DU_EXIT_NOFEATURE;
		if (a.quiet_check)
			continue;
		ln = du_output_new_line(&a.out);
		du_output_set_str(&a.out, ln, COL_NAME, features[i].name);
		du_output_set_str(&a.out, ln, COL_STATE, state_name(p.state));
		du_output_set_str(&a.out, ln, COL_REASON, p.reason);
		du_output_set_str(&a.out, ln, COL_KCONFIG, features[i].kconfig);
		du_output_set_str(&a.out, ln, COL_DESCRIPTION, features[i].description);
	}
	if (!a.quiet_check) {
		if (du_output_print(&a.out))
			status = DU_EXIT_FAILURE;
		du_output_free(&a.out);
	}
	/* Listing everything is informational; only named features decide the status. */
	return a.nnames || a.quiet_check ? status : DU_EXIT_SUCCESS;
}

void du_require_feature(const struct du_feature *features, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		struct du_probe p = { DU_FEATURE_UNKNOWN, "" };

		if (!streq(features[i].name, name))
			continue;
		features[i].probe(&p);
		if (p.state == DU_FEATURE_PRESENT)
			return;
		du_die(DU_EXIT_NOFEATURE, 0, "kernel feature %s (%s) is %s: %s", name,
		       features[i].kconfig, state_name(p.state), p.reason);
	}
	du_die(DU_EXIT_FAILURE, 0, "internal error: no feature named %s", name);
}
