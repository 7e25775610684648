/* csv_plugin.h - the csv plugin's parts (internal, not installed): the
 * field helpers and the descriptor with its probe (csv_plugin.c), the
 * reader (csv_reader.c) and the writer (csv_writer.c).  formats/csv.md is
 * the format's specification.  The unit tests compile these sources
 * directly.
 *
 * Ownership: as in cablex/plugin.h; reader and writer state is created by
 * open and freed by close, whatever happened in between.  The helpers only
 * append to the cx_buf they are given.
 */
#ifndef CSVP_PLUGIN_H
#define CSVP_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/plugin.h"

/* The two layouts: the leaked cables.csv (no header row, every field
 * quoted, \" \' \\ escapes) and RFC 4180 (a header row, "" for a quote). */
enum csvp_dialect { CSVP_CABLEGATE = 0, CSVP_RFC4180 };

/* The eight fields of a row, in order. */
enum csvp_field {
  CSVP_SEQUENCE,
  CSVP_DATE,
  CSVP_ID,
  CSVP_ORIGIN,
  CSVP_CLASSIFICATION,
  CSVP_REFERENCES,
  CSVP_HEADER,
  CSVP_BODY,
  CSVP_NFIELDS
};

/* Field names: the RFC 4180 header row and the keys of extra.csv_verbatim
 * and extra.csv_filled. */
extern const char *const csvp_field_names[CSVP_NFIELDS];

/* Keys the plugin keeps in extra (formats/csv.md). */
#define CSVP_EXTRA_SEQUENCE "csv_sequence"
#define CSVP_EXTRA_REFERENCES "csv_references"
#define CSVP_EXTRA_FILLED "csv_filled"
#define CSVP_EXTRA_VERBATIM "csv_verbatim"

/* Parses "csv-dialect" (NULL: the cablegate layout).  CX_OK, or CX_FATAL
 * with a message on ctx naming the value. */
int csvp_dialect_option(const struct cx_options *opts, struct cx_ctx *ctx, enum csvp_dialect *d);

/* "M/D/YYYY H:MM" (one or two digits for M, D and H) -> ISO
 * "YYYY-MM-DDTHH:MM:00" in iso[20].  false when s[0..n) is not such a date
 * (or not a real day). */
bool csvp_date_to_iso(const char *s, size_t n, char iso[20]);

/* ISO "YYYY-MM-DDTHH:MM[:SS]" -> "M/D/YYYY H:MM" appended to out.  Returns
 * CX_OK, CX_WARN when the seconds were not 00 (they are dropped), CX_FAILED
 * when iso is not such a date (nothing appended), or the cx_buf error. */
int csvp_date_render(struct cx_buf *out, const char *iso);

/* Appends s[0..n) escaped for a quoted field of the dialect: \" \' \\ for
 * cablegate, "" for rfc4180. */
int csvp_escape(struct cx_buf *out, const char *s, size_t n, enum csvp_dialect d);

/* Decodes the inside of a quoted field s[0..n) (the quotes left out) and
 * appends it to out.  Cablegate: \" \' \\ become " ' \ and any other
 * backslash is kept with the byte after it.  *canonical (when not NULL) is
 * set to whether csvp_escape of the result gives s back. */
int csvp_unescape(struct cx_buf *out, const char *s, size_t n, enum csvp_dialect d,
                  bool *canonical);

/* The separator put between the header and the body fields to make one
 * telegram: "\r\n\r\n" when the header uses CRLF, else "\n\n". */
const char *csvp_telegram_separator(const char *header, size_t n);

/* The length of header_text without the separator the reader added: the
 * header field of the row.  Strips one "\r\n\r\n", else one "\n\n". */
size_t csvp_header_field_len(const char *header_text, size_t n);

/* The row end the writer uses for a cable whose text has these fields:
 * "\r\n" when either holds a CRLF, else "\n". */
const char *csvp_default_eol(const char *header, const char *body);

/* Does the line s[0..n) start a row: "<digits>"," (cablegate), or <digits>,
 * or "<digits>", (rfc4180)? */
bool csvp_starts_row(const char *s, size_t n, enum csvp_dialect d);

/* Is the line s[0..n) the RFC 4180 header row the writer writes? */
bool csvp_is_header_row(const char *s, size_t n);
/* ABI 1.1 record_split (csv_split.c): the end of the last row of data
 * after which a part can be read on its own, or 0 (never for a file that
 * starts with the RFC 4180 header row). */
size_t csvp_split(const char *data, size_t len);

CX_PLUGIN_DECLARE_READER(csvp);

CX_PLUGIN_DECLARE_WRITER(csvp);

/* 90 for a row start with a date ("1","12/28/1966 18:48",) or the RFC 4180
 * header row; 0 otherwise. */
int csvp_probe(const unsigned char *head, size_t len, const char *name);

#endif
