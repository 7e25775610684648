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

/* cx_emit_text's loop, with the stop bytes a..d in registers and, with
 * `two` (a constant at each call), only a and b compared (JSON).  Plain
 * text is copied as it is scanned, 16 bytes at a time straight into the
 * buffer (a block is stored whole, then only its bytes before the stop
 * are counted), so that a run between two escapes costs no memcpy call. */
static inline __attribute__((always_inline)) size_t emit_text(struct cx_emitter *e,
                                                              const struct cx_escaper *x,
                                                              const char *s, const char *stop,
                                                              bool two) {
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char *end = p + strlen(s);
  const unsigned char a = (unsigned char)stop[0], b = (unsigned char)stop[1];
  const unsigned char c = (unsigned char)stop[2], d = (unsigned char)stop[3];
  size_t bad = 0;
  char out[32] = {0}; /* zeroed: its first 8 bytes are copied whole below */
  /* The last ASCII byte that went to esc and its escape (k bytes, 0: the
   * byte kept); esc gives the same answer for the same byte, so that a
   * text's every newline after the first is escaped without the call.
   * memo 0 is none (s ends at its first NUL). */
  unsigned char memo = 0;
  size_t memo_k = 0;
  char memo_out[8] = {0};
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
  const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
  const __m128i sp = _mm_set1_epi8(0x20);
#endif
  for (;;) {
#if defined(__SSE2__)
    /* len in a register: the stores into buf may alias e->len */
    size_t len = e->len;
    while (end - p >= 16) {
      if (CX_EMIT_BUF - len < 16) {
        e->len = len;
        cx_emit_flush(e);
        len = e->len;
      }
      /* the blocks that fit both in the text left and in the buffer's
       * room, in a loop without the flush call: the constants stay in
       * registers, and one bound is tested */
      size_t fit = (size_t)(end - p) < CX_EMIT_BUF - len ? (size_t)(end - p) : CX_EMIT_BUF - len;
      const unsigned char *last = p + fit / 16 * 16;
      unsigned m;
      do {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        _mm_storeu_si128((__m128i *)(void *)(e->buf + len), v);
        __m128i hit = _mm_or_si128(_mm_cmplt_epi8(v, sp),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
        if (!two)
          hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        m = (unsigned)_mm_movemask_epi8(hit);
        if (m) break;
        len += 16;
        p += 16;
      } while (p < last);
      if (m) {
        unsigned k = (unsigned)__builtin_ctz(m);
        e->len = len + k;
        p += k;
        goto look;
      }
    }
    e->len = len;
#endif
    { /* the last bytes (all of them without SSE2) */
      const unsigned char *q =
          (const unsigned char *)scan_plain((const char *)p, (const char *)end, a, b, c, d, two);
      cx_emit(e, p, (size_t)(q - p));
      p = q;
    }
    if (p == end) break;
#if defined(__SSE2__)
  look:;
#endif
    unsigned char ch = *p;
    size_t n = 1, k;
    if (ch == memo && (!memo_k || CX_EMIT_BUF - e->len >= 8)) {
      if (memo_k) {
        memcpy(e->buf + e->len, memo_out, 8);
        e->len += memo_k;
      } else {
        cx_emitc(e, (char)ch);
      }
      p++;
      continue;
    }
    if (ch >= 0x80) {
      bool ok;
      n = cx_utf8_check(p, &ok);
      bool nonchar = ok && n == 3 && ch == 0xEF && p[1] == 0xBF && p[2] >= 0xBE;
      if (ok && !(nonchar && x->nonchars)) {
        cx_emit(e, p, n);
        p += n;
        continue;
      }
      if (ok) {
        k = x->esc(p[2] == 0xBE ? 0xFFFE : 0xFFFF, out);
      } else {
        memcpy(out, "\xEF\xBF\xBD", 3);
        k = 3;
        bad++;
      }
    } else if ((k = x->esc(ch, out)) <= 8) {
      memo = ch;
      memo_k = k;
      memcpy(memo_out, out, 8);
      if (!k) {
        cx_emitc(e, (char)ch);
        p++;
        continue;
      }
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
    p += n;
  }
  return bad;
}

size_t cx_emit_text(struct cx_emitter *e, const struct cx_escaper *x, const char *s) {
  const char *stop = x->stop;
  if (stop[2] == stop[1] && stop[3] == stop[1]) return emit_text(e, x, s, stop, true);
  return emit_text(e, x, s, stop, false);
}
