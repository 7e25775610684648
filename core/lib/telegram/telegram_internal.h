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

#include <stdbool.h>
#include <stddef.h>

#include "cablex/cable.h"

/* What kind of header line cx_telegram_split found at each offset it read
 * a line from (the first CX_LINE_KINDS of them, offsets rising), so that
 * cx_telegram_header does not work the kinds of the same lines out again. */
#define CX_LINE_KINDS 64
struct line_kinds {
  size_t pos[CX_LINE_KINDS];
  unsigned char kind[CX_LINE_KINDS];
  size_t n;
};

/* Parses the telegram header (VZCZC line, routing, DE, security line,
 * precedence + DTG, FM, TO, INFO, XMT) into c->header.  text[0..len) is
 * exactly what cx_telegram_parse put into c->header_text; kinds (or NULL)
 * is what cx_telegram_split gave for it.  Returns CX_OK or CX_WARN. */
int cx_telegram_header(struct cx_cable *c, const char *text, size_t len, unsigned long first_line,
                       struct cx_ctx *ctx, const struct line_kinds *kinds);

/* Parses the body (banner, SECTION n OF m, SIPDIS, E.O., TAGS, SUBJECT, REF,
 * Classified By, SUMMARY, paragraphs, signer) into c.  year is the 4-digit
 * year of the cable when known (from the id or the DTG), else 0; REF ids
 * need it.  Returns CX_OK or CX_WARN. */
int cx_telegram_body(struct cx_cable *c, const char *text, size_t len, int year,
                     unsigned long first_line, struct cx_ctx *ctx);

/* Helpers shared by the parts (telegram.c, telegram_header.c). */

/* Length of the header at the start of text[0..len): its lines and the
 * blank lines that end it; 0 when the telegram has no header.  The kinds of
 * the lines read go to *kinds (when not NULL). */
size_t cx_telegram_split(const char *text, size_t len, struct line_kinds *kinds);

/* When the line s[0..n) starts with a classification banner word ("C O N F
 * I D E N T I A L", "UNCLAS", "SE C R E T", "SECRET//NOFORN"), writes its
 * normal form ("CONFIDENTIAL", "UNCLASSIFIED", "SECRET", "TOP SECRET",
 * "LIMITED OFFICIAL USE") into word (when not NULL) and returns the offset
 * just past it in s; returns 0 otherwise. */
size_t cx_banner_class(const char *s, size_t n, char *word, size_t size);

/* The id a telegram gives itself (telegram_id.c), written as
 * "YYSTATIONSERIAL" into out[0..size); each returns false when its source
 * is absent.  yy is the cable's two-digit year (from the DTG), or -1. */
/* An id line before the telegram: "2000ROME01234 - CONFIDENTIAL",
 * "1979RIYADH00905_e", "09NAIROBI2497"; its own year. */
bool cx_telegram_id_line(const struct cx_cable *c, const char *body, size_t blen, char *out,
                         size_t size);
/* A PlusD page header: "PAGE 01 ROME 01234 01 OF 07 050821Z", the station
 * cut to six characters completed from the FM line or the table. */
bool cx_telegram_page_id(const struct cx_cable *c, const char *body, size_t blen, int yy, char *out,
                         size_t size);
/* The DE line's serial with the FM line's station; station (64 bytes,
 * CX_STATION_MAX) and *serial get which. */
bool cx_telegram_header_id(const struct cx_cable *c, int yy, char *out, size_t size, char *station,
                           long *serial);
/* Does a banner's station and serial name the cable the header names
 * (same station, or same last four digits of the serial)? */
bool cx_telegram_banner_agrees(const char *banner_station, const char *banner_serial,
                               const char *header_station, long header_serial, int yy);

/* 1..12 for a three-letter month name in any case ("AUG", "Jan"), else 0. */
int cx_month_number(const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* The body parser's parts (telegram_body.c runs them in this order, each
 * in its own file: telegram_banner.c, telegram_declassify.c,
 * telegram_tags.c, telegram_subject.c, telegram_references.c,
 * telegram_classified_by.c, telegram_summary.c, telegram_paragraphs.c,
 * telegram_signer.c).  They read the cleaned text and add to the cable. */

#include <stdbool.h>
#include <stddef.h>

#include "cablex/stream.h"
#include "text.h"

/* The state shared by the parts of one body. */
struct body {
  struct cx_cable *c;
  struct cx_ctx *ctx;
  const char *t; /* cleaned text, NUL-terminated */
  const char *end;
  int year;
  unsigned long first_line;
  int rc;
  const char *hdr_lim; /* start of paragraph 1 (or t + HDR_CAP) */
  const char *hdr_end; /* end of the last header field found */
  const char *subj_end;
  size_t cap; /* limit of every work buffer: more than any output can need */
  struct cx_buf tmp;
};

/* A numbered paragraph's first line: "1. (C) text", "2.(SBU)", "3.A.",
 * "12. TEXT" (telegram_paragraphs.c). */
struct para {
  const char *start; /* line start */
  const char *num, *num_end;
  const char *mark, *mark_end; /* inside the parentheses, or NULL */
  const char *text;            /* where the paragraph text begins */
  long n;
  bool sub; /* "3.A." */
};

/* The parts, in the order telegram_body.c runs them. */
void body_banner(struct body *b);
void body_sipdis(struct body *b);
void body_declassify(struct body *b);
void body_tags(struct body *b);
void body_subject(struct body *b);
void body_references(struct body *b);
void body_classified_by(struct body *b);
void body_summary(struct body *b);
void body_paragraphs(struct body *b);
/* Finds the signer in the last lines after `from`; returns where the
 * message text ends (the signer's line start) or b->end when there is none. */
const char *body_signer(struct body *b, const char *from);

/* Output helpers (telegram_body.c).  body_fail_oom sets b->rc to CX_FATAL. */
void body_fail_oom(struct body *b);
/* Copies s[0..n) into *dst (owned by the cable). */
void body_set_field(struct body *b, char **dst, const char *s, size_t n);
/* Appends [p,e) to o, whitespace runs folded to one space, without leading
 * or trailing space; with `hyphen`, a hyphen ending a line joins the next
 * line without a space ("US- \nLATIN" -> "US-LATIN"). */
void fold_spaces(struct body *b, struct cx_buf *o, const char *p, const char *e, bool hyphen);
/* Drops any of `chars` from the end of o. */
void trim_end(struct cx_buf *o, const char *chars);
/* The line number of p in the cable (for messages). */
unsigned long line_number(const struct body *b, const char *p);
/* Indexes n words (n <= 256) by a key below keys (keys <= 256), as a
 * counting sort: order[] gets the word indices grouped by key, and
 * order[at[k]] .. order[at[k + 1] - 1] are the words of key k (at has
 * keys + 1 entries).  For word lists indexed once (pthread_once), so that
 * a lookup compares only the words of its key. */
void word_index(size_t n, size_t keys, size_t (*key)(size_t i), unsigned char *order,
                unsigned short *at);

/* Page furniture (telegram_body.c): "ALMATY 00003065 002 OF 004",
 * "PRETORIA 00000954 001.2 OF 004", "PAGE 02 ROME 01196 01 OF 02 082030Z".
 * `any`: the parts may be separated by line ends too. */
/* "nnn[.n] OF nnn" at p; returns its end or NULL. */
const char *marker_tail(const char *p, const char *e, bool any);
/* A page marker starting at p (a word start), its station name at most
 * `words` words long; returns its end or NULL. */
const char *page_marker(const char *p, const char *e, bool any, int words);
/* Is the whole line [p,le) page furniture (a marker, a lone classification
 * word as printed at page breaks, "PAGE 02" alone, the rest of a PlusD page
 * header on its own line: "RIYADH 00905 01 OF 03 060018Z")? */
bool is_furniture_line(const char *p, const char *le);
/* is_furniture_line's first test, on a trimmed line [p,le) (p at no
 * blank, le[-1] no space, p < le): every marker ends with a digit or a
 * DTG's Z, every classification word it knows is 6 to 26 bytes long.
 * Nearly every line of text is neither, so callers holding a trimmed line
 * ask this inline before the call. */
#define FURNITURE_WORD_MIN 6
#define FURNITURE_WORD_MAX 26
static inline bool may_be_furniture(const char *p, const char *le) {
  unsigned char last = (unsigned char)le[-1];
  size_t n = (size_t)(le - p);
  return is_digit(last) || to_upper(last) == 'Z' ||
         (n >= FURNITURE_WORD_MIN && n <= FURNITURE_WORD_MAX);
}
/* Is [p,le) "PAGE nn" alone, the first line of a PlusD page header cut in
 * two? */
bool is_page_number_line(const char *p, const char *le);
/* The rest of a PlusD page header at p: STATION SERIAL [nn OF nn]
 * [DDHHMMZ] ("STATE 297216", "RIYADH 00905 01 OF 03 060018Z"); the DTG
 * group required when need_dtg.  Returns its end or NULL. */
const char *page_tail(const char *p, const char *e, bool need_dtg);

/* Paragraph starts (telegram_paragraphs.c). */
/* A marking in parentheses at p: "(C)", "(SBU)", "(S/NF)", "(C - ENTIRE
 * TEXT)"; returns its end and (when in is not NULL) its inside, or NULL. */
const char *paragraph_marking(const char *p, const char *e, const char **in, const char **in_end);
/* Is the inside of a marking a classification ("C", "SBU", "S/NF"), not a
 * bracketed acronym ("AKP")?  (telegram_summary.c) */
bool is_classification_marking(const char *in, const char *in_end);
/* paragraph_at's work, for a line with a digit after its blanks. */
bool paragraph_parse(const char *ls, const char *le, struct para *pa);
/* Parses a paragraph start on the line [ls,le) into *pa.  Inline: the parts
 * try nearly every line, and a line that starts with no digit is turned
 * away without a call (*pa untouched, as paragraph_parse leaves it then). */
static inline bool paragraph_at(const char *ls, const char *le, struct para *pa) {
  const char *p = skip_hspace(ls, le);
  return p < le && is_digit((unsigned char)*p) && paragraph_parse(ls, le, pa);
}

#endif
