// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-syncobjctl-ref - syncobjctl's REF[@POINT] operands: sref_parse()
 * (tools/syncobjctl/ref.c) outside and inside batch mode.
 *
 * Properties: a reference is accepted exactly when it is N or PID:FD (or,
 * in batch mode, a bound name), optionally followed by @POINT as
 * du_parse_u64 takes it, split at the last '@'; a point where none is
 * allowed, or anything else, is a usage error (exit 2) whose one message
 * names the operand as given; an accepted reference prints back to text
 * that parses to the same reference.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <unistd.h>

#include "fdref.h"
#include "fuzz-exit.h"
#include "fuzz.h"
#include "parse.h"
#include "syncobjctl.h"

/* The tool's global state, normally in tools/syncobjctl.c. */
struct sctl sctl;

static const char *const names[] = { "a", "tl_1", "render.out-2" };

static void bind_names(void)
{
	if (sctl.nnames)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (sctl_name_add(names[i], open("/dev/null", O_RDONLY | O_CLOEXEC)))
			abort();
}

/* What sref_parse must do with @text; 0 accept, 2 usage error. */
static int expected(const char *text, bool allow_point, bool batch)
{
	const char *at = strrchr(text, '@');
	_cleanup_free_ char *spec = at ? strndup(text, at - text) : strdup(text);
	struct du_fdref ref;
	uint64_t point;

	if (!spec)
		abort();
	if (at && (!allow_point || du_parse_u64(at + 1, &point)))
		return DU_EXIT_USAGE;
	if (sctl_is_name(spec))
		return batch && sctl_name_lookup(spec) >= 0 ? 0 : DU_EXIT_USAGE;
	if (du_fdref_parse(spec, &ref) || ref.kind == DU_FDREF_PATH)
		return DU_EXIT_USAGE;
	return 0;
}

static void check(const char *text, bool allow_point, bool batch)
{
	static struct sref r; /* static: survives the longjmp of a usage error */
	int want = expected(text, allow_point, batch), got;

	sctl.batch = batch;
	fuzz_exit_reset();
	memset(&r, 0, sizeof(r));
	got = FUZZ_TRY(sref_parse(text, &r, allow_point));
	got = got < 0 ? 0 : got;
	FUZZ_CHECK(got == want, "\"%s\" (point %s, batch %s): exit %d, expected %d (%s)", text,
		   allow_point ? "allowed" : "not allowed", batch ? "yes" : "no", got, want,
		   fuzz_message);
	if (got) {
		FUZZ_CHECK(fuzz_messages == 1 && strstr(fuzz_message, text),
			   "\"%s\": the usage message does not name it: \"%s\"", text,
			   fuzz_message);
	} else {
		_cleanup_free_ char *again = NULL;
		static struct sref r2;

		FUZZ_CHECK(r.spec && r.has_point == (strrchr(text, '@') != NULL),
			   "\"%s\": spec/point not set", text);
		xasprintf(&again, "%s%s%" PRIu64, r.spec, r.has_point ? "@" : "",
			  r.has_point ? r.point : 0);
		if (!r.has_point)
			again[strlen(r.spec)] = '\0';
		memset(&r2, 0, sizeof(r2));
		FUZZ_CHECK(FUZZ_TRY(sref_parse(again, &r2, allow_point)) < 0 &&
				   streq(r2.spec, r.spec) && r2.has_point == r.has_point &&
				   r2.point == r.point,
			   "\"%s\" printed as \"%s\" does not parse back", text, again);
		free(r2.spec);
	}
	free(r.spec);
	r.spec = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *text = fuzz_cstr(data, size);

	if (!text || size > 256)
		return 0;
	bind_names();
	for (int mode = 0; mode < 4; mode++)
		check(text, mode & 1, mode & 2);
	return 0;
}
