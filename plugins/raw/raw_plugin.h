/* raw_plugin.h - the raw plugin's parts (internal, not installed): the
 * web-page metadata block (raw_page.c), the reader (raw_reader.c), the
 * writer (raw_writer.c) and the descriptor with its probe (raw_plugin.c).
 * formats/raw.md is the format's specification.  The unit tests compile
 * these sources directly.
 *
 * Ownership: as in cablex/plugin.h.  The page block's values go into a
 * cable the caller owns (struct rawp owns nothing); reader and writer
 * state is created by open and freed by close, whatever happened in
 * between.
 */
#ifndef RAWP_PLUGIN_H
#define RAWP_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/plugin.h"

/* Between two cables of one raw stream: a line holding only a form feed.
 * The newline before the form feed belongs to the separator, so a cable
 * that does not end with a newline keeps its last byte exactly. */
#define RAWP_SEPARATOR "\n\f\n"

/* The page metadata block at the start of a seed-layout cable: its values
 * are a cable's id, created (ISO "YYYY-MM-DDTHH:MM:SS"), classification,
 * origin, title and tags (in page order, duplicates kept), NULL when empty;
 * what else is known of it is here. */
struct rawp {
  bool created_bad;    /* a Created value that is not a date (created is NULL) */
  size_t len;          /* bytes of the block, its last newline included */
  unsigned long lines; /* lines of the block */
};

/* Parses the block at the start of text[0..len) into c, a cable that has
 * none of those values yet.  Returns 1 when there is one (c and p filled),
 * 0 when text does not start with it (c untouched), CX_FATAL when out of
 * memory (c may hold some: the caller frees it). */
int rawp_parse(const char *text, size_t len, struct rawp *p, struct cx_cable *c);

/* Appends the block for c to out in the seed's layout (NBSPs after the
 * labels and between tags).  Returns CX_OK or the cx_buf error. */
int rawp_render(struct cx_buf *out, const struct cx_cable *c);

/* Does the block (p, its values in page) say what the model c says (id,
 * created, classification, origin, title, and the tags when the block has
 * tags)? */
bool rawp_agrees(const struct rawp *p, const struct cx_cable *page, const struct cx_cable *c);

CX_PLUGIN_DECLARE_READER(rawp);

CX_PLUGIN_DECLARE_WRITER(rawp);
/* ABI 1.1 parallel encoding: one cable without separator (thread-safe, no
 * state), and its writing after the separator when it is not the first. */
CX_PLUGIN_DECLARE_ENCODER(rawp);

int rawp_probe(const unsigned char *head, size_t len, const char *name);
/* ABI 1.1 record_split: the end of the last separator line in data. */
size_t rawp_split(const char *data, size_t len);

#endif
