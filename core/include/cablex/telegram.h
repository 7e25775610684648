/* cablex/telegram.h - the one telegram parser every text-based reader uses
 * (raw, and later html, csv and pdftext): header, banner, captions, E.O.,
 * TAGS, SUBJECT, REF, Classified By, SUMMARY, paragraphs, signer.
 *
 * Ownership: the parser copies what it keeps into the cable; the text it is
 * given stays the caller's.  Strings it returns through char ** are the
 * caller's to free().
 */
#ifndef CABLEX_TELEGRAM_H
#define CABLEX_TELEGRAM_H

#include <stddef.h>

#include "cablex/cable.h"
#include "cablex/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses a telegram (header then body, as a cable page shows it; a header
 * is optional) into c.  Sets header_text and body verbatim, so that
 * header_text followed by body is exactly text[0..len).  Fields the page
 * metadata already set (id, created, classification, origin, tags) are kept;
 * those still NULL/empty are filled from the telegram when it states them
 * (id from banner serial + DTG year, created from the DTG, classification
 * from the banner, tags from TAGS).  first_line is the input line of
 * text[0], for messages.  Returns CX_OK, CX_WARN (parsed, something odd was
 * reported on ctx) or CX_FAILED (e.g. a NUL byte: the text is not a cable). */
CX_API int cx_telegram_parse(struct cx_cable *c, const char *text, size_t len,
                             unsigned long first_line, struct cx_ctx *ctx);

/* The key of extra where cx_telegram_parse keeps the created value a page
 * gave when it corrected it from the DTG.  The Cablegate pages show the
 * minutes of many cables as the hour mod 12 ("2007-06-05 06:06" for DTG
 * 050602Z); when a page's minutes are that, differ from the DTG's and the
 * date and hour agree, created takes the DTG's time. */
#define CX_EXTRA_PAGE_CREATED "page_created"

/* The created value as the cable's page gave it: extra.page_created when
 * the parser corrected it, else c->created (may be NULL).  Writers of page
 * layouts write this one, so that a page read and written back is the
 * same. */
CX_API const char *cx_page_created(const struct cx_cable *c);

/* The canonical form of a reference id: known malformations corrected
 * ("08SCTION02OF02SAOPAULO335" -> "08SAOPAULO335", "07PAP12" ->
 * "07PORTAUPRINCE12").  Returns a new string (caller frees) or NULL when out
 * of memory; an id it cannot improve comes back unchanged. */
CX_API char *cx_canonical_id(const char *id);

#ifdef __cplusplus
}
#endif
#endif
