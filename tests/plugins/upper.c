/* upper.c - a test output plugin "upper": one line per cable, "ID|BODY"
 * with the body upper-cased.
 *
 * Ownership: as in cablex/plugin.h; the writer borrows the cables.
 *
 * Options drive the error policy in tests: fail-at=N makes the Nth write
 * fatal, reject=ID fails the cable with that id, warn=ID writes it with a
 * warning.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/plugin.h"

struct upper {
  struct cx_ostream *out;
  unsigned long n, fail_at;
  const char *reject, *warn;
};

static int upper_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                      void **state) {
  struct upper *u = calloc(1, sizeof *u);
  if (!u) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  u->out = out;
  const char *v = cx_options_get(opts, "fail-at");
  u->fail_at = v ? strtoul(v, NULL, 10) : 0;
  u->reject = cx_options_get(opts, "reject");
  u->warn = cx_options_get(opts, "warn");
  *state = u;
  return CX_OK;
}

static int upper_write(void *state, const struct cx_cable *c, struct cx_ctx *ctx) {
  struct upper *u = state;
  const char *id = c->id ? c->id : "";
  u->n++;
  if (u->fail_at && u->n == u->fail_at)
    return cx_error(ctx, CX_FATAL, 0, "fail-at reached at cable %lu", u->n);
  if (u->reject && strcmp(u->reject, id) == 0)
    return cx_error(ctx, CX_FAILED, 0, "rejected cable %s", id);
  int rc = cx_ostream_puts(u->out, id);
  if (rc == CX_OK) rc = cx_ostream_puts(u->out, "|");
  for (const char *p = c->body ? c->body : ""; *p && rc == CX_OK; p++) {
    char ch = (char)toupper((unsigned char)*p);
    rc = cx_ostream_write(u->out, &ch, 1);
  }
  if (rc == CX_OK) rc = cx_ostream_puts(u->out, "\n");
  if (rc != CX_OK) return CX_FATAL;
  if (u->warn && strcmp(u->warn, id) == 0)
    return cx_error(ctx, CX_WARN, 0, "written with a warning: %s", id);
  return CX_OK;
}

static int upper_close(void *state, struct cx_ctx *ctx) {
  (void)ctx;
  free(state);
  return CX_OK;
}

static const char *const upper_ext[] = {"up", NULL};
static const struct cx_option_doc upper_options[] = {
    {"fail-at", "N", "make the Nth write fatal"},
    {"reject", "ID", "fail the cable with this id"},
    {"warn", "ID", "write the cable with this id with a warning"},
    {NULL, NULL, NULL},
};

/* clang-format off */
CX_PLUGIN_DEFINE(
    .name = "upper",
    .version = "1",
    .description = "test writer: ID|BODY upper-cased",
    .kinds = CX_KIND_OUTPUT,
    .extensions = upper_ext,
    .options = upper_options,
    .writer_open = upper_open,
    .writer_write = upper_write,
    .writer_close = upper_close
);
/* clang-format on */
