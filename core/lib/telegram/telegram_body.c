/* telegram_body.c - the telegram body: banner, SECTION n OF m, SIPDIS, the
 * E.O. line, TAGS, SUBJECT, REF, Classified By, SUMMARY, numbered paragraphs
 * and the signer.
 *
 * Ownership: the body text is borrowed; everything kept is copied into the
 * cable (see telegram_internal.h).
 *
 * The parser works on a cleaned copy of the body (pilcrows dropped, NBSP
 * made a space, CRLF made LF, line-end backslashes dropped, numeric HTML
 * entities decoded), so that every extracted field comes out the same
 * whichever page layout the cable was taken from.  Newlines are kept, so line
 * numbers still count.  Every scan is forward and bounded: the header fields
 * are looked for in the first few kilobytes only, the rest is walked once.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cablex/stream.h"
#include "stations.h"
#include "telegram_internal.h"

/* Where header fields (E.O., TAGS, SUBJECT, REF) may be: real cables have
 * them in the first kilobyte; office lines can push them a bit further. */
#define HDR_CAP 4000
/* How far a REF list may run. */
#define REF_LINES 40
#define REF_BYTES 8192
#define SIGNER_LINES 16

struct body {
  struct cx_cable *c;
  struct cx_ctx *ctx;
  const char *t; /* cleaned text, NUL-terminated */
  const char *end;
  int year;
  unsigned long first_line;
  int rc;
  const char *hdr_lim; /* start of paragraph 1 (or t + HDR_CAP) */
  const char *hdr_end; /* end of the last header field found */
  const char *subj_end;
  size_t cap; /* limit of every work buffer: more than any output can need */
  struct cx_buf tmp;
};

/* ------------------------------------------------------------------ */
/* Characters and small scanners (ASCII only: the locale must not matter). */

static bool is_sp(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static bool is_hs(int c) {
  return c == ' ' || c == '\t';
}
static bool is_dg(int c) {
  return c >= '0' && c <= '9';
}
static bool is_up(int c) {
  return c >= 'A' && c <= 'Z';
}
static bool is_lo(int c) {
  return c >= 'a' && c <= 'z';
}
static bool is_al(int c) {
  return is_up(c) || is_lo(c);
}
static bool is_an(int c) {
  return is_al(c) || is_dg(c);
}
static int up(int c) {
  return is_lo(c) ? c - 'a' + 'A' : c;
}

/* Case-insensitive: does [p,e) start with w? */
static bool ci_at(const char *p, const char *e, const char *w) {
  for (; *w; w++, p++)
    if (p >= e || up((unsigned char)*p) != up((unsigned char)*w)) return false;
  return true;
}

/* As ci_at, and the match ends a word. */
static bool ci_word(const char *p, const char *e, const char *w) {
  size_t n = strlen(w);
  return ci_at(p, e, w) && (p + n >= e || !is_an((unsigned char)p[n]));
}

static bool wstart(const char *t, const char *p) {
  return p == t || !is_an((unsigned char)p[-1]);
}

static const char *eol(const char *p, const char *e) {
  if (p >= e) return p;
  const char *q = memchr(p, '\n', (size_t)(e - p));
  return q ? q : e;
}

static const char *bol(const char *t, const char *p) {
  while (p > t && p[-1] != '\n')
    p--;
  return p;
}

/* Is p the first non-blank of its line?  Looks back over blanks only, so
 * that asking at every word stays linear. */
static bool first_on_line(const char *t, const char *p) {
  while (p > t && is_hs((unsigned char)p[-1]))
    p--;
  return p == t || p[-1] == '\n';
}

/* The first non-blank of p's line when it is at most `max` bytes before p,
 * else NULL (bounded, for the same reason). */
static const char *near_line_start(const char *t, const char *p, size_t max) {
  const char *q = p;
  while (q > t && q[-1] != '\n') {
    if ((size_t)(p - q) >= max) return NULL;
    q--;
  }
  while (q < p && is_hs((unsigned char)*q))
    q++;
  return q;
}

static const char *skip_hs(const char *p, const char *e) {
  while (p < e && is_hs((unsigned char)*p))
    p++;
  return p;
}

static const char *skip_sp(const char *p, const char *e) {
  while (p < e && is_sp((unsigned char)*p))
    p++;
  return p;
}

static bool blank(const char *p, const char *e) {
  return skip_sp(p, e) >= e;
}

static size_t digits(const char *p, const char *e) {
  size_t n = 0;
  while (p + n < e && is_dg((unsigned char)p[n]))
    n++;
  return n;
}

/* The first place in [p,e) where the first k (1 to 4) bytes of w may
 * start, by a case fold that is exact for letters and lets through more
 * for other bytes (x | 0x20 == y | 0x20): the caller checks each place
 * with ci_at().  A place too near e for k bytes is not returned (nothing
 * of w's length fits there); e when there is none.  The scans of whole
 * cables for a keyword go through here 16 places at a time. */
static const char *ci_pre(const char *p, const char *e, const char *w, size_t k) {
  unsigned char lc[4];
  for (size_t i = 0; i < k; i++)
    lc[i] = (unsigned char)(w[i] | 0x20);
#if defined(__SSE2__)
  const __m128i fold = _mm_set1_epi8(0x20);
  __m128i want[4];
  for (size_t i = 0; i < k; i++)
    want[i] = _mm_set1_epi8((char)lc[i]);
  while (e - p >= (ptrdiff_t)(16 + k - 1)) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_cmpeq_epi8(_mm_or_si128(v, fold), want[0]);
    for (size_t i = 1; i < k; i++) {
      v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
      hit = _mm_and_si128(hit, _mm_cmpeq_epi8(_mm_or_si128(v, fold), want[i]));
    }
    unsigned m = (unsigned)_mm_movemask_epi8(hit);
    if (m) return p + __builtin_ctz(m);
    p += 16;
  }
#endif
  for (; e - p >= (ptrdiff_t)k; p++) {
    size_t i = 0;
    while (i < k && ((unsigned char)p[i] | 0x20) == lc[i])
      i++;
    if (i == k) return p;
  }
  return e;
}

/* ci_pre() for the first bytes of w (as many as its length, at most 4). */
static const char *ci_next(const char *p, const char *e, const char *w) {
  size_t k = strlen(w);
  return ci_pre(p, e, w, k < 4 ? k : 4);
}

/* Case-insensitive search for w in [p,e), at a word start when `word`. */
static const char *ci_find(const char *t, const char *p, const char *e, const char *w, bool word) {
  if (!*w) { /* what the byte loop gives for "": the first NUL */
    const char *z = p < e ? memchr(p, '\0', (size_t)(e - p)) : NULL;
    return z;
  }
  for (p = ci_next(p, e, w); p < e; p = ci_next(p + 1, e, w))
    if (ci_at(p, e, w) && (!word || wstart(t, p))) return p;
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Output helpers. */

static void oom(struct body *b) {
  if (b->rc != CX_FATAL) b->rc = cx_error(b->ctx, CX_FATAL, 0, "out of memory");
}

static void put(struct body *b, char **dst, const char *s, size_t n) {
  if (cx_set_n(dst, s, n) != CX_OK) oom(b);
}

/* Appends [p,e) to o, whitespace runs folded to one space, without leading
 * or trailing space.  With `hyphen`, a hyphen ending a line joins the next
 * line without a space ("US- \nLATIN" -> "US-LATIN"). */
static void fold(struct body *b, struct cx_buf *o, const char *p, const char *e, bool hyphen) {
  size_t start = o->len;
  bool pend = false, nl = false;
  while (p < e) {
    unsigned char ch = (unsigned char)*p;
    if (is_sp(ch)) {
      pend = true;
      if (ch == '\n') nl = true;
      p++;
      continue;
    }
    if (pend && o->len > start) {
      bool join = hyphen && nl && o->data[o->len - 1] == '-' && o->len - start >= 2 &&
                  o->data[o->len - 2] != ' ';
      if (!join && cx_buf_addc(o, ' ') != CX_OK) oom(b);
    }
    pend = nl = false;
    /* the word, added at once */
    const char *q = p + 1;
    while (q < e && !is_sp((unsigned char)*q))
      q++;
    if (cx_buf_add(o, p, (size_t)(q - p)) != CX_OK) oom(b);
    p = q;
  }
}

static void trim_tail(struct cx_buf *o, const char *chars) {
  while (o->len && strchr(chars, o->data[o->len - 1])) {
    o->len--;
    o->data[o->len] = '\0';
  }
}

/* ------------------------------------------------------------------ */
/* Cleaning. */

static void put_utf8(struct cx_buf *o, unsigned long cp, int *rc) {
  char u[4];
  int n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  if (cx_buf_add(o, u, (size_t)n) != CX_OK) *rc = CX_FATAL;
}

/* The bytes clean() has to look at: NUL, CR, '&', '\\' and 0xC2. */
static const unsigned char clean_special[256] = {
    [0] = 1, ['\r'] = 1, ['&'] = 1, ['\\'] = 1, [0xC2] = 1};

static int clean(const char *s, size_t n, struct cx_buf *o) {
  int rc = CX_OK;
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n && rc == CX_OK;) {
    /* a run of bytes that need no care, copied at once */
    size_t run = i;
#if defined(__SSE2__)
    while (run + 16 <= n) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + run));
      __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()),
                                              _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
                                 _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')),
                                                           _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                              _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2))));
      unsigned m = (unsigned)_mm_movemask_epi8(hit);
      if (m) {
        run += (size_t)__builtin_ctz(m);
        break;
      }
      run += 16;
    }
#endif
    while (run + 4 <= n && !(clean_special[u[run]] | clean_special[u[run + 1]] |
                             clean_special[u[run + 2]] | clean_special[u[run + 3]]))
      run += 4;
    while (run < n && !clean_special[u[run]])
      run++;
    if (run > i) {
      if (cx_buf_add(o, s + i, run - i) != CX_OK) rc = CX_FATAL;
      i = run;
      continue;
    }
    unsigned char ch = (unsigned char)s[i];
    char out = (char)ch;
    if (ch == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xB6) { /* pilcrow */
      i += 2;
      continue;
    }
    if (ch == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) { /* NBSP */
      out = ' ';
      i += 2;
    } else if (ch == '\r') {
      i++;
      if (i < n && s[i] == '\n') continue;
      out = '\n';
    } else if (ch == '\\') {
      size_t j = i + 1;
      if (j < n && s[j] == 'n') { /* a literal "\n" left by a double escape */
        out = '\n';
        i += 2;
      } else {
        while (j < n && is_hs((unsigned char)s[j]))
          j++;
        i++;
        if (j >= n || s[j] == '\n') continue; /* line-continuation backslash */
      }
    } else if (ch == '&' && i + 3 < n && s[i + 1] == '#') {
      size_t j = i + 2;
      unsigned long cp = 0;
      while (j < n && j < i + 9 && is_dg((unsigned char)s[j]))
        cp = cp * 10 + (unsigned long)(s[j++] - '0');
      if (j > i + 2 && j < n && s[j] == ';' && cp >= 32 && cp <= 0x10FFFF &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        put_utf8(o, cp, &rc);
        i = j + 1;
        continue;
      }
      i++;
    } else if (ch == 0) {
      out = ' ';
      i++;
    } else {
      i++;
    }
    if (cx_buf_addc(o, out) != CX_OK) rc = CX_FATAL;
  }
  if (rc == CX_OK && cx_buf_addc(o, '\0') == CX_OK) o->len--;
  return rc;
}

static unsigned long line_of(const struct body *b, const char *p) {
  unsigned long l = b->first_line;
  for (const char *q = b->t; q < p; q++)
    if (*q == '\n') l++;
  return l;
}

/* ------------------------------------------------------------------ */
/* Page furniture inside the text: "ALMATY 00003065 002 OF 004",
 * "PRETORIA 00000954 001.2 OF 004", "PAGE 02 ROME 01196 01 OF 02 082030Z". */

/* Length of spaces at p (horizontal, or any when `any`). */
static const char *gap(const char *p, const char *e, bool any) {
  const char *q = any ? skip_sp(p, e) : skip_hs(p, e);
  return q > p ? q : NULL;
}

/* "nnn[.n] OF nnn" at p; returns its end or NULL. */
static const char *marker_tail(const char *p, const char *e, bool any) {
  size_t d = digits(p, e);
  if (d < 3 || d > 3) return NULL;
  p += d;
  if (p < e && *p == '.' && p + 1 < e && is_dg((unsigned char)p[1])) p += 1 + digits(p + 1, e);
  if (!(p = gap(p, e, any)) || !ci_word(p, e, "OF")) return NULL;
  if (!(p = gap(p + 2, e, any))) return NULL;
  d = digits(p, e);
  if (d != 3 || (p + d < e && is_an((unsigned char)p[d]))) return NULL;
  return p + d;
}

/* A page marker starting at p (a word start), its station name at most
 * `words` words long; returns its end or NULL. */
static const char *page_marker(const char *p, const char *e, bool any, int words) {
  const char *q;
  if (ci_word(p, e, "PAGE") && (q = gap(p + 4, e, any))) {
    size_t d = digits(q, e);
    if (d < 1 || d > 3 || !(q = gap(q + d, e, any))) return NULL;
    const char *w = q;
    while (q < e && is_up((unsigned char)*q))
      q++;
    if (q == w || !(q = gap(q, e, any))) return NULL;
    d = digits(q, e);
    if (d < 3 || d > 6 || !(q = gap(q + d, e, any))) return NULL;
    d = digits(q, e);
    if (d == 2) { /* "01 OF 02" */
      const char *r = gap(q + 2, e, any);
      if (r && ci_word(r, e, "OF") && (r = gap(r + 2, e, any)) && digits(r, e) == 2 &&
          (r = gap(r + 2, e, any)))
        q = r;
      d = digits(q, e);
    }
    if (d != 6 || q + 6 >= e || up((unsigned char)q[6]) != 'Z') return NULL;
    return q + 7;
  }
  /* STATION [WORDS] 000nnnnn nnn[.n] OF nnn */
  q = p;
  for (int w = 0; w < words; w++) {
    const char *s = q;
    while (q < e && (is_up((unsigned char)*q) || *q == '\'' || *q == '-'))
      q++;
    if (q == s || !(q = gap(q, e, false))) return NULL; /* one line */
    size_t d = digits(q, e);
    if (d >= 5 && d <= 8) {
      const char *r = gap(q + d, e, any);
      return r ? marker_tail(r, e, any) : NULL;
    }
  }
  return NULL;
}

/* Is the whole line [p,le) page furniture (a marker, a lone classification
 * word as printed at page breaks)? */
static bool furniture_line(const char *p, const char *le) {
  p = skip_hs(p, le);
  while (le > p && is_sp((unsigned char)le[-1]))
    le--;
  if (p >= le) return false;
  const char *m = page_marker(p, le, false, 4);
  if (m && skip_hs(m, le) >= le) return true;
  m = marker_tail(p, le, false);
  if (m && skip_hs(m, le) >= le) return true;
#define CLS(s)                                                                                     \
  { s, sizeof s - 1 }
  static const struct {
    const char *s;
    size_t n;
  } cls[] = {CLS("CONFIDENTIAL"),
             CLS("SECRET"),
             CLS("UNCLASSIFIED"),
             CLS("UNCLAS"),
             CLS("LIMITED OFFICIAL USE"),
             CLS("NOFORN"),
             CLS("SECRET NOFORN"),
             CLS("CONFIDENTIAL NOFORN"),
             CLS("SENSITIVE BUT UNCLASSIFIED")};
#undef CLS
  for (size_t i = 0; i < sizeof cls / sizeof *cls; i++)
    if ((size_t)(le - p) == cls[i].n && ci_at(p, le, cls[i].s)) return true;
  return false;
}

/* ------------------------------------------------------------------ */
/* Numbered paragraphs: "1. (C) text", "2.(SBU)", "3.A.", "12. TEXT". */

struct para {
  const char *start; /* line start */
  const char *num, *num_end;
  const char *mark, *mark_end; /* inside the parentheses, or NULL */
  const char *text;            /* where the paragraph text begins */
  long n;
  bool sub; /* "3.A." */
};

/* A marking in parentheses: "(C)", "(SBU)", "(S/NF)", "(C - ENTIRE TEXT)". */
static const char *marking(const char *p, const char *e, const char **in, const char **in_end) {
  if (p >= e || *p != '(') return NULL;
  const char *q = p + 1, *s = q;
  while (q < e && q - s <= 24 && (is_up((unsigned char)*q) || *q == '/' || *q == ' ' || *q == '-'))
    q++;
  if (q == s || q >= e || *q != ')' || !is_up((unsigned char)*s)) return NULL;
  if (in) {
    *in = s;
    *in_end = q;
  }
  return q + 1;
}

/* Parses a paragraph start at the line [ls,le). */
static bool para_at(const char *ls, const char *le, struct para *pa) {
  const char *p = skip_hs(ls, le);
  size_t d = digits(p, le);
  if (d < 1 || d > 3) return false;
  const char *num = p;
  long n = strtol(p, NULL, 10);
  pa->sub = false;
  p += d;
  /* "3.A." / "3.a)" sub-paragraph, "3)" */
  if (p < le && (*p == '.' || *p == ')')) {
    const char *q = p + 1;
    if (*p == '.' && q + 1 < le && is_al((unsigned char)*q) && (q[1] == '.' || q[1] == ')') &&
        (q + 2 >= le || is_sp((unsigned char)q[2]))) {
      p = q + 2;
      pa->num_end = q + 1;
      pa->sub = true;
    } else {
      pa->num_end = p;
      p = q;
    }
  } else {
    return false;
  }
  if (p < le && !is_sp((unsigned char)*p) && *p != '(' && !is_up((unsigned char)*p)) return false;
  /* "1.5 (D)" is a reason, "1.4" a section number: a digit must not follow. */
  pa->start = ls;
  pa->num = num;
  pa->n = n;
  pa->mark = pa->mark_end = NULL;
  const char *q = skip_hs(p, le);
  const char *m = marking(q, le, &pa->mark, &pa->mark_end);
  pa->text = m ? skip_hs(m, le) : q;
  return true;
}

/* ------------------------------------------------------------------ */
/* Banner: "C O N F I D E N T I A L SECTION 01 OF 02 BERN 000881". */

/* Copies line [p,e) to o with spaced-out letters joined ("S E C R E T"). */
static void unspace(struct body *b, struct cx_buf *o, const char *p, const char *e) {
  while (p < e) {
    if (is_al((unsigned char)*p) && wstart(b->t, p) && p + 2 < e && p[1] == ' ' &&
        is_al((unsigned char)p[2]) && (p + 3 >= e || !is_an((unsigned char)p[3]))) {
      while (p < e && is_al((unsigned char)*p) && (p + 1 >= e || !is_an((unsigned char)p[1]))) {
        if (cx_buf_addc(o, (char)up((unsigned char)*p)) != CX_OK) oom(b);
        if (p + 2 < e && p[1] == ' ' && is_al((unsigned char)p[2]) &&
            (p + 3 >= e || !is_an((unsigned char)p[3])))
          p += 2;
        else {
          p++;
          break;
        }
      }
      continue;
    }
    if (cx_buf_addc(o, (char)up((unsigned char)*p)) != CX_OK) oom(b);
    p++;
  }
}

/* The classification a banner line (joined, upper case) begins with. */
static const char *banner_class(const char *s, const char *se) {
  s = skip_hs(s, se);
  if (ci_word(s, se, "TOP SECRET")) return "TOP SECRET";
  if (ci_word(s, se, "SECRET")) return "SECRET";
  if (ci_word(s, se, "CONFIDENTIAL")) return "CONFIDENTIAL";
  if (ci_word(s, se, "LIMITED OFFICIAL USE")) return "UNCLASSIFIED//FOR OFFICIAL USE ONLY";
  if (ci_word(s, se, "SENSITIVE BUT UNCLASSIFIED")) return "UNCLASSIFIED//FOR OFFICIAL USE ONLY";
  if (ci_word(s, se, "UNCLASSIFIED") || ci_word(s, se, "UNCLAS")) {
    const char *q = s;
    while (q < se && is_al((unsigned char)*q))
      q++;
    q = skip_hs(q, se);
    return ci_word(q, se, "SENSITIVE") || ci_word(q, se, "EFTO") || ci_word(q, se, "E F T O")
               ? "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
               : "UNCLASSIFIED";
  }
  return NULL;
}

/* Sets sections from "SECTION n OF m" on the line [p,le); true if found. */
static bool banner_sections(struct body *b, const char *p, const char *le) {
  const char *s = ci_find(b->t, p, le, "SECTION", true);
  if (!s) return false;
  const char *q = skip_hs(s + 7, le);
  size_t d1 = digits(q, le);
  if (!d1 || d1 > 3) return false;
  long n = strtol(q, NULL, 10);
  q = skip_hs(q + d1, le);
  if (!ci_word(q, le, "OF")) return false;
  q = skip_hs(q + 2, le);
  size_t d2 = digits(q, le);
  if (!d2 || d2 > 3) return false;
  long m = strtol(q, NULL, 10);
  if (m <= 0) return false;
  b->c->sections = (int)m;
  if (n > m || n < 1)
    b->rc = cx_warn(b->ctx, line_of(b, s), "banner says SECTION %ld OF %ld", n, m);
  if (le > b->hdr_end) b->hdr_end = le;
  return true;
}

static void parse_banner(struct body *b) {
  const char *p = b->t, *e = b->end;
  const char *lines[6];
  int nl = 0;
  for (int guard = 0; p < e && nl < 6 && guard < 20; guard++) {
    const char *le = eol(p, e);
    if (!blank(p, le)) lines[nl++] = p;
    p = le < e ? le + 1 : le;
  }
  /* The banner is the first line opening with a classification (spaced out
   * or not); partial extracts put a date or page furniture before it. */
  struct cx_buf *o = &b->tmp;
  const char *cls = NULL;
  int bi = -1;
  for (int i = 0; i < nl && bi < 0; i++) {
    const char *le = eol(lines[i], e);
    if (le - lines[i] > 400) le = lines[i] + 400;
    cx_buf_reset(o);
    unspace(b, o, lines[i], le);
    if (b->rc == CX_FATAL || !o->data) return;
    if ((cls = banner_class(o->data, o->data + o->len))) bi = i;
  }
  /* SECTION n OF m, on the banner or the line after it. */
  int from = bi < 0 ? 0 : bi;
  for (int i = from; i < nl && i < from + 2; i++)
    if (banner_sections(b, lines[i], eol(lines[i], e))) break;
  if (!cls || b->c->classification) return;
  /* "UNCLAS" with the SENSITIVE caption on a line below */
  if (!strcmp(cls, "UNCLASSIFIED"))
    for (int i = bi + 1; i < nl && i < bi + 3; i++)
      if (ci_word(skip_hs(lines[i], e), e, "SENSITIVE"))
        cls = "UNCLASSIFIED//FOR OFFICIAL USE ONLY";
  /* NOFORN on the banner or on the caption line under it */
  bool noforn = false;
  for (int i = bi; i < nl && i < bi + 3; i++) {
    const char *le = eol(lines[i], e);
    if (le - lines[i] > 400) le = lines[i] + 400;
    if (ci_find(b->t, lines[i], le, "NOFORN", true)) noforn = true;
  }
  char buf[64];
  size_t n = strlen(cls);
  memcpy(buf, cls, n);
  if (noforn &&
      (!strcmp(cls, "SECRET") || !strcmp(cls, "CONFIDENTIAL") || !strcmp(cls, "TOP SECRET"))) {
    memcpy(buf + n, "//NOFORN", 8);
    n += 8;
  }
  put(b, &b->c->classification, buf, n);
}

/* ------------------------------------------------------------------ */
/* SIPDIS caption, also spaced out or glued to other text. */

static void parse_sipdis(struct body *b) {
  /* either spelling anywhere: one scan for each */
  static const char *const forms[] = {"SIPDIS", "S I P D I S"};
  for (size_t i = 0; i < 2; i++)
    for (const char *p = ci_next(b->t, b->end, forms[i]); p < b->end;
         p = ci_next(p + 1, b->end, forms[i]))
      if (ci_at(p, b->end, forms[i])) {
        b->c->sipdis = true;
        return;
      }
}

/* ------------------------------------------------------------------ */
/* E.O. line: "E.O. 12958: DECL: 08/28/2016", "EO 12958 DECL: 1.6X6",
 * "E.O.12958: N/A", "E.0. 13526: DECL: 2020/02/23". */

/* An executive order reference at p: returns the end of its number. */
static const char *eo_at(const char *t, const char *p, const char *e) {
  if (!wstart(t, p) || up((unsigned char)*p) != 'E') return NULL;
  const char *q = p + 1;
  if (q < e && *q == '.') q++;
  q = skip_hs(q, e);
  if (q >= e || (up((unsigned char)*q) != 'O' && *q != '0')) return NULL;
  q++;
  if (q < e && *q == '.') q++;
  if (q < e && is_al((unsigned char)*q)) return NULL; /* "EON", "EOS" */
  q = skip_hs(q, e);
  size_t d = digits(q, e);
  if (d < 4 || d > 5 || *q != '1') return NULL;
  return q + d;
}

static int days_in(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[m - 1];
}

/* A date at p: M/D/YYYY, M/D/YY, YYYY/M/D (also with - or .); D/M/Y when the
 * first number cannot be a month.  Writes "YYYY-MM-DD" to out[11]. */
static bool parse_date(const char *p, const char *e, char out[11]) {
  long f[3];
  size_t len[3];
  char sep = 0;
  for (int i = 0; i < 3; i++) {
    size_t d = digits(p, e);
    if (!d || d > 4) return false;
    f[i] = strtol(p, NULL, 10);
    len[i] = d;
    p += d;
    if (i < 2) {
      if (p >= e || (*p != '/' && *p != '-' && *p != '.')) return false;
      if (sep && *p != sep) return false;
      sep = *p++;
    }
  }
  if (p < e && is_dg((unsigned char)*p)) return false;
  long y, m, d;
  if (len[0] == 4) {
    y = f[0], m = f[1], d = f[2];
  } else {
    if (len[2] != 2 && len[2] != 4) return false;
    m = f[0], d = f[1], y = f[2];
    if (m > 12 && d <= 12) {
      long x = m;
      m = d;
      d = x;
    }
    if (len[2] == 2) y += y < 70 ? 2000 : 1900;
  }
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in((int)y, (int)m)) return false;
  out[0] = (char)('0' + y / 1000);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + d / 10);
  out[9] = (char)('0' + d % 10);
  out[10] = '\0';
  return true;
}

static void parse_eo(struct body *b) {
  const char *p, *num = NULL;
  for (p = b->t; p < b->hdr_lim; p++)
    if ((num = eo_at(b->t, p, b->end))) break;
  if (!num) return;
  const char *le = eol(p, b->end);
  if (le - p > 300) le = p + 300; /* a body on one line */
  /* The line may go on with TAGS or SUBJECT ("E.o. 12958: decl: 01/07/2014 Tags: prel"). */
  static const char *const stops[] = {"TAGS", "TAG:", "SUBJECT", "SUBJ:"};
  const char *te = le;
  for (size_t i = 0; i < sizeof stops / sizeof *stops; i++) {
    const char *s = ci_find(b->t, num, te, stops[i], true);
    if (s) te = s;
  }
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  fold(b, o, p, te, false);
  trim_tail(o, " ,;");
  if (b->rc == CX_FATAL) return;
  b->c->has_declassify = true;
  put(b, &b->c->declassify.text, o->data ? o->data : "", o->len);
  if (le > b->hdr_end) b->hdr_end = le;
  /* The date follows DECL, or stands alone after the order number. */
  const char *d = ci_find(b->t, num, te, "DECL", true);
  const char *q = d ? d + 4 : num;
  for (; q < te; q++) {
    char iso[11];
    if (is_dg((unsigned char)*q) && !is_an((unsigned char)q[-1]) && parse_date(q, te, iso)) {
      put(b, &b->c->declassify.date, iso, 10);
      return;
    }
    /* A date-like token that is no valid date: say so once. */
    if (d && is_dg((unsigned char)*q) && digits(q, te) <= 2 && q + digits(q, te) < te &&
        q[digits(q, te)] == '/') {
      b->rc = cx_warn(b->ctx, line_of(b, q), "E.O. line has no valid date");
      return;
    }
  }
}

/* ------------------------------------------------------------------ */
/* TAGS. */

/* Tags as assigned in the Department's TAGS list, enough to split glued
 * runs ("KNNPMNUC") and to tell a tag from a word of a free-text phrase. */
static const char *const known_tags[] = {
    "ABLD", "ABUD",  "ADCO",    "ADPM",     "AEMR",  "AFIN", "AFSI",   "AFSN",   "AGAO",  "AINF",
    "AINR", "AINT",  "AMED",    "AMGT",     "AODE",  "AORC", "APCS",   "APER",   "ASCH",  "ASEC",
    "ASIG", "AVERY", "BEXP",    "BTIO",     "CASC",  "CFED", "CJAN",   "CMGT",   "CPAS",  "CVIS",
    "EAGR", "EAID",  "EAIR",    "ECIN",     "ECON",  "ECPS", "EDRC",   "EFIN",   "EFIS",  "EIND",
    "EINT", "EINV",  "ELAB",    "ELTN",     "EMIN",  "ENGR", "ENIV",   "ENRG",   "EPET",  "ESTH",
    "ETRD", "ETTC",  "EWWT",    "EXIM",     "KABY",  "KAWC", "KBCT",   "KBIO",   "KBTR",  "KBTS",
    "KCFE", "KCIP",  "KCOR",    "KCRM",     "KCRS",  "KDEM", "KDRG",   "KESS",   "KFLO",  "KFLU",
    "KFRD", "KGCC",  "KGHG",    "KGIC",     "KGIT",  "KHIV", "KHLS",   "KIDE",   "KIPR",  "KIRC",
    "KIRF", "KISL",  "KJUS",    "KLIG",     "KMCA",  "KMDR", "KMPI",   "KNAR",   "KNEI",  "KNNP",
    "KNPP", "KNSD",  "KNUC",    "KOCI",     "KOMC",  "KPAL", "KPAO",   "KPKO",   "KPLS",  "KPOA",
    "KPRP", "KPRV",  "KRAD",    "KRCM",     "KREC",  "KRFD", "KRIM",   "KRVC",   "KSAC",  "KSAF",
    "KSCA", "KSEO",  "KSEP",    "KSTC",     "KSTH",  "KSUM", "KTDB",   "KTEX",   "KTFN",  "KTIA",
    "KTIP", "KTLA",  "KUNR",    "KVPR",     "KWAC",  "KWBG", "KWMN",   "KWNM",   "KWWW",  "MARR",
    "MASC", "MASS",  "MCAP",    "MNUC",     "MOPS",  "OEXC", "OFDP",   "OIIP",   "OPDC",  "OPRC",
    "OREP", "OSCI",  "OTRA",    "OVIP",     "PARM",  "PBTS", "PGOV",   "PHSA",   "PHUM",  "PINR",
    "PINS", "PINT",  "PMIL",    "PNAT",     "PREF",  "PREL", "PROP",   "PSOE",   "PTER",  "SCUL",
    "SENV", "SMIG",  "SNAR",    "SOCI",     "SPCE",  "TBIO", "TINT",   "TNGD",   "TPHY",  "TRGY",
    "TSPA", "TSPL",  "APEC",    "ASEAN",    "AU",    "CBW",  "CWC",    "EU",     "EUN",   "G8",
    "IAEA", "ICAO",  "ICRC",    "IMF",      "IMO",   "NATO", "OAS",    "OECD",   "OPCW",  "OPEC",
    "OSCE", "UN",    "UNGA",    "UNHCR",    "UNHRC", "UNSC", "UNESCO", "WHO",    "WTO",   "NPT",
    "MTCR", "CTBT",  "ILO",     "FAO",      "UNDP",  "UNEP", "WFP",    "UNICEF", "UNMIK", "ECOWAS",
    "SADC", "IGAD",  "CARICOM", "MERCOSUR",
};

static bool known_tag(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof known_tags / sizeof *known_tags; i++)
    if (strlen(known_tags[i]) == n && !memcmp(known_tags[i], s, n)) return true;
  return false;
}

/* Misspellings cablemap (and common sense) correct. */
static const struct {
  const char *from, *to;
} tag_fixes[] = {
    {"MOPPS", "MOPS"},
    {"POGOV", "PGOV"},
    {"UNDESCO", "UNESCO"},
    {"PREl", "PREL"},
    {"COUNTER TERRORISM", "COUNTERTERRORISM"},
};

struct tagtok {
  const char *s;
  size_t n;
  bool comma; /* a comma (or line end) follows */
};

static bool all_alpha(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_al((unsigned char)s[i])) return false;
  return n > 0;
}

/* Splits a glued run of tags ("ETRDEINVECINPGOVCS", "VTPREL") into known
 * four-letter tags and two-letter country codes.  Returns the number of
 * pieces written to cuts[] (offsets of piece ends), 0 when it does not split. */
static int split_glued(const char *s, size_t n, size_t cuts[16]) {
  if (n <= 4 || n > 60 || !all_alpha(s, n) || known_tag(s, n)) return 0;
  int k = 0;
  size_t i = 0;
  if (n % 4 == 2 && !known_tag(s, 4)) { /* "VT" + "PREL" */
    cuts[k++] = 2;
    i = 2;
  }
  while (i < n && k < 15) {
    if (n - i == 2) {
      cuts[k++] = n;
      return k;
    }
    if (n - i < 4 || !known_tag(s + i, 4)) return 0;
    i += 4;
    cuts[k++] = i;
  }
  return i == n ? k : 0;
}

static void add_tag(struct body *b, const char *s, size_t n) {
  char buf[256];
  if (!n) return;
  if (n >= sizeof buf) n = sizeof buf - 1;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)up((unsigned char)s[i]);
  buf[n] = '\0';
  for (size_t i = 0; i < sizeof tag_fixes / sizeof *tag_fixes; i++)
    if (!strcmp(buf, tag_fixes[i].from)) {
      n = strlen(tag_fixes[i].to);
      memcpy(buf, tag_fixes[i].to, n + 1);
    }
  for (size_t i = 0; i < b->c->tags.n; i++)
    if (!strcmp(b->c->tags.v[i], buf)) return;
  if (cx_strv_push_n(&b->c->tags, buf, n) != CX_OK) oom(b);
}

/* A word of a free-text tag phrase ("ISRAELI PALESTINIAN AFFAIRS"), not a
 * glued run of tags. */
static bool free_word(const struct tagtok *t) {
  size_t cuts[16];
  return t->n >= 5 && all_alpha(t->s, t->n) && !known_tag(t->s, t->n) &&
         !split_glued(t->s, t->n, cuts);
}

static bool connector(const struct tagtok *t) {
  static const char *const w[] = {"AND", "OF", "IN", "THE", "FOR", "ON"};
  for (size_t i = 0; i < sizeof w / sizeof *w; i++)
    if (t->n == strlen(w[i]) && ci_at(t->s, t->s + t->n, w[i])) return true;
  return false;
}

static void tags_from(struct body *b, const char *p, const char *e) {
  struct tagtok tok[128];
  size_t nt = 0;
  while (p < e && nt < 128) {
    while (p < e && (is_sp((unsigned char)*p) || *p == ',' || *p == ';')) {
      if ((*p == ',' || *p == ';') && nt) tok[nt - 1].comma = true;
      p++;
    }
    if (p >= e) break;
    const char *s = p;
    if (*p == '(') { /* a person: "(STEINBERG, JAMES B.)" belongs to the tag before */
      const char *q = memchr(p, ')', (size_t)(e - p < 80 ? e - p : 80));
      if (!q || q - p > 80) q = e - 1;
      p = q + 1;
      if (nt && !tok[nt - 1].comma) {
        tok[nt - 1].n = (size_t)(p - tok[nt - 1].s);
        continue;
      }
      tok[nt++] = (struct tagtok){s + 1, (size_t)(q - s - 1), false};
      continue;
    }
    while (p < e && !is_sp((unsigned char)*p) && *p != ',' && *p != ';' && *p != '(')
      p++;
    const char *te = p;
    while (te > s && (te[-1] == '.' || te[-1] == ':'))
      te--;
    if (te > s) tok[nt++] = (struct tagtok){s, (size_t)(te - s), false};
  }
  for (size_t i = 0; i < nt; i++) {
    /* A visitor named after OVIP: "OVIP RICE CONDOLEEZZA" -> "RICE, CONDOLEEZZA". */
    if (i + 2 < nt && tok[i].n == 4 && ci_at(tok[i].s, tok[i].s + 4, "OVIP") && !tok[i].comma &&
        !tok[i + 1].comma && all_alpha(tok[i + 1].s, tok[i + 1].n) && free_word(&tok[i + 2])) {
      add_tag(b, tok[i].s, tok[i].n);
      char buf[200];
      size_t n1 = tok[i + 1].n < 90 ? tok[i + 1].n : 90, n2 = tok[i + 2].n < 90 ? tok[i + 2].n : 90;
      memcpy(buf, tok[i + 1].s, n1);
      memcpy(buf + n1, ", ", 2);
      memcpy(buf + n1 + 2, tok[i + 2].s, n2);
      add_tag(b, buf, n1 + 2 + n2);
      i += 2;
      continue;
    }
    /* A free-text phrase: free words, joined by connectors, with an unknown
     * short word in front ("GOI EXTERNAL", "TIP IN TURKEY"). */
    size_t j = i;
    bool lead = false;
    if (!free_word(&tok[i]) && tok[i].n >= 3 && tok[i].n <= 4 && all_alpha(tok[i].s, tok[i].n) &&
        !known_tag(tok[i].s, tok[i].n) && !tok[i].comma && i + 1 < nt) {
      size_t k = i + 1;
      while (k < nt && connector(&tok[k]) && !tok[k - 1].comma)
        k++;
      if (k < nt && free_word(&tok[k]) && !tok[k - 1].comma) lead = true;
    }
    if (lead || free_word(&tok[i])) {
      size_t last = i;
      j = i + 1;
      while (j < nt && !tok[j - 1].comma) {
        size_t k = j;
        while (k < nt && connector(&tok[k]) && !tok[k - 1].comma)
          k++;
        if (k < nt && free_word(&tok[k]) && !tok[k - 1].comma) {
          last = k;
          j = k + 1;
        } else
          break;
      }
      if (last > i) {
        const char *s = tok[i].s, *te = tok[last].s + tok[last].n;
        struct cx_buf *o = &b->tmp;
        cx_buf_reset(o);
        fold(b, o, s, te, false);
        if (o->data) add_tag(b, o->data, o->len);
        i = last;
        continue;
      }
    }
    size_t cuts[16];
    int k = split_glued(tok[i].s, tok[i].n, cuts);
    if (k) {
      size_t from = 0;
      for (int c = 0; c < k; c++) {
        add_tag(b, tok[i].s + from, cuts[c] - from);
        from = cuts[c];
      }
      continue;
    }
    add_tag(b, tok[i].s, tok[i].n);
  }
}

/* "TAGS:", "TAGS", "TAG", "TAGS;", "TAGS,", "TABS:", "TAGES:", "AGS:" (the T lost). */
static const char *tags_keyword(const char *t, const char *p, const char *e) {
  static const char *const kw[] = {"TAGS", "TAGES", "TABS", "TAG"};
  if (!wstart(t, p)) return NULL;
  bool line_start = first_on_line(t, p);
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++) {
    size_t n = strlen(kw[i]);
    if (!ci_at(p, e, kw[i]) || (p + n < e && is_al((unsigned char)p[n]))) continue;
    const char *q = p + n;
    if (q < e && (*q == ':' || *q == ';' || *q == ',')) return q + 1;
    if (line_start && q < e && is_hs((unsigned char)*q)) {
      const char *r = skip_hs(q, e);
      if (r < e && is_al((unsigned char)*r)) return r;
    }
    return NULL;
  }
  if (ci_at(p, e, "AGS:") && p > t && is_hs((unsigned char)p[-1])) return p + 4;
  return NULL;
}

static void parse_tags(struct body *b) {
  const char *p, *v = NULL;
  for (p = b->t; p < b->hdr_lim; p++)
    if ((up((unsigned char)*p) == 'T' || up((unsigned char)*p) == 'A') &&
        (v = tags_keyword(b->t, p, b->end)))
      break;
  if (!v) return;
  const char *e = b->end;
  /* The value may start on the next line ("TAGS:\nPREL"). */
  const char *q = skip_hs(v, e);
  if (q < e && *q == '\n' && blank(v, eol(v, e))) q = skip_sp(q, e);
  const char *le = eol(q, e);
  bool one_line = le - q > 2000; /* a body on one line */
  if (one_line) le = q + 2000;
  const char *stop = le;
  /* A continuation line: the value ends with a comma, or the next line
   * starts with "WORD," ("NL, IS, SR"). */
  for (int more = 0; more < 3 && le < e && !one_line; more++) {
    const char *ve = le;
    while (ve > q && is_sp((unsigned char)ve[-1]))
      ve--;
    const char *n = le + 1, *nle = eol(n, e);
    if (nle - n > 2000) break;
    const char *w = skip_hs(n, nle), *we = w;
    while (we < nle && (is_al((unsigned char)*we) || *we == '_' || *we == '-'))
      we++;
    bool comma_next = we > w && skip_hs(we, nle) < nle && *skip_hs(we, nle) == ',';
    if (!((ve > q && ve[-1] == ',') || comma_next) || blank(n, nle)) break;
    if (ci_find(b->t, n, nle, "SUBJ", true) == skip_hs(n, nle) ||
        ci_find(b->t, n, nle, "E.O", true) == skip_hs(n, nle))
      break;
    le = stop = nle;
  }
  /* Cut at SUBJECT on the same line, and at page furniture. */
  const char *s;
  if ((s = ci_find(b->t, q, stop, "SUBJECT", true)) || (s = ci_find(b->t, q, stop, "SUBJ:", true)))
    stop = s;
  for (s = q; s < stop; s++) {
    if (up((unsigned char)*s) == 'P' && wstart(b->t, s) && page_marker(s, stop, true, 1)) {
      stop = s;
      /* and the classification word printed before it */
      const char *r = stop;
      while (r > q && is_sp((unsigned char)r[-1]))
        r--;
      static const char *const cls[] = {"UNCLASSIFIED", "CONFIDENTIAL", "SECRET"};
      for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(cls[i]);
        if ((size_t)(r - q) >= n && ci_at(r - n, r, cls[i])) stop = r - n;
      }
      break;
    }
  }
  if (stop > b->hdr_end) b->hdr_end = stop;
  if (b->c->tags.n) return; /* page metadata wins */
  tags_from(b, q, stop);
}

/* ------------------------------------------------------------------ */
/* SUBJECT. */

/* Where the subject text ends, scanning from p. */
static const char *subject_end(const struct body *b, const char *p, const char *e) {
  const char *t = b->t;
  for (const char *q = p; q < e; q++) {
    unsigned char ch = (unsigned char)*q;
    if (q - p > 1500) return q;
    if (ch == '\n') {
      const char *r = skip_hs(q + 1, e);
      if (r >= e || *r == '\n') return q; /* blank line */
      /* REF on the next line */
      if (ci_at(r, e, "REF") && (r + 3 >= e || !is_al((unsigned char)r[3]) ||
                                 up((unsigned char)r[3]) == 'S' || up((unsigned char)r[3]) == 'T'))
        return q;
      continue;
    }
    if (is_hs(ch)) {
      const char *r = skip_hs(q, e);
      if (ci_at(r, e, "REFS:") || ci_at(r, e, "REF:")) return q;
      continue;
    }
    if (up(ch) == 'R' && (ci_at(q, e, "REF:") || ci_at(q, e, "REF(S)"))) {
      if (ci_at(q, e, "REF(S)") || (q + 4 < e && is_sp((unsigned char)q[4]))) return q;
    }
    if (up(ch) == 'C' && ci_at(q, e, "CLASSIFIED") && q + 10 < e && is_sp((unsigned char)q[10]))
      return q;
    if (ch == 'C' && ci_at(q, e, "C O N") && wstart(t, q)) return q;
    if (up(ch) == 'S' && wstart(t, q) &&
        (ci_at(q, e, "SENSITIVE BUT") || ci_at(q, e, "SENSTIVE BUT")))
      return q;
    if (is_dg(ch) && wstart(t, q) && ch != '0') {
      const char *r = q + 1;
      if (r < e && *r == '.') r++;
      const char *s2 = skip_hs(r, e);
      if (ci_at(s2, e, "CLASSIFIED BY") && s2 > r) return q;
      if (marking(s2, e, NULL, NULL) && (s2 > r || r > q + 1)) return q;
      if (ch == '1' && ci_at(s2, e, "SUMMARY") && s2 > r) return q;
    }
    /* An old page break inside the subject ("ZIMBABWE\n CONFIDENTIAL\nPAGE 02
     * HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER"): skipped, the
     * subject goes on after it.  A new-style marker ends it. */
    if (up(ch) == 'P' && wstart(t, q) && ci_at(q, e, "PAGE")) {
      const char *m = page_marker(q, e, false, 1);
      if (m) {
        q = m - 1;
        continue;
      }
    }
    if (is_up(ch) && wstart(t, q) && page_marker(q, e, true, first_on_line(t, q) ? 4 : 1)) return q;
    if (ch == '-' && q + 3 < e && q[1] == '-' && q[2] == '-' && q[3] == '-') return q;
    if (up(ch) == 'P' && wstart(t, q) && ci_at(q, e, "PAGE ") && q + 5 < e &&
        is_dg((unsigned char)q[5]))
      return q;
    if (up(ch) == 'T' && wstart(t, q) &&
        (ci_at(q, e, "THIS IS AN ACTION REQ") || ci_at(q, e, "THIS IS A ACTION REQ")))
      return q;
  }
  return e;
}

static void parse_subject(struct body *b) {
  const char *t = b->t, *e = b->end;
  const char *lim = b->hdr_lim;
  const char *v = NULL, *p;
  for (p = t; p < lim; p++) {
    int ch = up((unsigned char)*p);
    if (ch != 'S' && ch != 'U') continue;
    const char *q = p;
    if (ch == 'S')
      q++;
    else if (!(p == t || !is_al((unsigned char)p[-1])))
      continue; /* "UBJECT" only alone */
    if (!ci_at(q, e, "UBJ")) continue;
    if (p > t && (is_al((unsigned char)p[-1]) || p[-1] == '(' || p[-1] == '/')) continue;
    q += 3;
    if (ci_at(q, e, "ECT")) q += 3;
    if (q < e && is_al((unsigned char)*q)) continue; /* SUBJECTS, SUBJECTED */
    const char *r = q;
    if (r < e && *r == ':')
      r = skip_sp(r + 1, e);
    else {
      const char *s = skip_hs(r, e);
      if (s == r) continue; /* needs ':' or a space */
      r = s;
    }
    if (ci_at(r, e, "LINE")) continue; /* "CORRECTED COPY//SUBJECT LINE" */
    v = r;
    break;
  }
  if (!v) return;
  const char *se = subject_end(b, v, e);
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  /* the text without the page breaks subject_end stepped over */
  struct cx_buf raw;
  cx_buf_init(&raw, b->cap);
  for (const char *l = v; l < se;) {
    const char *le = eol(l, se);
    const char *ls = skip_hs(l, le);
    if (ls < le && furniture_line(ls, le)) {
      l = le;
      continue;
    }
    const char *m = ci_at(ls, le, "PAGE") ? page_marker(ls, le, false, 1) : NULL;
    const char *from = m ? m : l;
    if (cx_buf_add(&raw, from, (size_t)(le - from)) != CX_OK ||
        (le < se && cx_buf_addc(&raw, '\n') != CX_OK))
      oom(b);
    l = le < se ? le + 1 : le;
  }
  if (raw.data) fold(b, o, raw.data, raw.data + raw.len, true);
  cx_buf_free(&raw);
  if (b->rc == CX_FATAL) return;
  b->subj_end = se;
  if (se > b->hdr_end) b->hdr_end = se;
  if (!o->len) return;
  const char *s = o->data, *end = o->data + o->len;
  /* The paragraph marking cablemap strips: "(U) ", "(S/NF) ", and a
   * trailing " (C)". */
  const char *m = marking(s, end, NULL, NULL);
  if (!m && s + 4 < end && s[0] == '(' && (s[2] == ')' || s[3] == ')' || s[4] == ')')) {
    m = memchr(s, ')', 5); /* "(s) germany ...", "(sbu) ..." */
    for (const char *q = s + 1; m && q < m; q++)
      if (!is_al((unsigned char)*q) && *q != '/') m = NULL;
    if (m) m++;
  }
  if (m && m < end && *m == ' ') s = m + 1;
  if (end - s > 4 && end[-1] == ')') {
    const char *q = end - 2;
    while (q > s && is_up((unsigned char)*q))
      q--;
    if (*q == '(' && q > s && q[-1] == ' ' && end - q - 2 <= 4) end = q - 1;
  }
  if (end > s) put(b, &b->c->subject, s, (size_t)(end - s));
}

/* ------------------------------------------------------------------ */
/* Stations, for the cable ids of REF items (stations.c has the list). */

#define ST_MAX 48

/* The station a name written in a REF stands for ("SAOPAULO", "SECSTATE",
 * "TRIPOLII", "PHNOMPEN"), or NULL. */
static const char *station(const char *s) {
  size_t n = strlen(s);
  if (n < 2 || n >= ST_MAX) return NULL;
  const char *r = cx_station_lookup(s, CX_STATION_REFS);
  if (r || n < 6) return r;
  return cx_station_nearest(s, n >= 10 ? 2 : 1, CX_STATION_REFS);
}

/* ------------------------------------------------------------------ */
/* REF. */

struct refs {
  struct body *b;
  const char *s, *e; /* the folded REF block */
  char bullet[4];
  const char *item;  /* start of the current item's text */
  bool item_cable;   /* the current item produced a cable reference */
  char last[ST_MAX]; /* the last station named */
  char own[ST_MAX];  /* the cable's own station, from its id */
  int yy;            /* the cable's year, two digits, or -1 */
  bool dry;          /* ref_cable only says whether a reference is there */
};

/* A REF keyword at p; returns where the list begins, or NULL. */
static const char *ref_keyword(const char *t, const char *p, const char *e, bool *bulleted) {
  static const char *const kw[] = {"REFTELS", "REFTEL", "REFERENCES", "REFERENCE",
                                   "REF(S)",  "REFS",   "REF"};
  *bulleted = false;
  if (up((unsigned char)*p) != 'R' || !ci_at(p, e, "REF")) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
    if (ci_at(p, e, kw[i])) {
      n = strlen(kw[i]);
      break;
    }
  const char *q = p + n;
  if (q < e && is_al((unsigned char)*q)) return NULL;
  bool colon = q < e && (*q == ':' || (*q == '.' && q + 1 < e && is_sp((unsigned char)q[1])));
  /* At the start of a line (after "PROGRAM " or a bullet "A. "), or glued
   * or mid-line when a colon follows ("...VISIT TO EGYPTREF: CAIRO 493"). */
  const char *ls = near_line_start(t, p, 16);
  if (!ls) ls = t; /* far from the line start: p - ls is large */
  bool at_line = ls == p || (p - ls == 8 && ci_at(ls, p, "PROGRAM "));
  if (!at_line && p - ls >= 3 && p - ls <= 4 && is_al((unsigned char)*ls) &&
      (ls[1] == '.' || ls[1] == ')')) {
    at_line = true;
    *bulleted = true;
  }
  if (!at_line && !colon) return NULL;
  if (!at_line && !wstart(t, p) && !(q < e && *q == ':')) return NULL;
  if (colon) q++;
  const char *r = skip_sp(q, e);
  if (r == q && !colon) return NULL;
  if (r >= e) return NULL;
  if (!is_an((unsigned char)*r) && *r != '(' && *r != '[' && *r != '\'') return NULL;
  return q;
}

/* Does the line [p,le) stop a REF list? */
static bool ref_stop_line(const struct body *b, const char *p, const char *le) {
  p = skip_hs(p, le);
  static const char *const stops[] = {
      "CLASSIFIED", "CLASSIFIED BY", "SUMMARY", "SUBJECT", "SENSITIVE",     "C O ", "S E C",
      "U N C",      "E.O.",          "TAGS",    "THIS IS", "BEGIN SUMMARY", "(U)",  "(SBU)"};
  for (size_t i = 0; i < sizeof stops / sizeof *stops; i++)
    if (ci_at(p, le, stops[i])) return true;
  struct para pa;
  if (para_at(p, le, &pa) && pa.n >= 1 && (pa.mark || is_up((unsigned char)*pa.text)) &&
      !(pa.num_end - pa.num == 1 && is_al((unsigned char)*pa.num)))
    return true;
  (void)b;
  return false;
}

/* Does the line [p,le) look like more of the list (after a blank line)? */
static bool ref_more_line(const char *p, const char *le) {
  p = skip_hs(p, le);
  if (p >= le) return false;
  if (is_dg((unsigned char)*p)) return true; /* "00723 (C) ...", "2009 CAIRO 491" */
  if (*p == '(' && p + 2 < le && is_an((unsigned char)p[1]) && p[2] == ')') return true;
  if (is_al((unsigned char)*p) && p + 1 < le && (p[1] == '.' || p[1] == ')') &&
      (p + 2 >= le || !is_al((unsigned char)p[2]) || p[1] == ')'))
    return true;
  return false;
}

/* A bullet at p: "A.", "A)", "A.)", "A:", "(A)", "[A]", "(1)", "A -".
 * Returns its end and the letter, or NULL. */
static const char *ref_bullet(const char *s, const char *p, const char *e, char *letter) {
  if (p >= e) return NULL;
  if ((*p == '(' || *p == '[') && p + 2 < e && is_an((unsigned char)p[1]) &&
      p[2] == (*p == '(' ? ')' : ']')) {
    if (is_dg((unsigned char)p[1]) && p + 3 < e && is_dg((unsigned char)p[3])) return NULL;
    *letter = (char)up((unsigned char)p[1]);
    return p + 3;
  }
  if (!is_al((unsigned char)*p) || !wstart(s, p) || p + 1 >= e) return NULL;
  const char *q = p + 1;
  if (*q == '.' || *q == ')' || *q == ':') {
    /* not an initial or abbreviation: "E.O.", "U.S.", "S.K." */
    if (*q == '.' && q + 2 < e && is_al((unsigned char)q[1]) && q[2] == '.') return NULL;
    if (*q == '.' && q + 1 < e && is_al((unsigned char)q[1]) && is_lo((unsigned char)*p))
      return NULL;
    q++;
    if (q < e && *q == ')') q++;
    *letter = (char)up((unsigned char)*p);
    return q;
  }
  if (*q == ' ' && q + 2 < e && q[1] == '-' && q[2] == ' ') {
    *letter = (char)up((unsigned char)*p);
    return q + 2;
  }
  return NULL;
}

/* The year written in front of a reference: "06 ", "2007 ", "'08 ", "094 ",
 * "O4 ", or glued "09DHAHRAN".  Returns the end and the two-digit year. */
static const char *ref_year(const char *p, const char *e, int *yy) {
  const char *q = p;
  if (q < e && *q == '\'') q++;
  size_t d = digits(q, e);
  if (d == 0 && q + 1 < e && *q == 'O' && is_dg((unsigned char)q[1]) &&
      (q + 2 >= e || !is_dg((unsigned char)q[2]))) { /* "O4" */
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
  if (q < e && is_al((unsigned char)*q)) return q; /* glued */
  if (q < e && *q == ' ') return q + 1;
  return NULL;
}

/* A reference number at p: digits, or an O misread for a zero ("O1512"). */
static size_t ref_number(const char *p, const char *e, char *out, size_t cap) {
  size_t n = 0, i = 0;
  while (p + i < e && (is_dg((unsigned char)p[i]) || (p[i] == 'O' && i + 1 < (size_t)(e - p) &&
                                                      is_dg((unsigned char)p[i + 1])))) {
    if (n + 1 < cap) out[n++] = p[i] == 'O' ? '0' : p[i];
    i++;
  }
  out[n] = '\0';
  if (!n || n > 7 || (p + i < e && is_al((unsigned char)p[i]))) return 0;
  return i;
}

static void emit_ref(struct refs *r, const char *text, size_t tn, enum cx_ref_kind kind,
                     const char *id) {
  struct body *b = r->b;
  struct cx_reference *ref = cx_references_add(&b->c->references);
  if (!ref) {
    oom(b);
    return;
  }
  ref->kind = kind;
  if (r->bullet[0]) put(b, &ref->letter, r->bullet, strlen(r->bullet));
  struct cx_buf o;
  cx_buf_init(&o, b->cap);
  fold(b, &o, text, text + tn, false);
  if (o.data) put(b, &ref->text, o.data, o.len);
  cx_buf_free(&o);
  if (id) put(b, &ref->cable_id, id, strlen(id));
}

/* Builds YY + STATION + NUMBER (no leading zeros) and emits it. */
static void emit_cable(struct refs *r, const char *text, size_t tn, int yy, const char *st,
                       const char *num) {
  while (num[0] == '0' && num[1])
    num++;
  if (!strcmp(num, "0")) return;
  char id[ST_MAX + 16];
  if (yy < 0) yy = r->yy;
  if (yy < 0) {
    emit_ref(r, text, tn, CX_REF_CABLE, NULL);
    r->item_cable = true;
    return;
  }
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

/* A cable reference at p: [YEAR] STATION NUMBER[/NUMBER...] with the year
 * also after it ("QUITO 4525-91", "ASUNCION 701 (08)", "AMMAN 07718 99,").
 * Emits it and returns its end, or NULL. */
static const char *ref_cable(struct refs *r, const char *p) {
  const char *e = r->e, *start = p;
  int yy = -1;
  const char *q = ref_year(p, e, &yy);
  if (!q)
    q = p;
  else if (yy >= 0 && q > p && !is_al((unsigned char)*q) && *q != '0')
    return NULL;
  /* station words, up to five ("HO CHI MINH CITY"), with 0 misread for O */
  char name[ST_MAX];
  size_t nn = 0;
  const char *words = q, *w = q;
  int nw = 0;
  const char *num = NULL;
  while (w < e && nw < 5) {
    const char *ws = w;
    if (!is_al((unsigned char)*w) && !(*w == '0' && w + 1 < e && is_al((unsigned char)w[1]))) break;
    /* letters, with ' and - inside ("N'DJAMENA", "PORT-OF-SPAIN"), and a zero
     * misread for O ("0TTAWA", "COTON0U", "SANTIAG0") but not the number
     * glued on ("HK05511") */
    while (w < e) {
      if (is_al((unsigned char)*w) || *w == '\'' || *w == '-')
        w++;
      else if (*w == '0' && ((w + 1 < e && is_al((unsigned char)w[1])) ||
                             (w > ws && is_al((unsigned char)w[-1]) &&
                              !(w + 1 < e && is_dg((unsigned char)w[1])))))
        w++;
      else
        break;
    }
    /* "HK05511", "PANAMA2342": the number glued on */
    size_t wl = (size_t)(w - ws);
    for (size_t i = 0; i < wl; i++) {
      char ch = (char)up((unsigned char)ws[i]);
      if (ch == '0') ch = 'O';
      if (is_al((unsigned char)ch) && nn + 1 < sizeof name) name[nn++] = ch;
    }
    nw++;
    if (w < e && is_dg((unsigned char)*w)) {
      num = w;
      break;
    }
    /* "EMBASSY VIENNA", "AMEMBASSY X": drop the word */
    name[nn] = '\0';
    if (nw == 1 &&
        (!strcmp(name, "EMBASSY") || !strcmp(name, "AMEMBASSY") || !strcmp(name, "AMCONSUL") ||
         !strcmp(name, "CONSULATE") || !strcmp(name, "USMISSION"))) {
      nn = 0;
      nw = 0;
    }
    const char *g = w;
    if (g < e && *g == ',') g++; /* "PRAGUE, 1228" */
    if (g < e && *g == ' ') g++;
    if (g < e && *g == '(' && marking(g, e, NULL, NULL) && /* "KUWAIT (C)02293" */
        is_dg((unsigned char)*marking(g, e, NULL, NULL)))
      g = marking(g, e, NULL, NULL);
    if (g < e && *g == ' ') g++;
    if (g < e &&
        (is_dg((unsigned char)*g) || (*g == 'O' && g + 1 < e && is_dg((unsigned char)g[1])))) {
      num = g;
      break;
    }
    if (g == w || (w < e && *w != ' ')) return NULL;
    w = g;
  }
  if (!num || !nn) return NULL;
  name[nn] = '\0';
  const char *st = station(name);
  if (!st) return NULL;
  char digitsbuf[16];
  size_t k = ref_number(num, e, digitsbuf, sizeof digitsbuf);
  if (!k) return NULL;
  const char *ne = num + k;
  /* a year after the number */
  const char *after = ne;
  if (after + 2 < e + 1 && *after == '-' && digits(after + 1, e) == 2) {
    yy = (int)strtol(after + 1, NULL, 10);
    after += 3;
  } else if (after + 4 < e + 1 && after[0] == ' ' && after[1] == '(' && digits(after + 2, e) == 2 &&
             after[4] == ')') {
    yy = (int)strtol(after + 2, NULL, 10);
    after += 5;
  } else if (after + 3 <= e && after[0] == ' ' && digits(after + 1, e) == 2 &&
             (after + 3 == e || after[3] == ',' || after[3] == ';' ||
              (after[3] == ' ' && (after + 4 >= e || after[4] == ',')))) {
    yy = (int)strtol(after + 1, NULL, 10);
    after += 3;
  }
  if (r->dry) return after > ne ? after : ne;
  snprintf(r->last, sizeof r->last, "%s", st);
  emit_cable(r, start, (size_t)(ne - start), yy, st, digitsbuf);
  /* "KABUL 936/935": more numbers of the same station */
  while (ne < e && *ne == '/' && is_dg((unsigned char)ne[1])) {
    const char *n2 = ne + 1;
    size_t k2 = ref_number(n2, e, digitsbuf, sizeof digitsbuf);
    if (!k2) break;
    char text[ST_MAX + 16];
    size_t wl = (size_t)(num - words);
    if (wl > ST_MAX) wl = ST_MAX;
    memcpy(text, words, wl);
    memcpy(text + wl, n2, k2 < 15 ? k2 : 15);
    emit_cable(r, text, wl + (k2 < 15 ? k2 : 15), yy, st, digitsbuf);
    ne = n2 + k2;
  }
  return after > ne ? after : ne;
}

static void ref_item_end(struct refs *r, const char *p) {
  if (!r->item || r->item_cable) return;
  const char *s = r->item, *e = p;
  while (s < e && (is_sp((unsigned char)*s) || *s == ',' || *s == ';' || *s == ':'))
    s++;
  while (e > s && (is_sp((unsigned char)e[-1]) || e[-1] == ',' || e[-1] == ';'))
    e--;
  if (e - s < 3) return;
  if ((e - s == 4 && ci_at(s, e, "NONE")) || (e - s == 3 && ci_at(s, e, "N/A"))) return;
  enum cx_ref_kind kind = CX_REF_OTHER;
  for (const char *q = s; q < e; q++)
    if (up((unsigned char)*q) == 'E' &&
        (ci_at(q, e, "EMAIL") || ci_at(q, e, "E-MAIL") || ci_at(q, e, "E MAIL")))
      kind = CX_REF_EMAIL;
  emit_ref(r, s, (size_t)(e - s), kind, NULL);
}

static void ref_item_begin(struct refs *r, const char *p) {
  r->item = p;
  r->item_cable = false;
}

/* Skips "REF", "REF A:", "A)" left after a bullet ("A. REF A: 09 SOFIA 154",
 * "A. A) MANAMA 20", "A. (A) PARIS 7682"). */
static const char *ref_nested(struct refs *r, const char *p) {
  for (int i = 0; i < 3; i++) {
    const char *q = skip_sp(p, r->e);
    char l;
    const char *bq;
    if (ci_at(q, r->e, "REF") && (q + 3 >= r->e || !is_al((unsigned char)q[3]))) {
      q += 3;
      if (q < r->e && *q == ':') q++;
      p = q;
      continue;
    }
    if ((bq = ref_bullet(r->s, q, r->e, &l)) && (*q == '(' || *q == '[' || l == r->bullet[0])) {
      p = bq;
      continue;
    }
    if (is_al((unsigned char)*q) && q + 1 < r->e && q[1] == ':' &&
        up((unsigned char)*q) == r->bullet[0]) {
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
  p = skip_sp(p, e);
  if (ci_at(p, e, "REF") && (p + 3 >= e || !is_al((unsigned char)p[3]) || ci_at(p, e, "REFS")))
    p += ci_at(p, e, "REFS") ? 4 : 3;
  ref_item_begin(r, p);
  while (p < e) {
    p = skip_sp(p, e);
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
    if (is_up((unsigned char)*p) && p + 2 < e && p[1] == ' ' && wstart(r->s, p)) {
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
    if (after_bullet && is_dg((unsigned char)*p)) {
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
      const char *c = memchr(p, *p == '(' ? ')' : ']', (size_t)(e - p < 160 ? e - p : 160));
      p = c && c - p < 160 ? c + 1 : p + 1;
      at_start = true;
      continue;
    }
    if (ci_word(p, e, "AND")) {
      p += 3;
      at_start = true;
      continue;
    }
    while (p < e && !is_sp((unsigned char)*p) && *p != ',' && *p != ';' && *p != '(')
      p++;
    at_start = false;
  }
  ref_item_end(r, e);
}

static void parse_refs(struct body *b) {
  const char *t = b->t, *e = b->end, *p, *v = NULL;
  bool bulleted = false;
  const char *lim = b->hdr_lim;
  for (p = t; p < lim; p++)
    if ((*p == 'R' || *p == 'r') && (v = ref_keyword(t, p, e, &bulleted))) break;
  if (!v) return;
  /* The lines of the list. */
  const char *first = bulleted ? skip_hs(bol(t, p), p) : v;
  const char *le = eol(v, e), *last = le;
  int lines = 0;
  for (const char *q = le; q < e && lines < REF_LINES; lines++) {
    const char *n = q + 1;
    if (n >= e) break;
    const char *nle = eol(n, e);
    if (blank(n, nle)) {
      /* blank lines: go on only when the list visibly does */
      const char *m = n;
      while (m < e && blank(m, eol(m, e)) && eol(m, e) < e)
        m = eol(m, e) + 1;
      const char *mle = eol(m, e);
      const char *lt = last;
      while (lt > first && is_sp((unsigned char)lt[-1]))
        lt--;
      bool dangling = lt > first && (lt[-1] == ',' || lt[-1] == ')' || lt[-1] == ':') &&
                      lt - first >= 2 && (lt[-1] != ')' || is_up((unsigned char)lt[-2]));
      if (m >= e || blank(m, mle) || ref_stop_line(b, m, mle) ||
          (!ref_more_line(m, mle) && !dangling && !furniture_line(m, mle)))
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
  fold(b, &blk, first, last, false);
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
    const char *c = ci_find(s, s, se, cuts[i], true);
    if (c) se = (char *)c;
  }
  /* furniture: replace by spaces */
  for (char *q = s; q < se; q++) {
    if (!wstart(s, q)) continue;
    const char *m = page_marker(q, se, true, 1);
    if (!m) m = NULL;
    if (!m && is_dg((unsigned char)*q)) m = marker_tail(q, se, true);
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
  /* the cable's own station: "06ALMATY3065" -> ALMATY */
  const char *id = b->c->canonical_id ? b->c->canonical_id : b->c->id;
  if (id && is_dg((unsigned char)id[0]) && is_dg((unsigned char)id[1])) {
    size_t n = 0;
    for (const char *q = id + 2; *q && is_al((unsigned char)*q) && n + 1 < sizeof r.own; q++)
      r.own[n++] = (char)up((unsigned char)*q);
    r.own[n] = '\0';
    if (r.yy < 0) r.yy = (id[0] - '0') * 10 + (id[1] - '0');
  }
  refs_scan(&r);
  cx_buf_free(&blk);
}

/* ------------------------------------------------------------------ */
/* Classified By. */

static bool title_word(const char *s, size_t n) {
  static const char *const titles[] = {"ACTING",
                                       "ACTG",
                                       "DEPUTY",
                                       "CHIEF",
                                       "CIEF",
                                       "MISSION",
                                       "OF",
                                       "POLITICAL",
                                       "POL",
                                       "POLMIL",
                                       "POL-MIL",
                                       "POL-ECON",
                                       "POLECON",
                                       "ECON",
                                       "ECONOMIC",
                                       "ECONOMICAL",
                                       "ECOPOL",
                                       "COUNSELOR",
                                       "COUNSELLOR",
                                       "COUNSELR",
                                       "COUNSEOR",
                                       "COUNSEL",
                                       "COUNS",
                                       "COUNCILOR",
                                       "COUNCELOR",
                                       "MINISTER",
                                       "MINISTER-COUNSELOR",
                                       "MINISTER-COUNSELLOR",
                                       "MIN",
                                       "MC",
                                       "DIRECTOR",
                                       "DIRECOTR",
                                       "DIR",
                                       "OFFICER",
                                       "OFFICE",
                                       "OFF",
                                       "CONSUL",
                                       "GENERAL",
                                       "CONSUL-GENERAL",
                                       "CHARGE",
                                       "AFFAIRES",
                                       "AFFAIRS",
                                       "AFAIRS",
                                       "AFFARIES",
                                       "AFFAIRE",
                                       "DCM",
                                       "CDA",
                                       "AI",
                                       "A.I",
                                       "AIT",
                                       "USUN",
                                       "USEU",
                                       "USDEL",
                                       "USNATO",
                                       "USOSCE",
                                       "MEMBER",
                                       "ASSISTANT",
                                       "SECRETARY",
                                       "SECRETARY-GENERAL",
                                       "AS",
                                       "ISN",
                                       "IO",
                                       "AF",
                                       "NEA",
                                       "EUR",
                                       "WHA",
                                       "EAP",
                                       "SCA",
                                       "SA",
                                       "PDAS",
                                       "DAS",
                                       "SPECIAL",
                                       "REPRESENTATIVE",
                                       "ENVOY",
                                       "ADVISOR",
                                       "ADVISER",
                                       "LEGAL",
                                       "ATTACHE",
                                       "LABOR",
                                       "DEFENSE",
                                       "LTC",
                                       "COL",
                                       "COLONEL",
                                       "GEN",
                                       "PRINCIPAL",
                                       "PERMANENT",
                                       "INTERAGENCY",
                                       "PROVINCIAL",
                                       "COORDINATOR",
                                       "HEAD",
                                       "SECTION",
                                       "GOVERNANCE",
                                       "PRT",
                                       "DELEGATE",
                                       "DELEGATION",
                                       "ARMS",
                                       "CONTROL",
                                       "CHAIRMAN",
                                       "DEPARTMENT",
                                       "STATE",
                                       "EMBASSY",
                                       "CONSULATE",
                                       "T",
                                       "US",
                                       "IPO",
                                       "ARSO",
                                       "RSO",
                                       "LEGATT",
                                       "LEGAT",
                                       "EMIN",
                                       "ECMIN",
                                       "PE",
                                       "EP",
                                       "A",
                                       "THE",
                                       "BY",
                                       "FOR",
                                       "AND",
                                       "GUIDE",
                                       "CLASSIFICATION",
                                       "DOS",
                                       "BUREAU",
                                       "UNDER",
                                       "CONS",
                                       "PAO",
                                       "PA",
                                       "PD",
                                       "MGMT",
                                       "MANAGEMENT",
                                       "DATT",
                                       "DAO",
                                       "FSO",
                                       "EXECUTIVE",
                                       "SENIOR",
                                       "CONSULAR",
                                       "POLICY",
                                       "PUBLIC",
                                       "DIPLOMACY",
                                       "AFFAIRS",
                                       "REGIONAL",
                                       "SECURITY",
                                       "INTERIM",
                                       "VICE",
                                       "PRESIDENT",
                                       "ECONOFF",
                                       "POLOFF",
                                       "ECONCOUNS",
                                       "POLCOUNS",
                                       "AMBASSADOR",
                                       "AMB",
                                       "DEPT",
                                       "U.S",
                                       "OFFICIAL",
                                       "CG",
                                       "PO",
                                       "DPO",
                                       "RA",
                                       "INL",
                                       "DRL",
                                       "PM",
                                       "VCI",
                                       "INR",
                                       "OES",
                                       "EEB",
                                       "AA",
                                       "USAID",
                                       "MISSION",
                                       "TEAM",
                                       "LEADER",
                                       "ADVISER",
                                       "SR",
                                       "ADMIN",
                                       "CONGEN",
                                       "NIACT",
                                       "POLITICAL-MILITARY",
                                       "POLITICAL/ECONOMIC",
                                       "ECON/POL",
                                       "DEPUTY-CHIEF",
                                       "CHARGE'",
                                       "MANAGER",
                                       "ANALYST"};
  char buf[48];
  if (!n || n >= sizeof buf) return false;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)up((unsigned char)s[i]);
  buf[n] = '\0';
  while (n && (buf[n - 1] == '.' || buf[n - 1] == '\'' || buf[n - 1] == ':'))
    buf[--n] = '\0';
  if (!n) return true;
  for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
    if (titles[i][0] == buf[0] && !strcmp(buf, titles[i])) return true;
  /* AMBASSADOR misspelt (AMBASSADR, ABASSADOR, AMABASSADOR ...), d'Affaires
   * spelt every way, POLOFF/ECONOFF-like job codes. */
  if (!strncmp(buf, "AMB", 3) || !strncmp(buf, "ABAS", 4) || !strncmp(buf, "AMAB", 4)) return true;
  if (buf[0] == 'D' && (buf[1] == '\'' || buf[1] == ',' || buf[1] == '\\' || buf[1] == '`'))
    return true;
  if (!strncmp(buf, "DE'", 3)) return true;
  if (n > 4 && !strcmp(buf + n - 3, "OFF")) return true;
  if (strchr(buf, '0')) return true; /* COUNSEL0R */
  return false;
}

static bool initial(const char *s, size_t n) {
  /* "F.", "W.S.", "A.F." */
  if (n < 2 || n % 2) return false;
  for (size_t i = 0; i < n; i += 2)
    if (!is_up((unsigned char)s[i]) || s[i + 1] != '.') return false;
  return true;
}

static bool suffix_word(const char *s, size_t n) {
  static const char *const sfx[] = {"JR.", "JR", "SR.", "SR", "II", "III", "IV"};
  for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++)
    if (strlen(sfx[i]) == n && ci_at(s, s + n, sfx[i])) return true;
  return false;
}

struct word {
  const char *s;
  size_t n;
  char sep; /* what ends it: ' ', ',', '/', ':', '-' (a dash word) ... */
};

/* The name in one comma-separated part of the "who" text, read from its
 * end: "Political Counselor F. Daniel Sainz" -> "F. Daniel Sainz". */
static size_t name_in(struct word *w, size_t n, bool mixed, size_t *from) {
  size_t k = 0, i = n;
  bool had_initial = false;
  /* "JOHN L. WITHERS II": a suffix is part of the name but no name word */
  if (i > 1 && suffix_word(w[i - 1].s, w[i - 1].n) && w[i - 2].sep == ' ') i--;
  while (i > 0) {
    struct word *x = &w[i - 1];
    if (x->n == 0 || (i < n && x->sep != ' ')) break;
    const char *s = x->s;
    size_t len = x->n;
    bool ini = initial(s, len);
    if (!ini && title_word(s, len)) break;
    bool ok;
    if (ini)
      ok = true;
    else if (mixed) {
      bool lower = false;
      for (size_t j = 0; j < len; j++)
        if (is_lo((unsigned char)s[j])) lower = true;
      ok = is_up((unsigned char)s[0]) && lower;
      /* an upper-case letter inside ("CooQnator") is garbled text, except
       * in McX, MacX, DeX, LaX, O'X names */
      for (size_t j = 2; j < len && ok; j++)
        if (is_up((unsigned char)s[j]) && is_lo((unsigned char)s[j - 1]) &&
            !(j == 2 &&
              (ci_at(s, s + len, "MC") || ci_at(s, s + len, "DE") || ci_at(s, s + len, "LA") ||
               ci_at(s, s + len, "LE") || ci_at(s, s + len, "DI"))) &&
            !(j == 3 && ci_at(s, s + len, "MAC")))
          ok = false;
    } else {
      ok = is_up((unsigned char)s[0]) && len >= 2;
      for (size_t j = 0; j < len && ok; j++)
        if (!is_up((unsigned char)s[j]) && s[j] != '\'' && s[j] != '-' && s[j] != '.') ok = false;
    }
    for (size_t j = 0; j < len && ok; j++)
      if (is_dg((unsigned char)s[j])) ok = false;
    if (!ok) break;
    k++;
    i--;
    if (ini) {
      /* "F. Daniel Sainz": an initial with two names after it comes first;
       * "Susan M. Elliott": a middle initial takes one name before it. */
      if (k >= 3) break;
      had_initial = true;
      continue;
    }
    if (had_initial) break;
    if (k >= 3) break;
  }
  *from = i;
  return k;
}

static void cb_names(struct body *b, const char *p, const char *e) {
  /* words; commas, slashes, colons and dashes separate */
  struct word w[64];
  size_t nw = 0;
  bool mixed = false;
  while (p < e && nw < 64) {
    while (p < e && is_sp((unsigned char)*p))
      p++;
    if (p >= e) break;
    if (*p == ',' || *p == '/' || *p == ':' || *p == ';' || *p == '?' || *p == '(' || *p == ')' ||
        (*p == '-' && (p + 1 >= e || is_sp((unsigned char)p[1])))) {
      if (nw)
        w[nw - 1].sep = *p == '(' || *p == ')' ? '/' : *p;
      else
        w[nw++] = (struct word){p, 0, *p};
      p++;
      continue;
    }
    const char *s = p;
    while (p < e && !is_sp((unsigned char)*p) && *p != ',' && *p != '/' && *p != ':' && *p != ';' &&
           *p != '(' && *p != ')')
      p++;
    const char *we = p;
    while (we > s && (we[-1] == '.' || we[-1] == '"') && !initial(s, (size_t)(we - s)) &&
           !(we - s == 3 && suffix_word(s, 3)))
      we--;
    if (we == s) continue;
    w[nw++] = (struct word){s, (size_t)(we - s), ' '};
  }
  for (size_t i = 0; i < nw; i++) {
    bool lo = false, hi = false;
    for (size_t j = 0; j < w[i].n; j++) {
      if (is_lo((unsigned char)w[i].s[j])) lo = true;
      if (is_up((unsigned char)w[i].s[j])) hi = true;
    }
    if (lo && hi && !title_word(w[i].s, w[i].n)) mixed = true;
  }
  /* drop a trailing classification word ("TOM MCDONALD. CONFIDENTIAL") */
  while (nw && (ci_word(w[nw - 1].s, w[nw - 1].s + w[nw - 1].n, "CONFIDENTIAL") ||
                ci_word(w[nw - 1].s, w[nw - 1].s + w[nw - 1].n, "SECRET") ||
                ci_word(w[nw - 1].s, w[nw - 1].s + w[nw - 1].n, "UNCLASSIFIED")))
    nw--;
  /* parts between commas (and other separators); suffixes stay with the name */
  size_t best_from = 0, best_k = 0, best_end = 0;
  size_t i = 0;
  while (i < nw) {
    size_t j = i;
    while (j < nw && (w[j].sep == ' ' || w[j].n == 0) && !(w[j].n == 0 && j > i))
      j++;
    size_t end = j < nw ? j + 1 : nw; /* w[j] ends the part */
    if (end > nw) end = nw;
    /* a following "JR." / "III" belongs to this part */
    size_t sfx = 0;
    if (end < nw && suffix_word(w[end].s, w[end].n)) sfx = 1;
    size_t from;
    struct word *part = &w[i];
    size_t pn = end - i;
    /* the part's last word may carry the separator: treat it as ' ' */
    char save = pn ? part[pn - 1].sep : ' ';
    if (pn) part[pn - 1].sep = ' ';
    size_t k = name_in(part, pn, mixed, &from);
    if (pn) part[pn - 1].sep = save;
    if (k >= 2 || (k == 1 && !best_k)) {
      if (k > best_k || (best_k < 2 && k >= 2)) {
        best_k = k;
        best_from = i + from;
        best_end = end + sfx;
      }
      if (k >= 2) break;
    }
    i = end + sfx;
  }
  if (!best_k) return;
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  for (size_t x = best_from; x < best_end; x++) {
    if (!w[x].n) continue;
    if (o->len) {
      if (suffix_word(w[x].s, w[x].n) && w[x - 1].sep == ',') {
        if (cx_buf_addc(o, ',') != CX_OK) oom(b);
      }
      if (cx_buf_addc(o, ' ') != CX_OK) oom(b);
    }
    size_t n = w[x].n;
    /* "III." -> "III"; "JR." keeps its dot */
    if (n > 1 && w[x].s[n - 1] == '.' && !initial(w[x].s, n) && !(n == 3 && suffix_word(w[x].s, n)))
      n--;
    if (cx_buf_add(o, w[x].s, n) != CX_OK) oom(b);
  }
  if (b->rc != CX_FATAL && o->len && cx_strv_push_n(&b->c->classified_by.names, o->data, o->len))
    oom(b);
}

/* Ends reasons where a paragraph marking glued to them starts: "1.4(B), (D)
 * (S//NF) Summary" -> "1.4(B), (D)".  Only markings that cannot be reason
 * letters ("(b/d)" is one) count: (U), (SBU), (TS), and those naming NOFORN
 * or with "//". */
static void cut_at_marking(struct cx_buf *o) {
  for (size_t i = 0; o->data && i + 3 < o->len; i++) {
    if (o->data[i] != ' ' || o->data[i + 1] != '(') continue;
    size_t j = i + 2;
    while (j < o->len && (is_al((unsigned char)o->data[j]) || o->data[j] == '/'))
      j++;
    if (j >= o->len || o->data[j] != ')') continue;
    size_t n = j - (i + 2);
    char m[16];
    if (!n || n >= sizeof m) continue;
    for (size_t k = 0; k < n; k++)
      m[k] = (char)up((unsigned char)o->data[i + 2 + k]);
    m[n] = '\0';
    if (!strcmp(m, "U") || !strcmp(m, "SBU") || !strcmp(m, "TS") || strstr(m, "NF") ||
        strstr(m, "//")) {
      o->len = i;
      o->data[i] = '\0';
      return;
    }
  }
}

/* Where the "who" part ends and the reasons begin. */
static const char *cb_reason(const char *t, const char *p, const char *e, const char **reasons) {
  *reasons = NULL;
  for (const char *q = p; q < e; q++) {
    unsigned char ch = (unsigned char)*q;
    if (ch == ';') {
      *reasons = q + 1;
      return q;
    }
    if (is_dg(ch) && wstart(t, q) && q + 2 < e && (q[1] == '.' || q[1] == ',') &&
        (is_dg((unsigned char)q[2]) || (q[2] == ' ' && q + 3 < e && is_dg((unsigned char)q[3])))) {
      *reasons = q;
      return q;
    }
    if (!is_al(ch) || !(wstart(t, q) || q[-1] == '-')) continue;
    if (ci_at(q, e, "REAS") || ci_at(q, e, "RESON") || ci_at(q, e, "RASON") ||
        ci_at(q, e, "REASON")) {
      const char *r = q;
      while (r < e && !is_dg((unsigned char)*r) && r - q < 16)
        r++;
      *reasons = r;
      return q > p && q[-1] == '-' ? q - 1 : q;
    }
    if (ci_word(q, e, "E.O") || ci_word(q, e, "EO") || ci_at(q, e, "E.O.1")) return q;
    if (ci_word(q, e, "SECTION") && is_dg((unsigned char)*skip_hs(q + 7, e))) return q;
    if (ci_word(q, e, "DUE TO") || ci_word(q, e, "BASED ON") || ci_word(q, e, "BASED UPON") ||
        ci_word(q, e, "UNDER"))
      return q;
    static const char *const fors[] = {"FOR", "FR", "F0R", "PER"};
    for (size_t i = 0; i < 4; i++) {
      if (!ci_word(q, e, fors[i])) continue;
      const char *r = skip_sp(q + strlen(fors[i]), e);
      if (r < e && (up((unsigned char)*r) == 'R' || is_dg((unsigned char)*r) ||
                    ci_at(r, e, "E.O") || ci_word(r, e, "EO") || ci_at(r, e, "SECTION")))
        return q;
    }
  }
  return e;
}

static void parse_classified_by(struct body *b) {
  const char *t = b->t, *e = b->end;
  /* Paragraph 1 may carry it ("1. (U) CLASSIFIED BY ..."): look up to
   * paragraph 2, and take the last of several ("Classified By: Classified by"). */
  const char *lim = b->hdr_lim + 1500 < e ? b->hdr_lim + 1500 : e;
  const char *kw = NULL, *v = NULL;
  /* a place before lim may have its word run past it */
  const char *lim4 = e - lim > 4 ? lim + 4 : e;
  for (const char *p = ci_next(t, lim4, "CLASS"); p < lim; p = ci_next(p + 1, lim4, "CLASS")) {
    if (!wstart(t, p)) continue;
    const char *q = NULL;
    if (ci_at(p, e, "CLASSIFIED"))
      q = p + 10;
    else if (ci_at(p, e, "CLASSFIED"))
      q = p + 9;
    else
      continue;
    const char *r = skip_sp(q, e);
    if (r == q || !ci_word(r, e, "BY")) continue;
    r += 2;
    if (r < e && *r == ':') r++;
    if (kw && v && p > v + 400) break;
    kw = p;
    v = r;
    /* "2." starts: stop looking */
  }
  if (!kw) return;
  /* The text: to a blank line or a paragraph start, at most 600 bytes. */
  const char *te = v;
  while (te < e && te - v < 600) {
    if (*te == '\n') {
      const char *n = te + 1, *nle = eol(n, e);
      struct para pa;
      if (blank(n, nle) || (para_at(n, nle, &pa) && pa.n <= 3)) break;
    }
    if (is_dg((unsigned char)*te) && te > v && is_sp((unsigned char)te[-1])) {
      const char *r = te + digits(te, e);
      if (r < e && *r == '.' && !is_dg((unsigned char)r[1])) {
        const char *s = skip_hs(r + 1, e);
        if (marking(s, e, NULL, NULL) && te - v > 10) break;
      }
    }
    te++;
  }
  /* Join words the 70-column wrap cut ("Hoyt Y \nee", "reas \nons"). */
  struct cx_buf txt;
  cx_buf_init(&txt, b->cap);
  const char *ls = bol(t, kw);
  for (const char *p = v; p < te; p++) {
    if (*p == '\n' && p + 1 < te && is_lo((unsigned char)p[1])) {
      const char *q = p;
      while (q > ls && is_hs((unsigned char)q[-1]))
        q--;
      if (q - ls >= 60 && q > ls && is_al((unsigned char)q[-1])) {
        txt.len -= (size_t)(p - q) <= txt.len ? (size_t)(p - q) : txt.len;
        ls = p + 1;
        continue;
      }
    }
    if (*p == '\n') ls = p + 1;
    /* "Hoyt Y ee": the same cut with the line break lost */
    if (*p == ' ' && p - 2 >= v && is_up((unsigned char)p[-1]) && p[-2] == ' ' && p[-1] != 'A' &&
        p[-1] != 'I' && p + 2 < te && is_lo((unsigned char)p[1]) && is_lo((unsigned char)p[2])) {
      const char *q = p + 1;
      while (q < te && is_lo((unsigned char)*q))
        q++;
      if (q >= te || !is_al((unsigned char)*q)) continue;
    }
    if (cx_buf_addc(&txt, *p) != CX_OK) oom(b);
  }
  if (b->rc == CX_FATAL) {
    cx_buf_free(&txt);
    return;
  }
  b->c->has_classified_by = true;
  const char *s = txt.data ? txt.data : "", *se = s + txt.len;
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  if (cx_buf_add(o, kw, (size_t)(v - kw)) != CX_OK) oom(b);
  if (cx_buf_addc(o, ' ') != CX_OK) oom(b);
  struct cx_buf f;
  cx_buf_init(&f, b->cap);
  fold(b, &f, kw, v, false);
  if (f.data && cx_buf_addc(&f, ' ') != CX_OK) oom(b);
  fold(b, &f, s, se, false);
  if (f.data) put(b, &b->c->classified_by.text, f.data, f.len);
  cx_buf_free(&f);
  const char *reasons;
  const char *we = cb_reason(s, s, se, &reasons);
  cb_names(b, s, we);
  if (!reasons) /* "for reasons 1.4 (b)": the section number after the marker */
    for (const char *q = we; q + 2 < se && !reasons; q++)
      if (is_dg((unsigned char)*q) && (q[1] == '.' || q[1] == ',') && wstart(s, q)) reasons = q;
  if (reasons && reasons < se) {
    cx_buf_reset(o);
    const char *r = skip_sp(reasons, se);
    if (r < se && *r == ':') r = skip_sp(r + 1, se);
    /* "; reasons 1.4 (b)", "; REASON: 1.4(D)": the word is not part of them */
    if (ci_at(r, se, "REASON")) {
      const char *d = r;
      while (d < se && !is_dg((unsigned char)*d) && d - r < 16)
        d++;
      if (d < se && is_dg((unsigned char)*d)) r = d;
    }
    fold(b, o, r, se, false);
    cut_at_marking(o);
    trim_tail(o, " .");
    if (o->data && o->len) put(b, &b->c->classified_by.reasons, o->data, o->len);
  }
  if (te > b->hdr_end && kw < b->hdr_lim) b->hdr_end = te;
  cx_buf_free(&txt);
}

/* ------------------------------------------------------------------ */
/* SUMMARY. */

/* "SUMMARY", "SUMMAY", with "AND COMMENT", "/COMMENT", "AND ACTION
 * REQUEST", "AND INTRODUCTION" and the punctuation after it. */
static const char *summary_head(const char *t, const char *p, const char *e, bool strict) {
  if (!wstart(t, p)) return NULL;
  const char *q;
  if (ci_at(p, e, "SUMMARY"))
    q = p + 7;
  else if (ci_at(p, e, "SUMMAY"))
    q = p + 6;
  else
    return NULL;
  if (q < e && is_al((unsigned char)*q)) return NULL;
  static const char *const more[] = {" AND COMMENT", "/COMMENT", " AND ACTION REQUEST",
                                     " AND INTRODUCTION", " AND TABLE OF CONTENTS"};
  for (size_t i = 0; i < sizeof more / sizeof *more; i++)
    if (ci_at(q, e, more[i])) {
      q += strlen(more[i]);
      break;
    }
  const char *r = q;
  while (r < e && (*r == ' ' || *r == '-' || *r == '\n' || *r == ':' || *r == '.' || *r == '\t'))
    r++;
  if (strict) {
    /* Without "END SUMMARY" only a heading counts: "SUMMARY:", or the word
     * opening a line or a paragraph ("1. (C) Summary.") -- not "a summary
     * of the talks" inside a sentence. */
    if (r == q) return NULL;
    const char *c = skip_hs(q, e);
    struct para pa;
    const char *ls = near_line_start(t, p, 24);
    if (!(c < e && *c == ':') && !first_on_line(t, p) &&
        !(ls && para_at(ls, p + 1, &pa) && pa.text == p))
      return NULL;
  }
  return r;
}

static void parse_summary(struct body *b) {
  const char *t = b->t, *e = b->end;
  const char *from = b->subj_end ? b->subj_end : t;
  const char *end = NULL;
  for (const char *p = ci_next(from, e, "END"); p < e; p = ci_next(p + 1, e, "END"))
    if (wstart(t, p) && ci_at(p, e, "END")) {
      const char *q = p + 3;
      if (ci_at(q, e, " OF")) q += 3;
      const char *r = skip_sp(q, e);
      if (r > q && ci_at(r, e, "SUMMAR")) {
        end = p;
        break;
      }
    }
  const char *s = NULL, *se = NULL;
  if (end) {
    for (const char *p = ci_next(from, end, "SUMMA"); p < end && !s;
         p = ci_next(p + 1, end, "SUMMA"))
      s = summary_head(t, p, end, false);
    if (!s) { /* "End Summary" without a start: paragraph 1 is the summary */
      const char *ls = from;
      if (ls > t && ls[-1] != '\n') ls = eol(ls, end) + 1;
      for (; ls < end; ls = eol(ls, end) + 1) {
        struct para pa;
        if (para_at(ls, eol(ls, e), &pa) && pa.n == 1) {
          s = pa.text;
          break;
        }
      }
    }
    se = end;
  } else {
    for (const char *p = ci_next(from, e, "SUMMA"); p < e && !s; p = ci_next(p + 1, e, "SUMMA"))
      s = summary_head(t, p, e, true);
    if (!s) return;
    for (se = s; se < e; se++) {
      if (*se == '\n' && blank(se + 1, eol(se + 1, e))) break;
      if (*se == '-' && se + 3 < e && se[1] == '-' && se[2] == '-' && se[3] == '-') break;
      if (se - s > 8000) break;
    }
  }
  if (!s || s >= se) return;
  /* Clean: paragraph numbers and markings at line starts, dashes, the marking
   * right after "Summary:". */
  struct cx_buf raw;
  cx_buf_init(&raw, b->cap);
  const char *p = s;
  bool line_start = true;
  while (p < se) {
    if (line_start) {
      const char *q = skip_hs(p, se);
      struct para pa;
      if (para_at(q, eol(q, se), &pa) && pa.n <= 99) q = pa.text;
      const char *m = marking(q, se, NULL, NULL);
      if (m) q = skip_hs(m, se);
      p = q;
      line_start = false;
      continue;
    }
    if (*p == '-' && p + 2 < se && p[1] == '-' && p[2] == '-') {
      while (p < se && *p == '-')
        p++;
      continue;
    }
    /* up to the next line end or dash, at once */
    const char *q = p + 1;
    if (*p == '\n')
      line_start = true;
    else
      while (q < se && *q != '\n' && *q != '-')
        q++;
    if (cx_buf_add(&raw, p, (size_t)(q - p)) != CX_OK) oom(b);
    p = q;
  }
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  if (raw.data) fold(b, o, raw.data, raw.data + raw.len, false);
  cx_buf_free(&raw);
  trim_tail(o, " ");
  if (b->rc != CX_FATAL && o->len) put(b, &b->c->summary, o->data, o->len);
}

/* ------------------------------------------------------------------ */
/* Paragraphs and signer. */

static bool noise_line(const char *p, const char *le) {
  p = skip_hs(p, le);
  while (le > p && is_sp((unsigned char)le[-1]))
    le--;
  if (p >= le) return true;
  bool alnum = false;
  for (const char *q = p; q < le; q++)
    if (is_an((unsigned char)*q)) alnum = true;
  if (!alnum) return true; /* ".", "-", ">", "#" */
  if (furniture_line(p, le)) return true;
  static const char *const starts[] = {
      "NNN",          "NOTE BY", "NOTE:",          "DECLASSIFIED/RELEASED", "REVIEW ",
      "GP-",          "SIPDIS",  "C O N F",        "S E C R E T",           "U N C L A S",
      "BT",           "#",       "END CABLE TEXT", "SYSTEMATIC REVIEW",     "ID:",
      "TRACK IMPRESI"};
  for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
    if (ci_at(p, le, starts[i]) &&
        (strlen(starts[i]) != 2 || p + 2 >= le || !is_al((unsigned char)p[2])))
      return true;
  /* "2002ROME01748 - Classification: SECRET" */
  if (digits(p, le) == 4 && is_up((unsigned char)p[4])) return true;
  /* a line cut short on the page ("DANIEL ORTEGA AN...") */
  if (le - p > 3 && le[-1] == '.' && le[-2] == '.' && le[-3] == '.') return true;
  /* boilerplate under the signature: the post's classified web site, the
   * tracking lines of a newspaper's copy ("EPET @ EL PAIS") */
  const char *w = p;
  while (w < le && (*w == '"' || *w == '\''))
    w++;
  if (ci_at(w, le, "VISIT ") || ci_at(w, le, "PLEASE VISIT") || ci_at(w, le, "HTTP")) return true;
  static const char *const inside[] = {"SGOV.GOV", "PORTAL:", " @ "};
  for (size_t i = 0; i < sizeof inside / sizeof *inside; i++)
    if (ci_find(p, p, le, inside[i], false)) return true;
  return false;
}

/* A signer: one to three upper-case words ("ORDWAY", "DE PREE",
 * "O'DONOHUE"), maybe followed by '.', '#' or '"'. */
static bool signer_words(const char *p, const char *e, bool title, const char **ne) {
  while (e > p && (is_sp((unsigned char)e[-1]) || e[-1] == '.' || e[-1] == '#' || e[-1] == '"'))
    e--;
  p = skip_hs(p, e);
  if (p >= e || e - p > 32) return false;
  int words = 0;
  const char *first_end = NULL;
  for (const char *q = p; q < e;) {
    const char *s = q;
    /* "Timken jr", "WITHERS II" */
    if (words && (ci_word(q, e, "JR") || ci_word(q, e, "JR.") || ci_word(q, e, "SR"))) {
      q += 2;
      if (q < e && *q == '.') q++;
    } else if (title) { /* "Stapleton", "McCaw", "Van Voorst", "O'Donohue" */
      if (q >= e || !is_up((unsigned char)*q)) return false;
      q++;
      bool lower = false;
      while (q < e && (is_al((unsigned char)*q) || *q == '\'' || *q == '-')) {
        if (is_lo((unsigned char)*q)) lower = true;
        q++;
      }
      if (!lower) return false;
    } else {
      while (q < e && (is_up((unsigned char)*q) || *q == '\'' || *q == '-'))
        q++;
      if (q == s || !is_up((unsigned char)*s)) return false;
    }
    words++;
    if (!first_end) first_end = q;
    if (q < e && *q != ' ') return false;
    q = skip_hs(q, e);
  }
  if (words < 1 || words > 3) return false;
  static const char *const not_names[] = {
      "END",          "TEXT",       "COMMENT",      "SUMMARY", "QUOTE",  "UNQUOTE",
      "MINIMIZE",     "CONSIDERED", "SIPDIS",       "NOFORN",  "BT",     "NNNN",
      "CONFIDENTIAL", "SECRET",     "UNCLASSIFIED", "ACTION",  "INFO",   "END TEXT",
      "END COMMENT",  "NONE",       "SENSITIVE",    "THANKS",  "REGARDS"};
  for (size_t i = 0; i < sizeof not_names / sizeof *not_names; i++)
    if ((size_t)(e - p) == strlen(not_names[i]) && ci_at(p, e, not_names[i])) return false;
  if (words > 1 && (ci_at(p, e, "END ") || ci_at(p, e, "SEE "))) return false;
  /* "KUBISKE KUBISKE": the name printed twice */
  if (words == 2 && first_end && (size_t)(e - p) == 2 * (size_t)(first_end - p) + 1 &&
      !strncmp(p, first_end + 1, (size_t)(first_end - p)))
    e = first_end;
  *ne = e;
  return true;
}

/* The last non-blank line above ls, or NULL; blank lines between are
 * reported through *gap. */
static const char *line_above(const struct body *b, const char *ls, const char **end, bool *gap) {
  *gap = false;
  while (ls > b->t) {
    const char *pe = ls - 1, *ps = bol(b->t, pe);
    while (pe > ps && is_sp((unsigned char)pe[-1]))
      pe--;
    if (pe > ps) {
      *end = pe;
      return ps;
    }
    *gap = true;
    ls = ps;
  }
  return NULL;
}

/* May the line at ls stand as a signature after the line above it?  Not
 * when it goes on an upper-case sentence ("...TRINIDAD'S\nASSISTANCE.");
 * a mixed-case name ("Stapleton") needs the text above to have ended. */
static bool signature_place(const struct body *b, const char *ls, bool title) {
  const char *pe, *ps;
  bool gap;
  if (!(ps = line_above(b, ls, &pe, &gap)) || gap) return true;
  if (noise_line(ps, pe)) return true;
  unsigned char last = (unsigned char)pe[-1];
  /* after "END COMMENT", "UNQUOTE" */
  const char *w = skip_hs(ps, pe);
  if (ci_at(w, pe, "END ") || ci_word(w, pe, "UNQUOTE")) return true;
  if (title) return strchr(".!?\"')*:", last) != NULL;
  if (!is_al(last) && last != ',' && last != '\'') return true;
  for (const char *q = ps; q < pe; q++)
    if (is_lo((unsigned char)*q)) return true; /* "City\nARREAGA": another register */
  return false;
}

/* Finds the signer in the last lines after `from`; returns where the
 * message text ends (the signer's line start) or e when there is none. */
static const char *parse_signer(struct body *b, const char *from) {
  const char *e = b->end, *p = e;
  for (int i = 0; i < SIGNER_LINES && p > from; i++) {
    const char *le = p;
    if (le > from && le[-1] == '\n') le--;
    const char *ls = bol(b->t, le);
    if (ls < from) ls = from;
    p = ls;
    if (noise_line(ls, le)) continue;
    const char *ne;
    const char *s = skip_hs(ls, le);
    /* "Huntsman\nhuntsman": a lower-case repeat under the name */
    const char *x = s;
    while (x < le && is_lo((unsigned char)*x))
      x++;
    if (x > s && skip_sp(x, le) >= le && i < SIGNER_LINES - 1 && p > from) continue;
    if ((signer_words(s, le, false, &ne) && signature_place(b, ls, false)) ||
        (signer_words(s, le, true, &ne) && signature_place(b, ls, true))) {
      put(b, &b->c->signer, s, (size_t)(ne - s));
      return ls;
    }
    /* The name ends the last sentence's line: "... MINIMIZE CONSIDERED.
     * EAGLETON", "End comment. SOBEL", "...into Europe. Edelman". */
    const char *q = le;
    while (q > ls && is_sp((unsigned char)q[-1]))
      q--;
    while (q > ls && (q[-1] == '.' || q[-1] == '#'))
      q--;
    const char *w = q;
    while (w > ls && (is_al((unsigned char)w[-1]) || w[-1] == '\''))
      w--;
    const char *g = w;
    while (g > ls && g[-1] == ' ')
      g--;
    /* after a closing quote, also a typographic one (U+201D, U+2019) */
    bool quote = g - ls >= 3 && (unsigned char)g[-3] == 0xE2 && (unsigned char)g[-2] == 0x80 &&
                 ((unsigned char)g[-1] == 0x9D || (unsigned char)g[-1] == 0x99);
    if (w < q && g < w && g > ls && (strchr(".*\"')", g[-1]) || quote) && w - ls >= 3) {
      bool caps = signer_words(w, q, false, &ne) && q - w >= 3;
      bool title = !caps && signer_words(w, q, true, &ne) && (g[-1] == '.' || quote);
      if (caps || title) {
        put(b, &b->c->signer, w, (size_t)(ne - w));
        return le;
      }
    }
    return e;
  }
  return e;
}

/* Appends the lines of [p,e) to o, page furniture dropped, trailing blanks
 * trimmed, runs of blank lines made one. */
static void para_text(struct body *b, struct cx_buf *o, const char *p, const char *e) {
  /* The blank lines around a page break belong to it, not to the text:
   * "resolve the\n\nALMATY 00003065 002 OF 004\n\nissue" is one sentence. */
  bool gap_pending = false, page_break = false;
  while (p < e) {
    const char *le = eol(p, e), *te = le;
    while (te > p && is_sp((unsigned char)te[-1]))
      te--;
    if (te == p || te == skip_hs(p, te)) {
      if (o->len && !page_break) gap_pending = true;
    } else if (furniture_line(p, te)) {
      gap_pending = false;
      page_break = true;
    } else {
      if (o->len && cx_buf_adds(o, gap_pending ? "\n\n" : "\n") != CX_OK) oom(b);
      gap_pending = page_break = false;
      const char *s = o->len ? p : skip_hs(p, te);
      if (cx_buf_add(o, s, (size_t)(te - s)) != CX_OK) oom(b);
    }
    p = le < e ? le + 1 : le;
  }
}

static void add_para(struct body *b, const struct para *pa, const char *p, const char *e) {
  struct cx_paragraph *x = cx_paragraphs_add(&b->c->paragraphs);
  if (!x) {
    oom(b);
    return;
  }
  if (pa) {
    /* "3.A" */
    char num[16];
    size_t n = 0;
    for (const char *q = pa->num; q < pa->num_end && n + 1 < sizeof num; q++)
      num[n++] = (char)up((unsigned char)*q);
    while (n && (num[n - 1] == '.' || num[n - 1] == ')'))
      n--;
    put(b, &x->number, num, n);
    if (pa->mark) put(b, &x->marking, pa->mark, (size_t)(pa->mark_end - pa->mark));
  }
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  para_text(b, o, p, e);
  put(b, &x->text, o->data ? o->data : "", o->len);
}

static void parse_paragraphs(struct body *b) {
  const char *t = b->t, *e = b->end;
  struct para cur, pa;
  bool have = false;
  long last = 0;
  const char *first_para = NULL;
  for (const char *p = t; p < e;) {
    const char *le = eol(p, e);
    if (para_at(p, le, &pa) &&
        (pa.n == last + 1 || (pa.sub && pa.n == last) || (!have && pa.n >= 1 && pa.n <= 3)) &&
        (pa.mark || pa.text >= le || !is_lo((unsigned char)*pa.text))) {
      if (have) add_para(b, &cur, cur.text, p);
      if (!first_para) first_para = p;
      cur = pa;
      have = true;
      last = pa.n;
    }
    p = le < e ? le + 1 : le;
    if (b->rc == CX_FATAL) return;
  }
  const char *from = have ? cur.text : (b->hdr_end > t ? b->hdr_end : t);
  const char *stop = parse_signer(b, from);
  if (have)
    add_para(b, &cur, cur.text, stop);
  else if (!blank(from, stop))
    add_para(b, NULL, from, stop);
}

/* ------------------------------------------------------------------ */

int cx_telegram_body(struct cx_cable *c, const char *text, size_t len, int year,
                     unsigned long first_line, struct cx_ctx *ctx) {
  struct body b;
  memset(&b, 0, sizeof b);
  b.c = c;
  b.ctx = ctx;
  b.year = year;
  b.first_line = first_line;
  b.rc = CX_OK;
  struct cx_buf clean_buf;
  cx_buf_init(&clean_buf, len + 16);
  if (clean(text, len, &clean_buf) != CX_OK) {
    cx_buf_free(&clean_buf);
    return cx_error(ctx, CX_FATAL, first_line, "out of memory");
  }
  b.t = clean_buf.data ? clean_buf.data : "";
  b.end = b.t + clean_buf.len;
  b.cap = 2 * clean_buf.len + 4096;
  cx_buf_init(&b.tmp, b.cap);
  /* The header fields live before paragraph 1. */
  b.hdr_lim = b.end - b.t > HDR_CAP ? b.t + HDR_CAP : b.end;
  for (const char *p = b.t; p < b.hdr_lim;) {
    const char *le = eol(p, b.end);
    struct para pa;
    if (para_at(p, le, &pa) && pa.n == 1 && (pa.mark || ci_at(pa.text, le, "SUMMARY"))) {
      b.hdr_lim = p;
      break;
    }
    p = le < b.end ? le + 1 : le;
  }
  b.hdr_end = b.t;
  parse_banner(&b);
  parse_sipdis(&b);
  parse_eo(&b);
  parse_tags(&b);
  parse_subject(&b);
  parse_refs(&b);
  parse_classified_by(&b);
  parse_summary(&b);
  parse_paragraphs(&b);
  cx_buf_free(&b.tmp);
  cx_buf_free(&clean_buf);
  return b.rc;
}
