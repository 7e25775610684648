/* scan.c - small helpers the plugins share: the fast scanners for string
 * text (SSE2, else 8 bytes at a time), search in exact and ASCII-insensitive
 * case, where a probe's text starts, the UTF-8 encoder, markup's entities
 * and growing an array. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cablex/stream.h"
#include "scan_impl.h"

const char *cx_scan_plain(const char *p, const char *e, const char stop[4]) {
  unsigned char a = (unsigned char)stop[0], b = (unsigned char)stop[1];
  unsigned char c = (unsigned char)stop[2], d = (unsigned char)stop[3];
  if (c == b && d == b) return scan_plain(p, e, a, b, b, b, true);
  return scan_plain(p, e, a, b, c, d, false);
}

const char *cx_json_plain_end(const char *p, const char *e) {
  return cx_scan_plain(p, e, "\"\\\\\\");
}

const char *cx_scan_any3(const char *p, const char *e, char a, char b, char c) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, va),
                               _mm_or_si128(_mm_cmpeq_epi8(v, vb), _mm_cmpeq_epi8(v, vc)));
    unsigned m = (unsigned)_mm_movemask_epi8(hit);
    if (m) return p + __builtin_ctz(m);
    p += 16;
  }
#endif
  while (e - p >= 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    if (word_has(v, (unsigned char)a) | word_has(v, (unsigned char)b) |
        word_has(v, (unsigned char)c))
      break;
    p += 8;
  }
  while (p < e && *p != a && *p != b && *p != c)
    p++;
  return p;
}

unsigned long cx_count_newlines(const char *p, const char *e) {
  unsigned long n = 0;
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  while (e - p >= 16) {
    /* each match adds 1 to its byte of acc: at most 255 blocks, then sum */
    size_t blocks = (size_t)(e - p) / 16;
    if (blocks > 255) blocks = 255;
    __m128i acc = _mm_setzero_si128();
    for (size_t i = 0; i < blocks; i++, p += 16)
      acc =
          _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), nl));
    __m128i sum = _mm_sad_epu8(acc, _mm_setzero_si128());
    n += (unsigned long)_mm_cvtsi128_si32(sum) + (unsigned long)_mm_extract_epi16(sum, 4);
  }
#endif
  for (; p < e; p++)
    n += *p == '\n';
  return n;
}

static inline unsigned char fold(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

bool cx_starts_ci(const char *s, size_t n, const char *w) {
  size_t i = 0;
  for (; w[i]; i++)
    if (i == n || fold((unsigned char)s[i]) != fold((unsigned char)w[i])) return false;
  return true;
}

size_t cx_find_ci(const char *s, size_t n, size_t from, const char *w) {
  size_t wl = strlen(w);
  if (!wl) return from <= n ? from : (size_t)-1;
  unsigned char lo = fold((unsigned char)w[0]);
  unsigned char up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - ('a' - 'A')) : lo;
  for (size_t i = from; i + wl <= n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c == lo || c == up) && cx_starts_ci(s + i + 1, n - i - 1, w + 1)) return i;
  }
  return (size_t)-1;
}

size_t cx_find(const char *s, size_t n, size_t from, const char *w) {
  size_t wl = strlen(w);
  if (!wl) return from <= n ? from : (size_t)-1;
  for (size_t i = from; i + wl <= n; i++) {
    const char *c = memchr(s + i, w[0], n - wl + 1 - i);
    if (!c) break;
    i = (size_t)(c - s);
    if (!memcmp(c, w, wl)) return i;
  }
  return (size_t)-1;
}

size_t cx_text_start(const unsigned char *head, size_t len, bool bom) {
  size_t i = bom && len >= 3 && !memcmp(head, "\xef\xbb\xbf", 3) ? 3 : 0;
  while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
    i++;
  return i;
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

const char *cx_xml_entity(int c) {
  switch (c) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  case '"':
    return "&quot;";
  default:
    return NULL;
  }
}

int cx_grow(void *v, size_t *cap, size_t n, size_t size, size_t first) {
  if (n < *cap) return CX_OK;
  size_t ncap = *cap ? *cap * 2 : first;
  if (ncap <= *cap || ncap > SIZE_MAX / size) return CX_FATAL;
  void *p = realloc(*(void **)v, ncap * size);
  if (!p) return CX_FATAL;
  *(void **)v = p;
  *cap = ncap;
  return CX_OK;
}
