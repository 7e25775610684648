/* text.h - spans of text and the line and token scanners that the telegram
 * parser's files share (internal, not installed).
 *
 * Ownership: a span borrows the text it points into; nothing is allocated.
 */
#ifndef CX_TEXT_H
#define CX_TEXT_H

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* A piece of the text: s[0..n), borrowed. */
struct span {
  const char *s;
  size_t n;
};

/* Blank within a line (not '\n'). */
static inline bool is_blank_char(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static inline struct span trim(struct span l) {
  while (l.n && is_blank_char(l.s[0])) {
    l.s++;
    l.n--;
  }
  while (l.n && is_blank_char(l.s[l.n - 1]))
    l.n--;
  return l;
}

/* The line starting at text[pos] (without its "\n" or "\r\n"), and the
 * offset of the next line. */
static inline struct span line_at(const char *text, size_t len, size_t pos, size_t *next) {
  const char *nl = memchr(text + pos, '\n', len - pos);
  size_t end = nl ? (size_t)(nl - text) : len;
  *next = nl ? end + 1 : len;
  struct span l = {text + pos, end - pos};
  if (l.n && l.s[l.n - 1] == '\r') l.n--;
  return l;
}

/* Splits off the next blank-separated token of *rest; false when none is
 * left. */
static inline bool next_token(struct span *rest, struct span *tok) {
  size_t i = 0;
  while (i < rest->n && is_blank_char(rest->s[i]))
    i++;
  size_t j = i;
  while (j < rest->n && !is_blank_char(rest->s[j]))
    j++;
  tok->s = rest->s + i;
  tok->n = j - i;
  rest->s += j;
  rest->n -= j;
  return tok->n > 0;
}

/* Is t the upper-case word w, in any case? */
static inline bool tok_ieq(struct span t, const char *w) {
  if (t.n != strlen(w)) return false;
  for (size_t i = 0; i < t.n; i++)
    if (toupper((unsigned char)t.s[i]) != (unsigned char)w[i]) return false;
  return true;
}

static inline bool all_digits(struct span t) {
  if (!t.n) return false;
  for (size_t i = 0; i < t.n; i++)
    if (!isdigit((unsigned char)t.s[i])) return false;
  return true;
}

/* Characters and the scanners of the body parser, on its cleaned text
 * (ASCII only: the locale must not matter).  [p,e) is a range of the text,
 * t its start (for looking back). */

static inline bool is_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static inline bool is_hspace(int c) {
  return c == ' ' || c == '\t';
}
static inline bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
static inline bool is_upper(int c) {
  return c >= 'A' && c <= 'Z';
}
static inline bool is_lower(int c) {
  return c >= 'a' && c <= 'z';
}
static inline bool is_alpha(int c) {
  return is_upper(c) || is_lower(c);
}
static inline bool is_alnum(int c) {
  return is_alpha(c) || is_digit(c);
}
static inline int to_upper(int c) {
  return is_lower(c) ? c - 'a' + 'A' : c;
}

/* Case-insensitive: does [p,e) start with w? */
static inline bool has_prefix_ci(const char *p, const char *e, const char *w) {
  for (; *w; w++, p++)
    if (p >= e || to_upper((unsigned char)*p) != to_upper((unsigned char)*w)) return false;
  return true;
}

/* As has_prefix_ci, and the match ends a word. */
static inline bool has_word_ci(const char *p, const char *e, const char *w) {
  size_t n = strlen(w);
  return has_prefix_ci(p, e, w) && (p + n >= e || !is_alnum((unsigned char)p[n]));
}

static inline bool at_word_start(const char *t, const char *p) {
  return p == t || !is_alnum((unsigned char)p[-1]);
}

static inline const char *line_end(const char *p, const char *e) {
  if (p >= e) return p;
  const char *q = memchr(p, '\n', (size_t)(e - p));
  return q ? q : e;
}

static inline const char *line_start(const char *t, const char *p) {
  while (p > t && p[-1] != '\n')
    p--;
  return p;
}

/* Is p the first non-blank of its line?  Looks back over blanks only, so
 * that asking at every word stays linear. */
static inline bool first_on_line(const char *t, const char *p) {
  while (p > t && is_hspace((unsigned char)p[-1]))
    p--;
  return p == t || p[-1] == '\n';
}

/* The first non-blank of p's line when it is at most `max` bytes before p,
 * else NULL (bounded, for the same reason). */
static inline const char *near_line_start(const char *t, const char *p, size_t max) {
  const char *q = p;
  while (q > t && q[-1] != '\n') {
    if ((size_t)(p - q) >= max) return NULL;
    q--;
  }
  while (q < p && is_hspace((unsigned char)*q))
    q++;
  return q;
}

static inline const char *skip_hspace(const char *p, const char *e) {
  while (p < e && is_hspace((unsigned char)*p))
    p++;
  return p;
}

static inline const char *skip_space(const char *p, const char *e) {
  while (p < e && is_space((unsigned char)*p))
    p++;
  return p;
}

static inline bool is_blank(const char *p, const char *e) {
  return skip_space(p, e) >= e;
}

static inline size_t count_digits(const char *p, const char *e) {
  size_t n = 0;
  while (p + n < e && is_digit((unsigned char)p[n]))
    n++;
  return n;
}

/* The first place in [p,e) holding byte a or byte b; e when there is none.
 * 16 places at a time with SSE2. */
static inline const char *find_either(const char *p, const char *e, char a, char b) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    unsigned m =
        (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
    if (m) return p + __builtin_ctz(m);
    p += 16;
  }
#endif
  while (p < e && *p != a && *p != b)
    p++;
  return p;
}

#if defined(__SSE2__)
/* Which of the 16 bytes at p, case folded (| 0x20), are the byte of want. */
static inline __m128i fold_eq16(const char *p, __m128i fold, __m128i want) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
  return _mm_cmpeq_epi8(_mm_or_si128(v, fold), want);
}
#endif

/* The first place in [p,e) where the first k (1 to 4) bytes of w may
 * start, by a case fold that is exact for letters and lets through more
 * for other bytes (x | 0x20 == y | 0x20): the caller checks each place
 * with has_prefix_ci().  A place too near e for k bytes is not returned (nothing
 * of w's length fits there); e when there is none.  The scans of whole
 * cables for a keyword go through here 16 places at a time. */
static inline __attribute__((always_inline)) const char *
scan_prefix_ci(const char *p, const char *e, const char *w, size_t k) {
  /* a loop bounded by lc's size, not by k: gcc -O3 warned of a write past
   * lc for a k it could not bound */
  unsigned char lc[4];
  for (size_t i = 0; i < sizeof lc; i++)
    lc[i] = i < k ? (unsigned char)(w[i] | 0x20) : 0;
#if defined(__SSE2__)
  const __m128i fold = _mm_set1_epi8(0x20);
  __m128i want[4];
  for (size_t i = 0; i < 4; i++)
    want[i] = _mm_set1_epi8((char)lc[i]);
  while (e - p >= (ptrdiff_t)(16 + k - 1)) {
    /* written out, not a loop over k: with a constant k (the callers'
     * words) only the compares it needs are left */
    __m128i hit = fold_eq16(p, fold, want[0]);
    if (k > 1) hit = _mm_and_si128(hit, fold_eq16(p + 1, fold, want[1]));
    if (k > 2) hit = _mm_and_si128(hit, fold_eq16(p + 2, fold, want[2]));
    if (k > 3) hit = _mm_and_si128(hit, fold_eq16(p + 3, fold, want[3]));
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

/* scan_prefix_ci() for the first bytes of w (as many as its length, at most 4). */
static inline __attribute__((always_inline)) const char *scan_next_ci(const char *p, const char *e,
                                                                      const char *w) {
  size_t k = strlen(w);
  return scan_prefix_ci(p, e, w, k < 4 ? k : 4);
}

/* Case-insensitive search for w in [p,e), at a word start when `word`. */
static inline const char *find_ci(const char *t, const char *p, const char *e, const char *w,
                                  bool word) {
  if (!*w) { /* what the byte loop gives for "": the first NUL */
    const char *z = p < e ? memchr(p, '\0', (size_t)(e - p)) : NULL;
    return z;
  }
  for (p = scan_next_ci(p, e, w); p < e; p = scan_next_ci(p + 1, e, w))
    if (has_prefix_ci(p, e, w) && (!word || at_word_start(t, p))) return p;
  return NULL;
}

#endif
