/* json_plugin.c - the descriptor of the json plugin: JSON and JSON Lines in
 * both directions (formats/cable.schema.json describes one cable). */
#include "json_plugin.h"

static const char *const extensions[] = {"json", "jsonl", "ndjson", NULL};

static const struct cx_option_doc options[] = {
    {"pretty", NULL, "write: indent with 2 spaces (one object after another, not JSON Lines)"},
    {"max-cable-size", "BYTES", "read: largest cable record accepted (K, M, G suffixes)"},
    {NULL, NULL, NULL}};

size_t jsonp_split(const char *data, size_t len) {
  /* "}\n{" (or "}\r\n{") is always between two top-level values in valid
   * JSON: inside an array or object values are separated by commas */
  for (size_t i = len; i-- > 2;) {
    if (data[i] != '{' || data[i - 1] != '\n') continue;
    if (data[i - 2] == '}' || (i >= 3 && data[i - 2] == '\r' && data[i - 3] == '}')) return i;
  }
  return 0;
}

/* clang-format off */
CX_PLUGIN_DEFINE(
    .name = "json",
    .version = "1.0.0",
    .description = "JSON / JSON Lines: one object per cable (formats/cable.schema.json)",
    .kinds = CX_KIND_INPUT | CX_KIND_OUTPUT,
    .extensions = extensions,
    .options = options,
    .probe = jsonp_probe,
    .reader_open = jsonp_reader_open,
    .reader_next = jsonp_reader_next,
    .reader_close = jsonp_reader_close,
    .writer_open = jsonp_writer_open,
    .writer_write = jsonp_writer_write,
    .writer_close = jsonp_writer_close,
    .writer_encode = jsonp_writer_encode,
    .writer_put = jsonp_writer_put,
    .record_split = jsonp_split
);
/* clang-format on */
