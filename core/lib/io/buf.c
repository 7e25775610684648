/* buf.c - bounded buffers and UTF-8 checks.
 *
 * Ownership: as in cablex/stream.h.  A buffer owns its bytes until
 * cx_buf_free() or cx_buf_detach().
 */
#include "cablex/stream.h"
#include "deflate.h"
#include "inflate.h"
#include "stream_private.h"
#include "xfilter.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ------------------------------------------------------------------ */
/* cx_buf                                                              */
/* ------------------------------------------------------------------ */

size_t buf_limit(const struct cx_buf *b) {
  return b->max ? b->max : SIZE_MAX - 1;
}

/* Makes room for extra more bytes plus the NUL.  CX_FAILED past the limit,
 * CX_FATAL when memory runs out; b is unchanged on failure. */
int buf_reserve(struct cx_buf *b, size_t extra) {
  size_t limit = buf_limit(b);
  if (b->len > limit || extra > limit - b->len) return CX_FAILED;
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return CX_OK;
  size_t ncap = b->cap ? b->cap : 64;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) {
      ncap = need;
      break;
    }
    ncap *= 2;
  }
  /* Never allocate more than the limit allows, whatever the doubling says. */
  if (ncap - 1 > limit) ncap = limit + 1;
  char *p = realloc(b->data, ncap);
  if (!p) return CX_FATAL;
  b->data = p;
  b->cap = ncap;
  return CX_OK;
}

void cx_buf_init(struct cx_buf *b, size_t max) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->max = max;
}

void cx_buf_free(struct cx_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void cx_buf_reset(struct cx_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

int cx_buf_add(struct cx_buf *b, const void *data, size_t len) {
  /* room already (the usual case: the parsers add a word at a time) */
  size_t limit = b->max ? b->max : SIZE_MAX - 1; /* buf_limit, inline */
  bool room = b->cap > b->len && len < b->cap - b->len && b->len <= limit && len <= limit - b->len;
  if (!room) {
    int rc = buf_reserve(b, len);
    if (rc != CX_OK) return rc;
  }
  if (len) memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return CX_OK;
}

int cx_buf_reserve(struct cx_buf *b, size_t extra) {
  return buf_reserve(b, extra);
}

int cx_buf_addc(struct cx_buf *b, char c) {
  /* the parsers add text a byte at a time: no call when there is room */
  if (b->len + 1 < b->cap && b->len < buf_limit(b)) {
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return CX_OK;
  }
  return cx_buf_add(b, &c, 1);
}

int cx_buf_adds(struct cx_buf *b, const char *s) {
  return cx_buf_add(b, s, strlen(s));
}

int cx_buf_printf(struct cx_buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  int n = room ? vsnprintf(b->data + b->len, room, fmt, ap) : vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  int rc = CX_OK;
  if (n < 0) {
    rc = CX_FAILED;
  } else if ((size_t)n >= room) {
    rc = buf_reserve(b, (size_t)n);
    if (rc == CX_OK) vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
  } else if (b->len > buf_limit(b) || (size_t)n > buf_limit(b) - b->len) {
    rc = CX_FAILED; /* it fitted in memory we had, but not in the limit */
  }
  va_end(ap2);
  if (rc == CX_OK) {
    b->len += (size_t)n;
  }
  if (b->data) b->data[b->len] = '\0'; /* undo a partial print on failure */
  return rc;
}

char *cx_buf_detach(struct cx_buf *b, size_t *len) {
  char *p = b->data;
  if (len) *len = b->len;
  if (!p) p = calloc(1, 1); /* always hand out a string */
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

size_t cx_utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t k;
  uint32_t cp;
  if (c >= 0xc2 && c <= 0xdf) {
    k = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    k = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    k = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < k) return 0;
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return k;
}

size_t cx_utf8_check(const unsigned char *p, bool *ok) {
  unsigned char c = p[0], lo = 0x80, hi = 0xBF;
  size_t need;
  *ok = false;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 1;
  }
  if (p[1] < lo || p[1] > hi) return 1;
  for (size_t i = 2; i <= need; i++)
    if (p[i] < 0x80 || p[i] > 0xBF) return i;
  *ok = true;
  return need + 1;
}

size_t cx_utf8_count_bad(const char *text, size_t len, unsigned long *first_line) {
  const unsigned char *s = (const unsigned char *)text;
  size_t bad = 0, first_bad = 0, i = 0;
  *first_line = 0;
  while (i < len) {
    /* ASCII 64 (SSE2), 32, then eight bytes at a time: nearly all of a cable */
#if defined(__SSE2__)
    while (i + 64 <= len) {
      const __m128i *v = (const __m128i *)(const void *)(s + i);
      __m128i o = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(v), _mm_loadu_si128(v + 1)),
                               _mm_or_si128(_mm_loadu_si128(v + 2), _mm_loadu_si128(v + 3)));
      if (_mm_movemask_epi8(o)) break;
      i += 64;
    }
#endif
    while (i + 32 <= len) {
      uint64_t w[4];
      memcpy(w, s + i, 32);
      if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) break;
      i += 32;
    }
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= len) break;
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = cx_utf8_len(s + i, len - i);
    if (!k) {
      if (!bad) first_bad = i;
      bad++;
      i++;
      continue;
    }
    i += k;
  }
  if (bad) { /* the line of the first bad byte, counted only when needed */
    unsigned long line = 1;
    for (const unsigned char *p = s; (p = memchr(p, '\n', first_bad - (size_t)(p - s))); p++)
      line++;
    *first_line = line;
  }
  return bad;
}

size_t cx_buf_fix_utf8(struct cx_buf *b, unsigned long *first_line) {
  const unsigned char *s = (const unsigned char *)b->data;
  size_t i, bad = cx_utf8_count_bad(b->data, b->len, first_line);
  if (!bad) return 0;
  struct cx_buf fixed;
  cx_buf_init(&fixed, b->max);
  for (i = 0; i < b->len;) {
    size_t k = cx_utf8_len(s + i, b->len - i);
    int rc = k ? cx_buf_add(&fixed, s + i, k) : cx_buf_add(&fixed, "\xef\xbf\xbd", 3);
    if (rc) {
      cx_buf_free(&fixed);
      return (size_t)-1;
    }
    i += k ? k : 1;
  }
  cx_buf_free(b);
  *b = fixed;
  return bad;
}
