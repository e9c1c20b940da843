// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-kvlist - du_kvlist_parse() (fdinfo "key:\tvalue", memory.stat
 * "key value") and du_kvlist_get()/du_kvlist_get_u64().
 *
 * Properties: at most one item per line; keys are non-empty and hold no
 * ':' or white space; values hold no newline and no leading or trailing
 * white space; every item comes from a line of the input that starts with
 * its key; printing the list back as "key:\tvalue" lines and parsing that
 * gives the same list; lookups return the first item of a key, and
 * get_u64 agrees with du_parse_u64.
 */
#include <ctype.h>
#include <errno.h>

#include "fuzz.h"
#include "parse.h"
#include "procfs.h"

static void check_item(const char *text, const struct du_kv *kv)
{
	size_t klen = strlen(kv->key), vlen = strlen(kv->value);
	const char *line;
	bool found = false;

	FUZZ_CHECK(klen > 0, "empty key");
	for (size_t i = 0; i < klen; i++)
		FUZZ_CHECK(kv->key[i] != ':' && !isspace((unsigned char)kv->key[i]),
			   "key \"%s\" holds a separator", kv->key);
	FUZZ_CHECK(!strchr(kv->value, '\n'), "value of %s holds a newline", kv->key);
	if (vlen) {
		FUZZ_CHECK(!isspace((unsigned char)kv->value[0]) &&
				   !isspace((unsigned char)kv->value[vlen - 1]),
			   "value of %s not trimmed: \"%s\"", kv->key, kv->value);
	}
	/* Some line starts with the key followed by a separator. */
	for (line = text; line && !found; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		found = !strncmp(line, kv->key, klen) &&
			(line[klen] == ':' || isspace((unsigned char)line[klen])) &&
			line[klen] != '\n';
	FUZZ_CHECK(found, "key \"%s\" is not at the start of any line", kv->key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *text = fuzz_cstr(data, size);
	_cleanup_free_ char *printed = NULL;
	struct du_kvlist list = { 0 }, back = { 0 };
	size_t lines = 1, len = 0;

	if (!text)
		return 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	du_kvlist_parse(&list, text);
	FUZZ_CHECK(list.count <= lines, "%zu items from %zu lines", list.count, lines);

	for (size_t i = 0; i < list.count; i++) {
		const struct du_kv *kv = &list.items[i];
		uint64_t v = 0, ref = 0;
		int r, rr;

		check_item(text, kv);
		/* Lookup returns the first item with that key. */
		for (size_t j = 0; j < list.count; j++) {
			if (streq(list.items[j].key, kv->key)) {
				FUZZ_CHECK(du_kvlist_get(&list, kv->key) == list.items[j].value,
					   "lookup of %s is not its first item", kv->key);
				break;
			}
		}
		r = du_kvlist_get_u64(&list, kv->key, &v);
		rr = du_parse_u64(du_kvlist_get(&list, kv->key), &ref);
		FUZZ_CHECK(r == rr && (r || v == ref), "get_u64(%s): %d, parse_u64 %d", kv->key, r,
			   rr);
		len += strlen(kv->key) + strlen(kv->value) + 3;
	}
	FUZZ_CHECK(du_kvlist_get_u64(&list, "no such key\n", &(uint64_t){ 0 }) == -ENOENT, "lookup "
											   "of an "
											   "impossi"
											   "ble "
											   "key");

	/* Print back in fdinfo form and parse again: the same list. */
	printed = malloc(len + 1);
	if (!printed)
		abort();
	printed[0] = '\0';
	for (size_t i = 0, off = 0; i < list.count; i++)
		off += sprintf(printed + off, "%s:\t%s\n", list.items[i].key, list.items[i].value);
	du_kvlist_parse(&back, printed);
	FUZZ_CHECK(back.count == list.count, "%zu items read back as %zu", list.count, back.count);
	for (size_t i = 0; i < list.count; i++)
		FUZZ_CHECK(streq(back.items[i].key, list.items[i].key) &&
				   streq(back.items[i].value, list.items[i].value),
			   "item %zu \"%s\"=\"%s\" read back as \"%s\"=\"%s\"", i,
			   list.items[i].key, list.items[i].value, back.items[i].key,
			   back.items[i].value);
	du_kvlist_free(&back);
	du_kvlist_free(&list);
	FUZZ_CHECK(list.count == 0 && list.items == NULL, "free leaves items behind");
	return 0;
}
