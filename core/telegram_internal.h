/* telegram_internal.h - how the telegram parser's parts fit together
 * (not installed).  telegram.c splits a telegram into header and body and
 * calls the two parts; each part only adds to the cable.
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
int cx_telegram_header(struct cx_cable *c, const char *text, size_t len,
                       unsigned long first_line, struct cx_ctx *ctx);

/* Parses the body (banner, SECTION n OF m, SIPDIS, E.O., TAGS, SUBJECT, REF,
 * Classified By, SUMMARY, paragraphs, signer) into c.  year is the 4-digit
 * year of the cable when known (from the id or the DTG), else 0; REF ids
 * need it.  Returns CX_OK or CX_WARN. */
int cx_telegram_body(struct cx_cable *c, const char *text, size_t len, int year,
                     unsigned long first_line, struct cx_ctx *ctx);

#endif
