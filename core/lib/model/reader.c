/* reader.c - what every reader's open and next share: the state with its
 * max-cable-size, and the loop that reads past inputs that are not cables. */
#include <stdlib.h>
#include <string.h>

#include "cablex/plugin.h"

void *cx_reader_state(size_t size, size_t max_at, const struct cx_options *opts, struct cx_ctx *ctx,
                      const char *who) {
  size_t max;
  if (cx_options_max_cable_size(opts, ctx, &max) != CX_OK) return NULL;
  char *r = calloc(1, size);
  if (!r) {
    if (who)
      cx_error(ctx, CX_FATAL, 0, "%s: out of memory", who);
    else
      cx_error(ctx, CX_FATAL, 0, "out of memory");
    return NULL;
  }
  if (max_at != (size_t)-1) memcpy(r + max_at, &max, sizeof max);
  return r;
}

int cx_read_skipping(int (*read_one)(void *state, struct cx_ctx *ctx, struct cx_cable **cable),
                     void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  int rc;
  while ((rc = read_one(state, ctx, cable)) == CX_SKIPPED)
    ;
  return rc;
}
