/* bundle.c - a test bundle plugin "bundle": a text container of entries,
 * so that the pipeline's bundle handling is tested without libarchive.
 *
 * Ownership: as in cablex/plugin.h; reader and writer state is the plugin's
 * from open to close, the entry stream it hands out too (closed by the next
 * call to next, or by close).
 *
 * Format: a first line "#bundle", then entries, each a line
 * "== NAME LEN" followed by exactly LEN bytes and a newline.  A line
 * "!! NAME" is a corrupt entry (next fails for it, the ones after it are
 * read), and a line "FATAL" ends the bundle with an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/plugin.h"

struct breader {
  struct cx_istream *in;
  struct cx_ctx *ctx;
  struct cx_buf line;
  char name[256];
  size_t left; /* bytes of the current entry not yet read */
  struct cx_istream *entry;
  bool first;
};

static int bundle_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  return len >= 8 && memcmp(head, "#bundle\n", 8) == 0 ? 90 : 0;
}

static long entry_read(void *user, void *buf, size_t n) {
  struct breader *b = user;
  if (n > b->left) n = b->left;
  if (n == 0) return 0;
  long r = cx_istream_read(b->in, buf, n);
  if (r > 0) b->left -= (size_t)r;
  if (r == 0) return cx_error(b->ctx, CX_FATAL, 0, "entry %s truncated", b->name);
  return r;
}

static int b_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                  void **state) {
  (void)opts;
  struct breader *b = calloc(1, sizeof *b);
  if (!b) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  b->in = in;
  b->ctx = ctx;
  b->first = true;
  cx_buf_init(&b->line, 1024);
  *state = b;
  return CX_OK;
}

/* Skips what is left of the current entry and its newline. */
static int skip_entry(struct breader *b) {
  char buf[4096];
  if (b->entry) cx_istream_close(b->entry);
  b->entry = NULL;
  while (b->left) {
    long r = cx_istream_read(b->in, buf, b->left < sizeof buf ? b->left : sizeof buf);
    if (r <= 0) return CX_FATAL;
    b->left -= (size_t)r;
  }
  return CX_OK;
}

static int b_next(void *state, struct cx_ctx *ctx, const char **name, struct cx_istream **entry) {
  struct breader *b = state;
  b->ctx = ctx;
  if (!b->first && skip_entry(b) != CX_OK)
    return cx_error(ctx, CX_FATAL, 0, "entry %s truncated", b->name);
  for (;;) {
    cx_buf_reset(&b->line);
    int rc = cx_istream_getline(b->in, &b->line);
    if (rc == CX_EOF) return CX_EOF;
    if (rc != CX_OK) return cx_error(ctx, CX_FATAL, 0, "bad bundle line");
    char *s = b->line.data;
    s[strcspn(s, "\n")] = '\0';
    if (b->first) {
      b->first = false;
      if (strcmp(s, "#bundle") != 0) return cx_error(ctx, CX_FATAL, 1, "not a bundle");
      continue;
    }
    if (s[0] == '\0') continue; /* the newline after an entry */
    if (strcmp(s, "FATAL") == 0) return cx_error(ctx, CX_FATAL, 0, "bundle ends badly");
    if (strncmp(s, "!! ", 3) == 0) {
      snprintf(b->name, sizeof b->name, "%s", s + 3);
      ctx->entry = b->name;
      return cx_error(ctx, CX_FAILED, 0, "corrupt entry");
    }
    unsigned long len;
    if (sscanf(s, "== %255s %lu", b->name, &len) != 2)
      return cx_error(ctx, CX_FATAL, 0, "bad entry header '%s'", s);
    b->left = len;
    b->entry = cx_istream_open_fn(entry_read, b, b->name, ctx);
    if (!b->entry) return CX_FATAL;
    *name = b->name;
    *entry = b->entry;
    return CX_OK;
  }
}

static void b_close(void *state) {
  struct breader *b = state;
  if (!b) return;
  if (b->entry) cx_istream_close(b->entry);
  cx_buf_free(&b->line);
  free(b);
}

struct bwriter {
  struct cx_ostream *out;
};

static int bw_open(struct cx_ostream *out, const char *format, const struct cx_options *opts,
                   struct cx_ctx *ctx, void **state) {
  (void)opts;
  (void)format;
  struct bwriter *w = calloc(1, sizeof *w);
  if (!w) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  w->out = out;
  *state = w;
  return cx_ostream_puts(out, "#bundle\n") == CX_OK ? CX_OK : CX_FATAL;
}

static int bw_add(void *state, const char *name, const void *data, size_t len, struct cx_ctx *ctx) {
  struct bwriter *w = state;
  if (strstr(name, "REFUSE")) return cx_error(ctx, CX_FAILED, 0, "entry %s refused", name);
  char head[512];
  snprintf(head, sizeof head, "== %s %zu\n", name, len);
  if (cx_ostream_puts(w->out, head) || cx_ostream_write(w->out, data, len) ||
      cx_ostream_puts(w->out, "\n"))
    return CX_FATAL;
  return CX_OK;
}

static int bw_close(void *state, struct cx_ctx *ctx) {
  (void)ctx;
  free(state);
  return CX_OK;
}

/* The registry wants a reader and a writer from an input and output
 * plugin; the core never calls them on a bundle plugin. */
static int no_reader(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  (void)in, (void)opts, (void)state;
  return cx_error(ctx, CX_FATAL, 0, "bundle: not a cable stream");
}
static int no_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  (void)state, (void)cable;
  return cx_error(ctx, CX_FATAL, 0, "bundle: not a cable stream");
}
static void no_close(void *state) {
  (void)state;
}
static int no_writer(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  (void)out, (void)opts, (void)state;
  return cx_error(ctx, CX_FATAL, 0, "bundle: not a cable stream");
}
static int no_write(void *state, const struct cx_cable *cable, struct cx_ctx *ctx) {
  (void)state, (void)cable;
  return cx_error(ctx, CX_FATAL, 0, "bundle: not a cable stream");
}
static int no_wclose(void *state, struct cx_ctx *ctx) {
  (void)state, (void)ctx;
  return CX_OK;
}

static const char *const bundle_ext[] = {"bundle", "bdl", NULL};

/* clang-format off */
CX_PLUGIN_DEFINE(
    .name = "bundle",
    .version = "1",
    .description = "test bundle: '== NAME LEN' entries",
    .kinds = CX_KIND_INPUT | CX_KIND_OUTPUT | CX_KIND_CONTAINER,
    .extensions = bundle_ext,
    .probe = bundle_probe,
    .reader_open = no_reader,
    .reader_next = no_next,
    .reader_close = no_close,
    .writer_open = no_writer,
    .writer_write = no_write,
    .writer_close = no_wclose,
    .bundle_open = b_open,
    .bundle_next = b_next,
    .bundle_close = b_close,
    .bundle_writer_open = bw_open,
    .bundle_add = bw_add,
    .bundle_writer_close = bw_close
);
/* clang-format on */
