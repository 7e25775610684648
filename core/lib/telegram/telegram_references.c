/* telegram_references.c - the REF list: cable references and others.
 *
 *   list  = ("REF" | "REFS" | "REFTEL" | "REFERENCE(S)" | "REF(S)") [":"] item { item }
 *   item  = [ bullet ] [ "(" year ")" ] ( cable | other ) [";" | ","]
 *   cable = [ year ] station [ country ] [ "," | ":" | "CABLE(S)" | "NO." ] [ "#" ]
 *           serial { ("/" | "AND" | "&") serial }  |  serial station
 *   country = a two-letter code after a station ("MADRID SP 0307")
 *   serial = number [ "-" yy | "(" yy ")" | "(" yyyy ")" ]
 *   station = words of the station table ("SAO PAULO", "ST. PETERSBURG",
 *           "USDA FAS", "SECSTATE"), or the start of one name only ("ADDIS"
 *           for ADDIS ABABA); a station alone is no reference
 *   bullet = "A." | "A)" | "(A)" | "[A]" | "A -"
 *   a classification marking ("(U)", "(SBU)") after an item's text, neither
 *   the next bullet nor followed by one, opens a paragraph: the list ends
 *   "REF: A. 06 ALMATY 3065 B. STATE 12345", "REFS: (A) KABUL 936/935",
 *   "REF: QUITO 4525-91", "REF A WELLINGTON 721 B WELLINGTON 690",
 *   "REF: COLOMBO CABLES 0266 AND 02259 (2002)", "REF: (08) SAO PAULO 581"
 *
 * Ownership: the body text is borrowed; what is kept is copied into the
 * cable (see telegram_internal.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telegram_internal.h"
#include "stations.h"
#include "text.h"

/* How far a REF list may run. */
#define REF_LINES 40
#define REF_BYTES 8192
/* The longest station name. */
#define ST_MAX 48

/* The one station whose name s (five letters or more) begins and is
 * shorter than: the short name a REF writes ("ADDIS" for ADDISABABA,
 * "KUALA" for KUALALUMPUR); NULL when none or several begin so. */
static const char *station_by_prefix(const char *s, size_t n) {
  const char *hit = NULL, *name;
  for (size_t i = 0; (name = cx_station_name(i, NULL)); i++)
    if (name[0] == s[0] && strlen(name) > n && !strncmp(name, s, n)) {
      if (hit) return NULL;
      hit = name;
    }
  return hit;
}

/* The station a name written in a REF stands for ("SAOPAULO", "SECSTATE",
 * "TRIPOLII", "PHNOMPEN", "ADDIS"), or NULL. */
static const char *ref_station_find(const char *s, size_t n) {
  const char *r = cx_station_lookup(s, CX_STATION_REFS);
  if (r || n < 5) return r;
  if (n >= 6 && (r = cx_station_nearest(s, n >= 10 ? 2 : 1, CX_STATION_REFS))) return r;
  return station_by_prefix(s, n);
}

/* The answers for the last names asked, by a hash of the name: a REF list
 * asks for the same names again (each place tried, a dry run before the
 * real one), and a name that is no station costs a search of them all.
 * The answer depends on the name alone (the station tables are fixed). */
#define REF_MEMO 16
struct ref_memo {
  char name[ST_MAX];
  const char *station;
};
static _Thread_local struct ref_memo ref_memo[REF_MEMO];

static const char *ref_station(const char *s) {
  size_t n = strlen(s);
  if (n < 2 || n >= ST_MAX) return NULL;
  unsigned h = 0;
  for (size_t i = 0; i < n; i++)
    h = h * 31 + (unsigned char)s[i];
  struct ref_memo *m = &ref_memo[h % REF_MEMO];
  if (strcmp(m->name, s)) {
    memcpy(m->name, s, n + 1);
    m->station = ref_station_find(s, n);
  }
  return m->station;
}

/* ------------------------------------------------------------------ */
/* The list. */

struct refs {
  struct body *b;
  const char *s, *e; /* the folded REF block */
  char bullet[4];
  const char *item;  /* start of the current item's text */
  bool item_cable;   /* the current item produced a cable reference */
  char last[ST_MAX]; /* the last station named */
  char own[ST_MAX];  /* the cable's own station, from its id */
  int yy;            /* the cable's year, two digits, or -1 */
  int pending_yy;    /* a year in brackets before the station ("(2007) MOSCOW 12"), or -1 */
  bool dry;          /* ref_cable only says whether a reference is there */
};

/* A REF keyword at p; returns where the list begins, or NULL. */
static const char *ref_keyword(const char *t, const char *p, const char *e, bool *bulleted) {
  static const char *const kw[] = {"REFTELS", "REFTEL", "REFERENCES", "REFERENCE",
                                   "REF(S)",  "REFS",   "REF"};
  *bulleted = false;
  if (to_upper((unsigned char)*p) != 'R' || !has_prefix_ci(p, e, "REF")) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
    if (has_prefix_ci(p, e, kw[i])) {
      n = strlen(kw[i]);
      break;
    }
  const char *q = p + n;
  if (q < e && is_alpha((unsigned char)*q)) return NULL;
  bool colon = q < e && (*q == ':' || (*q == '.' && q + 1 < e && is_space((unsigned char)q[1])));
  /* At the start of a line (after "PROGRAM " or a bullet "A. "), or glued
   * or mid-line when a colon follows ("...VISIT TO EGYPTREF: CAIRO 493"). */
  const char *ls = near_line_start(t, p, 16);
  if (!ls) ls = t; /* far from the line start: p - ls is large */
  bool at_line = ls == p || (p - ls == 8 && has_prefix_ci(ls, p, "PROGRAM "));
  if (!at_line && p - ls >= 3 && p - ls <= 4 && is_alpha((unsigned char)*ls) &&
      (ls[1] == '.' || ls[1] == ')')) {
    at_line = true;
    *bulleted = true;
  }
  if (!at_line && !colon) return NULL;
  if (!at_line && !at_word_start(t, p) && !(q < e && *q == ':')) return NULL;
  if (colon) q++;
  const char *r = skip_space(q, e);
  if (r == q && !colon) return NULL;
  if (r >= e) return NULL;
  if (!is_alnum((unsigned char)*r) && *r != '(' && *r != '[' && *r != '\'') return NULL;
  return q;
}

/* Does the line [p,le) stop a REF list? */
static bool ref_stop_line(const struct body *b, const char *p, const char *le) {
  p = skip_hspace(p, le);
  static const char *const stops[] = {
      "CLASSIFIED", "CLASSIFIED BY", "SUMMARY", "SUBJECT", "SENSITIVE",     "C O ", "S E C",
      "U N C",      "E.O.",          "TAGS",    "THIS IS", "BEGIN SUMMARY", "(U)",  "(SBU)"};
  for (size_t i = 0; i < sizeof stops / sizeof *stops; i++)
    if (has_prefix_ci(p, le, stops[i])) return true;
  struct para pa;
  if (paragraph_at(p, le, &pa) && pa.n >= 1 && (pa.mark || is_upper((unsigned char)*pa.text)) &&
      !(pa.num_end - pa.num == 1 && is_alpha((unsigned char)*pa.num)))
    return true;
  (void)b;
  return false;
}

/* Does the line [p,le) look like more of the list (after a blank line)? */
static bool ref_more_line(const char *p, const char *le) {
  p = skip_hspace(p, le);
  if (p >= le) return false;
  if (is_digit((unsigned char)*p)) return true; /* "00723 (C) ...", "2009 CAIRO 491" */
  if (*p == '(' && p + 2 < le && is_alnum((unsigned char)p[1]) && p[2] == ')') return true;
  if (is_alpha((unsigned char)*p) && p + 1 < le && (p[1] == '.' || p[1] == ')') &&
      (p + 2 >= le || !is_alpha((unsigned char)p[2]) || p[1] == ')'))
    return true;
  return false;
}

/* A bullet at p: "A.", "A)", "A.)", "A:", "(A)", "[A]", "(1)", "A -".
 * Returns its end and the letter, or NULL. */
static const char *ref_bullet(const char *s, const char *p, const char *e, char *letter) {
  if (p >= e) return NULL;
  if ((*p == '(' || *p == '[') && p + 2 < e && is_alnum((unsigned char)p[1]) &&
      p[2] == (*p == '(' ? ')' : ']')) {
    if (is_digit((unsigned char)p[1]) && p + 3 < e && is_digit((unsigned char)p[3])) return NULL;
    *letter = (char)to_upper((unsigned char)p[1]);
    return p + 3;
  }
  if (!is_alpha((unsigned char)*p) || !at_word_start(s, p) || p + 1 >= e) return NULL;
  const char *q = p + 1;
  if (*q == '.' || *q == ')' || *q == ':') {
    /* not an initial or abbreviation: "E.O.", "U.S.", "S.K." */
    if (*q == '.' && q + 2 < e && is_alpha((unsigned char)q[1]) && q[2] == '.') return NULL;
    if (*q == '.' && q + 1 < e && is_alpha((unsigned char)q[1]) && is_lower((unsigned char)*p))
      return NULL;
    q++;
    if (q < e && *q == ')') q++;
    *letter = (char)to_upper((unsigned char)*p);
    return q;
  }
  if (*q == ' ' && q + 2 < e && q[1] == '-' && q[2] == ' ') {
    *letter = (char)to_upper((unsigned char)*p);
    return q + 2;
  }
  return NULL;
}

/* The year written in front of a reference: "06 ", "2007 ", "'08 ", "094 ",
 * "O4 ", or glued "09DHAHRAN".  Returns the end and the two-digit year. */
static const char *ref_year(const char *p, const char *e, int *yy) {
  const char *q = p;
  if (q < e && *q == '\'') q++;
  size_t d = count_digits(q, e);
  if (d == 0 && q + 1 < e && *q == 'O' && is_digit((unsigned char)q[1]) &&
      (q + 2 >= e || !is_digit((unsigned char)q[2]))) { /* "O4" */
    *yy = q[1] - '0';
    q += 2;
  } else if (d == 2 || d == 3 || d == 4) {
    long v = strtol(q, NULL, 10);
    if (d == 4 && (v < 1940 || v > 2020)) return NULL;
    if (d == 3 && q[0] != '0') return NULL;
    *yy = (int)(v % 100);
    q += d;
  } else {
    return NULL;
  }
  if (q < e && is_alpha((unsigned char)*q)) return q; /* glued */
  if (q < e && *q == ' ') return q + 1;
  return NULL;
}

/* A reference number at p: digits, or an O misread for a zero ("O1512"). */
static size_t ref_number(const char *p, const char *e, char *out, size_t cap) {
  size_t n = 0, i = 0;
  while (p + i < e && (is_digit((unsigned char)p[i]) || (p[i] == 'O' && i + 1 < (size_t)(e - p) &&
                                                         is_digit((unsigned char)p[i + 1])))) {
    if (n + 1 < cap) out[n++] = p[i] == 'O' ? '0' : p[i];
    i++;
  }
  out[n] = '\0';
  if (!n || n > 7 || (p + i < e && is_alpha((unsigned char)p[i]))) return 0;
  return i;
}

static void emit_ref(struct refs *r, const char *text, size_t tn, enum cx_ref_kind kind,
                     const char *id) {
  struct body *b = r->b;
  struct cx_reference *ref = cx_references_add(&b->c->references);
  if (!ref) {
    body_fail_oom(b);
    return;
  }
  ref->kind = kind;
  if (r->bullet[0]) body_set_field(b, &ref->letter, r->bullet, strlen(r->bullet));
  struct cx_buf o;
  cx_buf_init(&o, b->cap);
  fold_spaces(b, &o, text, text + tn, false);
  if (o.data) body_set_field(b, &ref->text, o.data, o.len);
  cx_buf_free(&o);
  if (id) body_set_field(b, &ref->cable_id, id, strlen(id));
}

/* Builds YY + STATION + NUMBER (no leading zeros) and emits it. */
static void emit_cable(struct refs *r, const char *text, size_t tn, int yy, const char *st,
                       const char *num) {
  while (num[0] == '0' && num[1])
    num++;
  if (!strcmp(num, "0")) return;
  char id[ST_MAX + 16];
  if (yy < 0) yy = r->pending_yy;
  if (yy < 0) yy = r->yy;
  if (yy < 0) {
    emit_ref(r, text, tn, CX_REF_CABLE, NULL);
    r->item_cable = true;
    return;
  }
  /* a post renamed: the name ids used in that year ("KIEV 12" in 2009) */
  const char *now = cx_station_in_year(st, yy > 50 ? 1900 + yy : 2000 + yy);
  if (now) st = now;
  size_t sl = strlen(st), nl = strlen(num);
  if (sl + nl + 3 > sizeof id) return;
  id[0] = (char)('0' + yy / 10);
  id[1] = (char)('0' + yy % 10);
  memcpy(id + 2, st, sl);
  memcpy(id + 2 + sl, num, nl + 1);
  r->item_cable = true;
  const char *self = r->b->c->canonical_id ? r->b->c->canonical_id : r->b->c->id;
  if (self && !strcmp(self, id)) return; /* a page marker of the cable itself */
  emit_ref(r, text, tn, CX_REF_CABLE, id);
}

/* Words between a station and its number that only say a number follows:
 * "COLOMBO CABLES 0266", "STATE TEL 12345", "ROME NO. 997". */
static bool is_serial_word(const char *w) {
  static const char *const words[] = {"CABLE", "CABLES", "TEL", "TELS", "TELEGRAM", "TELEGRAMS",
                                      "MSG",   "NO",     "NOS", "NR",   "REFTEL"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (!strcmp(w, words[i])) return true;
  return false;
}

/* The sender's title written before a station ("EMBASSY VIENNA"), or a
 * word naming the kind of document ("REFTEL KABUL 02245"). */
static bool is_sender_word(const char *w) {
  static const char *const words[] = {"EMBASSY",  "AMEMBASSY", "AMCONSUL", "CONSULATE", "USMISSION",
                                      "AMCONGEN", "USINT",     "REFTEL",   "REFTELS"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (!strcmp(w, words[i])) return true;
  return false;
}

/* One word of a station name at w: letters, with ' - / inside
 * ("N'DJAMENA", "PORT-OF-SPAIN", "USDA/FAS"), a dot after a short
 * abbreviation ("ST. PETERSBURG"), and a zero misread for O ("0TTAWA",
 * "COTON0U", "SANTIAG0") but not the number glued on ("HK05511").  Appends
 * its letters to name; returns its end. */
static const char *station_word(const char *w, const char *e, char *name, size_t *nn, size_t cap) {
  const char *ws = w;
  while (w < e) {
    if (is_alpha((unsigned char)*w) || *w == '\'' || *w == '-')
      w++;
    else if (*w == '/' && w > ws && w + 1 < e && is_alpha((unsigned char)w[1]) &&
             is_alpha((unsigned char)w[-1]))
      w++;
    else if (*w == '0' && ((w + 1 < e && is_alpha((unsigned char)w[1])) ||
                           (w > ws && is_alpha((unsigned char)w[-1]) &&
                            !(w + 1 < e && is_digit((unsigned char)w[1])))))
      w++;
    else
      break;
  }
  if (w < e && *w == '.' && w - ws <= 3 && w + 2 < e && w[1] == ' ' &&
      is_alpha((unsigned char)w[2]))
    w++; /* "ST. PETERSBURG" */
  for (const char *c = ws; c < w; c++) {
    char ch = (char)to_upper((unsigned char)*c);
    if (ch == '0') ch = 'O';
    if (is_alpha((unsigned char)ch) && *nn + 1 < cap) name[(*nn)++] = ch;
  }
  name[*nn] = '\0';
  return w;
}

/* The station words at q, up to five ("HO CHI MINH CITY"), into name;
 * returns where the number starts ("MOSCOW 12", "PRAGUE, 1228", "STATE:
 * 12", "STATE #12", "KUWAIT (C)02293", "HK05511"), or NULL. */
static const char *station_words(const char *q, const char *e, char *name, size_t cap) {
  size_t nn = 0;
  const char *w = q;
  for (int nw = 0; w < e && nw < 5;) {
    if (!is_alpha((unsigned char)*w) && !(*w == '0' && w + 1 < e && is_alpha((unsigned char)w[1])))
      return NULL;
    size_t before = nn;
    w = station_word(w, e, name, &nn, cap);
    if (w < e && is_digit((unsigned char)*w)) return nn ? w : NULL;
    nw++;
    /* "EMBASSY VIENNA": drop the sender's title; "COLOMBO CABLES 0266":
     * drop a word that only says a number follows */
    bool drop = nw == 1 && is_sender_word(name);
    /* "MADRID SP 0307": a country code between the station and its number */
    bool code = before && nn - before == 2 && w < e && *w == ' ' && w + 1 < e &&
                is_digit((unsigned char)w[1]) && !is_serial_word(name + before) &&
                !ref_station(name);
    if (!drop && before && (code || is_serial_word(name + before))) {
      char save = name[before];
      name[before] = '\0';
      drop = ref_station(name) != NULL;
      name[before] = save;
    }
    if (drop) {
      nn = before;
      if (nw == 1) nw = 0;
    }
    name[nn] = '\0';
    const char *g = w;
    if (g < e && (*g == ',' || *g == ':')) g++; /* "PRAGUE, 1228", "STATE: 12" */
    if (g < e && *g == ' ') g++;
    if (g < e && *g == '#') g = skip_hspace(g + 1, e); /* "STATE #1234", "STATE # 1234" */
    const char *m = g < e && *g == '(' ? paragraph_marking(g, e, NULL, NULL) : NULL;
    if (m && m < e && (is_digit((unsigned char)*m) || *m == ' ')) g = m; /* "KUWAIT (C)02293" */
    if (g < e && *g == ' ') g++;
    if (g < e &&
        (is_digit((unsigned char)*g) || (*g == 'O' && g + 1 < e && is_digit((unsigned char)g[1]))))
      return nn ? g : NULL;
    if (g == w || (w < e && *w != ' ')) return NULL;
    w = g;
  }
  return NULL;
}

/* A year written after a number: "4525-91", "701 (08)", "0266 (2002)",
 * "07718 99,".  Returns its end (after == p when there is none). */
static const char *year_after(const char *p, const char *e, int *yy) {
  size_t d;
  if (p + 3 <= e && *p == '-' && count_digits(p + 1, e) == 2) {
    *yy = (int)strtol(p + 1, NULL, 10);
    return p + 3;
  }
  if (p + 2 < e && p[0] == ' ' && p[1] == '(' && ((d = count_digits(p + 2, e)) == 2 || d == 4) &&
      p + 2 + d < e && p[2 + d] == ')') {
    long v = strtol(p + 2, NULL, 10);
    if (d == 4 && (v < 1940 || v > 2020)) return p;
    *yy = (int)(v % 100);
    return p + 3 + d;
  }
  if (p + 3 <= e && p[0] == ' ' && count_digits(p + 1, e) == 2 &&
      (p + 3 == e || p[3] == ',' || p[3] == ';' || (p[3] == ' ' && (p + 4 >= e || p[4] == ',')))) {
    *yy = (int)strtol(p + 1, NULL, 10);
    return p + 3;
  }
  return p;
}

/* Another number of the same station after ne: "936/935", "0266 AND
 * 02259", "12 & 14".  Returns where it starts, or NULL: a number followed
 * by a word starts the next reference ("709 2008 SAO PAULO 542"). */
static const char *next_serial(const char *ne, const char *e) {
  if (ne + 1 < e && *ne == '/' && is_digit((unsigned char)ne[1])) return ne + 1;
  const char *q = skip_hspace(ne, e);
  if (q < e && *q == '&')
    q++;
  else if (has_word_ci(q, e, "AND"))
    q += 3;
  else
    return NULL;
  q = skip_hspace(q, e);
  if (q >= e || !is_digit((unsigned char)*q)) return NULL;
  size_t d = count_digits(q, e);
  const char *z = q + d;
  if (d < 2 || (z < e && !is_space((unsigned char)*z) && !strchr(",;.(/", *z))) return NULL;
  z = skip_hspace(z, e);
  if (z + 1 < e && is_alpha((unsigned char)z[0]) && is_alpha((unsigned char)z[1])) return NULL;
  return q;
}

/* A cable reference at p: [YEAR] STATION NUMBER { (/ | AND | ,) NUMBER }
 * with a year also after a number ("QUITO 4525-91", "ASUNCION 701 (08)",
 * "COLOMBO CABLES 0266 AND 02259 (2002)"), or the number first ("997
 * ROME").  Emits it and returns its end, or NULL. */
static const char *ref_cable(struct refs *r, const char *p) {
  const char *e = r->e, *start = p;
  int yy = -1;
  const char *q = ref_year(p, e, &yy);
  if (!q)
    q = p;
  else if (yy >= 0 && q > p && !is_alpha((unsigned char)*q) && *q != '0')
    return NULL;
  char name[ST_MAX];
  const char *num = station_words(q, e, name, sizeof name), *words = q, *tail = NULL;
  if (!num && q == p && is_digit((unsigned char)*p)) {
    /* "997 ROME": the number before the station, the item ending there */
    size_t d = count_digits(p, e);
    const char *sw = p + d;
    if (d >= 3 && sw + 1 < e && *sw == ' ' && is_alpha((unsigned char)sw[1])) {
      size_t nn = 0;
      tail = station_word(sw + 1, e, name, &nn, sizeof name);
      for (int k = 0; k < 4 && tail + 1 < e && *tail == ' ' && is_alpha((unsigned char)tail[1]) &&
                      !ref_station(name);
           k++)
        tail = station_word(tail + 1, e, name, &nn, sizeof name);
      const char *z = skip_hspace(tail, e);
      if (nn && (z >= e || strchr(",;.(", *z))) num = p;
    }
  }
  if (!num) return NULL;
  const char *st = ref_station(name);
  if (!st) return NULL;
  char digitsbuf[16];
  size_t k = ref_number(num, e, digitsbuf, sizeof digitsbuf);
  if (!k) return NULL;
  const char *ne = num + k;
  if (tail) ne = tail;
  const char *after = year_after(ne, e, &yy);
  if (r->dry) return after;
  snprintf(r->last, sizeof r->last, "%s", st);
  emit_cable(r, start, (size_t)(ne - start), yy, st, digitsbuf);
  /* more numbers of the same station, each with its own year after it */
  for (const char *n2; !tail && (n2 = next_serial(after, e));) {
    size_t k2 = ref_number(n2, e, digitsbuf, sizeof digitsbuf);
    if (!k2) break;
    int yy2 = *after == '/' ? yy : -1;
    const char *a2 = year_after(n2 + k2, e, &yy2);
    char text[ST_MAX + 16];
    size_t wl = (size_t)(num - words) < ST_MAX ? (size_t)(num - words) : ST_MAX;
    memcpy(text, words, wl);
    memcpy(text + wl, n2, k2 < 15 ? k2 : 15);
    emit_cable(r, text, wl + (k2 < 15 ? k2 : 15), yy2, st, digitsbuf);
    after = a2;
  }
  r->pending_yy = -1;
  return after;
}

static void ref_item_end(struct refs *r, const char *p) {
  if (!r->item || r->item_cable) return;
  const char *s = r->item, *e = p;
  while (s < e && (is_space((unsigned char)*s) || *s == ',' || *s == ';' || *s == ':'))
    s++;
  while (e > s && (is_space((unsigned char)e[-1]) || e[-1] == ',' || e[-1] == ';'))
    e--;
  if (e - s < 3) return;
  if ((e - s == 4 && has_prefix_ci(s, e, "NONE")) || (e - s == 3 && has_prefix_ci(s, e, "N/A")))
    return;
  /* a station's name alone ("B. FREETOWN") names no document */
  char name[ST_MAX];
  size_t nn = 0;
  const char *w = s;
  while (w < e && is_alpha((unsigned char)*w)) {
    w = station_word(w, e, name, &nn, sizeof name);
    if (w < e && *w == ' ') w++;
  }
  if (w >= e && nn && ref_station(name)) return;
  enum cx_ref_kind kind = CX_REF_OTHER;
  for (const char *q = s; q < e; q++)
    if (to_upper((unsigned char)*q) == 'E' &&
        (has_prefix_ci(q, e, "EMAIL") || has_prefix_ci(q, e, "E-MAIL") ||
         has_prefix_ci(q, e, "E MAIL")))
      kind = CX_REF_EMAIL;
  emit_ref(r, s, (size_t)(e - s), kind, NULL);
}

static void ref_item_begin(struct refs *r, const char *p) {
  r->item = p;
  r->item_cable = false;
  r->pending_yy = -1;
}

/* Skips "REF", "REF A:", "A)" left after a bullet ("A. REF A: 09 SOFIA 154",
 * "A. A) MANAMA 20", "A. (A) PARIS 7682"). */
static const char *ref_nested(struct refs *r, const char *p) {
  for (int i = 0; i < 3; i++) {
    const char *q = skip_space(p, r->e);
    char l;
    const char *bq;
    if (has_prefix_ci(q, r->e, "REF") && (q + 3 >= r->e || !is_alpha((unsigned char)q[3]))) {
      q += 3;
      if (q < r->e && *q == ':') q++;
      p = q;
      continue;
    }
    if ((bq = ref_bullet(r->s, q, r->e, &l)) && (*q == '(' || *q == '[' || l == r->bullet[0])) {
      p = bq;
      continue;
    }
    if (is_alpha((unsigned char)*q) && q + 1 < r->e && q[1] == ':' &&
        to_upper((unsigned char)*q) == r->bullet[0]) {
      p = q + 2;
      continue;
    }
    break;
  }
  return p;
}

static void refs_scan(struct refs *r) {
  const char *p = r->s, *e = r->e;
  bool at_start = true, after_bullet = false;
  /* "Ref:  Ref A) Taipei 3393": the keyword again */
  p = skip_space(p, e);
  if (has_prefix_ci(p, e, "REF") &&
      (p + 3 >= e || !is_alpha((unsigned char)p[3]) || has_prefix_ci(p, e, "REFS")))
    p += has_prefix_ci(p, e, "REFS") ? 4 : 3;
  ref_item_begin(r, p);
  while (p < e) {
    p = skip_space(p, e);
    if (p >= e) break;
    char l;
    const char *q;
    if (*p == ';') {
      ref_item_end(r, p);
      p++;
      ref_item_begin(r, p);
      at_start = true;
      after_bullet = false;
      continue;
    }
    if (*p == ',' || *p == '&' || *p == ':') {
      p++;
      at_start = true;
      continue;
    }
    /* A classification marking after an item's text, neither the next
     * bullet nor followed by one, opens a paragraph: "REF: BRASILIA 123 (U)
     * THIS CABLE IS ..." */
    const char *in, *in_end, *m;
    if (*p == '(' && !after_bullet && p > skip_space(r->item, e) &&
        (m = paragraph_marking(p, e, &in, &in_end)) && is_classification_marking(in, in_end) &&
        !(in_end - in == 1 && (*in == r->bullet[0] + 1 || (*in == 'A' && !r->bullet[0]))) &&
        !ref_bullet(r->s, skip_space(m, e), e, &l)) {
      ref_item_end(r, p);
      return;
    }
    if ((q = ref_bullet(r->s, p, e, &l)) && (at_start || *p == '(' || *p == '[' || q[-1] == '.' ||
                                             q[-1] == ')' || l == r->bullet[0] + 1)) {
      ref_item_end(r, p);
      r->bullet[0] = l;
      r->bullet[1] = '\0';
      p = ref_nested(r, q);
      ref_item_begin(r, p);
      at_start = after_bullet = true;
      continue;
    }
    /* "REF A WELLINGTON 721 B WELLINGTON 690": a bare letter before a reference */
    if (is_upper((unsigned char)*p) && p + 2 < e && p[1] == ' ' && at_word_start(r->s, p)) {
      r->dry = true;
      bool ref = ref_cable(r, p + 2) != NULL;
      r->dry = false;
      if (ref) {
        ref_item_end(r, p);
        r->bullet[0] = *p;
        r->bullet[1] = '\0';
        ref_item_begin(r, p + 2);
        p = ref_cable(r, p + 2);
        at_start = true;
        after_bullet = false;
        continue;
      }
    }
    if (at_start && (q = ref_cable(r, p))) {
      p = q;
      at_start = true;
      after_bullet = false;
      continue;
    }
    /* "A) 6307": a bare number right after a bullet is the last station's */
    if (after_bullet && is_digit((unsigned char)*p)) {
      char num[16];
      size_t k = ref_number(p, e, num, sizeof num);
      const char *st = r->last[0] ? r->last : r->own;
      if (k >= 3 && st[0] && (p + k >= e || p[k] == ' ' || p[k] == ',' || p[k] == ';')) {
        emit_cable(r, p, k, -1, st, num);
        p += k;
        at_start = true;
        after_bullet = false;
        continue;
      }
    }
    after_bullet = false;
    if (*p == '(' || *p == '[') {
      /* "(2007) MOSCOW 1234", "[07] ...": a year in brackets before a
       * reference is its year */
      size_t d = count_digits(p + 1, e);
      if ((d == 2 || d == 4) && p + 1 + d < e && p[1 + d] == (*p == '(' ? ')' : ']')) {
        long v = strtol(p + 1, NULL, 10);
        if (d == 2 || (v >= 1940 && v <= 2020)) {
          r->pending_yy = (int)(v % 100);
          p += d + 2;
          at_start = true;
          continue;
        }
      }
      const char *c = memchr(p, *p == '(' ? ')' : ']', (size_t)(e - p < 160 ? e - p : 160));
      p = c && c - p < 160 ? c + 1 : p + 1;
      at_start = true;
      continue;
    }
    if (has_word_ci(p, e, "AND")) {
      p += 3;
      at_start = true;
      continue;
    }
    while (p < e && !is_space((unsigned char)*p) && *p != ',' && *p != ';' && *p != '(')
      p++;
    at_start = false;
  }
  ref_item_end(r, e);
}

void body_references(struct body *b) {
  const char *t = b->t, *e = b->end, *p, *v = NULL;
  bool bulleted = false;
  const char *lim = b->hdr_lim;
  /* the R of each place, 16 bytes at a time */
  for (p = find_either(t, lim, 'R', 'r'); p < lim; p = find_either(p + 1, lim, 'R', 'r'))
    if ((v = ref_keyword(t, p, e, &bulleted))) break;
  if (!v) return;
  /* The lines of the list. */
  const char *first = bulleted ? skip_hspace(line_start(t, p), p) : v;
  const char *le = line_end(v, e), *last = le;
  int lines = 0;
  for (const char *q = le; q < e && lines < REF_LINES; lines++) {
    const char *n = q + 1;
    if (n >= e) break;
    const char *nle = line_end(n, e);
    if (is_blank(n, nle)) {
      /* blank lines: go on only when the list visibly does */
      const char *m = n;
      while (m < e && is_blank(m, line_end(m, e)) && line_end(m, e) < e)
        m = line_end(m, e) + 1;
      const char *mle = line_end(m, e);
      const char *lt = last;
      while (lt > first && is_space((unsigned char)lt[-1]))
        lt--;
      bool dangling = lt > first && (lt[-1] == ',' || lt[-1] == ')' || lt[-1] == ':') &&
                      lt - first >= 2 && (lt[-1] != ')' || is_upper((unsigned char)lt[-2]));
      if (m >= e || is_blank(m, mle) || ref_stop_line(b, m, mle) ||
          (!ref_more_line(m, mle) && !dangling && !is_furniture_line(m, mle)))
        break;
      q = last = mle;
      continue;
    }
    if (ref_stop_line(b, n, nle)) break;
    q = last = nle;
  }
  if (last - first > REF_BYTES) last = first + REF_BYTES; /* a one-line body */
  /* Fold it, drop page furniture, cut at what follows the list on its last line. */
  struct cx_buf blk;
  cx_buf_init(&blk, b->cap);
  fold_spaces(b, &blk, first, last, false);
  if (b->rc == CX_FATAL || !blk.data) {
    cx_buf_free(&blk);
    return;
  }
  if (last > b->hdr_end) b->hdr_end = last;
  char *s = blk.data, *se = blk.data + blk.len;
  static const char *const cuts[] = {
      "CLASSIFIED BY", "CLASSIIED BY", "CLASSIFIED:", "SENSITIVE BUT", "C O N F",
      "S E C R E T",   "U N C L A S",  "SUMMARY",     "BEGIN SUMMARY"};
  for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
    const char *c = find_ci(s, s, se, cuts[i], true);
    if (c) se = (char *)c;
  }
  /* furniture: replace by spaces */
  for (char *q = s; q < se; q++) {
    if (!at_word_start(s, q)) continue;
    const char *m = page_marker(q, se, true, 1);
    if (!m) m = NULL;
    if (!m && is_digit((unsigned char)*q)) m = marker_tail(q, se, true);
    if (m) {
      memset(q, ' ', (size_t)(m - q));
      q = (char *)m - 1;
    }
  }
  struct refs r;
  memset(&r, 0, sizeof r);
  r.b = b;
  r.s = s;
  r.e = se;
  r.yy = b->year > 0 ? b->year % 100 : -1;
  r.pending_yy = -1;
  /* the cable's own station: "06ALMATY3065" -> ALMATY */
  const char *id = b->c->canonical_id ? b->c->canonical_id : b->c->id;
  if (id && is_digit((unsigned char)id[0]) && is_digit((unsigned char)id[1])) {
    size_t n = 0;
    for (const char *q = id + 2; *q && is_alpha((unsigned char)*q) && n + 1 < sizeof r.own; q++)
      r.own[n++] = (char)to_upper((unsigned char)*q);
    r.own[n] = '\0';
    if (r.yy < 0) r.yy = (id[0] - '0') * 10 + (id[1] - '0');
  }
  refs_scan(&r);
  cx_buf_free(&blk);
}
