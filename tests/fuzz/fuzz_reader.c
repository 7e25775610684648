/* fuzz_reader.c - a libFuzzer target for one input plugin (issue 12): the
 * plugin's sources are compiled into the target (tests/fuzz.cmake), and
 * each input is read as one file through the plugin's descriptor: every
 * cable it gives, or for a bundle plugin every entry and its bytes.  Only
 * crashes, hangs, leaks and sanitizer reports count: errors are expected.
 *
 * Ownership: everything made for an input is freed before the next.
 */
#include <stdint.h>
#include <string.h>

#include "cablex/cable.h"
#include "cablex/plugin.h"
#include "cablex/stream.h"
#include "cablex/options.h"

extern const struct cx_plugin cablex_plugin_v1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user, (void)ctx, (void)code, (void)msg;
}

static void read_cables(const struct cx_plugin *p, struct cx_istream *in,
                        const struct cx_options *opts, struct cx_ctx *ctx) {
  void *st = NULL;
  if (p->reader_open(in, opts, ctx, &st) != CX_OK) return;
  for (int i = 0; i < 10000; i++) {
    struct cx_cable *c = NULL;
    int rc = p->reader_next(st, ctx, &c);
    cx_cable_free(c);
    if (rc == CX_EOF || rc == CX_FATAL) break;
  }
  p->reader_close(st);
}

static void read_entries(const struct cx_plugin *p, struct cx_istream *in,
                         const struct cx_options *opts, struct cx_ctx *ctx) {
  void *st = NULL;
  if (p->bundle_open(in, opts, ctx, &st) != CX_OK) return;
  static unsigned char buf[65536];
  for (int i = 0; i < 10000; i++) {
    const char *name = NULL;
    struct cx_istream *e = NULL;
    int rc = p->bundle_next(st, ctx, &name, &e);
    if (e) /* the plugin owns the entry's stream: read, not closed */
      while (cx_istream_read(e, buf, sizeof buf) > 0)
        ;
    if (rc == CX_EOF || rc == CX_FATAL) break;
  }
  p->bundle_close(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const struct cx_plugin *p = &cablex_plugin_v1;
#ifdef CX_FUZZ_NO_PDF
  /* a PDF is handed to pdftotext (a process per input): its text is
   * what this target reads */
  if (size >= 5 && !memcmp(data, "%PDF-", 5)) return 0;
#endif
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.report = quiet;
  ctx.file = "fuzz";
  struct cx_options *opts = cx_options_new();
  struct cx_istream *in = cx_istream_open_mem(data, size, "fuzz", &ctx);
  if (opts && in) {
    if (p->bundle_open && p->abi_minor >= 1)
      read_entries(p, in, opts, &ctx);
    else if (p->reader_open)
      read_cables(p, in, opts, &ctx);
  }
  if (in) cx_istream_close(in);
  cx_options_free(opts);
  return 0;
}
