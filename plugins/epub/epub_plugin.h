/* epub_plugin.h - the epub plugin's parts (internal, not installed): a small
 * zip writer on zlib (epub_zip.c), the XHTML and CSS it writes
 * (epub_xhtml.c), the book writer (epub_writer.c), the reader
 * (epub_reader.c) and the descriptor (epub_plugin.c).  formats/epub.md is
 * the format's specification.  The unit tests compile these sources
 * directly.
 *
 * Ownership: as in cablex/plugin.h; a struct epubp_zip borrows its output stream
 * and owns its central directory until epubp_zip_close()/epubp_zip_free(); reader and
 * writer state is created by open and freed by close, whatever happened in
 * between.
 */
#ifndef EPUBP_PLUGIN_H
#define EPUBP_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <zlib.h>

#include "cablex/plugin.h"

/* A buffer of the writer (a page, the deflate output) that grew past this for
 * one huge cable is freed after it, not kept for the rest of the run. */
#define EPUBP_KEEP ((size_t)1 << 20)
/* A chapter's text goes to deflate in pieces of about this size. */
#define EPUBP_SPILL ((size_t)64 << 10)

/* ---- zip (epub_zip.c) ---- */

/* A zip written front to back on a stream that cannot seek: each entry is
 * compressed in memory first, so its local header carries the real sizes
 * (no data descriptor), and no entry has an extra field (epubcheck PKG-005
 * on mimetype).  More than 65,535 entries get a zip64 end record. */
struct epubp_zip {
  struct cx_ostream *out;
  uint64_t offset;    /* bytes written so far */
  struct cx_buf cdir; /* central directory, written by epubp_zip_close */
  uint64_t entries;
  uint16_t dos_time, dos_date;
  struct cx_buf comp; /* deflate output of the entry being written */
  int level;          /* zlib level */
  z_stream strm;      /* the entry being deflated, when deflating */
  bool deflating;
  uint32_t crc;  /* of the entry's text so far */
  uint64_t ulen; /* its length so far */
};

/* Starts a zip on out; every entry gets the time t (UTC, clamped to the DOS
 * range 1980..2107).  Returns CX_OK or CX_FATAL (ctx). */
int epubp_zip_open(struct epubp_zip *z, struct cx_ostream *out, time_t t, struct cx_ctx *ctx);
/* Adds one entry: stored when store is true, else deflated.  *crc (may be
 * NULL) receives its CRC-32.  CX_OK or CX_FATAL. */
int epubp_zip_add(struct epubp_zip *z, const char *name, const void *data, size_t len, bool store,
                  uint32_t *crc, struct cx_ctx *ctx);
/* The same in pieces: begin, feed its text in any number of pieces, end
 * (which writes it, named name; *crc as above).  Only the compressed form
 * is held in memory.  CX_OK or CX_FATAL; after a failure, call
 * epubp_zip_free(). */
int epubp_zip_begin(struct epubp_zip *z, struct cx_ctx *ctx);
int epubp_zip_feed(struct epubp_zip *z, const void *data, size_t len, struct cx_ctx *ctx);
int epubp_zip_end(struct epubp_zip *z, const char *name, uint32_t *crc, struct cx_ctx *ctx);
/* Writes the central directory and the end record.  CX_OK or CX_FATAL.
 * Frees z's memory either way. */
int epubp_zip_close(struct epubp_zip *z, struct cx_ctx *ctx);
void epubp_zip_free(struct epubp_zip *z);

/* ---- XHTML (epub_xhtml.c) ---- */

/* The stylesheet every page links. */
extern const char epubp_css[];

/* Appends s as XML text (attr: inside a double-quoted attribute).  Bytes
 * that are not UTF-8 become U+FFFD (*bad counts them); characters XML 1.0
 * cannot carry (C0 controls but tab and newline, DEL, U+FFFE, U+FFFF) become
 * <span class="cx-c" data-c="N">SYMBOL</span> in text, and CR becomes
 * &#13; so that an XML parser gives it back.  In an attribute, such a
 * character is dropped and counted in *bad (callers avoid that case). */
int epubp_text(struct cx_buf *b, const char *s, bool attr, size_t *bad);
/* True when s can be written as an attribute value without loss. */
bool epubp_attr_ok(const char *s);

/* Appends the XHTML chapter of one cable (formats/epub.md): visible fields,
 * each marked with data-f (field name) and data-t (type) so that the reader
 * gives the cable back.  *bad counts bytes replaced (invalid UTF-8). */
int epubp_chapter(struct cx_buf *b, const struct cx_cable *c, size_t *bad);
/* The same, handing b to spill(user, b) whenever it holds EPUBP_SPILL bytes
 * or more between two items of a list (paragraphs, references, recipients)
 * or two fields; spill consumes b (resets it) and returns CX_OK or an error,
 * which ends the chapter.  What is left at the end stays in b. */
typedef int (*epubp_spill_fn)(void *user, struct cx_buf *b);
int epubp_chapter_to(struct cx_buf *b, const struct cx_cable *c, size_t *bad, epubp_spill_fn spill,
                     void *user);

/* The start and end of every XHTML page (title is escaped here). */
int epubp_page_start(struct cx_buf *b, const char *title, const char *body_attrs);
int epubp_page_end(struct cx_buf *b);

/* ---- writer (epub_writer.c) ---- */

CX_PLUGIN_DECLARE_WRITER(epubp);

/* ---- reader (epub_reader.c) ---- */

CX_PLUGIN_DECLARE_READER(epubp);

/* How many names the reader has compared so far matching the spine against
 * the manifest and the pages (for the tests: a few per spine item, not a
 * scan of the book's items each). */
unsigned long long epubp_reader_probes(const void *state);

/* Turns one cablex chapter (XHTML holding data-cx-model) into the model's
 * JSON form as values (model, an object; str is room for one string).
 * Returns 1 when the page holds a cable, 0 when it does not (a foreign page:
 * *text gets its readable text, title its <title>), or CX_FAILED with the
 * reason on ctx. */
int epubp_page_parse(const char *xhtml, size_t len, struct cx_value *model, struct cx_buf *str,
                     struct cx_buf *text, struct cx_buf *title, bool *book_page,
                     struct cx_ctx *ctx);

/* 100 for a zip whose first entry is a stored "mimetype" of
 * application/epub+zip (more than the archive plugin's 90 for any zip), 50
 * for another zip named *.epub, 0 otherwise. */
int epubp_probe(const unsigned char *head, size_t len, const char *name);

#endif
