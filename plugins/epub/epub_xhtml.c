/* epub_xhtml.c - the XHTML and CSS of a cablex book (formats/epub.md).
 *
 * A chapter shows the cable to a reader and carries it for the epub reader
 * at the same time: every model field sits in the element that shows it,
 * marked with data-f="NAME" (its JSON name; data-fx="HEX" when the name
 * cannot be an attribute) and data-t="TYPE": o object, a array, s string,
 * num number, n null, t true, f false.  The reader keeps only the text of
 * s and num elements; labels, punctuation and headings sit outside them.
 * The root is <article data-cx-model="1" data-t="o">.
 */
#include <stdio.h>
#include <string.h>

#include "cablex/fields.h"
#include "epub_plugin.h"

/* A field's name, from the model's table: NAME(CABLE_id) is "id". */
#define NAME(f) (cx_fields[CX_F_##f].name)

const char epubp_css[] =
    "/* cablex book */\n"
    "body { margin: 0 0.6em; line-height: 1.45; font-family: serif; }\n"
    "h1 { font-size: 1.3em; line-height: 1.25; margin: 0.8em 0 0.6em; }\n"
    "h2 { font-size: 1.05em; margin: 1.4em 0 0.4em; border-bottom: 1px solid #999; "
    "font-family: sans-serif; }\n"
    "h3 { font-size: 0.95em; margin: 0.8em 0 0.3em; font-family: sans-serif; }\n"
    "table { border-collapse: collapse; width: 100%; font-size: 0.85em; margin: 0.4em 0; }\n"
    "th, td { text-align: left; vertical-align: top; padding: 0.15em 0.4em; "
    "border-bottom: 1px solid #ddd; }\n"
    "table.meta th { width: 9em; font-weight: normal; color: #555; font-family: sans-serif; }\n"
    "table.recipients th { font-family: sans-serif; color: #555; }\n"
    ".cx-class { font-weight: bold; letter-spacing: 0.05em; }\n"
    ".cx-tag { white-space: nowrap; }\n"
    ".cx-refs { list-style: none; padding-left: 0; }\n"
    ".cx-letter { font-weight: bold; }\n"
    ".cx-letter:after { content: \".\"; }\n"
    ".cx-kind, .cx-note { color: #666; font-size: 0.85em; }\n"
    "p.cx-para { margin: 0.5em 0; text-align: left; }\n"
    ".cx-num { font-weight: bold; }\n"
    ".cx-num:after { content: \".\"; }\n"
    ".cx-mark { color: #8a1c1c; font-family: sans-serif; font-size: 0.85em; }\n"
    ".cx-mark:before { content: \"(\"; }\n"
    ".cx-mark:after { content: \")\"; }\n"
    "pre { white-space: pre-wrap; overflow-wrap: break-word; font-size: 0.75em; "
    "line-height: 1.3; background: #f6f6f2; padding: 0.5em; margin: 0; }\n"
    ".cx-c { color: #a00; }\n"
    "dl { margin: 0.2em 0 0.2em 1em; font-size: 0.85em; }\n"
    "dt { font-weight: bold; }\n"
    "dd { margin-left: 1em; }\n"
    ".cx-foot { color: #777; font-size: 0.75em; margin-top: 2em; }\n"
    "nav ol, ol.cx-list { list-style: none; padding-left: 1em; }\n"
    "nav li { margin: 0.2em 0; }\n"
    ".cx-title { text-align: center; margin-top: 3em; }\n";

/* ---- text ---- */

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 when invalid;
 * *cp receives the code point. */
static size_t utf8_seq(const unsigned char *p, size_t n, unsigned long *cp) {
  unsigned char c = p[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t k;
  unsigned long v, min;
  if (c >= 0xC2 && c <= 0xDF) {
    k = 2;
    v = c & 0x1F;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    k = 3;
    v = c & 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    k = 4;
    v = c & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (n < k) return 0;
  for (size_t i = 1; i < k; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (p[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return k;
}

static bool xml_forbidden(unsigned long cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF;
}

int epubp_text(struct cx_buf *b, const char *s, bool attr, size_t *bad) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s), i = 0;
  int rc = CX_OK;
  while (i < n && rc == CX_OK) {
    /* copy a run of bytes that need nothing */
    size_t j = i;
    while (j < n && p[j] >= 0x20 && p[j] < 0x80 && p[j] != '&' && p[j] != '<' && p[j] != '>' &&
           p[j] != '"')
      j++;
    if (j > i) {
      rc = cx_buf_add(b, p + i, j - i);
      i = j;
      continue;
    }
    unsigned long cp;
    size_t k = utf8_seq(p + i, n - i, &cp);
    if (!k) {
      if (bad) (*bad)++;
      rc = cx_buf_add(b, "\xEF\xBF\xBD", 3);
      i++;
      continue;
    }
    const char *ent = cp == '"' && !attr ? NULL : cx_xml_entity((int)cp);
    if (ent) {
      rc = cx_buf_adds(b, ent);
      i += k;
      continue;
    }
    switch (cp) {
    case '\r':
      rc = cx_buf_adds(b, "&#13;");
      break;
    case '\t':
      rc = attr ? cx_buf_adds(b, "&#9;") : cx_buf_addc(b, '\t');
      break;
    case '\n':
      rc = attr ? cx_buf_adds(b, "&#10;") : cx_buf_addc(b, '\n');
      break;
    default:
      if (xml_forbidden(cp)) {
        if (attr) {
          if (bad) (*bad)++;
        } else if (cp < 0x20) {
          /* the control picture U+2400 + cp shows where it was */
          rc = cx_buf_printf(b, "<span class=\"cx-c\" data-c=\"%lu\">\xE2\x90%c</span>", cp,
                             (char)(0x80 + cp));
        } else {
          rc = cx_buf_printf(b, "<span class=\"cx-c\" data-c=\"%lu\">\xEF\xBF\xBD</span>", cp);
        }
      } else {
        rc = cx_buf_add(b, p + i, k);
      }
    }
    i += k;
  }
  return rc;
}

bool epubp_attr_ok(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    unsigned long cp;
    size_t k = utf8_seq(p + i, n - i, &cp);
    if (!k || xml_forbidden(cp)) return false;
    i += k;
  }
  return true;
}

/* ---- pages ---- */

/* A page's <title>: text only, never empty (epubcheck refuses an empty
 * one and markup in it): a control character becomes its control picture
 * (U+2400 + c), a byte that is not UTF-8 or a character XML cannot carry
 * U+FFFD, blanks a space; an empty or blank title "(no id)". */
static int title_text(struct cx_buf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s), i = 0;
  bool shown = false; /* anything other than blanks written */
  int rc = CX_OK;
  while (i < n && rc == CX_OK) {
    unsigned long cp;
    size_t k = utf8_seq(p + i, n - i, &cp);
    if (!k) {
      rc = cx_buf_add(b, "\xEF\xBF\xBD", 3);
      k = 1;
    } else if (cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ') {
      rc = cx_buf_addc(b, ' ');
      i += k;
      continue;
    } else if (xml_forbidden(cp) && cp < 0x20) {
      char pic[3] = {'\xE2', '\x90', (char)(0x80 + cp)};
      rc = cx_buf_add(b, pic, 3);
    } else if (xml_forbidden(cp)) {
      rc = cx_buf_add(b, "\xEF\xBF\xBD", 3);
    } else {
      char one[2] = {(char)cp, '\0'};
      rc = epubp_text(b, cp < 0x80 ? one : "", false, NULL);
      if (!rc && cp >= 0x80) rc = cx_buf_add(b, p + i, k);
    }
    shown = true;
    i += k;
  }
  if (!rc && !shown) rc = cx_buf_adds(b, "(no id)");
  return rc;
}

int epubp_page_start(struct cx_buf *b, const char *title, const char *body_attrs) {
  int rc =
      cx_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<!DOCTYPE html>\n"
                     "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                     "xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"en\" lang=\"en\">\n"
                     "<head>\n<meta charset=\"utf-8\"/>\n<title>");
  if (!rc) rc = title_text(b, title);
  if (!rc)
    rc = cx_buf_printf(b,
                       "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n"
                       "</head>\n<body%s%s>\n",
                       body_attrs ? " " : "", body_attrs ? body_attrs : "");
  return rc;
}

int epubp_page_end(struct cx_buf *b) {
  return cx_buf_adds(b, "</body>\n</html>\n");
}

/* ---- chapter ---- */

struct ch {
  struct cx_buf *b;
  size_t *bad;
  int rc;
  epubp_spill_fn spill; /* NULL: the whole chapter stays in b */
  void *user;
};

/* Between two items: hands what b holds on once it is EPUBP_SPILL bytes. */
static void spill(struct ch *w) {
  if (!w->rc && w->spill && w->b->len >= EPUBP_SPILL) w->rc = w->spill(w->user, w->b);
}

static void add(struct ch *w, const char *s) {
  if (!w->rc) w->rc = cx_buf_adds(w->b, s);
}

static void text(struct ch *w, const char *s) {
  if (!w->rc) w->rc = epubp_text(w->b, s, false, w->bad);
}

/* <tag data-f="name" data-t="s">s</tag>, or data-t="n" when s is NULL. */
static void field(struct ch *w, const char *tag, const char *cls, const char *name, const char *s) {
  if (w->rc) return;
  w->rc = cx_buf_printf(w->b, "<%s%s%s%s%s%s%s data-t=\"%s\">", tag, cls ? " class=\"" : "",
                        cls ? cls : "", cls ? "\"" : "", name ? " data-f=\"" : "", name ? name : "",
                        name ? "\"" : "", s ? "s" : "n");
  if (s)
    text(w, s);
  else if (!strcmp(tag, "td"))
    add(w, "\xE2\x80\x94"); /* an em dash; the reader skips a null's text */
  if (!w->rc) w->rc = cx_buf_printf(w->b, "</%s>", tag);
}

static void row(struct ch *w, const char *label, const char *name, const char *s) {
  add(w, "<tr><th scope=\"row\">");
  add(w, label);
  add(w, "</th>");
  field(w, "td", NULL, name, s);
  add(w, "</tr>\n");
}

static void strv(struct ch *w, const char *tag, const char *name, const struct cx_strv *v,
                 const char *cls, const char *sep) {
  if (w->rc) return;
  w->rc = cx_buf_printf(w->b, "<%s data-f=\"%s\" data-t=\"a\">", tag, name);
  for (size_t i = 0; i < v->n; i++) {
    if (i) add(w, sep);
    field(w, "span", cls, NULL, v->v[i]);
  }
  if (!w->rc) w->rc = cx_buf_printf(w->b, "</%s>", tag);
}

static void recipients(struct ch *w, const char *label, const char *name,
                       const struct cx_recipients *v) {
  if (w->rc) return;
  if (!v->n) {
    w->rc = cx_buf_printf(w->b, "<div data-f=\"%s\" data-t=\"a\"></div>\n", name);
    return;
  }
  w->rc = cx_buf_printf(w->b,
                        "<h3>%s</h3>\n<table class=\"recipients\" data-f=\"%s\" data-t=\"a\">\n"
                        "<thead><tr><th>Name</th><th>Routing</th><th>Precedence</th>"
                        "<th>Serial</th><th>Excluded</th></tr></thead>\n<tbody>\n",
                        label, name);
  for (size_t i = 0; i < v->n; i++) {
    const struct cx_recipient *r = &v->v[i];
    add(w, "<tr data-t=\"o\">");
    field(w, "td", NULL, NAME(RECIPIENT_name), r->name);
    field(w, "td", NULL, NAME(RECIPIENT_routing_indicator), r->routing_indicator);
    field(w, "td", NULL, NAME(RECIPIENT_precedence), r->precedence);
    field(w, "td", NULL, NAME(RECIPIENT_serial), r->serial);
    strv(w, "td", NAME(RECIPIENT_excluded), &r->excluded, NULL, ", ");
    add(w, "</tr>\n");
    spill(w);
  }
  add(w, "</tbody>\n</table>\n");
}

static const char *type_of(const struct cx_value *v) {
  switch (v->kind) {
  case CX_VALUE_NULL:
    return "n";
  case CX_VALUE_FALSE:
    return "f";
  case CX_VALUE_TRUE:
    return "t";
  case CX_VALUE_NUMBER:
    return "num";
  case CX_VALUE_STRING:
    return "s";
  case CX_VALUE_ARRAY:
    return "a";
  case CX_VALUE_OBJECT:
    return "o";
  }
  return "n";
}

static void value_inner(struct ch *w, const struct cx_value *v, int depth);

/* The name attribute of an object member: data-f, or data-fx (hex) when the
 * key holds a character an attribute cannot carry. */
static void key_attr(struct ch *w, const char *key) {
  if (w->rc) return;
  if (epubp_attr_ok(key)) {
    add(w, " data-f=\"");
    if (!w->rc) w->rc = epubp_text(w->b, key, true, w->bad);
    add(w, "\"");
    return;
  }
  add(w, " data-fx=\"");
  for (const unsigned char *p = (const unsigned char *)key; *p && !w->rc; p++)
    w->rc = cx_buf_printf(w->b, "%02x", *p);
  add(w, "\"");
}

static void value_inner(struct ch *w, const struct cx_value *v, int depth) {
  if (w->rc) return;
  switch (v->kind) {
  case CX_VALUE_NULL:
  case CX_VALUE_FALSE:
  case CX_VALUE_TRUE:
    add(w, cx_value_literal(v->kind));
    return;
  case CX_VALUE_NUMBER:
  case CX_VALUE_STRING:
    text(w, v->text ? v->text : "");
    return;
  case CX_VALUE_ARRAY:
    if (!v->n) return;
    add(w, "<ol>");
    for (size_t i = 0; i < v->n; i++) {
      if (!w->rc) w->rc = cx_buf_printf(w->b, "<li data-t=\"%s\">", type_of(&v->items[i]));
      value_inner(w, &v->items[i], depth + 1);
      add(w, "</li>");
    }
    add(w, "</ol>");
    return;
  case CX_VALUE_OBJECT:
    if (!v->n) return;
    add(w, "<dl>");
    for (size_t i = 0; i < v->n; i++) {
      add(w, "<dt>");
      text(w, v->keys[i]);
      add(w, "</dt><dd");
      key_attr(w, v->keys[i]);
      if (!w->rc) w->rc = cx_buf_printf(w->b, " data-t=\"%s\">", type_of(&v->items[i]));
      value_inner(w, &v->items[i], depth + 1);
      add(w, "</dd>");
    }
    add(w, "</dl>");
    return;
  }
}

/* <tag[ class="cls"] data-f="name" data-t="t">, the name from the model's table. */
static void open_f(struct ch *w, const char *tag, const char *cls, const char *name,
                   const char *t) {
  if (!w->rc)
    w->rc = cx_buf_printf(w->b, "<%s%s%s%s data-f=\"%s\" data-t=\"%s\">", tag,
                          cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "", name, t);
}

/* <tag data-f="name" data-t="t">rest, for a value shown as a dash or a word. */
static void mark(struct ch *w, const char *tag, const char *name, const char *t, const char *rest) {
  open_f(w, tag, NULL, name, t);
  add(w, rest);
}

#define DASH "\xE2\x80\x94"

/* The table of the metadata, with declassify and classified_by. */
static void chapter_meta(struct ch *w, const struct cx_cable *c) {
  add(w, "\n<table class=\"meta\">\n");
  row(w, "Identifier", NAME(CABLE_id), c->id);
  row(w, "Canonical id", NAME(CABLE_canonical_id), c->canonical_id);
  row(w, "Created", NAME(CABLE_created), c->created);
  row(w, "Released", NAME(CABLE_released), c->released);
  add(w, "<tr><th scope=\"row\">Classification</th>");
  field(w, "td", "cx-class", NAME(CABLE_classification), c->classification);
  add(w, "</tr>\n");
  row(w, "Origin", NAME(CABLE_origin), c->origin);
  row(w, "Page title", NAME(CABLE_title), c->title);
  add(w, "<tr><th scope=\"row\">Tags</th>");
  strv(w, "td", NAME(CABLE_tags), &c->tags, "cx-tag", ", ");
  add(w, "</tr>\n<tr><th scope=\"row\">SIPDIS</th>");
  mark(w, "td", NAME(CABLE_sipdis), c->sipdis ? "t" : "f", c->sipdis ? "yes</td>" : "no</td>");
  add(w, "</tr>\n<tr><th scope=\"row\">Sections</th>");
  if (c->sections > 0) {
    open_f(w, "td", NULL, NAME(CABLE_sections), "num");
    if (!w->rc) w->rc = cx_buf_printf(w->b, "%d</td>", c->sections);
  } else {
    mark(w, "td", NAME(CABLE_sections), "n", DASH "</td>");
  }
  add(w, "</tr>\n");
  row(w, "Signer", NAME(CABLE_signer), c->signer);
  add(w, "<tr><th scope=\"row\">Declassify</th>");
  if (c->has_declassify) {
    open_f(w, "td", NULL, NAME(CABLE_declassify), "o");
    field(w, "span", NULL, NAME(DECLASSIFY_text), c->declassify.text);
    add(w, " <span class=\"cx-note\">");
    field(w, "span", NULL, NAME(DECLASSIFY_date), c->declassify.date);
    add(w, "</span></td>");
  } else {
    mark(w, "td", NAME(CABLE_declassify), "n", DASH "</td>");
  }
  add(w, "</tr>\n<tr><th scope=\"row\">Classified by</th>");
  if (c->has_classified_by) {
    open_f(w, "td", NULL, NAME(CABLE_classified_by), "o");
    field(w, "span", NULL, NAME(CLASSIFIED_BY_text), c->classified_by.text);
    add(w, "<br/><span class=\"cx-note\">names: ");
    strv(w, "span", NAME(CLASSIFIED_BY_names), &c->classified_by.names, NULL, "; ");
    add(w, "; reasons: ");
    field(w, "span", NULL, NAME(CLASSIFIED_BY_reasons), c->classified_by.reasons);
    add(w, "</span></td>");
  } else {
    mark(w, "td", NAME(CABLE_classified_by), "n", DASH "</td>");
  }
  add(w, "</tr>\n</table>\n");
}

static void chapter_header(struct ch *w, const struct cx_cable *c) {
  if (!c->has_header) {
    mark(w, "div", NAME(CABLE_header), "n", "</div>\n");
    return;
  }
  const struct cx_header *h = &c->header;
  mark(w, "section", NAME(CABLE_header), "o",
       "\n<h2>Telegram header</h2>\n<table class=\"meta\">\n");
  row(w, "From", NAME(HEADER_from), h->from);
  row(w, "Date-time group", NAME(HEADER_dtg), h->dtg);
  row(w, "Precedence", NAME(HEADER_precedence), h->precedence);
  row(w, "Transmission id", NAME(HEADER_transmission_id), h->transmission_id);
  row(w, "Routing", NAME(HEADER_routing), h->routing);
  row(w, "DE", NAME(HEADER_de), h->de);
  row(w, "Security", NAME(HEADER_security), h->security);
  add(w, "</table>\n");
  recipients(w, "To", NAME(HEADER_to), &h->to);
  recipients(w, "Info", NAME(HEADER_info), &h->info);
  add(w, "</section>\n");
}

static void chapter_lists(struct ch *w, const struct cx_cable *c) {
  if (c->references.n) {
    add(w, "<section>\n<h2>References</h2>\n");
    open_f(w, "ul", "cx-refs", NAME(CABLE_references), "a");
    add(w, "\n");
    for (size_t i = 0; i < c->references.n; i++) {
      const struct cx_reference *r = &c->references.v[i];
      add(w, "<li data-t=\"o\">");
      field(w, "span", r->letter ? "cx-letter" : NULL, NAME(REFERENCE_letter), r->letter);
      add(w, " ");
      field(w, "span", NULL, NAME(REFERENCE_text), r->text);
      add(w, " <span class=\"cx-kind\">");
      field(w, "span", NULL, NAME(REFERENCE_kind), cx_ref_kind_name(r->kind));
      add(w, " ");
      field(w, "span", NULL, NAME(REFERENCE_cable_id), r->cable_id);
      add(w, "</span></li>\n");
      spill(w);
    }
    add(w, "</ul>\n</section>\n");
  } else {
    mark(w, "div", NAME(CABLE_references), "a", "</div>\n");
  }
  if (c->summary) {
    add(w, "<section>\n<h2>Summary</h2>\n");
    field(w, "p", NULL, NAME(CABLE_summary), c->summary);
    add(w, "\n</section>\n");
  } else {
    mark(w, "div", NAME(CABLE_summary), "n", "</div>\n");
  }
  if (c->paragraphs.n) {
    add(w, "<section>\n<h2>Paragraphs</h2>\n");
    mark(w, "div", NAME(CABLE_paragraphs), "a", "\n");
    for (size_t i = 0; i < c->paragraphs.n; i++) {
      const struct cx_paragraph *p = &c->paragraphs.v[i];
      add(w, "<p class=\"cx-para\" data-t=\"o\">");
      field(w, "span", p->number ? "cx-num" : NULL, NAME(PARAGRAPH_number), p->number);
      add(w, " ");
      field(w, "span", p->marking ? "cx-mark" : NULL, NAME(PARAGRAPH_marking), p->marking);
      add(w, " ");
      field(w, "span", NULL, NAME(PARAGRAPH_text), p->text);
      add(w, "</p>\n");
      spill(w);
    }
    add(w, "</div>\n</section>\n");
  } else {
    mark(w, "div", NAME(CABLE_paragraphs), "a", "</div>\n");
  }
}

static void chapter_text(struct ch *w, const struct cx_cable *c) {
  if (c->header_text || c->body) {
    add(w, "<section>\n<h2>Telegram</h2>\n");
    field(w, "pre", NULL, NAME(CABLE_header_text), c->header_text);
    spill(w);
    field(w, "pre", NULL, NAME(CABLE_body), c->body);
    spill(w);
    add(w, "\n</section>\n");
  } else {
    mark(w, "div", NAME(CABLE_header_text), "n", "</div>");
    mark(w, "div", NAME(CABLE_body), "n", "</div>\n");
  }
  if (c->extra.kind == CX_VALUE_OBJECT && c->extra.n) {
    add(w, "<section>\n<h2>Extra</h2>\n");
    open_f(w, "div", NULL, NAME(CABLE_extra), "o");
    value_inner(w, &c->extra, 0);
    add(w, "</div>\n</section>\n");
  } else {
    mark(w, "div", NAME(CABLE_extra), "o", "</div>\n");
  }
  add(w, "<p class=\"cx-foot\">cablex model ");
  mark(w, "span", NAME(CABLE_model_version), "num", "1</span>");
  if (c->source.format) {
    add(w, "; read as ");
    text(w, c->source.format);
  }
  add(w, "</p>\n</article>\n");
}

int epubp_chapter(struct cx_buf *b, const struct cx_cable *c, size_t *bad) {
  return epubp_chapter_to(b, c, bad, NULL, NULL);
}

int epubp_chapter_to(struct cx_buf *b, const struct cx_cable *c, size_t *bad, epubp_spill_fn fn,
                     void *user) {
  struct ch w = {b, bad, CX_OK, fn, user};
  const char *id = c->id ? c->id : c->canonical_id ? c->canonical_id : "cable";
  w.rc = epubp_page_start(b, id, NULL);
  add(&w, "<article class=\"cable\" data-cx-model=\"1\" data-t=\"o\">\n");
  if (c->subject) {
    field(&w, "h1", NULL, NAME(CABLE_subject), c->subject);
  } else {
    add(&w, "<h1>");
    text(&w, c->title ? c->title : id);
    add(&w, "</h1>");
    mark(&w, "span", NAME(CABLE_subject), "n", "</span>");
  }
  chapter_meta(&w, c);
  chapter_header(&w, c);
  chapter_lists(&w, c);
  chapter_text(&w, c);
  if (!w.rc) w.rc = epubp_page_end(b);
  return w.rc;
}
