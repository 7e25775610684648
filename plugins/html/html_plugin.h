/* html_plugin.h - the html plugin's parts (internal, not installed): HTML
 * character references and escaping (html_entities.c), the cable page
 * reader with its page parser (html_reader.c), the page writer
 * (html_writer.c) and the descriptor with its probe (html_plugin.c).
 * formats/html.md is the format's specification.  The unit tests compile
 * these sources directly.
 *
 * Ownership: as in cablex/plugin.h.  A struct htmlp_page owns its strings,
 * tags and media until htmlp_page_free(); reader and writer state is created
 * by open and freed by close, whatever happened in between.
 */
#ifndef HTMLP_PLUGIN_H
#define HTMLP_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/plugin.h"

/* The generator mark of the pages cablex writes.  On such a page the table
 * and the tag links are the whole truth: an empty cell is a null field and
 * no tag link means no tags (the telegram does not fill them in). */
#define HTMLP_GENERATOR "cablex html 1"
/* extra key of the "Appears in these articles" links: an array of
 * {"href": ..., "text": ...} objects in page order. */
#define HTMLP_MEDIA_KEY "html_media"

/* ---- character references (html_entities.c) ---- */

/* Decodes the character reference at s[0..n) (s[0] == '&'): named (the
 * HTML 4 set and &apos;), decimal or hexadecimal, each ended by ';'.
 * Returns the bytes it spans and puts the UTF-8 in out[0..*outlen), or 0
 * when s does not start a reference (then '&' is a plain character).  A
 * numeric reference to no character (0, a surrogate, past U+10FFFF) gives
 * U+FFFD and sets *bad. */
size_t htmlp_entity(const char *s, size_t n, char out[8], size_t *outlen, bool *bad);

/* Appends s[0..n) to out with every character reference decoded.  Returns
 * CX_OK or the cx_buf error; *bad counts references to no character. */
int htmlp_decode(struct cx_buf *out, const char *s, size_t n, unsigned *bad);

/* How htmlp_escape writes characters. */
enum htmlp_escape_mode {
  HTMLP_TEXT, /* & < > escaped; blanks at both ends as references, so that
                a reader that trims cells gives them back */
  HTMLP_PRE,  /* & < > escaped; newlines as &#x000A; as on the original
                pages, CR and other controls as references */
  HTMLP_ATTR  /* for a value between single quotes */
};
int htmlp_escape(struct cx_buf *out, const char *s, size_t n, enum htmlp_escape_mode mode);

/* ---- the page (html_reader.c) ---- */

struct htmlp_page {
  bool has_heading, has_table;
  bool cablex; /* written by cablex (generator mark) */
  char *id, *title;
  char *created, *released;       /* ISO "YYYY-MM-DDTHH:MM:SS" or NULL */
  bool created_bad, released_bad; /* a value that is not a page date */
  char *classification, *origin;
  bool has_canonical; /* the cablex-canonical-id mark was there */
  char *canonical_id;
  struct cx_strv tags;   /* tag links of the cable pane, in page order */
  struct cx_value media; /* array of {href, text} */
  unsigned npre;         /* <pre> blocks found */
  bool pre_open;         /* the last one read has no </pre> (truncated) */
  char *telegram;        /* header pre, "\n\n", body pre, "\n" */
  size_t telegram_len;
  size_t body_off; /* where the body <pre>'s text starts in telegram */
  size_t heading_pos, table_pos, pre_pos, body_pos; /* offsets in the page */
  unsigned bad_refs;                                /* references to no character */
};

void htmlp_page_free(struct htmlp_page *p);

/* Parses the page text[0..len).  Returns CX_OK (p filled as far as the page
 * goes; the caller judges what is missing) or CX_FATAL when out of memory
 * (p freed).  max bounds the telegram. */
int htmlp_page_parse(const char *text, size_t len, size_t max, struct htmlp_page *p);

/* "2000-11-29 13:01" or with seconds -> "2000-11-29T13:01:00". */
bool htmlp_page_date(const char *s, char out[20]);

CX_PLUGIN_DECLARE_READER(htmlp);

CX_PLUGIN_DECLARE_WRITER(htmlp);
/* ABI 1.1: one page into memory (thread-safe), and its output in order. */
CX_PLUGIN_DECLARE_ENCODER(htmlp);

/* Appends the page for c to out (the writer's work without the stream).
 * Returns CX_OK or the cx_buf error. */
int htmlp_render(struct cx_buf *out, const struct cx_cable *c);

int htmlp_probe(const unsigned char *head, size_t len, const char *name);

#endif
