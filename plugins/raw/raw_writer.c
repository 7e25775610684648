/* raw_writer.c - writes cables in the raw seed layout (formats/raw.md): the
 * page metadata block, then the telegram verbatim; cables after the first
 * are preceded by the separator line.
 *
 * The block read from a page is kept in extra.raw_page and written back as
 * it was when it still says what the model says; otherwise it is rendered
 * from the model.  A telegram that was read without a block is written back
 * without one, as long as the telegram alone gives back every page field the
 * model holds.  A cable without header_text and body (built by hand, or
 * from a format that has no telegram text) gets a telegram rendered from
 * its fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raw_plugin.h"

static int add_line(struct cx_buf *b, const char *prefix, const char *s) {
  int rc = prefix ? cx_buf_adds(b, prefix) : CX_OK;
  if (!rc && s) rc = cx_buf_adds(b, s);
  if (!rc) rc = cx_buf_addc(b, '\n');
  return rc;
}

static int add_recipient(struct cx_buf *b, const char *keyword, const struct cx_recipient *r) {
  int rc = keyword ? cx_buf_adds(b, keyword) : CX_OK;
  if (!rc && r->routing_indicator) rc = cx_buf_printf(b, "%s/", r->routing_indicator);
  if (!rc && r->name) rc = cx_buf_adds(b, r->name);
  if (!rc && r->precedence) rc = cx_buf_printf(b, " %s", r->precedence);
  if (!rc && r->serial) rc = cx_buf_printf(b, " %s", r->serial);
  if (!rc) rc = cx_buf_addc(b, '\n');
  for (size_t i = 0; !rc && i < r->excluded.n; i++)
    rc = add_line(b, i ? NULL : "XMT ", r->excluded.v[i]);
  return rc;
}

/* A header from the header fields, for a cable that has none as text. */
static int render_header(struct cx_buf *b, const struct cx_header *h) {
  int rc = CX_OK;
  if (h->transmission_id) rc = add_line(b, NULL, h->transmission_id);
  if (!rc && h->routing) rc = add_line(b, NULL, h->routing);
  if (!rc && h->de) rc = add_line(b, "DE ", h->de);
  if (!rc && h->security) rc = add_line(b, NULL, h->security);
  if (!rc && (h->precedence || h->dtg))
    rc = cx_buf_printf(b, "%s%s%s\n", h->precedence ? h->precedence : "",
                       h->precedence && h->dtg ? " " : "", h->dtg ? h->dtg : "");
  if (!rc && h->from) rc = add_line(b, "FM ", h->from);
  for (size_t i = 0; !rc && i < h->to.n; i++)
    rc = add_recipient(b, i ? NULL : "TO ", &h->to.v[i]);
  for (size_t i = 0; !rc && i < h->info.n; i++)
    rc = add_recipient(b, i ? NULL : "INFO ", &h->info.v[i]);
  if (!rc) rc = cx_buf_addc(b, '\n');
  return rc;
}

/* A telegram body from the fields: banner, captions, E.O., TAGS, SUBJECT,
 * REF, Classified By, paragraphs, signer.  Not the original text, but what
 * a reader of the format expects to find, in the usual order. */
static int render_body(struct cx_buf *b, const struct cx_cable *c) {
  int rc = CX_OK;
  /* no classification, no banner: a writer never invents one */
  const char *cls = c->classification;
  if (cls) {
    size_t cl = strcspn(cls, "/");
    if (cl == 12 && !strncmp(cls, "UNCLASSIFIED", 12))
      rc = cx_buf_adds(b, "UNCLAS");
    else
      rc = cx_buf_add(b, cls, cl);
  }
  if (!rc && c->sections > 0)
    rc = cx_buf_printf(b, "%sSECTION 01 OF %02d", cls ? " " : "", c->sections);
  if (!rc && (cls || c->sections > 0)) rc = cx_buf_adds(b, "\n\n");
  if (!rc && cls && strstr(cls, "NOFORN")) rc = cx_buf_adds(b, "NOFORN\n\n");
  if (!rc && c->sipdis) rc = cx_buf_adds(b, "SIPDIS\n\n");
  if (!rc && c->has_declassify && c->declassify.text) rc = add_line(b, NULL, c->declassify.text);
  if (!rc && c->tags.n) {
    rc = cx_buf_adds(b, "TAGS:");
    for (size_t i = 0; !rc && i < c->tags.n; i++)
      rc = cx_buf_printf(b, " %s", c->tags.v[i]);
    if (!rc) rc = cx_buf_addc(b, '\n');
  }
  if (!rc && c->subject) rc = add_line(b, "SUBJECT: ", c->subject);
  if (!rc) rc = cx_buf_addc(b, '\n');
  for (size_t i = 0; !rc && i < c->references.n; i++) {
    const struct cx_reference *r = &c->references.v[i];
    rc = cx_buf_adds(b, i ? "     " : "REF: ");
    if (!rc && r->letter) rc = cx_buf_printf(b, "%s. ", r->letter);
    if (!rc) rc = add_line(b, NULL, r->text ? r->text : r->cable_id);
    if (!rc && i + 1 == c->references.n) rc = cx_buf_addc(b, '\n');
  }
  if (!rc && c->has_classified_by && c->classified_by.text)
    rc = cx_buf_printf(b, "%s\n\n", c->classified_by.text);
  if (!rc && c->summary && !c->paragraphs.n) rc = cx_buf_printf(b, "SUMMARY: %s\n\n", c->summary);
  for (size_t i = 0; !rc && i < c->paragraphs.n; i++) {
    const struct cx_paragraph *p = &c->paragraphs.v[i];
    if (p->number) rc = cx_buf_printf(b, "%s. ", p->number);
    if (!rc && p->marking) rc = cx_buf_printf(b, "(%s) ", p->marking);
    if (!rc) rc = cx_buf_printf(b, "%s\n\n", p->text ? p->text : "");
  }
  if (!rc && c->signer) rc = add_line(b, NULL, c->signer);
  return rc;
}

/* A line holding only a form feed inside the cable would split it when
 * the stream is read back. */
static bool has_separator_line(const char *s) {
  if (!s) return false;
  if (s[0] == '\f' && (s[1] == '\n' || s[1] == '\0' || (s[1] == '\r' && s[2] == '\n'))) return true;
  for (const char *p = strstr(s, "\n\f"); p; p = strstr(p + 1, "\n\f"))
    if (p[2] == '\n' || p[2] == '\0' || (p[2] == '\r' && p[3] == '\n')) return true;
  return false;
}

static void ignore_report(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user, (void)ctx, (void)code, (void)msg;
}

static bool same_str(const char *a, const char *b) {
  return a && b ? strcmp(a, b) == 0 : a == b;
}

/* True when parsing the telegram text on its own (as the reader would, with
 * no page block) gives this cable's id, created, classification, origin and
 * tags, and the cable has no field only a page can hold. */
static bool telegram_says_it_all(const struct cx_cable *c) {
  if (c->title || c->released || !c->header_text || !c->body) return false;
  size_t hl = strlen(c->header_text), bl = strlen(c->body);
  char *text = malloc(hl + bl + 1);
  struct cx_cable *t = cx_cable_new();
  bool same = false;
  if (text && t) {
    memcpy(text, c->header_text, hl);
    memcpy(text + hl, c->body, bl + 1);
    struct cx_ctx quiet = {.report = ignore_report};
    if (cx_telegram_parse(t, text, hl + bl, 1, &quiet) >= CX_WARN) {
      same = same_str(t->id, c->id) && same_str(t->created, c->created) &&
             same_str(t->classification, c->classification) && same_str(t->origin, c->origin) &&
             t->tags.n == c->tags.n;
      for (size_t i = 0; same && i < t->tags.n; i++)
        same = strcmp(t->tags.v[i], c->tags.v[i]) == 0;
    }
  }
  free(text);
  cx_cable_free(t);
  return same;
}

/* Appends cable c to b in the seed layout, without separator.  Returns
 * CX_OK, CX_WARN (reported with cx_warn), CX_FAILED or CX_FATAL. */
static int encode(const struct cx_cable *c, struct cx_ctx *ctx, struct cx_buf *b) {
  int result = CX_OK;
  int rc = CX_OK;

  /* the page block: the one read, when it still agrees with the model */
  const struct cx_value *page = cx_value_get(&c->extra, "raw_page");
  bool verbatim = false;
  if (page && page->kind == CX_VALUE_STRING && page->text) {
    struct rawp p;
    size_t len = strlen(page->text);
    struct cx_cable *values = cx_cable_new();
    int pr = values ? rawp_parse(page->text, len, &p, values) : CX_FATAL;
    if (pr == 1) verbatim = p.len == len && rawp_agrees(&p, values, c);
    cx_cable_free(values);
    if (pr == CX_FATAL) return cx_error(ctx, CX_FATAL, 0, "out of memory");
    if (verbatim) rc = cx_buf_add(b, page->text, len);
  }
  if (!rc && !verbatim && !(page == NULL && telegram_says_it_all(c))) rc = rawp_render(b, c);

  if (!rc && (c->header_text || c->body)) {
    if (c->header_text) rc = cx_buf_adds(b, c->header_text);
    if (!rc && c->body) rc = cx_buf_adds(b, c->body);
  } else if (!rc) {
    if (c->has_header) rc = render_header(b, &c->header);
    if (!rc) rc = render_body(b, c);
  }
  if (rc)
    return cx_error(ctx, CX_FAILED, 0, "raw: cable %s too large to write", c->id ? c->id : "");

  /* extra fields other than raw_page have no place in the format */
  char dropped[256];
  size_t nd = 0;
  dropped[0] = '\0';
  for (size_t i = 0; i < c->extra.n; i++) {
    const char *k = c->extra.keys[i];
    if (!strcmp(k, "raw_page") && c->extra.items[i].kind == CX_VALUE_STRING) continue;
    int n = snprintf(dropped + nd, sizeof dropped - nd, "%s%s", nd ? ", " : "", k);
    if (n > 0) nd = nd + (size_t)n < sizeof dropped ? nd + (size_t)n : sizeof dropped - 1;
  }
  if (nd)
    result = cx_warn(ctx, 0, "raw: %s: extra field%s not carried by the raw format: %s",
                     c->id ? c->id : "cable", strchr(dropped, ',') ? "s" : "", dropped);
  /* the seed layout's labels stop at Origin: a release date has no place */
  if (c->released)
    result = cx_warn(ctx, 0, "raw: %s: released (%s) not carried by the raw format",
                     c->id ? c->id : "cable", c->released);
  if (has_separator_line(c->header_text) || has_separator_line(c->body))
    result = cx_warn(ctx, 0,
                     "raw: %s: the text holds a form-feed line; read back, the cable would be "
                     "split there",
                     c->id ? c->id : "cable");
  return result;
}

CX_RECORDS_WRITER(rawp, RAWP_SEPARATOR, encode)
