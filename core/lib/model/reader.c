/* reader.c - what readers and writers share: a reader's state with its
 * max-cable-size, the line readers' open and close, the loop that reads
 * past inputs that are not cables, and the writer of records one after
 * another (cx_records_*). */
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

int cx_line_reader_open(size_t size, struct cx_istream *in, const struct cx_options *opts,
                        struct cx_ctx *ctx, void **state) {
  struct cx_line_reader *r =
      cx_reader_state(size, offsetof(struct cx_line_reader, max), opts, ctx, NULL);
  if (!r) return CX_FATAL;
  r->in = in;
  r->rl.max = r->max;
  r->first = true;
  cx_buf_init(&r->rec, r->max);
  cx_buf_init(&r->line, r->max + 2);
  *state = r;
  return CX_OK;
}

void cx_line_reader_close(void *state) {
  struct cx_line_reader *r = state;
  if (!r) return;
  cx_buf_free(&r->rec);
  cx_buf_free(&r->line);
  free(r);
}

int cx_read_skipping(int (*read_one)(void *state, struct cx_ctx *ctx, struct cx_cable **cable),
                     void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  int rc;
  while ((rc = read_one(state, ctx, cable)) == CX_SKIPPED)
    ;
  return rc;
}

struct records {
  struct cx_ostream *out;
  const char *sep;
  unsigned long count;
  struct cx_buf buf;
};

int cx_records_open(struct cx_ostream *out, const char *sep, struct cx_ctx *ctx, void **state) {
  struct records *w = calloc(1, sizeof *w);
  if (!w) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  w->out = out;
  w->sep = sep;
  /* what we render is bounded by what the model holds; the limit only
   * guards against runaway growth */
  cx_buf_init(&w->buf, (size_t)1 << 30);
  *state = w;
  return CX_OK;
}

int cx_records_write(void *state, cx_encode_fn encode, const struct cx_cable *c,
                     struct cx_ctx *ctx) {
  struct records *w = state;
  struct cx_buf *b = &w->buf;
  cx_buf_reset(b);
  if (w->count && w->sep && cx_buf_adds(b, w->sep) != CX_OK)
    return cx_error(ctx, CX_FATAL, 0, "out of memory");
  int result = encode(c, ctx, b);
  if (result == CX_FAILED || result == CX_FATAL) return result;
  int rc = cx_ostream_write(w->out, b->data, b->len);
  if (rc != CX_OK) return rc;
  w->count++;
  return result;
}

int cx_records_put(void *state, const char *data, size_t len, struct cx_ctx *ctx) {
  struct records *w = state;
  (void)ctx; /* the stream puts its own message on the ctx it was opened with */
  int rc = w->count && w->sep ? cx_ostream_puts(w->out, w->sep) : CX_OK;
  if (rc == CX_OK) rc = cx_ostream_write(w->out, data, len);
  if (rc != CX_OK) return CX_FATAL;
  w->count++;
  return CX_OK;
}

int cx_records_close(void *state, struct cx_ctx *ctx) {
  struct records *w = state;
  (void)ctx; /* nothing is left to write */
  if (w) cx_buf_free(&w->buf);
  free(w);
  return CX_OK;
}
