/* json_plugin.h - the json plugin's parts (internal, not installed): the
 * writer (json_writer.c), the reader (json_reader.c) and the descriptor
 * (json_plugin.c).  The unit tests compile these sources directly.
 *
 * Ownership: as in cablex/plugin.h; reader and writer state is created by
 * open and freed by close, whatever happened in between.
 */
#ifndef JSONP_PLUGIN_H
#define JSONP_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cablex/plugin.h"

/* The descriptor (json_plugin.c). */
extern CX_PLUGIN_EXPORT const struct cx_plugin cablex_plugin_v1;

/* Writer: JSON Lines, or a sequence of 2-space-indented objects with the
 * option "pretty". */
CX_PLUGIN_DECLARE_WRITER(jsonp);
/* ABI 1.1 parallel encoding: one cable as writer_write would write it
 * (thread-safe, no state), and the writing of such a record. */
CX_PLUGIN_DECLARE_ENCODER(jsonp);

/* Reader: JSON Lines, one or more (pretty) objects, or arrays of objects.
 * Option "max-cable-size" bounds one record. */
CX_PLUGIN_DECLARE_READER(jsonp);

/* ABI 1.1 record_split: where the last "}\n{" has its '{'. */
size_t jsonp_split(const char *data, size_t len);

/* What jsonp_parse found. */
struct jsonp_result {
  int code;    /* CX_OK, CX_FAILED or CX_FATAL (out of memory) */
  bool syntax; /* invalid JSON, at line and column of the record (1-based) */
  unsigned long line;
  long column;
  char msg[CX_MSG_MAX - 64]; /* what is wrong, with the path of the value */
  char moved[200];           /* the keys moved into extra, quoted */
  size_t nmoved;
  uint32_t seen;          /* the cable's keys in the model, by field index (even when it failed) */
  size_t nother;          /* and how many keys outside it */
  const char *not_object; /* valid JSON but no object: "a number", "an array"...; else NULL */
};

/* Where jsonp_parse decodes a string before the model gets its copy: it
 * grows to the longest string met (not the record), and is kept from one
 * call to the next.  Zeroed at first; the caller frees data. */
struct jsonp_scratch {
  char *data;
  size_t cap;
};

/* Parses one record, text[0, len), into a new cable (*cable, the caller's)
 * in one pass.  text[len, full) are blanks trimmed off it, which messages
 * quoting the text may show; nothing past them is read. */
int jsonp_parse(const char *text, size_t len, size_t full, struct jsonp_scratch *scratch,
                struct cx_cable **cable, struct jsonp_result *res);

/* 60 when the first non-space byte is '{' or '[', else 0. */
int jsonp_probe(const unsigned char *head, size_t len, const char *name);

#endif
