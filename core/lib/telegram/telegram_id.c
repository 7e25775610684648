/* telegram_id.c - the cable's id when no page gives it, from what the
 * telegram itself says, in this order:
 *
 *   id line      a line of its own before the telegram, as printouts
 *                head it:  2000ROME01234 - CONFIDENTIAL   1979RIYADH00905_e
 *                          09NAIROBI2497   (an inbox form's id field)
 *   banner       C O N F I D E N T I A L SECTION 01 OF 03 HARARE 006677
 *   page header  PAGE 01 ROME 01234 01 OF 07 050821Z
 *                PAGE 01 / RIYADH 00905 01 OF 03 060018Z   (two lines)
 *                PAGE 01        CAPE T  00097  01 OF 03  182017Z (cut name)
 *   header       DE RUEHFR #2725/01 1770754 + FM AMEMBASSY PARIS + the DTG
 *
 *   id = YY STATION SERIAL    (the year of the DTG, the serial without
 *                              leading zeros: 00ROME1234, 07PARIS2725)
 *
 * A banner that names another station than the FM line and another serial
 * than the DE line is another cable's (pages that show the wrong body), and
 * a banner whose classification is garbled ("E C R E T ... BAGHDAD 000146")
 * is no banner: the header's id wins over both.  The DE line's serial is
 * the last four digits of the serial (DE RUEHC #4823 for STATE 124823), so
 * a banner that agrees with it wins over it.
 *
 * Ownership: text is borrowed; the id is written into a caller's buffer.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stations.h"
#include "telegram_internal.h"
#include "text.h"

/* How many lines before the telegram an id line or page header may be. */
#define ID_LINES 24

/* The spelling ids use for station s (squeezed capitals): a known station
 * or one of the ids' spellings, renamed posts by year; NULL if unknown. */
static const char *id_station(const char *s, int year) {
  const char *st = cx_station_lookup(s, CX_STATION_IDS);
  if (!st) st = cx_station_lookup(s, CX_STATION_REFS);
  if (!st) return NULL;
  const char *now = year ? cx_station_in_year(st, year) : NULL;
  return now ? now : st;
}

/* The station of an FM line for an id: the table's, else the words
 * after a post's title ("AMEMBASSY", "AMCONSUL" ...) squeezed, for a post
 * the table does not know. */
static const char *fm_id_station(const char *fm, int year, char *buf, size_t size) {
  const char *st = cx_station_from_fm(fm);
  if (st) {
    const char *id = id_station(st, year);
    return id ? id : st;
  }
  static const char *const titles[] = {"AMEMBASSY ", "AMCONSUL ", "AMCONGEN ", "USMISSION ",
                                       "USINT ",     "USLO ",     "USOFFICE "};
  while (*fm == ' ')
    fm++;
  size_t k = 0;
  for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
    if (!strncmp(fm, titles[i], strlen(titles[i]))) k = strlen(titles[i]);
  if (!k) return NULL;
  size_t n = 0;
  for (const char *q = fm + k; *q && !isdigit((unsigned char)*q) && *q != '/'; q++) {
    if (isupper((unsigned char)*q)) {
      if (n + 1 >= size) return NULL;
      buf[n++] = *q;
    } else if (*q != ' ' && *q != '-' && *q != '\'') {
      return NULL;
    }
  }
  buf[n] = '\0';
  return n >= 3 ? buf : NULL;
}

static bool set_id(char *out, size_t size, int yy, const char *station, const char *serial) {
  while (serial[0] == '0' && serial[1])
    serial++;
  int n = snprintf(out, size, "%02d%s%s", yy % 100, station, serial);
  return n > 0 && (size_t)n < size;
}

/* "2000ROME01234", "1979RIYADH00905_e", "09NAIROBI2497" alone on a line
 * (after it only " - CLASSIFICATION" may follow). */
static bool id_line(struct span l, char *out, size_t size) {
  struct span r = trim(l), t;
  if (!next_token(&r, &t) || t.n < 6 || t.n >= 48) return false;
  struct span rest = trim(r);
  if (rest.n && rest.s[0] != '-') return false;
  if (rest.n && !cx_banner_class(rest.s + 1 + (rest.n > 1 && rest.s[1] == ' '),
                                 rest.n - 1 - (rest.n > 1 && rest.s[1] == ' '), NULL, 0))
    return false;
  size_t y = 0, i;
  while (y < t.n && isdigit((unsigned char)t.s[y]))
    y++;
  if (y != 2 && !(y == 4 && (!memcmp(t.s, "19", 2) || !memcmp(t.s, "20", 2)))) return false;
  char st[CX_STATION_MAX], serial[16];
  for (i = y; i < t.n && isupper((unsigned char)t.s[i]) && i - y + 1 < sizeof st; i++)
    st[i - y] = t.s[i];
  st[i - y] = '\0';
  size_t d = i;
  while (d < t.n && isdigit((unsigned char)t.s[d]))
    d++;
  if (i == y || d == i || d - i >= sizeof serial) return false;
  /* a PlusD document suffix: _e (the text), _a, _b ... */
  if (d < t.n && !(d + 2 == t.n && t.s[d] == '_' && islower((unsigned char)t.s[d + 1])))
    return false;
  memcpy(serial, t.s + i, d - i);
  serial[d - i] = '\0';
  int yy = atoi(t.s) % 100;
  /* a post the table does not know is taken as written */
  return (i - y >= 3 || id_station(st, 0)) && set_id(out, size, yy, st, serial);
}

/* Squeezes the words [p, e) into out: "CAPE T" -> "CAPET". */
static void squeeze(struct span w, char *out, size_t size) {
  size_t n = 0;
  for (size_t i = 0; i < w.n && n + 1 < size; i++)
    if (isalpha((unsigned char)w.s[i])) out[n++] = (char)toupper((unsigned char)w.s[i]);
  out[n] = '\0';
}

/* The station a page header names, which PlusD cuts to six characters:
 * the FM line's station when it starts so, else the one station that
 * starts so. */
static const char *page_station(const char *name, const char *fm_station, int year) {
  size_t n = strlen(name);
  if (n < 2) return NULL;
  if (fm_station && !strncmp(fm_station, name, n)) return fm_station;
  const char *st = id_station(name, year);
  if (st) return st;
  st = cx_station_part(name);
  return st && !strncmp(st, name, n) ? id_station(st, year) : NULL;
}

/* The rest of a page header after "PAGE nn": STATION SERIAL [nn OF nn]
 * DDHHMMZ. */
static bool page_rest(struct span r, const char *fm_station, int yy, char *out, size_t size) {
  struct span t, words = {r.s, 0};
  char name[CX_STATION_MAX], serial[16];
  while (next_token(&r, &t) && !isdigit((unsigned char)t.s[0]))
    words.n = (size_t)(t.s + t.n - words.s);
  if (!words.n || !all_digits(t) || t.n < 3 || t.n >= sizeof serial) return false;
  memcpy(serial, t.s, t.n);
  serial[t.n] = '\0';
  struct span u;
  if (!next_token(&r, &u)) return false;
  if (all_digits(u) && u.n == 2) { /* "01 OF 03" */
    struct span of, m;
    if (!next_token(&r, &of) || !tok_ieq(of, "OF") || !next_token(&r, &m) || !next_token(&r, &u))
      return false;
  }
  if (u.n != 7 || toupper((unsigned char)u.s[6]) != 'Z') return false;
  for (size_t i = 0; i < 6; i++)
    if (!isdigit((unsigned char)u.s[i])) return false;
  squeeze(words, name, sizeof name);
  const char *st = page_station(name, fm_station, yy < 60 ? 2000 + yy : 1900 + yy);
  return st && set_id(out, size, yy, st, serial);
}

/* Looks through the lines [p, e) for an id line (any year) or, with
 * yy >= 0, a page header. */
static bool scan_lines(const char *p, const char *e, int *lines, const char *fm_station, int yy,
                       bool want_page, char *out, size_t size) {
  size_t len = (size_t)(e - p), pos = 0;
  while (pos < len && *lines < ID_LINES) {
    size_t next;
    struct span l = trim(line_at(p, len, pos, &next)), r = l, t;
    pos = next;
    if (!l.n) continue;
    ++*lines;
    if (!want_page) {
      if (id_line(l, out, size)) return true;
      continue;
    }
    if (!next_token(&r, &t) || !tok_ieq(t, "PAGE") || !next_token(&r, &t) || !all_digits(t) ||
        t.n > 3)
      continue;
    r = trim(r);
    if (!r.n && pos < len) { /* "PAGE 01" with the rest on the next line */
      size_t after;
      r = trim(line_at(p, len, pos, &after));
    }
    if (page_rest(r, fm_station, yy, out, size)) return true;
  }
  return false;
}

static bool scan_both(const struct cx_cable *c, const char *body, size_t blen, int yy,
                      bool want_page, char *out, size_t size) {
  const char *h = c->header_text ? c->header_text : "";
  char buf[CX_STATION_MAX];
  const char *fm = c->header.from ? fm_id_station(c->header.from, 0, buf, sizeof buf) : NULL;
  int lines = 0;
  return scan_lines(h, h + strlen(h), &lines, fm, yy, want_page, out, size) ||
         scan_lines(body, body + blen, &lines, fm, yy, want_page, out, size);
}

bool cx_telegram_id_line(const struct cx_cable *c, const char *body, size_t blen, char *out,
                         size_t size) {
  return scan_both(c, body, blen, 0, false, out, size);
}

bool cx_telegram_page_id(const struct cx_cable *c, const char *body, size_t blen, int yy, char *out,
                         size_t size) {
  return yy >= 0 && scan_both(c, body, blen, yy, true, out, size);
}

bool cx_telegram_header_id(const struct cx_cable *c, int yy, char *out, size_t size, char *station,
                           long *serial) {
  const struct cx_header *h = &c->header;
  if (!h->de || !h->from || yy < 0) return false;
  const char *hash = strchr(h->de, '#');
  if (!hash || !isdigit((unsigned char)hash[1])) return false;
  char num[16];
  size_t n = 0;
  for (const char *q = hash + 1; isdigit((unsigned char)*q) && n + 1 < sizeof num; q++)
    num[n++] = *q;
  num[n] = '\0';
  char buf[CX_STATION_MAX];
  const char *st = fm_id_station(h->from, yy < 60 ? 2000 + yy : 1900 + yy, buf, sizeof buf);
  if (!st) return false;
  snprintf(station, CX_STATION_MAX, "%s", st);
  *serial = strtol(num, NULL, 10);
  return set_id(out, size, yy, st, num);
}

bool cx_telegram_banner_agrees(const char *banner_station, const char *banner_serial,
                               const char *header_station, long header_serial, int yy) {
  const char *bs = id_station(banner_station, yy < 60 ? 2000 + yy : 1900 + yy);
  if (bs && !strcmp(bs, header_station)) return true;
  if (!strcmp(banner_station, header_station)) return true;
  return strtol(banner_serial, NULL, 10) % 10000 == header_serial % 10000;
}
