/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.h - strict parsers for numbers, sizes and durations given on the
 * command line or in batch files.
 *
 * All parsers take the whole string: leading/trailing garbage, a sign where
 * none is allowed, and overflow are errors.  They return 0 or -EINVAL
 * (malformed) / -ERANGE (does not fit) and never touch *out on error.
 */
#ifndef DU_PARSE_H
#define DU_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Duration meaning "wait forever" (parsed from "inf" or "infinite"). */
#define DU_DURATION_INFINITE INT64_MAX

/* Decimal, or hex with 0x; no sign. */
int du_parse_u64(const char *s, uint64_t *out);
int du_parse_u32(const char *s, uint32_t *out);
/* Decimal only, no sign, fits in an int (fd numbers, pids). */
int du_parse_nonneg_int(const char *s, int *out);

/*
 * Byte count with an optional binary suffix: K, M, G, T, P, E, optionally
 * followed by "iB" or "B" ("4K", "2MiB", "1G", "4096").  Suffixes are
 * powers of 1024, as in util-linux.
 */
int du_parse_size(const char *s, uint64_t *out);

/*
 * Duration in nanoseconds: a number with a unit ns, us, ms, s, m, h
 * ("100ms", "5s", "1.5s") or "inf"/"infinite".  A bare number means seconds.
 */
int du_parse_duration(const char *s, int64_t *out_ns);

/* Format @bytes as "4K", "1.5M" style text for human output. */
void du_format_size(uint64_t bytes, char *buf, size_t len);

#endif
