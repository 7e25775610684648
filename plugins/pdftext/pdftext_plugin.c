/* pdftext_plugin.c - the descriptor of the pdftext plugin (text pdftotext
 * made of a cable PDF, or the PDF itself; formats/pdftext.md) and its
 * probe. */
#include <string.h>

#include "pdftext_plugin.h"

static const char *const extensions[] = {"pdf", NULL};

static const struct cx_option_doc options[] = {
    CX_OPTION_MAX_CABLE_SIZE("cable text"),
    {"pdftotext", "PATH", "read: the pdftotext program run on a PDF (default: from PATH)"},
    {"pdftotext-timeout", "SECONDS",
     "read: stop pdftotext after this long on one PDF, an error on that input (default 60; 0: "
     "no limit)"},
    CX_OPTIONS_END};

static bool has(const unsigned char *h, size_t n, const char *w) {
  return cx_find((const char *)h, n, 0, w) != (size_t)-1;
}

int pdft_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  if (len >= 5 && !memcmp(head, "%PDF-", 5)) return 100;
  if (memchr(head, '\0', len)) return 0;
  size_t i = cx_text_start(head, len, false);
  if (i == len || head[i] == '<' || head[i] == '{' || head[i] == '[') return 0;
  /* State Department release furniture is only ever in PDF text */
  if ((has(head, len, "Department of State Case No") && has(head, len, "Doc No")) ||
      has(head, len, "EO Systematic Review") || has(head, len, "RELEASE IN PART") ||
      has(head, len, "RELEASE IN FULL"))
    return 60;
  /* pdftotext starts each page after the first with a form feed glued to
   * its first line; raw text separates cables with a form feed line */
  bool telegram = has(head, len, "SUBJECT") || has(head, len, "TAGS") ||
                  has(head, len, "FM AMEMBASSY") || has(head, len, "FM SECSTATE");
  for (size_t k = 0; k + 1 < len; k++)
    if (head[k] == '\f' && head[k + 1] != '\n' && head[k + 1] != '\r') return telegram ? 50 : 20;
  if (has(head, len, "\nPAGE 01\n") || has(head, len, "\nPAGE 02\n")) return telegram ? 45 : 20;
  return 0;
}

CX_PLUGIN_DEFINE(
    CX_PLUGIN_ABOUT("pdftext", "1.0.0", CX_KIND_INPUT,
                    "text pdftotext made of a cable PDF, or the PDF itself (formats/pdftext.md)",
                    extensions, options),
    CX_PLUGIN_READER(pdft));
