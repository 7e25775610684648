/* html_writer.c - writes cables as Cablegate cable pages (formats/html.md):
 * the heading, the Reference ID / Created / Released / Classification /
 * Origin table, the "Appears in these articles" links (extra.html_media),
 * and the telegram as two <pre> blocks, header and body, with newlines as
 * &#x000A; as on the original pages.  The sidebar and the help texts of
 * the site are left out.
 *
 * Tags are links, as on the site: inside the body's "TAGS:" lines when
 * those give back exactly the cable's tags, else in a <div class='tags'>
 * before the telegram.  Several cables to one stream: the pages follow each
 * other, each ending with its </html> line, which is where the reader
 * splits them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_plugin.h"

static int esc(struct cx_buf *b, const char *s, enum htmlp_escape_mode mode) {
  return s ? htmlp_escape(b, s, strlen(s), mode) : CX_OK;
}

/* A path segment for a site link: letters, digits, non-ASCII, ".-_" kept,
 * anything else '_'.  Only the look of the page depends on it. */
static int add_slug(struct cx_buf *b, const char *s, size_t n) {
  int rc = CX_OK;
  for (size_t i = 0; s && i < n && s[i] && rc == CX_OK; i++) {
    char c = s[i];
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_' || (unsigned char)c >= 0x80;
    rc = cx_buf_addc(b, keep ? c : '_');
  }
  return rc;
}

static bool is_iso(const char *s) {
  static const char shape[] = "dddd-dd-ddTdd:dd:dd";
  if (!s || strlen(s) != sizeof shape - 1) return false;
  for (size_t i = 0; i < sizeof shape - 1; i++)
    if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i]) return false;
  return true;
}

/* A date cell: "YYYY-MM-DD HH:MM" (seconds only when not :00) in a link
 * like the site's; a value that is not ISO is written as it is. */
static int date_cell(struct cx_buf *b, const char *d, const char *dir, bool month_only) {
  int rc = cx_buf_adds(b, "<td>\n");
  if (!rc && d && is_iso(d)) {
    char v[20];
    memcpy(v, d, 20);
    v[10] = ' ';
    if (!strcmp(v + 16, ":00")) v[16] = '\0';
    rc = cx_buf_printf(b, "<a href='/%s/", dir);
    if (!rc) rc = cx_buf_add(b, d, month_only ? 7 : 10);
    if (!rc) rc = cx_buf_printf(b, "_0.html'>%s</a>\n", v);
  } else if (!rc && d) {
    rc = esc(b, d, HTMLP_TEXT);
    if (!rc) rc = cx_buf_addc(b, '\n');
  }
  if (!rc) rc = cx_buf_adds(b, "</td>\n");
  return rc;
}

static int link_cell(struct cx_buf *b, const char *v, const char *dir) {
  int rc = cx_buf_adds(b, "<td>\n");
  if (!rc && v) {
    rc = cx_buf_printf(b, "<a href='/%s/", dir);
    if (!rc) rc = add_slug(b, v, strlen(v));
    if (!rc) rc = cx_buf_adds(b, "_0.html'>");
    if (!rc) rc = esc(b, v, HTMLP_TEXT);
    if (!rc) rc = cx_buf_adds(b, "</a>\n");
  }
  if (!rc) rc = cx_buf_adds(b, "</td>\n");
  return rc;
}

static int tag_link(struct cx_buf *b, const char *tag, size_t n, enum htmlp_escape_mode mode) {
  int rc = cx_buf_adds(b, "<a href='/tag/");
  if (!rc) rc = add_slug(b, tag, n);
  if (!rc) rc = cx_buf_adds(b, "_0.html'>");
  if (!rc) rc = htmlp_escape(b, tag, n, mode);
  if (!rc) rc = cx_buf_adds(b, "</a>");
  return rc;
}

/* Is extra.html_media an array of {href, text} strings (what the reader
 * makes and the page can carry)? */
static bool media_ok(const struct cx_value *m) {
  if (!m || m->kind != CX_VALUE_ARRAY) return false;
  for (size_t i = 0; i < m->n; i++) {
    const struct cx_value *o = &m->items[i];
    const struct cx_value *h = cx_value_get(o, "href"), *t = cx_value_get(o, "text");
    if (o->kind != CX_VALUE_OBJECT || o->n != 2 || !h || !t || h->kind != CX_VALUE_STRING ||
        t->kind != CX_VALUE_STRING)
      return false;
  }
  return true;
}

/* May href be written as a link: http(s), or relative (no scheme)?  A
 * javascript: or data: link taken from an input must not become one.
 * Browsers drop tabs, newlines and leading blanks from a URL, so any
 * control character or space makes it unsafe too. */
static bool href_safe(const char *h) {
  for (const unsigned char *p = (const unsigned char *)h; *p; p++)
    if (*p <= 0x20 || *p == 0x7f) return false;
  size_t n = strcspn(h, ":/?#");
  if (h[n] != ':') return true; /* no scheme: relative */
  return (n == 4 && !strncasecmp(h, "http", 4)) || (n == 5 && !strncasecmp(h, "https", 5));
}

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool tag_end(char c) {
  return c == ' ' || c == ',' || c == ';' || c == '\t' || c == '\n' || c == '\r' || c == '.';
}

/* Where the tags can be links in the telegram t[0..n): on "TAGS:" lines,
 * in order.  Fills pos[] and returns true when every tag found its place. */
static bool place_tags(const char *t, size_t n, const struct cx_strv *tags, size_t *pos) {
  size_t k = 0;
  for (size_t i = 0; k < tags->n && i + 5 <= n; i++) {
    if (memcmp(t + i, "TAGS:", 5)) continue;
    size_t j = i + 5;
    while (j < n && t[j] == ' ')
      j++;
    while (k < tags->n) {
      const char *g = tags->v[k];
      size_t gl = strlen(g);
      if (!gl || is_blank(g[0]) || is_blank(g[gl - 1]) || strchr(g, '\n')) return false;
      if (j + gl > n || memcmp(t + j, g, gl) || (j + gl < n && !tag_end(t[j + gl]))) break;
      pos[k++] = j;
      j += gl;
      while (j < n && (t[j] == ' ' || t[j] == ','))
        j++;
    }
    i = j - 1;
  }
  return k == tags->n;
}

/* The site's paragraph anchor: a line whose text, after its blanks,
 * starts with a number or one capital letter, a period and a space ("1. ",
 * "B. ") gets <a id='parN' href='#parN'>¶</a> before the number.  This
 * rule gives every anchor of the corpus pages and no other.  Returns the
 * length of the number (0: no anchor) and its start in *at. */
static size_t anchor_at(const char *t, size_t i, size_t to, size_t *at) {
  while (i < to && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\f' || t[i] == '\v'))
    i++;
  size_t j = i;
  if (j < to && t[j] >= 'A' && t[j] <= 'Z')
    j++;
  else
    while (j < to && t[j] >= '0' && t[j] <= '9')
      j++;
  if (j == i || j + 2 > to || t[j] != '.' || t[j + 1] != ' ') return 0;
  *at = i;
  return j - i;
}

/* Writes t[from..to) as <pre> text with the paragraph anchors and the
 * placed tags as links (the reader drops the one, keeps the other's
 * text). */
static int pre_part(struct cx_buf *b, const char *t, size_t from, size_t to,
                    const struct cx_strv *tags, const size_t *pos, size_t *k) {
  int rc = cx_buf_adds(b, "<code><pre>");
  size_t i = from;
  while (!rc && i < to) {
    size_t at, nl;
    if ((i == from || t[i - 1] == '\n') && (nl = anchor_at(t, i, to, &at))) {
      rc = htmlp_escape(b, t + i, at - i, HTMLP_PRE);
      if (!rc)
        rc = cx_buf_printf(b, "<a id='par%.*s' href='#par%.*s'>\xc2\xb6</a>", (int)nl, t + at,
                           (int)nl, t + at);
      i = at;
    }
    const char *eol = memchr(t + i, '\n', to - i);
    size_t stop = eol ? (size_t)(eol - t) + 1 : to;
    bool tag = pos && *k < tags->n && pos[*k] < stop;
    if (tag) stop = pos[*k];
    if (!rc) rc = htmlp_escape(b, t + i, stop - i, HTMLP_PRE);
    i = stop;
    if (!rc && tag) {
      size_t gl = strlen(tags->v[*k]);
      rc = tag_link(b, t + i, gl, HTMLP_PRE);
      i += gl;
      (*k)++;
    }
  }
  if (!rc) rc = cx_buf_adds(b, "</pre></code>\n");
  return rc;
}

/* Splits the telegram for the two <pre> blocks: the reader joins them as
 * header + "\n\n" + body + "\n".  Returns where the header ends, or n when
 * the text has no such split (then it is one <pre>). */
static size_t split_at(const char *t, size_t n, size_t header_len) {
  if (!n || t[n - 1] != '\n') return n;
  if (header_len >= 2 && header_len < n && t[header_len - 2] == '\n' && t[header_len - 1] == '\n')
    return header_len - 2;
  for (size_t i = 0; i + 2 <= n - 1; i++)
    if (t[i] == '\n' && t[i + 1] == '\n') return i;
  return n;
}

static const char page_head[] =
    "<?xml version='1.0' encoding='utf-8' ?>\n"
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
    "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
    "<html lang='en' xml:lang='en' xmlns='http://www.w3.org/1999/xhtml'>\n"
    "<head>\n"
    "<title>Cable Viewer</title>\n"
    "<meta name='generator' content='" HTMLP_GENERATOR "' />\n";

static const char table_head[] = "<table class='cable'>\n"
                                 "<tr>\n"
                                 "<th>Reference ID</th>\n"
                                 "<th>Created</th>\n"
                                 "<th>Released</th>\n"
                                 "<th>Classification</th>\n"
                                 "<th>Origin</th>\n"
                                 "</tr>\n"
                                 "<tr>\n";

int htmlp_render(struct cx_buf *b, const struct cx_cable *c) {
  int rc = cx_buf_adds(b, page_head);
  /* the canonical id, when it is not the one the reader would compute */
  char *canon = c->id ? cx_canonical_id(c->id) : NULL;
  if (c->id && !canon) return CX_FATAL;
  bool same = canon && c->canonical_id ? !strcmp(canon, c->canonical_id) : canon == c->canonical_id;
  free(canon);
  if (!rc && !same) {
    rc = cx_buf_adds(b, "<meta name='cablex-canonical-id' content='");
    if (!rc) rc = esc(b, c->canonical_id, HTMLP_ATTR);
    if (!rc) rc = cx_buf_adds(b, "' />\n");
  }
  if (!rc) rc = cx_buf_adds(b, "</head>\n<body>\n<div class='main'>\n<div class='pane big'>\n");
  if (!rc) rc = cx_buf_adds(b, "<h3>Viewing cable ");
  if (!rc) rc = esc(b, c->id, HTMLP_TEXT);
  if (!rc) rc = cx_buf_addc(b, ',');
  if (!rc && c->title && c->title[0]) {
    rc = cx_buf_addc(b, ' ');
    if (!rc) rc = esc(b, c->title, HTMLP_TEXT);
  }
  if (!rc) rc = cx_buf_adds(b, "</h3>\n");

  /* the table */
  if (!rc) rc = cx_buf_adds(b, table_head);
  if (!rc) rc = cx_buf_adds(b, "<td>\n");
  if (!rc && c->id) {
    rc = cx_buf_adds(b, "<a href='/cable/");
    if (!rc && is_iso(c->created)) rc = cx_buf_printf(b, "%.4s/%.2s/", c->created, c->created + 5);
    if (!rc) rc = add_slug(b, c->id, strlen(c->id));
    if (!rc) rc = cx_buf_adds(b, ".html'>");
    if (!rc) rc = esc(b, c->id, HTMLP_TEXT);
    if (!rc) rc = cx_buf_adds(b, "</a>\n");
  }
  if (!rc) rc = cx_buf_adds(b, "</td>\n");
  if (!rc) rc = date_cell(b, cx_page_created(c), "date", true);
  if (!rc) rc = date_cell(b, c->released, "reldate", false);
  if (!rc) rc = link_cell(b, c->classification, "classification");
  if (!rc) rc = link_cell(b, c->origin, "origin");
  if (!rc) rc = cx_buf_adds(b, "</tr>\n");
  const struct cx_value *media = cx_value_get(&c->extra, HTMLP_MEDIA_KEY);
  if (!rc && media_ok(media)) {
    rc = cx_buf_adds(b, "<tr>\n<td colspan='5'>\nAppears in these articles:<br />\n");
    for (size_t i = 0; !rc && i < media->n; i++) {
      const char *href = cx_value_get(&media->items[i], "href")->text;
      bool link = href_safe(href); /* else the text alone (encode() warns) */
      if (link) rc = cx_buf_adds(b, "<a href='");
      if (!rc && link) rc = esc(b, href, HTMLP_ATTR);
      if (!rc && link) rc = cx_buf_adds(b, "'>");
      if (!rc) rc = esc(b, cx_value_get(&media->items[i], "text")->text, HTMLP_TEXT);
      if (!rc) rc = cx_buf_adds(b, link ? "</a><br />\n" : "<br />\n");
    }
    if (!rc) rc = cx_buf_adds(b, "</td>\n</tr>\n");
  }
  if (!rc) rc = cx_buf_adds(b, "</table>\n");
  if (rc) return rc;

  /* the telegram */
  size_t hl = c->header_text ? strlen(c->header_text) : 0;
  size_t bl = c->body ? strlen(c->body) : 0;
  char *t = malloc(hl + bl + 1);
  size_t *pos = c->tags.n ? malloc(c->tags.n * sizeof *pos) : NULL;
  if (!t || (c->tags.n && !pos)) {
    free(t);
    free(pos);
    return CX_FATAL;
  }
  if (hl) memcpy(t, c->header_text, hl);
  if (bl) memcpy(t + hl, c->body, bl);
  t[hl + bl] = '\0';
  size_t n = hl + bl;
  bool placed = c->tags.n && place_tags(t, n, &c->tags, pos);
  if (c->tags.n && !placed) {
    rc = cx_buf_adds(b, "<div class='tags'>Tags:");
    for (size_t i = 0; !rc && i < c->tags.n; i++) {
      rc = cx_buf_addc(b, ' ');
      if (!rc) rc = tag_link(b, c->tags.v[i], strlen(c->tags.v[i]), HTMLP_TEXT);
    }
    if (!rc) rc = cx_buf_adds(b, "</div>\n");
  }
  size_t k = 0;
  const size_t *p = placed ? pos : NULL;
  if (!rc && (c->header_text || c->body)) {
    size_t cut = split_at(t, n, hl);
    if (cut < n) {
      rc = pre_part(b, t, 0, cut, &c->tags, p, &k);
      if (!rc) rc = pre_part(b, t, cut + 2, n - 1, &c->tags, p, &k);
    } else {
      rc = pre_part(b, t, 0, n, &c->tags, p, &k);
    }
  }
  free(t);
  free(pos);
  if (!rc) rc = cx_buf_adds(b, "</div>\n</div>\n</body>\n</html>\n");
  return rc;
}

/* One page appended to out, with the warnings about what it cannot hold:
 * writer_write's work without the stream, and writer_encode. */
static int encode(const struct cx_cable *c, struct cx_ctx *ctx, struct cx_buf *out) {
  const char *id = c->id ? c->id : "cable";
  int result = CX_OK;
  int rc = htmlp_render(out, c);
  if (rc == CX_FATAL) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  if (rc) return cx_error(ctx, CX_FAILED, 0, "html: cable %s too large to write", id);

  /* extra fields other than the page's own links have no place in it */
  char dropped[256];
  size_t nd = 0;
  dropped[0] = '\0';
  for (size_t i = 0; i < c->extra.n; i++) {
    const char *key = c->extra.keys[i];
    if (!strcmp(key, HTMLP_MEDIA_KEY) && media_ok(&c->extra.items[i])) continue;
    int m = snprintf(dropped + nd, sizeof dropped - nd, "%s%s", nd ? ", " : "", key);
    if (m > 0) nd = nd + (size_t)m < sizeof dropped ? nd + (size_t)m : sizeof dropped - 1;
  }
  if (nd)
    result = cx_warn(ctx, 0, "html: %s: extra field%s not carried by the html format: %s", id,
                     strchr(dropped, ',') ? "s" : "", dropped);
  const struct cx_value *media = cx_value_get(&c->extra, HTMLP_MEDIA_KEY);
  size_t unsafe = 0;
  for (size_t i = 0; media_ok(media) && i < media->n; i++)
    if (!href_safe(cx_value_get(&media->items[i], "href")->text)) unsafe++;
  if (unsafe)
    result = cx_warn(ctx, 0,
                     "html: %s: %zu link%s of extra.html_media written as text only: only http(s) "
                     "and relative links are written",
                     id, unsafe, unsafe > 1 ? "s" : "");
  if (!c->header_text && !c->body && (c->has_header || c->subject || c->paragraphs.n))
    result = cx_warn(ctx, 0,
                     "html: %s: no telegram text (header_text, body): the page carries only the "
                     "page metadata",
                     id);
  return result;
}

/* Pages need nothing between them: each ends with its </html> line. */
CX_RECORDS_WRITER(htmlp, NULL, encode)
