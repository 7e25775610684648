/* lines.c - a test input plugin "lines": one cable per line.
 *
 * Ownership: as in cablex/plugin.h; the reader state is the plugin's from
 * open to close, and each cable it returns is the caller's.
 *
 * A line "ID TEXT" becomes a cable with that id and the whole line as body.
 * Blank lines and lines starting with '#' are skipped.  A line starting
 * with '!' fails that cable, "?ID TEXT" converts with a warning, and a line
 * "FATAL" ends the input, so that tests can drive the error policy.
 */
#include <stdlib.h>
#include <string.h>

#include "cablex/plugin.h"

struct lines {
  struct cx_istream *in;
  struct cx_buf line;
};

static int lines_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  return len >= 7 && memcmp(head, "#lines\n", 7) == 0 ? 80 : 0;
}

static int lines_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                      void **state) {
  (void)opts;
  struct lines *l = calloc(1, sizeof *l);
  if (!l) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  l->in = in;
  cx_buf_init(&l->line, 4096);
  *state = l;
  return CX_OK;
}

static int lines_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct lines *l = state;
  for (;;) {
    cx_buf_reset(&l->line);
    int rc = cx_istream_getline(l->in, &l->line);
    unsigned long lineno = cx_istream_line(l->in); /* lines consumed: this one's number */
    if (rc == CX_EOF) return CX_EOF;
    if (rc == CX_FAILED) return cx_error(ctx, CX_FAILED, lineno, "line too long");
    if (rc != CX_OK) return rc;
    char *s = l->line.data;
    size_t n = l->line.len;
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
      s[--n] = '\0';
    if (n == 0 || s[0] == '#') continue;
    if (strcmp(s, "FATAL") == 0) return cx_error(ctx, CX_FATAL, lineno, "fatal line");
    if (s[0] == '!') return cx_error(ctx, CX_FAILED, lineno, "bad cable line");
    bool warn = s[0] == '?';
    if (warn) s++;
    struct cx_cable *c = cx_cable_new();
    if (!c) return cx_error(ctx, CX_FATAL, lineno, "out of memory");
    size_t idlen = strcspn(s, " \t");
    if (cx_set_n(&c->id, s, idlen) != CX_OK || cx_set(&c->body, s) != CX_OK) {
      cx_cable_free(c);
      return cx_error(ctx, CX_FATAL, lineno, "out of memory");
    }
    *cable = c;
    if (warn) return cx_warn(ctx, lineno, "questionable cable %s", c->id);
    return CX_OK;
  }
}

static void lines_close(void *state) {
  struct lines *l = state;
  if (!l) return;
  cx_buf_free(&l->line);
  free(l);
}

static const char *const lines_ext[] = {"lines", NULL};

/* clang-format off */
CX_PLUGIN_DEFINE(
    .name = "lines",
    .version = "1",
    .description = "test reader: one cable per line",
    .kinds = CX_KIND_INPUT,
    .extensions = lines_ext,
    .probe = lines_probe,
    .reader_open = lines_open,
    .reader_next = lines_next,
    .reader_close = lines_close
);
/* clang-format on */
