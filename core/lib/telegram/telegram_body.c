/* telegram_body.c - the telegram body: cleans the text, finds where the
 * header fields end (paragraph 1), and runs the parts in order, each in its
 * own file (see telegram_internal.h):
 *
 *   body      = banner [ SIPDIS ] [ E.O. line ] [ TAGS ] [ SUBJECT ] [ REF ]
 *               [ Classified By ] { paragraph } [ signer ] { page furniture }
 *   furniture = "ALMATY 00003065 002 OF 004" | "PAGE 02 ROME 01196 01 OF 02 082030Z"
 *               | "PAGE 02 RUEHFRA2440 C O N F I D E N T I A L PARIS 002440"
 *               | a lone classification word at a page break
 *
 * The parts work on a cleaned copy of the body (pilcrows dropped, and the
 * replacement characters a wrong encoding left for them, NBSP made
 * a space, CRLF made LF, line-end backslashes dropped, numeric HTML entities
 * decoded), so that every extracted field comes out the same whichever page
 * layout the cable was taken from.  Newlines are kept, so line numbers still
 * count.  Every scan is forward and bounded: the header fields are looked
 * for in the first few kilobytes only, the rest is walked once.
 *
 * Ownership: the body text is borrowed; what is kept is copied into the
 * cable (see telegram_internal.h).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telegram_internal.h"
#include "text.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Where header fields (E.O., TAGS, SUBJECT, REF) may be: real cables have
 * them in the first kilobyte; office lines can push them a bit further. */
#define HDR_CAP 4000

/* ------------------------------------------------------------------ */
/* Output helpers. */

void body_fail_oom(struct body *b) {
  if (b->rc != CX_FATAL) b->rc = cx_error(b->ctx, CX_FATAL, 0, "out of memory");
}

void body_set_field(struct body *b, char **dst, const char *s, size_t n) {
  if (cx_set_n(dst, s, n) != CX_OK) body_fail_oom(b);
}

/* Does the gap [g,p) (spaces) after a word ending with d[-2] d[-1] (len
 * bytes of this fold) join the next word without a space?  A hyphen ending
 * a line does, when hyphen is asked for. */
static inline bool fold_joins(bool hyphen, const char *d, size_t len, const char *g,
                              const char *p) {
  return hyphen && d[-1] == '-' && len >= 2 && d[-2] != ' ' && memchr(g, '\n', (size_t)(p - g));
}

/* fold_spaces from the word at p, a word at a time through cx_buf_add, each
 * word that does not fit failing on its own. */
static void fold_words(struct body *b, struct cx_buf *o, const char *p, const char *e,
                       bool hyphen) {
  size_t start = o->len;
  for (;;) {
    const char *q = p + 1;
    while (q < e && !is_space((unsigned char)*q))
      q++;
    if (cx_buf_add(o, p, (size_t)(q - p)) != CX_OK) body_fail_oom(b);
    if ((p = skip_space(q, e)) >= e) return;
    if (o->len > start && !fold_joins(hyphen, o->data + o->len, o->len - start, q, p) &&
        cx_buf_addc(o, ' ') != CX_OK)
      body_fail_oom(b);
  }
}

/* Appends [p,e) to o, whitespace runs folded to one space, without leading
 * or trailing space.  With `hyphen`, a hyphen ending a line joins the next
 * line without a space ("US- \nLATIN" -> "US-LATIN"). */
void fold_spaces(struct body *b, struct cx_buf *o, const char *p, const char *e, bool hyphen) {
  /* The folded text is never longer than [p,e): room for that is made at
   * once, and the text written straight into o instead of a word at a time
   * through cx_buf_add (as before when o is too near its limit for that).
   * Only text with a word in it touches o: the callers test o->data for
   * whether anything was added. */
  if ((p = skip_space(p, e)) >= e) return;
  if (cx_buf_reserve(o, (size_t)(e - p)) != CX_OK) {
    fold_words(b, o, p, e, hyphen);
    return;
  }
  char *start = o->data + o->len, *d = start;
#if defined(__SSE2__)
  const __m128i sp = _mm_set1_epi8(' '), lo = _mm_set1_epi8('\t' - 1), hi = _mm_set1_epi8('\r' + 1);
#endif
  for (;;) {
#if defined(__SSE2__)
    /* 16 bytes at a time: a block is stored whole (the room made covers
     * it: d never passes p's offset), then d and p go past what of it
     * stays as it is: words and the single spaces between them, up to the
     * first blank that is not one (another blank, a space followed by a
     * blank or ending the block, whose gap may go on in the next).  p is
     * never just after a blank here, so a single space is a whole gap. */
    while (e - p >= 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
      _mm_storeu_si128((__m128i *)(void *)d, v);
      __m128i is_sp = _mm_cmpeq_epi8(v, sp);
      __m128i ws = _mm_or_si128(is_sp, _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi)));
      unsigned m = (unsigned)_mm_movemask_epi8(ws);
      unsigned bad = (m & ~(unsigned)_mm_movemask_epi8(is_sp)) | (m & ((m >> 1) | 0x8000u));
      size_t k = bad ? (size_t)__builtin_ctz(bad) : 16;
      d += k;
      p += k;
      if (bad) break;
    }
#endif
    while (p < e && !is_space((unsigned char)*p)) /* the word (its last bytes) */
      *d++ = *p++;
    const char *g = p;
    if ((p = skip_space(p, e)) >= e) break;
    if (!fold_joins(hyphen, d, (size_t)(d - start), g, p)) *d++ = ' ';
  }
  o->len = (size_t)(d - o->data);
  o->data[o->len] = '\0';
}

void trim_end(struct cx_buf *o, const char *chars) {
  while (o->len && strchr(chars, o->data[o->len - 1])) {
    o->len--;
    o->data[o->len] = '\0';
  }
}

/* ------------------------------------------------------------------ */
/* Cleaning. */

static void add_utf8(struct cx_buf *o, unsigned long cp, int *rc) {
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

/* The bytes clean_text() has to look at: NUL, CR, '&', '\\', 0xC2 and
 * 0xEF. */
static const unsigned char clean_special[256] = {
    [0] = 1, ['\r'] = 1, ['&'] = 1, ['\\'] = 1, [0xC2] = 1, [0xEF] = 1};

/* A replacement character (U+FFFD) at s[i] that stands for a pilcrow lost
 * to a wrong encoding: at a line's start (blanks before it allowed) and
 * before a paragraph number ("\xEF\xBF\xBD1. (C) ...").  Mid-line, before a
 * digit, it is more likely a lost currency sign, and stays. */
static bool lost_pilcrow(const char *s, size_t n, size_t i, const struct cx_buf *o) {
  const unsigned char *u = (const unsigned char *)s;
  if (i + 3 >= n || u[i + 1] != 0xBF || u[i + 2] != 0xBD || !is_digit(u[i + 3])) return false;
  size_t k = o->len;
  while (k && is_hspace((unsigned char)o->data[k - 1]))
    k--;
  return !k || o->data[k - 1] == '\n';
}

static int clean_text(const char *s, size_t n, struct cx_buf *o) {
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
                                 _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')),
                                              _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
      unsigned m = (unsigned)_mm_movemask_epi8(hit);
      /* 0xC2 and 0xEF looked for only in a block with a byte above 0x7F
       * (its sign bit): most blocks are ASCII */
      if (_mm_movemask_epi8(v))
        m |=
            (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)),
                                                     _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF))));
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
    if (ch == 0xEF && lost_pilcrow(s, n, i, o)) {
      i += 3;
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
        while (j < n && is_hspace((unsigned char)s[j]))
          j++;
        i++;
        if (j >= n || s[j] == '\n') continue; /* line-continuation backslash */
      }
    } else if (ch == '&' && i + 3 < n && s[i + 1] == '#') {
      size_t j = i + 2;
      unsigned long cp = 0;
      while (j < n && j < i + 9 && is_digit((unsigned char)s[j]))
        cp = cp * 10 + (unsigned long)(s[j++] - '0');
      if (j > i + 2 && j < n && s[j] == ';' && cp >= 32 && cp <= 0x10FFFF &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        add_utf8(o, cp, &rc);
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

void word_index(size_t n, size_t keys, size_t (*key)(size_t i), unsigned char *order,
                unsigned short *at) {
  memset(at, 0, (keys + 1) * sizeof *at);
  for (size_t i = 0; i < n; i++)
    at[key(i) + 1]++;
  for (size_t k = 0; k < keys; k++)
    at[k + 1] += at[k];
  unsigned short next[256 + 1];
  memcpy(next, at, (keys + 1) * sizeof *at);
  for (size_t i = 0; i < n; i++)
    order[next[key(i)]++] = (unsigned char)i;
}

unsigned long line_number(const struct body *b, const char *p) {
  unsigned long l = b->first_line;
  for (const char *q = b->t; q < p; q++)
    if (*q == '\n') l++;
  return l;
}

/* ------------------------------------------------------------------ */
/* Page furniture inside the text: "ALMATY 00003065 002 OF 004",
 * "PRETORIA 00000954 001.2 OF 004", "PAGE 02 ROME 01196 01 OF 02 082030Z". */

/* Length of spaces at p (horizontal, or any when `any`). */
static const char *skip_gap(const char *p, const char *e, bool any) {
  const char *q = any ? skip_space(p, e) : skip_hspace(p, e);
  return q > p ? q : NULL;
}

/* "nnn[.n] OF nnn" at p; returns its end or NULL. */
const char *marker_tail(const char *p, const char *e, bool any) {
  size_t d = count_digits(p, e);
  if (d < 3 || d > 3) return NULL;
  p += d;
  if (p < e && *p == '.' && p + 1 < e && is_digit((unsigned char)p[1]))
    p += 1 + count_digits(p + 1, e);
  if (!(p = skip_gap(p, e, any)) || !has_word_ci(p, e, "OF")) return NULL;
  if (!(p = skip_gap(p + 2, e, any))) return NULL;
  d = count_digits(p, e);
  if (d != 3 || (p + d < e && is_alnum((unsigned char)p[d]))) return NULL;
  return p + d;
}

/* The rest of a page header that names the telegram by its routing
 * indicator and serial, from the serial's digits at p:
 *   "PAGE 02 RUEHFRA2440 C O N F I D E N T I A L PARIS 002440"
 * then the banner's words and the station's, up to the serial, all on one
 * line; returns its end or NULL. */
static const char *ri_page_rest(const char *p, const char *e) {
  size_t d = count_digits(p, e);
  if (d < 1 || d > 6) return NULL;
  const char *q = skip_gap(p + d, e, false);
  for (int w = 0; q && w < 24; w++) {
    d = count_digits(q, e);
    if (d >= 3 && d <= 7 && (q + d >= e || !is_alnum((unsigned char)q[d]))) return q + d;
    const char *s = q;
    while (q < e && (is_upper((unsigned char)*q) || *q == '/'))
      q++;
    if (q == s) return NULL;
    q = skip_gap(q, e, false);
  }
  return NULL;
}

/* A page marker starting at p (a word start), its station name at most
 * `words` words long; returns its end or NULL. */
const char *page_marker(const char *p, const char *e, bool any, int words) {
  const char *q;
  if (has_word_ci(p, e, "PAGE") && (q = skip_gap(p + 4, e, any))) {
    size_t d = count_digits(q, e);
    if (d < 1 || d > 3 || !(q = skip_gap(q + d, e, any))) return NULL;
    const char *w = q;
    while (q < e && is_upper((unsigned char)*q))
      q++;
    if (q - w >= 4 && *w == 'R' && q < e && is_digit((unsigned char)*q)) return ri_page_rest(q, e);
    if (q == w || !(q = skip_gap(q, e, any))) return NULL;
    d = count_digits(q, e);
    if (d < 3 || d > 6 || !(q = skip_gap(q + d, e, any))) return NULL;
    d = count_digits(q, e);
    if (d == 2) { /* "01 OF 02" */
      const char *r = skip_gap(q + 2, e, any);
      if (r && has_word_ci(r, e, "OF") && (r = skip_gap(r + 2, e, any)) &&
          count_digits(r, e) == 2 && (r = skip_gap(r + 2, e, any)))
        q = r;
      d = count_digits(q, e);
    }
    if (d != 6 || q + 6 >= e || to_upper((unsigned char)q[6]) != 'Z') return NULL;
    return q + 7;
  }
  /* STATION [WORDS] 000nnnnn nnn[.n] OF nnn */
  q = p;
  for (int w = 0; w < words; w++) {
    const char *s = q;
    while (q < e && (is_upper((unsigned char)*q) || *q == '\'' || *q == '-'))
      q++;
    if (q == s || !(q = skip_gap(q, e, false))) return NULL; /* one line */
    size_t d = count_digits(q, e);
    if (d >= 5 && d <= 8) {
      const char *r = skip_gap(q + d, e, any);
      return r ? marker_tail(r, e, any) : NULL;
    }
  }
  return NULL;
}

bool is_page_number_line(const char *p, const char *le) {
  p = skip_hspace(p, le);
  if (p >= le || to_upper((unsigned char)*p) != 'P' || !has_word_ci(p, le, "PAGE")) return false;
  const char *q = skip_hspace(p + 4, le);
  size_t d = count_digits(q, le);
  return q > p + 4 && d >= 1 && d <= 3 && skip_space(q + d, le) >= le;
}

const char *page_tail(const char *p, const char *e, bool need_dtg) {
  const char *q = p;
  for (int w = 0; w < 4; w++) {
    const char *s = q;
    while (q < e && (is_upper((unsigned char)*q) || *q == '\'' || *q == '-'))
      q++;
    if (q == s || !(q = skip_gap(q, e, false))) return NULL;
    size_t d = count_digits(q, e);
    if (!d) continue;
    if (d < 3 || d > 8) return NULL;
    q += d;
    const char *r = skip_gap(q, e, false);
    if (r && count_digits(r, e) == 2) { /* "01 OF 03" */
      const char *o = skip_gap(r + 2, e, false);
      if (!o || !has_word_ci(o, e, "OF") || !(o = skip_gap(o + 2, e, false)) ||
          count_digits(o, e) != 2)
        return NULL;
      q = o + 2;
      r = skip_gap(q, e, false);
    }
    if (r && count_digits(r, e) == 6 && r + 6 < e && to_upper((unsigned char)r[6]) == 'Z' &&
        (r + 7 >= e || !is_alnum((unsigned char)r[7])))
      return r + 7;
    return need_dtg ? NULL : q;
  }
  return NULL;
}

/* Is the whole line [p,le) page furniture (a marker, a lone classification
 * word as printed at page breaks)? */
bool is_furniture_line(const char *p, const char *le) {
  p = skip_hspace(p, le);
  while (le > p && is_space((unsigned char)le[-1]))
    le--;
  if (p >= le || !may_be_furniture(p, le)) return false;
  /* Each marker must end the line (le[-1] is its last byte: only blanks
   * may follow it), and each ends with a digit or with the Z of a DTG
   * group; a line ending otherwise (nearly every line of text) can only be
   * a classification word. */
  unsigned char last = (unsigned char)le[-1];
  if (is_digit(last) || to_upper(last) == 'Z') {
    const char *m = page_marker(p, le, false, 4);
    if (m && skip_hspace(m, le) >= le) return true;
    m = marker_tail(p, le, false);
    if (m && skip_hspace(m, le) >= le) return true;
    if (is_page_number_line(p, le)) return true;
    /* a page header's rest ends with its DTG group: "... 060018Z" */
    if (le - p >= 12 && to_upper(last) == 'Z' && is_digit((unsigned char)le[-2]) &&
        (m = page_tail(p, le, true)) && skip_hspace(m, le) >= le)
      return true;
  }
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
  size_t n = (size_t)(le - p);
  if (n < FURNITURE_WORD_MIN || n > FURNITURE_WORD_MAX) return false; /* the words' lengths */
  for (size_t i = 0; i < sizeof cls / sizeof *cls; i++)
    if (n == cls[i].n && has_prefix_ci(p, le, cls[i].s)) return true;
  return false;
}

/* ------------------------------------------------------------------ */
/* The body, part by part. */

/* The cleaned text and the parts' work buffer are kept per thread between
 * cables, reset rather than freed (a worker parses thousands of cables);
 * a thread's are freed when it ends, a main thread's stay reachable. */
struct body_scratch {
  struct cx_buf clean, tmp;
  bool busy, keyed;
};
static _Thread_local struct body_scratch scratch;
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static bool scratch_key_ok;

/* A buffer this large is given back after its cable. */
#define SCRATCH_KEEP ((size_t)4 << 20)

static void scratch_free(void *p) {
  struct body_scratch *s = p;
  cx_buf_free(&s->clean);
  cx_buf_free(&s->tmp);
}

static void scratch_key_init(void) {
  scratch_key_ok = pthread_key_create(&scratch_key, scratch_free) == 0;
}

/* This thread's scratch, or NULL when it is in use (or cannot be freed at
 * the thread's end): the caller then takes buffers of its own. */
static struct body_scratch *scratch_take(void) {
  struct body_scratch *s = &scratch;
  if (s->busy) return NULL;
  if (!s->keyed) {
    pthread_once(&scratch_once, scratch_key_init);
    if (!scratch_key_ok || pthread_setspecific(scratch_key, s) != 0) return NULL;
    s->keyed = true;
  }
  s->busy = true;
  return s;
}

/* b starts empty with limit max: the scratch's memory, or its own. */
static void scratch_buf(struct body_scratch *s, struct cx_buf *keep, struct cx_buf *b, size_t max) {
  if (s) {
    *b = *keep;
    b->max = max;
    cx_buf_reset(b);
  } else {
    cx_buf_init(b, max);
  }
}

static void scratch_back(struct body_scratch *s, struct cx_buf *keep, struct cx_buf *b) {
  if (s && b->cap <= SCRATCH_KEEP) {
    *keep = *b;
  } else {
    cx_buf_free(b);
    if (s) cx_buf_init(keep, 0);
  }
}

int cx_telegram_body(struct cx_cable *c, const char *text, size_t len, int year,
                     unsigned long first_line, struct cx_ctx *ctx) {
  struct body b;
  memset(&b, 0, sizeof b);
  b.c = c;
  b.ctx = ctx;
  b.year = year;
  b.first_line = first_line;
  b.rc = CX_OK;
  struct body_scratch *sc = scratch_take();
  struct cx_buf clean_buf;
  scratch_buf(sc, &scratch.clean, &clean_buf, len + 16);
  if (clean_text(text, len, &clean_buf) != CX_OK) {
    scratch_back(sc, &scratch.clean, &clean_buf);
    if (sc) sc->busy = false;
    return cx_error(ctx, CX_FATAL, first_line, "out of memory");
  }
  b.t = clean_buf.data ? clean_buf.data : "";
  b.end = b.t + clean_buf.len;
  b.cap = 2 * clean_buf.len + 4096;
  scratch_buf(sc, &scratch.tmp, &b.tmp, b.cap);
  /* The header fields live before paragraph 1. */
  b.hdr_lim = b.end - b.t > HDR_CAP ? b.t + HDR_CAP : b.end;
  for (const char *p = b.t; p < b.hdr_lim;) {
    const char *le = line_end(p, b.end);
    struct para pa;
    if (paragraph_at(p, le, &pa) && pa.n == 1 &&
        (pa.mark || has_prefix_ci(pa.text, le, "SUMMARY"))) {
      b.hdr_lim = p;
      break;
    }
    p = le < b.end ? le + 1 : le;
  }
  b.hdr_end = b.t;
  body_banner(&b);
  body_sipdis(&b);
  body_declassify(&b);
  body_tags(&b);
  body_subject(&b);
  body_references(&b);
  body_classified_by(&b);
  body_summary(&b);
  body_paragraphs(&b);
  scratch_back(sc, &scratch.tmp, &b.tmp);
  scratch_back(sc, &scratch.clean, &clean_buf);
  if (sc) sc->busy = false;
  return b.rc;
}
