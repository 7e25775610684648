/* cablex/options.h - the -O NAME[=VALUE] options handed to plugins: a
 * plugin reads them; the core, or a program embedding libcablex, builds them.
 *
 * Ownership: cx_options_new() returns a set the caller frees with
 * cx_options_free(); cx_options_set() copies its arguments, and every string
 * that cx_options_get() or cx_options_at() returns stays valid until
 * cx_options_free(), even after the same name is set again.
 */
#ifndef CABLEX_OPTIONS_H
#define CABLEX_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/error.h"
#include "cablex/stream.h" /* CX_DEFAULT_CABLE_MAX */

#ifdef __cplusplus
extern "C" {
#endif

/* Options given with -O NAME[=VALUE] (and shorthands such as --pretty). */
struct cx_options;
/* NULL when the option was not given; "" for a flag without value.  The
 * string is borrowed from the options and lives as long as the run. */
CX_API const char *cx_options_get(const struct cx_options *opts, const char *name);

/* Parses a size: digits with an optional K, M or G (powers of 1024; "Ki",
 * "KB" accepted too).  Returns CX_OK, or CX_FAILED when s is not a size
 * greater than 0 that fits in size_t. */
CX_API int cx_parse_size(const char *s, size_t *out);

/* The option "max-cable-size" that every reader honours as the bound of one
 * cable's buffer: *max is CX_DEFAULT_CABLE_MAX when it is not given.  A value
 * that is not a size is CX_FATAL with a message on ctx naming it. */
CX_API int cx_options_max_cable_size(const struct cx_options *opts, struct cx_ctx *ctx,
                                     size_t *max);
/* The start of a reader's open: a zeroed state of size bytes, with that
 * size_t at offset max_at (offsetof; (size_t)-1 for none) set to
 * max-cable-size.  NULL with the message on ctx when the option is not a
 * size or memory runs out ("WHO: out of memory", "out of memory" when who
 * is NULL); the reader then returns CX_FATAL. */
CX_API void *cx_reader_state(size_t size, size_t max_at, const struct cx_options *opts,
                             struct cx_ctx *ctx, const char *who);

/* An empty set, or NULL when memory runs out. */
CX_API struct cx_options *cx_options_new(void);
CX_API void cx_options_free(struct cx_options *opts);

/* Sets name to value; value NULL makes a flag (cx_options_get gives "").
 * Setting a name again overrides it (the last one wins).  Returns CX_OK,
 * CX_FAILED for a NULL or empty name, CX_FATAL when memory runs out. */
CX_API int cx_options_set(struct cx_options *opts, const char *name, const char *value);

/* Parses one -O argument, "NAME=VALUE" or "NAME" (a flag), and sets it.
 * Only the first '=' splits, so values may contain '='.  Returns as
 * cx_options_set (CX_FAILED for "" or "=VALUE"). */
CX_API int cx_options_parse(struct cx_options *opts, const char *arg);

/* The i-th setting in the order given (overridden ones included), for
 * listing and for checking names against what the plugins accept.  Returns
 * false past the end.  *value is "" for a flag. */
CX_API bool cx_options_at(const struct cx_options *opts, size_t i, const char **name,
                          const char **value);

/* How many settings cx_options_at() walks through. */
CX_API size_t cx_options_count(const struct cx_options *opts);

#ifdef __cplusplus
}
#endif
#endif
