/* telegram_internal.h - how the telegram parser's parts fit together
 * (not installed).  telegram.c splits a telegram into header and body and
 * calls the two parts; each part only adds to the cable.  Besides this
 * header the parts share text.h (spans, lines, tokens) and stations.h (the
 * station list of canonical ids and REF cable ids).
 *
 * Ownership: as in cablex/telegram.h; text is borrowed, the cable owns what
 * is copied into it.
 */
#ifndef CX_TELEGRAM_INTERNAL_H
#define CX_TELEGRAM_INTERNAL_H

#include "cablex/cable.h"

/* Parses the telegram header (VZCZC line, routing, DE, security line,
 * precedence + DTG, FM, TO, INFO, XMT) into c->header.  text[0..len) is
 * exactly what cx_telegram_parse put into c->header_text.  Returns CX_OK or
 * CX_WARN. */
int cx_telegram_header(struct cx_cable *c, const char *text, size_t len, unsigned long first_line,
                       struct cx_ctx *ctx);

/* Parses the body (banner, SECTION n OF m, SIPDIS, E.O., TAGS, SUBJECT, REF,
 * Classified By, SUMMARY, paragraphs, signer) into c.  year is the 4-digit
 * year of the cable when known (from the id or the DTG), else 0; REF ids
 * need it.  Returns CX_OK or CX_WARN. */
int cx_telegram_body(struct cx_cable *c, const char *text, size_t len, int year,
                     unsigned long first_line, struct cx_ctx *ctx);

/* Helpers shared by the parts (telegram_header.c). */

/* Length of the header at the start of text[0..len): its lines and the
 * blank lines that end it; 0 when the telegram has no header. */
size_t cx_telegram_split(const char *text, size_t len);

/* When the line s[0..n) starts with a classification banner word ("C O N F
 * I D E N T I A L", "UNCLAS", "SE C R E T", "SECRET//NOFORN"), writes its
 * normal form ("CONFIDENTIAL", "UNCLASSIFIED", "SECRET", "TOP SECRET",
 * "LIMITED OFFICIAL USE") into word (when not NULL) and returns the offset
 * just past it in s; returns 0 otherwise. */
size_t cx_banner_class(const char *s, size_t n, char *word, size_t size);

/* 1..12 for a three-letter month name in any case ("AUG", "Jan"), else 0. */
int cx_month_number(const char *s, size_t n);

#endif
