/* scan_impl.h - the text scanner's body, inline, shared by scan.c
 * (cx_scan_plain) and emit.c (cx_emit_text without SSE2, without a
 * call).  Internal, not installed. */
#ifndef CX_SCAN_IMPL_H
#define CX_SCAN_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Whether one of the 8 bytes in v is c (the classic "has a zero byte" test
 * on v xor c: exact as to whether any byte matches). */
static inline uint64_t word_has(uint64_t v, unsigned char c) {
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  uint64_t x = v ^ (ones * c);
  return (x - ones) & ~x & high;
}

/* Whether one of the 8 bytes in v is below 0x20 or non-ASCII. */
static inline uint64_t word_has_control(uint64_t v) {
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  return ((v - ones * 0x20) & ~v & high) | (v & high);
}

/* The scanner's one body: stop at a control byte, a non-ASCII byte or one
 * of a..d; with `two` (a constant at each call below) only a and b are
 * looked for, so the JSON writer's scan (quote and backslash) does not pay
 * for the other two compares on every block. */
static inline __attribute__((always_inline)) const char *
scan_plain(const char *p, const char *e, unsigned char a, unsigned char b, unsigned char c,
           unsigned char d, bool two) {
#if defined(__SSE2__)
  /* 16 bytes at a time (the signed compare takes non-ASCII as "below 0x20") */
  const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
  const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
  const __m128i sp = _mm_set1_epi8(0x20);
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_or_si128(_mm_cmplt_epi8(v, sp),
                               _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
    if (!two) hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
    unsigned m = (unsigned)_mm_movemask_epi8(hit);
    if (m) return p + __builtin_ctz(m);
    p += 16;
  }
#endif
  while (e - p >= 8) { /* a word at a time */
    uint64_t v;
    memcpy(&v, p, 8);
    if (word_has_control(v) | word_has(v, a) | word_has(v, b) |
        (two ? 0 : word_has(v, c) | word_has(v, d)))
      break;
    p += 8;
  }
  for (; p < e; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch < 0x20 || ch >= 0x80 || ch == a || ch == b || (!two && (ch == c || ch == d))) break;
  }
  return p;
}

#endif
