/* raw_page.c - the web-page metadata block of the raw seed layout
 * (formats/raw.md): parsing, rendering, and the checks both directions
 * share (UTF-8 repair, sizes). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "raw_plugin.h"

#define NBSP "\xc2\xa0"

struct span {
  const char *s;
  size_t n;
};

static struct span line_at(const char *text, size_t len, size_t pos, size_t *next) {
  const char *nl = memchr(text + pos, '\n', len - pos);
  size_t end = nl ? (size_t)(nl - text) : len;
  *next = nl ? end + 1 : len;
  struct span l = {text + pos, end - pos};
  if (l.n && l.s[l.n - 1] == '\r') l.n--;
  return l;
}

static bool is_nbsp(const char *s, size_t n) {
  return n >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0;
}

/* Trims ASCII blanks and NBSPs at both ends. */
static struct span trim(struct span l) {
  for (;;) {
    if (l.n && (l.s[0] == ' ' || l.s[0] == '\t' || l.s[0] == '\r')) {
      l.s++;
      l.n--;
    } else if (is_nbsp(l.s, l.n)) {
      l.s += 2;
      l.n -= 2;
    } else {
      break;
    }
  }
  for (;;) {
    if (l.n && (l.s[l.n - 1] == ' ' || l.s[l.n - 1] == '\t' || l.s[l.n - 1] == '\r'))
      l.n--;
    else if (l.n >= 2 && is_nbsp(l.s + l.n - 2, 2))
      l.n -= 2;
    else
      break;
  }
  return l;
}

static bool span_is(struct span l, const char *w) {
  l = trim(l);
  return l.n == strlen(w) && !memcmp(l.s, w, l.n);
}

static bool span_starts(struct span l, const char *w) {
  size_t n = strlen(w);
  return l.n >= n && !memcmp(l.s, w, n);
}

/* Sets *dst to the trimmed value, or NULL when it is empty. */
static int set_value(char **dst, struct span l) {
  l = trim(l);
  return cx_set_n(dst, l.n ? l.s : NULL, l.n);
}

/* "2006-08-28 11:38:00" or "2006-08-28 11:38" -> "2006-08-28T11:38:00". */
static bool page_date_to_iso(struct span v, char out[20]) {
  v = trim(v);
  if (v.n != 16 && v.n != 19) return false;
  static const char shape[] = "dddd-dd-dd dd:dd:dd";
  for (size_t i = 0; i < v.n; i++) {
    char want = shape[i];
    if (want == 'd' ? !isdigit((unsigned char)v.s[i]) : v.s[i] != want) {
      if (!(i == 10 && v.s[i] == 'T')) return false;
    }
  }
  memcpy(out, v.s, v.n);
  if (v.n == 16) memcpy(out + 16, ":00", 3);
  out[10] = 'T';
  out[19] = '\0';
  return true;
}

/* Tags separated by NBSPs (spaces inside a tag are kept), or, in the
 * plain-space layout, by blanks with a parenthesised part kept with the tag
 * before it: "OVIP (STEINBERG, JAMES B.)". */
static int parse_tags(struct span l, struct cx_strv *tags) {
  bool nbsp = false;
  for (size_t i = 0; i + 1 < l.n; i++)
    if (is_nbsp(l.s + i, 2)) nbsp = true;
  size_t i = 0;
  if (nbsp) {
    while (i < l.n) {
      size_t j = i;
      while (j < l.n && !is_nbsp(l.s + j, l.n - j))
        j++;
      struct span t = trim((struct span){l.s + i, j - i});
      if (t.n && cx_strv_push_n(tags, t.s, t.n)) return CX_FATAL;
      i = j < l.n ? j + 2 : j;
    }
    return CX_OK;
  }
  int depth = 0;
  while (i < l.n) {
    while (i < l.n && (l.s[i] == ' ' || l.s[i] == '\t'))
      i++;
    size_t j = i;
    while (j < l.n && l.s[j] != ' ' && l.s[j] != '\t')
      j++;
    if (j == i) break;
    struct span t = {l.s + i, j - i};
    if ((depth > 0 || t.s[0] == '(') && tags->n) {
      /* glue to the previous tag with one space */
      char *prev = tags->v[tags->n - 1];
      size_t pl = strlen(prev);
      char *p = realloc(prev, pl + 1 + t.n + 1);
      if (!p) return CX_FATAL;
      p[pl] = ' ';
      memcpy(p + pl + 1, t.s, t.n);
      p[pl + 1 + t.n] = '\0';
      tags->v[tags->n - 1] = p;
    } else if (cx_strv_push_n(tags, t.s, t.n)) {
      return CX_FATAL;
    }
    for (size_t k = 0; k < t.n; k++)
      depth += t.s[k] == '(' ? 1 : t.s[k] == ')' ? -1 : 0;
    if (depth < 0) depth = 0;
    i = j;
  }
  return CX_OK;
}

#define TITLE_MAX_LINES 200

int rawp_parse(const char *text, size_t len, struct rawp *p, struct cx_cable *c) {
  static const char *const labels[] = {"Identifier", "Created", "Classification", "Origin"};
  struct span v[4];
  size_t pos = 0, next;
  memset(p, 0, sizeof *p);
  for (int i = 0; i < 4; i++) {
    if (pos >= len || !span_is(line_at(text, len, pos, &next), labels[i])) return 0;
    pos = next;
  }
  for (int i = 0; i < 4; i++) {
    if (pos >= len) return 0;
    v[i] = line_at(text, len, pos, &next);
    pos = next;
  }
  if (pos >= len) return 0;
  struct span tl = line_at(text, len, pos, &next);
  if (!span_starts(tl, "Cable title:")) return 0;
  struct span inline_title = trim((struct span){tl.s + 12, tl.n - 12});
  pos = next;
  unsigned long lines = 9;
  /* the title runs up to the Tags line, between two blank lines */
  size_t title_start = pos, title_end = pos, tags_pos = 0;
  struct span tags_line = {0, 0};
  for (int k = 0; pos < len && k < TITLE_MAX_LINES; k++) {
    struct span l = line_at(text, len, pos, &next);
    if (span_starts(l, "Tags:")) {
      tags_line = l;
      tags_pos = pos;
      break;
    }
    pos = next;
  }
  if (!tags_line.s) return 0;
  title_end = tags_pos;
  for (size_t q = title_start; q < tags_pos; q = next) {
    line_at(text, len, q, &next);
    lines++;
  }
  pos = tags_pos;
  line_at(text, len, pos, &next);
  pos = next;
  lines++;
  /* the stray "pdf how-to read a cable" line, when present */
  if (pos < len) {
    struct span l = line_at(text, len, pos, &next);
    if (span_starts(l, "pdf")) {
      struct span r = trim((struct span){l.s + 3, l.n - 3});
      if (span_is(r, "how-to read a cable") && r.s > l.s + 3) {
        pos = next;
        lines++;
      }
    }
  }
  p->len = pos;
  p->lines = lines;

  if (set_value(&c->id, v[0]) || set_value(&c->classification, v[2]) || set_value(&c->origin, v[3]))
    return CX_FATAL;
  char iso[20];
  if (page_date_to_iso(v[1], iso)) {
    if (cx_set(&c->created, iso)) return CX_FATAL;
  } else if (trim(v[1]).n) {
    p->created_bad = true;
  }
  /* title: drop the blank line after "Cable title:" and the one before
   * "Tags:"; lines in between are kept as they are */
  size_t ts = title_start, te = title_end;
  struct span first = line_at(text, len, ts, &next);
  if (ts < te && !trim(first).n) ts = next;
  if (te > ts) {
    /* the last line before Tags: */
    size_t q = ts, last = ts;
    while (q < te) {
      last = q;
      line_at(text, len, q, &next);
      q = next;
    }
    struct span l = line_at(text, len, last, &next);
    if (!trim(l).n) te = last;
  }
  if (te > ts) {
    size_t n = te - ts;
    while (n && (text[ts + n - 1] == '\n' || text[ts + n - 1] == '\r'))
      n--;
    if (n && cx_set_n(&c->title, text + ts, n)) return CX_FATAL;
  } else if (inline_title.n) {
    if (cx_set_n(&c->title, inline_title.s, inline_title.n)) return CX_FATAL;
  }
  if (parse_tags((struct span){tags_line.s + 5, tags_line.n - 5}, &c->tags)) return CX_FATAL;
  return 1;
}

/* Appends s with newlines turned into spaces: one value, one line. */
static int add_oneline(struct cx_buf *out, const char *s) {
  int rc = CX_OK;
  for (; s && *s && rc == CX_OK; s++)
    rc = cx_buf_addc(out, *s == '\n' || *s == '\r' ? ' ' : *s);
  return rc;
}

int rawp_render(struct cx_buf *out, const struct cx_cable *c) {
  int rc = cx_buf_adds(out, "Identifier\nCreated\nClassification\nOrigin\n");
  if (!rc) rc = add_oneline(out, c->id);
  if (!rc) rc = cx_buf_addc(out, '\n');
  const char *created = cx_page_created(c);
  if (!rc && created) {
    char d[64];
    size_t n = strlen(created);
    if (n >= sizeof d) n = sizeof d - 1;
    memcpy(d, created, n);
    d[n] = '\0';
    if (n > 10 && d[10] == 'T') d[10] = ' ';
    rc = add_oneline(out, d);
  }
  if (!rc) rc = cx_buf_addc(out, '\n');
  if (!rc) rc = add_oneline(out, c->classification);
  if (!rc) rc = cx_buf_addc(out, '\n');
  if (!rc) rc = add_oneline(out, c->origin);
  if (!rc) rc = cx_buf_adds(out, "\nCable title:" NBSP NBSP "\n\n");
  if (!rc && c->title) rc = cx_buf_adds(out, c->title);
  if (!rc) rc = cx_buf_adds(out, "\n\nTags:" NBSP);
  for (size_t i = 0; !rc && i < c->tags.n; i++) {
    rc = cx_buf_adds(out, NBSP);
    if (!rc) rc = add_oneline(out, c->tags.v[i]);
  }
  if (!rc) rc = cx_buf_adds(out, NBSP "\npdf" NBSP "how-to read a cable\n");
  return rc;
}

static bool str_eq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return !strcmp(a, b);
}

bool rawp_agrees(const struct rawp *p, const struct cx_cable *page, const struct cx_cable *c) {
  if (!str_eq(page->id, c->id) || !str_eq(page->created, cx_page_created(c)) ||
      !str_eq(page->classification, c->classification) || !str_eq(page->origin, c->origin) ||
      !str_eq(page->title, c->title) || p->created_bad)
    return false;
  if (page->tags.n) {
    if (page->tags.n != c->tags.n) return false;
    for (size_t i = 0; i < page->tags.n; i++)
      if (strcmp(page->tags.v[i], c->tags.v[i])) return false;
  }
  return true;
}
