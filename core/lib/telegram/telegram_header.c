/* telegram_header.c - the telegram header: where it ends, and what its
 * lines say (VZCZC transmission id, routing, DE, security line, precedence
 * and DTG, FM, TO, INFO, XMT, and the distribution block of older cables).
 *
 * Lines are recognised by hand-written matchers rather than regular
 * expressions: every cable of a corpus goes through them.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/cable.h"
#include "telegram_internal.h"
#include "text.h"

static bool tok_eq(struct span t, const char *w) {
  return t.n == strlen(w) && !memcmp(t.s, w, t.n);
}

static bool starts_with(struct span l, const char *w) {
  size_t n = strlen(w);
  return l.n >= n && !memcmp(l.s, w, n);
}

/* The ctype tests of this file are text.h's ASCII ones: cablex never calls
 * setlocale(), so they are what <ctype.h> gives under "C", without its
 * table lookups. */

/* w in upper case, n its length. */
static bool starts_with_ci_n(struct span l, const char *w, size_t n) {
  if (l.n < n) return false;
  for (size_t i = 0; i < n; i++)
    if (to_upper((unsigned char)l.s[i]) != (unsigned char)w[i]) return false;
  return true;
}

static bool starts_with_ci(struct span l, const char *w) {
  return starts_with_ci_n(l, w, strlen(w));
}

static bool has_lower(struct span l) {
  size_t i = 0;
  /* 8 bytes at a time: a byte b is 'a'..'z' when its top bit is clear and
   * its low seven bits plus 0x1f reach 0x80 and plus 0x05 do not (no carry
   * leaves a byte: 0x7f + 0x1f < 0x100) */
  const uint64_t ones = 0x0101010101010101ULL, top = 0x8080808080808080ULL;
  for (; i + 8 <= l.n; i += 8) {
    uint64_t x;
    memcpy(&x, l.s + i, 8);
    uint64_t y = x & ~top;
    if ((y + 0x1f * ones) & ~(y + 0x05 * ones) & ~x & top) return true;
  }
  for (; i < l.n; i++)
    if (is_lower((unsigned char)l.s[i])) return true;
  return false;
}

/* A routing indicator: RUEHC, RUEHTRO, RHMFIUU ... */
static bool is_ri(struct span t) {
  if (t.n < 4 || t.n > 8 || t.s[0] != 'R') return false;
  for (size_t i = 1; i < t.n; i++)
    if (!is_upper((unsigned char)t.s[i]) && !is_digit((unsigned char)t.s[i])) return false;
  return true;
}

static const char *const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

int cx_month_number(const char *s, size_t n) {
  if (n != 3) return 0;
  char u[3] = {(char)to_upper((unsigned char)s[0]), (char)to_upper((unsigned char)s[1]),
               (char)to_upper((unsigned char)s[2])};
  for (int m = 0; m < 12; m++)
    if (u[0] == months[m][0] && u[1] == months[m][1] && u[2] == months[m][2]) return m + 1;
  return 0;
}

/* "281138Z AUG 06" at the start of rest: ddhhmmZ, month, 2-digit year.
 * On success the three tokens are consumed and dtg spans them. */
static bool take_dtg(struct span *rest, struct span *dtg) {
  struct span r = *rest, a, b, c;
  if (!next_token(&r, &a) || a.n != 7 || (a.s[6] != 'Z' && a.s[6] != 'z')) return false;
  for (int i = 0; i < 6; i++)
    if (!is_digit((unsigned char)a.s[i])) return false;
  if (!next_token(&r, &b) || !cx_month_number(b.s, b.n)) return false;
  if (!next_token(&r, &c) || (c.n != 2 && c.n != 4) || !all_digits(c)) return false;
  dtg->s = a.s;
  dtg->n = (size_t)(c.s + c.n - a.s);
  *rest = r;
  return true;
}

/* One of O P R Z Y (what strchr("OPRZY", c) was, for a c that is no NUL:
 * the text has none). */
static bool is_prec_char(char c) {
  return c == 'O' || c == 'P' || c == 'R' || c == 'Z' || c == 'Y';
}

static bool is_prec_letter(struct span t) {
  return t.n == 1 && is_prec_char(t.s[0]);
}

/* Precedence prosigns before a DTG ("P", "O R", "O P"); the DTG follows. */
static bool prec_dtg(struct span l, struct span *prec, struct span *dtg) {
  struct span r = l, t;
  size_t k = 0;
  const char *first = NULL, *last = NULL;
  for (;;) {
    struct span save = r;
    if (take_dtg(&r, dtg)) break;
    r = save;
    if (!next_token(&r, &t) || !is_prec_letter(t) || ++k > 3) return false;
    if (!first) first = t.s;
    last = t.s + t.n;
  }
  if (!k) return false;
  prec->s = first;
  prec->n = (size_t)(last - first);
  return true;
}

/* A token of the distribution block: "LOG-00", "CIAE-01", "/012W", "W". */
static bool is_dist_token(struct span t) {
  if (t.n && t.s[0] == '/') {
    size_t i = 1;
    while (i < t.n && is_digit((unsigned char)t.s[i]))
      i++;
    return i > 1 && (i == t.n || (i + 1 == t.n && is_upper((unsigned char)t.s[i])));
  }
  if (tok_eq(t, "W")) return true;
  if (t.n < 4 || t.s[t.n - 3] != '-') return false;
  if (!is_digit((unsigned char)t.s[t.n - 1]) || !is_digit((unsigned char)t.s[t.n - 2]))
    return false;
  for (size_t i = 0; i + 3 < t.n; i++)
    if (!is_upper((unsigned char)t.s[i]) && !is_digit((unsigned char)t.s[i])) return false;
  return true;
}

static bool all_dist_tokens(struct span r) {
  struct span t;
  int k = 0;
  while (next_token(&r, &t)) {
    if (!is_dist_token(t)) return false;
    k++;
  }
  return k > 0;
}

static const char *banner_word(const char *sq, size_t k) {
#define W(w, norm)                                                                                 \
  { w, sizeof w - 1, norm }
  static const struct {
    const char *w;
    size_t n; /* strlen(w), not counted at every call */
    const char *norm;
  } words[] = {W("UNCLASSIFIED", "UNCLASSIFIED"), W("UNCLAS", "UNCLASSIFIED"),
               W("CONFIDENTIAL", "CONFIDENTIAL"), W("SECRET", "SECRET"),
               W("TOPSECRET", "TOP SECRET"),      W("LIMITEDOFFICIALUSE", "LIMITED OFFICIAL USE")};
#undef W
  if (k < 6) return NULL; /* shorter than any word: spaced letters ask at each one */
  for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
    size_t wl = words[w].n;
    if (k == wl && !memcmp(sq, words[w].w, wl)) return words[w].norm;
    /* a doubled first letter: "UUNCLAS" */
    if (k == wl + 1 && sq[0] == sq[1] && !memcmp(sq + 1, words[w].w, wl)) return words[w].norm;
  }
  return NULL;
}

/* cx_banner_class on the trimmed line l, its first token t and the rest
 * r after it (classify has them already); the offset is from s. */
static size_t banner_class(const char *s, struct span l, struct span r, struct span t, char *word,
                           size_t size) {
  /* zeroed: the sanitizer build's gcc cannot tell that banner_word reads
   * none of it unset */
  char sq[24] = {0};
  size_t k = 0;
  const char *norm = NULL, *stop = NULL;
  /* the leading letters of the first token: "SECRET//NOFORN" gives SECRET */
  size_t i = 0;
  while (i < t.n && is_alpha((unsigned char)t.s[i]))
    i++;
  if (i >= 3) {
    /* every banner word, and TOP and LIMITED, starts with one of these:
     * most first words of a line are no banner at their first letter */
    int c0 = to_upper((unsigned char)t.s[0]);
    if (c0 != 'U' && c0 != 'C' && c0 != 'S' && c0 != 'T' && c0 != 'L') return 0;
    for (size_t j = 0; j < i && k < sizeof sq; j++)
      sq[k++] = (char)to_upper((unsigned char)t.s[j]);
    norm = banner_word(sq, k);
    stop = t.s + i;
    /* "TOP SECRET", "LIMITED OFFICIAL USE" */
    struct span q = r, u, v;
    if (!norm && k == 3 && !memcmp(sq, "TOP", 3) && next_token(&q, &u) && tok_ieq(u, "SECRET")) {
      norm = "TOP SECRET";
      stop = u.s + u.n;
    } else if (!norm && k == 7 && !memcmp(sq, "LIMITED", 7) && next_token(&q, &u) &&
               tok_ieq(u, "OFFICIAL") && next_token(&q, &v) && tok_ieq(v, "USE")) {
      norm = "LIMITED OFFICIAL USE";
      stop = v.s + v.n;
    }
  } else {
    /* spaced letters: "C O N F I D E N T I A L", "SE C R E T", "S e c r e t" */
    for (;;) {
      if (t.n > 2) break;
      for (size_t j = 0; j < t.n; j++)
        if (!is_alpha((unsigned char)t.s[j])) return 0;
      if (k + t.n > sizeof sq) break;
      for (size_t j = 0; j < t.n; j++)
        sq[k++] = (char)to_upper((unsigned char)t.s[j]);
      if ((norm = banner_word(sq, k)) != NULL) {
        /* UNCLAS could go on to UNCLASSIFIED */
        struct span q = r, u;
        if (k == 6 && next_token(&q, &u) && u.n <= 2 && tok_ieq(u, "S")) norm = NULL;
        if (norm) {
          stop = t.s + t.n;
          break;
        }
      }
      if (!next_token(&r, &t)) break;
    }
  }
  if (!norm) return 0;
  /* SECRETARY is no banner */
  if (stop < l.s + l.n && is_alpha((unsigned char)*stop)) return 0;
  if (word && size) {
    size_t nl = strlen(norm);
    if (nl >= size) nl = size - 1;
    memcpy(word, norm, nl);
    word[nl] = '\0';
  }
  return (size_t)(stop - s);
}

size_t cx_banner_class(const char *s, size_t n, char *word, size_t size) {
  struct span l = trim((struct span){s, n}), r = l, t;
  if (!next_token(&r, &t)) return 0;
  return banner_class(s, l, r, t, word, size);
}

enum kind {
  K_BLANK,
  K_VZCZC,
  K_ROUTING,
  K_RI_LINE,
  K_DE,
  K_SECURITY,
  K_PREC_DTG,
  K_DTG,
  K_FM,
  K_TO,
  K_INFO,
  K_XMT,
  K_PARTIAL,
  K_DIST,
  K_BANNER,
  K_MARKER,
  K_OTHER
};

static const char partial_notice[] = "This record is a partial extract of the original cable.";

/* Lines that only start the body: captions, E.O., TAGS, SUBJECT, REF,
 * paragraph numbers. */
static bool is_marker(struct span t) {
#define M(w)                                                                                       \
  { w, sizeof w - 1 }
  static const struct {
    const char *w;
    size_t n;
  } m[] = {M("SUBJECT"), M("SUBJ:"),  M("TAGS"),      M("TAG "), M("E.O."),    M("E. O."),
           M("EO 1"),    M("SIPDIS"), M("REF:"),      M("REFS"), M("REF "),    M("CLASSIFIED BY"),
           M("SUMMARY"), M("NOFORN"), M("SENSITIVE"), M("DECL"), M("PASS TO"), M("FOR ")};
#undef M
  /* the first letter rules out most markers */
  int c0 = t.n ? to_upper((unsigned char)t.s[0]) : -1;
  switch (c0) {
  case 'S':
  case 'T':
  case 'E':
  case 'R':
  case 'C':
  case 'N':
  case 'D':
  case 'P':
  case 'F':
    for (size_t i = 0; i < sizeof m / sizeof *m; i++)
      if (c0 == (unsigned char)m[i].w[0] && starts_with_ci_n(t, m[i].w, m[i].n)) return true;
    break;
  default:
    break;
  }
  if (t.n >= 2 && is_digit((unsigned char)t.s[0])) {
    size_t i = 0;
    while (i < t.n && is_digit((unsigned char)t.s[i]))
      i++;
    if (i < t.n && t.s[i] == '.') return true;
  }
  if (t.n >= 3 && t.s[0] == '(' && (t.s[2] == ')' || t.s[2] == '/' || t.s[3] == ')')) return true;
  return false;
}

static enum kind classify(struct span raw) {
  struct span l = trim(raw), r = l, t, a, b;
  if (!l.n) return K_BLANK;
  bool indented = is_blank_char(raw.s[0]); /* raw.n > 0: l is not empty */
  if (starts_with(l, partial_notice)) return K_PARTIAL;
  if (!indented && starts_with(l, "VZCZC")) return K_VZCZC;
  if (starts_with(l, "-----")) return K_DIST;
  if (tok_eq((struct span){l.s, l.n}, "Distribution:")) return K_DIST;
  next_token(&r, &t);
  if (!indented) {
    struct span rr = r;
    /* t is l's first token: prosigns start with one letter ("R 281138Z
     * AUG 06"), a DTG with its 7-byte group */
    if (t.n == 1 && prec_dtg(l, &a, &b)) return K_PREC_DTG;
    struct span dl = l;
    if (t.n == 7 && take_dtg(&dl, &a) && !trim(dl).n) return K_DTG;
    if (tok_eq(t, "DE") && next_token(&rr, &a) && is_ri(a)) return K_DE;
    if (t.n == 3 && t.s[0] == 'Z' && t.s[1] == 'N' && is_upper((unsigned char)t.s[2]) && r.n)
      return K_SECURITY;
    if (tok_eq(t, "ACTION") && next_token(&rr, &a) && is_dist_token(a)) return K_DIST;
    if (tok_eq(t, "PAGE") && next_token(&rr, &a) && a.n == 2 && all_digits(a)) return K_DIST;
    if (tok_eq(t, "INFO") && all_dist_tokens(r)) return K_DIST;
    if (tok_eq(t, "FM") && trim(r).n) return K_FM;
    if (tok_eq(t, "TO") && trim(r).n) return K_TO;
    if (tok_eq(t, "INFO") && trim(r).n) return K_INFO;
    if (tok_eq(t, "XMT") || starts_with(l, "XMT/")) return K_XMT;
    /* precedence prosigns then routing indicators: "PP RUEHDBU RUEHIK" */
    if (t.n <= 2 && t.n && is_prec_char(t.s[0]) && (t.n == 1 || is_prec_char(t.s[1]))) {
      bool any = false, ok = true;
      /* the first token that is no routing indicator decides: the rest
       * of the line is not read */
      while (ok && next_token(&rr, &a)) {
        any = true;
        if (!is_ri(a)) ok = false;
      }
      if (any && ok) return K_ROUTING;
    }
    {
      struct span q = l;
      bool ok = true;
      while (ok && next_token(&q, &a))
        if (!is_ri(a)) ok = false;
      if (ok) return K_RI_LINE;
    }
  }
  if (all_dist_tokens(l)) return K_DIST;
  if (banner_class(l.s, l, r, t, NULL, 0)) return K_BANNER; /* r, t: l's, as it would find */
  if (is_marker(l)) return K_MARKER;
  return K_OTHER;
}

static bool is_strong(enum kind k) {
  switch (k) {
  case K_VZCZC:
  case K_ROUTING:
  case K_DE:
  case K_SECURITY:
  case K_PREC_DTG:
  case K_DTG:
  case K_FM:
  case K_TO:
  case K_INFO:
  case K_XMT:
  case K_PARTIAL:
  case K_DIST:
    return true;
  default:
    return false;
  }
}

static const char *const precedences[] = {
    "NIACT IMMEDIATE", "OPERATIONAL IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH"};
/* their lengths */
static const size_t precedence_len[] = {15, 21, 9, 8, 7, 5};
_Static_assert(sizeof precedence_len / sizeof *precedence_len ==
                   sizeof precedences / sizeof *precedences,
               "one length a precedence");

/* Before any header line is known, a FM/TO/INFO/XMT line must look like an
 * address, so that prose starting with "TO THE" is not taken for one. */
static bool looks_like_address(struct span l) {
  struct span r = trim(l), t;
  next_token(&r, &t); /* the keyword */
  r = trim(r);
  if (!r.n) return false;
  if (starts_with(r, "XMT ") || starts_with(r, "XMT/")) return true;
  static const char *const kw[] = {"AMEMBASSY",  "AMCONSUL",   "SECSTATE", "USMISSION", "WASHDC",
                                   "WASHINGTON", "COLLECTIVE", "USINT",    "PAGE ",     "SECDEF",
                                   "USDEL",      "USUN",       "USNATO",   "USEU",      "/"};
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++) {
    size_t kl = strlen(kw[i]);
    for (size_t j = 0; j + kl <= r.n; j++)
      if (!memcmp(r.s + j, kw[i], kl)) return true;
  }
  struct span last = {0, 0}, q = r;
  while (next_token(&q, &t))
    last = t;
  if (all_digits(last)) return true;
  for (size_t i = 0; i < sizeof precedences / sizeof *precedences; i++) {
    size_t pl = strlen(precedences[i]);
    if (r.n >= pl && !memcmp(r.s + r.n - pl, precedences[i], pl)) return true;
  }
  return false;
}

/* A line that may sit in a header without being recognised: an addressee
 * continuing a list, or furniture such as "TED1302".  Header lines are in
 * capitals. */
static bool is_weak(struct span l) {
  struct span t = trim(l);
  return t.n && t.n <= 120 && !has_lower(t) && !is_marker(t);
}

/* is_weak for a line that classify() gave kind k: a K_OTHER line is no
 * marker (classify asked), a K_MARKER line is one. */
static bool is_weak_kind(struct span l, enum kind k) {
  if (k == K_MARKER) return false;
  if (k != K_OTHER) return is_weak(l);
  struct span t = trim(l);
  return t.n && t.n <= 120 && !has_lower(t);
}

#define LOOKAHEAD_LINES 64

/* A printout's preamble: the lines a search result or an inbox form puts
 * in front of the telegram ("<<240168>>", "12/16/2009 14:15",
 * "09NAIROBI2497", "Embassy Nairobi", "SECRET//NOFORN", field lines).  It
 * is at most this many lines, then the telegram header starts. */
#define PREAMBLE_LINES 40

/* A line of the telegram body: a banner with its serial, a numbered
 * paragraph, the E.O. line, "Classified By".  No preamble holds one. */
static bool is_body_line(struct span raw) {
  struct span l = trim(raw), r = l, t, last = {0, 0};
  if (!l.n) return false;
  if (starts_with_ci(l, "E.O.") || starts_with_ci(l, "E. O.") || starts_with_ci(l, "EO 1") ||
      starts_with_ci(l, "CLASSIFIED BY"))
    return true;
  size_t d = 0;
  while (d < l.n && is_digit((unsigned char)l.s[d]))
    d++;
  if (d && d <= 3 && d + 1 < l.n && l.s[d] == '.' && is_blank_char(l.s[d + 1])) return true;
  if (!cx_banner_class(l.s, l.n, NULL, 0)) return false;
  while (next_token(&r, &t))
    last = t;
  return last.n >= 3 && all_digits(last);
}

/* Where a telegram header starts after a preamble at pos: a VZCZC, DE or
 * precedence + DTG line with an FM line a few lines on, and no line of
 * the body before it.  Returns its offset, or 0 when there is none. */
static size_t header_after_preamble(const char *text, size_t len, size_t pos) {
  for (int seen = 0; pos < len && seen < PREAMBLE_LINES; seen++) {
    size_t next;
    struct span l = line_at(text, len, pos, &next);
    enum kind k = classify(l);
    if (k == K_VZCZC || k == K_DE || k == K_PREC_DTG) {
      size_t q = next;
      for (int i = 0; q < len && i < 12; i++) {
        size_t qn;
        if (classify(line_at(text, len, q, &qn)) == K_FM) return pos;
        q = qn;
      }
    }
    if (is_body_line(l)) return 0;
    pos = next;
  }
  return 0;
}

size_t cx_telegram_split(const char *text, size_t len, struct line_kinds *kinds) {
  size_t pos = 0, header_end = 0;
  bool any = false, blank_before = false, in_list = false, in_routing = false;
  /* the last line a look ahead classified: it is where reading goes on */
  size_t seen_pos = (size_t)-1;
  enum kind seen_kind = K_BLANK;
  if (kinds) kinds->n = 0;
  while (pos < len) {
    size_t next;
    struct span l = line_at(text, len, pos, &next);
    enum kind k = pos == seen_pos ? seen_kind : classify(l);
    if (kinds && kinds->n < CX_LINE_KINDS) {
      kinds->pos[kinds->n] = pos;
      kinds->kind[kinds->n++] = (unsigned char)k;
    }
    if (k == K_BLANK) {
      blank_before = true;
      pos = next;
      continue;
    }
    bool accept = false;
    if (k == K_RI_LINE && in_routing && !blank_before) {
      accept = true;
    } else if (is_strong(k) && k != K_RI_LINE) {
      accept =
          any || (k != K_FM && k != K_TO && k != K_INFO && k != K_XMT) || looks_like_address(l);
    } else if (in_list && !blank_before && k != K_BANNER && k != K_MARKER && is_weak_kind(l, k)) {
      accept = true; /* an addressee continuing TO / INFO / XMT */
    }
    if (accept) {
      header_end = next;
      any = true;
      blank_before = false;
      in_routing = k == K_ROUTING || (k == K_RI_LINE && in_routing);
      if (k == K_TO || k == K_INFO || k == K_XMT || k == K_FM)
        in_list = true;
      else if (k != K_OTHER && k != K_RI_LINE && k != K_BANNER)
        in_list = false;
      pos = next;
      continue;
    }
    /* Unrecognised lines belong to the header only when header lines
     * follow them: a banner-like page line right before one ("CONFIDENTIAL"
     * then "PAGE 01 ..."), or a run of capitals before one (the tail of an
     * addressee list cut by a page break). */
    size_t q = next, seen = 0;
    bool found = false;
    if (k == K_BANNER) {
      while (q < len && seen++ < LOOKAHEAD_LINES) {
        size_t qn;
        enum kind qk = classify(line_at(text, len, q, &qn));
        seen_pos = q;
        seen_kind = qk;
        if (qk != K_BLANK) {
          found = is_strong(qk) && (any || qk != K_TO);
          break;
        }
        q = qn;
      }
    } else if (is_weak_kind(l, k)) {
      while (q < len && seen++ < LOOKAHEAD_LINES) {
        size_t qn;
        struct span ql = line_at(text, len, q, &qn);
        enum kind qk = classify(ql);
        seen_pos = q;
        seen_kind = qk;
        if (is_strong(qk) && qk != K_RI_LINE &&
            (any || (qk != K_FM && qk != K_TO && qk != K_INFO && qk != K_XMT) ||
             looks_like_address(ql))) {
          found = true;
          break;
        }
        if (qk != K_BLANK && (qk == K_BANNER || !is_weak_kind(ql, qk))) break;
        q = qn;
      }
    }
    if (!found) {
      /* a printout's preamble, then the header */
      q = any ? 0 : header_after_preamble(text, len, pos);
      if (!q) break;
    }
    /* everything up to line q is header; go on from there */
    header_end = q;
    pos = q;
    any = true;
    blank_before = false;
    in_list = false;
    in_routing = false;
  }
  if (!any) return 0;
  /* the blank lines that end the header are part of it */
  pos = header_end;
  while (pos < len) {
    size_t next;
    struct span l = line_at(text, len, pos, &next);
    if (trim(l).n) break;
    header_end = pos = next;
  }
  return header_end;
}

/* ---- parsing the header's lines into c->header ---- */

static int set_span(char **dst, struct span t) {
  return cx_set_n(dst, t.s, t.n);
}

/* Copies t with runs of blanks folded into one space (at most 511 bytes
 * of it). */
static int set_folded(char **dst, struct span t) {
  char buf[512];
  /* most values have single spaces only: then they are copied as they are */
  t = trim(t);
  if (t.n < sizeof buf) {
    size_t i = 0;
    for (; i < t.n; i++) {
      unsigned char c = (unsigned char)t.s[i];
      if (c > ' ') continue; /* no blank */
      if (c == ' ' ? is_blank_char(t.s[i + 1]) : is_blank_char((char)c)) break;
    }
    if (i == t.n) return cx_set_n(dst, t.s, t.n);
  }
  size_t n = 0;
  bool sp = false;
  for (size_t i = 0; i < t.n && n < sizeof buf - 1; i++) {
    if (is_blank_char(t.s[i])) {
      sp = n > 0;
      continue;
    }
    if (sp) buf[n++] = ' ';
    sp = false;
    if (n < sizeof buf - 1) buf[n++] = t.s[i];
  }
  return cx_set_n(dst, buf, n);
}

/* "RUEHC/SECSTATE WASHDC PRIORITY 6738" -> RI, name, precedence, serial. */
static int add_recipient(struct cx_recipients *list, struct span r) {
  r = trim(r);
  if (!r.n) return CX_OK;
  struct cx_recipient *rc = cx_recipients_add(list);
  if (!rc) return CX_FATAL;
  const char *slash = memchr(r.s, '/', r.n);
  if (slash) {
    struct span ri = {r.s, (size_t)(slash - r.s)};
    if (is_ri(ri)) {
      if (set_span(&rc->routing_indicator, ri)) return CX_FATAL;
      r.s = slash + 1;
      r.n -= ri.n + 1;
      r = trim(r);
    }
  }
  /* serial: a trailing number (the last token: r is trimmed, so it is the
   * run of non-blanks at its end) */
  size_t b = r.n;
  while (b && !is_blank_char(r.s[b - 1]))
    b--;
  struct span last = {r.s + b, r.n - b};
  if (last.n >= 3 && last.n <= 5 && all_digits(last) && last.s > r.s) {
    if (set_span(&rc->serial, last)) return CX_FATAL;
    r.n = (size_t)(last.s - r.s);
    r = trim(r);
  }
  for (size_t i = 0; i < sizeof precedences / sizeof *precedences; i++) {
    size_t pl = precedence_len[i];
    if (r.n > pl && r.s[r.n - 1] == precedences[i][pl - 1] &&
        !memcmp(r.s + r.n - pl, precedences[i], pl) && is_blank_char(r.s[r.n - pl - 1])) {
      if (cx_set(&rc->precedence, precedences[i])) return CX_FATAL;
      r.n -= pl;
      r = trim(r);
      break;
    }
  }
  return set_folded(&rc->name, r);
}

static int add_excluded(struct cx_recipients *list, struct span r) {
  r = trim(r);
  if (!r.n || !list || !list->n) return CX_OK; /* nothing to exclude from */
  char *name = NULL;
  if (set_folded(&name, r)) return CX_FATAL;
  int rc = cx_strv_push(&list->v[list->n - 1].excluded, name);
  free(name);
  return rc;
}

static int append_routing(char **dst, struct span l) {
  if (!*dst) return set_span(dst, l);
  size_t old = strlen(*dst);
  char *p = realloc(*dst, old + 1 + l.n + 1);
  if (!p) return CX_FATAL;
  p[old] = '\n';
  memcpy(p + old + 1, l.s, l.n);
  p[old + 1 + l.n] = '\0';
  *dst = p;
  return CX_OK;
}

/* A TO/INFO line that is a page header: "TO PAGE 02 STATE 015113 182333Z". */
static bool is_page_header(struct span r) {
  struct span t, q = trim(r);
  return next_token(&q, &t) && tok_eq(t, "PAGE");
}

/* The header parser's state from line to line. */
struct hdr {
  struct cx_header *h;
  struct cx_recipients *list; /* the TO / INFO list being continued */
  bool xmt;                   /* the last addressee line was an XMT */
  bool routing;               /* the last line was routing */
  bool started;               /* a line of the header proper was seen */
  bool preamble;              /* other lines came before it */
  bool copy;                  /* a second copy of the header began */
};

/* The lines that say one thing each: VZCZC, routing, DE, security,
 * precedence + DTG, FM.  The first of each counts; one of them coming
 * again after the FM line starts a copy of the header (a printout repeats
 * it after its preamble), which is not read. */
static int header_field(struct hdr *st, enum kind k, struct span l, struct span rest) {
  struct cx_header *h = st->h;
  struct span a, b;
  if (h->from && (k == K_VZCZC || k == K_DE || (k == K_PREC_DTG && h->dtg))) {
    st->copy = true;
    return CX_OK;
  }
  st->started = true;
  st->list = NULL;
  switch (k) {
  case K_VZCZC:
    return h->transmission_id ? CX_OK : set_span(&h->transmission_id, l);
  case K_ROUTING:
    st->routing = true;
    return h->routing ? CX_OK : set_span(&h->routing, l);
  case K_DE:
    return h->de ? CX_OK : set_span(&h->de, trim(rest));
  case K_SECURITY:
    return h->security ? CX_OK : set_span(&h->security, l);
  case K_PREC_DTG:
    prec_dtg(l, &a, &b);
    if (!h->precedence && set_folded(&h->precedence, a)) return CX_FATAL;
    return h->dtg ? CX_OK : set_folded(&h->dtg, b);
  case K_DTG:
    return !h->dtg && take_dtg(&l, &b) ? set_folded(&h->dtg, b) : CX_OK;
  default: /* K_FM */
    return h->from ? CX_OK : set_folded(&h->from, trim(rest));
  }
}

/* TO / INFO / XMT lines and the addressees continuing their lists. */
static int header_addressee(struct hdr *st, enum kind k, struct span l, struct span rest) {
  struct cx_header *h = st->h;
  if (k == K_TO || k == K_INFO) {
    if (st->preamble && !st->started) return CX_OK; /* a preamble's line */
    st->list = k == K_TO ? &h->to : &h->info;
    st->xmt = false;
    rest = trim(rest);
    /* "INFO XMT FOOBAR": an exclusion with nothing to exclude from */
    if (starts_with(rest, "XMT ") || starts_with(rest, "XMT/")) {
      st->xmt = true;
      rest.s += 4;
      rest.n -= 4;
      return add_excluded(st->list, rest);
    }
    return is_page_header(rest) ? CX_OK : add_recipient(st->list, rest);
  }
  if (k == K_XMT) {
    st->xmt = true;
    rest = l;
    rest.s += 3;
    rest.n -= 3;
    if (rest.n && rest.s[0] == '/') {
      rest.s++;
      rest.n--;
    }
    return st->list ? add_excluded(st->list, rest) : CX_OK;
  }
  /* K_RI_LINE, K_OTHER, K_MARKER: an addressee going on with the list */
  if (!st->started) st->preamble = true;
  if (!st->list) return CX_OK;
  if (st->xmt && !memchr(l.s, '/', l.n)) return add_excluded(st->list, l);
  st->xmt = false;
  return add_recipient(st->list, l);
}

/* The kind of the line raw at offset pos: as cx_telegram_split found it
 * (kinds from *j on), or worked out. */
static enum kind kind_at(const struct line_kinds *kinds, size_t *j, size_t pos, struct span raw) {
  if (kinds) {
    while (*j < kinds->n && kinds->pos[*j] < pos)
      ++*j;
    if (*j < kinds->n && kinds->pos[*j] == pos) return (enum kind)kinds->kind[*j];
  }
  return classify(raw);
}

int cx_telegram_header(struct cx_cable *c, const char *text, size_t len, unsigned long first_line,
                       struct cx_ctx *ctx, const struct line_kinds *kinds) {
  struct hdr st = {.h = &c->header};
  unsigned long lineno = first_line;
  bool blank_before = false;
  size_t kj = 0;
  for (size_t pos = 0; pos < len && !st.copy; lineno++) {
    size_t next;
    struct span raw = line_at(text, len, pos, &next);
    struct span l = trim(raw), rest = l, t;
    enum kind k = kind_at(kinds, &kj, pos, raw);
    /* after a blank, a printout's preamble before a copy of the header
     * ends the addressee list */
    size_t copy_at = 0;
    if (blank_before && st.list && (k == K_OTHER || k == K_MARKER || k == K_RI_LINE))
      copy_at = header_after_preamble(text, len, pos);
    blank_before = k == K_BLANK;
    if (copy_at) {
      for (; pos < copy_at; pos++)
        if (text[pos] == '\n') lineno++;
      st.list = NULL;
      lineno--;
      continue;
    }
    pos = next;
    next_token(&rest, &t);
    bool was_routing = st.routing;
    st.routing = false;
    int rc = CX_OK;
    switch (k) {
    case K_VZCZC:
    case K_ROUTING:
    case K_DE:
    case K_SECURITY:
    case K_PREC_DTG:
    case K_DTG:
    case K_FM:
      rc = header_field(&st, k, l, rest);
      break;
    case K_RI_LINE:
      if (was_routing) {
        rc = append_routing(&st.h->routing, l);
        st.routing = true;
        break;
      }
      /* fall through - an addressee that happens to look like RIs */
    case K_TO:
    case K_INFO:
    case K_XMT:
    case K_OTHER:
    case K_MARKER:
      rc = header_addressee(&st, k, l, rest);
      break;
    case K_BLANK:
      break;
    default: /* distribution block, partial-extract notice, page lines */
      st.list = NULL;
      if (k == K_BANNER && !st.started) st.preamble = true;
      break;
    }
    if (rc != CX_OK) return cx_error(ctx, CX_FATAL, lineno, "out of memory");
  }
  return CX_OK;
}
