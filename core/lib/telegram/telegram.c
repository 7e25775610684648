/* telegram.c - cx_telegram_parse: splits a telegram into header and body,
 * has both parsed, and derives what the page metadata did not give (id,
 * created, classification, origin) from the banner, the DTG and the FM
 * line. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/telegram.h"
#include "stations.h"
#include "telegram_internal.h"
#include "text.h"

/* w in upper case (ASCII: cablex never calls setlocale(), so toupper() is
 * to_upper()). */
static bool contains_ci(struct span l, const char *w) {
  size_t n = strlen(w);
  if (!n) return true;
  for (size_t i = 0; i + n <= l.n; i++) {
    if (to_upper((unsigned char)l.s[i]) != (unsigned char)w[0]) continue;
    size_t j = 1;
    while (j < n && to_upper((unsigned char)l.s[i + j]) == (unsigned char)w[j])
      j++;
    if (j == n) return true;
  }
  return false;
}

/* The two digits at p as a number, or -1. */
static int two_digits(const char *p) {
  return is_digit((unsigned char)p[0]) && is_digit((unsigned char)p[1])
             ? (p[0] - '0') * 10 + (p[1] - '0')
             : -1;
}

/* Writes v (0..99) as two digits at p. */
static void put2(char *p, int v) {
  p[0] = (char)('0' + v / 10);
  p[1] = (char)('0' + v % 10);
}

/* 2-digit years: 60..99 are 19xx (the corpus starts in 1966). */
static int full_year(int yy) {
  if (yy >= 100) return yy;
  return yy >= 60 ? 1900 + yy : 2000 + yy;
}

/* "281138Z AUG 06" -> day, hour, minute, month, year; false if malformed. */
static bool parse_dtg(const char *dtg, int *y, int *mo, int *d, int *h, int *mi) {
  struct span r = {dtg, strlen(dtg)}, a, b, c;
  if (!next_token(&r, &a) || a.n != 7 || !next_token(&r, &b) || !next_token(&r, &c)) return false;
  if ((*d = two_digits(a.s)) < 0 || (*h = two_digits(a.s + 2)) < 0 ||
      (*mi = two_digits(a.s + 4)) < 0)
    return false;
  *mo = cx_month_number(b.s, b.n);
  if (!all_digits(c) || (c.n != 2 && c.n != 4)) return false;
  int yy = atoi(c.s);
  *y = c.n == 2 ? full_year(yy) : yy;
  return *mo && *d >= 1 && *d <= 31 && *h < 24 && *mi < 60;
}

/* Words after the banner's classification that are captions, not the
 * station: "SECRET NOFORN STATE 123", "UNCLAS E F T O ...". */
static bool banner_caveat(struct span t) {
  static const char *const w[] = {"NOFORN", "SENSITIVE", "SBU",   "EFTO", "LIMDIS",    "EXDIS",
                                  "NODIS",  "STADIS",    "ORCON", "FOUO", "NOCONTRACT"};
  for (size_t i = 0; i < sizeof w / sizeof *w; i++)
    if (tok_ieq(t, w[i])) return true;
  return false;
}

struct banner {
  char cls[32];     /* "CONFIDENTIAL" */
  char station[64]; /* "ABUDHABI", or "" */
  char serial[16];  /* "5893" (no leading zeros), or "" */
  bool noforn, sensitive;
  size_t line_end; /* offset in the body after the banner line */
};

/* Reads the banner among the first lines of the body. */
static bool find_banner(const char *body, size_t len, struct banner *b) {
  size_t pos = 0;
  int lines = 0;
  memset(b, 0, sizeof *b);
  while (pos < len && lines < 12) {
    size_t next;
    struct span l = line_at(body, len, pos, &next);
    pos = next;
    if (!trim(l).n) continue;
    lines++;
    size_t off = cx_banner_class(l.s, l.n, b->cls, sizeof b->cls);
    if (!off) continue;
    b->line_end = next;
    struct span r = {l.s + off, l.n - off}, t;
    struct span toks[16];
    size_t nt = 0;
    while (next_token(&r, &t) && nt < 16) {
      /* "//NOFORN" glued to the word */
      if (t.n && t.s[0] == '/') {
        if (contains_ci(t, "NOFORN")) b->noforn = true;
        continue;
      }
      if (banner_caveat(t)) {
        if (tok_ieq(t, "NOFORN")) b->noforn = true;
        if (tok_ieq(t, "SENSITIVE") || tok_ieq(t, "SBU")) b->sensitive = true;
        continue;
      }
      /* SECTION n OF m */
      if (tok_ieq(t, "SECTION")) {
        struct span q = r, u, v, w;
        if (next_token(&q, &u) && next_token(&q, &v) && tok_ieq(v, "OF") && next_token(&q, &w)) {
          r = q;
          continue;
        }
      }
      toks[nt++] = t;
    }
    /* spaced single letters that are no station ("E F T O") */
    if (nt >= 2 && all_digits(toks[nt - 1])) {
      struct span ser = toks[nt - 1];
      while (ser.n > 1 && ser.s[0] == '0') {
        ser.s++;
        ser.n--;
      }
      size_t k = 0;
      bool ok = ser.n < sizeof b->serial;
      for (size_t i = 0; i + 1 < nt && ok; i++)
        for (size_t j = 0; j < toks[i].n; j++) {
          unsigned char ch = (unsigned char)toks[i].s[j];
          if (!isalpha(ch) || k + 1 >= sizeof b->station) {
            ok = false;
            break;
          }
          b->station[k++] = (char)toupper(ch);
        }
      b->station[k] = '\0';
      /* a redacted station ("XXXXXXXXXXXX") names nothing */
      if (ok && k && strspn(b->station, "X") != k) {
        memcpy(b->serial, ser.s, ser.n);
        b->serial[ser.n] = '\0';
      } else {
        b->station[0] = '\0';
      }
    }
    return true;
  }
  return false;
}

/* Captions in the lines after the banner: "NOFORN", "SENSITIVE",
 * "SECRET//NOFORN" ... up to the first E.O./TAGS/SUBJECT line. */
static void scan_captions(const char *body, size_t len, struct banner *b) {
  size_t pos = b->line_end;
  int lines = 0;
  while (pos < len && lines < 10) {
    size_t next;
    struct span l = trim(line_at(body, len, pos, &next));
    pos = next;
    if (!l.n) continue;
    lines++;
    struct span r = l, t;
    next_token(&r, &t);
    if (contains_ci(t, "TAGS") || contains_ci(t, "SUBJECT") || tok_ieq(t, "E.O.") ||
        tok_ieq(t, "EO"))
      break;
    if (l.n < 48 && contains_ci(l, "NOFORN") && !contains_ci(l, "NOT NOFORN")) b->noforn = true;
    if (l.n < 48 && (contains_ci(t, "SENSITIVE") || contains_ci(t, "SBU"))) b->sensitive = true;
  }
}

/* The id the telegram gives itself, in the order telegram_id.c tells. */
static bool telegram_id(const struct cx_cable *c, const char *body, size_t blen,
                        const struct banner *b, int yy, char *id, size_t size) {
  if (cx_telegram_id_line(c, body, blen, id, size)) return true;
  char hst[CX_STATION_MAX], hid[96];
  long hser = 0;
  bool have_header = cx_telegram_header_id(c, yy, hid, sizeof hid, hst, &hser);
  if (b && b->station[0] && b->serial[0] && yy >= 0 &&
      (!have_header || cx_telegram_banner_agrees(b->station, b->serial, hst, hser, yy))) {
    snprintf(id, size, "%02d%s%s", yy, b->station, b->serial);
    return true;
  }
  if (cx_telegram_page_id(c, body, blen, yy, id, size)) return true;
  if (have_header) snprintf(id, size, "%s", hid);
  return have_header;
}

/* Does the page's created value show the site's minute bug against the DTG
 * (same date and hour, minutes the hour mod 12 and not the DTG's)? */
static bool page_minute_bug(const char *created, int y, int mo, int d, int h, int mi) {
  int py, pmo, pd, ph, pmi;
  if (!created) return false;
  /* "YYYY-MM-DDTHH:MM" (what a page gives) read here; anything else by
   * sscanf, which gives these values for it too */
  int y1 = two_digits(created), y2 = y1 < 0 ? -1 : two_digits(created + 2);
  if (y2 >= 0 && created[4] == '-' && (pmo = two_digits(created + 5)) >= 0 && created[7] == '-' &&
      (pd = two_digits(created + 8)) >= 0 && created[10] == 'T' &&
      (ph = two_digits(created + 11)) >= 0 && created[13] == ':' &&
      (pmi = two_digits(created + 14)) >= 0) {
    py = y1 * 100 + y2;
  } else if (sscanf(created, "%4d-%2d-%2dT%2d:%2d", &py, &pmo, &pd, &ph, &pmi) != 5) {
    return false;
  }
  return py == y && pmo == mo && pd == d && ph == h && pmi == ph % 12 && pmi != mi;
}

const char *cx_page_created(const struct cx_cable *c) {
  const struct cx_value *v = cx_value_get(&c->extra, CX_EXTRA_PAGE_CREATED);
  return v && v->kind == CX_VALUE_STRING && v->text ? v->text : c->created;
}

static int derive(struct cx_cable *c, const char *body, size_t blen, int *year_out) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  bool have_dtg = c->header.dtg && parse_dtg(c->header.dtg, &y, &mo, &d, &h, &mi);
  struct banner b;
  bool have_banner = find_banner(body, blen, &b);
  if (have_banner) scan_captions(body, blen, &b);

  bool minute_bug = have_dtg && page_minute_bug(c->created, y, mo, d, h, mi);
  if ((!c->created || minute_bug) && have_dtg) {
    /* "%04d-%02d-%02dT%02d:%02d:00" by hand: parse_dtg gives a year of at
     * most four digits and the rest in their ranges, none negative */
    char iso[32] = "0000-00-00T00:00:00";
    put2(iso, y / 100);
    put2(iso + 2, y % 100);
    put2(iso + 5, mo);
    put2(iso + 8, d);
    put2(iso + 11, h);
    put2(iso + 14, mi);
    if (minute_bug) { /* the page's value kept, for writing the page back */
      struct cx_value *v = cx_value_put(&c->extra, CX_EXTRA_PAGE_CREATED);
      if (!v || cx_value_set_text(v, CX_VALUE_STRING, c->created, strlen(c->created)))
        return CX_FATAL;
    }
    if (cx_set(&c->created, iso)) return CX_FATAL;
  }
  if (!c->classification && have_banner) {
    char cls[80];
    if (!strcmp(b.cls, "UNCLASSIFIED") || !strcmp(b.cls, "LIMITED OFFICIAL USE"))
      snprintf(cls, sizeof cls, "%s",
               b.sensitive || b.cls[0] == 'L' ? "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
                                              : "UNCLASSIFIED");
    else
      snprintf(cls, sizeof cls, "%s%s", b.cls, b.noforn ? "//NOFORN" : "");
    if (cx_set(&c->classification, cls)) return CX_FATAL;
  }
  if (!c->id) {
    int yy = -1;
    if (have_dtg)
      yy = y % 100;
    else if (c->created && c->created[0] && c->created[1])
      yy = two_digits(c->created + 2);
    char id[96];
    if (telegram_id(c, body, blen, have_banner ? &b : NULL, yy, id, sizeof id) &&
        cx_set(&c->id, id))
      return CX_FATAL;
  }
  /* the post's page name from the FM line (a page's own value wins) */
  if (!c->origin && c->header.from) {
    const char *origin = cx_station_origin_from_fm(c->header.from);
    if (origin && cx_set(&c->origin, origin)) return CX_FATAL;
  }
  if (c->id && !c->canonical_id) {
    c->canonical_id = cx_canonical_id(c->id);
    if (!c->canonical_id) return CX_FATAL;
  }
  /* the year REF ids need: the id's, else the DTG's */
  *year_out = 0;
  int id_yy = c->id ? two_digits(c->id) : -1;
  if (id_yy >= 0)
    *year_out = full_year(id_yy);
  else if (have_dtg)
    *year_out = y;
  return CX_OK;
}

int cx_telegram_parse(struct cx_cable *c, const char *text, size_t len, unsigned long first_line,
                      struct cx_ctx *ctx) {
  const char *nul = memchr(text, '\0', len);
  if (nul) {
    unsigned long line = first_line;
    for (const char *p = text; p < nul; p++)
      if (*p == '\n') line++;
    return cx_error(ctx, CX_FAILED, line, "NUL byte in the telegram text: not a cable");
  }
  struct line_kinds kinds;
  size_t hl = cx_telegram_split(text, len, &kinds);
  if (cx_set_n(&c->header_text, text, hl) || cx_set_n(&c->body, text + hl, len - hl))
    return cx_error(ctx, CX_FATAL, first_line, "out of memory");
  c->has_header = hl > 0;
  unsigned long body_line = first_line + cx_count_newlines(text, text + hl);

  int rc = CX_OK, r;
  if (hl) {
    r = cx_telegram_header(c, text, hl, first_line, ctx, &kinds);
    if (r == CX_FATAL || r == CX_FAILED) return r;
    if (r == CX_WARN) rc = CX_WARN;
  }
  int year = 0;
  if (derive(c, text + hl, len - hl, &year) != CX_OK)
    return cx_error(ctx, CX_FATAL, first_line, "out of memory");
  r = cx_telegram_body(c, text + hl, len - hl, year, body_line, ctx);
  if (r == CX_FATAL || r == CX_FAILED) return r;
  if (r == CX_WARN) rc = CX_WARN;
  return rc;
}
