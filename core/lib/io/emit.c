/* emit.c - a writer's output buffer (struct cx_emitter) and the text
 * escaping the json and xml writers share (cx_emit_text). */
#include <string.h>

#include "cablex/stream.h"
#include "scan_impl.h"

static int sink(struct cx_emitter *e, const void *p, size_t n) {
  return e->out ? cx_ostream_write(e->out, p, n) : cx_buf_add(e->dst, p, n);
}

void cx_emit_flush(struct cx_emitter *e) {
  if (e->len && !e->err) {
    int rc = sink(e, e->buf, e->len);
    if (rc < 0) e->err = rc;
  }
  e->len = 0;
}

void cx_emit_slow(struct cx_emitter *e, const void *p, size_t n) {
  cx_emit_flush(e);
  if (n >= CX_EMIT_BUF) { /* a big run goes straight through */
    if (!e->err) {
      int rc = sink(e, p, n);
      if (rc < 0) e->err = rc;
    }
    return;
  }
  memcpy(e->buf + e->len, p, n);
  e->len += n;
}

/* The last ASCII byte of a text that went to esc and what it became (n
 * bytes: its escape, or the byte itself when esc kept it); esc gives the
 * same answer for the same byte, so that a text's every newline after the
 * first is written without the call, most of them inside the block loop.
 * ch 0 is none (a text ends at its first NUL). */
struct memo {
  unsigned char ch;
  size_t n;
  char out[8];
};

/* Writes the stop at p (a byte that is not plain text) escaped; returns
 * the number of bytes of p it took, and counts a byte sequence that is not
 * UTF-8 in *bad. */
static inline __attribute__((always_inline)) size_t emit_stop(struct cx_emitter *e,
                                                              const struct cx_escaper *x,
                                                              const unsigned char *p,
                                                              struct memo *mo, size_t *bad) {
  char out[32] = {0}; /* zeroed: its first 8 bytes are copied whole below */
  unsigned char ch = *p;
  size_t n = 1, k;
  if (ch == mo->ch && CX_EMIT_BUF - e->len >= 8) {
    memcpy(e->buf + e->len, mo->out, 8);
    e->len += mo->n;
    return 1;
  }
  if (ch >= 0x80) {
    bool ok;
    n = cx_utf8_check(p, &ok);
    bool nonchar = ok && n == 3 && ch == 0xEF && p[1] == 0xBF && p[2] >= 0xBE;
    if (ok && !(nonchar && x->nonchars)) {
      cx_emit(e, p, n);
      return n;
    }
    if (ok) {
      k = x->esc(p[2] == 0xBE ? 0xFFFE : 0xFFFF, out);
    } else {
      memcpy(out, "\xEF\xBF\xBD", 3);
      k = 3;
      (*bad)++;
    }
  } else if ((k = x->esc(ch, out)) <= 8) {
    if (!k) { /* kept: the byte is its own "escape" */
      out[0] = (char)ch;
      k = 1;
    }
    mo->ch = ch;
    mo->n = k;
    memcpy(mo->out, out, 8);
  }
  if (k <= 8 && CX_EMIT_BUF - e->len >= 8) {
    /* a fixed-size copy (a move, not a memcpy call): the escapes of a
     * newline or a quote, at every stop; the bytes past k are written
     * over by what comes next */
    memcpy(e->buf + e->len, out, 8);
    e->len += k;
  } else {
    cx_emit(e, out, k);
  }
  return n;
}

/* How a text's stop bytes are looked for (constant at each call, see
 * cx_emit_text): TWO, only a and b (JSON; c and d are b); THREE, a to c
 * (XML text; d is c); FOLD, a is in
 * 0x20..0x3F (JSON's quote, XML's ampersand), so that v xor (a xor 0x20)
 * is below 0x21 (signed) just where v is a, a control byte or non-ASCII:
 * one compare for what takes two. */
enum { TWO = 1, THREE = 2, FOLD = 4 };

#if defined(__SSE2__)
/* The stop bytes of a text as vectors (lt: 0x20, or 0x21 with FOLD; key:
 * a xor 0x20 with FOLD). */
struct stops {
  __m128i a, b, c, d, lt, key;
};

/* The bytes of v to stop at (0xFF each). */
static inline __attribute__((always_inline)) __m128i hits(const struct stops *st, __m128i v,
                                                          unsigned mode) {
  __m128i hit = _mm_cmpeq_epi8(v, st->b);
  if (mode & FOLD)
    hit = _mm_or_si128(hit, _mm_cmpgt_epi8(st->lt, _mm_xor_si128(v, st->key)));
  else
    hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpgt_epi8(st->lt, v), _mm_cmpeq_epi8(v, st->a)));
  if (mode & THREE)
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, st->c));
  else if (!(mode & TWO))
    hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, st->c), _mm_cmpeq_epi8(v, st->d)));
  return hit;
}

static inline __attribute__((always_inline)) unsigned block_hits(const struct stops *st, __m128i v,
                                                                 unsigned mode) {
  return (unsigned)_mm_movemask_epi8(hits(st, v, mode));
}

/* Copies the plain text at *p to e, 16 bytes at a time straight into the
 * buffer (a block is stored whole, then only its bytes before the stop
 * are counted), so that a run between two escapes costs no memcpy call; a
 * memo byte is written without leaving the loop.  Returns true at another
 * stop (at *p), false with fewer than 16 bytes left before end. */
static inline __attribute__((always_inline)) bool
emit_blocks(struct cx_emitter *e, const unsigned char **pp, const unsigned char *end,
            const struct stops *st, const struct memo *mo, unsigned mode) {
  const unsigned char *p = *pp;
  size_t len = e->len; /* in a register: the stores into buf may alias e->len */
  bool stopped = false;
  while (end - p >= 16 && !stopped) {
    if (CX_EMIT_BUF - len < 24) {
      e->len = len;
      cx_emit_flush(e);
      len = e->len;
    }
    /* Blocks start at p <= lim: within the text, and with room for the
     * block and for a memo's 8 bytes in the buffer, in a loop without the
     * flush call (the constants stay in registers).  A memo's escape takes
     * n - 1 bytes more room than its byte, which lim gives up. */
    size_t fit =
        (size_t)(end - p) < CX_EMIT_BUF - 8 - len ? (size_t)(end - p) : CX_EMIT_BUF - 8 - len;
    uintptr_t lim = (uintptr_t)p + fit - 16;
    while ((uintptr_t)p <= lim) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
      _mm_storeu_si128((__m128i *)(void *)(e->buf + len), v);
      unsigned m = block_hits(st, v, mode);
      if (__builtin_expect(!m, 1)) {
        len += 16;
        p += 16;
        continue;
      }
      unsigned k = (unsigned)__builtin_ctz(m);
      len += k;
      p += k;
      if (*p != mo->ch) {
        stopped = true;
        break;
      }
      memcpy(e->buf + len, mo->out, 8);
      len += mo->n;
      p++;
      lim -= mo->n - 1;
    }
  }
  e->len = len;
  *pp = p;
  return stopped;
}

/* The n < 16 bytes at p, the last of the text that starts at s, in the
 * low bytes of a vector, without reading outside the text: a text of 16
 * bytes or more gives its last 16 (shifted through memory), a shorter one
 * is read as two overlapping words of 8, of 4, or as single bytes.  The
 * bytes past n are zero or text. */
static inline __attribute__((always_inline)) __m128i tail_vector(const unsigned char *s,
                                                                 const unsigned char *p, size_t n) {
  const unsigned char *end = p + n;
  if (end - s >= 16) {
    unsigned char t[32];
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(end - 16));
    _mm_storeu_si128((__m128i *)(void *)t, v);
    _mm_storeu_si128((__m128i *)(void *)(t + 16), v); /* no byte of t left unset */
    return _mm_loadu_si128((const __m128i *)(const void *)(t + 16 - n));
  }
  uint64_t lo = 0, hi = 0;
  if (n >= 8) {
    memcpy(&lo, p, 8);
    memcpy(&hi, end - 8, 8);
    hi = hi >> (8 * (15 - n)) >> 8; /* bytes p[8..n) */
  } else if (n >= 4) {
    uint32_t l, h;
    memcpy(&l, p, 4);
    memcpy(&h, end - 4, 4);
    lo = l | (uint64_t)h << (8 * (n - 4));
  } else if (n) {
    lo = p[0] | (uint64_t)p[n >> 1] << (8 * (n >> 1)) | (uint64_t)p[n - 1] << (8 * (n - 1));
  }
  return _mm_set_epi64x((long long)hi, (long long)lo);
}

/* The last n < 16 bytes of the text at *pp (before end): the plain ones
 * are written with one 16-byte store; returns true at a stop (at *pp). */
static inline __attribute__((always_inline)) bool
emit_tail(struct cx_emitter *e, const unsigned char *s, const unsigned char **pp,
          const unsigned char *end, const struct stops *st, unsigned mode) {
  const unsigned char *p = *pp;
  size_t n = (size_t)(end - p);
  __m128i v = tail_vector(s, p, n);
  unsigned m = block_hits(st, v, mode) & ((1u << n) - 1);
  size_t k = m ? (size_t)__builtin_ctz(m) : n;
  if (CX_EMIT_BUF - e->len < 16) cx_emit_flush(e);
  _mm_storeu_si128((__m128i *)(void *)(e->buf + e->len), v);
  e->len += k;
  *pp = p + k;
  return m != 0;
}
#endif

/* cx_emit_text's loop, with the stop bytes a..d in registers and mode
 * (TWO, THREE, FOLD) a constant at each call. */
static inline __attribute__((always_inline)) size_t emit_text(struct cx_emitter *e,
                                                              const struct cx_escaper *x,
                                                              const char *s, const char *stop,
                                                              unsigned mode) {
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char *end = p + strlen(s);
  const unsigned char a = (unsigned char)stop[0], b = (unsigned char)stop[1];
  const unsigned char c = (unsigned char)stop[2], d = (unsigned char)stop[3];
  size_t bad = 0;
  struct memo mo = {0, 0, {0}};
#if defined(__SSE2__)
  struct stops st = {_mm_set1_epi8((char)a),
                     _mm_set1_epi8((char)b),
                     _mm_set1_epi8((char)c),
                     _mm_set1_epi8((char)d),
                     _mm_set1_epi8(mode & FOLD ? 0x21 : 0x20),
                     _mm_set1_epi8((char)(a ^ 0x20))};
  /* Hidden from the compiler: knowing it, it turns "lt > v" into "not
   * (v > lt - 1)", a compare more in every block. */
  __asm__("" : "+x"(st.lt));
#endif
  for (;;) {
#if defined(__SSE2__)
    if (!emit_blocks(e, &p, end, &st, &mo, mode) &&
        (p == end || !emit_tail(e, (const unsigned char *)s, &p, end, &st, mode)))
      break;
#else
    const unsigned char *q = (const unsigned char *)scan_plain((const char *)p, (const char *)end,
                                                               a, b, c, d, mode & TWO);
    cx_emit(e, p, (size_t)(q - p));
    p = q;
    if (p == end) break;
#endif
    p += emit_stop(e, x, p, &mo, &bad);
  }
  return bad;
}

size_t cx_emit_text(struct cx_emitter *e, const struct cx_escaper *x, const char *s) {
  const char *stop = x->stop;
  bool fold = ((unsigned char)stop[0] & 0xE0) == 0x20;
  if (stop[3] == stop[2] && fold) {
    if (stop[2] == stop[1]) return emit_text(e, x, s, stop, TWO | FOLD); /* JSON */
    return emit_text(e, x, s, stop, THREE | FOLD);                       /* XML text */
  }
  if (fold) return emit_text(e, x, s, stop, FOLD); /* XML attributes */
  return emit_text(e, x, s, stop, 0);
}
