/* pdftext_reader.c - reads one cable per input: text that pdftotext made of
 * a cable PDF, or the PDF itself (pdftotext is then run on it).  The text is
 * cleaned (pdftext_clean.c) and handed to the shared telegram parser; a
 * metadata table at the top sets the fields as the raw plugin's page block
 * does.  What cleaning found, guessed or could not recover is recorded on
 * the cable as extra.pdftext and reported with CX_WARN.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdftext_plugin.h"

/* A PDF is larger than its text: it may be up to this many times
 * max-cable-size, and never less than 64 MiB. */
#define PDF_FACTOR 8
#define PDF_MIN ((size_t)64 << 20)

struct pdft_reader {
  struct cx_istream *in;
  size_t max;
  const char *program; /* -O pdftotext=PATH, or NULL */
  unsigned timeout;    /* -O pdftotext-timeout=SECONDS, 0 for none */
  struct pdft_rules rules;
  bool done;
};

int pdft_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  struct pdft_reader *r =
      cx_reader_state(sizeof *r, offsetof(struct pdft_reader, max), opts, ctx, NULL);
  if (!r) return CX_FATAL;
  if (pdft_rules_init(&r->rules) != CX_OK) {
    free(r);
    return cx_error(ctx, CX_FATAL, 0, "out of memory");
  }
  r->in = in;
  r->program = cx_options_get(opts, "pdftotext");
  r->timeout = PDFT_TIMEOUT_DEFAULT;
  const char *t = cx_options_get(opts, "pdftotext-timeout");
  if (t) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(t, &end, 10);
    if (errno || end == t || *end || *t == '-' || v > 86400 * 365) {
      pdft_reader_close(r);
      return cx_error(ctx, CX_FATAL, 0,
                      "pdftext: bad pdftotext-timeout '%s': expected whole seconds (0: no limit)",
                      t);
    }
    r->timeout = (unsigned)v;
  }
  *state = r;
  return CX_OK;
}

void pdft_reader_close(void *state) {
  struct pdft_reader *r = state;
  if (!r) return;
  pdft_rules_free(&r->rules);
  free(r);
}

static int put_num(struct cx_value *o, const char *key, size_t v) {
  char t[32];
  int n = snprintf(t, sizeof t, "%zu", v);
  struct cx_value *x = cx_value_put(o, key);
  return x && !cx_value_set_text(x, CX_VALUE_NUMBER, t, (size_t)n) ? CX_OK : CX_FATAL;
}

static int put_str(struct cx_value *o, const char *key, const char *s) {
  struct cx_value *x = cx_value_put(o, key);
  return x && !cx_value_set_text(x, CX_VALUE_STRING, s, strlen(s)) ? CX_OK : CX_FATAL;
}

static int push_str(struct cx_value *a, const char *s) {
  struct cx_value *x = cx_value_append(a);
  return x && !cx_value_set_text(x, CX_VALUE_STRING, s, strlen(s)) ? CX_OK : CX_FATAL;
}

/* Records info on c as extra.pdftext and reports each warning on ctx.
 * Returns CX_OK, CX_WARN or CX_FATAL. */
static int record(struct cx_cable *c, const struct pdft_info *info, size_t bad_utf8,
                  struct cx_ctx *ctx) {
  struct cx_value *o = cx_value_put(&c->extra, "pdftext");
  if (!o) return CX_FATAL;
  o->kind = CX_VALUE_OBJECT;
  int rc = put_str(o, "mode", pdft_mode_name(info->mode));
  if (!rc) rc = put_num(o, "pages", info->pages);
  if (!rc) rc = put_num(o, "furniture_removed", info->furniture);
  if (!rc && info->meta_lines) rc = put_num(o, "page_table_lines", info->meta_lines);
  if (!rc && info->cut_lines) rc = put_num(o, "cut_lines", info->cut_lines);
  if (!rc && info->cut_lines) rc = put_num(o, "cut_width", info->cut_width);
  if (!rc && info->split_repairs) rc = put_num(o, "split_lines_joined", info->split_repairs);
  if (!rc && info->dash_repairs) rc = put_num(o, "rule_lines_split", info->dash_repairs);
  if (!rc && info->paragraph_breaks)
    rc = put_num(o, "paragraph_breaks_restored", info->paragraph_breaks);
  if (!rc && info->pilcrows_restored) rc = put_num(o, "pilcrows_restored", info->pilcrows_restored);
  if (rc) return CX_FATAL;

  struct cx_value *w = cx_value_put(o, "warnings");
  if (!w) return CX_FATAL;
  w->kind = CX_VALUE_ARRAY;
  char msg[CX_MSG_MAX];
  int result = CX_OK;
  if (bad_utf8) {
    /* already reported when it was replaced */
    snprintf(msg, sizeof msg, "%zu byte%s of invalid UTF-8 replaced by U+FFFD", bad_utf8,
             bad_utf8 == 1 ? "" : "s");
    if (push_str(w, msg)) return CX_FATAL;
    result = CX_WARN;
  }
  if (info->cut_lines) {
    snprintf(msg, sizeof msg,
             "%u lines end at column %zu, the edge of the page: text that ran off the page was "
             "lost in extraction; extract with pdftotext -x 0 -y 0 -W 20000 -H 20000 (or give "
             "the PDF itself)",
             info->cut_lines, info->cut_width);
    if (push_str(w, msg)) return CX_FATAL;
    result = cx_warn(ctx, 0, "pdftext: %s", msg);
  }
  if (info->mode == PDFT_MODE_DEFAULT || info->mode == PDFT_MODE_FULLWIDTH) {
    /* not reported: it is what every plain extraction is, but it is kept */
    if (push_str(w, "plain pdftotext joins a line ending in '-' with the next one and drops the "
                    "hyphen; pdftotext -layout keeps it"))
      return CX_FATAL;
  }
  if (info->split_repairs || info->dash_repairs || info->pilcrows_restored) {
    snprintf(msg, sizeof msg,
             "guessed: %u line%s pdftotext split joined again, %u rule line%s split from the "
             "text joined to it, %u U+FFFD read as a paragraph sign",
             info->split_repairs, info->split_repairs == 1 ? "" : "s", info->dash_repairs,
             info->dash_repairs == 1 ? "" : "s", info->pilcrows_restored);
    if (push_str(w, msg)) return CX_FATAL;
    result = cx_warn(ctx, 0, "pdftext: %s", msg);
  }
  return result;
}

/* A page table date "2000-10-31 08:38[:00]" into *dst as ISO; one of any
 * other shape (OCR, damage) is not taken and *bad set. */
static int take_date(char **dst, const char *s, bool *bad) {
  static const char shape[] = "dddd-dd-dd dd:dd:dd";
  size_t n = strlen(s);
  bool ok = n == 16 || n == 19;
  for (size_t i = 0; ok && i < n; i++)
    ok = shape[i] == 'd' ? s[i] >= '0' && s[i] <= '9' : s[i] == shape[i];
  if (!ok) {
    *bad = true;
    return CX_OK;
  }
  char t[20];
  memcpy(t, s, n);
  t[10] = 'T';
  if (n == 16) memcpy(t + 16, ":00", 3);
  return cx_set_n(dst, t, 19) ? CX_FATAL : CX_OK;
}

/* Moves the page table's values into c (they win over the telegram); a
 * date that is not one is left out with a warning. */
static int take_meta(struct cx_cable *c, struct pdft_meta *m, struct cx_ctx *ctx, int *result) {
  if (!m->found) return CX_OK;
  c->id = m->id;
  c->classification = m->classification;
  c->origin = m->origin;
  c->title = m->title;
  c->tags = m->tags;
  m->id = m->classification = m->origin = m->title = NULL;
  memset(&m->tags, 0, sizeof m->tags);
  bool bad_created = false, bad_released = false;
  if (m->created && take_date(&c->created, m->created, &bad_created)) return CX_FATAL;
  if (m->released && take_date(&c->released, m->released, &bad_released)) return CX_FATAL;
  if (bad_created)
    *result = cx_warn(ctx, 0, "pdftext: Created value \"%s\" is not a date (YYYY-MM-DD HH:MM)",
                      m->created);
  if (bad_released)
    *result = cx_warn(ctx, 0, "pdftext: Released value \"%s\" is not a date (YYYY-MM-DD HH:MM)",
                      m->released);
  return CX_OK;
}

/* The input's text in *text (pdftotext's output when the input is a PDF):
 * CX_OK, CX_EOF (empty input), or a failure on ctx. */
static int read_text(struct pdft_reader *r, struct cx_ctx *ctx, struct cx_buf *text, bool *is_pdf) {
  const unsigned char *head;
  size_t hn = cx_istream_peek(r->in, &head, 5);
  bool pdf = *is_pdf = hn == 5 && !memcmp(head, "%PDF-", 5);
  struct cx_buf raw;
  size_t pdf_max = r->max > SIZE_MAX / PDF_FACTOR ? SIZE_MAX : r->max * PDF_FACTOR;
  if (pdf_max < PDF_MIN) pdf_max = PDF_MIN;
  cx_buf_init(&raw, pdf ? pdf_max : r->max);
  cx_buf_init(text, r->max);
  int rc = cx_istream_read_all(r->in, &raw);
  if (rc == CX_FAILED) {
    cx_buf_free(&raw);
    return cx_error(ctx, CX_FAILED, 0, "pdftext: %s is larger than %s (%zu bytes)",
                    pdf ? "the PDF" : "the text", pdf ? "8 times max-cable-size" : "max-cable-size",
                    raw.max);
  }
  if (rc < 0 || raw.len == 0) {
    cx_buf_free(&raw);
    return rc < 0 ? rc : CX_EOF;
  }
  if (!pdf) {
    *text = raw;
    return CX_OK;
  }
  rc = pdft_run_pdftotext(r->program, r->timeout, raw.data, raw.len, text, ctx);
  cx_buf_free(&raw);
  if (rc != CX_OK) cx_buf_free(text);
  return rc;
}

int pdft_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct pdft_reader *r = state;
  *cable = NULL;
  if (r->done) return CX_EOF;
  r->done = true;
  struct cx_buf text;
  bool pdf;
  int rc = read_text(r, ctx, &text, &pdf);
  if (rc != CX_OK) return rc;

  int result = CX_OK;
  /* a PDF may give no text at all: its buffer is then NULL */
  const char *nul = text.len ? memchr(text.data, '\0', text.len) : NULL;
  if (nul) {
    unsigned long line = 1;
    for (const char *q = text.data; (q = memchr(q, '\n', (size_t)(nul - q))); q++)
      line++;
    cx_buf_free(&text);
    return cx_error(ctx, CX_FAILED, line, "pdftext: NUL byte in the text: not pdftotext output");
  }
  unsigned long bad_line;
  size_t bad = cx_buf_fix_utf8(&text, &bad_line);
  if (bad == (size_t)-1) {
    cx_buf_free(&text);
    return cx_error(ctx, CX_FAILED, 0,
                    "pdftext: text too large for max-cable-size once its invalid UTF-8 bytes "
                    "are replaced");
  }
  if (bad)
    result = cx_warn(ctx, bad_line, "pdftext: %zu byte%s of invalid UTF-8 replaced by U+FFFD", bad,
                     bad == 1 ? "" : "s");
  const char *t = text.data;
  size_t tl = text.len;
  if (tl >= 3 && !memcmp(t, "\xef\xbb\xbf", 3)) {
    t += 3;
    tl -= 3;
  }

  struct cx_buf clean;
  cx_buf_init(&clean, r->max);
  struct pdft_info info;
  rc = pdft_clean(&r->rules, t, tl, pdf, &clean, &info);
  cx_buf_free(&text);
  if (rc != CX_OK) {
    cx_buf_free(&clean);
    pdft_info_free(&info);
    if (rc == CX_FAILED && info.too_many_lines)
      return cx_error(ctx, CX_FAILED, 0, "pdftext: more than %zu lines: not a cable",
                      (size_t)PDFT_MAX_LINES);
    if (rc == CX_FAILED)
      return cx_error(ctx, CX_FAILED, 0, "pdftext: cleaned text larger than max-cable-size");
    return cx_error(ctx, CX_FATAL, 0, "out of memory");
  }
  bool blank = true;
  for (size_t i = 0; i < clean.len && blank; i++)
    blank = strchr(" \t\r\n", clean.data[i]) != NULL;
  if (blank && !info.meta.found) {
    cx_buf_free(&clean);
    pdft_info_free(&info);
    /* not even a form feed: pdftotext found no page it could read */
    if (pdf && !info.pages)
      return cx_error(ctx, CX_FAILED, 0,
                      "pdftext: pdftotext gave no page of the PDF: damaged, or no page in it?");
    if (pdf)
      return cx_error(ctx, CX_FAILED, 0,
                      "pdftext: the PDF has no text layer (%u page%s of images?): run OCR on "
                      "it first (e.g. ocrmypdf) and give the result",
                      info.pages, info.pages == 1 ? "" : "s");
    return cx_error(ctx, CX_FAILED, 0,
                    "pdftext: no text: nothing but page furniture and blank lines (%u removed)",
                    info.furniture);
  }
  struct cx_cable *c = cx_cable_new();
  if (!c || take_meta(c, &info.meta, ctx, &result) != CX_OK) {
    cx_cable_free(c);
    cx_buf_free(&clean);
    pdft_info_free(&info);
    return cx_error(ctx, CX_FATAL, 0, "out of memory");
  }
  bool meta = info.meta.found; /* a release stamp: a cable's page */
  pdft_info_free(&info);
  rc = cx_telegram_parse(c, clean.data ? clean.data : "", clean.len, 1, ctx);
  cx_buf_free(&clean);
  if (rc == CX_FAILED || rc == CX_FATAL) {
    cx_cable_free(c);
    return rc;
  }
  if (rc == CX_WARN) result = CX_WARN;
  if (!meta && !cx_cable_has_anatomy(c)) {
    /* text of something else (a letter, a manual): skipped, as raw does */
    cx_cable_free(c);
    cx_warn(ctx, 1,
            "pdftext: not a cable (no release stamp, banner, DTG, header, captions or marked "
            "paragraphs): skipped");
    return CX_EOF;
  }
  rc = record(c, &info, bad, ctx);
  if (rc == CX_FATAL) {
    cx_cable_free(c);
    return cx_error(ctx, CX_FATAL, 0, "out of memory");
  }
  if (rc == CX_WARN) result = CX_WARN;
  *cable = c;
  return result;
}
