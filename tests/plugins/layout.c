/* layout.c - a test plugin built against another model layout (the
 * structs cx_cable, cx_ctx, cx_buf it shares with the core): must be
 * refused, naming both layouts and the file.  Ownership: static data only. */
#include "cablex/plugin.h"

static int open_nothing(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                        void **state) {
  (void)in;
  (void)opts;
  (void)ctx;
  *state = NULL;
  return CX_FATAL;
}

static int next_nothing(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  (void)state;
  (void)ctx;
  *cable = NULL;
  return CX_EOF;
}

static void close_nothing(void *state) {
  (void)state;
}

/* Written out by hand: CX_PLUGIN_DEFINE would record the right layout. */
CX_PLUGIN_EXPORT const struct cx_plugin cablex_plugin_v1 = {
    .abi_major = CX_ABI_MAJOR,
    .abi_minor = CX_ABI_MINOR,
    .struct_size = sizeof(struct cx_plugin),
    .name = "layout",
    .version = "1",
    .kinds = CX_KIND_INPUT,
    .reader_open = open_nothing,
    .reader_next = next_nothing,
    .reader_close = close_nothing,
    .model_layout = CX_MODEL_LAYOUT + 1,
    .cable_size = sizeof(struct cx_cable) + 8,
    .ctx_size = sizeof(struct cx_ctx),
    .buf_size = sizeof(struct cx_buf),
};
