/* options_internal.h - building the -O NAME[=VALUE] options that the core
 * hands to plugins (not installed; the CLI, the pipeline and tests use it).
 *
 * Ownership: cx_options_new() returns a set the caller frees with
 * cx_options_free(); cx_options_set() copies its arguments, and every string
 * that cx_options_get() or cx_options_at() returns stays valid until
 * cx_options_free(), even after the same name is set again.
 */
#ifndef CX_OPTIONS_INTERNAL_H
#define CX_OPTIONS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/plugin.h"

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

#endif
