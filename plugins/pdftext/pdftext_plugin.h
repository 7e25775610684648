/* pdftext_plugin.h - the pdftext plugin's parts (internal, not installed):
 * page furniture, page rejoining and repairs (pdftext_clean.c, with
 * pdftext_meta.c and pdftext_repair.c through pdftext_lines.h), running
 * pdftotext on a PDF (pdftext_pdf.c), the reader (pdftext_reader.c) and the
 * descriptor with its probe (pdftext_plugin.c).  formats/pdftext.md is the
 * format's specification.  The unit tests compile these sources directly.
 *
 * Ownership: as in cablex/plugin.h.  A struct pdft_rules owns its compiled
 * patterns until pdft_rules_free(); a struct pdft_info owns its strings
 * until pdft_info_free(); reader state is created by open and freed by
 * close, whatever happened in between.
 */
#ifndef PDFT_PLUGIN_H
#define PDFT_PLUGIN_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "cablex/plugin.h"

/* The full-width crop that keeps text running off the page box, and
 * -layout, which keeps line-end hyphens and indentation (the default mode
 * joins a line ending in '-' with the next one and drops the hyphen). */
#define PDFT_PDFTOTEXT_ARGS "-layout", "-x", "0", "-y", "0", "-W", "20000", "-H", "20000"

/* Compiled patterns of the page furniture (POSIX extended regexes). */
struct pdft_rules {
  regex_t stamp;    /* the FOIA page stamp, anywhere in a line */
  regex_t release;  /* RELEASE IN PART / FULL (+ exemption codes) */
  regex_t codes;    /* a line of exemption codes only: B1, B6, 1.4(D) ... */
  regex_t review;   /* "... Declassified/Released US Department of State EO Systematic Review" */
  regex_t agency;   /* other whole-line stamps (Benghazi committee, Reason/Declassify on) */
  regex_t page_hdr; /* "PAGE 02" of PlusD text */
  regex_t page_ref; /* "RIYADH 00905 01 OF 03 060018Z" under it */
  regex_t page_num; /* "3", "- 3 -", "Page 3 of 7", "3/7" at a page's edge */
  regex_t url;      /* a browser's print header/footer: a wikileaks URL */
  bool ok;
};

/* Compiles the patterns.  Returns CX_OK or CX_FATAL (out of memory). */
int pdft_rules_init(struct pdft_rules *r);
void pdft_rules_free(struct pdft_rules *r);

/* What kind of furniture a whole line is, for the cleaner and the tests. */
enum pdft_furniture {
  PDFT_TEXT = 0,   /* not furniture */
  PDFT_STAMP,      /* FOIA page stamp (nothing else on the line) */
  PDFT_RELEASE,    /* RELEASE IN PART/FULL marker */
  PDFT_CODES,      /* exemption codes alone */
  PDFT_REVIEW,     /* EO Systematic Review stamp */
  PDFT_AGENCY,     /* another agency stamp */
  PDFT_PAGE_HEADER /* "PAGE nn" */
};
enum pdft_furniture pdft_line_kind(const struct pdft_rules *r, const char *s, size_t n);

/* How the text was extracted, as far as the text tells. */
enum pdft_mode {
  PDFT_MODE_DEFAULT,   /* plain pdftotext: no line seen past the page box */
  PDFT_MODE_LAYOUT,    /* pdftotext -layout */
  PDFT_MODE_FULLWIDTH, /* plain, with lines longer than any page (-W 20000) */
  PDFT_MODE_PDF        /* we ran pdftotext -layout with the full-width crop */
};
const char *pdft_mode_name(enum pdft_mode m);

/* Page metadata found at the top (a cable web page's table). */
struct pdft_meta {
  char *id, *created, *released, *classification, *origin;
  char *title;         /* the seed layout's "Cable title:" */
  struct cx_strv tags; /* its "Tags:" line */
  bool found;
};

/* What cleaning did and found: recorded on the cable as extra.pdftext. */
struct pdft_info {
  enum pdft_mode mode;
  unsigned pages;
  unsigned furniture;         /* lines (or stamps inside lines) removed */
  unsigned cut_lines;         /* lines that end at the page box's edge */
  size_t cut_width;           /* their width in characters */
  unsigned split_repairs;     /* lines pdftotext split into blocks, joined again */
  unsigned dash_repairs;      /* "-----TEXT": a rule line it joined with the next */
  unsigned paragraph_breaks;  /* blank lines restored before a paragraph sign */
  unsigned pilcrows_restored; /* U+FFFD at a paragraph start read as the pilcrow */
  struct pdft_meta meta;
  size_t meta_lines;   /* lines of the page chrome and table removed */
  bool too_many_lines; /* more than PDFT_MAX_LINES: not cleaned */
};

/* The most lines one text may have: the cleaner keeps a record per line,
 * so this bounds its memory (about 40 MB) whatever the input; real cables
 * have a few thousand. */
#define PDFT_MAX_LINES ((size_t)1 << 20)

void pdft_info_free(struct pdft_info *info);

/* Cleans pdftotext output text[0..len) into out: strips the furniture,
 * rejoins the pages, repairs what a plain-mode extraction split or joined,
 * and takes a metadata table off the top into info->meta.  pdf tells that
 * the text comes from our own pdftotext run.  Returns CX_OK, CX_FAILED when
 * out grows past its max or the text has more than PDFT_MAX_LINES lines
 * (info->too_many_lines), or CX_FATAL when out of memory. */
int pdft_clean(const struct pdft_rules *r, const char *text, size_t len, bool pdf,
               struct cx_buf *out, struct pdft_info *info);

/* How long pdftotext may run on one PDF unless -O pdftotext-timeout says
 * otherwise (seconds; 0 means no limit). */
#define PDFT_TIMEOUT_DEFAULT 60

/* Runs pdftotext (program, or "pdftotext" from PATH when NULL) with the
 * full-width settings on the PDF bytes pdf[0..len), spooled to a temporary
 * file, and appends its text to out.  pdftotext is killed when it runs
 * longer than timeout seconds (0: no limit) and when cablex dies.  Returns
 * CX_OK, CX_FAILED (this PDF gave no text, or took too long: message on
 * ctx) or CX_FATAL (pdftotext is missing: the message says to install
 * poppler-utils). */
int pdft_run_pdftotext(const char *program, unsigned timeout, const char *pdf, size_t len,
                       struct cx_buf *out, struct cx_ctx *ctx);

CX_PLUGIN_DECLARE_READER(pdft);

int pdft_probe(const unsigned char *head, size_t len, const char *name);

#endif
