/* json_plugin.c - the descriptor of the json plugin: JSON and JSON Lines in
 * both directions (formats/cable.schema.json describes one cable). */
#include "json_plugin.h"

static const char *const extensions[] = {"json", "jsonl", "ndjson", NULL};

static const struct cx_option_doc options[] = {
    {"pretty", NULL, "write: indent with 2 spaces (one object after another, not JSON Lines)"},
    CX_OPTION_MAX_CABLE_SIZE("cable record"),
    CX_OPTIONS_END};

size_t jsonp_split(const char *data, size_t len) {
  /* "}\n{" (or "}\r\n{") is always between two top-level values in valid
   * JSON: inside an array or object values are separated by commas */
  for (size_t i = len; i-- > 2;) {
    if (data[i] != '{' || data[i - 1] != '\n') continue;
    if (data[i - 2] == '}' || (i >= 3 && data[i - 2] == '\r' && data[i - 3] == '}')) return i;
  }
  return 0;
}

CX_PLUGIN_DEFINE(
    CX_PLUGIN_ABOUT("json", "1.0.0", CX_KIND_INPUT | CX_KIND_OUTPUT,
                    "JSON / JSON Lines: one object per cable (formats/cable.schema.json)",
                    extensions, options),
    CX_PLUGIN_READER(jsonp), CX_PLUGIN_WRITER(jsonp), CX_PLUGIN_ENCODER(jsonp),
    .record_split = jsonp_split);
