/* fuzz_writer.c - a libFuzzer target for one output plugin (issue 12): the
 * input is read as JSON Lines (the json reader's sources are compiled in),
 * the cables it gives (up to 16) are written by the plugin into memory, and
 * what it wrote is read back by the same plugin.  Model -> bytes -> model;
 * only crashes, hangs, leaks and sanitizer reports count.
 *
 * Ownership: everything made for an input is freed before the next.
 */
#include <stdint.h>
#include <string.h>

#include "cablex/cable.h"
#include "cablex/plugin.h"
#include "cablex/stream.h"
#include "json_plugin.h"
#include "cablex/options.h"

extern const struct cx_plugin cablex_plugin_v1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CABLES 16

static void quiet(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user, (void)ctx, (void)code, (void)msg;
}

static size_t read_json(const uint8_t *data, size_t size, const struct cx_options *opts,
                        struct cx_ctx *ctx, struct cx_cable **c) {
  size_t n = 0;
  struct cx_istream *in = cx_istream_open_mem(data, size, "fuzz.jsonl", ctx);
  void *st = NULL;
  if (in && jsonp_reader_open(in, opts, ctx, &st) == CX_OK) {
    for (int i = 0; i < 1000 && n < MAX_CABLES; i++) {
      struct cx_cable *one = NULL;
      int rc = jsonp_reader_next(st, ctx, &one);
      if (one) c[n++] = one;
      if (rc == CX_EOF || rc == CX_FATAL) break;
    }
    jsonp_reader_close(st);
  }
  if (in) cx_istream_close(in);
  return n;
}

static void write_all(const struct cx_plugin *p, struct cx_cable **c, size_t n,
                      const struct cx_options *opts, struct cx_ctx *ctx, struct cx_buf *b) {
  struct cx_ostream *out = cx_ostream_open_mem(b, "fuzz.out", ctx);
  if (!out) return;
  void *st = NULL;
  if (p->writer_open(out, opts, ctx, &st) != CX_OK) {
    cx_ostream_abort(out);
    return;
  }
  int rc = CX_OK;
  for (size_t i = 0; i < n && rc != CX_FATAL; i++)
    rc = p->writer_write(st, c[i], ctx);
  p->writer_close(st, ctx);
  cx_ostream_commit(out);
}

static void read_back(const struct cx_plugin *p, const struct cx_buf *b,
                      const struct cx_options *opts, struct cx_ctx *ctx) {
  if (!p->reader_open || !b->len) return;
  struct cx_istream *in = cx_istream_open_mem(b->data, b->len, "fuzz.back", ctx);
  void *st = NULL;
  if (in && p->reader_open(in, opts, ctx, &st) == CX_OK) {
    for (int i = 0; i < 1000; i++) {
      struct cx_cable *one = NULL;
      int rc = p->reader_next(st, ctx, &one);
      cx_cable_free(one);
      if (rc == CX_EOF || rc == CX_FATAL) break;
    }
    p->reader_close(st);
  }
  if (in) cx_istream_close(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const struct cx_plugin *p = &cablex_plugin_v1;
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.report = quiet;
  ctx.file = "fuzz";
  struct cx_options *opts = cx_options_new();
  struct cx_cable *c[MAX_CABLES];
  size_t n = opts ? read_json(data, size, opts, &ctx, c) : 0;
  if (n) {
    struct cx_buf b;
    cx_buf_init(&b, (size_t)64 << 20);
    write_all(p, c, n, opts, &ctx, &b);
    read_back(p, &b, opts, &ctx);
    cx_buf_free(&b);
  }
  for (size_t i = 0; i < n; i++)
    cx_cable_free(c[i]);
  cx_options_free(opts);
  return 0;
}
