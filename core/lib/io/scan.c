/* scan.c - small text helpers the plugins share: the fast scanner for JSON
 * string text and the UTF-8 encoder. */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cablex/stream.h"

/* True when none of the 8 bytes in v needs a look: no control character,
 * '"', '\\' or non-ASCII byte (the classic "has a byte less than n" and
 * "has a zero byte" tests, exact as to whether any byte matches). */
static bool word_json_plain(uint64_t v) {
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
  uint64_t hit = ((v - ones * 0x20) & ~v) | ((q - ones) & ~q) | ((b - ones) & ~b) | v;
  return (hit & high) == 0;
}

const char *cx_json_plain_end(const char *p, const char *e) {
#if defined(__SSE2__)
  /* 16 bytes at a time (the signed compare takes non-ASCII as "below 0x20") */
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                            _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    unsigned m = (unsigned)_mm_movemask_epi8(hit);
    if (m) return p + __builtin_ctz(m);
    p += 16;
  }
#endif
  while (e - p >= 8) { /* a word at a time */
    uint64_t v;
    memcpy(&v, p, 8);
    if (!word_json_plain(v)) break;
    p += 8;
  }
  while (p < e && (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x80 && *p != '"' && *p != '\\')
    p++;
  return p;
}

size_t cx_utf8_put(char out[4], unsigned long cp) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}
