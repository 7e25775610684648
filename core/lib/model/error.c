/* error.c - the error context: codes, messages and their place. */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cablex/error.h"
#include "cablex/stream.h"

void cx_ctx_clear(struct cx_ctx *ctx) {
  ctx->code = CX_OK;
  ctx->msg[0] = '\0';
  ctx->line = 0;
  ctx->warnings = 0;
}

int cx_verror(struct cx_ctx *ctx, int code, unsigned long line, const char *fmt, va_list ap) {
  if (!ctx) return code;
  ctx->code = code;
  ctx->line = line;
  vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
  return code;
}

int cx_error(struct cx_ctx *ctx, int code, unsigned long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cx_verror(ctx, code, line, fmt, ap);
  va_end(ap);
  return code;
}

int cx_warn(struct cx_ctx *ctx, unsigned long line, const char *fmt, ...) {
  char msg[CX_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (!ctx) return CX_WARN;
  ctx->warnings++;
  if (ctx->report) {
    /* The callback reads the place from ctx; the line travels in ctx->line
     * only for the duration of the call. */
    unsigned long saved = ctx->line;
    ctx->line = line;
    ctx->report(ctx->report_user, ctx, CX_WARN, msg);
    ctx->line = saved;
  } else {
    /* the place (a path) and the message, escaped as every message is */
    char buf[CX_MSG_MAX + PATH_MAX + 64], shown[4 * sizeof buf];
    cx_ctx_format(ctx, msg, line, buf, sizeof buf);
    fprintf(stderr, "cablex: warning: %s\n", cx_escape(buf, shown, sizeof shown));
  }
  return CX_WARN;
}

/* The length of the valid UTF-8 sequence at p (cx_utf8_check) and its
 * code point, or 0 when p does not start one. */
static size_t utf8_at(const unsigned char *p, uint32_t *cp) {
  if (p[0] < 0x80) {
    *cp = p[0];
    return 1;
  }
  bool ok; /* cx_utf8_check is for a byte past ASCII */
  size_t k = cx_utf8_check(p, &ok);
  if (!ok) return 0;
  uint32_t c = p[0] & (0x7f >> k);
  for (size_t i = 1; i < k; i++)
    c = c << 6 | (p[i] & 0x3f);
  *cp = c;
  return k;
}

/* What a terminal acts on or that reorders what is shown. */
static bool unsafe(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

char *cx_escape(const char *s, char *out, size_t size) {
  size_t n = 0;
  if (!size) return out;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    uint32_t cp = 0;
    size_t k = utf8_at(p, &cp);
    if (k && !unsafe(cp)) {
      if (n + k >= size) break;
      memcpy(out + n, p, k);
      n += k;
      p += k;
      continue;
    }
    for (size_t i = 0; i < (k ? k : 1); i++) { /* each byte, or the one bad byte */
      if (n + 4 >= size) goto done;
      snprintf(out + n, 5, "\\x%02x", p[i]);
      n += 4;
    }
    p += k ? k : 1;
  }
done:
  out[n] = '\0';
  return out;
}

void cx_ctx_format(const struct cx_ctx *ctx, const char *msg, unsigned long line, char *buf,
                   size_t size) {
  size_t n = 0;
  if (!size) return;
  buf[0] = '\0';
#define CX_APPEND(...)                                                                             \
  do {                                                                                             \
    if (n < size) {                                                                                \
      int w = snprintf(buf + n, size - n, __VA_ARGS__);                                            \
      if (w > 0) n += (size_t)w;                                                                   \
    }                                                                                              \
  } while (0)
  if (ctx && ctx->file) CX_APPEND("%s", ctx->file);
  /* archive(entry), as ar(1) and make name archive members */
  if (ctx && ctx->entry) CX_APPEND("(%s)", ctx->entry);
  if (line) CX_APPEND("%s%lu", n ? ":" : "line ", line);
  CX_APPEND("%s%s", n ? ": " : "", msg ? msg : "");
#undef CX_APPEND
}

const char *cx_strcode(int code) {
  switch (code) {
  case CX_OK:
    return "ok";
  case CX_EOF:
    return "eof";
  case CX_WARN:
    return "warn";
  case CX_FAILED:
    return "failed";
  case CX_FATAL:
    return "fatal";
  default:
    return "unknown";
  }
}
