/* html_reader.c - reads Cablegate cable pages (formats/html.md): the
 * "Viewing cable ID, TITLE" heading, the Reference ID / Created / Released /
 * Classification / Origin table, the "Appears in these articles" links, the
 * tag links and the two <pre> blocks (header, body) that make the telegram.
 * The telegram then goes to the shared parser with the page metadata set.
 *
 * The pages are not well-formed: the <pre> blocks hold the cables' own raw
 * '&' and '<br>' as text.  So this is a scanner for the one template, not
 * an HTML parser: inside a <pre> only the site's links (<a ...>, </a>) are
 * markup, and only references ended by ';' are decoded.
 *
 * One input may hold several pages back to back: a page ends with the line
 * that ends with </html>.  A page is collected in a bounded buffer
 * (max-cable-size); a larger one is CX_FAILED and reading goes on after its
 * </html>, unless none comes within CX_SKIP_MAX bytes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_plugin.h"

#define NPOS ((size_t)-1)

/* ---- scanning helpers ---- */

/* The start of an element <name followed by '>', a blank or '/'. */
static size_t find_tag(const char *s, size_t n, size_t from, const char *name) {
  size_t nl = strlen(name);
  for (size_t i = from; (i = cx_find_ci(s, n, i, name)) != NPOS; i++) {
    if (i + nl >= n) return NPOS;
    char c = s[i + nl];
    if (c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/') return i;
  }
  return NPOS;
}

/* The '>' that ends the tag starting at i, looked for within TAG_MAX bytes
 * (a site tag is short; a stray '<' in text must not make the scan of the
 * rest of the page quadratic), or NPOS. */
#define TAG_MAX 512
static size_t tag_close(const char *t, size_t n, size_t i) {
  size_t room = n - i < TAG_MAX ? n - i : TAG_MAX;
  const char *gt = memchr(t + i, '>', room);
  return gt ? (size_t)(gt - t) : NPOS;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The value of attribute name (quoted with ' or ") in the tag s[0..n), as
 * a span; false when absent. */
static bool attr_value(const char *s, size_t n, const char *name, size_t *vs, size_t *vl) {
  size_t nl = strlen(name);
  for (size_t i = 0; i + nl + 2 < n; i++) {
    if (!is_space(s[i]) || !cx_starts_ci(s + i + 1, n - i - 1, name)) continue;
    size_t j = i + 1 + nl;
    while (j < n && is_space(s[j]))
      j++;
    if (j >= n || s[j] != '=') continue;
    j++;
    while (j < n && is_space(s[j]))
      j++;
    if (j >= n || (s[j] != '\'' && s[j] != '"')) continue;
    const char *q = memchr(s + j + 1, s[j], n - j - 1);
    if (!q) return false;
    *vs = j + 1;
    *vl = (size_t)(q - s) - (j + 1);
    return true;
  }
  return false;
}

/* Appends s[0..n) without its tags, trimmed at both ends, decoded: the text
 * of a cell, heading part or link.  Blanks written as references by the
 * writer survive the trim because it comes before the decoding. */
static int cell_text(struct cx_buf *out, const char *s, size_t n, unsigned *bad) {
  struct cx_buf raw;
  cx_buf_init(&raw, n + 1);
  int rc = CX_OK;
  bool more_gt = true; /* a '>' may still come: a tag can close */
  for (size_t i = 0; i < n && rc == CX_OK;) {
    if (s[i] == '<' && more_gt) {
      const char *gt = memchr(s + i, '>', n - i);
      if (gt) {
        i = (size_t)(gt - s) + 1;
        continue;
      }
      more_gt = false;
    }
    rc = cx_buf_addc(&raw, s[i++]);
  }
  size_t a = 0, b = raw.len;
  while (a < b && is_space(raw.data[a]))
    a++;
  while (b > a && is_space(raw.data[b - 1]))
    b--;
  if (rc == CX_OK && b > a) rc = htmlp_decode(out, raw.data + a, b - a, bad);
  cx_buf_free(&raw);
  return rc;
}

/* *dst = the cell text of s[0..n), NULL when empty. */
static int set_text(char **dst, const char *s, size_t n, unsigned *bad) {
  struct cx_buf b;
  cx_buf_init(&b, n * 4 + 16);
  int rc = cell_text(&b, s, n, bad);
  if (rc == CX_OK) rc = cx_set_n(dst, b.len ? b.data : NULL, b.len);
  cx_buf_free(&b);
  return rc == CX_OK ? CX_OK : CX_FATAL;
}

bool htmlp_page_date(const char *s, char out[20]) {
  size_t n = s ? strlen(s) : 0;
  if (n != 16 && n != 19) return false;
  static const char shape[] = "dddd-dd-dd dd:dd:dd";
  for (size_t i = 0; i < n; i++) {
    if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i]) return false;
  }
  memcpy(out, s, n);
  if (n == 16) memcpy(out + 16, ":00", 3);
  out[10] = 'T';
  out[19] = '\0';
  return true;
}

void htmlp_page_free(struct htmlp_page *p) {
  free(p->id);
  free(p->title);
  free(p->created);
  free(p->released);
  free(p->classification);
  free(p->origin);
  free(p->canonical_id);
  free(p->telegram);
  cx_strv_clear(&p->tags);
  cx_value_clear(&p->media);
  memset(p, 0, sizeof *p);
}

/* ---- the parts of the page ---- */

static int parse_heading(const char *t, size_t len, struct htmlp_page *p, size_t *end) {
  size_t h = cx_find_ci(t, len, 0, "<h3>Viewing cable");
  size_t start = h != NPOS ? h + 4 : cx_find_ci(t, len, 0, "Viewing cable");
  if (start == NPOS) return CX_OK;
  p->has_heading = true;
  p->heading_pos = start;
  start += strlen("Viewing cable");
  size_t stop = cx_find_ci(t, len, start, "</h3>");
  if (stop == NPOS) { /* truncated: up to the end of the line */
    const char *nl = memchr(t + start, '\n', len - start);
    stop = nl ? (size_t)(nl - t) : len;
    *end = stop;
  } else {
    *end = stop + 5;
  }
  const char *comma = memchr(t + start, ',', stop - start);
  size_t id_end = comma ? (size_t)(comma - t) : stop;
  unsigned bad = 0;
  if (set_text(&p->id, t + start, id_end - start, &bad)) return CX_FATAL;
  if (comma && set_text(&p->title, comma + 1, stop - id_end - 1, &bad)) return CX_FATAL;
  p->bad_refs += bad;
  return CX_OK;
}

enum column { COL_NONE, COL_ID, COL_CREATED, COL_RELEASED, COL_CLASS, COL_ORIGIN };

static enum column column_of(const char *label) {
  static const struct {
    const char *label;
    enum column col;
  } cols[] = {{"Reference ID", COL_ID},
              {"Created", COL_CREATED},
              {"Released", COL_RELEASED},
              {"Classification", COL_CLASS},
              {"Origin", COL_ORIGIN}};
  for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
    if (label && !strcmp(label, cols[i].label)) return cols[i].col;
  return COL_NONE;
}

/* The links of an "Appears in these articles" cell. */
static int parse_media(const char *t, size_t n, struct htmlp_page *p) {
  for (size_t i = 0; (i = find_tag(t, n, i, "<a")) != NPOS;) {
    size_t te = tag_close(t, n, i), vs, vl;
    if (te == NPOS) {
      i++;
      continue;
    }
    size_t close = cx_find_ci(t, n, te, "</a>");
    if (close == NPOS) close = n; /* the last link: the loop ends there */
    if (p->media.kind != CX_VALUE_ARRAY) p->media.kind = CX_VALUE_ARRAY;
    struct cx_value *o = cx_value_append(&p->media);
    if (!o) return CX_FATAL;
    o->kind = CX_VALUE_OBJECT;
    struct cx_value *href = cx_value_put_new(o, "href");
    char *s = NULL;
    if (!href) return CX_FATAL;
    if (attr_value(t + i, te - i, "href", &vs, &vl)) {
      if (set_text(&s, t + i + vs, vl, &p->bad_refs)) return CX_FATAL;
    }
    if (cx_value_set_text(href, CX_VALUE_STRING, s ? s : "", s ? strlen(s) : 0)) goto oom;
    free(s);
    s = NULL;
    struct cx_value *text = cx_value_put_new(o, "text");
    if (!text || set_text(&s, t + te + 1, close - te - 1, &p->bad_refs)) goto oom;
    if (cx_value_set_text(text, CX_VALUE_STRING, s ? s : "", s ? strlen(s) : 0)) goto oom;
    free(s);
    i = close;
    continue;
  oom:
    free(s);
    return CX_FATAL;
  }
  return CX_OK;
}

/* The next cell boundary from i on: <td, <th, </td or </th (whichever
 * comes first), or NPOS.  One pass, so that a table costs its length. */
static size_t next_cell_mark(const char *t, size_t n, size_t i, bool starts_only) {
  for (; i < n; i++) {
    const char *lt = memchr(t + i, '<', n - i);
    if (!lt) return NPOS;
    i = (size_t)(lt - t);
    size_t k = i + 1;
    if (!starts_only && k < n && t[k] == '/') k++;
    if (k + 2 <= n && (t[k] | 0x20) == 't' &&
        ((t[k + 1] | 0x20) == 'd' || (t[k + 1] | 0x20) == 'h') &&
        (k + 2 == n || t[k + 2] == '>' || is_space(t[k + 2])))
      return i;
  }
  return NPOS;
}

/* The last "<table" in t[from..to), or NPOS. */
static size_t last_table(const char *t, size_t from, size_t to) {
  for (size_t i = to; i > from; i--)
    if (i - 1 + 6 <= to && cx_starts_ci(t + i - 1, to - (i - 1), "<table")) return i - 1;
  return NPOS;
}

static int parse_table(const char *t, size_t len, size_t from, struct htmlp_page *p, size_t *end) {
  /* the help text above says "reference ID" too: the label has capitals */
  size_t at = cx_find(t, len, from, "Reference ID");
  size_t tb = at == NPOS ? NPOS : last_table(t, from, at);
  if (tb == NPOS) return CX_OK;
  p->has_table = true;
  p->table_pos = tb;
  /* a table not closed ends where the telegram starts */
  size_t te = cx_find_ci(t, len, at, "</table>");
  size_t pre = te == NPOS ? find_tag(t, len, at, "<pre") : NPOS;
  size_t lim = te != NPOS ? te : pre != NPOS ? pre : len;
  *end = te == NPOS ? lim : te + 8;

  enum column cols[16];
  size_t ncols = 0;
  bool have_values = false;
  for (size_t r = find_tag(t, lim, tb, "<tr"); r != NPOS;) {
    size_t next = find_tag(t, lim, r + 3, "<tr");
    size_t re = cx_find_ci(t, next == NPOS ? lim : next, r, "</tr>");
    if (re == NPOS) re = next == NPOS ? lim : next;
    size_t first = next_cell_mark(t, re, r + 3, true);
    bool header = first != NPOS && (t[first + 2] | 0x20) == 'h';
    size_t col = 0;
    for (size_t c = r + 3; c < re; col++) {
      size_t cs = next_cell_mark(t, re, c, true);
      if (cs == NPOS) break;
      size_t gt = tag_close(t, re, cs);
      if (gt == NPOS) break;
      size_t body = gt + 1;
      size_t ce = next_cell_mark(t, re, body, false);
      if (ce == NPOS) ce = re;
      size_t vs, vl;
      if (header) {
        char *label = NULL;
        unsigned bad = 0;
        if (set_text(&label, t + body, ce - body, &bad)) return CX_FATAL;
        if (ncols < sizeof cols / sizeof *cols) cols[ncols++] = column_of(label);
        free(label);
      } else if (attr_value(t + cs, body - cs, "colspan", &vs, &vl)) {
        if (cx_find_ci(t, ce, body, "Appears in") != NPOS && parse_media(t + body, ce - body, p))
          return CX_FATAL;
      } else if (!have_values && col < ncols) {
        char **dst = NULL;
        switch (cols[col]) {
        case COL_ID:
          dst = &p->id;
          break;
        case COL_CREATED:
          dst = &p->created;
          break;
        case COL_RELEASED:
          dst = &p->released;
          break;
        case COL_CLASS:
          dst = &p->classification;
          break;
        case COL_ORIGIN:
          dst = &p->origin;
          break;
        case COL_NONE:
          break;
        }
        if (dst) { /* an empty id cell leaves the heading's id */
          char *v = NULL;
          if (set_text(&v, t + body, ce - body, &p->bad_refs)) return CX_FATAL;
          if (v) {
            free(*dst);
            *dst = v;
          }
        }
      }
      c = ce;
    }
    if (!header && ncols && col > 1) have_values = true;
    r = next;
  }
  /* dates in ISO form; one that is not a page date is reported by the
   * reader and dropped, on a cablex page too (the model holds ISO dates only) */
  char iso[20];
  if (p->created && htmlp_page_date(p->created, iso)) {
    if (cx_set(&p->created, iso)) return CX_FATAL;
  } else if (p->created) {
    p->created_bad = true;
  }
  if (p->released && htmlp_page_date(p->released, iso)) {
    if (cx_set(&p->released, iso)) return CX_FATAL;
  } else if (p->released) {
    p->released_bad = true;
  }
  return CX_OK;
}

/* The tag links <a href='/tag/...'>TAG</a> from pos on, in page order. */
static int parse_tags(const char *t, size_t len, size_t pos, struct htmlp_page *p) {
  for (size_t i = pos; (i = find_tag(t, len, i, "<a")) != NPOS; i++) {
    size_t te = tag_close(t, len, i), vs, vl;
    if (te == NPOS) continue;
    if (!attr_value(t + i, te - i, "href", &vs, &vl) || vl < 5 || memcmp(t + i + vs, "/tag/", 5))
      continue;
    size_t close = cx_find_ci(t, len, te, "</a>");
    if (close == NPOS) break;
    struct cx_buf b;
    cx_buf_init(&b, (close - te) * 4 + 16);
    int rc = cell_text(&b, t + te + 1, close - te - 1, &p->bad_refs);
    if (rc == CX_OK && b.len) rc = cx_strv_push_n(&p->tags, b.data, b.len);
    cx_buf_free(&b);
    if (rc) return CX_FATAL;
    i = close;
  }
  return CX_OK;
}

#define ANCHOR_TEXT_MAX 24 /* ">¶</a>" and some room */

/* Appends the text of a <pre> block: the site's links are markup (a
 * paragraph anchor <a id='parN' ...>¶</a> goes away whole, any other <a>
 * leaves its text), every other byte is text, references are decoded. */
static int decode_pre(struct cx_buf *out, const char *s, size_t n, unsigned *bad) {
  unsigned open = 0;
  size_t i = 0;
  while (i < n) {
    size_t run = (size_t)(cx_scan_any3(s + i, s + n, '<', '&', '&') - s);
    if (run > i && cx_buf_add(out, s + i, run - i) != CX_OK) return CX_FAILED;
    i = run;
    if (i >= n) break;
    if (s[i] == '&') {
      char u[8];
      size_t ul;
      bool b = false;
      size_t used = htmlp_entity(s + i, n - i, u, &ul, &b);
      if (b) (*bad)++;
      if (used ? cx_buf_add(out, u, ul) : cx_buf_addc(out, '&')) return CX_FAILED;
      i += used ? used : 1;
      continue;
    }
    /* a site link: "<a " and a short tag with href or id (a cable's own
     * "<A ..." text stays text) */
    if (n - i > 3 && !memcmp(s + i, "<a ", 3)) {
      size_t te = tag_close(s, n, i), vs, vl;
      bool gt = te != NPOS;
      bool id = gt && attr_value(s + i, te - i, "id", &vs, &vl);
      bool par = id && vl >= 3 && !memcmp(s + i + vs, "par", 3);
      bool href = gt && attr_value(s + i, te - i, "href", &vs, &vl);
      if (href && vl >= 4 && !memcmp(s + i + vs, "#par", 4)) par = true;
      if (par) { /* the paragraph anchor goes away whole: <a ...>¶</a> */
        size_t lim = n - te < ANCHOR_TEXT_MAX ? n : te + ANCHOR_TEXT_MAX;
        size_t close = cx_find_ci(s, lim, te, "</a>");
        if (close != NPOS) {
          i = close + 4;
          continue;
        }
      }
      if (id || href) {
        open++;
        i = te + 1;
        continue;
      }
    }
    if (open && n - i >= 4 && !memcmp(s + i, "</a>", 4)) {
      open--;
      i += 4;
      continue;
    }
    if (cx_buf_addc(out, '<') != CX_OK) return CX_FAILED;
    i++;
  }
  return CX_OK;
}

static int parse_pres(const char *t, size_t len, size_t from, size_t max, struct htmlp_page *p) {
  struct cx_buf tel;
  cx_buf_init(&tel, max);
  int rc = CX_OK;
  for (size_t i = from; (i = find_tag(t, len, i, "<pre")) != NPOS;) {
    size_t gt = tag_close(t, len, i);
    if (gt == NPOS) {
      i += 4;
      continue;
    }
    size_t body = gt + 1;
    size_t end = cx_find_ci(t, len, body, "</pre>");
    p->npre++;
    if (p->npre == 1) p->pre_pos = i;
    if (p->npre == 2) p->body_pos = i;
    if (p->npre <= 2) {
      if (p->npre == 2) {
        rc = cx_buf_adds(&tel, "\n\n");
        p->body_off = tel.len;
      }
      if (rc == CX_OK)
        rc = decode_pre(&tel, t + body, (end == NPOS ? len : end) - body, &p->bad_refs);
      if (rc != CX_OK) break;
    }
    if (end == NPOS) {
      p->pre_open = true;
      break;
    }
    i = end + 6;
  }
  if (rc == CX_OK && p->npre >= 2) rc = cx_buf_addc(&tel, '\n');
  if (rc != CX_OK) {
    cx_buf_free(&tel);
    return CX_FAILED;
  }
  if (p->npre) {
    size_t n;
    if (!tel.data) {
      p->telegram = calloc(1, 1);
      if (!p->telegram) return CX_FATAL;
      p->telegram_len = 0;
    } else {
      p->telegram = cx_buf_detach(&tel, &n);
      p->telegram_len = n;
    }
  }
  cx_buf_free(&tel);
  return CX_OK;
}

/* where a page without </head> is looked at for the generator mark */
#define HEAD_MAX 4096

int htmlp_page_parse(const char *t, size_t len, size_t max, struct htmlp_page *p) {
  memset(p, 0, sizeof *p);
  size_t pos = 0;
  p->heading_pos = p->table_pos = p->pre_pos = p->body_pos = NPOS;
  /* the marks of a cablex page are in its <head>, never in the text */
  size_t head_end = cx_find_ci(t, len, 0, "</head>");
  size_t hn = head_end != NPOS ? head_end : len < HEAD_MAX ? len : HEAD_MAX;
  static const char canon[] = "<meta name='cablex-canonical-id' content='";
  if (cx_find_ci(t, hn, 0, "<meta name='generator' content='" HTMLP_GENERATOR "'") != NPOS) {
    p->cablex = true;
    size_t cm = cx_find_ci(t, hn, 0, canon);
    if (cm != NPOS) {
      size_t vs = cm + sizeof canon - 1;
      const char *q = memchr(t + vs, '\'', hn - vs);
      p->has_canonical = true;
      if (q && set_text(&p->canonical_id, t + vs, (size_t)(q - t) - vs, &p->bad_refs)) goto oom;
    }
  }
  if (parse_heading(t, len, p, &pos)) goto oom;
  size_t after_heading = pos;
  if (parse_table(t, len, pos, p, &pos)) goto oom;
  if (p->has_heading || p->has_table) {
    if (parse_tags(t, len, after_heading, p)) goto oom;
  }
  int rc = parse_pres(t, len, pos, max, p);
  if (rc == CX_FATAL) goto oom;
  if (rc == CX_FAILED) {
    /* the telegram outgrew max: reported by the reader */
    p->telegram_len = (size_t)-1;
  }
  return CX_OK;
oom:
  htmlp_page_free(p);
  return CX_FATAL;
}

/* ---- the reader ---- */

struct html_reader {
  struct cx_line_reader lr; /* lr.rec: the page */
  bool ended;               /* the last page collected ended with </html> */
};

int htmlp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                      void **state) {
  return cx_line_reader_open(sizeof(struct html_reader), in, opts, ctx, state);
}

void htmlp_reader_close(void *state) {
  cx_line_reader_close(state);
}

static bool ends_page(const struct cx_buf *l) {
  size_t n = l->len;
  while (n && is_space(l->data[n - 1]))
    n--;
  return n >= 7 && cx_starts_ci(l->data + n - 7, 7, "</html>");
}

/* Collects the next page into r->lr.rec.  Returns CX_OK, CX_EOF, CX_FAILED
 * (too big; *size holds the bytes seen) or a stream error. */
static int collect(struct html_reader *r, unsigned long *start, size_t *size) {
  struct cx_rec_lines *st = &r->lr.rl;
  for (;;) {
    cx_rec_lines_start(st);
    cx_buf_reset(&r->lr.rec);
    *start = st->lines + 1;
    r->ended = false;
    for (;;) {
      int rc = cx_rec_lines_next(r->lr.in, st, &r->lr.line);
      if (rc == CX_EOF) {
        r->lr.eof = true;
        break;
      }
      if (rc < 0) return rc;
      bool blank = true;
      for (size_t i = 0; i < r->lr.line.len && blank; i++)
        blank = is_space(r->lr.line.data[i]);
      if (!st->any && blank) { /* blank lines between pages */
        *start = st->lines + 1;
        continue;
      }
      cx_rec_lines_add(st, &r->lr.rec, &r->lr.line);
      if (ends_page(&r->lr.line)) {
        r->ended = true;
        break;
      }
    }
    *size = st->total;
    if (st->overflow) return CX_FAILED;
    if (st->any) return CX_OK;
    if (r->lr.eof) return CX_EOF;
  }
}

static unsigned long line_of(const char *t, size_t pos, unsigned long start) {
  unsigned long line = start;
  for (size_t i = 0; i < pos; i++)
    if (t[i] == '\n') line++;
  return line;
}

/* The corrupted wikileaks.ch pages (07BERN881): the body <pre> holds a
 * database row, "YYYY-MM-DD HH:MM:SS<TAB>ID<TAB>...", with every newline
 * escaped by a backslash. */
static bool looks_like_db_row(const char *tel, size_t len, size_t body) {
  static const char shape[] = "dddd-dd-dd dd:dd:dd\t";
  if (body == NPOS || len - body < sizeof shape - 1) return false;
  for (size_t i = 0; i < sizeof shape - 1; i++) {
    char c = tel[body + i];
    if (shape[i] == 'd' ? !isdigit((unsigned char)c) : c != shape[i]) return false;
  }
  return true;
}

/* Moves *src into *dst (both strings). */
static void move_str(char **dst, char **src) {
  free(*dst);
  *dst = *src;
  *src = NULL;
}

/* The next page in r->lr.rec, its BOM dropped and its invalid UTF-8
 * replaced: CX_OK with *text, *len, *start and *result (CX_WARN when it was
 * repaired), CX_EOF, or a failure on ctx. */
static int next_page(struct html_reader *r, struct cx_ctx *ctx, char **text_out, size_t *len_out,
                     unsigned long *start_out, int *result_out) {
  unsigned long start = 0;
  size_t size = 0;
  if (r->lr.eof) return CX_EOF;
  int rc = collect(r, &start, &size);
  if (rc == CX_EOF) return CX_EOF;
  if (rc == CX_FAILED && r->lr.rl.gave_up)
    return cx_error(ctx, CX_FAILED, start,
                    "html: page of at least %zu bytes is larger than max-cable-size (%zu bytes) "
                    "and has no </html> within %zu MiB more: rest of the input not read",
                    size, r->lr.max, CX_SKIP_MAX >> 20);
  if (rc == CX_FAILED)
    return cx_error(ctx, CX_FAILED, start,
                    "html: page of %s%zu bytes is larger than max-cable-size (%zu bytes)",
                    r->lr.rl.cut ? "more than " : "", size, r->lr.max);
  if (rc < 0) return rc;

  int result = CX_OK;
  char *text = r->lr.rec.data;
  size_t len = r->lr.rec.len;
  if (r->lr.first && len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
    memmove(text, text + 3, len - 3);
    len = r->lr.rec.len -= 3;
    text[len] = '\0';
  }
  r->lr.first = false;
  const char *nul = memchr(text, '\0', len);
  if (nul)
    return cx_error(ctx, CX_FAILED, line_of(text, (size_t)(nul - text), start),
                    "html: NUL byte in the page: not a cable page");
  unsigned long bad_line;
  size_t bad = cx_buf_fix_utf8(&r->lr.rec, &bad_line);
  if (bad == (size_t)-1)
    return cx_error(ctx, CX_FAILED, start,
                    "html: page too large for max-cable-size (%zu bytes) once its invalid UTF-8 "
                    "bytes are replaced",
                    r->lr.max);
  if (bad) {
    result = cx_warn(ctx, start + bad_line - 1,
                     "html: %zu byte%s of invalid UTF-8 replaced by U+FFFD (first on this line)",
                     bad, bad == 1 ? "" : "s");
    text = r->lr.rec.data;
    len = r->lr.rec.len;
  }
  *text_out = text;
  *len_out = len;
  *start_out = start;
  *result_out = result;
  return CX_OK;
}

/* The warnings of a page that does not quite fit the layout (the cable is
 * kept): the last one's code, or result. */
static int page_warnings(const struct html_reader *r, struct cx_ctx *ctx, struct htmlp_page *p,
                         const char *text, size_t len, unsigned long start, unsigned long pre_line,
                         int result) {
  if (!p->has_heading && !p->cablex)
    result = cx_warn(ctx, start, "html: no \"Viewing cable\" heading");
  if (!p->has_table)
    result = cx_warn(ctx, p->has_heading ? line_of(text, p->heading_pos, start) : start,
                     "html: no Reference ID / Created / Released / Classification / Origin table");
  else if (!p->id && !p->cablex)
    result =
        cx_warn(ctx, line_of(text, p->table_pos, start), "html: the table has no Reference ID");
  if (p->created_bad) {
    result = cx_warn(ctx, line_of(text, p->table_pos, start),
                     "html: Created value \"%s\" is not a date (YYYY-MM-DD HH:MM)", p->created);
    free(p->created);
    p->created = NULL;
  }
  if (p->released_bad) {
    result = cx_warn(ctx, line_of(text, p->table_pos, start),
                     "html: Released value \"%s\" is not a date (YYYY-MM-DD HH:MM)", p->released);
    free(p->released);
    p->released = NULL;
  }
  if (p->pre_open)
    result = cx_warn(ctx, line_of(text, p->npre >= 2 ? p->body_pos : p->pre_pos, start),
                     "html: <pre> block not closed: the page is truncated; telegram read up to "
                     "its end");
  else if (!r->ended)
    result = cx_warn(ctx, line_of(text, len, start),
                     "html: page ends without </html>: the file may be truncated");
  if (!p->npre && !p->cablex)
    result = cx_warn(ctx, start, "html: no <pre> telegram: the cable has only the page metadata");
  else if (p->npre == 1 && !p->cablex && !p->pre_open)
    result = cx_warn(ctx, pre_line,
                     "html: one <pre> block where a page has two (header, body): it is taken "
                     "as the whole telegram");
  else if (p->npre > 2)
    result = cx_warn(ctx, line_of(text, p->body_pos, start),
                     "html: %u <pre> blocks; only the first two (header, body) are the telegram",
                     p->npre);
  if (p->npre >= 2 && looks_like_db_row(p->telegram, p->telegram_len, p->body_off))
    result = cx_warn(ctx, line_of(text, p->body_pos, start),
                     "html: the body <pre> holds a database row (tab-separated fields, newlines "
                     "escaped by backslashes): the page is corrupt; its text is kept as found");
  if (p->bad_refs)
    result = cx_warn(ctx, start,
                     "html: %u numeric character reference%s to no character replaced by U+FFFD",
                     p->bad_refs, p->bad_refs == 1 ? "" : "s");

  return result;
}

int htmlp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct html_reader *r = state;
  *cable = NULL;
  if (r->lr.eof) return CX_EOF;
  char *text = NULL;
  size_t len = 0;
  unsigned long start = 0;
  int result = CX_OK, rc = next_page(r, ctx, &text, &len, &start, &result);
  if (rc != CX_OK) return rc;

  struct htmlp_page p;
  if (htmlp_page_parse(text, len, r->lr.max, &p) != CX_OK)
    return cx_error(ctx, CX_FATAL, start, "out of memory");
  if (!p.has_heading && !p.has_table && !p.npre) {
    htmlp_page_free(&p);
    return cx_error(ctx, CX_FAILED, start,
                    "html: not a cable page (no \"Viewing cable\" heading, no Reference ID table, "
                    "no <pre> telegram)%s",
                    r->ended ? "" : "; it ends without </html>: truncated before its heading?");
  }
  unsigned long pre_line = p.pre_pos != NPOS ? line_of(text, p.pre_pos, start) : start;
  if (p.telegram_len == (size_t)-1) {
    htmlp_page_free(&p);
    return cx_error(ctx, CX_FAILED, pre_line,
                    "html: telegram larger than max-cable-size (%zu bytes)", r->lr.max);
  }
  /* a page cablex wrote of a cable with neither is that cable, empty */
  if (!p.npre && !p.id && !p.cablex) {
    htmlp_page_free(&p);
    return cx_error(ctx, CX_FAILED, start,
                    "html: page has neither a reference id nor a <pre> telegram: nothing to read");
  }
  result = page_warnings(r, ctx, &p, text, len, start, pre_line, result);

  struct cx_cable *c = cx_cable_new();
  if (!c) {
    htmlp_page_free(&p);
    return cx_error(ctx, CX_FATAL, start, "out of memory");
  }
  bool id_null = !p.id, created_null = !p.created, class_null = !p.classification;
  bool no_tags = !p.tags.n;
  move_str(&c->id, &p.id);
  move_str(&c->created, &p.created);
  move_str(&c->released, &p.released);
  move_str(&c->classification, &p.classification);
  move_str(&c->origin, &p.origin);
  move_str(&c->title, &p.title);
  c->tags = p.tags;
  memset(&p.tags, 0, sizeof p.tags);
  if (p.media.kind == CX_VALUE_ARRAY) {
    struct cx_value *v = cx_value_put(&c->extra, HTMLP_MEDIA_KEY);
    if (!v) goto oom;
    *v = p.media;
    memset(&p.media, 0, sizeof p.media);
  }
  if (p.npre) {
    rc = cx_telegram_parse(c, p.telegram, p.telegram_len, pre_line, ctx);
    if (rc == CX_FAILED || rc == CX_FATAL) {
      htmlp_page_free(&p);
      cx_cable_free(c);
      return rc;
    }
    if (rc == CX_WARN) result = CX_WARN;
  } else if (c->id) {
    c->canonical_id = cx_canonical_id(c->id);
    if (!c->canonical_id) goto oom;
  }
  if (p.cablex) {
    /* the page cablex wrote says it all: what it left empty stays empty */
    if (id_null) cx_set(&c->id, NULL);
    if (created_null) cx_set(&c->created, NULL);
    if (class_null) cx_set(&c->classification, NULL);
    if (no_tags) cx_strv_clear(&c->tags);
    free(c->canonical_id);
    c->canonical_id = NULL;
    if (p.has_canonical)
      move_str(&c->canonical_id, &p.canonical_id);
    else if (c->id && !(c->canonical_id = cx_canonical_id(c->id)))
      goto oom;
  }
  htmlp_page_free(&p);
  *cable = c;
  return result;
oom:
  htmlp_page_free(&p);
  cx_cable_free(c);
  return cx_error(ctx, CX_FATAL, start, "out of memory");
}
