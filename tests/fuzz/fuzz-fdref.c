// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-fdref - du_fdref_parse().
 *
 * Properties: anything with a '/' is a path (the spec itself); otherwise
 * exactly "FD" or "PID:FD" with decimal non-negative ints and PID > 0 is
 * accepted; the parsed reference prints back ("%d", "%d:%d") to a spec
 * that parses to the same reference.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>

#include "fdref.h"
#include "fuzz.h"

/* Decimal digits only, value <= INT_MAX; -1 otherwise. */
static long long reference_int(const char *s, size_t len)
{
	long long v = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > INT_MAX)
			return -1;
	}
	return v;
}

static bool same_ref(const struct du_fdref *a, const struct du_fdref *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case DU_FDREF_INHERITED:
		return a->fd == b->fd;
	case DU_FDREF_REMOTE:
		return a->fd == b->fd && a->pid == b->pid;
	case DU_FDREF_PATH:
		return streq(a->path, b->path);
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *s = fuzz_cstr(data, size);
	struct du_fdref ref, back;
	const char *colon;
	char buf[32];
	int r;

	if (!s)
		return 0;
	r = du_fdref_parse(s, &ref);
	FUZZ_CHECK(r == 0 || r == -EINVAL, "\"%s\": returned %d", s, r);

	if (strchr(s, '/')) {
		FUZZ_CHECK(r == 0 && ref.kind == DU_FDREF_PATH && ref.path == s,
			   "\"%s\": not taken as a path (%d)", s, r);
		return 0;
	}
	colon = strchr(s, ':');
	if (!colon) {
		long long fd = reference_int(s, strlen(s));

		FUZZ_CHECK((fd >= 0) == (r == 0), "\"%s\": returned %d, reference fd %lld", s, r,
			   fd);
		if (r)
			return 0;
		FUZZ_CHECK(ref.kind == DU_FDREF_INHERITED && ref.fd == fd, "\"%s\": kind %d fd %d",
			   s, ref.kind, ref.fd);
		snprintf(buf, sizeof(buf), "%d", ref.fd);
	} else {
		long long pid = reference_int(s, colon - s);
		long long fd = reference_int(colon + 1, strlen(colon + 1));
		bool ok = pid > 0 && fd >= 0;

		FUZZ_CHECK(ok == (r == 0), "\"%s\": returned %d, reference pid %lld fd %lld", s, r,
			   pid, fd);
		if (r)
			return 0;
		FUZZ_CHECK(ref.kind == DU_FDREF_REMOTE && ref.pid == pid && ref.fd == fd,
			   "\"%s\": kind %d pid %d fd %d", s, ref.kind, (int)ref.pid, ref.fd);
		snprintf(buf, sizeof(buf), "%d:%d", (int)ref.pid, ref.fd);
	}
	FUZZ_CHECK(du_fdref_parse(buf, &back) == 0 && same_ref(&ref, &back),
		   "\"%s\" printed as \"%s\" does not parse back", s, buf);
	return 0;
}
