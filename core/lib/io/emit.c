/* emit.c - a writer's output buffer (struct cx_emitter) and the text
 * escaping the json and xml writers share (cx_emit_text). */
#include <string.h>

#include "cablex/stream.h"

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

size_t cx_emit_text(struct cx_emitter *e, const struct cx_escaper *x, const char *s) {
  const unsigned char *p = (const unsigned char *)s, *run = p;
  const unsigned char *end = p + strlen(s);
  size_t bad = 0;
  char out[32];
  for (;;) {
    /* most text is plain ASCII: straight to the next byte that needs a look */
    p = (const unsigned char *)cx_scan_plain((const char *)p, (const char *)end, x->stop);
    if (p == end) break;
    unsigned char c = *p;
    size_t n = 1, k;
    if (c >= 0x80) {
      bool ok;
      n = cx_utf8_check(p, &ok);
      bool nonchar = ok && n == 3 && c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE;
      if (ok && !(nonchar && x->nonchars)) {
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
    } else if (!(k = x->esc(c, out))) {
      p++;
      continue;
    }
    cx_emit(e, run, (size_t)(p - run));
    cx_emit(e, out, k);
    p += n;
    run = p;
  }
  cx_emit(e, run, (size_t)(end - run));
  return bad;
}
